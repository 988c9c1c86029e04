// `kuberack worker`: only the engine (and the emulated workers' registration), no HTTP; several of
// these on several machines share one PostgreSQL (DATABASE_URL) with `kuberack serve`.
import { ConfigError, loadConfig } from '../main/config.js';
import { buildRuntime } from '../main/runtime.js';
import { parseFlags } from './flags.js';
import type { Io } from './main.js';

export async function workerCommand(args: readonly string[], io: Io): Promise<number> {
  const flags = parseFlags(args, { 'data-dir': {} });
  if (typeof flags === 'string') {
    io.err(
      `kuberack worker: ${flags}\nUsage: kuberack worker [--data-dir ./data] (more settings: environment, see README)`,
    );
    return 2;
  }
  let config;
  try {
    config = loadConfig(process.env, { dataDir: flags['data-dir'] as string | undefined });
  } catch (e) {
    if (e instanceof ConfigError) {
      io.err(`kuberack worker: ${e.message}`);
      return 2;
    }
    throw e;
  }
  // Test hook of the crash-resume tests: die by SIGKILL, with no clean-up, after N finished steps.
  const crashAfter = Number(process.env.KUBERACK_TEST_CRASH_AFTER_STEPS ?? 0);
  let finished = 0;
  const onStepFinished =
    crashAfter > 0
      ? () => {
          if (++finished >= crashAfter) process.kill(process.pid, 'SIGKILL');
        }
      : undefined;
  const runtime = await buildRuntime(
    config,
    io.err,
    config.publicUrl ?? `http://${config.host}:${config.port}`,
    onStepFinished,
  );
  runtime.start();
  io.out(`kuberack worker ${runtime.engine.workerId} running (database: ${runtime.db.dialect})`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await runtime.stop();
  return 0;
}
