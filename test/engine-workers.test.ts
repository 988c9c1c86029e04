// Distributed workers (issue #4): two `kuberack worker` processes on one PostgreSQL share 50
// concurrent creations; every step runs to completion exactly once and every cluster reaches running.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudEmulator } from '../src/cloud/emulator/index.js';
import { createCluster } from '../src/engine/clusters.js';
import type { Engine } from '../src/engine/engine.js';
import type { Db } from '../src/store/db.js';
import { ENGINE_MIGRATIONS } from '../src/store/engine-schema.js';
import { migrate } from '../src/store/migrate.js';
import { openPostgres } from '../src/store/postgres.js';
import { exampleSpec } from './support/engine-world.js';
import { freshPostgresDatabase, postgresUrl } from './support/postgres.js';
import { spawnWorker, workerEngine } from './support/worker-process.js';

const AK = 'SharedWork01';
const KEY = randomBytes(32);
const CLUSTERS = 50;

const suite = postgresUrl() === null ? describe.skip : describe;

suite('engine: two worker processes on one PostgreSQL', { timeout: 600_000 }, () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Db;
  let engine: Engine;
  let dir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = (await freshPostgresDatabase()) as { url: string; drop(): Promise<void> };
    dir = mkdtempSync(join(tmpdir(), 'kuberack-workers-'));
    db = openPostgres(database.url);
    const emulator = new CloudEmulator({ db, timeScale: Infinity });
    await emulator.init();
    await migrate(db, 'engine', ENGINE_MIGRATIONS);
    await emulator.setAccount({
      accessKeyId: AK,
      balanceCny: 1_000_000,
      quotas: {
        'vpc.vpcs-per-region': 100,
        'vpc.eips': 200,
        'slb.postpaid-instances': 100,
        'ecs.security-groups': 200,
        'ecs.postpaid-vcpus': 5_000,
      },
    });
    engine = await workerEngine(db, emulator, { accessKeyId: AK, masterKey: KEY });
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await db.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('50 creations, two processes: every cluster running, every step done exactly once, both workers busy', async () => {
    const ids: string[] = [];
    for (let i = 0; i < CLUSTERS; i++) {
      const spec = { ...exampleSpec(), name: `shared-${i}` };
      ids.push((await createCluster(engine, { tenantId: 't', accessKeyId: AK, spec })).clusterId);
    }
    for (let w = 0; w < 2; w++) {
      const child = spawnWorker(
        { dataDir: dir, accessKeyId: AK, masterKey: KEY },
        { DATABASE_URL: database.url },
      );
      children.push(child);
    }
    const deadline = Date.now() + 540_000;
    let running = 0;
    while (Date.now() < deadline) {
      running = Number(
        (await db.one<{ n: number }>(`SELECT COUNT(*) AS n FROM clusters WHERE state = 'running'`))?.n ?? 0,
      );
      const stuck = await db.one<{ n: number }>(
        `SELECT COUNT(*) AS n FROM clusters WHERE state NOT IN ('initial', 'running')`,
      );
      if (running === CLUSTERS || Number(stuck?.n) > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    for (const c of children) c.kill('SIGTERM');
    expect(running).toBe(CLUSTERS);

    const done = await db.all<{ cluster_id: string; step_key: string; n: number }>(
      `SELECT cluster_id, step_key, COUNT(*) AS n FROM events WHERE type = 'step.done' GROUP BY cluster_id, step_key`,
    );
    const steps = Number((await db.one<{ n: number }>('SELECT COUNT(*) AS n FROM steps'))?.n);
    expect(done.length).toBe(steps);
    expect(done.filter((d) => Number(d.n) !== 1)).toEqual([]);
    const workers = await db.all<{ data: string }>(`SELECT data FROM events WHERE type = 'step.done'`);
    const byWorker = new Map<string, number>();
    for (const w of workers) {
      const id = (JSON.parse(w.data) as { worker: string }).worker;
      byWorker.set(id, (byWorker.get(id) ?? 0) + 1);
    }
    expect(byWorker.size).toBe(2);
    for (const n of byWorker.values()) expect(n).toBeGreaterThan(steps / 10);
    expect(ids).toHaveLength(CLUSTERS);
  });
});
