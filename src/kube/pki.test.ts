// Tests for the cluster PKI, checked with the real openssl binary: SANs (M36, M37), chain
// verification, usages, validity, the discovery pin; they fail, not skip, when openssl is missing.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KuberackError } from '../domain/errors.js';
import { generateKeyPair } from './keys.js';
import type { KeyPair } from './keys.js';
import {
  apiServerSans,
  caCertHash,
  createCertificateAuthority,
  createClientCertificate,
  createClusterPki,
  firstServiceIp,
  generateClusterPkiKeys,
} from './pki.js';
import type { ClusterPki, ClusterPkiInput, ClusterPkiKeys, RandomBytes } from './pki.js';

const dir = mkdtempSync(join(tmpdir(), 'kuberack-pki-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;

function file(name: string, content: string): string {
  const path = join(dir, `${fileCount++}-${name}`);
  writeFileSync(path, content);
  return path;
}

function openssl(args: string[], input?: string | Buffer): string {
  return execFileSync('openssl', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs openssl and returns exit status and all output, for commands expected to fail. */
function opensslStatus(args: string[]): { status: number; output: string } {
  try {
    return { status: 0, output: openssl(args) };
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string; code?: string };
    if (err.code === 'ENOENT') throw e;
    return { status: err.status ?? -1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

function certText(pem: string): string {
  return openssl(['x509', '-in', file('c.crt', pem), '-noout', '-text']);
}

/** The SANs as openssl prints them, split into DNS names and IPs. */
function opensslSans(pem: string): { dns: string[]; ip: string[] } {
  const line = openssl(['x509', '-in', file('c.crt', pem), '-noout', '-ext', 'subjectAltName'])
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith('DNS:') || l.startsWith('IP Address:'));
  const entries = (line ?? '').split(', ');
  return {
    dns: entries.filter((e) => e.startsWith('DNS:')).map((e) => e.slice(4)),
    ip: entries.filter((e) => e.startsWith('IP Address:')).map((e) => e.slice(11)),
  };
}

function verify(caPem: string, certPem: string, purpose?: string): { status: number; output: string } {
  // Verify as of a day after issuing: the fixed test clock is in the past.
  const at = String(Math.floor(NOW.getTime() / 1000) + 24 * 60 * 60);
  const args = ['verify', '-attime', at, '-CAfile', file('ca.crt', caPem)];
  if (purpose) args.push('-purpose', purpose);
  return opensslStatus([...args, file('leaf.crt', certPem)]);
}

/** A deterministic byte stream (SHA-256 in counter mode over a seed), for reproducible serials. */
function seeded(seed: string): RandomBytes {
  let counter = 0;
  return (size) => {
    const out = Buffer.alloc(size);
    for (let off = 0; off < size; off += 32) {
      createHash('sha256').update(`${seed}:${counter++}`).digest().copy(out, off);
    }
    return out;
  };
}

const NOW = new Date('2025-03-01T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

let keys: ClusterPkiKeys;
let adminKey: KeyPair;
let devKey: KeyPair;
let pki: ClusterPki;

function baseInput(overrides: Partial<ClusterPkiInput> = {}): ClusterPkiInput {
  return {
    now: NOW,
    randomBytes: seeded('cluster-1'),
    keys,
    serviceCidr: '172.21.0.0/20',
    internalEndpoint: '192.168.0.10',
    publicEndpoint: '47.100.1.2',
    users: [
      { name: 'kubernetes-admin', groups: ['kubeadm:cluster-admins'], key: adminKey },
      { name: 'dev-alice', groups: ['developers', 'viewers'], key: devKey, validityDays: 30 },
    ],
    ...overrides,
  };
}

beforeAll(async () => {
  keys = await generateClusterPkiKeys();
  [adminKey, devKey] = await Promise.all([generateKeyPair(), generateKeyPair()]);
  pki = await createClusterPki(baseInput());
});

describe('cluster PKI', () => {
  it('openssl is installed (these tests need the real binary)', () => {
    expect(openssl(['version'])).toMatch(/OpenSSL \d/);
  });

  it('cluster CA: CN kubernetes, CA:TRUE critical, keyCertSign, 10 years', () => {
    const text = certText(pki.clusterCa.certPem);
    expect(text).toMatch(/Subject: CN ?= ?kubernetes\n/);
    expect(text).toMatch(/Issuer: CN ?= ?kubernetes\n/);
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign/);
    expect(text).toContain('Subject Key Identifier');
    expect(pki.clusterCa.notAfter.getTime() - NOW.getTime()).toBe(3650 * DAY);
    expect(openssl(['x509', '-in', file('ca.crt', pki.clusterCa.certPem), '-noout', '-enddate']).trim()).toBe(
      'notAfter=Feb 27 12:00:00 2035 GMT',
    );
    // self-signed: verifies against itself
    expect(verify(pki.clusterCa.certPem, pki.clusterCa.certPem).status).toBe(0);
  });

  it('front-proxy and etcd CAs are separate CAs with their own names', () => {
    expect(certText(pki.frontProxyCa.certPem)).toMatch(/Subject: CN ?= ?front-proxy-ca\n/);
    expect(certText(pki.etcdCa.certPem)).toMatch(/Subject: CN ?= ?etcd-ca\n/);
    for (const ca of [pki.frontProxyCa, pki.etcdCa]) {
      expect(certText(ca.certPem)).toMatch(/CA:TRUE/);
      expect(verify(ca.certPem, pki.apiServer.certPem).status).not.toBe(0);
    }
  });

  it('M36 default cluster domain: kubernetes.default.svc.cluster.local is a SAN', () => {
    expect(opensslSans(pki.apiServer.certPem).dns).toEqual([
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
    ]);
  });

  it('M36 custom cluster domain appears as kubernetes.default.svc.<domain>', async () => {
    const custom = await createClusterPki(baseInput({ clusterDomain: 'gpu.internal', users: [] }));
    const sans = opensslSans(custom.apiServer.certPem);
    expect(sans.dns).toContain('kubernetes.default.svc.gpu.internal');
    expect(sans.dns).not.toContain('kubernetes.default.svc.cluster.local');
  });

  it('API server certificate IP SANs: first Service IP, internal SLB IP, EIP, 127.0.0.1', () => {
    expect(opensslSans(pki.apiServer.certPem).ip).toEqual([
      '172.21.0.1',
      '192.168.0.10',
      '47.100.1.2',
      '127.0.0.1',
    ]);
    expect(pki.apiServer.ipAddresses).toEqual(['172.21.0.1', '192.168.0.10', '47.100.1.2', '127.0.0.1']);
  });

  it('without a public endpoint there is no EIP SAN', async () => {
    const internalOnly = await createClusterPki(baseInput({ publicEndpoint: undefined, users: [] }));
    expect(opensslSans(internalOnly.apiServer.certPem).ip).toEqual([
      '172.21.0.1',
      '192.168.0.10',
      '127.0.0.1',
    ]);
  });

  it('M37 custom SANs appear in the API server certificate (IPs as IP SANs, names as DNS SANs)', async () => {
    const custom = await createClusterPki(
      baseInput({
        customSans: ['api.gpu.example.com', '10.1.2.3', '*.apps.example.com', '2001:db8::10'],
        users: [],
      }),
    );
    const sans = opensslSans(custom.apiServer.certPem);
    expect(sans.dns).toEqual(expect.arrayContaining(['api.gpu.example.com', '*.apps.example.com']));
    expect(sans.ip).toEqual(expect.arrayContaining(['10.1.2.3', '2001:DB8:0:0:0:0:0:10']));
    expect(sans.dns).not.toContain('10.1.2.3');
    expect(verify(custom.clusterCa.certPem, custom.apiServer.certPem, 'sslserver').status).toBe(0);
  });

  it('M37 custom SANs are de-duplicated against the built-in ones and each other', async () => {
    const custom = await createClusterPki(
      baseInput({
        customSans: [
          'Kubernetes',
          '127.0.0.1',
          '192.168.0.10',
          'api.example.com',
          'API.example.com.',
          '2001:db8:0::1',
          '2001:db8::1',
        ],
        users: [],
      }),
    );
    const sans = opensslSans(custom.apiServer.certPem);
    expect(sans.dns.filter((d) => d === 'kubernetes')).toHaveLength(1);
    expect(sans.dns.filter((d) => d === 'api.example.com')).toHaveLength(1);
    expect(sans.ip.filter((i) => i === '127.0.0.1')).toHaveLength(1);
    expect(sans.ip.filter((i) => i === '192.168.0.10')).toHaveLength(1);
    expect(sans.ip.filter((i) => i === '2001:DB8:0:0:0:0:0:1')).toHaveLength(1);
    expect(new Set(sans.dns).size).toBe(sans.dns.length);
    expect(new Set(sans.ip).size).toBe(sans.ip.length);
  });

  it('M37 a custom SAN that is neither an IP nor a domain name is refused with KUBE_INVALID_INPUT', () => {
    for (const bad of ['bad_name', 'a..b', '-x.example.com', '300.1.1.1', 'a b', '']) {
      expect(() =>
        apiServerSans({ serviceCidr: '172.21.0.0/20', internalEndpoint: '10.0.0.1', customSans: [bad] }),
      ).toThrow(
        expect.objectContaining({
          code: 'KUBE_INVALID_INPUT',
          params: expect.objectContaining({ field: 'customSans[0]' }),
        }),
      );
    }
  });

  it('first Service IP of the Service CIDR', () => {
    expect(firstServiceIp('172.21.0.0/20')).toBe('172.21.0.1');
    expect(firstServiceIp('172.21.7.9/20')).toBe('172.21.0.1');
    expect(firstServiceIp('10.96.0.0/12')).toBe('10.96.0.1');
    expect(firstServiceIp('192.168.255.0/24')).toBe('192.168.255.1');
    expect(firstServiceIp('fd00:10:96::/112')).toBe('fd00:10:96::1');
    for (const bad of ['172.21.0.0', '172.21.0.0/32', '172.21.0.0/x', 'x/20', '10.0.0.0/8/1']) {
      expect(() => firstServiceIp(bad)).toThrow(KuberackError);
    }
  });

  it('API server certificate: CN kube-apiserver, serverAuth only, 1 year, verifies against the cluster CA', () => {
    const text = certText(pki.apiServer.certPem);
    expect(text).toMatch(/Subject: CN ?= ?kube-apiserver\n/);
    expect(text).toMatch(/Extended Key Usage: \s+TLS Web Server Authentication\n/);
    expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    expect(pki.apiServer.notAfter.getTime() - NOW.getTime()).toBe(365 * DAY);
    const ok = verify(pki.clusterCa.certPem, pki.apiServer.certPem, 'sslserver');
    expect(ok.output).toMatch(/: OK/);
    expect(ok.status).toBe(0);
    expect(verify(pki.clusterCa.certPem, pki.apiServer.certPem, 'sslclient').status).not.toBe(0);
  });

  it('client certificates: CN = user, O = groups, clientAuth, verify against the cluster CA', () => {
    const [admin, dev] = pki.users;
    expect(admin?.name).toBe('kubernetes-admin');
    const subject = (pem: string): string =>
      openssl(['x509', '-in', file('u.crt', pem), '-noout', '-subject', '-nameopt', 'RFC2253']).trim();
    expect(subject(admin?.certPem ?? '')).toBe('subject=CN=kubernetes-admin,O=kubeadm:cluster-admins');
    expect(subject(dev?.certPem ?? '')).toBe('subject=CN=dev-alice,O=viewers,O=developers');
    const text = certText(admin?.certPem ?? '');
    expect(text).toMatch(/Extended Key Usage: \s+TLS Web Client Authentication\n/);
    expect(text).not.toContain('Subject Alternative Name');
    const ok = verify(pki.clusterCa.certPem, admin?.certPem ?? '', 'sslclient');
    expect(ok.output).toMatch(/: OK/);
    expect(ok.status).toBe(0);
    expect(verify(pki.clusterCa.certPem, dev?.certPem ?? '', 'sslclient').status).toBe(0);
  });

  it('client certificate validity is configurable (30 days) and defaults to 1 year', () => {
    const [admin, dev] = pki.users;
    expect((admin?.notAfter.getTime() ?? 0) - NOW.getTime()).toBe(365 * DAY);
    expect((dev?.notAfter.getTime() ?? 0) - NOW.getTime()).toBe(30 * DAY);
    expect(openssl(['x509', '-in', file('d.crt', dev?.certPem ?? ''), '-noout', '-enddate']).trim()).toBe(
      'notAfter=Mar 31 12:00:00 2025 GMT',
    );
    // notBefore is `now` less five minutes, for clock skew.
    expect(dev?.notBefore.toISOString()).toBe('2025-03-01T11:55:00.000Z');
  });

  it('a certificate signed by another CA fails verification against the cluster CA', async () => {
    const other = await createCertificateAuthority({
      now: NOW,
      randomBytes: seeded('other'),
      commonName: 'kubernetes',
      key: await generateKeyPair(),
    });
    const forged = await createClientCertificate({
      now: NOW,
      randomBytes: seeded('forged'),
      ca: other,
      commonName: 'kubernetes-admin',
      organizations: ['kubeadm:cluster-admins'],
      key: adminKey,
    });
    expect(verify(other.certPem, forged.certPem).status).toBe(0);
    const result = verify(pki.clusterCa.certPem, forged.certPem);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/error|fail/i);
  });

  it('each issued certificate carries its own private key', () => {
    for (const c of [pki.clusterCa, pki.apiServer, ...pki.users]) {
      const fromCert = openssl(['x509', '-in', file('k.crt', c.certPem), '-noout', '-pubkey']);
      const fromKey = openssl(['pkey', '-in', file('k.key', c.keyPem), '-pubout']);
      expect(fromCert).toBe(fromKey);
    }
  });

  it('service-account key pair is RSA 2048 by default and its halves match', () => {
    expect(pki.serviceAccount.algorithm).toBe('rsa-2048');
    expect(openssl(['pkey', '-in', file('sa.key', pki.serviceAccount.privateKeyPem), '-pubout'])).toBe(
      pki.serviceAccount.publicKeyPem,
    );
  });

  it('caCertHash equals openssl x509 -pubkey | openssl pkey -pubin -outform der | sha256sum', () => {
    const pubkey = openssl(['x509', '-in', file('ca.crt', pki.clusterCa.certPem), '-noout', '-pubkey']);
    const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: pubkey });
    const sum = execFileSync('sha256sum', [], { input: der, encoding: 'utf8' }).split(' ')[0];
    expect(sum).toMatch(/^[0-9a-f]{64}$/);
    expect(caCertHash(pki.clusterCa.certPem)).toBe(`sha256:${sum}`);
    expect(pki.caCertHash).toBe(`sha256:${sum}`);
  });

  it('serial numbers come from the random source: unique, positive, and repeatable with the same seed', async () => {
    const serials = [pki.clusterCa, pki.frontProxyCa, pki.etcdCa, pki.apiServer, ...pki.users].map(
      (c) => c.serialNumber,
    );
    expect(new Set(serials).size).toBe(serials.length);
    const again = await createClusterPki(baseInput());
    expect(
      [again.clusterCa, again.frontProxyCa, again.etcdCa, again.apiServer, ...again.users].map(
        (c) => c.serialNumber,
      ),
    ).toEqual(serials);
    const opensslSerial = openssl([
      'x509',
      '-in',
      file('s.crt', pki.apiServer.certPem),
      '-noout',
      '-serial',
    ]).trim();
    expect(opensslSerial.toLowerCase()).toBe(`serial=${pki.apiServer.serialNumber}`);
  });

  it('same keys and inputs give the same certificates (all but the ECDSA signature bytes)', async () => {
    const again = await createClusterPki(baseInput());
    const tbs = (pem: string): string =>
      openssl(['x509', '-in', file('t.crt', pem), '-noout', '-text', '-certopt', 'no_sigdump']);
    for (const [a, b] of [
      [pki.clusterCa, again.clusterCa],
      [pki.apiServer, again.apiServer],
      [pki.users[1], again.users[1]],
    ] as const) {
      expect(tbs(b?.certPem ?? '')).toBe(tbs(a?.certPem ?? ''));
    }
  });

  it('with RSA keys the output is byte-identical for the same keys and inputs', async () => {
    const rsa = await generateKeyPair('rsa-2048');
    const input = {
      now: NOW,
      commonName: 'kubernetes',
      key: rsa,
    };
    const a = await createCertificateAuthority({ ...input, randomBytes: seeded('rsa') });
    const b = await createCertificateAuthority({ ...input, randomBytes: seeded('rsa') });
    expect(b.certPem).toBe(a.certPem);
    expect(verify(a.certPem, a.certPem).status).toBe(0);
  });

  it('refuses repeated user names', async () => {
    await expect(
      createClusterPki(
        baseInput({
          users: [
            { name: 'u', key: adminKey },
            { name: 'u', key: devKey },
          ],
        }),
      ),
    ).rejects.toMatchObject({ code: 'KUBE_INVALID_INPUT' });
  });
});
