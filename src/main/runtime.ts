// One process's parts, built the same way for `kuberack serve` and `kuberack worker`: the database
// (migrated), the emulator, the engine with its services, and the loops that drive them.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CloudEmulator } from '../cloud/emulator/index.js';
import {
  ClusterDirectory,
  startControlPlaneEndpoint,
  type ControlPlaneEndpoint,
} from '../control-plane/index.js';
import { Engine, type EngineOptions } from '../engine/engine.js';
import {
  workerBootstrap,
  DbNodeRegistry,
  emulatedControlPlanes,
  pkiCredentials,
  recordOnlyControlPlanes,
} from '../engine/services.js';
import type { Db } from '../store/db.js';
import { API_MIGRATIONS } from '../store/api-schema.js';
import { ENGINE_MIGRATIONS } from '../store/engine-schema.js';
import { migrate } from '../store/migrate.js';
import { openDatabase } from '../store/open.js';
import { SecretBox } from '../store/secret-box.js';
import { ConfigError, masterKey, type Config } from './config.js';
import { registerBootedNodes } from './emulated-nodes.js';

export interface Runtime {
  readonly db: Db;
  readonly box: SecretBox;
  readonly emulator: CloudEmulator;
  readonly engine: Engine;
  readonly registry: DbNodeRegistry;
  /** The emulated API servers' endpoint (`kuberack serve` only, unless KUBERACK_CONTROL_PLANE_LISTEN=off). */
  readonly controlPlane: ControlPlaneEndpoint | null;
  /** Starts the engine's workers and the emulated workers' registration loop. */
  start(): void;
  stop(): Promise<void>;
}

/** The engine on the emulator with Kuberack's services (PKI, node registry, bootstrap, control planes). */
export function assembleEngine(
  o: Omit<EngineOptions, 'provider' | 'services'> & {
    emulator: CloudEmulator;
    serverUrl: string;
    /** Emulated API servers (src/control-plane); without it, control planes are recorded only. */
    controlPlanes?: { serving: boolean; proxyUrl: (clusterId: string) => string | null };
  },
): { engine: Engine; registry: DbNodeRegistry } {
  // The services reach the engine's secret store lazily, once the engine exists.
  const secrets = (clusterId: string) => engine.secrets(clusterId);
  const registry = new DbNodeRegistry(o.db, secrets, () => Date.now());
  const { emulator, serverUrl, controlPlanes, ...options } = o;
  const engine: Engine = new Engine({
    ...options,
    provider: (ak) => emulator.provider(ak),
    services: {
      credentials: pkiCredentials(secrets, () => Date.now()),
      controlPlanes: controlPlanes ? emulatedControlPlanes(controlPlanes) : recordOnlyControlPlanes(),
      nodes: registry,
      bootstrap: workerBootstrap({ db: o.db, secrets, serverUrl }),
    },
  });
  return { engine, registry };
}

export async function buildRuntime(
  config: Config,
  log: (line: string) => void,
  serverUrl: string,
  onStepFinished?: (clusterId: string, stepKey: string) => void,
  options: { serveControlPlanes?: boolean } = {},
): Promise<Runtime> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const db = openDatabase({
    url: config.databaseUrl ?? undefined,
    sqlitePath: join(config.dataDir, 'kuberack.db'),
  });
  try {
    const box = new SecretBox(masterKey(config));
    const emulator = new CloudEmulator({ db, timeScale: config.emulatorTimeScale });
    await emulator.init();
    await migrate(db, 'engine', ENGINE_MIGRATIONS);
    await migrate(db, 'api', API_MIGRATIONS);
    if (!(await emulator.account(config.emulatorAccessKeyId)))
      await emulator.setAccount({
        accessKeyId: config.emulatorAccessKeyId,
        balanceCny: 10_000,
        realNameVerified: true,
      });
    // Poll the emulated cloud about as often, relative to its speed, as one would poll the real one.
    const pollMs = Math.max(20, Math.round(2_000 / config.emulatorTimeScale));
    const { engine, registry } = assembleEngine({
      db,
      box,
      emulator,
      serverUrl,
      pollMs,
      maxPollMs: Math.max(pollMs, Math.round(15_000 / config.emulatorTimeScale)),
      retryBaseMs: Math.max(10, Math.round(500 / config.emulatorTimeScale)),
      leaseMs: config.engineLeaseMs,
      log,
      onStepFinished,
      controlPlanes: {
        serving: config.controlPlaneListen !== null,
        proxyUrl: (clusterId) => controlPlane?.proxyUrl(clusterId) ?? null,
      },
    });
    const listen = options.serveControlPlanes ? config.controlPlaneListen : null;
    const controlPlane: ControlPlaneEndpoint | null = listen
      ? await startControlPlaneEndpoint({
          ...listen,
          directory: new ClusterDirectory(db, (clusterId) => engine.secrets(clusterId)),
          log,
        }).catch((error: unknown) => {
          const why = error instanceof Error ? error.message : String(error);
          throw new ConfigError([
            `KUBERACK_CONTROL_PLANE_LISTEN=${listen.host}:${listen.port}: ${why} (choose another address, or off)`,
          ]);
        })
      : null;
    let pumping = false;
    let pump: NodeJS.Timeout | undefined;
    return {
      db,
      box,
      emulator,
      engine,
      registry,
      controlPlane,
      start() {
        engine.start(Math.min(100, pollMs));
        pump = setInterval(
          () => {
            if (pumping) return;
            pumping = true;
            registerBootedNodes(emulator, registry, log)
              .catch((err: unknown) =>
                log(`emulated nodes: ${err instanceof Error ? err.message : String(err)}`),
              )
              .finally(() => (pumping = false));
          },
          Math.min(1_000, pollMs * 5),
        );
      },
      async stop() {
        if (pump) clearInterval(pump);
        await controlPlane?.close();
        await engine.stop();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
