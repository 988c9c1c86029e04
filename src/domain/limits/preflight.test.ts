// Table-driven tests for the preflight: balance and real-name (M10), quotas including Flannel's
// route-entry limit (M13), and the quota headroom the dry-run shows (M66).
import { describe, expect, it } from 'vitest';
import type { AccountFacts } from './account.js';
import { preflight, quotaHeadroom, type ResourceDemand } from './preflight.js';
import { DEFAULT_QUOTAS, effectiveQuota, type QuotaName } from './quotas.js';

const account: AccountFacts = {
  balanceCny: 1000,
  realNameVerified: true,
  quotas: {},
  usage: {},
  allowlists: { exclusiveEni: false, customImage: false, workflowEngine: false },
  resourceGroupIds: [],
};

/** A new managed Flannel cluster of 3 pay-as-you-go GPU nodes in a new VPC with NAT and an API EIP. */
const demand: ResourceDemand = {
  vpcs: 1,
  securityGroups: 1,
  postpaidSlbs: 1,
  eips: 2,
  natGateways: 1,
  routeEntries: 4,
  ramUsers: 0,
  keyPairs: 0,
  postpaidInstances: 3,
  postpaidVcpus: 24,
  nodes: 3,
  clusters: 1,
  networkPlugin: 'flannel',
  payAsYouGo: true,
};

/** Subscription-only work: nothing pay-as-you-go is created. */
const subscription: ResourceDemand = {
  ...demand,
  postpaidSlbs: 0,
  postpaidInstances: 0,
  postpaidVcpus: 0,
  payAsYouGo: false,
};

const codes = (d: ResourceDemand, a: AccountFacts): string[] => preflight(d, a).map((p) => p.code);

