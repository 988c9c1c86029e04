// Tests for IPv4/CIDR values: strict parsing, formatting, block arithmetic and the 12-digit IP form
// used in node names, with fast-check properties for round trips and overlap.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cidrContains,
  cidrLast,
  cidrSize,
  cidrsOverlap,
  formatCidr,
  formatIpv4,
  ipDigits12,
  ipInCidr,
  isCanonicalCidr,
  isPrivateCidr,
  nthAddress,
  parseCidr,
  parseIpv4,
  prefixMask,
  type Cidr,
} from './ipv4.js';

const cidr = (s: string): Cidr => {
  const c = parseCidr(s);
  if (c === null) throw new Error(`bad test CIDR ${s}`);
  return c;
};

const anyIp = fc.integer({ min: 0, max: 0xffffffff });
const anyCidr = fc
  .record({ ip: anyIp, prefix: fc.integer({ min: 0, max: 32 }) })
  .map(({ ip, prefix }): Cidr => ({ base: (ip & prefixMask(prefix)) >>> 0, prefix }));

describe('parseIpv4 / formatIpv4', () => {
  it.each([
    ['0.0.0.0', 0],
    ['10.0.0.1', 0x0a000001],
    ['192.168.0.55', 0xc0a80037],
    ['255.255.255.255', 0xffffffff],
  ])('M21 %s parses to %d', (text, n) => {
    expect(parseIpv4(text)).toBe(n);
    expect(formatIpv4(n)).toBe(text);
  });

  it.each([
    '',
    '10.0.0',
    '10.0.0.0.0',
    '010.0.0.1',
    '10.00.0.1',
    '256.0.0.1',
    '1.2.3.-4',
    '+1.2.3.4',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '1..3.4',
    '1.2.3.0x1',
    '1e2.0.0.1',
  ])('M21 %j is not a strict dotted quad', (text) => {
    expect(parseIpv4(text)).toBeNull();
  });

  it('M21 parse/format round trip (property)', () => {
    fc.assert(
      fc.property(anyIp, (n) => parseIpv4(formatIpv4(n)) === n),
      { numRuns: 300 },
    );
  });
});

describe('parseCidr / formatCidr / isCanonicalCidr', () => {
  it.each([
    ['10.0.0.0/8', 0x0a000000, 8, true],
    ['0.0.0.0/0', 0, 0, true],
    ['192.168.1.7/32', 0xc0a80107, 32, true],
    ['10.1.2.3/8', 0x0a000000, 8, false],
    ['172.16.5.0/12', 0xac100000, 12, false],
  ])('M21 %s → base %d /%d, canonical %s', (text, base, prefix, canonical) => {
    expect(parseCidr(text)).toEqual({ base, prefix });
    expect(isCanonicalCidr(text)).toBe(canonical);
  });

  it.each([
    '10.0.0.0',
    '10.0.0.0/',
    '10.0.0.0/33',
    '10.0.0.0/08',
    '10.0.0.0/-1',
    '10.0.0.0/8/8',
    '010.0.0.0/8',
  ])('M21 %j is refused', (text) => {
    expect(parseCidr(text)).toBeNull();
    expect(isCanonicalCidr(text)).toBe(false);
  });

  it('M21 CIDR parse/format round trip (property)', () => {
    fc.assert(
      fc.property(anyCidr, (c) => {
        const text = formatCidr(c);
        return isCanonicalCidr(text) && JSON.stringify(parseCidr(text)) === JSON.stringify(c);
      }),
      { numRuns: 300 },
    );
  });
});

describe('block arithmetic', () => {
  it('M22 size, last, membership and n-th address', () => {
    const c = cidr('192.168.0.0/24');
    expect(cidrSize(c)).toBe(256);
    expect(formatIpv4(cidrLast(c))).toBe('192.168.0.255');
    expect(cidrSize(cidr('0.0.0.0/0'))).toBe(2 ** 32);
    expect(formatIpv4(cidrLast(cidr('0.0.0.0/0')))).toBe('255.255.255.255');
    expect(ipInCidr(0xc0a800ff, c)).toBe(true);
    expect(ipInCidr(0xc0a80100, c)).toBe(false);
    expect(nthAddress(c, 0)).toBe(c.base);
    expect(formatIpv4(nthAddress(c, 10) ?? 0)).toBe('192.168.0.10');
    expect(nthAddress(c, 256)).toBeNull();
    expect(nthAddress(c, -1)).toBeNull();
    expect(nthAddress(c, 1.5)).toBeNull();
  });

  it.each([
    ['10.0.0.0/8', '10.1.0.0/16', true, true],
    ['10.1.0.0/16', '10.0.0.0/8', false, true],
    ['10.0.0.0/16', '10.1.0.0/16', false, false],
    ['10.0.0.0/16', '10.0.255.0/24', true, true],
    ['0.0.0.0/0', '255.255.255.255/32', true, true],
  ])('M25 %s contains %s: %s, overlaps: %s', (a, b, contains, overlaps) => {
    expect(cidrContains(cidr(a), cidr(b))).toBe(contains);
    expect(cidrsOverlap(cidr(a), cidr(b))).toBe(overlaps);
  });

  it('M25 cidrsOverlap is symmetric and matches interval comparison (property)', () => {
    fc.assert(
      fc.property(anyCidr, anyCidr, (a, b) => {
        const endA = a.base + 2 ** (32 - a.prefix);
        const endB = b.base + 2 ** (32 - b.prefix);
        const expected = Math.max(a.base, b.base) < Math.min(endA, endB);
        return cidrsOverlap(a, b) === cidrsOverlap(b, a) && cidrsOverlap(a, b) === expected;
      }),
      { numRuns: 300 },
    );
  });

  it('M25 cidrsOverlap matches address-by-address enumeration in a small universe (property)', () => {
    const small = fc
      .record({ offset: fc.integer({ min: 0, max: 255 }), prefix: fc.integer({ min: 24, max: 32 }) })
      .map(({ offset, prefix }): Cidr => ({ base: (0x0a000000 + offset) & prefixMask(prefix), prefix }));
    fc.assert(
      fc.property(small, small, (a, b) => {
        let shared = false;
        for (let ip = 0x0a000000; ip <= 0x0a0000ff; ip++) shared ||= ipInCidr(ip, a) && ipInCidr(ip, b);
        return cidrsOverlap(a, b) === shared;
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['10.0.0.0/8', true],
    ['10.200.0.0/16', true],
    ['172.16.0.0/12', true],
    ['172.31.255.0/24', true],
    ['172.32.0.0/16', false],
    ['172.0.0.0/8', false],
    ['192.168.0.0/16', true],
    ['192.168.0.0/15', false],
    ['8.8.8.0/24', false],
    ['0.0.0.0/0', false],
  ])('M21 %s is private: %s', (text, expected) => {
    expect(isPrivateCidr(cidr(text))).toBe(expected);
  });
});

describe('ipDigits12', () => {
  it.each([
    ['192.168.0.55', '192168000055'],
    ['10.0.0.1', '010000000001'],
    ['255.255.255.255', '255255255255'],
  ])('M51 %s → %s', (ip, digits) => {
    expect(ipDigits12(ip)).toBe(digits);
  });

  it('M51 a malformed IP has no digits', () => {
    expect(ipDigits12('10.0.0')).toBeNull();
  });
});
