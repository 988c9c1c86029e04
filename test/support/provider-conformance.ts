// The Provider contract (docs/provider-contract.md) as a test suite, run against every implementation:
// the emulator now, Alibaba Cloud when credentials are given. Each test creates what it needs and cleans up.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { CloudError, type CloudErrorCategory } from '../../src/cloud/errors.js';
import { ownerTags, type Provider, type SecurityGroupRule } from '../../src/cloud/provider.js';

export interface ConformanceTarget {
  readonly provider: Provider;
  readonly regionId: string;
  /** A zone where `instanceType` is in stock. */
  readonly zoneId: string;
  readonly instanceType: string;
  readonly imageId: string;
  /** Lets asynchronous states progress: moves a test clock, or sleeps on a real cloud. */
  advance(ms: number): Promise<void>;
}

/** Polls `read` until `done` holds, letting time pass in between. */
export async function eventually<T>(
  t: ConformanceTarget,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await read();
    if (done(v)) return v;
    await t.advance(5_000);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Polls until `read` finds nothing, letting time pass in between. */
async function gone(t: ConformanceTarget, read: () => Promise<unknown>, what: string): Promise<void> {
  await eventually(t, read, (v) => v === null, what);
}

/** Polls until the EIP `id` is Available or InUse. */
async function eipIs(
  t: ConformanceTarget,
  r: string,
  id: string,
  status: 'Available' | 'InUse',
): Promise<void> {
  const what = status === 'InUse' ? 'EIP in use' : 'EIP available';
  await eventually(
    t,
    () => t.provider.getEip(r, id),
    (e) => e?.status === status,
    what,
  );
}

/** Unbinds the EIP `id` from `instanceId`, waits until it is Available, and releases it. */
async function unbindAndRelease(
  t: ConformanceTarget,
  r: string,
  id: string,
  instanceId: string,
): Promise<void> {
  await t.provider.unassociateEip(r, { allocationId: id, instanceId });
  await eipIs(t, r, id, 'Available');
  await t.provider.releaseEip(r, id);
}

/** The error a call fails with, which must be a CloudError. */
export async function cloudError(p: Promise<unknown>): Promise<CloudError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CloudError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

export async function expectCategory(
  p: Promise<unknown>,
  category: CloudErrorCategory,
  code?: RegExp,
): Promise<void> {
  const e = await cloudError(p);
  expect(e.category, `${e.code}: ${e.message}`).toBe(category);
  if (code) expect(e.code).toMatch(code);
}

function token(): string {
  return `kr-conf-${randomUUID()}`;
}

/** A VPC with one vSwitch and a security group, both available. */
export async function network(t: ConformanceTarget, cluster: string) {
  const p = t.provider;
  const tags = ownerTags(cluster, 'vpc');
  const vpc = await p.createVpc(
    { regionId: t.regionId, cidr: '192.168.0.0/16', name: `kr-${cluster}` },
    { clientToken: token(), tags },
  );
  await eventually(
    t,
    () => p.getVpc(t.regionId, vpc.id),
    (v) => v?.status === 'Available',
    'VPC available',
  );
  const vsw = await p.createVSwitch(
    { regionId: t.regionId, vpcId: vpc.id, zoneId: t.zoneId, cidr: '192.168.0.0/24', name: `kr-${cluster}` },
    { clientToken: token(), tags: ownerTags(cluster, `vswitch/${t.zoneId}`) },
  );
  await eventually(
    t,
    () => p.getVSwitch(t.regionId, vsw.id),
    (v) => v?.status === 'Available',
    'vSwitch available',
  );
  const sg = await p.createSecurityGroup(
    { regionId: t.regionId, vpcId: vpc.id, type: 'normal', name: `kr-${cluster}` },
    { clientToken: token(), tags: ownerTags(cluster, 'security-group') },
  );
  return { vpc, vsw, sg };
}

/** Deletes what `network` made, waiting for each to be gone. */
export async function teardown(t: ConformanceTarget, n: Awaited<ReturnType<typeof network>>): Promise<void> {
  const p = t.provider;
  await p.deleteSecurityGroup(t.regionId, n.sg.id);
  await retryBusy(t, () => p.deleteVSwitch(t.regionId, n.vsw.id));
  await gone(t, () => p.getVSwitch(t.regionId, n.vsw.id), 'vSwitch gone');
  await retryBusy(t, () => p.deleteVpc(t.regionId, n.vpc.id));
  await gone(t, () => p.getVpc(t.regionId, n.vpc.id), 'VPC gone');
}

/** Retries a call while it fails with a transient error, as the engine does. */
export async function retryBusy<T>(t: ConformanceTarget, call: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await call();
    } catch (e) {
      if (!(e instanceof CloudError) || e.category !== 'transient' || i > 200) throw e;
      await t.advance(5_000);
    }
  }
}

