// `kuberack emulator …`: the operator's commands against a running server (inventory, account set),
// authenticated with the operator token from KUBERACK_OPERATOR_TOKEN or the data directory.
import { loadConfig, operatorToken } from '../main/config.js';
import { parseFlags } from './flags.js';
import type { Io } from './main.js';

export const EMULATOR_USAGE = `Usage:
  kuberack emulator inventory [--access-key-id <ak>] [--output text|json]
  kuberack emulator account set --access-key-id <ak> [--balance <CNY>] [--real-name true|false]
                                [--quota <name>=<limit>]... [--allowlist <name>=true|false]...

Options:
  --server <url>   the Kuberack server (default: $KUBERACK_URL or http://127.0.0.1:8080)
The operator token comes from $KUBERACK_OPERATOR_TOKEN or <data dir>/operator-token.`;

interface Problem {
  path: string;
  message: string;
}

async function call(
  io: Io,
  server: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(new URL(path, server), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (e) {
    throw new Error(
      `cannot reach ${server}: ${e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e)}`,
    );
  }
  const text = await res.text();
  const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!res.ok) {
    const problems = (json.problems as Problem[] | undefined) ?? [];
    for (const p of problems) io.err(`  ${p.path || '(body)'}: ${p.message}`);
    throw new Error(`${res.status} ${String(json.code ?? '')}: ${String(json.detail ?? text)}`);
  }
  return json;
}

function pairs(values: string[] | undefined, what: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const m = /^([^=]+)=(.*)$/.exec(v);
    if (!m?.[1]) return `--${what} expects name=value, got ${v}`;
    out[m[1]] = m[2] ?? '';
  }
  return out;
}

export async function emulatorCommand(args: readonly string[], io: Io): Promise<number> {
  const [sub, sub2] = args;
  const isSet = sub === 'account' && sub2 === 'set';
  if (sub !== 'inventory' && !isSet) {
    io.err(EMULATOR_USAGE);
    return 2;
  }
  const flags = parseFlags(args.slice(isSet ? 2 : 1), {
    server: {},
    output: {},
    'access-key-id': {},
    balance: {},
    'real-name': {},
    quota: { repeat: true },
    allowlist: { repeat: true },
  });
  if (typeof flags === 'string') {
    io.err(`kuberack emulator: ${flags}\n\n${EMULATOR_USAGE}`);
    return 2;
  }
  const server = String(flags.server ?? process.env.KUBERACK_URL ?? 'http://127.0.0.1:8080');
  const token = operatorToken(loadConfig(), process.env, false);
  if (!token) {
    io.err(
      'kuberack emulator: no operator token: set KUBERACK_OPERATOR_TOKEN or run from the server’s directory',
    );
    return 2;
  }
  try {
    if (sub === 'inventory') {
      const ak = flags['access-key-id'] as string | undefined;
      const q = ak ? `?accessKeyId=${encodeURIComponent(ak)}` : '';
      const { items } = (await call(io, server, token, 'GET', `/v1/operator/emulator/inventory${q}`)) as {
        items: {
          id: string;
          kind: string;
          regionId: string;
          status: string;
          ownerCluster: string | null;
          ownerStep: string | null;
        }[];
      };
      if (flags.output === 'json') io.out(JSON.stringify(items, null, 2));
      else {
        io.out(`${'KIND'.padEnd(16)}${'ID'.padEnd(30)}${'REGION'.padEnd(14)}${'STATUS'.padEnd(12)}OWNER`);
        for (const i of items)
          io.out(
            `${i.kind.padEnd(16)}${i.id.padEnd(30)}${i.regionId.padEnd(14)}${i.status.padEnd(12)}${i.ownerCluster ? `${i.ownerCluster} ${i.ownerStep ?? ''}` : '-'}`,
          );
        io.out(`${items.length} resource(s)`);
      }
      return 0;
    }
    const ak = flags['access-key-id'];
    if (typeof ak !== 'string') {
      io.err('kuberack emulator account set: --access-key-id is required');
      return 2;
    }
    const quotas = pairs(flags.quota as string[] | undefined, 'quota');
    const allow = pairs(flags.allowlist as string[] | undefined, 'allowlist');
    if (typeof quotas === 'string' || typeof allow === 'string') {
      io.err(`kuberack emulator account set: ${typeof quotas === 'string' ? quotas : String(allow)}`);
      return 2;
    }
    const body: Record<string, unknown> = {};
    if (flags.balance !== undefined) body.balanceCny = Number(flags.balance);
    if (flags['real-name'] !== undefined)
      body.realNameVerified =
        flags['real-name'] === 'true' ? true : flags['real-name'] === 'false' ? false : flags['real-name'];
    if (Object.keys(quotas).length > 0)
      body.quotas = Object.fromEntries(Object.entries(quotas).map(([k, v]) => [k, Number(v)]));
    if (Object.keys(allow).length > 0)
      body.allowlists = Object.fromEntries(
        Object.entries(allow).map(([k, v]) => [k, v === 'true' ? true : v === 'false' ? false : v]),
      );
    const account = await call(
      io,
      server,
      token,
      'PUT',
      `/v1/operator/emulator/accounts/${encodeURIComponent(ak)}`,
      body,
    );
    io.out(
      flags.output === 'json'
        ? JSON.stringify(account, null, 2)
        : `account ${ak} updated: ${JSON.stringify(account)}`,
    );
    return 0;
  } catch (e) {
    io.err(`kuberack emulator: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
