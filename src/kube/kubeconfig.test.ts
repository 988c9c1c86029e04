// Tests for kubeconfig rendering (M63), read back by the real kubectl, and used by kubectl over
// mutual TLS against a local HTTPS server; they fail, not skip, when kubectl is missing.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from './keys.js';
import { apiServerUrl, renderClusterInfoKubeconfig, renderKubeconfig } from './kubeconfig.js';
import { createClusterPki, generateClusterPkiKeys } from './pki.js';
import type { ClusterPki } from './pki.js';

const dir = mkdtempSync(join(tmpdir(), 'kuberack-kubeconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
// kubectl keeps caches under $HOME/.kube: point it at the temp folder.
const env = { ...process.env, HOME: dir, KUBECONFIG: '' };

function file(name: string, content: string): string {
  const path = join(dir, `${fileCount++}-${name}`);
  writeFileSync(path, content);
  return path;
}

interface ViewedConfig {
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data'?: string } }[];
  users: { name: string; user: Record<string, string> }[];
  contexts: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  'current-context': string;
}

function kubectlView(yaml: string, raw = true): ViewedConfig {
  const args = ['config', 'view', '--kubeconfig', file('config', yaml), '-o', 'json'];
  if (raw) args.push('--raw');
  return JSON.parse(execFileSync('kubectl', args, { encoding: 'utf8', env })) as ViewedConfig;
}

let pki: ClusterPki;
const clusterName = 'c-gpu-1';
const endpoints = { internal: '192.168.0.10', public: '47.100.1.2' };

beforeAll(async () => {
  const [keys, adminKey] = await Promise.all([generateClusterPkiKeys(), generateKeyPair()]);
  pki = await createClusterPki({
    now: new Date(),
    randomBytes: (n) => randomBytes(n),
    keys,
    serviceCidr: '172.21.0.0/20',
    internalEndpoint: endpoints.internal,
    publicEndpoint: endpoints.public,
    users: [{ name: 'kubernetes-admin', groups: ['kubeadm:cluster-admins'], key: adminKey, validityDays: 7 }],
  });
});

function adminCredential(): { clientCertPem: string; clientKeyPem: string } {
  const admin = pki.users[0];
  if (!admin) throw new Error('no admin user');
  return { clientCertPem: admin.certPem, clientKeyPem: admin.keyPem };
}

describe('kubeconfig', () => {
  it('kubectl is installed (these tests need the real binary)', () => {
    expect(
      execFileSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8', env }),
    ).toContain('clientVersion');
  });

  it('M63 internal-endpoint kubeconfig: kubectl reads server, CA, user and current context', () => {
    const out = renderKubeconfig({
      clusterName,
      endpoints,
      endpoint: 'internal',
      caCertPem: pki.clusterCa.certPem,
      userName: 'kubernetes-admin',
      credential: adminCredential(),
    });
    expect(out.server).toBe('https://192.168.0.10:6443');
    const view = kubectlView(out.yaml);
    expect(view.clusters).toEqual([
      {
        name: clusterName,
        cluster: { server: 'https://192.168.0.10:6443', 'certificate-authority-data': expect.any(String) },
      },
    ]);
    const ca = Buffer.from(
      view.clusters[0]?.cluster['certificate-authority-data'] ?? '',
      'base64',
    ).toString();
    expect(ca).toBe(pki.clusterCa.certPem);
    expect(view.users[0]?.name).toBe('kubernetes-admin');
    expect(Buffer.from(view.users[0]?.user['client-certificate-data'] ?? '', 'base64').toString()).toBe(
      pki.users[0]?.certPem,
    );
    expect(Buffer.from(view.users[0]?.user['client-key-data'] ?? '', 'base64').toString()).toBe(
      pki.users[0]?.keyPem,
    );
    expect(view.contexts).toEqual([
      { name: 'kubernetes-admin@c-gpu-1', context: { cluster: clusterName, user: 'kubernetes-admin' } },
    ]);
    expect(view['current-context']).toBe('kubernetes-admin@c-gpu-1');
    // Without --raw kubectl redacts the key material but still shows the user.
    const redacted = kubectlView(out.yaml, false);
    expect(redacted.users[0]?.user['client-key-data']).toMatch(/REDACTED|OMITTED/);
  });

  it('M63 public-endpoint kubeconfig points at the EIP', () => {
    const out = renderKubeconfig({
      clusterName,
      endpoints,
      endpoint: 'public',
      caCertPem: pki.clusterCa.certPem,
      userName: 'kubernetes-admin',
      credential: adminCredential(),
    });
    expect(kubectlView(out.yaml).clusters[0]?.cluster.server).toBe('https://47.100.1.2:6443');
    expect(out.endpoint).toBe('public');
  });

  it('M63 asking for the public endpoint of a cluster without one is KUBE_INVALID_INPUT', () => {
    expect(() =>
      renderKubeconfig({
        clusterName,
        endpoints: { internal: endpoints.internal },
        endpoint: 'public',
        caCertPem: pki.clusterCa.certPem,
        userName: 'kubernetes-admin',
        credential: adminCredential(),
      }),
    ).toThrow(expect.objectContaining({ code: 'KUBE_INVALID_INPUT' }));
  });

  it('M63 the credential expiry is returned as metadata, not written into the YAML', () => {
    const out = renderKubeconfig({
      clusterName,
      endpoints,
      endpoint: 'internal',
      caCertPem: pki.clusterCa.certPem,
      userName: 'kubernetes-admin',
      credential: adminCredential(),
    });
    // openssl-free check: the client certificate's notAfter, to the second.
    expect(out.expiresAt?.getTime()).toBe(Math.floor((pki.users[0]?.notAfter.getTime() ?? 0) / 1000) * 1000);
    expect(out.yaml).not.toMatch(/expir/i);
  });

  it('M63 per-user token kubeconfig, with namespace and custom context name', () => {
    const expiresAt = new Date('2030-01-01T00:00:00Z');
    const out = renderKubeconfig({
      clusterName,
      endpoints,
      endpoint: 'internal',
      port: 8443,
      caCertPem: pki.clusterCa.certPem,
      userName: 'ram-user-42',
      credential: { token: 'abcdef.0123456789abcdef', expiresAt },
      contextName: 'ram-42',
      namespace: 'team-a',
    });
    const view = kubectlView(out.yaml);
    expect(view.clusters[0]?.cluster.server).toBe('https://192.168.0.10:8443');
    expect(view.users).toEqual([{ name: 'ram-user-42', user: { token: 'abcdef.0123456789abcdef' } }]);
    expect(view.contexts[0]).toEqual({
      name: 'ram-42',
      context: { cluster: clusterName, user: 'ram-user-42', namespace: 'team-a' },
    });
    expect(view['current-context']).toBe('ram-42');
    expect(out.expiresAt).toEqual(expiresAt);
  });

  it('API server URL puts IPv6 hosts in brackets and refuses bad ports', () => {
    expect(apiServerUrl('2001:db8::1')).toBe('https://[2001:db8::1]:6443');
    expect(apiServerUrl('api.example.com', 443)).toBe('https://api.example.com:443');
    expect(() => apiServerUrl('10.0.0.1', 70000)).toThrow(
      expect.objectContaining({ code: 'KUBE_INVALID_INPUT' }),
    );
  });

  it('cluster-info kubeconfig (discovery) has the server and CA, and no users', () => {
    const yaml = renderClusterInfoKubeconfig({
      server: 'https://192.168.0.10:6443',
      caCertPem: pki.clusterCa.certPem,
    });
    const view = kubectlView(yaml);
    expect(view.clusters[0]?.cluster.server).toBe('https://192.168.0.10:6443');
    expect(
      Buffer.from(view.clusters[0]?.cluster['certificate-authority-data'] ?? '', 'base64').toString(),
    ).toBe(pki.clusterCa.certPem);
    expect(view.users ?? []).toEqual([]);
  });

  it('M63 kubectl with the rendered kubeconfig completes mutual TLS with a server using the API server certificate', async () => {
    const server = createServer(
      {
        cert: pki.apiServer.certPem,
        key: pki.apiServer.keyPem,
        ca: pki.clusterCa.certPem,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({ user: peer.subject.CN, groups: peer.subject.O, path: req.url?.split('?')[0] }),
        );
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const out = renderKubeconfig({
        clusterName,
        endpoints: { internal: '127.0.0.1' },
        endpoint: 'internal',
        port,
        caCertPem: pki.clusterCa.certPem,
        userName: 'kubernetes-admin',
        credential: adminCredential(),
      });
      const { stdout } = await promisify(execFile)(
        'kubectl',
        ['--kubeconfig', file('live', out.yaml), 'get', '--raw', '/version', '--request-timeout=10s'],
        { encoding: 'utf8', env },
      );
      expect(JSON.parse(stdout)).toEqual({
        user: 'kubernetes-admin',
        groups: 'kubeadm:cluster-admins',
        path: '/version',
      });
      // A host name that is not among the SANs is refused by kubectl's TLS check.
      const wrongHost = renderKubeconfig({
        clusterName,
        endpoints: { internal: 'localhost' },
        endpoint: 'internal',
        port,
        caCertPem: pki.clusterCa.certPem,
        userName: 'kubernetes-admin',
        credential: adminCredential(),
      });
      await expect(
        promisify(execFile)(
          'kubectl',
          [
            '--kubeconfig',
            file('wrong', wrongHost.yaml),
            'get',
            '--raw',
            '/version',
            '--request-timeout=10s',
          ],
          { encoding: 'utf8', env },
        ),
      ).rejects.toMatchObject({ stderr: expect.stringMatching(/x509|certificate/) });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
