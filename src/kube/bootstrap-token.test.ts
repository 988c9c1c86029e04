// Tests for bootstrap tokens, their Secret and the cluster-info JWS; the HMAC is cross-checked
// with the real openssl binary (the test fails, not skips, when openssl is missing).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BOOTSTRAP_TOKEN_PATTERN,
  bootstrapTokenSecret,
  clusterInfoConfigMap,
  generateBootstrapToken,
  isBootstrapToken,
  parseBootstrapToken,
  rfc3339,
  signClusterInfo,
  verifyClusterInfoSignature,
} from './bootstrap-token.js';
import type { BootstrapToken } from './bootstrap-token.js';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - name: ""
    cluster:
      certificate-authority-data: LS0tLS1CRUdJTg==
      server: https://192.168.0.10:6443
`;

function fromBytes(bytes: readonly number[]): (size: number) => Uint8Array {
  let i = 0;
  return (size) => Uint8Array.from({ length: size }, () => bytes[i++ % bytes.length] ?? 0);
}

describe('bootstrap token', () => {
  it('token regex accepts id.secret and rejects everything else', () => {
    expect(isBootstrapToken('abcdef.0123456789abcdef')).toBe(true);
    expect(isBootstrapToken('07401b.f395accd246ae52d')).toBe(true);
    for (const bad of [
      'ABCDEF.0123456789abcdef',
      'abcde.0123456789abcdef',
      'abcdef.0123456789abcde',
      'abcdef0123456789abcdef',
      'abcdef.0123456789abcdef ',
      'abcdef:0123456789abcdef',
      'abcdef.0123456789abcdeg0',
      'abc-ef.0123456789abcdef',
      '',
    ]) {
      expect(isBootstrapToken(bad), bad).toBe(false);
    }
    expect(BOOTSTRAP_TOKEN_PATTERN.source).toBe('^([a-z0-9]{6})\\.([a-z0-9]{16})$');
  });

  it('generated tokens always match the regex, whatever bytes the source gives', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 251 }), { minLength: 1, maxLength: 64 }), (bytes) => {
        const t = generateBootstrapToken(fromBytes(bytes));
        expect(isBootstrapToken(t.token)).toBe(true);
        expect(t.token).toBe(`${t.id}.${t.secret}`);
      }),
    );
    for (let i = 0; i < 50; i++)
      expect(isBootstrapToken(generateBootstrapToken(randomBytes).token)).toBe(true);
  });

  it('is deterministic for a fixed byte source, and drops bytes >= 252 (no modulo bias)', () => {
    const bytes = Array.from({ length: 22 }, (_, i) => i);
    expect(generateBootstrapToken(fromBytes(bytes)).token).toBe('012345.6789abcdefghijkl');
    // 252..255 are skipped, so 252 and 0 do not both become "0".
    const withHigh = bytes.flatMap((b) => [252, 253, 254, 255, b]);
    expect(generateBootstrapToken(fromBytes(withHigh)).token).toBe('012345.6789abcdefghijkl');
    expect(() => generateBootstrapToken(fromBytes([255]))).toThrow(
      expect.objectContaining({ code: 'KUBE_INVALID_INPUT' }),
    );
  });

  it('parses id and secret, and refuses non-tokens', () => {
    expect(parseBootstrapToken('abcdef.0123456789abcdef')).toEqual({
      id: 'abcdef',
      secret: '0123456789abcdef',
      token: 'abcdef.0123456789abcdef',
    });
    expect(() => parseBootstrapToken('nope')).toThrow(
      expect.objectContaining({ code: 'KUBE_INVALID_INPUT' }),
    );
  });

  it('Secret kube-system/bootstrap-token-<id> has the fields the token authenticator reads', () => {
    const token = parseBootstrapToken('abcdef.0123456789abcdef');
    expect(bootstrapTokenSecret({ token, expiresAt: new Date('2025-03-02T12:00:00.123Z') })).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'bootstrap-token-abcdef', namespace: 'kube-system' },
      type: 'bootstrap.kubernetes.io/token',
      stringData: {
        'token-id': 'abcdef',
        'token-secret': '0123456789abcdef',
        expiration: '2025-03-02T12:00:00Z',
        'usage-bootstrap-authentication': 'true',
        'usage-bootstrap-signing': 'true',
        'auth-extra-groups': 'system:bootstrappers:kubeadm:default-node-token',
      },
    });
    const custom = bootstrapTokenSecret({
      token,
      expiresAt: new Date('2025-03-02T12:00:00Z'),
      description: 'GPU node pool np-1',
      extraGroups: ['system:bootstrappers:kuberack:np-1', 'system:bootstrappers:kubeadm:default-node-token'],
    });
    expect(custom.stringData['auth-extra-groups']).toBe(
      'system:bootstrappers:kuberack:np-1,system:bootstrappers:kubeadm:default-node-token',
    );
    expect(custom.stringData.description).toBe('GPU node pool np-1');
  });

  it('expiration is RFC 3339 in UTC without fractional seconds', () => {
    expect(rfc3339(new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 999)))).toBe('2030-01-02T03:04:05Z');
    expect(() => rfc3339(new Date('nope'))).toThrow(expect.objectContaining({ code: 'KUBE_INVALID_INPUT' }));
  });
});

describe('cluster-info JWS', () => {
  const token: BootstrapToken = parseBootstrapToken('abcdef.0123456789abcdef');

  it('is a detached compact JWS: header {"alg":"HS256","kid":<id>}, empty payload part', () => {
    const jws = signClusterInfo(KUBECONFIG, token);
    expect(jws).toMatch(/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$/);
    const [header] = jws.split('..');
    expect(Buffer.from(header ?? '', 'base64url').toString()).toBe('{"alg":"HS256","kid":"abcdef"}');
  });

  it('signature equals openssl HMAC-SHA256 over header.payload keyed by the token secret', () => {
    const jws = signClusterInfo(KUBECONFIG, token);
    const [header, signature] = jws.split('..');
    const signingInput = `${header}.${Buffer.from(KUBECONFIG).toString('base64url')}`;
    const mac = execFileSync(
      'openssl',
      ['dgst', '-sha256', '-mac', 'HMAC', '-macopt', `key:${token.secret}`, '-binary'],
      { input: signingInput },
    );
    expect(signature).toBe(mac.toString('base64url'));
  });

  it('verification round trip: the right token and content verify, anything else does not', () => {
    const jws = signClusterInfo(KUBECONFIG, token);
    expect(verifyClusterInfoSignature(KUBECONFIG, jws, token)).toBe(true);
    expect(verifyClusterInfoSignature(`${KUBECONFIG} `, jws, token)).toBe(false);
    expect(verifyClusterInfoSignature(KUBECONFIG, jws, parseBootstrapToken('abcdef.0123456789abcdee'))).toBe(
      false,
    );
    expect(verifyClusterInfoSignature(KUBECONFIG, jws, parseBootstrapToken('abcdeg.0123456789abcdef'))).toBe(
      false,
    );
    expect(verifyClusterInfoSignature(KUBECONFIG, `${jws}x`, token)).toBe(false);
    fc.assert(
      fc.property(fc.string(), (content) => {
        expect(verifyClusterInfoSignature(content, signClusterInfo(content, token), token)).toBe(true);
      }),
    );
  });

  it('cluster-info ConfigMap carries the kubeconfig and one jws-kubeconfig-<id> per token', () => {
    const other = parseBootstrapToken('zyxwvu.0123456789abcdef');
    const cm = clusterInfoConfigMap(KUBECONFIG, [token, other]);
    expect(cm.metadata).toEqual({ name: 'cluster-info', namespace: 'kube-public' });
    expect(Object.keys(cm.data)).toEqual(['kubeconfig', 'jws-kubeconfig-abcdef', 'jws-kubeconfig-zyxwvu']);
    expect(cm.data.kubeconfig).toBe(KUBECONFIG);
    expect(verifyClusterInfoSignature(KUBECONFIG, cm.data['jws-kubeconfig-zyxwvu'] ?? '', other)).toBe(true);
  });
});
