// Preflight: before anything is created, checks an operation's resource demand against the account's
// balance, real-name status (M10) and quotas (M13), and reports quota headroom for the dry-run (M66).
//
// Problem paths are not ClusterSpec fields (the console shows them as a banner above the form):
//   `account.balanceCny`, `account.realNameVerified`, and `quota.<QuotaName>` (e.g. `quota.vpc.eips`).
// Each exceeded quota yields exactly one problem: QUOTA_EXCEEDED, or for the route-table quota of a
// Flannel cluster the more specific QUOTA_ROUTE_ENTRIES_FLANNEL instead.
import { problem, type Problem } from '../problems.js';
import type { AccountFacts } from './account.js';
import { effectiveQuota, QUOTA_NAMES, QUOTA_SCOPES, type QuotaName } from './quotas.js';

/** Balance an account needs to create pay-as-you-go instances or load balancers (M10). */
export const MIN_PAY_AS_YOU_GO_BALANCE_CNY = 100;

/** What one operation (create a cluster, add nodes …) will create, counted per quota. */
export interface ResourceDemand {
  readonly vpcs: number;
  readonly securityGroups: number;
  readonly postpaidSlbs: number;
  readonly eips: number;
  readonly natGateways: number;
  /** New entries in the one route table (for Flannel: one per new node, plus e.g. a NAT default route). */
  readonly routeEntries: number;
  /** Entries already in that table; when absent, `usage['vpc.route-entries-per-table']` is used. */
  readonly routeEntriesInUse?: number;
  readonly ramUsers: number;
  readonly keyPairs: number;
  /** Pay-as-you-go ECS instances to create; any such instance makes the balance rule apply. */
  readonly postpaidInstances: number;
  readonly postpaidVcpus: number;
  /** Cluster size after this operation. */
  readonly nodes: number;
  /** New clusters (counted against `cs.clusters`). */
  readonly clusters: number;
  /** New managed clusters (counted against `cs.managed-clusters`); defaults to `clusters`. */
  readonly managedClusters?: number;
  /** Node pools of the cluster after this operation; defaults to 0 (not checked). */
  readonly nodePools?: number;
  /** New vSwitches in the target VPC; defaults to 0. */
  readonly vswitches?: number;
  /** With `flannel`, an exceeded route-table quota is reported as a node-count limit. */
  readonly networkPlugin?: 'flannel' | 'terway';
  /** Any pay-as-you-go ECS or SLB is created. */
  readonly payAsYouGo: boolean;
}

export interface QuotaHeadroom {
  readonly quota: QuotaName;
  readonly limit: number;
  /** Already in use in the quota's scope; 0 for per-cluster quotas, whose `requested` is the total. */
  readonly used: number;
  readonly requested: number;
  /** `limit - used - requested`; negative when the demand does not fit. */
  readonly remaining: number;
}

export const ACCOUNT_BALANCE_PATH = 'account.balanceCny';
export const ACCOUNT_REAL_NAME_PATH = 'account.realNameVerified';

export function quotaPath(quota: QuotaName): string {
  return `quota.${quota}`;
}

/** Non-negative finite count; anything else counts as 0 (validation of the demand is not ours). */
function count(n: number | undefined): number {
  return n !== undefined && Number.isFinite(n) && n > 0 ? n : 0;
}

function requestedFor(quota: QuotaName, d: ResourceDemand): number {
  switch (quota) {
    case 'vpc.route-entries-per-table':
      return count(d.routeEntries);
    case 'vpc.vpcs-per-region':
      return count(d.vpcs);
    case 'vpc.vswitches-per-vpc':
      return count(d.vswitches);
    case 'vpc.nat-gateways-per-vpc':
      return count(d.natGateways);
    case 'vpc.eips':
      return count(d.eips);
    case 'ecs.security-groups':
      return count(d.securityGroups);
    case 'ecs.key-pairs':
      return count(d.keyPairs);
    case 'ecs.postpaid-vcpus':
      return count(d.postpaidVcpus);
    case 'slb.postpaid-instances':
      return count(d.postpaidSlbs);
    case 'ram.users':
      return count(d.ramUsers);
    case 'cs.clusters':
      return count(d.clusters);
    case 'cs.managed-clusters':
      return count(d.managedClusters ?? d.clusters);
    case 'cs.nodes-per-cluster':
      return count(d.nodes);
    case 'cs.node-pools-per-cluster':
      return count(d.nodePools);
  }
}

function usedFor(quota: QuotaName, d: ResourceDemand, account: AccountFacts): number {
  if (QUOTA_SCOPES[quota] === 'cluster') return 0;
  if (quota === 'vpc.route-entries-per-table' && d.routeEntriesInUse !== undefined) {
    return count(d.routeEntriesInUse);
  }
  return count(account.usage[quota]);
}

/** Limit, use and demand of every quota, in QUOTA_NAMES order (the dry-run shows the ones it needs). */
export function quotaHeadroom(demand: ResourceDemand, account: AccountFacts): QuotaHeadroom[] {
  return QUOTA_NAMES.map((quota) => {
    const limit = effectiveQuota(quota, account.quotas);
    const used = usedFor(quota, demand, account);
    const requested = requestedFor(quota, demand);
    return { quota, limit, used, requested, remaining: limit - used - requested };
  });
}

/** Whether the operation creates anything pay-as-you-go (the flag, or any postpaid ECS/SLB/vCPU). */
export function createsPayAsYouGo(d: ResourceDemand): boolean {
  return (
    d.payAsYouGo || count(d.postpaidInstances) > 0 || count(d.postpaidSlbs) > 0 || count(d.postpaidVcpus) > 0
  );
}

/**
 * Every reason the operation must be refused before anything is created; empty when it may proceed.
 * Pure: the caller gathers `account` from the cloud.
 */
export function preflight(demand: ResourceDemand, account: AccountFacts): Problem[] {
  const problems: Problem[] = [];

  if (createsPayAsYouGo(demand)) {
    // `!(x >= min)` so that a NaN balance is refused too.
    if (!(account.balanceCny >= MIN_PAY_AS_YOU_GO_BALANCE_CNY)) {
      problems.push(
        problem(ACCOUNT_BALANCE_PATH, 'BALANCE_INSUFFICIENT', {
          balance: account.balanceCny,
          required: MIN_PAY_AS_YOU_GO_BALANCE_CNY,
        }),
      );
    }
    if (!account.realNameVerified) {
      problems.push(problem(ACCOUNT_REAL_NAME_PATH, 'ACCOUNT_NOT_REAL_NAME_VERIFIED'));
    }
  }

  for (const h of quotaHeadroom(demand, account)) {
    if (h.requested === 0 || h.remaining >= 0) continue;
    if (h.quota === 'vpc.route-entries-per-table' && demand.networkPlugin === 'flannel') {
      // The overshoot is the number of nodes too many: each Flannel node holds one route entry.
      const nodes = count(demand.nodes);
      problems.push(
        problem(quotaPath(h.quota), 'QUOTA_ROUTE_ENTRIES_FLANNEL', {
          limit: h.limit,
          used: h.used,
          requested: h.requested,
          maxNodes: Math.max(0, nodes + h.remaining),
        }),
      );
      continue;
    }
    problems.push(
      problem(quotaPath(h.quota), 'QUOTA_EXCEEDED', {
        quota: h.quota,
        limit: h.limit,
        used: h.used,
        requested: h.requested,
      }),
    );
  }

  return problems;
}
