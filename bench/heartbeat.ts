// Heartbeat benchmark (issue 7): N simulated node agents (default 10,000) each report every 10 s to one
// real `kuberack serve` process; prints heartbeats/s achieved, latency percentiles and the server's CPU.
// Run: node --import tsx bench/heartbeat.ts [--nodes 10000] [--interval 10] [--seconds 60]
// (KUBERACK_BENCH_DATABASE_URL=postgres://… to run the server on PostgreSQL instead of SQLite).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseNvidiaSmiXml } from '../src/agent/nvidia-smi/index.js';
import { collectNodeFacts } from '../src/agent/node-facts.js';
import { ENGINE_MIGRATIONS } from '../src/store/engine-schema.js';
import { migrate } from '../src/store/migrate.js';
import { openDatabase } from '../src/store/open.js';

const ROOT = join(import.meta.dirname, '..');

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const NODES = flag('nodes', 10_000);
const INTERVAL_S = flag('interval', 10);
const SECONDS = flag('seconds', 60);
const PG_URL = process.env.KUBERACK_BENCH_DATABASE_URL;
const CLUSTER = 'c-heartbeat-bench';

const sha256 = (t: string) => createHash('sha256').update(t).digest('hex');

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

/** Node rows inserted straight through the store: creating 10,000 real clusters would take hours. */
async function seed(sqlitePath: string, tokens: readonly string[]): Promise<void> {
  const db = openDatabase({ url: PG_URL, sqlitePath });
  try {
    await migrate(db, 'engine', ENGINE_MIGRATIONS);
    if (PG_URL) await db.run('DELETE FROM nodes WHERE cluster_id = $1', [CLUSTER]);
    for (let i = 0; i < tokens.length; i += 500) {
      await db.transaction(async (tx) => {
        for (let j = i; j < Math.min(i + 500, tokens.length); j++) {
          await tx.run('INSERT INTO nodes (cluster_id, step_key, token_sha256) VALUES ($1, $2, $3)', [
            CLUSTER,
            `node-${j}`,
            sha256(tokens[j] ?? ''),
          ]);
        }
      });
    }
  } finally {
    await db.close();
  }
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (100/s)
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(m?.[1] ?? 0) / 1024);
}

// Idle sockets close before the server's 5 s keep-alive timeout, so none is reused as it closes.
const agent = new Agent({ keepAlive: true, maxSockets: 64, timeout: 4_000 });

function post(port: number, token: string, body: string): Promise<{ status: number; ms: number }> {
  const start = process.hrtime.bigint();
  return new Promise((ok) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/node-reports',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          ok({ status: res.statusCode ?? 0, ms: Number(process.hrtime.bigint() - start) / 1e6 }),
        );
      },
    );
    req.on('error', () => ok({ status: 0, ms: Number(process.hrtime.bigint() - start) / 1e6 }));
    req.end(body);
  });
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

function bodies(count: number): string[] {
  const gpuReport = parseNvidiaSmiXml(
    readFileSync(join(ROOT, 'test/fixtures/nvidia-smi/xml/telegraf__a100-sxm4-v12.xml'), 'utf8'),
  );
  const node = collectNodeFacts();
  return Array.from({ length: count }, (_, i) => {
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const uuid = `GPU-${i.toString(16).padStart(8, '0')}-0000-0000-0000-000000000000`;
    const gpus = gpuReport.gpus.map((g) => ({ ...g, uuid }));
    return JSON.stringify({
      instanceId: `i-bench-${i}`,
      nodeName: `cn-hangzhou.${ip}`,
      privateIp: ip,
      gpuReport: { ...gpuReport, gpus },
      node: { ...node, hostname: `bench-${i}`, addresses: [ip] },
      heartbeatSeconds: INTERVAL_S,
    });
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kuberack-heartbeat-'));
  const tokens = Array.from({ length: NODES }, () => `krn_${randomBytes(24).toString('base64url')}`);
  const payloads = bodies(NODES);
  await seed(join(dir, 'kuberack.db'), tokens);
  const port = await freePort();
  const server = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/bin.ts'), 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      KUBERACK_DATA_DIR: dir,
      KUBERACK_LISTEN: `127.0.0.1:${port}`,
      KUBERACK_EMULATOR_TIME_SCALE: 'instant',
      ...(PG_URL ? { DATABASE_URL: PG_URL } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (let i = 0; ; i++) {
      const up = await new Promise<boolean>((ok) =>
        request({ host: '127.0.0.1', port, path: '/healthz' }, (r) => ok(r.statusCode === 200))
          .on('error', () => ok(false))
          .end(),
      );
      if (up) break;
      if (i > 300) throw new Error('the server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const pid = server.pid ?? 0;

    // Registration: every node's first report (the full path), 64 at a time.
    let next = 0;
    const regStart = process.hrtime.bigint();
    const regFailures: number[] = [];
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < NODES) {
          const i = next++;
          const r = await post(port, tokens[i] ?? '', payloads[i] ?? '');
          if (r.status !== 200) regFailures.push(r.status);
        }
      }),
    );
    const regSeconds = Number(process.hrtime.bigint() - regStart) / 1e9;

    // Steady state: each node every INTERVAL_S, phases spread evenly, for SECONDS.
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    const inFlight = new Set<Promise<void>>();
    const cpu0 = cpuTicks(pid);
    const t0 = Date.now();
    const periodMs = (INTERVAL_S * 1000) / NODES;
    let sent = 0;
    while (Date.now() - t0 < SECONDS * 1000) {
      const due = Math.floor((Date.now() - t0) / periodMs);
      while (sent < due) {
        const i = sent % NODES;
        sent++;
        const p = post(port, tokens[i] ?? '', payloads[i] ?? '').then((r) => {
          latencies.push(r.ms);
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          inFlight.delete(p);
        });
        inFlight.add(p);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(inFlight);
    const elapsed = (Date.now() - t0) / 1000;
    const serverCpu = (cpuTicks(pid) - cpu0) / 100 / elapsed;
    const sorted = [...latencies].sort((a, b) => a - b);
    const ok = statuses.get(200) ?? 0;
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    console.log(
      `Node ${process.version}, ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
    );
    console.log(
      `database: ${PG_URL ? 'PostgreSQL' : 'SQLite'}; ${NODES} nodes every ${INTERVAL_S} s for ${SECONDS} s\n`,
    );
    console.log('| phase | requests | ok | per second | p50 ms | p99 ms | server CPU | server RSS |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    console.log(
      `| registration (first reports, 64 concurrent) | ${NODES} | ${NODES - regFailures.length} | ${Math.round(NODES / regSeconds)} | – | – | – | – |`,
    );
    console.log(
      `| heartbeats (target ${Math.round(NODES / INTERVAL_S)}/s) | ${sent} | ${ok} | ${Math.round(ok / elapsed)} | ${percentile(sorted, 0.5).toFixed(1)} | ${percentile(sorted, 0.99).toFixed(1)} | ${Math.round(serverCpu * 100)}% of a core | ${rssMiB(pid)} MiB |`,
    );
    const other = [...statuses].filter(([s]) => s !== 200);
    if (other.length > 0 || regFailures.length > 0)
      console.log(`\nnon-200 answers: ${JSON.stringify(other)}; registration: ${regFailures.length}`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('close', r));
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
