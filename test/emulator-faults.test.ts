// The emulator's stock (M42), fault injection and time scale, on SQLite and PostgreSQL: sold-out zones
// agree between the stock and runInstance, throttling and scripted failures create nothing, random
// faults are deterministic under a seed, and a time scale divides every latency.
import { expect, it } from 'vitest';
import { CloudEmulator } from '../src/cloud/emulator/index.js';
import type { Provider, RunInstanceRequest } from '../src/cloud/provider.js';
import { GPU, instanceRequest, opts, REGION, tenant, useEmulator, type Net } from './support/emulator-lab.js';
import { describeEachDatabase } from './support/postgres.js';
import { cloudError, eventually, expectCategory, network } from './support/provider-conformance.js';

/** The shared instance request, in `vswitchId` rather than the network's own vSwitch. */
const instance = (vswitchId: string, n: Net, over: Partial<RunInstanceRequest> = {}) =>
  instanceRequest(n, { vswitchId, ...over });

const vpcReq = (name = 'kr-vpc') => ({ regionId: REGION, cidr: '192.168.0.0/16', name });

/** Pass (true) or fail (false) of `count` describeRegions calls; failures must be throttling. */
async function passFail(p: Provider, count: number): Promise<boolean[]> {
  const out: boolean[] = [];
  for (let i = 0; i < count; i++) {
    const e = await p.describeRegions().then(
      () => null,
      (x: unknown) => x,
    );
    if (e !== null) expect(e).toMatchObject({ code: 'Throttling.User', category: 'transient' });
    out.push(e === null);
  }
  return out;
}

