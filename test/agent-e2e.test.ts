// The node agent end to end (issue 7): a real server, a cluster on the emulator, and the real
// `kuberack agent` process with a fake nvidia-smi on PATH printing the A100 MIG fixture. It registers,
// heartbeats, shows its GPUs and labels in node detail, turns NotReady when killed, and so on.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedRequest, type Credentials } from '../src/api/client.js';
import { validateNodeReport } from '../src/domain/node/index.js';
import { registerBootedNodes } from '../src/main/emulated-nodes.js';
import type { RunningServer } from '../src/main/server.js';
import { exampleSpec } from './support/engine-world.js';
import { fakeNvidiaSmi, type FakeNvidiaSmi } from './support/fake-nvidia-smi.js';
import { startTestServer, type TestServer } from './support/test-server.js';

// Loose JSON for assertions on response bodies.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const ROOT = resolve(import.meta.dirname, '..');
const A100_XML = join(ROOT, 'test/fixtures/nvidia-smi/xml/telegraf__a100-sxm4-v12.xml');
const A100_UUID = 'GPU-513536b6-7d19-9063-b049-1e69664bb298';
const ADMIN: Credentials = {
  accessKeyId: 'KRAGENTADMIN01',
  accessKeySecret: 'agent-admin-secret-0123456789',
};

let test: TestServer;
let server: RunningServer;
let fake: FakeNvidiaSmi;
let dir: string;
let clusterId: string;
let token: string;
let agent: ChildProcess | undefined;
let agentErr = '';

async function until<T>(f: () => Promise<T | undefined | false>, what: string, tries = 400): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function nodes(): Promise<Json[]> {
  const r = await signedRequest(server.url, ADMIN, 'GET', `/v1/clusters/${clusterId}/nodes`);
  expect(r.status).toBe(200);
  return (r.body as Json).items as Json[];
}

async function agentNode(): Promise<Json> {
  const r = await signedRequest(server.url, ADMIN, 'GET', `/v1/clusters/${clusterId}/nodes/i-agent-0`);
  return r.status === 200 ? r.body : undefined;
}

function writeConfig(name: string, config: Record<string, unknown>): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(config), { mode: 0o600 });
  return path;
}

function runAgent(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/bin.ts'), 'agent', ...args], {
    cwd: ROOT,
    env: { ...process.env, PATH: fake.path },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finish(child: ChildProcess): Promise<{ code: number | null; out: string; err: string }> {
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((ok) => child.on('close', (code) => ok({ code, out, err })));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kuberack-agent-e2e-'));
  const list = join(dir, 'a100.L.txt');
  // `-L` consistent with the fixture: its four 19968 MiB MIG devices are 2g.20gb instances.
  writeFileSync(
    list,
    `GPU 0: NVIDIA A100-SXM4-80GB (UUID: ${A100_UUID})\n` +
      [0, 1, 2, 3]
        .map((i) => `  MIG 2g.20gb     Device  ${i}: (UUID: MIG-0000000${i}-aaaa-bbbb-cccc-dddddddddddd)\n`)
        .join(''),
  );
  fake = fakeNvidiaSmi({ kind: 'fixture', xml: A100_XML, list });
  test = await startTestServer(ADMIN, { keyPair: 'my-key' });
  server = test.server;
  const created = await signedRequest(server.url, ADMIN, 'POST', '/v1/clusters', { spec: exampleSpec() });
  expect(created.status).toBe(202);
  clusterId = (created.body as Json).clusterId as string;
  // A node row whose token we know, as the engine makes one for each planned worker.
  token = await server.runtime.registry.tokenFor(clusterId, 'agent-node-0');
}, 60_000);

afterAll(async () => {
  agent?.kill('SIGKILL');
  await test?.stop();
  fake?.remove();
  rmSync(dir, { recursive: true, force: true });
});

