// The server side of node reports (issue 7) on SQLite and PostgreSQL: validation that refuses a bad
// report without touching the node, the one-UPDATE heartbeat, changes as events, readiness and labels.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { parseNvidiaSmiXml } from '../src/agent/nvidia-smi/index.js';
import { DbNodeRegistry } from '../src/engine/services.js';
import type { SecretStore } from '../src/engine/steps/types.js';
import { NODE_READY_MISSED_HEARTBEATS } from '../src/domain/node/index.js';
import type { Db, Queryable } from '../src/store/db.js';
import { ENGINE_MIGRATIONS } from '../src/store/engine-schema.js';
import { migrate } from '../src/store/migrate.js';
import { describeEachDatabase } from './support/postgres.js';

const A100 = parseNvidiaSmiXml(
  readFileSync(resolve(import.meta.dirname, 'fixtures/nvidia-smi/xml/telegraf__a100-sxm4-v12.xml'), 'utf8'),
);
const T4 = parseNvidiaSmiXml(
  readFileSync(resolve(import.meta.dirname, 'fixtures/nvidia-smi/xml/telegraf__tesla-t4.xml'), 'utf8'),
);

const FACTS = {
  hostname: 'gpu-1',
  addresses: ['10.0.0.5'],
  cpu: { count: 8, model: 'Xeon' },
  memoryMiB: 30_000,
  os: { id: 'alinux', name: 'Alibaba Cloud Linux 3', version: '3' },
  kernel: '5.10.134',
  architecture: 'x64',
  agentVersion: '0.1.0',
};

function body(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    instanceId: 'i-1',
    nodeName: 'cn-hangzhou.10.0.0.5',
    privateIp: '10.0.0.5',
    gpuReport: T4,
    node: FACTS,
    heartbeatSeconds: 2,
    ...over,
  };
}

/** Counts the statements a registry call sends, to prove the cheap heartbeat is one. */
function counting(db: Db): { db: Db; statements: string[] } {
  const statements: string[] = [];
  const wrap = <K extends keyof Queryable>(k: K) =>
    ((sql: string, params?: unknown) => {
      statements.push(sql.trim().split(/\s+/)[0] ?? '');
      return (db[k] as (s: string, p?: unknown) => unknown).call(db, sql, params);
    }) as Db[K];
  return {
    statements,
    db: {
      ...db,
      dialect: db.dialect,
      all: wrap('all'),
      one: wrap('one'),
      run: wrap('run'),
      exec: db.exec.bind(db),
      transaction: db.transaction.bind(db),
      close: db.close.bind(db),
    },
  };
}

function memorySecrets(): (clusterId: string) => SecretStore {
  const m = new Map<string, string>();
  return (c) => ({
    put: (n, v) => Promise.resolve(void m.set(`${c}/${n}`, v)),
    get: (n) => Promise.resolve(m.get(`${c}/${n}`) ?? null),
    remove: (n) => Promise.resolve(void m.delete(`${c}/${n}`)),
  });
}

