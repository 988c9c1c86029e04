// What validation may know about the world, passed in by the caller (never fetched here):
// the provider's regions and stock, the account's allow-lists, and the chosen VPC's contents.
import type { InstanceType } from '../catalogue/instance-types.js';
import type { KubernetesVersion } from '../catalogue/kubernetes-versions.js';
import type { AccountFacts } from '../limits/account.js';
import type { VpcKind } from './types.js';

export interface VpcFacts {
  readonly vpcId: string;
  readonly cidr: string;
  readonly kind: VpcKind;
  readonly regionId: string;
  /** The VPC's NAT gateway, reused for SNAT when present (M28); null when it has none. */
  readonly natGatewayId: string | null;
  /** The VPC's system route table, where Flannel's per-node routes go (M4). */
  readonly routeTableId: string;
  /** Custom entries already in that route table (counted against the quota, M13). */
  readonly routeEntriesInUse: number;
  /** Some route sends 0.0.0.0/0 out of the VPC (NAT, VPN, a proxy the user set up). */
  readonly hasInternetRoute: boolean;
  readonly vswitches: readonly {
    readonly vswitchId: string;
    readonly zoneId: string;
    readonly cidr: string;
  }[];
  /** CIDRs of the other Kuberack/ACK clusters in this VPC (M25, M27). */
  readonly clusters: readonly {
    readonly clusterId: string;
    readonly podCidr: string | null;
    readonly serviceCidr: string;
  }[];
  readonly securityGroupIds: readonly string[];
}

export interface ExistingInstanceFacts {
  readonly instanceId: string;
  readonly regionId: string;
  readonly vpcId: string;
  readonly clusterId: string | null;
}

export interface SpecFacts {
  readonly regions?: readonly { readonly regionId: string; readonly zoneIds: readonly string[] }[];
  readonly account?: Pick<AccountFacts, 'allowlists' | 'resourceGroupIds'>;
  /** Facts about the existing VPC named by the spec; absent for a new VPC or when unknown. */
  readonly vpc?: VpcFacts;
  /** The provider's instance types; defaults to the built-in catalogue. */
  readonly instanceTypes?: readonly InstanceType[];
  /** Instance types with stock, by zone (M42). Absent: stock is not checked. */
  readonly stock?: Readonly<Record<string, readonly string[]>>;
  /** The provider's Kubernetes versions; defaults to the built-in catalogue. */
  readonly kubernetesVersions?: readonly KubernetesVersion[];
  readonly images?: readonly { readonly imageId: string; readonly os: string }[];
  readonly kmsKeyIds?: readonly string[];
  readonly keyPairNames?: readonly string[];
  readonly rdsInstances?: readonly { readonly rdsInstanceId: string; readonly regionId: string }[];
  readonly instances?: readonly ExistingInstanceFacts[];
  readonly logProjects?: readonly string[];
}
