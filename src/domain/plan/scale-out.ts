// Scale out (M65): a node pool of GPU workers of another type added to a running cluster, planned as
// more ecs-instance, route-entry and node-ready steps shaped exactly like the cluster's own workers.
import { findInstanceType, meetsWorkerNodeMinimum } from '../catalogue/index.js';
import type { ResourceDemand } from '../limits/preflight.js';
import { problem, unknownFieldProblems, type Problem } from '../problems.js';
import type { ClusterSpec } from '../spec/types.js';
import { graphErrors, ref, type Input, type PlanStep, type ResourceGraph } from './graph.js';

export interface NodePoolRequest {
  /** Lower-case letters, digits and hyphens; unique in the cluster. */
  readonly name: string;
  /** Tried in order when one is out of stock (M42). */
  readonly instanceTypes: readonly string[];
  readonly count: number;
}

export const MAX_NODE_POOL_SIZE = 100;

/** Every problem of a node-pool request at once, paths relative to the request. */
export function validateNodePool(
  input: unknown,
  graph: ResourceGraph,
): { pool: NodePoolRequest | null; problems: Problem[] } {
  const problems: Problem[] = [];
  const o = (typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {}) as Record<
    string,
    unknown
  >;
  problems.push(...unknownFieldProblems(o, ['name', 'instanceTypes', 'count']));
  const name = o.name;
  if (typeof name !== 'string' || !/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/.test(name))
    problems.push(problem('name', 'NODE_POOL_NAME', { value: String(name).slice(0, 64) }));
  else if (graph.steps.some((s) => s.key.startsWith(`ecs-instance/${name}-`)))
    problems.push(problem('name', 'NODE_POOL_NAME_TAKEN', { name }));
  const count = o.count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_NODE_POOL_SIZE)
    problems.push(problem('count', 'FIELD_RANGE', { min: 1, max: MAX_NODE_POOL_SIZE }));
  const types = o.instanceTypes;
  if (!Array.isArray(types) || types.length === 0 || types.length > 10)
    problems.push(problem('instanceTypes', 'FIELD_RANGE', { min: 1, max: 10 }));
  else
    types.forEach((t, i) => {
      const found = typeof t === 'string' ? findInstanceType(t) : undefined;
      if (!found || !meetsWorkerNodeMinimum(found))
        problems.push(
          problem(`instanceTypes.${i}`, 'NODE_POOL_INSTANCE_TYPE', { value: String(t).slice(0, 64) }),
        );
    });
  if (!graph.steps.some((s) => s.kind === 'ecs-instance'))
    problems.push(problem('', 'NODE_POOL_NEEDS_NEW_WORKERS', {}));
  if (problems.length > 0) return { pool: null, problems };
  return {
    pool: { name: name as string, instanceTypes: types as string[], count: count as number },
    problems,
  };
}

function rename(keys: readonly string[], from: ReadonlyMap<string, string>): string[] {
  return [...new Set(keys.map((k) => from.get(k) ?? k))].sort();
}

/** The graph with the pool's steps added; the first worker is the template for inputs and edges. */
export function planScaleOut(
  graph: ResourceGraph,
  pool: NodePoolRequest,
): { graph: ResourceGraph; added: PlanStep[] } {
  const workers = graph.steps.filter((s) => s.kind === 'ecs-instance');
  const template = workers[0];
  if (!template) throw new Error('planScaleOut: the cluster has no created workers to copy');
  const templateName = template.key.slice('ecs-instance/'.length);
  const route = graph.steps.find((s) => s.key === `route-entry/${templateName}`);
  const ready = graph.steps.find((s) => s.key === `node-ready/${templateName}`);
  if (!ready) throw new Error('planScaleOut: the template worker has no node-ready step');
  const nodes = graph.steps.filter((s) => s.kind === 'ecs-instance' || s.kind === 'ecs-adoption').length;
  const vswitches = [
    ...new Map(workers.map((w) => [JSON.stringify(w.inputs.vswitchId), w.inputs.vswitchId])).values(),
  ];
  const prefix = String(template.inputs.name).slice(0, -templateName.length - 1);
  const added: PlanStep[] = [];
  for (let k = 1; k <= pool.count; k++) {
    const node = `${pool.name}-${k}`;
    const ecsKey = `ecs-instance/${node}`;
    const podSubnet = template.inputs.podSubnet as { [key: string]: Input } | null;
    added.push({
      ...template,
      key: ecsKey,
      inputs: {
        ...template.inputs,
        name: `${prefix}-${node}`,
        instanceTypes: [...pool.instanceTypes],
        vswitchId: vswitches[(k - 1) % vswitches.length] ?? null,
        podSubnet: podSubnet ? { ...podSubnet, index: nodes + k - 1 } : null,
      },
    });
    const renames = new Map([[template.key, ecsKey]]);
    if (route) {
      const routeKey = `route-entry/${node}`;
      added.push({
        ...route,
        key: routeKey,
        inputs: { ...route.inputs, instanceId: ref(ecsKey), destinationCidr: ref(ecsKey, 'podCidr') },
        dependsOn: rename(route.dependsOn, renames),
      });
      renames.set(route.key, routeKey);
    }
    added.push({
      ...ready,
      key: `node-ready/${node}`,
      inputs: { ...ready.inputs, instanceId: ref(ecsKey) },
      dependsOn: rename(ready.dependsOn, renames),
    });
  }
  const next = { ...graph, steps: [...graph.steps, ...added] };
  const errors = graphErrors(next);
  if (errors.length > 0) throw new Error(`planScaleOut made an invalid graph: ${errors.join('; ')}`);
  return { graph: next, added };
}

/** What a scale-out asks of the account: only the new nodes, their routes and vCPUs (M10, M13). */
export function scaleOutDemand(
  next: ResourceGraph,
  added: readonly PlanStep[],
  pool: NodePoolRequest,
  spec: ClusterSpec,
): ResourceDemand {
  const inst = spec.workers.instances;
  const postpaid = inst.mode === 'create' && inst.billing.type === 'pay-as-you-go' ? pool.count : 0;
  const vcpu = findInstanceType(pool.instanceTypes[0] ?? '')?.vcpu ?? 0;
  return {
    vpcs: 0,
    securityGroups: 0,
    postpaidSlbs: 0,
    eips: 0,
    natGateways: 0,
    routeEntries: added.filter((s) => s.kind === 'route-entry').length,
    ramUsers: 0,
    keyPairs: 0,
    postpaidInstances: postpaid,
    postpaidVcpus: postpaid * vcpu,
    nodes: next.steps.filter((s) => s.kind === 'node-ready').length,
    clusters: 0,
    managedClusters: 0,
    networkPlugin: spec.network.plugin,
    payAsYouGo: postpaid > 0,
  };
}
