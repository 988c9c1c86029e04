// The `kuberack` command: `serve`, the emulator's operator commands, and the offline `validate` and
// `plan` (a dry-run, M66) of a cluster spec file; `worker` runs the engine, `agent` the node agent.
import { parse as parseYaml } from 'yaml';
import type { Locale, Problem } from '../domain/index.js';
import {
  DEFAULT_QUOTAS,
  demandOf,
  formatPlan,
  INSTANCE_TYPES,
  planCluster,
  quotaHeadroom,
  renderProblem,
  validateClusterSpec,
} from '../domain/index.js';

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, invalidSpec: 1, usage: 2 } as const;

const USAGE = `Usage: kuberack <command> [options]

Commands:
  serve                          run the API, engine and emulator (configured by environment)
  worker                         run only the engine (several share one PostgreSQL)
  cluster create|list|get|delete|scale-out, tasks get, nodes list
                                 the cluster API of a running server (see kuberack cluster)
  emulator inventory|account set operator commands for the embedded cloud (see kuberack emulator)
  agent [--config <path>] [--interval 10s] [--dry-run]
                                 the node agent: report this node's GPUs to the server (see kuberack agent --help)
  validate -f <spec.yaml|json>   check a cluster spec; print every problem at once
  plan -f <spec.yaml|json>       validate, then print the resources that would be created (dry-run)
  version                        print the version

Options:
  -f, --file <path>      the cluster spec (YAML or JSON; "-" reads standard input)
  --lang <en|zh-CN>      language of messages (default: en)
  -o, --output <text|json>
  --cluster-id <id>      id used to name planned resources (default: c-dryrun)

Exit codes: 0 ok, 1 the spec has problems, 2 usage or file error.`;

export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly readFile: (path: string) => string;
}

interface Options {
  file?: string;
  lang: Locale;
  output: 'text' | 'json';
  clusterId: string;
}

function parseArgs(args: readonly string[]): { command: string | undefined; options: Options } | string {
  const options: Options = { lang: 'en', output: 'text', clusterId: 'c-dryrun' };
  const [command, ...rest] = args;
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = rest[i + 1];
    if (value === undefined) return `missing value for ${flag}`;
    if (flag === '-f' || flag === '--file') options.file = value;
    else if (flag === '--lang' && (value === 'en' || value === 'zh-CN')) options.lang = value;
    else if ((flag === '-o' || flag === '--output') && (value === 'text' || value === 'json'))
      options.output = value;
    else if (flag === '--cluster-id') options.clusterId = value;
    else return `unknown option ${flag} ${value}`;
    i++;
  }
  return { command, options };
}

function readSpec(io: Io, file: string): unknown {
  const text = io.readFile(file);
  return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
}

function printProblems(io: Io, title: string, problems: readonly Problem[], lang: Locale): void {
  if (problems.length === 0) return;
  io.err(title);
  for (const p of problems) io.err(`  ${p.path || '(spec)'}: ${renderProblem(p, lang)} [${p.code}]`);
}

export function run(args: readonly string[], io: Io): number {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.err(`kuberack: ${parsed}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const { command, options } = parsed;
  if (command === 'version') {
    io.out('kuberack 0.1.0');
    return EXIT.ok;
  }
  if (command !== 'validate' && command !== 'plan') {
    io.out(USAGE);
    return command === undefined || command === 'help' || command === '--help' ? EXIT.ok : EXIT.usage;
  }
  if (!options.file) {
    io.err(`kuberack ${command}: -f <file> is required`);
    return EXIT.usage;
  }
  let input: unknown;
  try {
    input = readSpec(io, options.file);
  } catch (e) {
    io.err(`kuberack ${command}: cannot read ${options.file}: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.usage;
  }
  const result = validateClusterSpec(input);
  if (options.output === 'json' && command === 'validate') {
    io.out(JSON.stringify({ ok: result.ok, problems: result.problems, warnings: result.warnings }, null, 2));
    return result.ok ? EXIT.ok : EXIT.invalidSpec;
  }
  printProblems(io, 'Problems:', result.problems, options.lang);
  printProblems(io, 'Warnings:', result.warnings, options.lang);
  if (!result.ok) return EXIT.invalidSpec;
  if (command === 'validate') {
    io.out('The spec is valid.');
    return EXIT.ok;
  }
  if (result.spec.network.vpc.mode === 'existing') {
    io.err(
      'kuberack plan: an existing VPC can be planned only against a running Kuberack (it needs the VPC’s facts).',
    );
    return EXIT.usage;
  }
  const graph = planCluster(result.spec, { clusterId: options.clusterId });
  const headroom = quotaHeadroom(demandOf(graph, result.spec, INSTANCE_TYPES), {
    balanceCny: 0,
    realNameVerified: true,
    quotas: {},
    usage: {},
    allowlists: { exclusiveEni: false, customImage: false, workflowEngine: false },
    resourceGroupIds: [],
  }).filter((h) => h.requested > 0);
  if (options.output === 'json') {
    io.out(JSON.stringify({ plan: graph, quotaHeadroom: headroom }, null, 2));
    return EXIT.ok;
  }
  io.out(formatPlan(graph));
  io.out('\nQuota headroom against a new account with default quotas:');
  for (const h of headroom) {
    const quota = h.quota.padEnd(30);
    io.out(
      `  ${quota} default ${String(DEFAULT_QUOTAS[h.quota]).padStart(4)}  this plan ${String(h.requested).padStart(4)}  left ${h.remaining}`,
    );
  }
  return EXIT.ok;
}

/** Every command; the server and operator commands are asynchronous. */
export async function main(args: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'serve') return (await import('./serve.js')).serveCommand(rest, io);
  if (command === 'cluster' || command === 'tasks' || command === 'nodes')
    return (await import('./cluster-client.js')).clusterCommand(command, rest, io);
  if (command === 'worker') return (await import('./worker.js')).workerCommand(rest, io);
  if (command === 'emulator') return (await import('./operator-client.js')).emulatorCommand(rest, io);
  if (command === 'agent') return (await import('./agent.js')).agentCommand(rest, io);
  return run(args, io);
}
