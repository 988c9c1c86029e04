// Plans: the resource graph of a cluster (what to create, in what order), its critical path,
// its demand on the account's quotas, and a printable dry-run.
export * from './graph.js';
export { ESTIMATED_SECONDS } from './estimates.js';
export { CLUSTER_RAM_POLICY, planCluster, type PlanOptions } from './plan.js';
export { demandOf } from './demand.js';
export { formatPlan } from './format.js';
export {
  MAX_NODE_POOL_SIZE,
  planScaleOut,
  scaleOutDemand,
  validateNodePool,
  type NodePoolRequest,
} from './scale-out.js';
export { estimateCost, type CostEstimate, type CostItem } from './cost.js';
