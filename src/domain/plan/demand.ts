// What a plan asks of the account, for preflight quotas and the balance rule (M10, M13, M66).
import type { InstanceType } from '../catalogue/instance-types.js';
import type { ResourceDemand } from '../limits/preflight.js';
import type { ClusterSpec } from '../spec/types.js';
import type { ResourceGraph, StepKind } from './graph.js';

export function demandOf(
  graph: ResourceGraph,
  spec: ClusterSpec,
  instanceTypes: readonly InstanceType[],
  routeEntriesInUse?: number,
): ResourceDemand {
  const count = (kind: StepKind) => graph.steps.filter((s) => s.kind === kind).length;
  const inst = spec.workers.instances;
  const postpaid = inst.mode === 'create' && inst.billing.type === 'pay-as-you-go' ? inst.count : 0;
  // The first listed type is the one preferred; capacity is reserved for it.
  const vcpu =
    inst.mode === 'create' ? (instanceTypes.find((t) => t.id === inst.instanceTypes[0])?.vcpu ?? 0) : 0;
  return {
    vpcs: count('vpc'),
    vswitches: count('vswitch'),
    securityGroups: count('security-group'),
    postpaidSlbs: count('slb'),
    eips: count('eip'),
    natGateways: count('nat-gateway'),
    // Flannel's per-node routes, plus the 0.0.0.0/0 entry a new NAT gateway adds to the same table.
    routeEntries: count('route-entry') + count('nat-gateway'),
    ...(routeEntriesInUse === undefined ? {} : { routeEntriesInUse }),
    ramUsers: count('ram-user'),
    keyPairs: count('key-pair'),
    postpaidInstances: postpaid,
    postpaidVcpus: postpaid * vcpu,
    nodes: count('node-ready'),
    clusters: 1,
    networkPlugin: spec.network.plugin,
    // Load balancers created with a cluster are pay-as-you-go only (M11).
    payAsYouGo: postpaid > 0 || count('slb') > 0,
  };
}
