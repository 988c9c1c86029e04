// The Provider contract suite run against the emulator at real speed on a test clock, on SQLite and
// on PostgreSQL (the emulator persists in the same database as everything else).
import { beforeAll } from 'vitest';
import { CloudEmulator } from '../src/cloud/emulator/index.js';
import { describeEachDatabase } from './support/postgres.js';
import { providerConformance, type ConformanceTarget } from './support/provider-conformance.js';

describeEachDatabase('provider contract: emulator', (open) => {
  let target: ConformanceTarget;
  beforeAll(async () => {
    let clock = 1_780_000_000_000;
    const emulator = new CloudEmulator({
      db: await open(),
      now: () => clock,
      timeScale: 1,
      seed: 'conformance',
    });
    await emulator.init();
    await emulator.setAccount({ accessKeyId: 'conformance', balanceCny: 10_000, realNameVerified: true });
    target = {
      provider: emulator.provider('conformance'),
      regionId: 'cn-hangzhou',
      zoneId: 'cn-hangzhou-i',
      instanceType: 'ecs.gn7i-c8g1.2xlarge',
      imageId: 'aliyun_2_1903_x64_20G_alibase_20240628.vhd',
      advance: (ms) => {
        clock += ms;
        return Promise.resolve();
      },
    };
  });
  providerConformance(() => target);
});
