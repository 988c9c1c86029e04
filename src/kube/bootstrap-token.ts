// Bootstrap tokens for `kubeadm join`: the token itself, its kube-system Secret, and the detached
// JWS (HS256 keyed by the token secret) that kube-public/cluster-info carries for discovery.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { KuberackError } from '../domain/errors.js';
import type { RandomBytes } from './pki.js';

/** `<id>.<secret>`: the 6-character id is public, the 16-character secret is confidential. */
export const BOOTSTRAP_TOKEN_PATTERN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
export const DEFAULT_NODE_TOKEN_GROUP = 'system:bootstrappers:kubeadm:default-node-token';

export interface BootstrapToken {
  readonly id: string;
  readonly secret: string;
  /** `id.secret`, what `kubeadm join --token` takes. */
  readonly token: string;
}

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
/** Largest multiple of 36 that fits a byte: bytes at or above it are dropped so every character is equally likely. */
const UNBIASED_LIMIT = 252;

/** Draws a token from `randomBytes` (e.g. node:crypto randomBytes), without modulo bias. */
export function generateBootstrapToken(randomBytes: RandomBytes): BootstrapToken {
  const chars: string[] = [];
  for (let round = 0; chars.length < 22; round++) {
    if (round > 64)
      throw new KuberackError('KUBE_INVALID_INPUT', { field: 'randomBytes', reason: 'not random' });
    for (const byte of randomBytes(32)) {
      if (byte < UNBIASED_LIMIT && chars.length < 22) chars.push(ALPHABET[byte % 36] ?? '0');
    }
  }
  const id = chars.slice(0, 6).join('');
  const secret = chars.slice(6).join('');
  return { id, secret, token: `${id}.${secret}` };
}

export function isBootstrapToken(s: string): boolean {
  return BOOTSTRAP_TOKEN_PATTERN.test(s);
}

/** Splits `id.secret`; throws KUBE_INVALID_INPUT when the text is not a bootstrap token. */
export function parseBootstrapToken(s: string): BootstrapToken {
  const m = BOOTSTRAP_TOKEN_PATTERN.exec(s);
  if (!m?.[1] || !m[2]) {
    throw new KuberackError('KUBE_INVALID_INPUT', { field: 'token', reason: 'not a bootstrap token' });
  }
  return { id: m[1], secret: m[2], token: s };
}

export interface BootstrapTokenSecret {
  readonly apiVersion: 'v1';
  readonly kind: 'Secret';
  readonly metadata: { readonly name: string; readonly namespace: 'kube-system' };
  readonly type: 'bootstrap.kubernetes.io/token';
  readonly stringData: Readonly<Record<string, string>>;
}

export interface BootstrapTokenSecretInput {
  readonly token: BootstrapToken;
  readonly expiresAt: Date;
  readonly description?: string;
  /** Groups besides system:bootstrappers; default the kubeadm node-token group. */
  readonly extraGroups?: readonly string[];
}

/** The `kube-system/bootstrap-token-<id>` Secret the API server authenticates the token against. */
export function bootstrapTokenSecret(input: BootstrapTokenSecretInput): BootstrapTokenSecret {
  const stringData: Record<string, string> = {
    'token-id': input.token.id,
    'token-secret': input.token.secret,
    expiration: rfc3339(input.expiresAt),
    'usage-bootstrap-authentication': 'true',
    'usage-bootstrap-signing': 'true',
    'auth-extra-groups': (input.extraGroups ?? [DEFAULT_NODE_TOKEN_GROUP]).join(','),
  };
  if (input.description !== undefined) stringData.description = input.description;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `bootstrap-token-${input.token.id}`, namespace: 'kube-system' },
    type: 'bootstrap.kubernetes.io/token',
    stringData,
  };
}

/**
 * Detached JWS over `content` as the bootstrap signer writes it: protected header
 * `{"alg":"HS256","kid":"<id>"}`, key = token secret, output `header..signature` (payload left out).
 * kubeadm compares this string exactly, so the header bytes matter.
 */
export function signClusterInfo(content: string, token: BootstrapToken): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', kid: token.id }));
  const payload = base64url(content);
  const signature = createHmac('sha256', token.secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}..${signature}`;
}

/** True when `jws` is the detached signature of `content` with this token (constant-time compare). */
export function verifyClusterInfoSignature(content: string, jws: string, token: BootstrapToken): boolean {
  const expected = Buffer.from(signClusterInfo(content, token));
  const given = Buffer.from(jws);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface ClusterInfoConfigMap {
  readonly apiVersion: 'v1';
  readonly kind: 'ConfigMap';
  readonly metadata: { readonly name: 'cluster-info'; readonly namespace: 'kube-public' };
  readonly data: Readonly<Record<string, string>>;
}

/** `kube-public/cluster-info` with the kubeconfig and one `jws-kubeconfig-<id>` per signing token. */
export function clusterInfoConfigMap(
  kubeconfig: string,
  tokens: readonly BootstrapToken[],
): ClusterInfoConfigMap {
  const data: Record<string, string> = { kubeconfig };
  for (const token of tokens) data[`jws-kubeconfig-${token.id}`] = signClusterInfo(kubeconfig, token);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cluster-info', namespace: 'kube-public' },
    data,
  };
}

/** RFC 3339 in UTC without fractional seconds, e.g. `2025-01-02T03:04:05Z`. */
export function rfc3339(date: Date): string {
  if (!Number.isFinite(date.getTime())) {
    throw new KuberackError('KUBE_INVALID_INPUT', { field: 'expiresAt', reason: 'not a date' });
  }
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
