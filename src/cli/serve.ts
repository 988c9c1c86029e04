// `kuberack serve`: API, engine and emulator in one process until SIGINT or SIGTERM;
// settings come from flags (`--port`, `--data-dir`) and the environment (see README).
import { ConfigError, loadConfig } from '../main/config.js';
import { startServer } from '../main/server.js';
import { parseFlags } from './flags.js';
import type { Io } from './main.js';

export async function serveCommand(args: readonly string[], io: Io): Promise<number> {
  const flags = parseFlags(args, { port: {}, 'data-dir': {} });
  if (typeof flags === 'string') {
    io.err(
      `kuberack serve: ${flags}\nUsage: kuberack serve [--port 8080] [--data-dir ./data] (more settings: environment, see README)`,
    );
    return 2;
  }
  let config;
  try {
    config = loadConfig(process.env, {
      port: flags.port as string | undefined,
      dataDir: flags['data-dir'] as string | undefined,
    });
  } catch (e) {
    if (e instanceof ConfigError) {
      io.err(`kuberack serve: ${e.message}`);
      return 2;
    }
    throw e;
  }
  let server;
  try {
    server = await startServer(config, io.err, io.out);
  } catch (e) {
    // Problems found only at start (a port in use, a bad setting of the control-plane endpoint) are
    // one clear line and exit code 2, like a bad setting found before it.
    if (e instanceof ConfigError) {
      io.err(`kuberack serve: ${e.message}`);
      return 2;
    }
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      io.err(
        `kuberack serve: ${config.host}:${config.port} is already in use; choose another with --port or KUBERACK_LISTEN`,
      );
      return 2;
    }
    throw e;
  }
  io.out(`kuberack listening on ${server.url} (database: ${server.db.dialect}, data: ${config.dataDir})`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.out('kuberack: shutting down');
  await server.close();
  return 0;
}