describeEachDatabase('emulator: stock, faults and time scale', (open) => {
  const lab = useEmulator(open, 'faults');

  it('M42 gn7i is sold out in cn-hangzhou-h and in stock in cn-hangzhou-i; the stock and runInstance agree', async () => {
    const t = await tenant(lab);
    const p = t.provider;
    const n = await network(t, 'c-m42');
    const inH = await p.createVSwitch(
      { regionId: REGION, vpcId: n.vpc.id, zoneId: 'cn-hangzhou-h', cidr: '192.168.1.0/24', name: 'kr-h' },
      opts(),
    );
    await eventually(
      t,
      () => p.getVSwitch(REGION, inH.id),
      (v) => v?.status === 'Available',
      'vSwitch available',
    );
    const stockH = await p.describeInstanceTypeStock(REGION, 'cn-hangzhou-h');
    const gn7iH = stockH.filter((s) => s.instanceType.startsWith('ecs.gn7i-'));
    expect(gn7iH.length).toBeGreaterThan(0);
    expect(gn7iH.every((s) => s.status === 'sold-out' && s.zoneId === 'cn-hangzhou-h')).toBe(true);
    const stockI = await p.describeInstanceTypeStock(REGION, 'cn-hangzhou-i');
    expect(stockI.find((s) => s.instanceType === GPU)?.status).toBe('available');
    const all = await p.describeInstanceTypeStock(REGION);
    expect(all.find((s) => s.instanceType === GPU && s.zoneId === 'cn-hangzhou-h')?.status).toBe('sold-out');

    const before = await lab.emulator.inventory(t.key);
    for (const s of gn7iH)
      await expectCategory(
        p.runInstance(instance(inH.id, n, { instanceType: s.instanceType }), opts()),
        'permanent',
        /^OperationDenied\.NoStock$/,
      );
    expect(await lab.emulator.inventory(t.key)).toEqual(before);
    expect((await p.getVSwitch(REGION, inH.id))?.availableIpCount).toBe(252);
    const ok = await p.runInstance(instance(n.vsw.id, n), opts());
    expect(ok).toMatchObject({ zoneId: 'cn-hangzhou-i', instanceType: GPU });
  });

  it('M42 the soldOut fault makes an available type sold out in the stock and in runInstance', async () => {
    const t = await tenant(lab);
    const p = t.provider;
    const n = await network(t, 'c-m42');
    const OTHER = 'ecs.gn7i-c16g1.4xlarge';
    const status = async (type: string, zoneId = 'cn-hangzhou-i') =>
      (await p.describeInstanceTypeStock(REGION, zoneId)).find((s) => s.instanceType === type)?.status;

    await lab.emulator.setFaults(t.key, { soldOut: [{ instanceType: GPU, zoneId: 'cn-hangzhou-i' }] });
    expect(await status(GPU)).toBe('sold-out');
    expect(await status(OTHER)).toBe('available');
    expect(await status(GPU, 'cn-hangzhou-k')).toBe('available');
    await expectCategory(
      p.runInstance(instance(n.vsw.id, n), opts()),
      'permanent',
      /^OperationDenied\.NoStock$/,
    );
    expect(await p.describeInstances(REGION)).toEqual([]);
    await p.runInstance(instance(n.vsw.id, n, { instanceType: OTHER }), opts());

    await lab.emulator.setFaults(t.key, { soldOut: [{ instanceType: null, zoneId: 'cn-hangzhou-i' }] });
    expect(await status(OTHER)).toBe('sold-out');
    await expectCategory(
      p.runInstance(instance(n.vsw.id, n, { instanceType: OTHER }), opts()),
      'permanent',
      /^OperationDenied\.NoStock$/,
    );

    await lab.emulator.setFaults(t.key, {});
    expect(await status(GPU)).toBe('available');
    await p.runInstance(instance(n.vsw.id, n), opts());
    expect(await p.describeInstances(REGION)).toHaveLength(2);
  });

  it('faults: throttlingRate 1 fails every call as transient Throttling.User and creates nothing', async () => {
    const t = await tenant(lab);
    const p = t.provider;
    await lab.emulator.setFaults(t.key, { throttlingRate: 1 });
    const token = opts();
    const calls: (() => Promise<unknown>)[] = [
      () => p.describeRegions(),
      () => p.describeVpcs(REGION),
      () => p.accountFacts(REGION),
      () => p.createVpc(vpcReq(), token),
      () => p.allocateEip({ regionId: REGION, name: 'kr-eip' }, opts()),
      () => p.createKeyPair({ regionId: REGION, name: 'kr-kp' }, opts()),
      () => p.createRamUser({ name: 'kr-user', comments: '' }, opts()),
    ];
    for (const call of calls) {
      const e = await cloudError(call());
      expect(e).toMatchObject({ code: 'Throttling.User', category: 'transient', retryAfterMs: 200 });
    }
    expect(await lab.emulator.inventory(t.key)).toEqual([]);
    await lab.emulator.setFaults(t.key, {});
    // The throttled create left no trace of its client token either.
    const vpc = await p.createVpc(vpcReq(), token);
    expect((await lab.emulator.inventory(t.key)).map((i) => i.id)).toEqual([vpc.id]);
  });

  it('faults: a scripted failure with remaining 1 fails once, then the create succeeds', async () => {
    const t = await tenant(lab);
    const p = t.provider;
    await lab.emulator.setFaults(t.key, {
      failures: [{ action: 'CreateVpc', code: 'QuotaExceeded.Vpc', remaining: 1 }],
    });
    await p.allocateEip({ regionId: REGION, name: 'kr-eip' }, opts()); // another action: not consumed
    const token = opts();
    await expectCategory(p.createVpc(vpcReq(), token), 'permanent', /^QuotaExceeded\.Vpc$/);
    expect((await lab.emulator.inventory(t.key)).filter((i) => i.kind === 'vpc')).toEqual([]);
    expect((await lab.emulator.account(t.key))?.faults.failures).toEqual([
      { action: 'CreateVpc', code: 'QuotaExceeded.Vpc', remaining: 0 },
    ]);
    const vpc = await p.createVpc(vpcReq(), token);
    await p.createVpc(vpcReq('kr-vpc2'), opts());
    expect((await lab.emulator.inventory(t.key)).filter((i) => i.kind === 'vpc')).toHaveLength(2);
    expect((await p.createVpc(vpcReq(), token)).id).toBe(vpc.id);
  });

  it('faults: a scripted failure with remaining -1 fails every time; its category follows the code', async () => {
    const t = await tenant(lab);
    const p = t.provider;
    const always = { action: 'CreateVpc', code: 'ServiceUnavailable', remaining: -1 };
    await lab.emulator.setFaults(t.key, { failures: [always] });
    for (let i = 0; i < 5; i++)
      await expectCategory(p.createVpc(vpcReq(), opts()), 'transient', /^ServiceUnavailable$/);
    expect((await lab.emulator.account(t.key))?.faults.failures).toEqual([always]);
    expect(await p.describeVpcs(REGION)).toEqual([]);
    expect(await lab.emulator.inventory(t.key)).toEqual([]);
  });

  it("faults: a scripted failure of action '*' fails every write and no read", async () => {
    const t = await tenant(lab);
    const p = t.provider;
    await lab.emulator.setFaults(t.key, {
      failures: [{ action: '*', code: 'InternalError', remaining: -1 }],
    });
    await expectCategory(p.createVpc(vpcReq(), opts()), 'transient', /^InternalError$/);
    await expectCategory(
      p.allocateEip({ regionId: REGION, name: 'kr-eip' }, opts()),
      'transient',
      /^InternalError$/,
    );
    expect((await p.describeRegions()).map((r) => r.regionId)).toContain(REGION);
    expect(await p.describeVpcs(REGION)).toEqual([]);
    expect(await lab.emulator.inventory(t.key)).toEqual([]);
  });

  it('faults: the same seed gives the same throttling sequence in two emulators; another seed another', async () => {
    const e1 = new CloudEmulator({ db: await open(), now: () => lab.clock, seed: 'one' });
    const e2 = new CloudEmulator({ db: await open(), now: () => lab.clock, seed: 'two' });
    await e1.init();
    await e2.init();
    const a = await tenant(lab, {}, e1);
    const b = await tenant(lab, {}, e2);
    const c = await tenant(lab, {}, e2);
    await e1.setFaults(a.key, { seed: 'dice-1', throttlingRate: 0.3 });
    await e2.setFaults(b.key, { seed: 'dice-1', throttlingRate: 0.3 });
    await e2.setFaults(c.key, { seed: 'dice-2', throttlingRate: 0.3 });
    const seqA = await passFail(a.provider, 50);
    const seqB = await passFail(b.provider, 50);
    const seqC = await passFail(c.provider, 50);
    const failures = seqA.filter((ok) => !ok).length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(25);
    expect(seqB).toEqual(seqA);
    expect(seqC).not.toEqual(seqA);
  });

  it('time scale 100 makes a VPC Available after a hundredth of the real latency; Infinity at once', async () => {
    const fast = new CloudEmulator({ db: lab.db, now: () => lab.clock, timeScale: 100, seed: 'fast' });
    const t = await tenant(lab, {}, fast);
    const vpc = await t.provider.createVpc(vpcReq(), opts());
    expect(vpc.status).toBe('Pending');
    // VPC creation takes 2–5 s at real speed: 20–50 ms at a hundred times.
    await t.advance(19);
    expect((await t.provider.getVpc(REGION, vpc.id))?.status).toBe('Pending');
    await t.advance(31);
    expect((await t.provider.getVpc(REGION, vpc.id))?.status).toBe('Available');

    const real = await tenant(lab);
    const slow = await real.provider.createVpc(vpcReq(), opts());
    await real.advance(1_999);
    expect((await real.provider.getVpc(REGION, slow.id))?.status).toBe('Pending');
    await real.advance(3_001);
    expect((await real.provider.getVpc(REGION, slow.id))?.status).toBe('Available');

    const instant = new CloudEmulator({ db: lab.db, now: () => lab.clock, timeScale: Infinity });
    const u = await tenant(lab, {}, instant);
    expect((await u.provider.createVpc(vpcReq(), opts())).status).toBe('Available');
    expect(() => new CloudEmulator({ db: lab.db, timeScale: 0 })).toThrow(RangeError);
  });
});
