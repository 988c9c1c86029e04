// Process configuration from the environment, checked once at start: every bad value is reported
// together, by variable name, before anything listens or opens a database.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Config {
  /** Where SQLite, the master key and the operator token live (`--data-dir`, KUBERACK_DATA_DIR, default `./data`). */
  readonly dataDir: string;
  /** PostgreSQL when set (DATABASE_URL); otherwise SQLite in the data directory. */
  readonly databaseUrl: string | null;
  readonly host: string;
  readonly port: number;
  /** KUBERACK_EMULATOR_TIME_SCALE: 1 = the public cloud's speed, 100 = faster, `instant` = no waiting. */
  readonly emulatorTimeScale: number;
  /** The emulator account created at first start for the default tenant. */
  readonly emulatorAccessKeyId: string;
  /** Where nodes reach the API (KUBERACK_PUBLIC_URL); null: the address the server listens on. */
  readonly publicUrl: string | null;
  /**
   * KUBERACK_ENGINE_LEASE_MS: how long a worker owns a step it claimed; a crashed worker's steps are
   * taken over after this. Longer than any single cloud call.
   */
  readonly engineLeaseMs: number;
  /** The built web console served under /console/ (KUBERACK_CONSOLE_DIR, default the checkout's web/dist). */
  readonly consoleDir: string;
  /**
   * KUBERACK_CONTROL_PLANE_LISTEN: the loopback tunnel through which kubeconfigs reach the emulated
   * API servers (`host:port`, or `off`); default 127.0.0.1:7443, an ephemeral port when the API's is 0.
   */
  readonly controlPlaneListen: { readonly host: string; readonly port: number } | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** Command-line flags of `serve` and `worker`, which win over the environment. */
export interface ConfigFlags {
  readonly port?: string;
  readonly dataDir?: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, flags: ConfigFlags = {}): Config {
  if (flags.dataDir !== undefined) env = { ...env, KUBERACK_DATA_DIR: flags.dataDir };
  if (flags.port !== undefined) {
    const host = /^(.*):\d{1,5}$/.exec(env.KUBERACK_LISTEN ?? '')?.[1] ?? '127.0.0.1';
    env = { ...env, KUBERACK_LISTEN: `${host}:${flags.port}` };
  }
  const problems: string[] = [];
  const listen = env.KUBERACK_LISTEN ?? '127.0.0.1:8080';
  const m = /^(.*):(\d{1,5})$/.exec(listen);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port >= 0 && port <= 65535) || m[1] === '')
    problems.push(`KUBERACK_LISTEN=${listen}: expected host:port, e.g. 127.0.0.1:8080`);
  const scaleText = env.KUBERACK_EMULATOR_TIME_SCALE ?? '1';
  const scale = scaleText === 'instant' ? Infinity : Number(scaleText);
  if (!(scale >= 1 && (scale <= 1e6 || scale === Infinity)))
    problems.push(
      `KUBERACK_EMULATOR_TIME_SCALE=${scaleText}: expected a number from 1 to 1000000, or "instant"`,
    );
  const url = env.DATABASE_URL?.trim() || null;
  if (url !== null && !/^postgres(ql)?:\/\//.test(url))
    problems.push('DATABASE_URL: expected postgres://… (leave it unset for the embedded SQLite database)');
  const ak = env.KUBERACK_EMULATOR_ACCESS_KEY_ID ?? 'KuberackDefault';
  if (!/^[A-Za-z0-9]{4,64}$/.test(ak))
    problems.push(`KUBERACK_EMULATOR_ACCESS_KEY_ID=${ak}: expected 4 to 64 letters and digits`);
  const publicUrl = env.KUBERACK_PUBLIC_URL?.trim() || null;
  if (publicUrl !== null && !/^https?:\/\/[^/\s]+/.test(publicUrl))
    problems.push(`KUBERACK_PUBLIC_URL=${publicUrl}: expected http(s)://host[:port]`);
  const leaseText = env.KUBERACK_ENGINE_LEASE_MS ?? '30000';
  const leaseMs = Number(leaseText);
  if (!Number.isSafeInteger(leaseMs) || leaseMs < 500 || leaseMs > 3_600_000)
    problems.push(`KUBERACK_ENGINE_LEASE_MS=${leaseText}: expected milliseconds from 500 to 3600000`);
  const controlPlaneListen = controlPlaneAddress(env.KUBERACK_CONTROL_PLANE_LISTEN, port, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    dataDir: resolve(env.KUBERACK_DATA_DIR ?? 'data'),
    databaseUrl: url,
    host: m?.[1] ?? '127.0.0.1',
    port,
    emulatorTimeScale: scale,
    emulatorAccessKeyId: ak,
    publicUrl,
    engineLeaseMs: leaseMs,
    consoleDir: resolve(
      env.KUBERACK_CONSOLE_DIR ?? fileURLToPath(new URL('../../web/dist', import.meta.url)),
    ),
    controlPlaneListen,
  };
}

/** KUBERACK_CONTROL_PLANE_LISTEN: `host:port` or `off`; a throwaway server (API port 0) gets port 0 too. */
function controlPlaneAddress(
  text: string | undefined,
  apiPort: number,
  problems: string[],
): Config['controlPlaneListen'] {
  if (text?.trim() === 'off') return null;
  const value = text?.trim() || `127.0.0.1:${apiPort === 0 ? 0 : 7443}`;
  const m = /^(.+):(\d{1,5})$/.exec(value);
  const port = Number(m?.[2]);
  if (!m?.[1] || !(port >= 0 && port <= 65535)) {
    problems.push(`KUBERACK_CONTROL_PLANE_LISTEN=${value}: expected host:port, e.g. 127.0.0.1:7443, or off`);
    return null;
  }
  return { host: m[1].replace(/^\[(.*)\]$/, '$1'), port };
}

/** The operator token: KUBERACK_OPERATOR_TOKEN, or the data directory's token file (made at first start). */
export function operatorToken(
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
  create = true,
): string | null {
  if (env.KUBERACK_OPERATOR_TOKEN) return env.KUBERACK_OPERATOR_TOKEN;
  const file = join(config.dataDir, 'operator-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  if (!create) return null;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return token;
}

/**
 * The 32-byte key that seals secrets at rest: KUBERACK_MASTER_KEY (base64, shared by every process of a
 * PostgreSQL deployment), or the data directory's key file, made at first start (mode 0600).
 */
export function masterKey(config: Config, env: NodeJS.ProcessEnv = process.env): Buffer {
  const fromEnv = env.KUBERACK_MASTER_KEY;
  if (fromEnv) {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== 32) throw new ConfigError(['KUBERACK_MASTER_KEY: expected 32 bytes, base64-encoded']);
    return key;
  }
  const file = join(config.dataDir, 'master.key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new ConfigError([`${file}: expected 32 bytes, base64-encoded`]);
  return key;
}
