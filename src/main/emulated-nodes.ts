// Emulated workers join through the same node-report path as real agents: booted instances of the
// emulator are registered with the node registry once, then heartbeat while they run, as agents do.
import type { CloudEmulator } from '../cloud/emulator/index.js';
import type { BootedNode } from '../cloud/emulator/boot.js';
import { agentNodeName } from '../domain/node/index.js';
import type { DbNodeRegistry } from '../engine/services.js';

/** The heartbeat period emulated workers announce and keep (wall-clock, whatever the time scale). */
export const EMULATED_HEARTBEAT_SECONDS = 10;

const lastHeartbeat = new WeakMap<DbNodeRegistry, number>();

function reportOf(n: BootedNode): Record<string, unknown> {
  return {
    instanceId: n.instanceId,
    nodeName: agentNodeName(n.agent, n.privateIp, `${n.regionId}.${n.privateIp}`),
    privateIp: n.privateIp,
    gpuReport: n.gpuReport,
    heartbeatSeconds: EMULATED_HEARTBEAT_SECONDS,
  };
}

function refusal(result: Awaited<ReturnType<DbNodeRegistry['report']>>): string | null {
  if (!('error' in result)) return null;
  if (result.error === 'unknown node token') return result.error;
  return `${result.error}: ${result.problems.map((p) => `${p.path} ${p.code}`).join(', ')}`;
}

/**
 * One pass: registers the workers that finished booting (each once), and, at most every
 * EMULATED_HEARTBEAT_SECONDS, heartbeats every running registered one. Returns how many booted
 * workers were handed to the registry for the first time.
 */
export async function registerBootedNodes(
  emulator: CloudEmulator,
  registry: DbNodeRegistry,
  log: (line: string) => void = () => undefined,
  now: number = Date.now(),
): Promise<number> {
  const booted = await emulator.bootedNodes();
  for (const n of booted) {
    const refused = refusal(await registry.report(n.agent.token, reportOf(n)));
    // A refused report (a token of a deleted cluster) is not retried: a real agent would give up too.
    if (refused !== null) log(`emulated node ${n.instanceId} was refused: ${refused}`);
    await emulator.markBootReported(n.accountId, n.instanceId);
  }
  if (now - (lastHeartbeat.get(registry) ?? 0) >= EMULATED_HEARTBEAT_SECONDS * 1000) {
    lastHeartbeat.set(registry, now);
    const fresh = new Set(booted.map((n) => n.instanceId));
    for (const n of await emulator.bootedNodes('all')) {
      if (fresh.has(n.instanceId)) continue;
      // Silent on refusal: a worker whose cluster is being deleted heartbeats until it is released.
      await registry.report(n.agent.token, reportOf(n));
    }
  }
  return booted.length;
}