describe('preflight', () => {
  it('a typical managed cluster passes with a funded, verified account', () => {
    expect(preflight(demand, account)).toEqual([]);
  });

  it.each([
    { name: 'refused below 100 CNY', balanceCny: 99.99, d: demand, refused: true },
    { name: 'refused with a negative balance', balanceCny: -5, d: demand, refused: true },
    { name: 'allowed at exactly 100 CNY', balanceCny: 100, d: demand, refused: false },
    { name: 'not required for subscription-only work', balanceCny: 0, d: subscription, refused: false },
    {
      name: 'required when only an SLB is pay-as-you-go',
      balanceCny: 10,
      d: { ...subscription, postpaidSlbs: 1 },
      refused: true,
    },
  ])('M10 pay-as-you-go balance: $name', ({ balanceCny, d, refused }) => {
    const problems = preflight(d, { ...account, balanceCny });
    if (refused) {
      expect(problems).toContainEqual({
        path: 'account.balanceCny',
        code: 'BALANCE_INSUFFICIENT',
        params: { balance: balanceCny, required: 100 },
      });
    } else {
      expect(problems.map((p) => p.code)).not.toContain('BALANCE_INSUFFICIENT');
    }
  });

  it.each([
    { name: 'refused when not verified', verified: false, d: demand, refused: true },
    { name: 'allowed when verified', verified: true, d: demand, refused: false },
    { name: 'not required for subscription-only work', verified: false, d: subscription, refused: false },
  ])('M10 real-name verification: $name', ({ verified, d, refused }) => {
    const problems = preflight(d, { ...account, realNameVerified: verified });
    const expected = { path: 'account.realNameVerified', code: 'ACCOUNT_NOT_REAL_NAME_VERIFIED', params: {} };
    if (refused) expect(problems).toContainEqual(expected);
    else expect(problems).not.toContainEqual(expected);
  });

  it('M10 M13 reports every problem at once', () => {
    const poor: AccountFacts = {
      ...account,
      balanceCny: 0,
      realNameVerified: false,
      usage: { 'vpc.eips': 20, 'ecs.security-groups': 100 },
    };
    expect(codes(demand, poor)).toEqual([
      'BALANCE_INSUFFICIENT',
      'ACCOUNT_NOT_REAL_NAME_VERIFIED',
      'QUOTA_EXCEEDED',
      'QUOTA_EXCEEDED',
    ]);
    expect(preflight(demand, poor).map((p) => p.path)).toEqual([
      'account.balanceCny',
      'account.realNameVerified',
      'quota.vpc.eips',
      'quota.ecs.security-groups',
    ]);
  });

  const quotaCases: {
    name: string;
    quota: QuotaName;
    used: number;
    d: Partial<ResourceDemand>;
    exceeded: boolean;
    requested: number;
  }[] = [
    {
      name: '100 security groups: 99 + 1 fits',
      quota: 'ecs.security-groups',
      used: 99,
      d: {},
      exceeded: false,
      requested: 1,
    },
    {
      name: '100 security groups: 100 + 1 refused',
      quota: 'ecs.security-groups',
      used: 100,
      d: {},
      exceeded: true,
      requested: 1,
    },
    {
      name: '60 pay-as-you-go SLBs: 59 + 1 fits',
      quota: 'slb.postpaid-instances',
      used: 59,
      d: {},
      exceeded: false,
      requested: 1,
    },
    {
      name: '60 pay-as-you-go SLBs: 60 + 1 refused',
      quota: 'slb.postpaid-instances',
      used: 60,
      d: {},
      exceeded: true,
      requested: 1,
    },
    { name: '20 EIPs: 18 + 2 fits', quota: 'vpc.eips', used: 18, d: {}, exceeded: false, requested: 2 },
    { name: '20 EIPs: 19 + 2 refused', quota: 'vpc.eips', used: 19, d: {}, exceeded: true, requested: 2 },
    {
      name: '10 VPCs per region: 10 + 1 refused',
      quota: 'vpc.vpcs-per-region',
      used: 10,
      d: {},
      exceeded: true,
      requested: 1,
    },
    {
      name: '5 NAT gateways per VPC: 5 + 1 refused',
      quota: 'vpc.nat-gateways-per-vpc',
      used: 5,
      d: {},
      exceeded: true,
      requested: 1,
    },
    {
      name: '500 pay-as-you-go vCPUs: 476 + 24 fits',
      quota: 'ecs.postpaid-vcpus',
      used: 476,
      d: {},
      exceeded: false,
      requested: 24,
    },
    {
      name: '500 pay-as-you-go vCPUs: 477 + 24 refused',
      quota: 'ecs.postpaid-vcpus',
      used: 477,
      d: {},
      exceeded: true,
      requested: 24,
    },
    {
      name: '500 key pairs: 500 + 1 refused',
      quota: 'ecs.key-pairs',
      used: 500,
      d: { keyPairs: 1 },
      exceeded: true,
      requested: 1,
    },
    {
      name: '1000 RAM users: 999 + 1 fits',
      quota: 'ram.users',
      used: 999,
      d: { ramUsers: 1 },
      exceeded: false,
      requested: 1,
    },
    {
      name: '1000 RAM users: 1000 + 1 refused',
      quota: 'ram.users',
      used: 1000,
      d: { ramUsers: 1 },
      exceeded: true,
      requested: 1,
    },
    {
      name: '50 clusters: 50 + 1 refused',
      quota: 'cs.clusters',
      used: 50,
      d: {},
      exceeded: true,
      requested: 1,
    },
    {
      name: '20 managed clusters: 19 + 1 fits',
      quota: 'cs.managed-clusters',
      used: 19,
      d: {},
      exceeded: false,
      requested: 1,
    },
    {
      name: '20 managed clusters: 20 + 1 refused',
      quota: 'cs.managed-clusters',
      used: 20,
      d: {},
      exceeded: true,
      requested: 1,
    },
    {
      name: '20 managed clusters: a dedicated cluster is not counted',
      quota: 'cs.managed-clusters',
      used: 20,
      d: { managedClusters: 0 },
      exceeded: false,
      requested: 0,
    },
    {
      name: '100 nodes per cluster: 100 fits',
      quota: 'cs.nodes-per-cluster',
      used: 0,
      d: { nodes: 100, networkPlugin: 'terway', routeEntries: 1 },
      exceeded: false,
      requested: 100,
    },
    {
      name: '100 nodes per cluster: 101 refused',
      quota: 'cs.nodes-per-cluster',
      used: 0,
      d: { nodes: 101, networkPlugin: 'terway', routeEntries: 1 },
      exceeded: true,
      requested: 101,
    },
    {
      name: '20 node pools per cluster: 21 refused',
      quota: 'cs.node-pools-per-cluster',
      used: 0,
      d: { nodePools: 21 },
      exceeded: true,
      requested: 21,
    },
    {
      name: '150 vSwitches per VPC: 148 + 2 fits',
      quota: 'vpc.vswitches-per-vpc',
      used: 148,
      d: { vswitches: 2 },
      exceeded: false,
      requested: 2,
    },
    {
      name: '150 vSwitches per VPC: 149 + 2 refused',
      quota: 'vpc.vswitches-per-vpc',
      used: 149,
      d: { vswitches: 2 },
      exceeded: true,
      requested: 2,
    },
  ];

  it.each(quotaCases)('M13 quota $name', ({ quota, used, d, exceeded, requested }) => {
    const problems = preflight({ ...demand, ...d }, { ...account, usage: { [quota]: used } });
    const expected = {
      path: `quota.${quota}`,
      code: 'QUOTA_EXCEEDED',
      params: { quota, limit: DEFAULT_QUOTAS[quota], used, requested },
    };
    if (exceeded) expect(problems).toEqual([expected]);
    else expect(problems).toEqual([]);
  });

  it('M13 an account already over a quota is not refused for work that needs none of it', () => {
    expect(preflight({ ...demand, eips: 0 }, { ...account, usage: { 'vpc.eips': 25 } })).toEqual([]);
  });

  it.each([
    { name: '50 new nodes, fresh VPC', nodes: 50, routeEntries: 51, inUse: 0, quotas: {}, maxNodes: 47 },
    { name: '48 new nodes, no NAT route', nodes: 49, routeEntries: 49, inUse: 0, quotas: {}, maxNodes: 48 },
    { name: 'scale 40 → 50 nodes', nodes: 50, routeEntries: 10, inUse: 41, quotas: {}, maxNodes: 47 },
  ])(
    'M13 Flannel cluster limited by the 48 route entries: $name',
    ({ nodes, routeEntries, inUse, quotas, maxNodes }) => {
      const problems = preflight(
        { ...demand, nodes, routeEntries, routeEntriesInUse: inUse, postpaidInstances: 0, postpaidVcpus: 0 },
        { ...account, quotas },
      );
      expect(problems).toEqual([
        {
          path: 'quota.vpc.route-entries-per-table',
          code: 'QUOTA_ROUTE_ENTRIES_FLANNEL',
          params: { limit: 48, used: inUse, requested: routeEntries, maxNodes },
        },
      ]);
    },
  );

  it.each([
    { name: '48 Flannel nodes fit the seed default', d: { nodes: 48, routeEntries: 48 }, quotas: {} },
    {
      name: 'Terway is not bound by route entries',
      d: { nodes: 90, routeEntries: 1, networkPlugin: 'terway' as const },
      quotas: {},
    },
    {
      name: 'the public-cloud default of 200 lets 90 Flannel nodes through',
      d: { nodes: 90, routeEntries: 91 },
      quotas: { 'vpc.route-entries-per-table': 200 },
    },
  ])('M13 route entries pass: $name', ({ d, quotas }) => {
    const problems = preflight(
      { ...demand, ...d, postpaidInstances: 0, postpaidVcpus: 0 },
      { ...account, quotas },
    );
    expect(problems).toEqual([]);
  });

  it('M13 route entries used by other things in a Terway VPC give the generic problem', () => {
    const problems = preflight(
      { ...demand, networkPlugin: 'terway', routeEntries: 1 },
      { ...account, usage: { 'vpc.route-entries-per-table': 48 } },
    );
    expect(problems).toEqual([
      {
        path: 'quota.vpc.route-entries-per-table',
        code: 'QUOTA_EXCEEDED',
        params: { quota: 'vpc.route-entries-per-table', limit: 48, used: 48, requested: 1 },
      },
    ]);
  });

  it('M13 routeEntriesInUse wins over account usage for the target table', () => {
    const problems = preflight(
      { ...demand, routeEntriesInUse: 0 },
      { ...account, usage: { 'vpc.route-entries-per-table': 48 } },
    );
    expect(problems).toEqual([]);
  });

  it.each([
    { name: 'an approved increase lifts the limit', quotas: { 'vpc.eips': 40 }, limit: 40 },
    { name: 'a broken override falls back to the default', quotas: { 'vpc.eips': Number.NaN }, limit: 20 },
    { name: 'a negative override falls back to the default', quotas: { 'vpc.eips': -1 }, limit: 20 },
    { name: 'no override uses the default', quotas: {}, limit: 20 },
  ])('M13 effective quota: $name', ({ quotas, limit }) => {
    expect(effectiveQuota('vpc.eips', quotas)).toBe(limit);
  });

  it('M13 the seed defaults', () => {
    expect(DEFAULT_QUOTAS['vpc.route-entries-per-table']).toBe(48);
    expect(DEFAULT_QUOTAS['ecs.security-groups']).toBe(100);
    expect(DEFAULT_QUOTAS['slb.postpaid-instances']).toBe(60);
    expect(DEFAULT_QUOTAS['vpc.eips']).toBe(20);
  });
});

