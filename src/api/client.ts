// A client of Kuberack's API that signs every request with ACS3-HMAC-SHA256 the way the official
// SDKs do; the CLI and the tests use it.
import { randomBytes } from 'node:crypto';
import { authorizationHeader, EMPTY_SHA256, sha256Hex, signedHeaderMap } from './acs3.js';

export interface Credentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** The headers of one signed request (a fresh nonce each time); `path` may carry a query string. */
export function signedHeaders(
  endpoint: string,
  creds: Credentials,
  method: string,
  path: string,
  text = '',
  options: { date?: Date; nonce?: string; action?: string } = {},
): Record<string, string> {
  const url = new URL(path, endpoint);
  const payloadHash = text === '' ? EMPTY_SHA256 : sha256Hex(text);
  const headers: Record<string, string> = {
    host: url.host,
    'x-acs-action': options.action ?? `${method} ${url.pathname}`,
    'x-acs-version': '2026-12-01',
    'x-acs-date': (options.date ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'x-acs-signature-nonce': options.nonce ?? randomBytes(32).toString('hex'),
    'x-acs-content-sha256': payloadHash,
    accept: 'application/json',
  };
  if (text !== '') headers['content-type'] = 'application/json; charset=utf-8';
  const signed = signedHeaderMap(headers);
  headers.authorization = authorizationHeader(creds.accessKeyId, creds.accessKeySecret, {
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams.entries()),
    headers: signed,
    payloadHash,
  });
  delete headers.host;
  return headers;
}

/** One signed call; `path` may carry a query string. The body is JSON when given. */
export async function signedRequest(
  endpoint: string,
  creds: Credentials,
  method: string,
  path: string,
  body?: unknown,
  options: { date?: Date; nonce?: string; action?: string } = {},
): Promise<ApiResponse> {
  const url = new URL(path, endpoint);
  const text = body === undefined ? '' : JSON.stringify(body);
  const headers = signedHeaders(endpoint, creds, method, path, text, options);
  const res = await fetch(url, { method, headers, body: text === '' ? undefined : text });
  const raw = await res.text();
  let parsed: unknown = raw;
  try {
    parsed = raw ? (JSON.parse(raw) as unknown) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}
