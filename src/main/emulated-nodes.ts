// Emulated workers join through the same node-report path as real agents: booted instances of the
// emulator are registered with the node registry, each once.
import type { CloudEmulator } from '../cloud/emulator/index.js';
import type { DbNodeRegistry } from '../engine/services.js';

/** One pass; returns how many booted workers were handed to the registry. */
export async function registerBootedNodes(
  emulator: CloudEmulator,
  registry: DbNodeRegistry,
  log: (line: string) => void = () => undefined,
): Promise<number> {
  const booted = await emulator.bootedNodes();
  for (const n of booted) {
    const result = await registry.register({
      token: n.agent.token,
      instanceId: n.instanceId,
      nodeName: n.agent.nodeName ?? `${n.regionId}.${n.privateIp}`,
      privateIp: n.privateIp,
      gpuReport: n.gpuReport,
    });
    // A refused report (a token of a deleted cluster) is not retried: a real agent would give up too.
    if ('error' in result) log(`emulated node ${n.instanceId} was refused: ${result.error}`);
    await emulator.markBootReported(n.accountId, n.instanceId);
  }
  return booted.length;
}