describe('quota headroom', () => {
  it('M66 lists limit, use, demand and what remains for every quota', () => {
    const rows = quotaHeadroom(demand, {
      ...account,
      quotas: { 'vpc.eips': 30 },
      usage: { 'vpc.eips': 10, 'cs.managed-clusters': 4 },
    });
    expect(rows).toHaveLength(Object.keys(DEFAULT_QUOTAS).length);
    expect(rows.find((r) => r.quota === 'vpc.eips')).toEqual({
      quota: 'vpc.eips',
      limit: 30,
      used: 10,
      requested: 2,
      remaining: 18,
    });
    expect(rows.find((r) => r.quota === 'cs.managed-clusters')).toEqual({
      quota: 'cs.managed-clusters',
      limit: 20,
      used: 4,
      requested: 1,
      remaining: 15,
    });
    expect(rows.find((r) => r.quota === 'cs.nodes-per-cluster')).toEqual({
      quota: 'cs.nodes-per-cluster',
      limit: 100,
      used: 0,
      requested: 3,
      remaining: 97,
    });
  });

  it('M66 a demand that does not fit shows negative headroom', () => {
    const rows = quotaHeadroom({ ...demand, routeEntries: 60 }, account);
    expect(rows.find((r) => r.quota === 'vpc.route-entries-per-table')?.remaining).toBe(-12);
  });
});
