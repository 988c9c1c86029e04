// The real kubectl against an emulated cluster (issue 5): create a GPU cluster over the native API,
// fetch its kubeconfig, and kubectl lists, shows and describes the nodes with their GPUs; writes are
// refused with a Status, and a client certificate of another cluster's CA is refused by TLS.
import { execFile, execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { signedRequest, type Credentials } from '../src/api/client.js';
import { createClientCertificate, generateKeyPair } from '../src/kube/index.js';
import type { RunningServer } from '../src/main/server.js';
import { exampleSpec } from './support/engine-world.js';
import { startTestServer, type TestServer } from './support/test-server.js';

// Loose JSON for assertions on kubectl's output.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const ADMIN: Credentials = {
  accessKeyId: 'KRKUBECTLE2E01',
  accessKeySecret: 'kubectl-e2e-secret-0123456789',
};

function present(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// The tools are required in CI (the test then fails on them); elsewhere a missing one skips the file.
const tools = present('kubectl') && present('openssl');
const dir = mkdtempSync(join(tmpdir(), 'kuberack-kubectl-'));
let test: TestServer;
let server: RunningServer;

interface Cluster {
  id: string;
  kubeconfig: string;
  file: string;
  doc: Json;
  bundle: { caCertPem: string; caKeyPem: string };
}
const clusters: Cluster[] = [];

function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      { env: { ...process.env, HOME: dir, KUBECONFIG: '' }, timeout: 60_000, maxBuffer: 8 << 20 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number(error.code ?? 1) || 1 : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        }),
    );
    child.stdin?.end();
  });
}

/** kubectl with its own discovery cache, so that clusters at one address never share one. */
function kubectl(file: string, ...args: string[]) {
  return run('kubectl', [
    '--kubeconfig',
    file,
    '--cache-dir',
    join(dir, `cache-${clusters.length}-${file.length}`),
    ...args,
  ]);
}

