// Per-account quotas Kuberack checks before creating anything (mission M13): their names, scopes and
// default limits, and the effective limit once an account's overrides (approved increases) apply.
//
// Defaults follow the seed where it states one (route entries 48, security groups 100, pay-as-you-go
// SLB 60, EIPs 20); the rest are Alibaba Cloud's published defaults (VPC/ECS/RAM limits pages and
// ACK's DescribeUserQuota). Names are Kuberack's own, not the provider's quota codes.

export type QuotaName =
  | 'vpc.route-entries-per-table'
  | 'vpc.vpcs-per-region'
  | 'vpc.vswitches-per-vpc'
  | 'vpc.nat-gateways-per-vpc'
  | 'vpc.eips'
  | 'ecs.security-groups'
  | 'ecs.key-pairs'
  | 'ecs.postpaid-vcpus'
  | 'slb.postpaid-instances'
  | 'ram.users'
  | 'cs.clusters'
  | 'cs.managed-clusters'
  | 'cs.nodes-per-cluster'
  | 'cs.node-pools-per-cluster';

/** What one unit of the limit is counted over. */
export type QuotaScope = 'account' | 'region' | 'vpc' | 'route-table' | 'cluster';

export const DEFAULT_QUOTAS: Readonly<Record<QuotaName, number>> = {
  // The seed's figure, which limits a Flannel cluster to 48 nodes (one route per node). The public
  // cloud now defaults to 200 custom entries per table; set an override to model that.
  'vpc.route-entries-per-table': 48,
  'vpc.vpcs-per-region': 10,
  'vpc.vswitches-per-vpc': 150,
  'vpc.nat-gateways-per-vpc': 5,
  'vpc.eips': 20,
  'ecs.security-groups': 100,
  'ecs.key-pairs': 500,
  // Older documents say 50.
  'ecs.postpaid-vcpus': 500,
  'slb.postpaid-instances': 60,
  'ram.users': 1000,
  'cs.clusters': 50,
  'cs.managed-clusters': 20,
  'cs.nodes-per-cluster': 100,
  'cs.node-pools-per-cluster': 20,
};

export const QUOTA_SCOPES: Readonly<Record<QuotaName, QuotaScope>> = {
  'vpc.route-entries-per-table': 'route-table',
  'vpc.vpcs-per-region': 'region',
  'vpc.vswitches-per-vpc': 'vpc',
  'vpc.nat-gateways-per-vpc': 'vpc',
  'vpc.eips': 'account',
  'ecs.security-groups': 'region',
  'ecs.key-pairs': 'region',
  'ecs.postpaid-vcpus': 'region',
  'slb.postpaid-instances': 'account',
  'ram.users': 'account',
  'cs.clusters': 'account',
  'cs.managed-clusters': 'account',
  'cs.nodes-per-cluster': 'cluster',
  'cs.node-pools-per-cluster': 'cluster',
};

/** Every quota name, in the order checks and reports list them. */
export const QUOTA_NAMES: readonly QuotaName[] = Object.keys(DEFAULT_QUOTAS) as QuotaName[];

export function isQuotaName(name: string): name is QuotaName {
  return Object.prototype.hasOwnProperty.call(DEFAULT_QUOTAS, name);
}

export type QuotaOverrides = Partial<Record<QuotaName, number>>;

/** The override when it is a finite, non-negative number; otherwise the default. */
export function effectiveQuota(name: QuotaName, overrides: QuotaOverrides = {}): number {
  const override = overrides[name];
  if (override !== undefined && Number.isFinite(override) && override >= 0) return override;
  return DEFAULT_QUOTAS[name];
}
