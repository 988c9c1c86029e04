// IPv4 addresses and CIDR blocks as plain values over unsigned 32-bit numbers: parse, format,
// compare and measure. Pure and total: bad input gives null, never an exception.

/** A CIDR block; `base` always has its host bits cleared (see `parseCidr`). */
export interface Cidr {
  readonly base: number;
  readonly prefix: number;
}

const OCTET = /^(0|[1-9][0-9]{0,2})$/;
const PREFIX = /^(0|[1-9][0-9]?)$/;

/** Strict dotted quad: four decimal octets 0–255, no signs, spaces or leading zeros (`010`). */
export function parseIpv4(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    n = n * 256 + octet;
  }
  return n;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The netmask of a prefix length as an unsigned number (`/0` → 0, `/32` → 0xffffffff). */
export function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function splitCidr(s: string): { ip: number; prefix: number } | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIpv4(s.slice(0, slash));
  const prefixText = s.slice(slash + 1);
  if (ip === null || !PREFIX.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return prefix > 32 ? null : { ip, prefix };
}

/**
 * Parses `a.b.c.d/n` (0 ≤ n ≤ 32). Host bits are cleared in the result, so `10.0.0.5/8` parses to
 * the block 10.0.0.0/8; use `isCanonicalCidr` to insist that they were zero.
 */
export function parseCidr(s: string): Cidr | null {
  const parts = splitCidr(s);
  if (parts === null) return null;
  return { base: (parts.ip & prefixMask(parts.prefix)) >>> 0, prefix: parts.prefix };
}

/** True for a well-formed CIDR whose host bits are all zero (`10.0.0.0/8`, not `10.0.0.5/8`). */
export function isCanonicalCidr(s: string): boolean {
  const parts = splitCidr(s);
  return parts !== null && (parts.ip & prefixMask(parts.prefix)) >>> 0 === parts.ip;
}

export function formatCidr(c: Cidr): string {
  return `${formatIpv4(c.base)}/${c.prefix}`;
}

/** Number of addresses in the block (2^(32 − prefix)). */
export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

/** The block's last address (its broadcast address when the block is a subnet). */
export function cidrLast(c: Cidr): number {
  return c.base + cidrSize(c) - 1;
}

export function ipInCidr(ip: number, c: Cidr): boolean {
  return ip >= c.base && ip <= cidrLast(c);
}

/** True when every address of `inner` is in `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.base >= outer.base && cidrLast(inner) <= cidrLast(outer);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.base <= cidrLast(b) && b.base <= cidrLast(a);
}

/** The n-th address of the block counting from 0 (the base); null when n is outside the block. */
export function nthAddress(c: Cidr, n: number): number | null {
  if (!Number.isInteger(n) || n < 0 || n >= cidrSize(c)) return null;
  return c.base + n;
}

/** The RFC 1918 private blocks. */
export const PRIVATE_BLOCKS: readonly Cidr[] = [
  { base: 0x0a000000, prefix: 8 },
  { base: 0xac100000, prefix: 12 },
  { base: 0xc0a80000, prefix: 16 },
];

/** True when the block lies wholly inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16. */
export function isPrivateCidr(c: Cidr): boolean {
  return PRIVATE_BLOCKS.some((block) => cidrContains(block, c));
}

/**
 * Each octet zero-padded to three digits and concatenated: `192.168.0.55` → `192168000055`
 * (node names end in the last digits of this). Null when `ip` is not a strict dotted quad.
 */
export function ipDigits12(ip: string): string | null {
  const n = parseIpv4(ip);
  if (n === null) return null;
  return formatIpv4(n)
    .split('.')
    .map((octet) => octet.padStart(3, '0'))
    .join('');
}
