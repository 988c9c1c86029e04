// The emulator's account and billing rules, on SQLite and PostgreSQL: pay-as-you-go needs 100 CNY and
// real-name verification (M10), conversion to subscription charges the account (M14), re-imaging and
// user data need a stopped instance (M40), deletion protection (M48).
import { expect, it } from 'vitest';
import type { RunInstanceRequest } from '../src/cloud/provider.js';
import {
  IMAGE,
  instanceRequest,
  opts,
  REGION,
  tenant,
  useEmulator,
  type Net,
  type Tenant,
} from './support/emulator-lab.js';
import { describeEachDatabase } from './support/postgres.js';
import { cloudError, eventually, expectCategory, network } from './support/provider-conformance.js';

const OTHER_IMAGE = 'centos_7_9_x64_20G_alibase_20240628.vhd';
const MONTH_MS = 30 * 24 * 3600 * 1000;

/** A pay-as-you-go instance, waited for until Running. */
async function running(t: Tenant, n: Net, over: Partial<RunInstanceRequest> = {}) {
  const inst = await t.provider.runInstance(instanceRequest(n, over), opts());
  await eventually(
    t,
    () => t.provider.getInstance(REGION, inst.id),
    (i) => i?.status === 'Running',
    'instance running',
  );
  return inst;
}

