// The emulator's persisted state, on SQLite and PostgreSQL: a restart keeps the cloud as it was, the
// operator's inventory and tombstone purge, bad input that changes nothing, and concurrent creates
// with one client token.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { CloudEmulator } from '../src/cloud/emulator/index.js';
import { ownerTags, type RunInstanceRequest } from '../src/cloud/provider.js';
import { instanceRequest, opts, REGION, tenant, useEmulator } from './support/emulator-lab.js';
import { describeEachDatabase } from './support/postgres.js';
import { eventually, expectCategory, network } from './support/provider-conformance.js';

describeEachDatabase('emulator: state', (open) => {
  const lab = useEmulator(open, 'state');

  it('restart: a new emulator on a new handle of the same database finds the same cloud', async () => {
    const first = await open();
    const e1 = new CloudEmulator({ db: first, now: () => lab.clock, seed: 'restart' });
    await e1.init();
    const t = await tenant(lab, {}, e1);
    const n = await network(t, 'c-restart');
    const vpcToken = { clientToken: `kr-${randomUUID()}`, tags: ownerTags('c-restart', 'vpc2') };
    const vpcReq = { regionId: REGION, cidr: '10.0.0.0/16', name: 'kr-second' };
    const vpc = await t.provider.createVpc(vpcReq, vpcToken);
    const inst = await t.provider.runInstance(instanceRequest(n), opts(ownerTags('c-restart', 'worker')));
    const inventory = await e1.inventory(t.key);
    const seen = await t.provider.getInstance(REGION, inst.id);
    const vsw = await t.provider.getVSwitch(REGION, n.vsw.id);
    await first.close();

    const e2 = new CloudEmulator({ db: await open(), now: () => lab.clock, seed: 'restart' });
    await e2.init();
    const p = e2.provider(t.key);
    expect(await e2.inventory(t.key)).toEqual(inventory);
    expect(inventory.map((i) => i.kind).sort()).toEqual([
      'instance',
      'security-group',
      'vpc',
      'vpc',
      'vswitch',
    ]);
    expect(await p.getInstance(REGION, inst.id)).toEqual(seen);
    expect(await p.getVSwitch(REGION, n.vsw.id)).toEqual(vsw);
    expect((await p.createVpc(vpcReq, vpcToken)).id).toBe(vpc.id);
    await expectCategory(
      p.createVpc({ ...vpcReq, cidr: '10.1.0.0/16' }, vpcToken),
      'permanent',
      /^IdempotentParameterMismatch$/,
    );
    await eventually(
      t,
      () => p.getInstance(REGION, inst.id),
      (i) => i?.status === 'Running',
      'instance running after the restart',
    );
  });

  it('inventory: every live resource with kind, owner tags and status; gone ones disappear; purge forgets tokens', async () => {
    const t = await tenant(lab);
    const p = t.provider;
    const e = lab.emulator;
    const n = await network(t, 'c-inv');
    const inst = await p.runInstance(instanceRequest(n), opts(ownerTags('c-inv', 'ecs-instance/worker-1')));
    const kp = await p.createKeyPair(
      { regionId: REGION, name: 'kr-inv' },
      opts(ownerTags('c-inv', 'key-pair')),
    );
    const eipToken = opts();
    const eip = await p.allocateEip({ regionId: REGION, name: 'kr-inv' }, eipToken);
    const user = await p.createRamUser(
      { name: 'kr-inv', comments: '' },
      opts(ownerTags('c-inv', 'ram-user')),
    );

    /** The inventory of the account, by kind then id (resources made at one instant sort by id). */
    const view = async () =>
      (await e.inventory(t.key))
        .map((i) => ({
          id: i.id,
          kind: i.kind,
          regionId: i.regionId,
          status: i.status,
          ownerCluster: i.ownerCluster,
          ownerStep: i.ownerStep,
        }))
        .sort((a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
    const row = (id: string, kind: string, status: string, step: string | null, regionId = REGION) => ({
      id,
      kind,
      regionId,
      status,
      ownerCluster: step === null ? null : 'c-inv',
      ownerStep: step,
    });
    const kpId = (await e.inventory(t.key)).find((i) => i.kind === 'key-pair')?.id ?? '';
    expect(kp.name).toBe('kr-inv');
    expect(await view()).toEqual([
      row(eip.id, 'eip', 'Available', null),
      row(inst.id, 'instance', 'Pending', 'ecs-instance/worker-1'),
      row(kpId, 'key-pair', 'Available', 'key-pair'),
      row(user.id, 'ram-user', 'Active', 'ram-user', 'global'),
      row(n.sg.id, 'security-group', 'Available', 'security-group'),
      row(n.vpc.id, 'vpc', 'Available', 'vpc'),
      row(n.vsw.id, 'vswitch', 'Available', 'vswitch/cn-hangzhou-i'),
    ]);
    const accountId = (await e.account(t.key))?.accountId;
    expect((await e.inventory(t.key)).every((i) => i.accountId === accountId)).toBe(true);
    expect((await e.inventory()).length).toBeGreaterThanOrEqual(7);
    expect(await e.inventory('krnosuchkey')).toEqual([]);

    // Time moves the states on; deletes take resources away, at once or after their delay.
    await t.advance(200_000);
    expect((await view()).find((i) => i.id === inst.id)?.status).toBe('Running');
    await p.releaseEip(REGION, eip.id);
    await p.deleteKeyPair(REGION, 'kr-inv');
    await p.deleteRamUser('kr-inv');
    await p.deleteInstance(REGION, inst.id, { force: true });
    expect((await view()).map((i) => [i.kind, i.status])).toEqual([
      ['instance', 'Deleting'],
      ['security-group', 'Available'],
      ['vpc', 'Available'],
      ['vswitch', 'Available'],
    ]);
    await t.advance(60_000);
    expect((await view()).map((i) => i.kind)).toEqual(['security-group', 'vpc', 'vswitch']);

    // A gone resource's client token still answers with it, until the tombstone is purged.
    const again = { regionId: REGION, name: 'kr-inv' };
    expect((await p.allocateEip(again, eipToken)).id).toBe(eip.id);
    await e.purgeTombstones(lab.clock - 60_000); // before the EIP was released: it stays
    expect((await p.allocateEip(again, eipToken)).id).toBe(eip.id);
    expect(await e.purgeTombstones(lab.clock + 1)).toBeGreaterThanOrEqual(4);
    const fresh = await p.allocateEip(again, eipToken);
    expect(fresh.id).not.toBe(eip.id);
    expect((await view()).map((i) => i.id)).toContain(fresh.id);
    expect(await e.purgeTombstones(lab.clock + 1)).toBe(0);
  });

  it('bad input changes nothing: each malformed create is refused with a clear code', async () => {
    const t = await tenant(lab);
    const p = t.provider;
    const n = await network(t, 'c-bad');
    const other = await p.createVpc({ regionId: REGION, cidr: '10.0.0.0/16', name: 'kr-other' }, opts());
    await eventually(
      t,
      () => p.getVpc(REGION, other.id),
      (v) => v?.status === 'Available',
      'VPC available',
    );
    const foreignSg = await p.createSecurityGroup(
      { regionId: REGION, vpcId: other.id, type: 'normal', name: 'kr-other' },
      opts(),
    );
    await p.createKeyPair({ regionId: REGION, name: 'kr-bad' }, opts());
    const vswitch = (cidr: string) =>
      p.createVSwitch(
        { regionId: REGION, vpcId: n.vpc.id, zoneId: 'cn-hangzhou-i', cidr, name: 'kr-x' },
        opts(),
      );
    const run = (over: Partial<RunInstanceRequest>) => p.runInstance(instanceRequest(n, over), opts());
    const strong = 'Kr-Passw0rd!';
    const cases: [string, () => Promise<unknown>, 'permanent' | 'not-found', RegExp][] = [
      ['CIDR with /33', () => vswitch('192.168.1.0/33'), 'permanent', /^InvalidParameter\.CidrBlock$/],
      ['CIDR without prefix', () => vswitch('192.168.1.0'), 'permanent', /^InvalidParameter\.CidrBlock$/],
      ['CIDR octet 256', () => vswitch('192.168.256.0/24'), 'permanent', /^InvalidParameter\.CidrBlock$/],
      ['CIDR /30', () => vswitch('192.168.1.0/30'), 'permanent', /^InvalidCidrBlock\.Malformed$/],
      [
        'unknown image',
        () => run({ imageId: 'no-such-image.vhd' }),
        'not-found',
        /^InvalidImageId\.NotFound$/,
      ],
      [
        'unknown instance type',
        () => run({ instanceType: 'ecs.nope-c1.large' }),
        'permanent',
        /^InvalidInstanceType\.ValueNotSupported$/,
      ],
      [
        'security group of another VPC',
        () => run({ securityGroupIds: [foreignSg.id] }),
        'permanent',
        /^InvalidParameter\.Mismatch$/,
      ],
      [
        'unknown security group',
        () => run({ securityGroupIds: ['sg-bp1nosuchgroup'] }),
        'not-found',
        /^InvalidSecurityGroupId\.NotFound$/,
      ],
      ['weak password', () => run({ password: 'password1' }), 'permanent', /^InvalidPassword\.Malformed$/],
      [
        'user data over 32 KiB (in bytes, not characters)',
        () => run({ userData: '中'.repeat(11_000) }),
        'permanent',
        /^InvalidUserData\.SizeExceeded$/,
      ],
      [
        'key pair and password',
        () => run({ keyPairName: 'kr-bad', password: strong }),
        'permanent',
        /^InvalidParameter\.Conflict$/,
      ],
      [
        'unknown key pair',
        () => run({ keyPairName: 'kr-nosuch' }),
        'not-found',
        /^InvalidKeyPairName\.NotFound$/,
      ],
      [
        'unknown vSwitch',
        () => run({ vswitchId: 'vsw-bp1nosuch' }),
        'not-found',
        /^InvalidVSwitchId\.NotFound$/,
      ],
      ['unknown region', () => run({ regionId: 'xx-nowhere-1' }), 'not-found', /^InvalidRegionId\.NotFound$/],
      [
        'system disk too small',
        () => run({ systemDisk: { category: 'cloud_essd', sizeGiB: 10, performanceLevel: 'PL0' } }),
        'permanent',
        /^InvalidSystemDiskSize\.ValueNotSupported$/,
      ],
      [
        'subscription of 10 months',
        () => run({ chargeType: 'PrePaid', period: { months: 10, autoRenew: false } }),
        'permanent',
        /^InvalidPeriod\.ValueNotSupported$/,
      ],
    ];
    const before = await lab.emulator.inventory(t.key);
    const ips = (await p.getVSwitch(REGION, n.vsw.id))?.availableIpCount;
    const balance = (await p.describeAccount()).balanceCny;
    for (const [what, call, category, code] of cases) {
      await expectCategory(call(), category, code).catch((e: unknown) => {
        throw new Error(`${what}: ${String(e)}`);
      });
    }
    expect(await lab.emulator.inventory(t.key)).toEqual(before);
    expect((await p.getVSwitch(REGION, n.vsw.id))?.availableIpCount).toBe(ips);
    expect((await p.describeAccount()).balanceCny).toBe(balance);

    // The limits themselves are allowed: exactly 32 KiB of user data, a strong password.
    await run({ userData: 'x'.repeat(32 * 1024), password: strong });
    expect((await p.getVSwitch(REGION, n.vsw.id))?.availableIpCount).toBe((ips ?? 0) - 1);
  });

  it('M3 10 concurrent runInstance calls with the same client token make one instance', async () => {
    const t = await tenant(lab);
    const p = t.provider;
    const n = await network(t, 'c-idem');
    const ips = (await p.getVSwitch(REGION, n.vsw.id))?.availableIpCount ?? 0;
    const token = opts(ownerTags('c-idem', 'ecs-instance/worker-1'));
    const made = await Promise.all(
      Array.from({ length: 10 }, () => p.runInstance(instanceRequest(n), token)),
    );
    expect(new Set(made.map((i) => i.id)).size).toBe(1);
    expect(await p.describeInstances(REGION)).toHaveLength(1);
    expect((await lab.emulator.inventory(t.key)).filter((i) => i.kind === 'instance')).toHaveLength(1);
    expect((await p.getVSwitch(REGION, n.vsw.id))?.availableIpCount).toBe(ips - 1);
    expect((await p.accountFacts(REGION)).usage['ecs.postpaid-vcpus']).toBe(8);
  });
});
