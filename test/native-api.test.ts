// The native API end to end against a real `startServer` (issue 8, first slice): signed requests
// (tampered, replayed, expired and unknown ones refused), a cluster created, watched and deleted over
// HTTP, tenant isolation on every route, the audit log, and no secret in any response.
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { Authenticator } from '../src/api/auth.js';
import { signedRequest, type ApiResponse, type Credentials } from '../src/api/client.js';
import type { RunningServer } from '../src/main/server.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { exampleSpec } from './support/engine-world.js';

// Loose JSON for assertions on response bodies.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const ADMIN: Credentials = {
  accessKeyId: 'KRTESTADMIN0001',
  accessKeySecret: 'admin-secret-value-0123456789',
};
let other: Credentials;
let server: RunningServer;
const seen: string[] = [];
const logs: string[] = [];

async function call(
  creds: Credentials,
  method: string,
  path: string,
  body?: unknown,
  options = {},
): Promise<ApiResponse> {
  const r = await signedRequest(server.url, creds, method, path, body, options);
  seen.push(JSON.stringify(r.body));
  return r;
}

async function until(f: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await f()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer(ADMIN, { keyPair: 'my-key', log: (line) => logs.push(line) });
  server = test.server;
  // A second tenant on its own cloud account.
  await server.emulator.setAccount({ accessKeyId: 'OtherTenant01', balanceCny: 10_000 });
  const auth = new Authenticator(server.db, server.runtime.box);
  other = await server.db.transaction(async (q) => {
    const t = await auth.createTenant(q, 'other', 'OtherTenant01');
    const k = await auth.issueAccessKey(q, t.tenantId, t.userId);
    return { accessKeyId: k.id, accessKeySecret: k.secret };
  });
});

afterAll(async () => {
  await test.stop();
});

describe('native API: authentication', () => {
  it('refuses unsigned, unknown, tampered, replayed and stale requests with 401', async () => {
    expect((await fetch(`${server.url}/v1/clusters`)).status).toBe(401);
    expect((await call({ ...ADMIN, accessKeySecret: 'wrong' }, 'GET', '/v1/clusters')).status).toBe(401);
    expect((await call({ ...ADMIN, accessKeyId: 'KRNOSUCHKEY' }, 'GET', '/v1/clusters')).status).toBe(401);
    const stale = await call(ADMIN, 'GET', '/v1/clusters', undefined, {
      date: new Date(Date.now() - 20 * 60_000),
    });
    expect(stale.status).toBe(401);
    const nonce = 'replayed-nonce-0001';
    expect((await call(ADMIN, 'GET', '/v1/clusters', undefined, { nonce })).status).toBe(200);
    expect((await call(ADMIN, 'GET', '/v1/clusters', undefined, { nonce })).status).toBe(401);
    // Signed for one body, sent with another.
    const res = await fetch(`${server.url}/v1/clusters`, {
      method: 'POST',
      headers: {
        authorization: `ACS3-HMAC-SHA256 Credential=${ADMIN.accessKeyId},SignedHeaders=host;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce,Signature=${'0'.repeat(64)}`,
        'x-acs-date': new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        'x-acs-signature-nonce': 'tampered-0001',
        'x-acs-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'content-type': 'application/json',
      },
      body: '{"spec":{}}',
    });
    expect(res.status).toBe(401);
  });
});

