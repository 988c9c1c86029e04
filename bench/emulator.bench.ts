// Emulator throughput: create then delete 10,000 emulated resources (EIPs, security groups, RAM users,
// ECS instances) on SQLite and, when a URL is given, PostgreSQL; reports operations per second and memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudEmulator } from '../src/cloud/emulator/index.js';
import type { Provider } from '../src/cloud/provider.js';
import type { Db } from '../src/store/db.js';
import { openPostgres } from '../src/store/postgres.js';
import { openSqlite } from '../src/store/sqlite.js';

const REGION = 'cn-hangzhou';
const PER_KIND = 2_500;
const CONCURRENCY = 16;

interface Row {
  database: string;
  phase: string;
  ops: number;
  seconds: number;
  rssMiB: number;
  heapMiB: number;
}

/** Runs `count` calls of `fn(i)` with at most CONCURRENCY in flight. */
async function pool(count: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await fn(next++);
    }),
  );
}

async function timed(database: string, phase: string, ops: number, work: () => Promise<void>): Promise<Row> {
  const start = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const m = process.memoryUsage();
  return { database, phase, ops, seconds, rssMiB: m.rss / 2 ** 20, heapMiB: m.heapUsed / 2 ** 20 };
}

async function scenario(database: string, db: Db): Promise<Row[]> {
  const emulator = new CloudEmulator({ db, timeScale: Infinity });
  await emulator.init();
  await emulator.setAccount({
    accessKeyId: 'bench',
    balanceCny: 1e9,
    quotas: {
      'vpc.eips': 1e6,
      'ecs.security-groups': 1e6,
      'ram.users': 1e6,
      'ecs.postpaid-vcpus': 1e7,
    },
  });
  const p: Provider = emulator.provider('bench');
  const opts = (key: string) => ({ clientToken: key, tags: [{ key: 'kuberack:cluster', value: 'bench' }] });
  const vpc = await p.createVpc({ regionId: REGION, cidr: '10.0.0.0/8', name: 'bench' }, opts('vpc'));
  const vsw = await p.createVSwitch(
    { regionId: REGION, vpcId: vpc.id, zoneId: 'cn-hangzhou-i', cidr: '10.0.0.0/16', name: 'bench' },
    opts('vsw'),
  );
  const sg = await p.createSecurityGroup(
    { regionId: REGION, vpcId: vpc.id, type: 'normal', name: 'bench' },
    opts('sg'),
  );
  const ids = { eip: [] as string[], sg: [] as string[], user: [] as string[], instance: [] as string[] };
  const rows: Row[] = [];
  rows.push(
    await timed(database, 'create 10,000', 4 * PER_KIND, () =>
      pool(4 * PER_KIND, async (i) => {
        const n = Math.floor(i / 4);
        switch (i % 4) {
          case 0:
            ids.eip.push(
              (await p.allocateEip({ regionId: REGION, name: `bench-${n}` }, opts(`eip-${n}`))).id,
            );
            break;
          case 1:
            ids.sg.push(
              (
                await p.createSecurityGroup(
                  { regionId: REGION, vpcId: vpc.id, type: 'normal', name: `bench-${n}` },
                  opts(`sg-${n}`),
                )
              ).id,
            );
            break;
          case 2:
            ids.user.push(
              (await p.createRamUser({ name: `bench-${n}`, comments: '' }, opts(`user-${n}`))).name,
            );
            break;
          default:
            ids.instance.push(
              (
                await p.runInstance(
                  {
                    regionId: REGION,
                    vswitchId: vsw.id,
                    securityGroupIds: [sg.id],
                    instanceType: 'ecs.gn7i-c8g1.2xlarge',
                    imageId: 'aliyun_2_1903_x64_20G_alibase_20240628.vhd',
                    name: `bench-${n}`,
                    systemDisk: { category: 'cloud_essd', sizeGiB: 120, performanceLevel: 'PL0' },
                    dataDisks: [],
                    userData: '',
                    chargeType: 'PostPaid',
                    deletionProtection: false,
                  },
                  opts(`i-${n}`),
                )
              ).id,
            );
        }
      }),
    ),
  );
  rows.push(
    await timed(database, 'describe 10,000', 4 * PER_KIND, () =>
      pool(4 * PER_KIND, async (i) => {
        const n = Math.floor(i / 4);
        const k = i % 4;
        if (k === 0) await p.getEip(REGION, ids.eip[n] ?? '');
        else if (k === 1) await p.getSecurityGroup(REGION, ids.sg[n] ?? '');
        else if (k === 2) await p.getRamUser(ids.user[n] ?? '');
        else await p.getInstance(REGION, ids.instance[n] ?? '');
      }),
    ),
  );
  rows.push(
    await timed(database, 'delete 10,000', 4 * PER_KIND, () =>
      pool(4 * PER_KIND, async (i) => {
        const n = Math.floor(i / 4);
        const k = i % 4;
        if (k === 0) await p.releaseEip(REGION, ids.eip[n] ?? '');
        else if (k === 1) await p.deleteInstance(REGION, ids.instance[n] ?? '', { force: true });
        else if (k === 2) await p.deleteRamUser(ids.user[n] ?? '');
        else await p.deleteSecurityGroup(REGION, ids.sg[n] ?? '');
      }),
    ),
  );
  const left = (await emulator.inventory('bench')).length;
  if (left !== 3) throw new Error(`expected 3 resources left, found ${left}`);
  return rows;
}

export async function run(): Promise<string> {
  const rows: Row[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'kuberack-bench-'));
  try {
    const sqlite = openSqlite(join(dir, 'bench.db'));
    rows.push(...(await scenario('SQLite (file, WAL)', sqlite)));
    await sqlite.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const url = process.env.KUBERACK_BENCH_DATABASE_URL;
  if (url) {
    const pg = openPostgres(url);
    rows.push(...(await scenario('PostgreSQL', pg)));
    await pg.close();
  }
  const lines = [
    `Emulator: ${4 * PER_KIND} resources (EIPs, security groups, RAM users, GPU instances), ${CONCURRENCY} calls in flight, time scale ∞`,
    '',
    '| database | phase | ops | seconds | ops/s | RSS MiB | heap MiB |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.database} | ${r.phase} | ${r.ops} | ${r.seconds.toFixed(2)} | ${Math.round(r.ops / r.seconds)} | ${r.rssMiB.toFixed(0)} | ${r.heapMiB.toFixed(0)} |`,
    ),
  ];
  return lines.join('\n');
}