describeEachDatabase('node reports', (open) => {
  let db: Db;
  let counted: { db: Db; statements: string[] };
  let registry: DbNodeRegistry;
  let now = 1_000_000;
  let token = '';

  beforeAll(async () => {
    db = await open();
    await migrate(db, 'engine', ENGINE_MIGRATIONS);
    counted = counting(db);
    registry = new DbNodeRegistry(counted.db, memorySecrets(), () => now);
    token = await registry.tokenFor('c-agent', 'node-0');
    await registry.tokenFor('c-agent', 'node-1');
  });

  it('M62 an unregistered node is Unknown; a first report registers it with its facts and GPUs', async () => {
    expect((await registry.list('c-agent')).map((n) => n.status)).toEqual(['Unknown', 'Unknown']);
    expect(await registry.report(token, body())).toEqual({
      clusterId: 'c-agent',
      stepKey: 'node-0',
      first: true,
      changed: true,
    });
    const node = await registry.get('c-agent', 'i-1');
    expect(node).toMatchObject({
      instanceId: 'i-1',
      nodeName: 'cn-hangzhou.10.0.0.5',
      status: 'Ready',
      statusReason: 'AgentReporting',
      heartbeatSeconds: 2,
      registeredAt: now,
      lastSeenAt: now,
      node: FACTS,
      capacity: { 'nvidia.com/gpu': 1 },
    });
    expect(node?.labels).toMatchObject({
      'nvidia.com/gpu.product': 'Tesla-T4',
      'nvidia.com/gpu.count': '1',
      'nvidia.com/gpu.memory': '15360',
      'aliyun.accelerator/nvidia_name': 'Tesla-T4',
      'aliyun.accelerator/nvidia_count': '1',
      'aliyun.accelerator/nvidia_mem': '15360MiB',
    });
    expect(await registry.find('c-agent', 'i-1')).toMatchObject({ gpuCount: 1, registeredAt: now });
  });

  it('M62 a heartbeat with the same GPU set is one UPDATE, and stores the fresh readings', async () => {
    now += 2_000;
    const warmer = { ...T4, gpus: T4.gpus.map((g) => ({ ...g, temperatureC: 71, memoryUsedMiB: 900 })) };
    counted.statements.length = 0;
    expect(await registry.report(token, body({ gpuReport: warmer }))).toMatchObject({
      first: false,
      changed: false,
    });
    expect(counted.statements).toEqual(['UPDATE']);
    const node = await registry.get('c-agent', 'i-1');
    expect(node?.lastSeenAt).toBe(now);
    expect(node?.registeredAt).toBe(now - 2_000);
    expect(node?.gpuReport?.gpus[0]?.temperatureC).toBe(71);
  });

  it('a malformed report is refused with every problem and the stored node is unchanged', async () => {
    const before = await db.all('SELECT * FROM nodes ORDER BY step_key');
    now += 1_000;
    const bad = body({
      nodeName: 'bad name!',
      privateIp: 'ten',
      heartbeatSeconds: 0,
      extra: true,
      node: { ...FACTS, memoryMiB: -1 },
      gpuReport: { ...T4, gpus: [{ ...T4.gpus[0], uuid: 'nope', memoryTotalMiB: 'lots' }] },
    });
    const r = await registry.report(token, bad);
    if (!('problems' in r)) throw new Error('accepted a bad report');
    expect(r.problems.map((p) => `${p.path} ${p.code}`).sort()).toEqual([
      'extra FIELD_UNKNOWN',
      'gpuReport.gpus[0].memoryTotalMiB GPU_REPORT_TYPE',
      'gpuReport.gpus[0].uuid GPU_REPORT_FORMAT',
      'heartbeatSeconds FIELD_RANGE',
      'node.memoryMiB FIELD_RANGE',
      'nodeName FIELD_PATTERN',
      'privateIp FIELD_PATTERN',
    ]);
    expect(await db.all('SELECT * FROM nodes ORDER BY step_key')).toEqual(before);
    expect(await registry.report('krn_unknown', body())).toEqual({ error: 'unknown node token' });
    expect(await registry.report('krn_unknown', bad)).toEqual({ error: 'unknown node token' });
  });

  it('M62 a changed GPU set rewrites the node and is recorded as an event', async () => {
    now += 1_000;
    expect(await registry.report(token, body({ gpuReport: A100 }))).toMatchObject({
      first: false,
      changed: true,
    });
    const node = await registry.get('c-agent', 'cn-hangzhou.10.0.0.5');
    expect(node?.gpuReport?.gpus[0]?.product).toBe('NVIDIA A100-SXM4-80GB');
    expect(node?.labels['nvidia.com/mig.capable']).toBe('true');
    const events = await db.all<{ type: string; data: string }>(
      "SELECT type, data FROM events WHERE cluster_id = 'c-agent'",
    );
    expect(events.map((e) => e.type)).toEqual(['node.report-changed']);
    expect(events[0]?.data).toContain('A100');
  });

  it(`M62 readiness: Ready within ${NODE_READY_MISSED_HEARTBEATS} heartbeat periods, NotReady after`, async () => {
    const seen = (await registry.get('c-agent', 'i-1'))?.lastSeenAt ?? 0;
    expect((await registry.get('c-agent', 'i-1', seen + 6_000))?.status).toBe('Ready');
    const late = await registry.get('c-agent', 'i-1', seen + 6_001);
    expect(late).toMatchObject({ status: 'NotReady', statusReason: 'HeartbeatsMissed' });
    expect((await registry.list('c-agent', seen + 6_001)).map((n) => `${n.step} ${n.status}`)).toEqual([
      'node-0 NotReady',
      'node-1 Unknown',
    ]);
  });
});
