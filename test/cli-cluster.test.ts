// `kuberack cluster|tasks|nodes` against a running server (issue 8): create with --wait prints the
// stages as they finish, list/get/nodes show the cluster, bad specs exit 1 with every problem, wrong
// credentials exit 3, and delete --wait ends with the cluster gone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { RunningServer } from '../src/main/server.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const ROOT = join(import.meta.dirname, '..');
const AK = 'KRCLITEST000001';
const SK = 'cli-test-secret-0123456789abcdef';
let server: RunningServer;

async function cli(args: string[], files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readFile: (p) => files[p] ?? readFileSync(p, 'utf8'),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer({ accessKeyId: AK, accessKeySecret: SK }, { keyPair: 'my-key' });
  server = test.server;
  process.env.KUBERACK_ENDPOINT = server.url;
  process.env.KUBERACK_ACCESS_KEY_ID = AK;
  process.env.KUBERACK_ACCESS_KEY_SECRET = SK;
});

afterAll(async () => {
  delete process.env.KUBERACK_ENDPOINT;
  delete process.env.KUBERACK_ACCESS_KEY_ID;
  delete process.env.KUBERACK_ACCESS_KEY_SECRET;
  await test.stop();
});

describe('kuberack cluster commands', { timeout: 60_000 }, () => {
  let clusterId = '';

  it('M9 M67 cluster create --wait prints each stage and the task’s success', async () => {
    const r = await cli(['cluster', 'create', '-f', join(ROOT, 'examples', 'gpu-cluster.yaml'), '--wait']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/cluster (c[0-9a-f]{32}) is being created/);
    clusterId = /cluster (c[0-9a-f]{32})/.exec(r.out)?.[1] ?? '';
    for (const stage of ['network', 'security', 'control-plane', 'workers', 'gpus'])
      expect(r.out).toMatch(new RegExp(`done\\s+${stage}`));
    expect(r.out).toMatch(/task T-\S+ succeeded/);
  });

  it('cluster list, get and nodes list show it, in text and JSON', async () => {
    expect((await cli(['cluster', 'list'])).out).toContain(clusterId);
    const get = await cli(['cluster', 'get', clusterId, '-o', 'json']);
    expect((JSON.parse(get.out) as { state: string }).state).toBe('running');
    const yaml = await cli(['cluster', 'get', clusterId, '--output', 'yaml']);
    expect(yaml.out).toMatch(/^id: c[0-9a-f]{32}$/m);
    const nodes = await cli(['nodes', 'list', clusterId]);
    expect(nodes.out.split('\n')).toHaveLength(4);
    expect(nodes.out).toMatch(/^NAME\s+STATUS\s+INTERNAL-IP\s+INSTANCE\s+GPUS$/m);
    expect(nodes.out.match(/ Ready /g)).toHaveLength(3);
    expect(nodes.out).toContain('1 × NVIDIA A10');
    // M51: the example's pattern (aliyun.com + 5 IP digits + test) names every node.
    expect(nodes.out.match(/^aliyun\.com\d{5}test\s/gm)).toHaveLength(3);
    const instance = /\b(i-\S+)/.exec(nodes.out)?.[1] ?? '';
    const node = await cli(['nodes', 'get', clusterId, instance]);
    expect(node.code, node.err).toBe(0);
    expect(node.out).toMatch(/^Status:\s+Ready/m);
    expect(node.out).toMatch(/^GPUs \(1\):$/m);
    expect(node.out).toMatch(/NVIDIA A10\s+GPU-[0-9a-f-]+\s+0000/);
    expect(node.out).toContain('nvidia.com/gpu=1');
    expect((await cli(['nodes', 'get', clusterId, 'no-such-node'])).code).toBe(1);
    expect((await cli(['nodes', 'get', clusterId])).code).toBe(2);
  });

  it('M66 cluster plan prints every step, the quota headroom and the estimated cost, and creates nothing', async () => {
    const before = await server.db.all('SELECT id FROM clusters');
    const r = await cli(['cluster', 'plan', '-f', join(ROOT, 'examples', 'gpu-cluster.yaml')]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Plan for c[0-9a-f]{32}: \d+ steps$/m);
    expect(r.out).toContain('ecs-instance/worker-1');
    expect(r.out).toMatch(/^QUOTA\s+LIMIT\s+USED\s+NEEDED\s+LEFT$/m);
    expect(r.out).toMatch(/Estimated cost: \d+\.\d\d CNY a month/);
    expect(r.out).toContain('Nothing was created.');
    const json = JSON.parse(
      (await cli(['cluster', 'plan', '-f', join(ROOT, 'examples', 'gpu-cluster.yaml'), '-o', 'json'])).out,
    ) as {
      estimatedCost: { monthlyCny: number; items: unknown[] };
    };
    expect(json.estimatedCost.monthlyCny).toBeGreaterThan(0);
    expect(json.estimatedCost.items.length).toBeGreaterThan(2);
    expect(await server.db.all('SELECT id FROM clusters')).toEqual(before);
    expect((await cli(['cluster', 'list', '-o', 'xml'])).code).toBe(2);
  });

  it('a bad spec exits 1 with every problem; wrong credentials exit 3; a missing id exits 2', async () => {
    const bad = await cli(['cluster', 'create', '-f', 'bad.yaml'], {
      'bad.yaml': 'name: ""\nregionId: mars-1\n',
    });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/name:/);
    expect(bad.err).toMatch(/regionId:/);
    process.env.KUBERACK_ACCESS_KEY_SECRET = 'wrong';
    expect((await cli(['cluster', 'list'])).code).toBe(3);
    process.env.KUBERACK_ACCESS_KEY_SECRET = SK;
    expect((await cli(['cluster', 'get'])).code).toBe(2);
  });

  it('M64 cluster delete --wait ends with the cluster gone', async () => {
    const r = await cli(['cluster', 'delete', clusterId, '--wait']);
    expect(r.code, r.err).toBe(0);
    expect((await cli(['cluster', 'get', clusterId])).code).toBe(1);
  });
});
