// The HTTP API on PostgreSQL (issue 8): the same server as on SQLite, on a fresh PostgreSQL database:
// console sign-in, a cluster created, described (steps, critical path), protected and unprotected,
// listed with its counts, its nodes read, planned with a cost, and deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedRequest, type Credentials } from '../src/api/client.js';
import { exampleSpec } from './support/engine-world.js';
import { freshPostgresDatabase } from './support/postgres.js';
import { startTestServer, type TestServer } from './support/test-server.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const ADMIN: Credentials = { accessKeyId: 'KRPGADMIN0000001', accessKeySecret: 'pg-admin-secret-0123456789' };
const PASSWORD = 'postgres console password';
let db: Awaited<ReturnType<typeof freshPostgresDatabase>>;
let t: TestServer | undefined;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const r = await signedRequest(t!.server.url, ADMIN, method, path, body);
  return { status: r.status, body: r.body };
}

async function until(f: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await f()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  db = await freshPostgresDatabase();
  if (db)
    t = await startTestServer(ADMIN, { keyPair: 'my-key', adminPassword: PASSWORD, databaseUrl: db.url });
});

afterAll(async () => {
  await t?.stop();
  await db?.drop();
});

describe('the API on PostgreSQL', () => {
  it('M66 M67 M32 M62 M64: sign in, plan, create, describe, protect, list, nodes, delete', async (ctx) => {
    if (!t) return ctx.skip();
    expect(t.server.db.dialect).toBe('postgres');
    const login = await fetch(`${t.server.url}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await fetch(`${t.server.url}/v1/clusters`, { headers: { cookie } })).status).toBe(200);
    const wrong = await fetch(`${t.server.url}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'wrong', tenant: 'default' }),
    });
    expect(wrong.status).toBe(401);

    const plan = await call('POST', '/v1/clusters', { spec: exampleSpec(), dryRun: true });
    expect(plan.status).toBe(200);
    expect(plan.body.estimatedCost.monthlyCny).toBeGreaterThan(0);

    const created = await call('POST', '/v1/clusters', { spec: exampleSpec() });
    expect(created.status).toBe(202);
    const id = created.body.clusterId as string;
    await until(async () => (await call('GET', `/v1/clusters/${id}`)).body.state === 'running', 'running');
    const detail = (await call('GET', `/v1/clusters/${id}`)).body;
    expect(detail.taskId).toBe(created.body.taskId);
    expect(detail.criticalPath.keys.length).toBeGreaterThan(2);
    expect(detail.steps.every((s: Json) => typeof s.startedAt === 'number')).toBe(true);

    expect(
      (await call('PATCH', `/v1/clusters/${id}`, { deletionProtection: true })).body.deletionProtection,
    ).toBe(true);
    expect((await call('DELETE', `/v1/clusters/${id}`)).status).toBe(409);
    expect((await call('PATCH', `/v1/clusters/${id}`, { deletionProtection: false })).status).toBe(200);

    const item = (await call('GET', '/v1/clusters')).body.items.find((c: Json) => c.id === id);
    expect(item).toMatchObject({ nodeCount: 3, gpuCount: 3 });
    const nodes = (await call('GET', `/v1/clusters/${id}/nodes`)).body.items as Json[];
    expect(nodes.map((n) => n.status)).toEqual(['Ready', 'Ready', 'Ready']);
    const node = await call('GET', `/v1/clusters/${id}/nodes/${nodes[0].instanceId}`);
    expect(node.body.capacity['nvidia.com/gpu']).toBe(1);

    expect((await call('DELETE', `/v1/clusters/${id}`)).status).toBe(202);
    await until(async () => (await call('GET', `/v1/clusters/${id}`)).status === 404, 'deleted');
  });
});
