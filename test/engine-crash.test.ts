// Crash at every step boundary (issue #4): a real `kuberack worker` process is killed with SIGKILL
// after each finished step, a new one resumes, and the cluster still reaches running with no duplicate
// and no leaked resource; the delete survives the same treatment and leaves the account empty.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudEmulator } from '../src/cloud/emulator/index.js';
import { OWNER_CLUSTER_TAG } from '../src/cloud/provider.js';
import { createCluster, deleteCluster } from '../src/engine/clusters.js';
import type { Engine } from '../src/engine/engine.js';
import type { Db } from '../src/store/db.js';
import { ENGINE_MIGRATIONS } from '../src/store/engine-schema.js';
import { migrate } from '../src/store/migrate.js';
import { openSqlite } from '../src/store/sqlite.js';
import { exampleSpec } from './support/engine-world.js';
import { spawnWorker, workerEngine } from './support/worker-process.js';

const AK = 'CrashTest001';
const KEY = randomBytes(32);

let dir: string;
let db: Db;
let emulator: CloudEmulator;
let engine: Engine;

/** Runs one worker process until it exits (killed by its crash hook) or `stopWhen` holds. */
async function worker(crashAfterSteps: number, stopWhen: () => Promise<boolean>): Promise<string | null> {
  const child = spawnWorker(
    { dataDir: dir, accessKeyId: AK, masterKey: KEY },
    { KUBERACK_TEST_CRASH_AFTER_STEPS: String(crashAfterSteps), KUBERACK_ENGINE_LEASE_MS: '1000' },
    ['ignore', 'ignore', 'pipe'],
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<string | null>((ok) => child.once('exit', (_code, signal) => ok(signal)));
  const poll = setInterval(() => {
    void stopWhen().then((stop) => {
      if (stop) child.kill('SIGTERM');
    });
  }, 100);
  const signal = await exited;
  clearInterval(poll);
  if (signal !== 'SIGKILL' && signal !== 'SIGTERM' && stderr) throw new Error(stderr);
  return signal;
}

async function clusterState(id: string): Promise<string> {
  return (
    (await db.one<{ state: string }>('SELECT state FROM clusters WHERE id = $1', [id]))?.state ?? 'missing'
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kuberack-crash-'));
  db = openSqlite(join(dir, 'kuberack.db'));
  emulator = new CloudEmulator({ db, timeScale: Infinity });
  await emulator.init();
  await migrate(db, 'engine', ENGINE_MIGRATIONS);
  await emulator.setAccount({ accessKeyId: AK, balanceCny: 10_000 });
  engine = await workerEngine(db, emulator, { accessKeyId: AK, masterKey: KEY });
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('engine: crash at every step boundary', { timeout: 600_000 }, () => {
  it('M9 M64 SIGKILL after each finished step: the cluster still reaches running, then deletes clean', async () => {
    const { clusterId } = await createCluster(engine, {
      tenantId: 't',
      accessKeyId: AK,
      spec: exampleSpec(),
    });
    const steps = (await db.all('SELECT step_key FROM steps WHERE cluster_id = $1', [clusterId])).length;
    let crashes = 0;
    for (let i = 0; i < steps * 2 && (await clusterState(clusterId)) === 'initial'; i++) {
      if ((await worker(1, async () => (await clusterState(clusterId)) !== 'initial')) === 'SIGKILL')
        crashes++;
    }
    await worker(0, async () => (await clusterState(clusterId)) !== 'initial');
    expect(await clusterState(clusterId)).toBe('running');
    // Parallel steps can finish in the same instant, so a worker may record two before it dies.
    expect(crashes).toBeGreaterThanOrEqual(steps / 4);

    // No duplicate: one resource of each kind per creating step (an access key carries its user's tags).
    const owned = (await emulator.inventory(AK)).filter((r) => r.ownerCluster === clusterId);
    const byStep = new Map<string, number>();
    for (const r of owned)
      byStep.set(`${r.ownerStep} ${r.kind}`, (byStep.get(`${r.ownerStep} ${r.kind}`) ?? 0) + 1);
    for (const [step, n] of byStep) expect(n, step).toBe(1);
    expect(owned.filter((r) => r.kind === 'instance')).toHaveLength(3);

    await deleteCluster(engine, clusterId);
    for (let i = 0; i < steps * 2 && (await clusterState(clusterId)) === 'deleting'; i++)
      await worker(1, async () => (await clusterState(clusterId)) !== 'deleting');
    await worker(0, async () => (await clusterState(clusterId)) !== 'deleting');
    expect(await clusterState(clusterId)).toBe('deleted');
    const left = (await emulator.inventory(AK)).filter((r) =>
      r.tags.some((t) => t.key === OWNER_CLUSTER_TAG),
    );
    expect(left).toEqual([]);
  });
});
