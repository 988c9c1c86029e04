// A whole Kuberack world for engine tests: a database, the emulator (the real provider of tests),
// the engine with its services, and a loop that ticks the engine and registers booted workers.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CloudEmulator } from '../../src/cloud/emulator/index.js';
import type { ClusterState, Engine } from '../../src/engine/engine.js';
import type { DbNodeRegistry } from '../../src/engine/services.js';
import { registerBootedNodes } from '../../src/main/emulated-nodes.js';
import { assembleEngine } from '../../src/main/runtime.js';
import type { Db } from '../../src/store/db.js';
import { ENGINE_MIGRATIONS } from '../../src/store/engine-schema.js';
import { migrate } from '../../src/store/migrate.js';
import { SecretBox } from '../../src/store/secret-box.js';

export const ACCESS_KEY = 'EngineTest01';

export function exampleSpec(): Record<string, unknown> {
  const text = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'gpu-cluster.yaml'), 'utf8');
  return parseYaml(text) as Record<string, unknown>;
}

export interface World {
  readonly db: Db;
  readonly emulator: CloudEmulator;
  readonly engine: Engine;
  readonly registry: DbNodeRegistry;
  /** Ticks until `state` of the cluster is one of `states` (or `maxTicks` passes); returns the state. */
  runUntil(clusterId: string, states: readonly ClusterState[], maxTicks?: number): Promise<ClusterState>;
  state(clusterId: string): Promise<ClusterState>;
}

export async function makeWorld(
  db: Db,
  options: { timeScale?: number; workerId?: string } = {},
): Promise<World> {
  const emulator = new CloudEmulator({ db, timeScale: options.timeScale ?? Infinity });
  await emulator.init();
  await migrate(db, 'engine', ENGINE_MIGRATIONS);
  if (!(await emulator.account(ACCESS_KEY))) {
    await emulator.setAccount({ accessKeyId: ACCESS_KEY, balanceCny: 100_000, realNameVerified: true });
    await emulator
      .provider(ACCESS_KEY)
      .createKeyPair({ regionId: 'cn-hangzhou', name: 'my-key' }, { clientToken: 'my-key', tags: [] });
  }
  const { engine, registry } = assembleEngine({
    db,
    box: new SecretBox(randomBytes(32)),
    emulator,
    serverUrl: 'http://127.0.0.1:8080',
    workerId: options.workerId,
    pollMs: 1,
    maxPollMs: 5,
    retryBaseMs: 1,
    maxRetryMs: 5,
  });
  const state = async (clusterId: string) =>
    ((await db.one<{ state: ClusterState }>('SELECT state FROM clusters WHERE id = $1', [clusterId]))
      ?.state ?? 'deleted') as ClusterState;
  return {
    db,
    emulator,
    engine,
    registry,
    state,
    async runUntil(clusterId, states, maxTicks = 2_000) {
      for (let i = 0; i < maxTicks; i++) {
        const s = await state(clusterId);
        if (states.includes(s)) return s;
        const ran = await engine.tick();
        await registerBootedNodes(emulator, registry);
        if (ran === 0) await new Promise((r) => setTimeout(r, 2));
      }
      return state(clusterId);
    },
  };
}