describe('native API: OpenAPI document', () => {
  it('describes exactly the /v1 routes the server serves (operator routes aside)', async () => {
    const doc = (await (await fetch(`${server.url}/v1/openapi.json`)).json()) as Json;
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const served = server.routes.filter((r) => / \/v1\//.test(r) && !r.includes('/v1/operator/')).sort();
    expect(documented).toEqual(served);
  });
});

describe('native API: catalogue for the console', () => {
  it('M42 regions and zones, instance types with GPUs and stock per zone, versions', async () => {
    const regions = ((await call(ADMIN, 'GET', '/v1/catalogue/regions')).body as Json).items as Json[];
    expect(regions.find((r) => r.regionId === 'cn-hangzhou')?.zones).toEqual(
      expect.arrayContaining(['cn-hangzhou-h', 'cn-hangzhou-i']),
    );
    const types = (
      (await call(ADMIN, 'GET', '/v1/catalogue/instance-types?regionId=cn-hangzhou&category=gpu'))
        .body as Json
    ).items as Json[];
    const a10 = types.find((t) => t.id === 'ecs.gn7i-c8g1.2xlarge');
    expect(a10.inStock).toContain('cn-hangzhou-i');
    expect(a10.soldOut).toContain('cn-hangzhou-h');
    expect(a10.accelerator.description).toMatch(/A10/);
    expect(types.every((t) => t.category === 'gpu')).toBe(true);
    const versions = ((await call(ADMIN, 'GET', '/v1/catalogue/kubernetes-versions')).body as Json)
      .items as Json[];
    expect(versions[0].version).toBe('1.34.1-aliyun.1');
  });

  it('M24 a CIDR recommendation avoids the VPC’s vSwitches; bad parameters are 422 with every problem', async () => {
    const p = server.emulator.provider('KuberackDefault');
    const vpc = await p.createVpc(
      { regionId: 'cn-hangzhou', cidr: '172.16.0.0/12', name: 'rec-vpc' },
      { clientToken: 'rec-vpc', tags: [] },
    );
    await p.createVSwitch(
      {
        regionId: 'cn-hangzhou',
        vpcId: vpc.id,
        zoneId: 'cn-hangzhou-i',
        cidr: '172.16.0.0/16',
        name: 'rec-vsw',
      },
      { clientToken: 'rec-vsw', tags: [] },
    );
    const r = await call(
      ADMIN,
      'GET',
      `/v1/network/recommendation?regionId=cn-hangzhou&vpcId=${vpc.id}&nodeIpCount=64`,
    );
    const rec = ((r.body as Json).items as Json[])[0];
    expect(rec.podCidr).toBeDefined();
    expect(rec.podCidr.startsWith('172.16.')).toBe(false);
    const bad = await call(ADMIN, 'GET', '/v1/network/recommendation?plugin=calico&nodeIpCount=7');
    expect(bad.status).toBe(422);
    expect(((bad.body as Json).problems as Json[]).map((p) => p.path).sort()).toEqual([
      'nodeIpCount',
      'plugin',
    ]);
    expect((await call(ADMIN, 'GET', '/v1/catalogue/images')).status).toBe(422);
  });
});

describe('native API: clusters', () => {
  let clusterId: string;

  it('M66 dry run returns the plan and quota headroom and creates nothing', async () => {
    const r = await call(ADMIN, 'POST', '/v1/clusters', { spec: exampleSpec(), dryRun: true });
    expect(r.status).toBe(200);
    const body = r.body as Json;
    expect(body.plan.steps.length).toBeGreaterThan(30);
    expect(body.refused).toEqual([]);
    expect(((await call(ADMIN, 'GET', '/v1/clusters')).body as Json).items).toEqual([]);
  });

  it('bad input: every problem at once, with paths and both languages, 422 never 5xx', async () => {
    const r = await call(ADMIN, 'POST', '/v1/clusters', {
      spec: { ...exampleSpec(), name: '', regionId: 'mars-1' },
      extra: 1,
    });
    expect(r.status).toBe(422);
    expect(((r.body as Json).problems as Json[]).map((p) => p.path)).toContain('extra');
    const s = await call(ADMIN, 'POST', '/v1/clusters', {
      spec: { ...exampleSpec(), name: '', regionId: 'mars-1' },
    });
    expect(s.status).toBe(422);
    const paths = ((s.body as Json).problems as Json[]).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'regionId']));
    for (const p of (s.body as Json).problems as Json[]) expect(p.messageZh).toMatch(/[\u4e00-\u9fff]/);
  });

  it('M1 M9 M62 M67 create over HTTP, follow the task to success, list nodes with GPUs and the events', async () => {
    const r = await call(ADMIN, 'POST', '/v1/clusters', { spec: exampleSpec() });
    expect(r.status).toBe(202);
    clusterId = (r.body as Json).clusterId;
    const taskId = (r.body as Json).taskId;
    await until(
      async () => ((await call(ADMIN, 'GET', `/v1/tasks/${taskId}`)).body as Json).state === 'succeeded',
      'task',
    );
    const detail = (await call(ADMIN, 'GET', `/v1/clusters/${clusterId}`)).body as Json;
    expect(detail.state).toBe('running');
    const nodes = ((await call(ADMIN, 'GET', `/v1/clusters/${clusterId}/nodes`)).body as Json)
      .items as Json[];
    expect(nodes).toHaveLength(3);
    for (const n of nodes) expect(n.gpus[0].product).toBe('NVIDIA A10');
    const events = ((await call(ADMIN, 'GET', `/v1/clusters/${clusterId}/events`)).body as Json)
      .items as Json[];
    expect(events.some((e) => e.type === 'cluster.state' && e.data.to === 'running')).toBe(true);
  });

  it('M67 M62 detail: version, latest task, steps with stage, dependencies and timings, the critical path; list counts', async () => {
    const detail = (await call(ADMIN, 'GET', `/v1/clusters/${clusterId}`)).body as Json;
    expect(detail.kubernetesVersion).toMatch(/^1\.\d+\.\d+-aliyun\.1$/);
    expect(detail.deletionProtection).toBe(false);
    expect(detail.taskId).toMatch(/^T-/);
    const steps = detail.steps as Json[];
    const worker = steps.find((s) => s.key === 'ecs-instance/worker-1');
    expect(worker).toMatchObject({ stage: 'workers', state: 'done' });
    expect(worker.dependsOn.length).toBeGreaterThan(0);
    expect(worker.estimatedSeconds).toBeGreaterThan(0);
    expect(worker.finishedAt).toBeGreaterThanOrEqual(worker.startedAt);
    // Every step of the path waits on the one before it, and the path ends at the last thing to finish.
    const path = detail.criticalPath.keys as string[];
    expect(path.length).toBeGreaterThan(2);
    for (let i = 1; i < path.length; i++)
      expect(steps.find((s) => s.key === path[i]).dependsOn).toContain(path[i - 1]);
    expect(detail.criticalPath.seconds).toBeGreaterThanOrEqual(0);
    const item = ((await call(ADMIN, 'GET', '/v1/clusters')).body as Json).items.find(
      (c: Json) => c.id === clusterId,
    );
    expect(item).toMatchObject({ nodeCount: 3, gpuCount: 3, kubernetesVersion: detail.kubernetesVersion });
  });

  it('M32 deletion protection can be turned on and off; while on, delete is refused', async () => {
    const on = await call(ADMIN, 'PATCH', `/v1/clusters/${clusterId}`, { deletionProtection: true });
    expect(on.status).toBe(200);
    expect((on.body as Json).deletionProtection).toBe(true);
    const refused = await call(ADMIN, 'DELETE', `/v1/clusters/${clusterId}`);
    expect(refused.status).toBe(409);
    const bad = await call(ADMIN, 'PATCH', `/v1/clusters/${clusterId}`, {
      deletionProtection: 'no',
      name: 'x',
    });
    expect(bad.status).toBe(422);
    expect(((bad.body as Json).problems as Json[]).map((p) => `${p.path}:${p.code}`).sort()).toEqual([
      'deletionProtection:FIELD_TYPE',
      'name:FIELD_UNKNOWN',
    ]);
    expect(
      (await call(other, 'PATCH', `/v1/clusters/${clusterId}`, { deletionProtection: false })).status,
    ).toBe(404);
    const off = await call(ADMIN, 'PATCH', `/v1/clusters/${clusterId}`, { deletionProtection: false });
    expect((off.body as Json).deletionProtection).toBe(false);
  });

  it('M13 quotas with their use, and a quota ticket; M14 a node converted to subscription', async () => {
    const q = (await call(ADMIN, 'GET', '/v1/quotas?regionId=cn-hangzhou')).body as Json;
    const eips = (q.items as Json[]).find((i) => i.quota === 'vpc.eips');
    expect(eips).toMatchObject({ limit: 20, scope: 'account' });
    expect(eips.used).toBeGreaterThanOrEqual(2);
    const bad = await call(ADMIN, 'POST', '/v1/quota-requests', {
      quota: 'vpc.nope',
      requestedLimit: 'lots',
    });
    expect(bad.status).toBe(422);
    expect(((bad.body as Json).problems as Json[]).map((p) => p.path).sort()).toEqual([
      'quota',
      'reason',
      'requestedLimit',
    ]);
    const ticket = await call(ADMIN, 'POST', '/v1/quota-requests', {
      quota: 'vpc.eips',
      requestedLimit: 40,
      reason: 'more clusters',
    });
    expect(ticket.status).toBe(201);
    expect((ticket.body as Json).state).toBe('pending');
    expect(((await call(ADMIN, 'GET', '/v1/quota-requests')).body as Json).items).toHaveLength(1);

    // M14 on a cluster of its own: once a node is a subscription, the cluster cannot be deleted before its term.
    const sub = await call(ADMIN, 'POST', '/v1/clusters', { spec: { ...exampleSpec(), name: 'subscribed' } });
    const subId = (sub.body as Json).clusterId as string;
    await until(
      async () => ((await call(ADMIN, 'GET', `/v1/clusters/${subId}`)).body as Json).state === 'running',
      'running',
    );
    const subNodes = ((await call(ADMIN, 'GET', `/v1/clusters/${subId}/nodes`)).body as Json).items as Json[];
    const instanceId = subNodes[0].instanceId as string;
    const before = (await server.emulator.account('KuberackDefault'))?.balanceCents ?? 0;
    const conv = await call(ADMIN, 'POST', `/v1/clusters/${subId}/nodes/${instanceId}/subscription`, {
      months: 1,
    });
    expect(conv.status, JSON.stringify(conv.body)).toBe(200);
    expect((conv.body as Json).feeCny).toBeGreaterThan(0);
    expect((await server.emulator.account('KuberackDefault'))?.balanceCents).toBeLessThan(before);
    expect(
      (await call(other, 'POST', `/v1/clusters/${subId}/nodes/${instanceId}/subscription`, { months: 1 }))
        .status,
    ).toBe(404);
    const refused = await call(ADMIN, 'DELETE', `/v1/clusters/${subId}`);
    expect(refused.status).toBe(409);
    expect((refused.body as Json).code).toBe('ENGINE_SUBSCRIPTION_NODES');
    expect(((await call(ADMIN, 'GET', `/v1/clusters/${subId}`)).body as Json).state).toBe('running');
  });

  it('M63 kubeconfig: a client certificate from the cluster CA for the API server endpoint, with the expiry asked for', async () => {
    // Not recorded in `seen`: the one response that issues a credential carries its key, by design.
    const r = await signedRequest(
      server.url,
      ADMIN,
      'GET',
      `/v1/clusters/${clusterId}/kubeconfig?endpoint=public&minutes=60`,
    );
    expect(r.status).toBe(200);
    const body = r.body as Json;
    const doc = parseYaml(body.kubeconfig as string) as Json;
    const eip = await server.db.one<{ outputs: string }>(
      `SELECT outputs FROM steps WHERE cluster_id = $1 AND step_key = 'eip/api-server'`,
      [clusterId],
    );
    expect(doc.clusters[0].cluster.server).toBe(
      `https://${(JSON.parse(eip?.outputs ?? '{}') as Json).ip}:6443`,
    );
    const ca = new X509Certificate(
      Buffer.from(doc.clusters[0].cluster['certificate-authority-data'], 'base64'),
    );
    const cert = new X509Certificate(Buffer.from(doc.users[0].user['client-certificate-data'], 'base64'));
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.subject).toContain('O=kubeadm:cluster-admins');
    const minutes = (body.expiresAt - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(55);
    expect(minutes).toBeLessThanOrEqual(60);
    const bad = await call(ADMIN, 'GET', `/v1/clusters/${clusterId}/kubeconfig?endpoint=sideways&minutes=1`);
    expect(bad.status).toBe(422);
    expect(((bad.body as Json).problems as Json[]).map((p) => p.path).sort()).toEqual([
      'endpoint',
      'minutes',
    ]);
  });

  it('tenant isolation: another tenant cannot see or touch the cluster by any route', async () => {
    for (const [method, path, body] of [
      ['GET', `/v1/clusters/${clusterId}`],
      ['DELETE', `/v1/clusters/${clusterId}`],
      ['PATCH', `/v1/clusters/${clusterId}`, { deletionProtection: true }],
      ['GET', `/v1/clusters/${clusterId}/nodes`],
      ['GET', `/v1/clusters/${clusterId}/events`],
      ['GET', `/v1/clusters/${clusterId}/kubeconfig`],
      [
        'POST',
        `/v1/clusters/${clusterId}/node-pools`,
        { name: 'x1', instanceTypes: ['ecs.gn6i-c4g1.xlarge'], count: 1 },
      ],
    ] as [string, string, unknown?][]) {
      expect((await call(other, method, path, body)).status, `${method} ${path}`).toBe(404);
    }
    expect(((await call(other, 'GET', '/v1/clusters')).body as Json).items).toEqual([]);
    const tasks = await server.db.all<{ id: string }>('SELECT id FROM tasks WHERE cluster_id = $1', [
      clusterId,
    ]);
    for (const t of tasks) expect((await call(other, 'GET', `/v1/tasks/${t.id}`)).status).toBe(404);
    expect((await call(ADMIN, 'GET', `/v1/clusters/${clusterId}`)).status).toBe(200);
  });

  it('node reports need a known node token', async () => {
    const r = await fetch(`${server.url}/v1/node-reports`, {
      method: 'POST',
      headers: { authorization: 'Bearer krn_unknown', 'content-type': 'application/json' },
      body: JSON.stringify({
        instanceId: 'i-x',
        nodeName: 'n',
        privateIp: '10.0.0.1',
        gpuReport: { gpus: [] },
      }),
    });
    expect(r.status).toBe(401);
  });

  it('M64 delete over HTTP: the cluster ends 404, and the audit log has every mutating call', async () => {
    expect((await call(ADMIN, 'DELETE', `/v1/clusters/${clusterId}`)).status).toBe(202);
    await until(
      async () => (await call(ADMIN, 'GET', `/v1/clusters/${clusterId}`)).status === 404,
      'deleted',
    );
    const audit = await server.db.all<{ action: string; status: number; target: string | null }>(
      'SELECT action, status, target FROM audit_log ORDER BY at',
    );
    expect(audit.map((a) => `${a.action} ${a.status}`)).toEqual(
      expect.arrayContaining([
        'cluster.create 202',
        'cluster.create 422',
        'cluster.delete 202',
        'cluster.delete 404',
        'cluster.update 200',
        'cluster.update 422',
      ]),
    );
  });

  it('no response and no log line carried a secret', () => {
    const text = [...seen, ...logs].join('\n');
    expect(text).not.toContain(ADMIN.accessKeySecret);
    expect(text).not.toContain(other.accessKeySecret);
    expect(text).not.toMatch(/PRIVATE KEY/);
    expect(text).not.toMatch(/krn_/);
  });
});
