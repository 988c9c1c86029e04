// ACS3-HMAC-SHA256, Alibaba Cloud's V3 request signature, exactly as the official SDKs compute it:
// the canonical request, the string to sign and the Authorization header, for signing (the CLI) and
// for verifying (the server). Pure functions over method, path, query, headers and body hash.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const ACS3 = 'ACS3-HMAC-SHA256';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** encodeURIComponent plus the characters it leaves alone that the SDK encodes. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Keys sorted by code unit, `key=encoded value`, `&`-joined; keys are not encoded (as the SDK does). */
export function canonicalQuery(query: Readonly<Record<string, string | undefined>>): string {
  return Object.keys(query)
    .sort()
    .map((k) => `${k}=${percentEncode(query[k] ?? '')}`)
    .join('&');
}

/** The path as sent, with `+`, `*` and `%7E` normalised like the SDK. */
export function canonicalUri(path: string): string {
  return path.replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
}

/** Headers that are signed: `x-acs-*`, `host`, `content-type`; names lower-cased, same names joined. */
export function signedHeaderMap(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
): Map<string, string> {
  const byName = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers)) {
    const n = name.toLowerCase();
    if (value === undefined || !(n.startsWith('x-acs-') || n === 'host' || n === 'content-type')) continue;
    const values = Array.isArray(value) ? value : [value as string];
    byName.set(n, [...(byName.get(n) ?? []), ...values.map((v) => String(v).trim())]);
  }
  return new Map(
    [...byName.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([n, v]) => [n, v.sort().join(',')]),
  );
}

export interface SignInput {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** Only the headers to sign (see signedHeaderMap). */
  readonly headers: ReadonlyMap<string, string>;
  readonly payloadHash: string;
}

export function canonicalRequest(i: SignInput): string {
  const names = [...i.headers.keys()];
  return [
    i.method,
    canonicalUri(i.path),
    canonicalQuery(i.query),
    names.map((n) => `${n}:${i.headers.get(n)}\n`).join(''),
    names.join(';'),
    i.payloadHash,
  ].join('\n');
}

export function signature(secret: string, i: SignInput): string {
  const toSign = `${ACS3}\n${sha256Hex(canonicalRequest(i))}`;
  return createHmac('sha256', secret).update(toSign).digest('hex');
}

export function authorizationHeader(accessKeyId: string, secret: string, i: SignInput): string {
  return `${ACS3} Credential=${accessKeyId},SignedHeaders=${[...i.headers.keys()].join(';')},Signature=${signature(secret, i)}`;
}

export interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

export function parseAuthorization(header: string | undefined): ParsedAuthorization | null {
  const m = /^ACS3-HMAC-SHA256 Credential=([^,\s]+),SignedHeaders=([^,\s]*),Signature=([0-9a-f]{64})$/.exec(
    header ?? '',
  );
  if (!m) return null;
  return {
    accessKeyId: m[1] ?? '',
    signedHeaders: (m[2] ?? '').split(';').filter(Boolean),
    signature: m[3] ?? '',
  };
}

export function signaturesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
