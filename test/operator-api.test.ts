// The operator's API and commands for the embedded cloud (issue 3) against a real `startServer`:
// token checks, every body problem at once in English and Chinese, inventory, accounts, quota tickets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerTags } from '../src/cloud/provider.js';
import { main } from '../src/cli/main.js';
import { loadConfig } from '../src/main/config.js';
import { startServer, type RunningServer } from '../src/main/server.js';

const TOKEN = 'operator-test-token-0123456789';

// Loose JSON for assertions on response bodies.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
let dir: string;
let server: RunningServer;

async function api(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    json: text ? (JSON.parse(text) as Json) : {},
  };
}

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), readFile: () => '' });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** `kuberack emulator account set` against the running server, with `args` after `--access-key-id`. */
function accountSet(args: string[]) {
  return cli(['emulator', 'account', 'set', '--server', server.url, '--access-key-id', ...args]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kuberack-operator-'));
  process.env.KUBERACK_OPERATOR_TOKEN = TOKEN;
  const config = loadConfig({
    KUBERACK_DATA_DIR: dir,
    KUBERACK_LISTEN: '127.0.0.1:0',
    KUBERACK_EMULATOR_TIME_SCALE: 'instant',
  });
  server = await startServer(config, () => undefined);
});

afterAll(async () => {
  delete process.env.KUBERACK_OPERATOR_TOKEN;
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('operator API for the emulator', () => {
  it('refuses a missing or wrong operator token with 401 problem+json', async () => {
    for (const token of [null, 'wrong']) {
      const r = await api('GET', '/v1/operator/emulator/inventory', undefined, token);
      expect(r.status).toBe(401);
      expect(r.type).toBe('application/problem+json');
      expect(r.json.code).toBe('API_UNAUTHORIZED');
      expect(r.json.detailZh).toMatch(/凭证/);
    }
  });

  it('M10 M13 account set: every body problem at once, with paths and both languages; nothing changes', async () => {
    const bad = await api('PUT', '/v1/operator/emulator/accounts/Tenant0001', {
      balanceCny: -5,
      realNameVerified: 'yes',
      quotas: { 'vpc.eips': 1.5, 'no.such': 3 },
      extra: 1,
    });
    expect(bad.status).toBe(422);
    const paths = (bad.json.problems as { path: string; message: string; messageZh: string }[]).map(
      (p) => p.path,
    );
    expect(paths.sort()).toEqual([
      'balanceCny',
      'extra',
      'quotas.no.such',
      'quotas.vpc.eips',
      'realNameVerified',
    ]);
    for (const p of bad.json.problems as { message: string; messageZh: string }[]) {
      expect(p.message).not.toBe('');
      expect(p.messageZh).toMatch(/[\u4e00-\u9fff]/);
    }
    expect((await api('GET', '/v1/operator/emulator/accounts/Tenant0001')).status).toBe(404);

    const ok = await api('PUT', '/v1/operator/emulator/accounts/Tenant0001', {
      balanceCny: 50,
      realNameVerified: true,
      quotas: { 'vpc.eips': 1 },
    });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ accessKeyId: 'Tenant0001', balanceCny: 50, quotas: { 'vpc.eips': 1 } });
    expect(JSON.stringify(ok.json)).not.toMatch(/secret/i);
  });

  it('M13 a quota ticket raised by a tenant is approved by the operator and lifts the limit', async () => {
    await api('PUT', '/v1/operator/emulator/accounts/Tenant0002', {
      balanceCny: 500,
      quotas: { 'vpc.eips': 1 },
    });
    const p = server.emulator.provider('Tenant0002');
    await p.allocateEip(
      { regionId: 'cn-hangzhou', name: 'kr-a' },
      { clientToken: 't-a', tags: ownerTags('c1', 'eip/a') },
    );
    await expect(
      p.allocateEip({ regionId: 'cn-hangzhou', name: 'kr-b' }, { clientToken: 't-b', tags: [] }),
    ).rejects.toThrow(/QuotaExceeded.Eip/);
    const ticket = await p.requestQuotaIncrease({
      quota: 'vpc.eips',
      requestedLimit: 5,
      reason: 'GPU cluster',
    });
    const list = await api('GET', '/v1/operator/emulator/quota-requests');
    expect(list.json.items).toContainEqual(expect.objectContaining({ id: ticket.id, state: 'pending' }));
    const bad = await api('POST', `/v1/operator/emulator/quota-requests/${ticket.id}/decision`, {
      decision: 'maybe',
    });
    expect(bad.status).toBe(422);
    const ok = await api('POST', `/v1/operator/emulator/quota-requests/${ticket.id}/decision`, {
      decision: 'approved',
    });
    expect(ok.json.state).toBe('approved');
    const again = await api('POST', `/v1/operator/emulator/quota-requests/${ticket.id}/decision`, {
      decision: 'rejected',
    });
    expect(again.status).toBe(400);
    await p.allocateEip({ regionId: 'cn-hangzhou', name: 'kr-b' }, { clientToken: 't-b', tags: [] });

    const inv = await api('GET', '/v1/operator/emulator/inventory?accessKeyId=Tenant0002');
    expect(inv.json.items).toHaveLength(2);
    expect(inv.json.items[0]).toMatchObject({
      kind: 'eip',
      ownerCluster: 'c1',
      ownerStep: 'eip/a',
      status: 'Available',
    });
  });

  it('fault settings are checked and stored', async () => {
    const bad = await api('PUT', '/v1/operator/emulator/accounts/Tenant0002/faults', {
      throttlingRate: 2,
      failures: [{}],
    });
    expect(bad.status).toBe(422);
    expect((bad.json.problems as { path: string }[]).map((p) => p.path)).toEqual([
      'throttlingRate',
      'failures.0',
    ]);
    const ok = await api('PUT', '/v1/operator/emulator/accounts/Tenant0002/faults', {
      seed: 's',
      failures: [{ action: 'CreateVpc', code: 'QuotaExceeded.Vpc', remaining: 1 }],
    });
    expect(ok.status).toBe(204);
    const p = server.emulator.provider('Tenant0002');
    await expect(
      p.createVpc(
        { regionId: 'cn-hangzhou', cidr: '10.0.0.0/8', name: 'kr-x' },
        { clientToken: 'v1', tags: [] },
      ),
    ).rejects.toThrow(/QuotaExceeded.Vpc/);
    await p.createVpc(
      { regionId: 'cn-hangzhou', cidr: '10.0.0.0/8', name: 'kr-x' },
      { clientToken: 'v1', tags: [] },
    );
  });

  it('bad requests are 4xx problem+json, never 5xx', async () => {
    expect((await api('GET', '/v1/nothing/here')).status).toBe(404);
    expect((await api('DELETE', '/v1/operator/emulator/inventory')).status).toBe(405);
    expect((await api('PUT', '/v1/operator/emulator/accounts/Tenant0001', '{not json')).status).toBe(400);
    expect(
      (await api('PUT', '/v1/operator/emulator/accounts/Tenant0001', 'x'.repeat(1_100_000))).status,
    ).toBe(413);
    const arr = await api('PUT', '/v1/operator/emulator/accounts/Tenant0001', [1, 2]);
    expect(arr.status).toBe(422);
    const badAk = await api('PUT', '/v1/operator/emulator/accounts/bad-key!', {});
    expect(badAk.status).toBe(400);
    expect(badAk.json.code).toBe('CLOUD_REQUEST_FAILED');
  });

  it('kuberack emulator inventory and account set work against the running server', async () => {
    const set = await accountSet([
      'Tenant0003',
      '--balance',
      '99',
      '--real-name',
      'false',
      '--quota',
      'vpc.eips=7',
      '--allowlist',
      'customImage=true',
    ]);
    expect(set.code, set.err).toBe(0);
    const a = await server.emulator.account('Tenant0003');
    expect(a).toMatchObject({ balanceCents: 9900, realName: false, quotas: { 'vpc.eips': 7 } });
    expect(a?.allowlists.customImage).toBe(true);

    const inv = await cli(['emulator', 'inventory', '--server', server.url, '--output', 'json']);
    expect(inv.code, inv.err).toBe(0);
    const items = JSON.parse(inv.out) as { kind: string }[];
    expect(items.map((i) => i.kind)).toEqual(expect.arrayContaining(['eip', 'vpc']));

    const bad = await accountSet(['T4x', '--quota', 'x']);
    expect(bad.code).toBe(2);
    const refused = await accountSet(['Tenant0003', '--balance', 'lots']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('balanceCny');
  });
});
