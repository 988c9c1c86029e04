// Booting emulated workers: an instance whose user data carries a Kuberack agent configuration
// "boots" a modelled time after it is Running; then it registers like a real agent, with its GPUs.
import { parse as parseYaml } from 'yaml';
import type { GpuReport } from '../../domain/gpu/report.js';
import { AGENT_CONFIG_PATH, parseAgentConfig, type AgentConfig } from '../../domain/node/index.js';
import type { Db } from '../../store/db.js';
import type { InstanceAttrs } from './compute.js';
import { emulatedGpuReport } from './gpus.js';
import type { LatencyModel } from './latency.js';
import { allLive, Records, statusAt, type Row } from './records.js';

interface WriteFile {
  path?: unknown;
  content?: unknown;
  encoding?: unknown;
}

/** The cloud-config documents of user data: plain `#cloud-config`, or the parts of a MIME multipart. */
function cloudConfigs(userData: string): string[] {
  if (userData.startsWith('#cloud-config')) return [userData];
  const boundary = /boundary="?([^"\r\n;]+)"?/.exec(userData)?.[1];
  if (!/^Content-Type: multipart\/mixed/im.test(userData) || !boundary) return [];
  return userData
    .split(`--${boundary}`)
    .map((part) => part.split(/\r?\n\r?\n/))
    .filter(([head]) => /Content-Type: text\/cloud-config/i.test(head ?? ''))
    .map((chunks) => chunks.slice(1).join('\n\n'));
}

/** The agent configuration a worker's user data writes to AGENT_CONFIG_PATH, if any. */
export function agentConfigIn(userData: string): AgentConfig | null {
  for (const doc of cloudConfigs(userData)) {
    let parsed: unknown;
    try {
      parsed = parseYaml(doc);
    } catch {
      continue;
    }
    const files = (parsed as { write_files?: unknown } | null)?.write_files;
    if (!Array.isArray(files)) continue;
    for (const f of files as WriteFile[]) {
      if (f.path !== AGENT_CONFIG_PATH || typeof f.content !== 'string') continue;
      const text =
        f.encoding === 'b64' || f.encoding === 'base64'
          ? Buffer.from(f.content, 'base64').toString('utf8')
          : f.content;
      const config = parseAgentConfig(text);
      if (config) return config;
    }
  }
  return null;
}

export interface BootedNode {
  readonly accountId: string;
  readonly regionId: string;
  readonly instanceId: string;
  readonly instanceType: string;
  readonly privateIp: string;
  readonly hostName: string;
  readonly agent: AgentConfig;
  readonly gpuReport: GpuReport;
  /** When the modelled boot finished (epoch ms). */
  readonly bootedAt: number;
}

type BootAttrs = InstanceAttrs & { bootReportedAt?: number | null };

/** When the instance finished booting, or null while it has not (or is not Running). */
function bootedAt(row: Row<BootAttrs>, now: number, latency: LatencyModel): number | null {
  if (statusAt(row, now) !== 'Running') return null;
  const running = [...row.timeline].reverse().find((e) => e.status === 'Running' && e.at <= now);
  if (!running) return null;
  const at = running.at + latency.delayMs('instance.boot', `${row.id}:${running.at}`);
  return at <= now ? at : null;
}

/**
 * Instances of every account that finished booting a Kuberack worker: those that have not registered
 * yet (`new`), or all of them, registered or not (`all`: the running workers that heartbeat).
 */
export async function bootedNodes(
  db: Db,
  now: number,
  latency: LatencyModel,
  which: 'new' | 'all' = 'new',
): Promise<BootedNode[]> {
  const rows = (await allLive(db, now, undefined, 'instance')) as unknown as Row<BootAttrs>[];
  const out: BootedNode[] = [];
  for (const row of rows) {
    if (which === 'new' && row.attrs.bootReportedAt) continue;
    const at = bootedAt(row, now, latency);
    const agent = at === null ? null : agentConfigIn(row.attrs.userData);
    if (at === null || !agent) continue;
    out.push({
      accountId: row.accountId,
      regionId: row.regionId,
      instanceId: row.id,
      instanceType: row.attrs.instanceType,
      privateIp: row.attrs.privateIp,
      hostName: row.attrs.hostName,
      agent,
      gpuReport: emulatedGpuReport(row.id, row.attrs.instanceType),
      bootedAt: at,
    });
  }
  return out;
}

/** Records that a booted node registered, so it is not reported again (until it is re-imaged). */
export async function markBootReported(
  db: Db,
  accountId: string,
  instanceId: string,
  now: number,
): Promise<void> {
  const r = new Records(db, accountId, now);
  const row = await r.get<BootAttrs>('instance', instanceId);
  if (!row) return;
  row.attrs.bootReportedAt = now;
  await r.update(row);
}
