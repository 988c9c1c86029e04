// Shared set-up for the emulator's own test files: one emulator per database on a test clock, a fresh
// account per test as a conformance target, and the request builders those tests have in common.
import { randomUUID } from 'node:crypto';
import { beforeAll } from 'vitest';
import { CloudEmulator, type AccountSettings, type EmulatorOptions } from '../../src/cloud/emulator/index.js';
import type { CreateOptions, RunInstanceRequest, Tag } from '../../src/cloud/provider.js';
import type { Db } from '../../src/store/db.js';
import type { ConformanceTarget, network } from './provider-conformance.js';

export const REGION = 'cn-hangzhou';
export const GPU = 'ecs.gn7i-c8g1.2xlarge';
export const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';

/** The emulator under test, its database and the test clock it reads (epoch milliseconds). */
export interface EmulatorLab {
  clock: number;
  emulator: CloudEmulator;
  db: Db;
}

/**
 * One emulator per database on a test clock at real speed (unless `options` say otherwise), seeded with
 * `seed` and initialised before the suite; each test takes a fresh account on it with `tenant`.
 */
export function useEmulator(
  open: () => Promise<Db>,
  seed: string,
  options: Omit<EmulatorOptions, 'db' | 'now' | 'seed'> = {},
): EmulatorLab {
  const lab: EmulatorLab = {
    clock: 1_780_000_000_000,
    emulator: undefined as unknown as CloudEmulator,
    db: undefined as unknown as Db,
  };
  beforeAll(async () => {
    lab.db = await open();
    lab.emulator = new CloudEmulator({ db: lab.db, now: () => lab.clock, timeScale: 1, seed, ...options });
    await lab.emulator.init();
  });
  return lab;
}

/** A conformance target for `accessKeyId` on `emulator` in cn-hangzhou-i whose `advance` calls `tick`. */
export function clockTarget(
  emulator: CloudEmulator,
  accessKeyId: string,
  tick: (ms: number) => void,
  imageId = IMAGE,
): ConformanceTarget {
  return {
    provider: emulator.provider(accessKeyId),
    regionId: REGION,
    zoneId: 'cn-hangzhou-i',
    instanceType: GPU,
    imageId,
    advance: (ms) => {
      tick(ms);
      return Promise.resolve();
    },
  };
}

export interface Tenant extends ConformanceTarget {
  readonly key: string;
}

/** A fresh account with 10,000 CNY (unless `settings` say otherwise) on `emulator`, on the lab's clock. */
export async function tenant(
  lab: EmulatorLab,
  settings: Omit<AccountSettings, 'accessKeyId'> = {},
  emulator = lab.emulator,
): Promise<Tenant> {
  const key = `kr${randomUUID().replaceAll('-', '')}`;
  await emulator.setAccount({ accessKeyId: key, balanceCny: 10_000, ...settings });
  return { key, ...clockTarget(emulator, key, (ms) => (lab.clock += ms)) };
}

export type Net = Awaited<ReturnType<typeof network>>;

export const opts = (tags: readonly Tag[] = []): CreateOptions => ({
  clientToken: `kr-${randomUUID()}`,
  tags,
});

/** A pay-as-you-go GPU instance in the network's vSwitch and security group. */
export function instanceRequest(n: Net, over: Partial<RunInstanceRequest> = {}): RunInstanceRequest {
  return {
    regionId: REGION,
    vswitchId: n.vsw.id,
    securityGroupIds: [n.sg.id],
    instanceType: GPU,
    imageId: IMAGE,
    name: 'kr-worker',
    systemDisk: { category: 'cloud_essd', sizeGiB: 120, performanceLevel: 'PL0' },
    dataDisks: [],
    userData: '#cloud-config\n',
    chargeType: 'PostPaid',
    deletionProtection: false,
    ...over,
  };
}