describe('M62 M1 the node agent against a real server', () => {
  it('M62 M1 the agent process registers the node with the fixture GPUs, MIG devices and labels', async () => {
    const config = writeConfig('agent.json', {
      server: server.url,
      clusterId,
      token,
      nodeName: 'gpu-agent-0',
      instanceId: 'i-agent-0',
    });
    agent = runAgent(['--config', config, '--interval', '1s', '--metadata-url', 'none']);
    agent.stderr?.on('data', (c: Buffer) => (agentErr += c.toString()));
    const node = await until(async () => {
      const n = await agentNode();
      return n?.status === 'Ready' ? n : undefined;
    }, 'the agent to register');
    expect(node).toMatchObject({ instanceId: 'i-agent-0', nodeName: 'gpu-agent-0', heartbeatSeconds: 1 });
    expect(node.node.agentVersion).toBe('0.1.0');
    expect(node.gpus).toHaveLength(1);
    expect(node.gpus[0]).toMatchObject({
      product: 'NVIDIA A100-SXM4-80GB',
      uuid: A100_UUID,
      memoryTotalMiB: 81920,
      pciBusId: '00000000:01:00.0',
      migMode: 'enabled',
    });
    expect(node.gpus[0].migDevices.map((d: Json) => `${d.profile} ${d.memoryTotalMiB}`)).toEqual(
      Array(4).fill('2g.20gb 19968'),
    );
    expect(node.labels).toMatchObject({
      'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB',
      'nvidia.com/gpu.count': '1',
      'nvidia.com/gpu.memory': '81920',
      'nvidia.com/gpu.family': 'ampere',
      'nvidia.com/mig.strategy': 'mixed',
      'nvidia.com/mig-2g.20gb.count': '4',
      'aliyun.accelerator/nvidia_name': 'NVIDIA-A100-SXM4-80GB',
      'aliyun.accelerator/nvidia_count': '1',
      'aliyun.accelerator/nvidia_mem': '81920MiB',
    });
    expect(node.capacity).toEqual({ 'nvidia.com/gpu': 0, 'nvidia.com/mig-2g.20gb': 4 });
    expect((await nodes()).some((n) => n.instanceId === 'i-agent-0' && n.status === 'Ready')).toBe(true);
    // The agent logs after the server answered; its line may reach us a moment after the node row.
    await expect.poll(() => agentErr, { timeout: 15_000 }).toMatch(/registered as gpu-agent-0 with 1 GPU/);
  });

  it('M62 heartbeats move last_seen_at forward; the first registration time stays', async () => {
    const first = await agentNode();
    const later = await until(async () => {
      const n = await agentNode();
      return n.lastSeenAt > first.lastSeenAt ? n : undefined;
    }, 'a heartbeat');
    expect(later.registeredAt).toBe(first.registeredAt);
  });

  it('M62 the ACK facade DescribeClusterNodes shows the agent node Ready', async () => {
    const r = await signedRequest(server.url, ADMIN, 'GET', `/clusters/${clusterId}/nodes`);
    expect(r.status).toBe(200);
    const mine = ((r.body as Json).nodes as Json[]).find((n) => n.instance_id === 'i-agent-0');
    expect(mine).toMatchObject({ node_status: 'Ready', node_name: 'gpu-agent-0' });
  });

  it('M62 killing the agent turns the node NotReady after three missed heartbeats', async () => {
    agent?.kill('SIGKILL');
    const node = await until(
      async () => {
        const n = await agentNode();
        return n.status === 'NotReady' ? n : undefined;
      },
      'NotReady',
      200,
    );
    expect(node.statusReason).toBe('HeartbeatsMissed');
    const r = await signedRequest(server.url, ADMIN, 'GET', `/clusters/${clusterId}/nodes`);
    expect(((r.body as Json).nodes as Json[]).find((n) => n.instance_id === 'i-agent-0').node_status).toBe(
      'NotReady',
    );
  });

  it('M62 a malformed report is refused with 400 listing every problem, and the stored node is unchanged', async () => {
    const before = await server.db.all("SELECT * FROM nodes WHERE step_key = 'agent-node-0'");
    const r = await fetch(`${server.url}/v1/node-reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        instanceId: 'i-agent-0',
        nodeName: 'gpu agent 0',
        privateIp: '10.0.0.1',
        gpuReport: { driverVersion: '535', cudaVersion: null, gpus: [{ uuid: 'x' }], source: 'xml' },
      }),
    });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    const body = (await r.json()) as Json;
    expect(body.code).toBe('NODE_REPORT_INVALID');
    const paths = (body.problems as Json[]).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(['nodeName', 'gpuReport.gpus[0].uuid', 'gpuReport.gpus[0].product']),
    );
    expect(body.problems.length).toBeGreaterThan(10);
    expect((body.problems as Json[]).every((p) => p.message && p.messageZh)).toBe(true);
    expect(await server.db.all("SELECT * FROM nodes WHERE step_key = 'agent-node-0'")).toEqual(before);
  });

  it('M62 `kuberack agent --dry-run` prints a valid report, without the token, and exits 0', async () => {
    const config = writeConfig('dry.json', {
      server: 'http://127.0.0.1:9',
      clusterId,
      token,
      nodeName: null,
    });
    const r = await finish(runAgent(['--config', config, '--dry-run']));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as Json;
    expect(validateNodeReport(report).ok).toBe(true);
    expect(report.gpuReport.gpus[0].uuid).toBe(A100_UUID);
    expect(r.out + r.err).not.toContain(token);
  });

  it('M1 an agent whose token the server does not know stops with exit 3, never logging the token', async () => {
    const bogus = 'krn_this-token-was-revoked-0000000000';
    const config = writeConfig('revoked.json', {
      server: server.url,
      clusterId,
      token: bogus,
      nodeName: 'x1',
      instanceId: 'i-x1',
    });
    const r = await finish(runAgent(['--config', config, '--interval', '1s', '--metadata-url', 'none']));
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/does not know this node's token/);
    expect(r.out + r.err).not.toContain(bogus);
  });

  it('M62 emulated workers report through the same path and keep heartbeating, so they stay Ready', async () => {
    const emulated = await until(async () => {
      const list = (await nodes()).filter((n) => n.step !== 'agent-node-0');
      return list.length > 0 && list.every((n) => n.status === 'Ready') ? list : undefined;
    }, 'the emulated workers to register');
    expect(emulated.every((n) => n.heartbeatSeconds === 10 && n.labels['nvidia.com/gpu.count'])).toBe(true);
    // One pass of the pump ten seconds on: every running worker heartbeats again (the cheap path).
    await registerBootedNodes(server.emulator, server.runtime.registry, undefined, Date.now() + 10_000);
    const after = (await nodes()).filter((n) => n.step !== 'agent-node-0');
    for (const n of after) {
      const before = emulated.find((e) => e.step === n.step);
      expect(n.lastSeenAt).toBeGreaterThan(before.lastSeenAt);
      expect(n.registeredAt).toBe(before.registeredAt);
    }
  });

  it('an invalid configuration exits 2 and names the problem', async () => {
    const config = writeConfig('bad.json', { server: 'nowhere', clusterId, token });
    const r = await finish(runAgent(['--config', config]));
    expect(r.code).toBe(2);
    expect(r.err).toContain('server must be an http');
    expect(r.err).not.toContain(token);
  });
});