const RULE: SecurityGroupRule = {
  direction: 'ingress',
  protocol: 'icmp',
  portRange: '-1/-1',
  sourceCidr: '192.168.0.0/16',
  sourceGroupId: null,
  policy: 'accept',
  priority: 1,
  description: 'ICMP from the VPC',
};

/** Registers the contract tests; `target()` is called inside each test, after the suite's set-up. */
export function providerConformance(target: () => ConformanceTarget): void {
  it('look-ups: regions, zones of the region, stock for the zone, images', async () => {
    const t = target();
    const regions = await t.provider.describeRegions();
    expect(regions.map((r) => r.regionId)).toContain(t.regionId);
    const zones = await t.provider.describeZones(t.regionId);
    expect(zones.map((z) => z.zoneId)).toContain(t.zoneId);
    for (const z of zones) expect(z.zoneId.startsWith(t.regionId)).toBe(true);
    const stock = await t.provider.describeInstanceTypeStock(t.regionId, t.zoneId);
    expect(stock.find((s) => s.instanceType === t.instanceType)?.status).toBe('available');
    expect((await t.provider.describeImages(t.regionId)).map((i) => i.imageId)).toContain(t.imageId);
    await expectCategory(t.provider.describeZones('xx-nowhere-1'), 'not-found');
  });

  it('M3 create is idempotent by client token; other parameters with the same token are refused', async () => {
    const t = target();
    const p = t.provider;
    const opts = { clientToken: token(), tags: ownerTags('c-idem', 'vpc') };
    const req = { regionId: t.regionId, cidr: '10.0.0.0/8', name: 'kr-idem' };
    const [a, b] = await Promise.all([p.createVpc(req, opts), p.createVpc(req, opts)]);
    expect(b.id).toBe(a.id);
    expect((await p.createVpc(req, opts)).id).toBe(a.id);
    expect((await p.describeVpcs(t.regionId)).filter((v) => v.id === a.id)).toHaveLength(1);
    await expectCategory(
      p.createVpc({ ...req, cidr: '172.16.0.0/12' }, opts),
      'permanent',
      /IdempotentParameterMismatch/,
    );
    await eventually(
      t,
      () => p.getVpc(t.regionId, a.id),
      (v) => v?.status === 'Available',
      'VPC available',
    );
    await p.deleteVpc(t.regionId, a.id);
    await gone(t, () => p.getVpc(t.regionId, a.id), 'VPC gone');
  });

  it('M3 owner tags are kept and the tag sweep finds every tagged resource', async () => {
    const t = target();
    const cluster = `c-${randomUUID().slice(0, 8)}`;
    const n = await network(t, cluster);
    const found = await t.provider.listResourcesByTag(t.regionId, {
      key: 'kuberack:cluster',
      value: cluster,
    });
    expect(found.map((f) => f.id).sort()).toEqual([n.vpc.id, n.vsw.id, n.sg.id].sort());
    expect(n.vpc.tags).toEqual(ownerTags(cluster, 'vpc'));
    await teardown(t, n);
    expect(
      await t.provider.listResourcesByTag(t.regionId, { key: 'kuberack:cluster', value: cluster }),
    ).toEqual([]);
  });

  it('M12 vSwitch CIDR must lie inside the VPC and not overlap a sibling; the zone must exist', async () => {
    const t = target();
    const p = t.provider;
    const n = await network(t, 'c-cidr');
    const make = (cidr: string, zoneId = t.zoneId) =>
      p.createVSwitch(
        { regionId: t.regionId, vpcId: n.vpc.id, zoneId, cidr, name: 'kr-x' },
        { clientToken: token(), tags: [] },
      );
    await expectCategory(make('10.1.0.0/24'), 'permanent');
    await expectCategory(make('192.168.0.128/25'), 'permanent', /Overlapped/);
    await expectCategory(make('192.168.9.0/24', `${t.regionId}-zz`), 'not-found');
    expect(await p.describeVSwitches(t.regionId, n.vpc.id)).toHaveLength(1);
    await teardown(t, n);
  });

  it('M64 deletes respect dependencies, and deleting what is gone says not-found', async () => {
    const t = target();
    const p = t.provider;
    const n = await network(t, 'c-deps');
    await expectCategory(p.deleteVpc(t.regionId, n.vpc.id), 'transient', /^DependencyViolation/);
    await teardown(t, n);
    await expectCategory(p.deleteVpc(t.regionId, n.vpc.id), 'not-found');
    await expectCategory(p.deleteSecurityGroup(t.regionId, n.sg.id), 'not-found');
    expect(await p.getSecurityGroup(t.regionId, n.sg.id)).toBeNull();
  });

  it('M2 security group rules: authorizing the same rule twice keeps one', async () => {
    const t = target();
    const n = await network(t, 'c-rules');
    await t.provider.authorizeSecurityGroup(t.regionId, n.sg.id, [RULE]);
    await t.provider.authorizeSecurityGroup(t.regionId, n.sg.id, [
      RULE,
      { ...RULE, protocol: 'all', sourceCidr: null, sourceGroupId: n.sg.id },
    ]);
    const sg = await t.provider.getSecurityGroup(t.regionId, n.sg.id);
    expect(sg?.rules).toHaveLength(2);
    await expectCategory(
      t.provider.authorizeSecurityGroup(t.regionId, n.sg.id, [{ ...RULE, sourceCidr: 'nope' }]),
      'permanent',
    );
    await teardown(t, n);
  });

  it('M5 NAT gateway, EIP and SNAT entry: created in order, released in reverse', async () => {
    const t = target();
    const p = t.provider;
    const r = t.regionId;
    const n = await network(t, 'c-nat');
    const nat = await p.createNatGateway(
      { regionId: r, vpcId: n.vpc.id, vswitchId: n.vsw.id, name: 'kr-nat' },
      { clientToken: token(), tags: [] },
    );
    expect(nat.status).toBe('Creating');
    const eip = await p.allocateEip({ regionId: r, name: 'kr-nat' }, { clientToken: token(), tags: [] });
    await retryBusy(t, () =>
      p.associateEip(r, { allocationId: eip.id, instanceId: nat.id, instanceType: 'Nat' }),
    );
    await eipIs(t, r, eip.id, 'InUse');
    expect((await p.getNatGateway(r, nat.id))?.ips.map((i) => i.ip)).toEqual([eip.ip]);
    const snat = await retryBusy(t, () =>
      p.createSnatEntry(
        { regionId: r, snatTableId: nat.snatTableId, vswitchId: n.vsw.id, snatIp: eip.ip, name: 'kr' },
        { clientToken: token(), tags: [] },
      ),
    );
    await eventually(
      t,
      () => p.getSnatEntry(r, nat.snatTableId, snat.id),
      (e) => e?.status === 'Available',
      'SNAT available',
    );
    await expectCategory(
      p.createSnatEntry(
        { regionId: r, snatTableId: nat.snatTableId, vswitchId: n.vsw.id, snatIp: eip.ip, name: 'kr' },
        { clientToken: token(), tags: [] },
      ),
      'already-exists',
    );
    await expectCategory(p.releaseEip(r, eip.id), 'transient');
    await expectCategory(p.deleteNatGateway(r, nat.id), 'transient', /^DependencyViolation/);
    await p.deleteSnatEntry(r, nat.snatTableId, snat.id);
    await gone(t, () => p.getSnatEntry(r, nat.snatTableId, snat.id), 'SNAT gone');
    await unbindAndRelease(t, r, eip.id, nat.id);
    await p.deleteNatGateway(r, nat.id);
    await gone(t, () => p.getNatGateway(r, nat.id), 'NAT gone');
    await teardown(t, n);
  });

  it('M6 RAM: the access key secret is shown once; deletes refuse while keys or policies remain', async () => {
    const t = target();
    const p = t.provider;
    const name = `kr-conf-${randomUUID().slice(0, 8)}`;
    const user = await p.createRamUser({ name, comments: 'conformance' }, { clientToken: token(), tags: [] });
    expect(user.name).toBe(name);
    await expectCategory(
      p.createRamUser({ name, comments: '' }, { clientToken: token(), tags: [] }),
      'already-exists',
    );
    const doc = JSON.stringify({
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: ['ecs:DescribeInstances'], Resource: '*' }],
    });
    await p.createRamPolicy({ name, document: doc }, { clientToken: token(), tags: [] });
    await p.attachPolicyToUser({ policyName: name, userName: name });
    await p.attachPolicyToUser({ policyName: name, userName: name });
    const key = await p.createAccessKey(name);
    expect(key.secret.length).toBeGreaterThanOrEqual(30);
    const listed = await p.listAccessKeys(name);
    expect(listed.map((k) => k.id)).toEqual([key.id]);
    expect(JSON.stringify(listed)).not.toContain(key.secret);
    await expectCategory(p.deleteRamUser(name), 'permanent', /DeleteConflict/);
    await expectCategory(p.deleteRamPolicy(name), 'permanent', /DeleteConflict/);
    await p.deleteAccessKey({ userName: name, accessKeyId: key.id });
    await p.detachPolicyFromUser({ policyName: name, userName: name });
    await p.deleteRamPolicy(name);
    await p.deleteRamUser(name);
    expect(await p.getRamUser(name)).toBeNull();
    await expectCategory(p.deleteRamUser(name), 'not-found');
  });

  it('M7 M8 load balancer: listeners start, an EIP binds, delete protection holds', async () => {
    const t = target();
    const p = t.provider;
    const r = t.regionId;
    const n = await network(t, 'c-slb');
    const lb = await p.createLoadBalancer(
      {
        regionId: r,
        vswitchId: n.vsw.id,
        addressType: 'intranet',
        spec: 'slb.s2.small',
        name: 'kr-api',
        deleteProtection: true,
      },
      { clientToken: token(), tags: [] },
    );
    expect(lb.address.startsWith('192.168.0.')).toBe(true);
    await eventually(
      t,
      () => p.getLoadBalancer(r, lb.id),
      (x) => x?.status === 'active',
      'SLB active',
    );
    await p.createListener(r, { loadBalancerId: lb.id, port: 6443, protocol: 'tcp', backendPort: 6443 });
    await p.createListener(r, { loadBalancerId: lb.id, port: 6443, protocol: 'tcp', backendPort: 6443 });
    await eventually(
      t,
      () => p.getLoadBalancer(r, lb.id),
      (x) => x?.listeners[0]?.status === 'running',
      'listener running',
    );
    const eip = await p.allocateEip({ regionId: r, name: 'kr-api' }, { clientToken: token(), tags: [] });
    await p.associateEip(r, { allocationId: eip.id, instanceId: lb.id, instanceType: 'SlbInstance' });
    await expectCategory(p.deleteLoadBalancer(r, lb.id), 'permanent');
    await p.setLoadBalancerDeleteProtection(r, lb.id, false);
    await eipIs(t, r, eip.id, 'InUse');
    await unbindAndRelease(t, r, eip.id, lb.id);
    await p.deleteLoadBalancer(r, lb.id);
    await gone(t, () => p.getLoadBalancer(r, lb.id), 'SLB gone');
    await teardown(t, n);
  });

  it('M47 key pair: the private key is returned once; a second create with the name says it exists', async () => {
    const t = target();
    const name = `kr-conf-${randomUUID().slice(0, 8)}`;
    const kp = await t.provider.createKeyPair(
      { regionId: t.regionId, name },
      { clientToken: token(), tags: [] },
    );
    expect(kp.privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(await t.provider.getKeyPair(t.regionId, name)).toEqual({
      name,
      fingerprint: kp.fingerprint,
      tags: [],
    });
    await expectCategory(
      t.provider.createKeyPair({ regionId: t.regionId, name }, { clientToken: token(), tags: [] }),
      'already-exists',
    );
    await t.provider.deleteKeyPair(t.regionId, name);
    expect(await t.provider.getKeyPair(t.regionId, name)).toBeNull();
  });

  it('M1 M48 M4 instance: Pending → Running, protected from release, routes block its deletion', async () => {
    const t = target();
    const p = t.provider;
    const r = t.regionId;
    const n = await network(t, 'c-ecs');
    const inst = await p.runInstance(
      {
        regionId: r,
        vswitchId: n.vsw.id,
        securityGroupIds: [n.sg.id],
        instanceType: t.instanceType,
        imageId: t.imageId,
        name: 'kr-worker-1',
        systemDisk: { category: 'cloud_essd', sizeGiB: 120, performanceLevel: 'PL0' },
        dataDisks: [],
        userData: '#cloud-config\n',
        chargeType: 'PostPaid',
        deletionProtection: true,
      },
      { clientToken: token(), tags: ownerTags('c-ecs', 'ecs-instance/worker-1') },
    );
    expect(['Pending', 'Starting']).toContain(inst.status);
    expect(inst.privateIp.startsWith('192.168.0.')).toBe(true);
    const running = await eventually(
      t,
      () => p.getInstance(r, inst.id),
      (i) => i?.status === 'Running',
      'instance running',
    );
    expect(running?.gpu.amount).toBeGreaterThan(0);
    const vpc = await p.getVpc(r, n.vpc.id);
    const route = await retryBusy(t, () =>
      p.createRouteEntry(
        {
          regionId: r,
          routeTableId: vpc?.routeTableId ?? '',
          destinationCidr: '172.20.0.0/25',
          nextHopId: inst.id,
        },
        { clientToken: token(), tags: [] },
      ),
    );
    await eventually(
      t,
      () => p.getRouteEntry(r, route.id),
      (e) => e?.status === 'Available',
      'route available',
    );
    await expectCategory(
      p.createRouteEntry(
        {
          regionId: r,
          routeTableId: vpc?.routeTableId ?? '',
          destinationCidr: '172.20.0.0/25',
          nextHopId: inst.id,
        },
        { clientToken: token(), tags: [] },
      ),
      'already-exists',
    );
    await expectCategory(p.deleteInstance(r, inst.id, { force: true }), 'permanent', /DeletionProtection/);
    await p.modifyInstance(r, inst.id, { deletionProtection: false });
    await expectCategory(p.deleteInstance(r, inst.id, { force: true }), 'transient', /DependencyViolation/);
    await p.deleteRouteEntry(r, route.id);
    await gone(t, () => p.getRouteEntry(r, route.id), 'route gone');
    await p.deleteInstance(r, inst.id, { force: true });
    await expectCategory(p.deleteVSwitch(r, n.vsw.id), 'transient');
    await gone(t, () => p.getInstance(r, inst.id), 'instance gone');
    await teardown(t, n);
  });

  it('M57 log project: create, read, delete', async () => {
    const t = target();
    const name = `kr-conf-${randomUUID().slice(0, 8)}`;
    await t.provider.createLogProject({ regionId: t.regionId, name }, { clientToken: token(), tags: [] });
    expect((await t.provider.getLogProject(t.regionId, name))?.name).toBe(name);
    await t.provider.deleteLogProject(t.regionId, name);
    expect(await t.provider.getLogProject(t.regionId, name)).toBeNull();
  });
}
