// Tests of demandOf (M10, M13, M66): what a planned cluster asks of the account, and the preflight
// verdicts it leads to (Flannel's route-entry limit, the pay-as-you-go balance).
import { describe, expect, it } from 'vitest';
import { INSTANCE_TYPES } from '../catalogue/instance-types.js';
import type { AccountFacts } from '../limits/account.js';
import { preflight } from '../limits/preflight.js';
import type { ClusterSpec } from '../spec/types.js';
import { validateClusterSpec } from '../spec/validate.js';
import { demandOf } from './demand.js';
import type { ResourceGraph } from './graph.js';
import { planCluster } from './plan.js';

interface Options {
  count?: number;
  instanceTypes?: string[];
  plugin?: 'flannel' | 'terway';
  publicAccess?: boolean;
  subscription?: boolean;
}

function planned(o: Options = {}): { spec: ClusterSpec; graph: ResourceGraph } {
  const flannel = (o.plugin ?? 'flannel') === 'flannel';
  const result = validateClusterSpec({
    name: 'gpu-demo',
    regionId: 'cn-hangzhou',
    network: {
      vswitches: [
        { zoneId: 'cn-hangzhou-h', cidr: '192.168.0.0/24' },
        { zoneId: 'cn-hangzhou-i', cidr: '192.168.1.0/24' },
      ],
      plugin: o.plugin ?? 'flannel',
      ...(flannel ? { podCidr: '172.20.0.0/16' } : {}),
      apiServer: { publicAccess: o.publicAccess ?? false },
    },
    workers: {
      instances: {
        instanceTypes: o.instanceTypes ?? ['ecs.gn7i-c8g1.2xlarge'],
        count: o.count ?? 3,
        ...(o.subscription ? { billing: { type: 'subscription', period: 1, periodUnit: 'month' } } : {}),
      },
      login: { keyPair: { name: 'my-key' } },
    },
  });
  expect(result.problems).toEqual([]);
  expect(result.ok).toBe(true);
  return { spec: result.spec, graph: planCluster(result.spec, { clusterId: 'c-test' }) };
}

function demand(o: Options = {}, routeEntriesInUse?: number) {
  const { spec, graph } = planned(o);
  return demandOf(graph, spec, INSTANCE_TYPES, routeEntriesInUse);
}

const account: AccountFacts = {
  balanceCny: 1000,
  realNameVerified: true,
  quotas: { 'vpc.route-entries-per-table': 48 },
  usage: {},
  allowlists: { exclusiveEni: false, customImage: false, workflowEngine: false },
  resourceGroupIds: [],
};

const codes = (o: Options, a: AccountFacts = account) => preflight(demand(o), a).map((p) => p.code);

describe('demandOf', () => {
  it('M13 M66 counts what a private 3-node Flannel cluster creates', () => {
    expect(demand()).toEqual({
      vpcs: 1,
      vswitches: 2,
      securityGroups: 1,
      postpaidSlbs: 1,
      eips: 1,
      natGateways: 1,
      routeEntries: 4,
      ramUsers: 1,
      keyPairs: 0,
      postpaidInstances: 3,
      postpaidVcpus: 24,
      nodes: 3,
      clusters: 1,
      networkPlugin: 'flannel',
      payAsYouGo: true,
    });
  });

  it('M13 a public API server needs a second EIP', () => {
    expect(demand({ publicAccess: true }).eips).toBe(2);
    expect(demand({ publicAccess: false }).eips).toBe(1);
  });

  it('M13 Terway needs no per-node route entries, only the new NAT gateway’s default route', () => {
    const d = demand({ plugin: 'terway' });
    expect(d.routeEntries).toBe(1);
    expect(d.networkPlugin).toBe('terway');
  });

  it('M13 reserves vCPUs of the first listed instance type', () => {
    const d = demand({ instanceTypes: ['ecs.gn7i-c16g1.4xlarge', 'ecs.gn7i-c8g1.2xlarge'] });
    expect(d.postpaidVcpus).toBe(3 * 16);
  });

  it('M10 M11 stays pay-as-you-go with subscription workers, because the SLB is', () => {
    const d = demand({ subscription: true });
    expect(d.postpaidInstances).toBe(0);
    expect(d.postpaidVcpus).toBe(0);
    expect(d.postpaidSlbs).toBe(1);
    expect(d.payAsYouGo).toBe(true);
  });

  it('M13 passes the route entries already in use through, only when given', () => {
    expect(demand({}, 7).routeEntriesInUse).toBe(7);
    expect('routeEntriesInUse' in demand()).toBe(false);
  });
});

describe('demandOf → preflight', () => {
  it('M13 a 50-node Flannel cluster (plus the NAT default route) exceeds a 48-entry route table', () => {
    const problems = preflight(demand({ count: 50 }), account);
    expect(problems).toEqual([
      {
        path: 'quota.vpc.route-entries-per-table',
        code: 'QUOTA_ROUTE_ENTRIES_FLANNEL',
        params: { limit: 48, used: 0, requested: 51, maxNodes: 47 },
      },
    ]);
  });

  it('M13 a 47-node Flannel cluster with a new NAT gateway fits; 48 does not', () => {
    expect(codes({ count: 47 })).toEqual([]);
    expect(codes({ count: 48 })).toEqual(['QUOTA_ROUTE_ENTRIES_FLANNEL']);
  });

  it('M13 entries already in the table lower the Flannel node limit', () => {
    const problems = preflight(demand({ count: 48 }, 10), account);
    expect(problems.map((p) => p.code)).toEqual(['QUOTA_ROUTE_ENTRIES_FLANNEL']);
    expect(problems[0]?.params).toMatchObject({ maxNodes: 37 });
  });

  it('M13 a 50-node Terway cluster is not bound by the route table', () => {
    expect(codes({ count: 50, plugin: 'terway' })).toEqual([]);
  });

  it('M10 a balance of 50 CNY refuses the pay-as-you-go cluster', () => {
    expect(codes({}, { ...account, balanceCny: 50 })).toEqual(['BALANCE_INSUFFICIENT']);
    // Subscription workers do not help: the API server SLB is pay-as-you-go (M11).
    expect(codes({ subscription: true }, { ...account, balanceCny: 50 })).toEqual(['BALANCE_INSUFFICIENT']);
  });

  it('M10 a funded, verified account passes', () => {
    expect(codes({})).toEqual([]);
    expect(codes({}, { ...account, realNameVerified: false })).toEqual(['ACCOUNT_NOT_REAL_NAME_VERIFIED']);
  });
});
