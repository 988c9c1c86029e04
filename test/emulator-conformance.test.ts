// The Provider contract suite run against the emulator at real speed on a test clock, on SQLite and
// on PostgreSQL (the emulator persists in the same database as everything else).
import { beforeAll } from 'vitest';
import { clockTarget, useEmulator } from './support/emulator-lab.js';
import { describeEachDatabase } from './support/postgres.js';
import { providerConformance, type ConformanceTarget } from './support/provider-conformance.js';

describeEachDatabase('provider contract: emulator', (open) => {
  const lab = useEmulator(open, 'conformance');
  let target: ConformanceTarget;
  beforeAll(async () => {
    await lab.emulator.setAccount({ accessKeyId: 'conformance', balanceCny: 10_000, realNameVerified: true });
    target = clockTarget(
      lab.emulator,
      'conformance',
      (ms) => (lab.clock += ms),
      'aliyun_2_1903_x64_20G_alibase_20240628.vhd',
    );
  });
  providerConformance(() => target);
});
