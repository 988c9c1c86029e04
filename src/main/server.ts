// The composition root: opens the database, starts the emulator and the HTTP API in one process
// (`kuberack serve`). The only place that picks implementations for the ports.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Router } from '../api/http.js';
import { operatorRoutes } from '../api/operator.js';
import { CloudEmulator } from '../cloud/emulator/index.js';
import type { Db } from '../store/db.js';
import { openDatabase } from '../store/open.js';
import { operatorToken, type Config } from './config.js';

export interface RunningServer {
  readonly url: string;
  readonly db: Db;
  readonly emulator: CloudEmulator;
  close(): Promise<void>;
}

export async function startServer(config: Config, log: (line: string) => void): Promise<RunningServer> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const db = openDatabase({
    url: config.databaseUrl ?? undefined,
    sqlitePath: join(config.dataDir, 'kuberack.db'),
  });
  try {
    const emulator = new CloudEmulator({ db, timeScale: config.emulatorTimeScale });
    await emulator.init();
    if (!(await emulator.account(config.emulatorAccessKeyId)))
      await emulator.setAccount({
        accessKeyId: config.emulatorAccessKeyId,
        balanceCny: 1000,
        realNameVerified: true,
      });

    const router = new Router();
    router.on('GET', '/healthz', () =>
      Promise.resolve({ status: 200, body: { status: 'ok', database: db.dialect } }),
    );
    operatorRoutes(router, emulator, operatorToken(config) ?? '');

    const server = createServer(router.listener(log));
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(config.port, config.host, () => ok());
    });
    const { port } = server.address() as AddressInfo;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    return {
      url: `http://${host}:${port}`,
      db,
      emulator,
      close: async () => {
        await new Promise<void>((ok) => {
          server.close(() => ok());
          server.closeAllConnections();
        });
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
