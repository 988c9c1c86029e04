// The emulator's quotas (M13), on SQLite and PostgreSQL: each quota enforced with a small override,
// the seed's 48 route entries per table, usage in accountFacts, quota-increase tickets, and a quota
// that holds under concurrent creates.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { QuotaName } from '../src/domain/limits/index.js';
import {
  instanceRequest,
  opts,
  REGION,
  tenant,
  useEmulator,
  type Net,
  type Tenant,
} from './support/emulator-lab.js';
import { describeEachDatabase } from './support/postgres.js';
import { eventually, expectCategory, network } from './support/provider-conformance.js';

/** A route entry to 172.20.i.0/24 through `hop`, waited for until Available (one at a time per table). */
async function route(t: Tenant, n: Net, hop: string, i: number) {
  const p = t.provider;
  const e = await p.createRouteEntry(
    {
      regionId: REGION,
      routeTableId: n.vpc.routeTableId,
      destinationCidr: `172.20.${i}.0/24`,
      nextHopId: hop,
    },
    opts(),
  );
  await eventually(
    t,
    () => p.getRouteEntry(REGION, e.id),
    (x) => x?.status === 'Available',
    'route available',
  );
  return e;
}

interface QuotaCase {
  readonly quota: QuotaName;
  readonly code: RegExp;
  /** How much of the quota one create uses. */
  readonly step?: number;
  /** Creates one more thing the quota counts; `i` keeps names and CIDRs distinct. */
  create(c: { t: Tenant; n: Net; hop: string }, i: number): Promise<unknown>;
}

const QUOTA_CASES: readonly QuotaCase[] = [
  {
    quota: 'vpc.vpcs-per-region',
    code: /^QuotaExceeded\.Vpc$/,
    create: ({ t }, i) =>
      t.provider.createVpc({ regionId: REGION, cidr: `10.${i}.0.0/16`, name: `kr-q${i}` }, opts()),
  },
  {
    quota: 'vpc.vswitches-per-vpc',
    code: /^QuotaExceeded\.VSwitch$/,
    create: async ({ t, n }, i) => {
      const p = t.provider;
      const v = await p.createVSwitch(
        {
          regionId: REGION,
          vpcId: n.vpc.id,
          zoneId: 'cn-hangzhou-i',
          cidr: `192.168.${i}0.0/24`,
          name: 'kr-q',
        },
        opts(),
      );
      await eventually(
        t,
        () => p.getVSwitch(REGION, v.id),
        (x) => x?.status === 'Available',
        'vSwitch available',
      );
    },
  },
  {
    quota: 'vpc.nat-gateways-per-vpc',
    code: /^QuotaExceeded\.NatGateway$/,
    create: ({ t, n }, i) =>
      t.provider.createNatGateway(
        { regionId: REGION, vpcId: n.vpc.id, vswitchId: n.vsw.id, name: `kr-nat${i}` },
        opts(),
      ),
  },
  {
    quota: 'vpc.eips',
    code: /^QuotaExceeded\.Eip$/,
    create: ({ t }, i) => t.provider.allocateEip({ regionId: REGION, name: `kr-eip${i}` }, opts()),
  },
  {
    quota: 'ecs.security-groups',
    code: /^QuotaExceed\.SecurityGroup$/,
    create: ({ t, n }, i) =>
      t.provider.createSecurityGroup(
        { regionId: REGION, vpcId: n.vpc.id, type: 'normal', name: `kr-sg${i}` },
        opts(),
      ),
  },
  {
    quota: 'ecs.key-pairs',
    code: /^QuotaExceed\.KeyPair$/,
    create: ({ t }, i) => t.provider.createKeyPair({ regionId: REGION, name: `kr-kp${i}` }, opts()),
  },
  {
    quota: 'ecs.postpaid-vcpus',
    code: /^QuotaExceed\.ElasticQuota$/,
    step: 8,
    create: ({ t, n }, i) => t.provider.runInstance(instanceRequest(n, { name: `kr-worker${i}` }), opts()),
  },
  {
    quota: 'slb.postpaid-instances',
    code: /^ORDER\.QUOTA_EXCEEDED$/,
    create: ({ t, n }, i) =>
      t.provider.createLoadBalancer(
        {
          regionId: REGION,
          vswitchId: n.vsw.id,
          addressType: 'intranet',
          spec: 'slb.s2.small',
          name: `kr-lb${i}`,
        },
        opts(),
      ),
  },
  {
    quota: 'ram.users',
    code: /^LimitExceeded\.User$/,
    create: ({ t }, i) => t.provider.createRamUser({ name: `kr-user${i}`, comments: '' }, opts()),
  },
  {
    quota: 'vpc.route-entries-per-table',
    code: /^QuotaExceeded$/,
    create: ({ t, n, hop }, i) => route(t, n, hop, i),
  },
];