describeEachDatabase('emulator: billing', (open) => {
  const lab = useEmulator(open, 'billing');

  /** Every pay-as-you-go create of the plan, each with a fresh client token. */
  const payAsYouGo = (t: Tenant, n: Net): [string, () => Promise<unknown>][] => [
    ['runInstance', () => t.provider.runInstance(instanceRequest(n), opts())],
    ['allocateEip', () => t.provider.allocateEip({ regionId: REGION, name: 'kr-eip' }, opts())],
    [
      'createLoadBalancer',
      () =>
        t.provider.createLoadBalancer(
          {
            regionId: REGION,
            vswitchId: n.vsw.id,
            addressType: 'intranet',
            spec: 'slb.s2.small',
            name: 'kr-lb',
          },
          opts(),
        ),
    ],
    [
      'createNatGateway',
      () =>
        t.provider.createNatGateway(
          { regionId: REGION, vpcId: n.vpc.id, vswitchId: n.vsw.id, name: 'kr-nat' },
          opts(),
        ),
    ],
  ];

  async function expectRefused(t: Tenant, n: Net, code: string): Promise<void> {
    const before = await lab.emulator.inventory(t.key);
    const ips = (await t.provider.getVSwitch(REGION, n.vsw.id))?.availableIpCount;
    for (const [name, create] of payAsYouGo(t, n)) {
      const e = await cloudError(create());
      expect(`${name}: ${e.code}`).toBe(`${name}: ${code}`);
      expect(e.category).toBe('permanent');
    }
    expect(await lab.emulator.inventory(t.key)).toEqual(before);
    expect((await t.provider.getVSwitch(REGION, n.vsw.id))?.availableIpCount).toBe(ips);
  }

  it('M10 pay-as-you-go is refused below 100 CNY and nothing is created', async () => {
    const t = await tenant(lab);
    const n = await network(t, 'c-m10');
    await lab.emulator.setAccount({ accessKeyId: t.key, balanceCny: 99.99 });
    await expectRefused(t, n, 'InvalidAccountStatus.NotEnoughBalance');
    // 100 CNY is enough for every one of them.
    await lab.emulator.setAccount({ accessKeyId: t.key, balanceCny: 100 });
    for (const [, create] of payAsYouGo(t, n)) await create();
    expect((await t.provider.describeAccount()).balanceCny).toBe(100);
  });

  it('M10 pay-as-you-go is refused without real-name verification and nothing is created', async () => {
    const t = await tenant(lab);
    const n = await network(t, 'c-m10');
    await lab.emulator.setAccount({ accessKeyId: t.key, realNameVerified: false });
    expect((await t.provider.accountFacts(REGION)).realNameVerified).toBe(false);
    await expectRefused(t, n, 'InvalidAccountStatus.NotRealNameAuthenticated');
    await lab.emulator.setAccount({ accessKeyId: t.key, realNameVerified: true });
    for (const [, create] of payAsYouGo(t, n)) await create();
  });

  it('M14 convertToSubscription charges the fee and makes the instance PrePaid; too low a balance changes nothing', async () => {
    const t = await tenant(lab);
    const p = t.provider;
    const n = await network(t, 'c-m14');
    const inst = await running(t, n, { deletionProtection: true });
    const period = { months: 1, autoRenew: false };

    await lab.emulator.setAccount({ accessKeyId: t.key, balanceCny: 1_000 });
    const before = await p.getInstance(REGION, inst.id);
    await expectCategory(
      p.convertToSubscription(REGION, [inst.id], period),
      'permanent',
      /^InvalidAccountStatus\.NotEnoughBalance$/,
    );
    expect(await p.getInstance(REGION, inst.id)).toEqual(before);
    expect((await p.describeAccount()).balanceCny).toBe(1_000);
    expect((await p.accountFacts(REGION)).usage['ecs.postpaid-vcpus']).toBe(8);

    await lab.emulator.setAccount({ accessKeyId: t.key, balanceCny: 10_000 });
    const { feeCny } = await p.convertToSubscription(REGION, [inst.id], period);
    expect(feeCny).toBeGreaterThan(1_000);
    expect((await p.describeAccount()).balanceCny).toBeCloseTo(10_000 - feeCny, 2);
    expect(await p.getInstance(REGION, inst.id)).toMatchObject({
      chargeType: 'PrePaid',
      expiresAt: lab.clock + MONTH_MS,
      deletionProtection: false,
      status: 'Running',
    });
    expect((await p.accountFacts(REGION)).usage['ecs.postpaid-vcpus']).toBe(0);

    // A subscription is not converted again, nor charged twice.
    const balance = (await p.describeAccount()).balanceCny;
    await expectCategory(
      p.convertToSubscription(REGION, [inst.id], period),
      'permanent',
      /^InvalidChargeType/,
    );
    expect((await p.describeAccount()).balanceCny).toBe(balance);

    // Not released before it expires; after expiry it is.
    await expectCategory(
      p.deleteInstance(REGION, inst.id, { force: true }),
      'permanent',
      /^ChargeTypeViolation$/,
    );
    expect((await p.getInstance(REGION, inst.id))?.status).toBe('Running');
    await t.advance(MONTH_MS);
    await p.deleteInstance(REGION, inst.id, { force: true });
    expect((await p.getInstance(REGION, inst.id))?.status).toBe('Deleting');
  });

  it('M14 an instance listed twice is converted and charged once', async () => {
    const t = await tenant(lab, { balanceCny: 20_000 });
    const p = t.provider;
    const n = await network(t, 'c-m14');
    const a = await running(t, n);
    const b = await running(t, n);
    const one = await p.convertToSubscription(REGION, [a.id], { months: 1, autoRenew: false });
    const twice = await p.convertToSubscription(REGION, [b.id, b.id], { months: 1, autoRenew: false });
    expect(twice.feeCny).toBe(one.feeCny);
    expect((await p.describeAccount()).balanceCny).toBeCloseTo(20_000 - 2 * one.feeCny, 2);
  });

  it('M40 replaceSystemDisk and user data need a Stopped instance: stop, re-image, start', async () => {
    const t = await tenant(lab);
    const p = t.provider;
    const n = await network(t, 'c-m40');
    const inst = await running(t, n);

    await expectCategory(
      p.replaceSystemDisk(REGION, inst.id, OTHER_IMAGE),
      'transient',
      /^IncorrectInstanceStatus$/,
    );
    await expectCategory(
      p.modifyInstance(REGION, inst.id, { userData: '#cloud-config\nruncmd: []\n' }),
      'transient',
      /^IncorrectInstanceStatus$/,
    );
    expect((await p.getInstance(REGION, inst.id))?.imageId).toBe(IMAGE);

    await p.stopInstance(REGION, inst.id);
    expect((await p.getInstance(REGION, inst.id))?.status).toBe('Stopping');
    await expectCategory(
      p.replaceSystemDisk(REGION, inst.id, OTHER_IMAGE),
      'transient',
      /^IncorrectInstanceStatus$/,
    );
    await eventually(
      t,
      () => p.getInstance(REGION, inst.id),
      (i) => i?.status === 'Stopped',
      'instance stopped',
    );
    await expectCategory(
      p.replaceSystemDisk(REGION, inst.id, 'no-such-image.vhd'),
      'not-found',
      /^InvalidImageId/,
    );
    await expectCategory(
      p.modifyInstance(REGION, inst.id, { userData: 'x'.repeat(32 * 1024 + 1) }),
      'permanent',
      /^InvalidUserData\.SizeExceeded$/,
    );
    await p.replaceSystemDisk(REGION, inst.id, OTHER_IMAGE);
    await p.modifyInstance(REGION, inst.id, { userData: '#cloud-config\nruncmd: []\n' });
    expect(await p.getInstance(REGION, inst.id)).toMatchObject({ imageId: OTHER_IMAGE, status: 'Stopped' });

    await p.startInstance(REGION, inst.id);
    expect((await p.getInstance(REGION, inst.id))?.status).toBe('Starting');
    await expectCategory(
      p.replaceSystemDisk(REGION, inst.id, IMAGE),
      'transient',
      /^IncorrectInstanceStatus$/,
    );
    await eventually(
      t,
      () => p.getInstance(REGION, inst.id),
      (i) => i?.status === 'Running',
      'instance running again',
    );
    expect((await p.getInstance(REGION, inst.id))?.imageId).toBe(OTHER_IMAGE);
  });

  it('M48 deletion protection blocks deleteInstance until it is turned off', async () => {
    const t = await tenant(lab);
    const p = t.provider;
    const n = await network(t, 'c-m48');
    const inst = await running(t, n, { deletionProtection: true });
    expect(inst.deletionProtection).toBe(true);
    await expectCategory(
      p.deleteInstance(REGION, inst.id, { force: true }),
      'permanent',
      /^InvalidOperation\.DeletionProtection$/,
    );
    await p.stopInstance(REGION, inst.id);
    await eventually(
      t,
      () => p.getInstance(REGION, inst.id),
      (i) => i?.status === 'Stopped',
      'instance stopped',
    );
    await expectCategory(
      p.deleteInstance(REGION, inst.id),
      'permanent',
      /^InvalidOperation\.DeletionProtection$/,
    );
    expect((await p.getInstance(REGION, inst.id))?.status).toBe('Stopped');
    await p.modifyInstance(REGION, inst.id, { deletionProtection: false });
    await p.deleteInstance(REGION, inst.id);
    expect((await p.getInstance(REGION, inst.id))?.status).toBe('Deleting');
  });

  it('M48 deletion protection is for pay-as-you-go instances: PrePaid ones cannot have it', async () => {
    const t = await tenant(lab, { balanceCny: 20_000 });
    const p = t.provider;
    const n = await network(t, 'c-m48');
    const before = await lab.emulator.inventory(t.key);
    const prePaid = { chargeType: 'PrePaid', period: { months: 1, autoRenew: false } } as const;
    await expectCategory(
      p.runInstance(instanceRequest(n, { ...prePaid, deletionProtection: true }), opts()),
      'permanent',
      /^InvalidParameter\.DeletionProtection$/,
    );
    expect(await lab.emulator.inventory(t.key)).toEqual(before);
    expect((await p.describeAccount()).balanceCny).toBe(20_000);

    const sub = await p.runInstance(instanceRequest(n, prePaid), opts());
    expect(sub).toMatchObject({ chargeType: 'PrePaid', deletionProtection: false });
    const fee = 20_000 - (await p.describeAccount()).balanceCny;
    expect(fee).toBeGreaterThan(0);
    await expectCategory(
      p.modifyInstance(REGION, sub.id, { deletionProtection: true }),
      'permanent',
      /^InvalidParameter\.DeletionProtection$/,
    );
    expect((await p.getInstance(REGION, sub.id))?.deletionProtection).toBe(false);

    const payg = await p.runInstance(instanceRequest(n), opts());
    await p.modifyInstance(REGION, payg.id, { deletionProtection: true });
    expect((await p.getInstance(REGION, payg.id))?.deletionProtection).toBe(true);
  });
});
