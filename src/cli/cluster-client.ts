// `kuberack cluster|tasks|nodes …`: the native API from a terminal, signed with the caller's access
// key; `cluster create --wait` follows the task's stages live (M9, M67). Exit codes: 0 ok, 1 refused
// or failed, 2 usage, 3 cannot reach or authenticate to the server.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { signedRequest, type ApiResponse, type Credentials } from '../api/client.js';
import { formatPlan, type ResourceGraph } from '../domain/plan/index.js';
import { parseFlags, type Flags } from './flags.js';
import type { Io } from './main.js';

export const CLUSTER_USAGE = `Usage:
  kuberack cluster create -f <spec.yaml> [--wait] [--dry-run]
  kuberack cluster plan -f <spec.yaml>     the dry run: every resource, quota headroom, cost (M66)
  kuberack cluster list | get <id> | delete <id> [--wait]
  kuberack cluster kubeconfig <id> [--endpoint-kind internal|public] [--minutes 15..4320]
  kuberack cluster scale-out <id> --pool <name> --instance-type <type> --count <n> [--wait]
  kuberack tasks get <task-id>
  kuberack nodes list <cluster-id> | get <cluster-id> <node-name-or-instance-id>

Options: --output table|json|yaml (text is table), --endpoint <url>, --profile <name>
Credentials: $KUBERACK_ACCESS_KEY_ID and $KUBERACK_ACCESS_KEY_SECRET, a profile in
~/.kuberack/profiles.json ({"<name>": {"endpoint", "accessKeyId", "accessKeySecret"}}), or the
server's ./data/admin-access-key.json when run beside it.`;

type Problem = { path: string; message: string; code: string };
// The API's JSON, read loosely for printing.
type Body = Record<string, unknown>;

interface Connection {
  readonly endpoint: string;
  readonly creds: Credentials;
}

function connection(flags: Flags): Connection | string {
  const env = process.env;
  let endpoint = (flags.endpoint as string | undefined) ?? env.KUBERACK_ENDPOINT;
  let creds: Credentials | undefined =
    env.KUBERACK_ACCESS_KEY_ID && env.KUBERACK_ACCESS_KEY_SECRET
      ? { accessKeyId: env.KUBERACK_ACCESS_KEY_ID, accessKeySecret: env.KUBERACK_ACCESS_KEY_SECRET }
      : undefined;
  const profileName = flags.profile as string | undefined;
  const profiles = join(homedir(), '.kuberack', 'profiles.json');
  if (profileName || (!creds && existsSync(profiles))) {
    const all = existsSync(profiles)
      ? (JSON.parse(readFileSync(profiles, 'utf8')) as Record<string, Body>)
      : {};
    const p = all[profileName ?? 'default'];
    if (profileName && !p) return `no profile ${profileName} in ${profiles}`;
    if (p) {
      endpoint ??= String(p.endpoint ?? '');
      creds ??= { accessKeyId: String(p.accessKeyId), accessKeySecret: String(p.accessKeySecret) };
    }
  }
  const local = resolve(env.KUBERACK_DATA_DIR ?? 'data', 'admin-access-key.json');
  if (!creds && existsSync(local)) {
    const k = JSON.parse(readFileSync(local, 'utf8')) as Body;
    if (typeof k.accessKeyId === 'string' && typeof k.accessKeySecret === 'string')
      creds = { accessKeyId: k.accessKeyId, accessKeySecret: k.accessKeySecret };
  }
  if (!creds)
    return 'no credentials: set KUBERACK_ACCESS_KEY_ID and KUBERACK_ACCESS_KEY_SECRET, or use --profile';
  return { endpoint: endpoint || 'http://127.0.0.1:8080', creds };
}

class ApiFailure extends Error {
  constructor(
    readonly exit: number,
    message: string,
  ) {
    super(message);
  }
}

async function call(c: Connection, io: Io, method: string, path: string, body?: unknown): Promise<Body> {
  let r: ApiResponse;
  try {
    r = await signedRequest(c.endpoint, c.creds, method, path, body);
  } catch (e) {
    throw new ApiFailure(
      3,
      `cannot reach ${c.endpoint}: ${e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e)}`,
    );
  }
  const b = (r.body ?? {}) as Body;
  if (r.status >= 400) {
    for (const p of (b.problems as Problem[] | undefined) ?? [])
      io.err(`  ${p.path || '(spec)'}: ${p.message} [${p.code}]`);
    throw new ApiFailure(
      r.status === 401 ? 3 : 1,
      `${r.status} ${String(b.code ?? '')}: ${String(b.detail ?? '')}`,
    );
  }
  return b;
}