async function createCluster(name: string): Promise<string> {
  const r = await signedRequest(server.url, ADMIN, 'POST', '/v1/clusters', {
    spec: { ...exampleSpec(), name },
  });
  expect(r.status).toBe(202);
  const { clusterId, taskId } = r.body as Json;
  for (let i = 0; i < 1200; i++) {
    const state = ((await signedRequest(server.url, ADMIN, 'GET', `/v1/tasks/${taskId}`)).body as Json).state;
    if (state === 'succeeded') return clusterId as string;
    if (state === 'failed') throw new Error(`cluster ${name} failed`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`timed out creating ${name}`);
}

async function kubeconfigOf(id: string, endpoint: 'public' | 'internal'): Promise<string> {
  const r = await signedRequest(
    server.url,
    ADMIN,
    'GET',
    `/v1/clusters/${id}/kubeconfig?endpoint=${endpoint}&minutes=60`,
  );
  expect(r.status).toBe(200);
  return (r.body as Json).kubeconfig as string;
}

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

/** The kubeconfig with another user credential in it. */
function withCredential(doc: Json, certPem: string, keyPem: string): string {
  const copy = structuredClone(doc);
  copy.users[0].user['client-certificate-data'] = Buffer.from(certPem).toString('base64');
  copy.users[0].user['client-key-data'] = Buffer.from(keyPem).toString('base64');
  return stringifyYaml(copy);
}

/** CONNECT through the tunnel, then TLS with the given client certificate; what the server answers. */
async function tlsThroughTunnel(
  c: Cluster,
  certPem: string,
  keyPem: string,
): Promise<{ secure: boolean; data: string; error: string }> {
  const proxy = new URL(c.doc.clusters[0].cluster['proxy-url'] as string);
  const target = new URL(c.doc.clusters[0].cluster.server as string);
  const raw = netConnect(Number(proxy.port), proxy.hostname);
  await new Promise<void>((ok, fail) => {
    raw.once('error', fail);
    raw.once('connect', () => ok());
  });
  raw.write(
    `CONNECT ${target.host} HTTP/1.1\r\nHost: ${target.host}\r\nProxy-Authorization: Basic ${Buffer.from(`${proxy.username}:`).toString('base64')}\r\n\r\n`,
  );
  const head = await new Promise<string>((ok) => raw.once('data', (d: Buffer) => ok(d.toString('utf8'))));
  expect(head).toMatch(/^HTTP\/1\.1 200/);
  return new Promise((resolve) => {
    let secure = false;
    let data = '';
    let error = '';
    const s: TLSSocket = tlsConnect({
      socket: raw,
      ca: c.bundle.caCertPem,
      cert: certPem,
      key: keyPem,
      host: target.hostname,
    });
    s.on('secureConnect', () => {
      secure = true;
      s.write(`GET /version HTTP/1.1\r\nHost: ${target.host}\r\nConnection: close\r\n\r\n`);
    });
    s.on('data', (d: Buffer) => (data += d.toString('utf8')));
    s.on('error', (e: Error) => (error = e.message));
    s.on('close', () => resolve({ secure, data, error }));
  });
}

beforeAll(async () => {
  if (!tools && process.env.CI !== 'true') return;
  test = await startTestServer(ADMIN, { keyPair: 'my-key' });
  server = test.server;
  // Two clusters made from one spec: the same VPC CIDR, so their internal SLB addresses may coincide.
  const ids = await Promise.all([createCluster('gpu-e2e-a'), createCluster('gpu-e2e-b')]);
  for (const [i, id] of ids.entries()) {
    const kubeconfig = await kubeconfigOf(id, 'public');
    const bundle = JSON.parse(
      (await server.runtime.engine.secrets(id).get('pki/bundle')) ?? '{}',
    ) as Cluster['bundle'];
    clusters.push({
      id,
      kubeconfig,
      file: write(`kubeconfig-${i}`, kubeconfig),
      doc: parseYaml(kubeconfig),
      bundle,
    });
  }
}, 180_000);

afterAll(async () => {
  await test?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!tools && process.env.CI !== 'true')(
  'kubectl against the emulated control plane',
  { timeout: 120_000 },
  () => {
    it('kubectl and openssl are installed (CI needs them)', () => {
      expect(present('kubectl')).toBe(true);
      expect(present('openssl')).toBe(true);
    });

    it('M63 the kubeconfig names the API server SLB/EIP address it certifies, reached through the loopback tunnel', async () => {
      const [a] = clusters as [Cluster];
      const eip = (await server.db.one<{ outputs: string }>(
        `SELECT outputs FROM steps WHERE cluster_id = $1 AND step_key = 'eip/api-server'`,
        [a.id],
      ))!;
      const cluster = a.doc.clusters[0].cluster;
      expect(cluster.server).toBe(`https://${(JSON.parse(eip.outputs) as Json).ip}:6443`);
      expect(cluster['proxy-url']).toBe(`http://${a.id}@127.0.0.1:${server.runtime.controlPlane?.port}`);
      const view = await kubectl(a.file, 'config', 'view', '-o', 'json');
      expect(view.code, view.stderr).toBe(0);
      expect((JSON.parse(view.stdout) as Json).clusters[0].cluster['proxy-url']).toBe(cluster['proxy-url']);
    });

    it('M62 M63 kubectl get nodes -o json: every registered node, its nvidia.com/gpu capacity, GPU labels, Ready', async () => {
      const [a] = clusters as [Cluster];
      const r = await kubectl(a.file, 'get', 'nodes', '-o', 'json');
      expect(r.code, r.stderr).toBe(0);
      const list = JSON.parse(r.stdout) as Json;
      expect(list.kind).toBe('List');
      expect(list.items).toHaveLength(3);
      const registered = await server.db.all<{ node_name: string; private_ip: string }>(
        'SELECT node_name, private_ip FROM nodes WHERE cluster_id = $1 ORDER BY node_name',
        [a.id],
      );
      expect(list.items.map((n: Json) => n.metadata.name)).toEqual(registered.map((n) => n.node_name));
      for (const node of list.items as Json[]) {
        expect(node.kind).toBe('Node');
        expect(node.status.capacity['nvidia.com/gpu']).toBe('1');
        expect(node.status.allocatable['nvidia.com/gpu']).toBe('1');
        expect(node.status.capacity.cpu).toBe('8');
        expect(node.metadata.labels).toMatchObject({
          'nvidia.com/gpu.present': 'true',
          'nvidia.com/gpu.product': 'NVIDIA-A10',
          'nvidia.com/gpu.count': '1',
          'aliyun.accelerator/nvidia_name': 'NVIDIA-A10',
          'aliyun.accelerator/nvidia_count': '1',
          'node.kubernetes.io/instance-type': 'ecs.gn7i-c8g1.2xlarge',
          'topology.kubernetes.io/region': 'cn-hangzhou',
          'topology.kubernetes.io/zone': 'cn-hangzhou-i',
          'kubernetes.io/hostname': node.metadata.name,
        });
        expect(node.metadata.labels['nvidia.com/gpu.memory']).toMatch(/^\d+$/);
        const ready = node.status.conditions.find((c: Json) => c.type === 'Ready');
        expect(ready.status).toBe('True');
        expect(node.spec.taints).toContainEqual({
          key: 'nvidia.com/gpu',
          value: 'present',
          effect: 'NoSchedule',
        });
        const ip = node.status.addresses.find((x: Json) => x.type === 'InternalIP').address;
        expect(registered.map((n) => n.private_ip)).toContain(ip);
        expect(node.status.nodeInfo.kubeletVersion).toBe('v1.34.1-aliyun.1');
        expect(node.status.nodeInfo.containerRuntimeVersion).toMatch(/^containerd:\/\//);
      }
      // Label selectors are applied by the server.
      const none = await kubectl(
        a.file,
        'get',
        'nodes',
        '-l',
        'nvidia.com/gpu.product=NVIDIA-H100',
        '-o',
        'json',
      );
      expect(none.code, none.stderr).toBe(0);
      expect((JSON.parse(none.stdout) as Json).items).toEqual([]);
    });

    it('M62 kubectl get nodes -o wide prints the server-side table with INTERNAL-IP', async () => {
      const [a] = clusters as [Cluster];
      const r = await kubectl(a.file, 'get', 'nodes', '-o', 'wide');
      expect(r.code, r.stderr).toBe(0);
      const [header, ...rows] = r.stdout.trim().split('\n');
      expect(header?.split(/\s{2,}/)).toEqual([
        'NAME',
        'STATUS',
        'ROLES',
        'AGE',
        'VERSION',
        'INTERNAL-IP',
        'EXTERNAL-IP',
        'OS-IMAGE',
        'KERNEL-VERSION',
        'CONTAINER-RUNTIME',
      ]);
      expect(rows).toHaveLength(3);
      const ips = await server.db.all<{ private_ip: string }>(
        'SELECT private_ip FROM nodes WHERE cluster_id = $1',
        [a.id],
      );
      for (const row of rows) {
        const cells = row.split(/\s{2,}/);
        expect(cells[1]).toBe('Ready');
        expect(cells[4]).toBe('v1.34.1-aliyun.1');
        expect(ips.map((i) => i.private_ip)).toContain(cells[5]);
      }
    });

    it('M62 kubectl describe node shows the GPU capacity, the lease and no pods', async () => {
      const [a] = clusters as [Cluster];
      const name = (await server.db.one<{ node_name: string }>(
        'SELECT node_name FROM nodes WHERE cluster_id = $1',
        [a.id],
      ))!.node_name;
      const r = await kubectl(a.file, 'describe', 'node', name);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Name:\\s+${name.replace(/\./g, '\\.')}$`, 'm'));
      const capacity = /^Capacity:\n((?:\s+.+\n)+)/m.exec(r.stdout)?.[1] ?? '';
      expect(capacity).toMatch(/nvidia\.com\/gpu:\s+1/);
      expect(r.stdout).toMatch(/^Taints:\s+nvidia\.com\/gpu=present:NoSchedule$/m);
      expect(r.stdout).toMatch(/^\s+HolderIdentity:\s+/m);
      expect(r.stdout).toMatch(/^Non-terminated Pods:\s+\(0 in total\)$/m);
      expect(r.stdout).toMatch(/^\s+Ready\s+True\s/m);
    });

    it('M63 kubectl version -o json: the server is the cluster’s Kubernetes version', async () => {
      const [a] = clusters as [Cluster];
      const r = await kubectl(a.file, 'version', '-o', 'json');
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as Json).serverVersion).toMatchObject({
        gitVersion: 'v1.34.1-aliyun.1',
        major: '1',
        minor: '34',
      });
    });

    it('kubectl delete node is refused with MethodNotAllowed, never a fake success; the node stays', async () => {
      const [a] = clusters as [Cluster];
      const name = (await server.db.one<{ node_name: string }>(
        'SELECT node_name FROM nodes WHERE cluster_id = $1',
        [a.id],
      ))!.node_name;
      const r = await kubectl(a.file, 'delete', 'node', name);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/Error from server \(MethodNotAllowed\)/);
      expect((await kubectl(a.file, 'get', 'node', name, '-o', 'name')).stdout.trim()).toBe(`node/${name}`);
      const other = await kubectl(a.file, 'get', 'deployments');
      expect(other.code).not.toBe(0);
    });

    it('M63 the internal-endpoint kubeconfig reaches the same API server (clusters sharing an address are told apart)', async () => {
      const [a, b] = clusters as [Cluster, Cluster];
      for (const c of [a, b]) {
        const file = write(`internal-${c.id}`, await kubeconfigOf(c.id, 'internal'));
        const r = await kubectl(file, 'get', 'nodes', '-o', 'json');
        expect(r.code, r.stderr).toBe(0);
        const names = (JSON.parse(r.stdout) as Json).items.map((n: Json) => n.metadata.name as string);
        const expected = await server.db.all<{ node_name: string }>(
          'SELECT node_name FROM nodes WHERE cluster_id = $1 ORDER BY node_name',
          [c.id],
        );
        expect(names).toEqual(expected.map((n) => n.node_name));
      }
    });

    it('M37 M63 a client certificate from another cluster’s CA is refused by TLS: kubectl fails, tls.connect gets no answer', async () => {
      const [a, b] = clusters as [Cluster, Cluster];
      const bUser = b.doc.users[0].user;
      const foreignCert = Buffer.from(bUser['client-certificate-data'], 'base64').toString('utf8');
      const foreignKey = Buffer.from(bUser['client-key-data'], 'base64').toString('utf8');
      const file = write('foreign', withCredential(a.doc, foreignCert, foreignKey));
      const r = await kubectl(file, 'get', 'nodes');
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/remote error: tls: unknown certificate authority/);
      expect(r.stderr).not.toMatch(/Error from server/);
      const refused = await tlsThroughTunnel(a, foreignCert, foreignKey);
      expect(refused).toMatchObject({ secure: false, data: '' });
      expect(refused.error).toMatch(/alert unknown ca/);
      // The same call with A's own certificate is answered: the refusal is the certificate's.
      const aUser = a.doc.users[0].user;
      const own = await tlsThroughTunnel(
        a,
        Buffer.from(aUser['client-certificate-data'], 'base64').toString('utf8'),
        Buffer.from(aUser['client-key-data'], 'base64').toString('utf8'),
      );
      expect(own.secure).toBe(true);
      expect(own.data).toMatch(/^HTTP\/1\.1 200 /);
      expect(own.data).toContain('"gitVersion":"v1.34.1-aliyun.1"');
    });

    it('M63 an expired client certificate of the right CA is refused by TLS; a user outside the admin groups is Forbidden', async () => {
      const [a] = clusters as [Cluster];
      const ca = { certPem: a.bundle.caCertPem, keyPem: a.bundle.caKeyPem };
      const key = await generateKeyPair();
      const issue = (now: Date, commonName: string, organizations: string[]) =>
        createClientCertificate({
          now,
          randomBytes: (n) => new Uint8Array(n).map(() => Math.floor(Math.random() * 256)),
          ca,
          commonName,
          organizations,
          key,
          validityMinutes: 15,
        });
      const expired = await issue(new Date(Date.now() - 3 * 3600_000), 'kuberack:old', [
        'kubeadm:cluster-admins',
      ]);
      const late = await kubectl(
        write('expired', withCredential(a.doc, expired.certPem, key.privateKeyPem)),
        'get',
        'nodes',
      );
      expect(late.code).not.toBe(0);
      expect(late.stderr).toMatch(/remote error: tls: expired certificate/);
      expect(await tlsThroughTunnel(a, expired.certPem, key.privateKeyPem)).toMatchObject({
        secure: false,
        data: '',
      });
      const fresh = await issue(new Date(), 'kuberack:new', ['kubeadm:cluster-admins']);
      expect((await tlsThroughTunnel(a, fresh.certPem, key.privateKeyPem)).data).toMatch(/^HTTP\/1\.1 200 /);
      const viewer = await issue(new Date(), 'alice', ['developers']);
      const file = write('alice', withCredential(a.doc, viewer.certPem, key.privateKeyPem));
      const denied = await kubectl(file, 'get', 'nodes');
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toContain(
        'Error from server (Forbidden): nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope',
      );
      // Discovery and the version stay open to every authenticated user, as on a real API server.
      expect((await kubectl(file, 'version', '-o', 'json')).code).toBe(0);
    });

    it('the tunnel reaches only a cluster’s own API server listeners, and only by CONNECT', async () => {
      const [a, b] = clusters as [Cluster, Cluster];
      const proxy = new URL(a.doc.clusters[0].cluster['proxy-url'] as string);
      const target = new URL(a.doc.clusters[0].cluster.server as string);
      const connect = (authority: string, user?: string) =>
        new Promise<string>((resolve, reject) => {
          const s = netConnect(Number(proxy.port), proxy.hostname, () => {
            const auth = user
              ? `Proxy-Authorization: Basic ${Buffer.from(`${user}:`).toString('base64')}\r\n`
              : '';
            s.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth}\r\n`);
          });
          s.once('data', (d: Buffer) => {
            resolve(d.toString('utf8').split('\r\n')[0] ?? '');
            s.destroy();
          });
          s.once('error', reject);
        });
      expect(await connect(target.host)).toBe('HTTP/1.1 200 Connection Established');
      expect(await connect(`${target.hostname}:22`, a.id)).toBe('HTTP/1.1 502 Bad Gateway');
      expect(await connect(target.host, b.id)).toBe('HTTP/1.1 502 Bad Gateway');
      expect(await connect('203.0.113.9:6443')).toBe('HTTP/1.1 502 Bad Gateway');
      expect((await fetch(`http://${proxy.host}/api/v1/nodes`)).status).toBe(405);
    });

    it('M37 openssl s_client through the tunnel: the served certificate chains to the cluster CA with the expected SANs', async () => {
      const [a] = clusters as [Cluster];
      const proxy = new URL(a.doc.clusters[0].cluster['proxy-url'] as string);
      const target = new URL(a.doc.clusters[0].cluster.server as string);
      const ca = write('ca.pem', a.bundle.caCertPem);
      const user = a.doc.users[0].user;
      const cert = write(
        'client.pem',
        Buffer.from(user['client-certificate-data'], 'base64').toString('utf8'),
      );
      const key = write('client.key', Buffer.from(user['client-key-data'], 'base64').toString('utf8'));
      const s = await run('openssl', [
        's_client',
        '-proxy',
        proxy.host,
        '-proxy_user',
        proxy.username,
        '-proxy_pass',
        'pass:',
        '-connect',
        target.host,
        '-CAfile',
        ca,
        '-cert',
        cert,
        '-key',
        key,
        '-verify_return_error',
        '-verify_ip',
        target.hostname,
        '-showcerts',
      ]);
      expect(s.stdout).toMatch(/Verify return code: 0 \(ok\)/);
      const served =
        /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/.exec(s.stdout)?.[0] ?? '';
      const servedFile = write('served.pem', served);
      const verified = await run('openssl', ['verify', '-CAfile', ca, servedFile]);
      expect(verified.stdout.trim()).toBe(`${servedFile}: OK`);
      const sans = await run('openssl', ['x509', '-in', servedFile, '-noout', '-ext', 'subjectAltName']);
      const slb = (await server.db.one<{ outputs: string }>(
        `SELECT outputs FROM steps WHERE cluster_id = $1 AND step_key = 'slb/api-server'`,
        [a.id],
      ))!;
      for (const san of [
        'DNS:kubernetes.default.svc.cluster.local',
        `IP Address:${target.hostname}`,
        `IP Address:${(JSON.parse(slb.outputs) as Json).address}`,
        'IP Address:172.21.0.1',
      ])
        expect(sans.stdout).toContain(san);
      expect(new X509Certificate(served).subject).toContain('CN=kube-apiserver');
    });
  },
);
