// A real `startServer` for API tests: a fresh data directory, the emulator at instant speed (or a given one), the
// default tenant's admin access key given up front, and optionally a key pair in its cloud account.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Credentials } from '../../src/api/client.js';
import { loadConfig } from '../../src/main/config.js';
import { startServer, type RunningServer } from '../../src/main/server.js';

export interface TestServer {
  readonly server: RunningServer;
  stop(): Promise<void>;
}

export async function startTestServer(
  admin: Credentials,
  options: {
    keyPair?: string;
    log?: (line: string) => void;
    adminPassword?: string;
    /** The emulated cloud's speed (KUBERACK_EMULATOR_TIME_SCALE); default `instant`. */
    timeScale?: number;
    /** PostgreSQL instead of SQLite (DATABASE_URL). */
    databaseUrl?: string;
  } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'kuberack-server-'));
  const config = loadConfig({
    KUBERACK_DATA_DIR: dir,
    KUBERACK_LISTEN: '127.0.0.1:0',
    KUBERACK_EMULATOR_TIME_SCALE: options.timeScale === undefined ? 'instant' : String(options.timeScale),
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  });
  const log = options.log ?? (() => undefined);
  const server = await startServer(config, log, log, {
    KUBERACK_BOOTSTRAP_ACCESS_KEY_ID: admin.accessKeyId,
    KUBERACK_BOOTSTRAP_ACCESS_KEY_SECRET: admin.accessKeySecret,
    KUBERACK_BOOTSTRAP_ADMIN_PASSWORD: options.adminPassword ?? 'kuberack-test-admin',
  });
  if (options.keyPair)
    await server.emulator
      .provider(config.emulatorAccessKeyId)
      .createKeyPair(
        { regionId: 'cn-hangzhou', name: options.keyPair },
        { clientToken: `kp-${options.keyPair}`, tags: [] },
      );
  return {
    server,
    stop: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
