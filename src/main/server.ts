// `kuberack serve`: the HTTP API on top of one process's runtime (database, emulator, engine), all
// in one process. With runtime.ts, the only place that picks implementations for the ports.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from '../api/http.js';
import { ackRoutes } from '../api/ack/facade.js';
import { Authenticator } from '../api/auth.js';
import { consoleRoutes } from '../api/console.js';
import { sessionRoutes, Sessions } from '../api/sessions.js';
import { accountRoutes, catalogueRoutes } from '../api/catalogue.js';
import { nativeRoutes } from '../api/native.js';
import { OPENAPI } from '../api/openapi.js';
import { operatorRoutes } from '../api/operator.js';
import { bootstrapTenant } from './bootstrap.js';
import type { CloudEmulator } from '../cloud/emulator/index.js';
import type { Db } from '../store/db.js';
import { operatorToken, type Config } from './config.js';
import { buildRuntime, type Runtime } from './runtime.js';

export interface RunningServer {
  readonly url: string;
  /** `METHOD /path` of every route served. */
  readonly routes: readonly string[];
  readonly db: Db;
  readonly emulator: CloudEmulator;
  readonly runtime: Runtime;
  close(): Promise<void>;
}

/** `log` is for diagnostics (stderr); `out` is what the operator reads once (the first access key). */
export async function startServer(
  config: Config,
  log: (line: string) => void,
  out: (line: string) => void = log,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningServer> {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const router = new Router();
  const server = createServer(router.listener(log));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(config.port, config.host, () => ok());
  });
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  const closeHttp = () =>
    new Promise<void>((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    });
  let runtime: Runtime;
  try {
    runtime = await buildRuntime(config, log, config.publicUrl ?? url, undefined, {
      serveControlPlanes: true,
    });
  } catch (error) {
    await closeHttp();
    throw error;
  }
  const sessions = new Sessions(runtime.db, undefined, (config.publicUrl ?? url).startsWith('https:'));
  const auth = new Authenticator(runtime.db, runtime.box, undefined, sessions);
  try {
    await bootstrapTenant(runtime.db, auth, config, env, out);
  } catch (error) {
    await closeHttp();
    await runtime.stop();
    throw error;
  }
  const api = { db: runtime.db, engine: runtime.engine, registry: runtime.registry, auth, log };
  sessionRoutes(router, sessions, runtime.db);
  nativeRoutes(router, api);
  ackRoutes(router, api);
  catalogueRoutes(router, api);
  accountRoutes(router, api);
  router.on('GET', '/v1/openapi.json', () => Promise.resolve({ status: 200, body: OPENAPI }));
  router.on('GET', '/healthz', () =>
    Promise.resolve({ status: 200, body: { status: 'ok', database: runtime.db.dialect } }),
  );
  operatorRoutes(router, runtime.emulator, operatorToken(config) ?? '');
  consoleRoutes(router, config.consoleDir);
  runtime.start();
  return {
    url,
    routes: router.list(),
    db: runtime.db,
    emulator: runtime.emulator,
    runtime,
    close: async () => {
      await closeHttp();
      await runtime.stop();
    },
  };
}
