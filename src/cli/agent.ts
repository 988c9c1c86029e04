// `kuberack agent`: the node agent on a worker. Reads its configuration, discovers the GPUs, registers
// and heartbeats; `--dry-run` prints the report it would send and exits without touching the network.
import { setTimeout as delay } from 'node:timers/promises';
import {
  AGENT_EXIT,
  collectNodeFacts,
  DEFAULT_NVIDIA_SMI_TIMEOUT_MS,
  discoverGpus,
  ECS_METADATA_URL,
  metadataReader,
  noMetadata,
  readAgentConfig,
  resolveIdentity,
  runAgentLoop,
  sendReport,
  spawnRunner,
} from '../agent/index.js';
import type { AgentSettings, CommandRunner, MetadataReader } from '../agent/index.js';
import { AGENT_CONFIG_PATH, HEARTBEAT_SECONDS, validateNodeReport } from '../domain/node/index.js';
import { parseFlags } from './flags.js';
import type { Io } from './main.js';

export const AGENT_USAGE = `Usage: kuberack agent [--config ${AGENT_CONFIG_PATH}] [--interval 10s] [--dry-run]
       [--nvidia-smi nvidia-smi] [--nvidia-smi-timeout 10s] [--metadata-url ${ECS_METADATA_URL}|none]

Registers this node with the Kuberack server named in the configuration, then reports its GPUs every
interval. --dry-run prints the report it would send (JSON) and exits.
Exit codes: 0 stopped or dry run, 2 usage or invalid configuration, 3 the server revoked the token.`;

/** `10s`, `500ms`, `1m`, `1h`, or a bare number of seconds → milliseconds; null when unreadable. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m?.[1]) return null;
  const factor = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1_000;
  return Math.round(Number(m[1]) * factor);
}

export interface AgentCommandDeps {
  readonly runner?: CommandRunner;
  readonly signal?: AbortSignal;
}

interface Parsed {
  readonly configPath: string;
  readonly intervalMs: number;
  readonly dryRun: boolean;
  readonly command: string;
  readonly smiTimeoutMs: number;
  readonly metadataUrl: string | null;
}

function parseArgs(args: readonly string[]): Parsed | string {
  const flags = parseFlags(args, {
    config: {},
    interval: {},
    'dry-run': { boolean: true },
    'nvidia-smi': {},
    'nvidia-smi-timeout': {},
    'metadata-url': {},
  });
  if (typeof flags === 'string') return flags;
  const intervalMs = parseDuration((flags.interval as string | undefined) ?? `${HEARTBEAT_SECONDS.default}s`);
  if (
    intervalMs === null ||
    intervalMs < HEARTBEAT_SECONDS.min * 1000 ||
    intervalMs > HEARTBEAT_SECONDS.max * 1000
  ) {
    return `--interval must be a duration from ${HEARTBEAT_SECONDS.min}s to ${HEARTBEAT_SECONDS.max}s`;
  }
  const smiTimeoutMs = parseDuration(
    (flags['nvidia-smi-timeout'] as string | undefined) ?? `${DEFAULT_NVIDIA_SMI_TIMEOUT_MS}ms`,
  );
  if (smiTimeoutMs === null || smiTimeoutMs < 100)
    return '--nvidia-smi-timeout must be a duration of at least 100ms';
  const metadataUrl = (flags['metadata-url'] as string | undefined) ?? ECS_METADATA_URL;
  return {
    configPath: (flags.config as string | undefined) ?? AGENT_CONFIG_PATH,
    intervalMs,
    dryRun: flags['dry-run'] === 'true',
    command: (flags['nvidia-smi'] as string | undefined) ?? 'nvidia-smi',
    smiTimeoutMs,
    metadataUrl: metadataUrl === 'none' ? null : metadataUrl.replace(/\/+$/, ''),
  };
}

function readSettings(path: string, io: Io): AgentSettings | string {
  let text: string;
  try {
    text = io.readFile(path);
  } catch (e) {
    return `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`;
  }
  const reading = readAgentConfig(text);
  if (!reading.ok) return `${path} is not a valid agent configuration:\n  ${reading.problems.join('\n  ')}`;
  return reading.settings;
}

/** The report body as sent: identity, facts, GPUs, period. */
async function buildReport(
  p: Parsed,
  settings: AgentSettings,
  runner: CommandRunner,
  metadata: MetadataReader,
) {
  const node = collectNodeFacts();
  const [identity, gpuReport] = await Promise.all([
    resolveIdentity(settings, node, metadata),
    discoverGpus(runner, { command: p.command, timeoutMs: p.smiTimeoutMs }),
  ]);
  const body = { ...identity, gpuReport, node, heartbeatSeconds: Math.ceil(p.intervalMs / 1000) };
  const summary = {
    nodeName: identity.nodeName,
    gpuCount: gpuReport.gpus.length,
    error: gpuReport.error ? `${gpuReport.error.code}: ${gpuReport.error.message}` : null,
  };
  return { body, summary };
}

export async function agentCommand(
  args: readonly string[],
  io: Io,
  deps: AgentCommandDeps = {},
): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(AGENT_USAGE);
    return AGENT_EXIT.ok;
  }
  const p = parseArgs(args);
  if (typeof p === 'string') {
    io.err(`kuberack agent: ${p}\n\n${AGENT_USAGE}`);
    return AGENT_EXIT.usage;
  }
  const runner = deps.runner ?? spawnRunner;
  const settings = readSettings(p.configPath, io);
  if (typeof settings === 'string') {
    io.err(`kuberack agent: ${settings}`);
    return AGENT_EXIT.usage;
  }
  if (p.dryRun) {
    const { body } = await buildReport(p, settings, runner, noMetadata);
    const check = validateNodeReport(body);
    io.out(JSON.stringify(body, null, 2));
    if (!check.ok)
      io.err(`kuberack agent: the server would refuse this report: ${JSON.stringify(check.problems)}`);
    return check.ok ? AGENT_EXIT.ok : AGENT_EXIT.usage;
  }
  const metadata =
    p.metadataUrl === null || settings.instanceId !== null ? noMetadata : metadataReader(p.metadataUrl);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  deps.signal?.addEventListener('abort', onSignal);
  io.err(
    `kuberack agent: reporting to ${settings.server} for cluster ${settings.clusterId} every ${p.intervalMs / 1000}s`,
  );
  try {
    return await runAgentLoop({
      intervalMs: p.intervalMs,
      build: () => buildReport(p, settings, runner, metadata),
      send: (body) => sendReport(settings.server, settings.token, body),
      sleep: (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined),
      random: Math.random,
      log: (line) => io.err(`kuberack agent: ${line}`),
      signal: stop.signal,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
