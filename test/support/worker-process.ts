// Shared set-up for the tests that run real `kuberack worker` processes: the in-process engine that
// queues the work, and one worker spawned as `node --import tsx src/cli/bin.ts worker`.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { CloudEmulator } from '../../src/cloud/emulator/index.js';
import type { Engine } from '../../src/engine/engine.js';
import { assembleEngine } from '../../src/main/runtime.js';
import type { Db } from '../../src/store/db.js';
import { SecretBox } from '../../src/store/secret-box.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** What a worker process shares with the test: its data directory, emulator account and master key. */
export interface WorkerSetup {
  readonly dataDir: string;
  readonly accessKeyId: string;
  readonly masterKey: Buffer;
}

/** Gives the account the key pair `my-key` that exampleSpec names, and assembles the engine on `db`. */
export async function workerEngine(
  db: Db,
  emulator: CloudEmulator,
  { accessKeyId, masterKey }: Omit<WorkerSetup, 'dataDir'>,
): Promise<Engine> {
  await emulator
    .provider(accessKeyId)
    .createKeyPair({ regionId: 'cn-hangzhou', name: 'my-key' }, { clientToken: 'k', tags: [] });
  return assembleEngine({
    db,
    box: new SecretBox(masterKey),
    emulator,
    serverUrl: 'http://127.0.0.1:8080',
  }).engine;
}

/** Starts one `kuberack worker` on the instant emulator, with `env` added to this process's environment. */
export function spawnWorker(
  setup: WorkerSetup,
  env: NodeJS.ProcessEnv = {},
  stdio: StdioOptions = 'ignore',
): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/bin.ts'), 'worker'], {
    cwd: ROOT,
    env: {
      ...process.env,
      KUBERACK_DATA_DIR: setup.dataDir,
      KUBERACK_EMULATOR_TIME_SCALE: 'instant',
      KUBERACK_EMULATOR_ACCESS_KEY_ID: setup.accessKeyId,
      KUBERACK_MASTER_KEY: setup.masterKey.toString('base64'),
      ...env,
    },
    stdio,
  });
}