/** Polls the task, printing each stage as it changes, until it finishes; true when it succeeded. */
async function follow(c: Connection, io: Io, taskId: string): Promise<boolean> {
  const printed = new Map<string, string>();
  for (;;) {
    const t = await call(c, io, 'GET', `/v1/tasks/${taskId}`);
    for (const s of (t.stages as Body[] | undefined) ?? []) {
      const line = `${String(s.state).padEnd(8)} ${String(s.stage).padEnd(14)} ${String(s.finished)}/${String(s.steps)}`;
      if (printed.get(String(s.stage)) !== line && s.state !== 'pending') {
        io.out(line);
        printed.set(String(s.stage), line);
      }
    }
    if (t.state !== 'running') {
      if (t.error) io.err(`task ${taskId} ${String(t.state)}: ${JSON.stringify(t.error)}`);
      else io.out(`task ${taskId} ${String(t.state)}`);
      return t.state === 'succeeded';
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** M66: the dry run for a terminal: the plan, quota headroom and the estimated cost. */
function planLines(r: Body): string[] {
  const cost = r.estimatedCost as { monthlyCny: number; hourlyCny: number; excluded: string[] };
  const tight = (r.quotaHeadroom as Body[]).filter((q) => Number(q.requested) > 0);
  return [
    formatPlan(r.plan as ResourceGraph),
    '',
    `${'QUOTA'.padEnd(32)}${'LIMIT'.padStart(7)}${'USED'.padStart(7)}${'NEEDED'.padStart(8)}${'LEFT'.padStart(7)}`,
    ...tight.map(
      (q) =>
        `${String(q.quota).padEnd(32)}${String(q.limit).padStart(7)}${String(q.used).padStart(7)}${String(q.requested).padStart(8)}${String(q.remaining).padStart(7)}`,
    ),
    '',
    `Estimated cost: ${cost.monthlyCny.toFixed(2)} CNY a month (${cost.hourlyCny.toFixed(2)} CNY an hour pay-as-you-go), approximate list prices`,
    `  not included: ${cost.excluded.join('; ')}`,
    'Nothing was created.',
  ];
}

/** Columns as wide as their widest cell, two spaces apart; `-` for a missing value. */
function table(head: readonly string[], rows: readonly (readonly unknown[])[]): string[] {
  const cells = [head, ...rows.map((r) => r.map((v) => (v === null || v === undefined ? '-' : String(v))))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) =>
    r
      .map((v, i) => (i === r.length - 1 ? v : v.padEnd((widths[i] ?? 0) + 2)))
      .join('')
      .trimEnd(),
  );
}

/** M62: a node and every GPU mounted on it. */
function nodeLines(n: Body): string[] {
  const gpus = (n.gpus ?? []) as Body[];
  const labels = Object.entries((n.labels ?? {}) as Record<string, string>);
  const mib = (v: unknown) => (typeof v === 'number' ? `${v} MiB` : '-');
  return [
    `Name:        ${String(n.nodeName ?? '-')}`,
    `Status:      ${String(n.status ?? '-')}${n.statusReason ? ` (${String(n.statusReason)})` : ''}`,
    `Instance:    ${String(n.instanceId ?? '-')}  ${String(n.privateIp ?? '-')}`,
    `Driver:      ${String(n.driverVersion ?? '-')}  CUDA ${String(n.cudaVersion ?? '-')}`,
    ...(n.gpuError ? [`GPU error:   ${JSON.stringify(n.gpuError)}`] : []),
    `Capacity:    ${Object.entries((n.capacity ?? {}) as Record<string, unknown>)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ')}`,
    'Labels:',
    ...labels.map(([k, v]) => `  ${k}=${v}`),
    `GPUs (${gpus.length}):`,
    ...table(
      ['#', 'MODEL', 'UUID', 'PCI BUS', 'MEMORY', 'MIG'],
      gpus.map((g) => [
        g.index,
        g.product,
        g.uuid,
        g.pciBusId,
        mib(g.memoryTotalMiB),
        `${String(g.migMode ?? 'n/a')}${(g.migDevices as unknown[] | undefined)?.length ? ` (${(g.migDevices as unknown[]).length} devices)` : ''}`,
      ]),
    ).map((line) => `  ${line}`),
  ];
}

function print(io: Io, flags: Flags, value: unknown, text: () => string[]): void {
  if (flags.output === 'json') io.out(JSON.stringify(value, null, 2));
  else if (flags.output === 'yaml') io.out(stringifyYaml(value).trimEnd());
  else for (const line of text()) io.out(line);
}

export async function clusterCommand(group: string, args: readonly string[], io: Io): Promise<number> {
  const [verb, ...rest] = args;
  const positional = rest[0] !== undefined && !rest[0].startsWith('-') ? rest[0] : undefined;
  // `nodes get <cluster> <node>` has a second positional argument.
  const second = positional && rest[1] !== undefined && !rest[1].startsWith('-') ? rest[1] : undefined;
  const flags = parseFlags(rest.slice((positional ? 1 : 0) + (second ? 1 : 0)), {
    file: {},
    f: {},
    wait: { boolean: true },
    'dry-run': { boolean: true },
    output: {},
    o: {},
    endpoint: {},
    profile: {},
    pool: {},
    'instance-type': { repeat: true },
    'endpoint-kind': {},
    minutes: {},
    count: {},
  });
  if (typeof flags === 'string' || verb === undefined) {
    io.err(`kuberack ${group}: ${typeof flags === 'string' ? flags : 'missing command'}\n\n${CLUSTER_USAGE}`);
    return 2;
  }
  flags.output ??= flags.o;
  if (flags.output !== undefined && !['table', 'text', 'json', 'yaml'].includes(String(flags.output))) {
    io.err(`kuberack ${group}: --output must be table, json or yaml\n\n${CLUSTER_USAGE}`);
    return 2;
  }
  const c = connection(flags);
  if (typeof c === 'string') {
    io.err(`kuberack ${group}: ${c}`);
    return 2;
  }
  const wait = flags.wait === 'true';
  try {
    if (group === 'cluster' && (verb === 'create' || verb === 'plan')) {
      const file = (flags.file ?? flags.f) as string | undefined;
      if (!file) throw new ApiFailure(2, `cluster ${verb} needs -f <spec.yaml>`);
      const spec = parseYaml(io.readFile(file)) as unknown;
      const dryRun = verb === 'plan' || flags['dry-run'] === 'true';
      const r = await call(c, io, 'POST', '/v1/clusters', { spec, dryRun });
      if (dryRun) {
        print(io, flags, r, () => planLines(r));
        return 0;
      }
      print(io, flags, r, () => [
        `cluster ${String(r.clusterId)} is being created (task ${String(r.taskId)})`,
      ]);
      return wait && !(await follow(c, io, String(r.taskId))) ? 1 : 0;
    }
    if (group === 'cluster' && verb === 'list') {
      const r = await call(c, io, 'GET', '/v1/clusters?pageSize=100');
      print(io, flags, r, () =>
        table(
          ['ID', 'NAME', 'REGION', 'STATE'],
          (r.items as Body[]).map((i) => [i.id, i.name, i.regionId, i.state]),
        ),
      );
      return 0;
    }
    if (!positional) throw new ApiFailure(2, `${group} ${verb} needs an id`);
    const id = encodeURIComponent(positional);
    if (group === 'cluster' && verb === 'get') {
      const r = await call(c, io, 'GET', `/v1/clusters/${id}`);
      print(io, flags, r, () => [
        `${String(r.id)} ${String(r.name)} ${String(r.state)}`,
        ...(r.steps as Body[]).map((s) => `  ${String(s.state).padEnd(10)} ${String(s.key)}`),
      ]);
      return 0;
    }
    if (group === 'cluster' && verb === 'delete') {
      const r = await call(c, io, 'DELETE', `/v1/clusters/${id}`);
      print(io, flags, r, () => [`cluster ${positional} is being deleted (task ${String(r.taskId)})`]);
      return wait && !(await follow(c, io, String(r.taskId))) ? 1 : 0;
    }
    if (group === 'cluster' && verb === 'kubeconfig') {
      const q = new URLSearchParams({ endpoint: String(flags['endpoint-kind'] ?? 'internal') });
      if (flags.minutes !== undefined) q.set('minutes', String(flags.minutes));
      const r = await call(c, io, 'GET', `/v1/clusters/${id}/kubeconfig?${q.toString()}`);
      print(io, flags, r, () => [String(r.kubeconfig).trimEnd()]);
      return 0;
    }
    if (group === 'cluster' && verb === 'scale-out') {
      const body = {
        name: flags.pool,
        instanceTypes: flags['instance-type'] ?? [],
        count: Number(flags.count),
      };
      const r = await call(c, io, 'POST', `/v1/clusters/${id}/node-pools`, body);
      print(io, flags, r, () => [
        `node pool ${String(flags.pool)} is being added (task ${String(r.taskId)})`,
      ]);
      return wait && !(await follow(c, io, String(r.taskId))) ? 1 : 0;
    }
    if (group === 'tasks' && verb === 'get') {
      const r = await call(c, io, 'GET', `/v1/tasks/${id}`);
      print(io, flags, r, () => [
        `${String(r.id)} ${String(r.type)} ${String(r.state)} stage=${String(r.currentStage)}`,
      ]);
      return 0;
    }
    if (group === 'nodes' && verb === 'list') {
      const r = await call(c, io, 'GET', `/v1/clusters/${id}/nodes`);
      print(io, flags, r, () =>
        table(
          ['NAME', 'STATUS', 'INTERNAL-IP', 'INSTANCE', 'GPUS'],
          (r.items as Body[]).map((n) => {
            const gpus = n.gpus as Body[];
            return [
              n.nodeName,
              n.status,
              n.privateIp,
              n.instanceId,
              `${gpus.length} × ${String(gpus[0]?.product ?? 'no GPU')}`,
            ];
          }),
        ),
      );
      return 0;
    }
    if (group === 'nodes' && verb === 'get') {
      if (!second) throw new ApiFailure(2, 'nodes get needs <cluster-id> <node>');
      const r = await call(c, io, 'GET', `/v1/clusters/${id}/nodes/${encodeURIComponent(second)}`);
      print(io, flags, r, () => nodeLines(r));
      return 0;
    }
    throw new ApiFailure(2, `unknown command: ${group} ${verb}`);
  } catch (e) {
    if (!(e instanceof ApiFailure)) throw e;
    io.err(`kuberack ${group}: ${e.message}`);
    if (e.exit === 2) io.err(CLUSTER_USAGE);
    return e.exit;
  }
}
