// Engine benchmarks (issue #4): (a) one 3-node GPU creation under the emulator's latency model,
// wall time against the critical path; (b) many concurrent creations at zero latency: clusters per
// minute and CPU per step, on SQLite and (with KUBERACK_BENCH_DATABASE_URL) PostgreSQL.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { CloudEmulator } from '../src/cloud/emulator/index.js';
import { criticalPath, type ResourceGraph } from '../src/domain/plan/index.js';
import { createCluster } from '../src/engine/clusters.js';
import { registerBootedNodes } from '../src/main/emulated-nodes.js';
import { assembleEngine } from '../src/main/runtime.js';
import type { Db } from '../src/store/db.js';
import { ENGINE_MIGRATIONS } from '../src/store/engine-schema.js';
import { migrate } from '../src/store/migrate.js';
import { openPostgres } from '../src/store/postgres.js';
import { SecretBox } from '../src/store/secret-box.js';
import { openSqlite } from '../src/store/sqlite.js';

const AK = 'BenchEngine1';
const SPEC = parseYaml(
  readFileSync(join(import.meta.dirname, '..', 'examples', 'gpu-cluster.yaml'), 'utf8'),
) as Record<string, unknown>;

async function world(db: Db, timeScale: number) {
  const emulator = new CloudEmulator({ db, timeScale });
  await emulator.init();
  await migrate(db, 'engine', ENGINE_MIGRATIONS);
  await emulator.setAccount({
    accessKeyId: AK,
    balanceCny: 1e9,
    quotas: {
      'vpc.vpcs-per-region': 1e6,
      'vpc.eips': 1e6,
      'slb.postpaid-instances': 1e6,
      'ecs.security-groups': 1e6,
      'ecs.postpaid-vcpus': 1e9,
      'ram.users': 1e6,
    },
  });
  await emulator
    .provider(AK)
    .createKeyPair({ regionId: 'cn-hangzhou', name: 'my-key' }, { clientToken: 'k', tags: [] });
  const pollMs = timeScale === Infinity ? 1 : Math.max(5, Math.round(2_000 / timeScale));
  const { engine, registry } = assembleEngine({
    db,
    box: new SecretBox(randomBytes(32)),
    emulator,
    serverUrl: 'http://127.0.0.1:8080',
    pollMs,
    maxPollMs: pollMs * 4,
    retryBaseMs: 1,
    maxRetryMs: 20,
    concurrency: 32,
  });
  return { emulator, engine, registry };
}

/** Ticks the engine and registers booted workers until every cluster left `initial`. */
async function drive(db: Db, w: Awaited<ReturnType<typeof world>>, pump: number): Promise<void> {
  let last = 0;
  for (;;) {
    const left = Number(
      (await db.one<{ n: number }>(`SELECT COUNT(*) AS n FROM clusters WHERE state = 'initial'`))?.n,
    );
    if (left === 0) return;
    const ran = await w.engine.tick();
    if (Date.now() - last >= pump) {
      await registerBootedNodes(w.emulator, w.registry);
      last = Date.now();
    }
    if (ran === 0) await new Promise((r) => setTimeout(r, 1));
  }
}

async function oneCreation(timeScale: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kuberack-bench-'));
  const db = openSqlite(join(dir, 'bench.db'));
  try {
    const w = await world(db, timeScale);
    const start = Date.now();
    const { clusterId } = await createCluster(w.engine, { tenantId: 'b', accessKeyId: AK, spec: SPEC });
    await drive(db, w, Math.max(5, Math.round(1_000 / timeScale)));
    const wall = (Date.now() - start) / 1000;
    const state = (await db.one<{ state: string; graph: string }>(
      'SELECT state, graph FROM clusters WHERE id = $1',
      [clusterId],
    ))!;
    const graph = JSON.parse(state.graph) as ResourceGraph;
    const rows = await db.all<{ step_key: string; started_at: number; finished_at: number }>(
      'SELECT step_key, started_at, finished_at FROM steps WHERE cluster_id = $1',
      [clusterId],
    );
    const measured = new Map(
      rows.map((r) => [r.step_key, (Number(r.finished_at) - Number(r.started_at)) / 1000]),
    );
    const actual = criticalPath({
      ...graph,
      steps: graph.steps.map((s) => ({ ...s, estimatedSeconds: measured.get(s.key) ?? 0 })),
    });
    const estimated = criticalPath(graph);
    return [
      `One 3-node A10 creation, emulator time scale ${timeScale} (SQLite); the cluster ended ${state.state}.`,
      '',
      '| measure | seconds at real speed |',
      '|---|---:|',
      `| wall time of the creation | ${(wall * timeScale).toFixed(0)} |`,
      `| critical path of the measured step durations | ${(actual.seconds * timeScale).toFixed(0)} |`,
      `| critical path of the plan's estimates | ${estimated.seconds.toFixed(0)} |`,
      '',
      `Wall time ÷ critical path of measured durations = **${(wall / actual.seconds).toFixed(3)}** (the engine's`,
      `scheduling overhead between steps). Critical path: ${actual.keys.join(' → ')}.`,
    ].join('\n');
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function many(label: string, db: Db, count: number): Promise<string> {
  const w = await world(db, Infinity);
  const cpu0 = process.cpuUsage();
  const start = Date.now();
  for (let i = 0; i < count; i++)
    await createCluster(w.engine, { tenantId: 'b', accessKeyId: AK, spec: { ...SPEC, name: `bench-${i}` } });
  const created = Date.now();
  await drive(db, w, 20);
  const end = Date.now();
  const cpu = process.cpuUsage(cpu0);
  const steps = Number((await db.one<{ n: number }>('SELECT COUNT(*) AS n FROM steps'))?.n);
  const running = Number(
    (await db.one<{ n: number }>(`SELECT COUNT(*) AS n FROM clusters WHERE state = 'running'`))?.n,
  );
  const minutes = (end - start) / 60_000;
  return `| ${label} | ${count} | ${running} | ${((created - start) / 1000).toFixed(1)} | ${((end - start) / 1000).toFixed(1)} | ${(running / minutes).toFixed(0)} | ${steps} | ${((cpu.user + cpu.system) / steps / 1000).toFixed(2)} |`;
}

export async function run(): Promise<string> {
  const scale = Number(process.env.KUBERACK_BENCH_TIME_SCALE ?? 50);
  const count = Number(process.env.KUBERACK_BENCH_CLUSTERS ?? 200);
  const out = [await oneCreation(scale), ''];
  out.push(
    `Concurrent creations at zero latency, one engine process (32 steps in flight):`,
    '',
    '| database | clusters | running | seconds to submit | seconds to all running | clusters/min | steps | CPU ms/step |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  const dir = mkdtempSync(join(tmpdir(), 'kuberack-bench-'));
  try {
    const sqlite = openSqlite(join(dir, 'bench.db'));
    out.push(await many('SQLite (file, WAL)', sqlite, count));
    await sqlite.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const url = process.env.KUBERACK_BENCH_DATABASE_URL;
  if (url) {
    const pg = openPostgres(url, { max: 16 });
    out.push(await many('PostgreSQL', pg, count));
    await pg.close();
  }
  return out.join('\n');
}