describeEachDatabase('emulator: quotas', (open) => {
  const lab = useEmulator(open, 'quotas');

  it.each(QUOTA_CASES)(
    'M13 $quota: with a small override the create past it is refused and nothing is created',
    async (qc) => {
      const t = await tenant(lab);
      const n = await network(t, 'c-quota');
      const hop =
        qc.quota === 'vpc.route-entries-per-table'
          ? (await t.provider.runInstance(instanceRequest(n), opts())).id
          : '';
      const scope = { vpcId: n.vpc.id, routeTableId: n.vpc.routeTableId };
      const used = async () => (await t.provider.accountFacts(REGION, scope)).usage[qc.quota] ?? -1;
      const base = await used();
      const limit = base + 2 * (qc.step ?? 1);
      await lab.emulator.setAccount({ accessKeyId: t.key, quotas: { [qc.quota]: limit } });
      await qc.create({ t, n, hop }, 1);
      await qc.create({ t, n, hop }, 2);
      expect(await used()).toBe(limit);
      const before = await lab.emulator.inventory(t.key);
      await expectCategory(qc.create({ t, n, hop }, 3), 'permanent', qc.code);
      expect(await lab.emulator.inventory(t.key)).toEqual(before);
      expect(await used()).toBe(limit);
      expect((await t.provider.accountFacts(REGION)).quotas[qc.quota]).toBe(limit);
    },
  );

  it("M13 vpc.route-entries-per-table defaults to the seed's 48: 48 routes succeed, the 49th is refused", async () => {
    const t = await tenant(lab);
    const n = await network(t, 'c-routes');
    const hop = await t.provider.runInstance(instanceRequest(n), opts());
    for (let i = 1; i <= 48; i++) await route(t, n, hop.id, i);
    const scope = { routeTableId: n.vpc.routeTableId };
    expect((await t.provider.accountFacts(REGION, scope)).usage['vpc.route-entries-per-table']).toBe(48);
    await expectCategory(route(t, n, hop.id, 49), 'permanent', /^QuotaExceeded$/);
    expect(await t.provider.describeRouteEntries(REGION, n.vpc.routeTableId)).toHaveLength(48);
  });

  it('M13 accountFacts reports balance, real name, overrides and usage in the scope of each quota', async () => {
    const t = await tenant(lab, { balanceCny: 2_345.67, quotas: { 'vpc.eips': 7 } });
    const p = t.provider;
    const n = await network(t, 'c-facts');
    await p.runInstance(instanceRequest(n), opts());
    await p.allocateEip({ regionId: REGION, name: 'kr-eip' }, opts());
    await p.createKeyPair({ regionId: REGION, name: 'kr-facts' }, opts());
    await p.createRamUser({ name: 'kr-facts', comments: '' }, opts());
    const facts = await p.accountFacts(REGION, { vpcId: n.vpc.id, routeTableId: n.vpc.routeTableId });
    expect(facts).toMatchObject({ balanceCny: 2_345.67, realNameVerified: true, quotas: { 'vpc.eips': 7 } });
    expect(facts.usage).toEqual({
      'vpc.vpcs-per-region': 1,
      'vpc.vswitches-per-vpc': 1,
      'vpc.nat-gateways-per-vpc': 0,
      'vpc.route-entries-per-table': 0,
      'vpc.eips': 1,
      'ecs.security-groups': 1,
      'ecs.key-pairs': 1,
      'ecs.postpaid-vcpus': 8,
      'slb.postpaid-instances': 0,
      'ram.users': 1,
    });
    // Another region: regional quotas are empty there, account-wide ones (EIPs, RAM users) are not.
    expect((await p.accountFacts('cn-shanghai')).usage).toMatchObject({
      'vpc.vpcs-per-region': 0,
      'vpc.vswitches-per-vpc': 0,
      'vpc.eips': 1,
      'ecs.security-groups': 0,
      'ecs.key-pairs': 0,
      'ecs.postpaid-vcpus': 0,
      'ram.users': 1,
    });
  });

  it('M13 a quota increase is pending until approved; approval lets the refused create succeed, once', async () => {
    const t = await tenant(lab, { quotas: { 'vpc.eips': 1 } });
    const p = t.provider;
    const e = lab.emulator;
    await p.allocateEip({ regionId: REGION, name: 'kr-eip1' }, opts());
    const second = { clientToken: `kr-${randomUUID()}`, tags: [] };
    const allocate = () => p.allocateEip({ regionId: REGION, name: 'kr-eip2' }, second);
    await expectCategory(allocate(), 'permanent', /^QuotaExceeded\.Eip$/);

    const req = await p.requestQuotaIncrease({
      quota: 'vpc.eips',
      requestedLimit: 2,
      reason: 'a second API',
    });
    expect(req).toMatchObject({ quota: 'vpc.eips', requestedLimit: 2, state: 'pending' });
    expect(await p.listQuotaIncreases()).toEqual([req]);
    expect((await e.quotaRequests('pending')).filter((r) => r.id === req.id)).toHaveLength(1);
    await expectCategory(allocate(), 'permanent', /^QuotaExceeded\.Eip$/);

    expect(await e.decideQuotaRequest(req.id, 'approved')).toEqual({ ...req, state: 'approved' });
    expect((await p.accountFacts(REGION)).quotas['vpc.eips']).toBe(2);
    expect((await e.quotaRequests('approved')).map((r) => r.id)).toContain(req.id);
    expect((await allocate()).name).toBe('kr-eip2');

    await expectCategory(
      e.decideQuotaRequest(req.id, 'rejected'),
      'permanent',
      /^QUOTA\.APPLICATION_DECIDED$/,
    );
    await expectCategory(
      e.decideQuotaRequest(req.id, 'approved'),
      'permanent',
      /^QUOTA\.APPLICATION_DECIDED$/,
    );
    expect(await p.listQuotaIncreases()).toEqual([{ ...req, state: 'approved' }]);
    expect((await p.accountFacts(REGION)).quotas['vpc.eips']).toBe(2);

    // Not an increase (equal or lower), no reason, no such quota: refused, and no ticket is filed.
    await expectCategory(
      p.requestQuotaIncrease({ quota: 'vpc.eips', requestedLimit: 2, reason: 'more' }),
      'permanent',
      /^QUOTA\.INVALID_APPLY$/,
    );
    await expectCategory(
      p.requestQuotaIncrease({ quota: 'vpc.eips', requestedLimit: 1, reason: 'more' }),
      'permanent',
      /^QUOTA\.INVALID_APPLY$/,
    );
    await expectCategory(
      p.requestQuotaIncrease({ quota: 'vpc.eips', requestedLimit: 9, reason: '  ' }),
      'permanent',
      /^QUOTA\.INVALID_APPLY$/,
    );
    await expectCategory(
      p.requestQuotaIncrease({ quota: 'vpc.nope' as QuotaName, requestedLimit: 9, reason: 'more' }),
      'permanent',
      /^QUOTA\.NOT_FOUND$/,
    );
    expect(await p.listQuotaIncreases()).toHaveLength(1);
    await expectCategory(e.decideQuotaRequest('qa-nope', 'approved'), 'permanent', /APPLICATION_NOT_FOUND/);
  });

  it('M13 a rejected request leaves the limit; approving never lowers a limit raised in the meantime', async () => {
    const t = await tenant(lab, { quotas: { 'ecs.key-pairs': 3 } });
    const p = t.provider;
    const e = lab.emulator;
    const rejected = await p.requestQuotaIncrease({
      quota: 'ecs.key-pairs',
      requestedLimit: 5,
      reason: 'more',
    });
    expect((await e.decideQuotaRequest(rejected.id, 'rejected')).state).toBe('rejected');
    expect((await p.accountFacts(REGION)).quotas['ecs.key-pairs']).toBe(3);

    const late = await p.requestQuotaIncrease({ quota: 'ecs.key-pairs', requestedLimit: 6, reason: 'more' });
    await e.setAccount({ accessKeyId: t.key, quotas: { 'ecs.key-pairs': 50 } });
    await e.decideQuotaRequest(late.id, 'approved');
    expect((await p.accountFacts(REGION)).quotas['ecs.key-pairs']).toBe(50);
  });

  it('M13 the quota holds under concurrency: 12 concurrent EIP allocations with vpc.eips = 5 make exactly 5', async () => {
    const t = await tenant(lab, { quotas: { 'vpc.eips': 5 } });
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        t.provider.allocateEip(
          { regionId: REGION, name: `kr-eip${i}` },
          { clientToken: `kr-eip-${i}`, tags: [] },
        ),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as { code?: string }] : []));
    expect(ok).toHaveLength(5);
    expect(refused.map((r) => r.code)).toEqual(Array(7).fill('QuotaExceeded.Eip'));
    expect((await lab.emulator.inventory(t.key)).filter((i) => i.kind === 'eip')).toHaveLength(5);
    expect((await t.provider.accountFacts(REGION)).usage['vpc.eips']).toBe(5);
  });
});
