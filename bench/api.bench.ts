// Requests per second and latency of cluster detail and node list on a real `kuberack serve` process
// (SQLite), signed or from a console session, against a bare Fastify route as the ceiling (issue 8).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { signedHeaders, signedRequest, type Credentials } from '../src/api/client.js';

const ROOT = join(import.meta.dirname, '..');
const CREDS: Credentials = {
  accessKeyId: 'KRBENCHADMIN0001',
  accessKeySecret: 'bench-secret-0123456789abcdef',
};
const PASSWORD = 'bench-console-password';
const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 10);
const CONNECTIONS = 10;

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/** A child process running `script` with tsx; resolves once `ready` answers 200. */
async function startProcess(args: string[], env: NodeJS.ProcessEnv, ready: string): Promise<ChildProcess> {
  // BENCH_NODE_OPTIONS, e.g. --cpu-prof, for profiling the processes under load.
  const extra = (process.env.BENCH_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(ready)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${args.join(' ')} did not become ready`);
}

interface Load {
  readonly name: string;
  readonly url: string;
  readonly headers: () => Record<string, string>;
}

interface Measured {
  readonly name: string;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
}

async function measure(load: Load): Promise<Measured> {
  const u = new URL(load.url);
  const result = await autocannon({
    url: u.origin,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'GET',
        path: `${u.pathname}${u.search}`,
        setupRequest: (r) => ({ ...r, headers: load.headers() }),
      },
    ],
  });
  return {
    name: load.name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors,
  };
}

export async function run(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kuberack-bench-api-'));
  const [port, ceilingPort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${port}`;
  const server = await startProcess(
    ['src/cli/bin.ts', 'serve'],
    {
      KUBERACK_DATA_DIR: dir,
      KUBERACK_LISTEN: `127.0.0.1:${port}`,
      KUBERACK_EMULATOR_TIME_SCALE: 'instant',
      KUBERACK_BOOTSTRAP_ACCESS_KEY_ID: CREDS.accessKeyId,
      KUBERACK_BOOTSTRAP_ACCESS_KEY_SECRET: CREDS.accessKeySecret,
      KUBERACK_BOOTSTRAP_ADMIN_PASSWORD: PASSWORD,
    },
    `${base}/healthz`,
  );
  let ceiling: ChildProcess | undefined;
  try {
    const spec = (await import('yaml')).parse(
      (await import('node:fs')).readFileSync(join(ROOT, 'examples', 'quickstart.yaml'), 'utf8'),
    ) as unknown;
    const created = await signedRequest(base, CREDS, 'POST', '/v1/clusters', { spec });
    if (created.status !== 202) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
    const id = String((created.body as { clusterId: string }).clusterId);
    for (let i = 0; i < 600; i++) {
      const c = await signedRequest(base, CREDS, 'GET', `/v1/clusters/${id}`);
      if ((c.body as { state: string }).state === 'running') break;
      if (i === 599) throw new Error('the cluster did not reach running');
      await new Promise((r) => setTimeout(r, 100));
    }
    const detail = await signedRequest(base, CREDS, 'GET', `/v1/clusters/${id}`);
    const nodes = await signedRequest(base, CREDS, 'GET', `/v1/clusters/${id}/nodes`);
    const login = await fetch(`${base}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    // The ceiling: node:http under Fastify answering the same bytes, no database, no authentication.
    const detailText = JSON.stringify(detail.body);
    const nodesText = JSON.stringify(nodes.body);
    ceiling = await startProcess(
      [
        '--input-type=module',
        '-e',
        `import Fastify from 'fastify';
         const app = Fastify();
         const detail = ${JSON.stringify(detailText)}, nodes = ${JSON.stringify(nodesText)};
         app.get('/detail', (_q, r) => r.type('application/json').send(detail));
         app.get('/nodes', (_q, r) => r.type('application/json').send(nodes));
         await app.listen({ port: ${ceilingPort}, host: '127.0.0.1' });`,
      ],
      {},
      `http://127.0.0.1:${ceilingPort}/detail`,
    );
    const ceilingBase = `http://127.0.0.1:${ceilingPort}`;
    const signed = (path: string) => () => signedHeaders(base, CREDS, 'GET', path);
    const loads: Load[] = [
      {
        name: 'bare Fastify route, detail body (ceiling)',
        url: `${ceilingBase}/detail`,
        headers: () => ({}),
      },
      {
        name: 'bare Fastify route, node list body (ceiling)',
        url: `${ceilingBase}/nodes`,
        headers: () => ({}),
      },
      {
        name: 'GET /v1/clusters/{id}, signed',
        url: `${base}/v1/clusters/${id}`,
        headers: signed(`/v1/clusters/${id}`),
      },
      {
        name: 'GET /v1/clusters/{id}/nodes, signed',
        url: `${base}/v1/clusters/${id}/nodes`,
        headers: signed(`/v1/clusters/${id}/nodes`),
      },
      {
        name: 'GET /v1/clusters/{id}, console session',
        url: `${base}/v1/clusters/${id}`,
        headers: () => ({ cookie }),
      },
      {
        name: 'GET /v1/clusters/{id}/nodes, console session',
        url: `${base}/v1/clusters/${id}/nodes`,
        headers: () => ({ cookie }),
      },
    ];
    const rows: Measured[] = [];
    for (const load of loads) rows.push(await measure(load));
    // Each route is compared with the ceiling serving the same body.
    const ceilingOf = (r: Measured) =>
      (r.name.includes('nodes') || r.name.includes('node list') ? rows[1] : rows[0])?.rps ?? 1;
    return [
      `### API: ${SECONDS} s per row, ${CONNECTIONS} connections (autocannon in this process, the server in another)`,
      '',
      `Cluster detail body ${detailText.length} bytes, node list body ${nodesText.length} bytes (${(nodes.body as { items: unknown[] }).items.length} nodes).`,
      '',
      '| route | req/s | p50 ms | p99 ms | of ceiling | non-2xx |',
      '|---|---:|---:|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${((100 * r.rps) / ceilingOf(r)).toFixed(0)} % | ${r.non2xx} |`,
      ),
    ].join('\n');
  } finally {
    server.kill('SIGTERM');
    ceiling?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
