// The Provider port: one typed, idempotent operation per cloud action a plan needs, plus the look-ups
// the console and preflight need. Implemented by the emulator and by Alibaba Cloud (docs/provider-contract.md).
import type { AccountFacts, QuotaIncreaseRequest, QuotaName } from '../domain/limits/index.js';

export interface Tag {
  readonly key: string;
  readonly value: string;
}

/** Owner tags every created resource carries, so a sweep finds what no ledger recorded. */
export const OWNER_CLUSTER_TAG = 'kuberack:cluster';
export const OWNER_STEP_TAG = 'kuberack:step';

export function ownerTags(clusterId: string, stepKey: string): Tag[] {
  return [
    { key: OWNER_CLUSTER_TAG, value: clusterId },
    { key: OWNER_STEP_TAG, value: stepKey },
  ];
}

/** What every create takes: a client token (same token + same request ⇒ same resource) and tags. */
export interface CreateOptions {
  readonly clientToken: string;
  readonly tags: readonly Tag[];
}

export interface Region {
  readonly regionId: string;
  readonly localName: string;
}
export interface Zone {
  readonly regionId: string;
  readonly zoneId: string;
  readonly localName: string;
}
export interface InstanceTypeStock {
  readonly zoneId: string;
  readonly instanceType: string;
  readonly status: 'available' | 'sold-out';
}
export interface Image {
  readonly imageId: string;
  readonly osName: string;
  /** `alinux3`, `centos7`, `ubuntu22`, …: the domain's OS names. */
  readonly platform: string;
  readonly architecture: 'x86_64' | 'arm64';
}

export interface Account {
  readonly accountId: string;
  readonly balanceCny: number;
  readonly realNameVerified: boolean;
}

export type VpcStatus = 'Pending' | 'Available' | 'Deleting';
export interface Vpc {
  readonly id: string;
  readonly regionId: string;
  readonly status: VpcStatus;
  readonly cidr: string;
  readonly name: string;
  readonly routeTableId: string;
  readonly vrouterId: string;
  readonly tags: readonly Tag[];
}

export interface VSwitch {
  readonly id: string;
  readonly vpcId: string;
  readonly zoneId: string;
  readonly cidr: string;
  readonly status: 'Pending' | 'Available' | 'Deleting';
  readonly name: string;
  readonly availableIpCount: number;
  readonly tags: readonly Tag[];
}

export interface SecurityGroupRule {
  readonly direction: 'ingress' | 'egress';
  readonly protocol: 'tcp' | 'udp' | 'icmp' | 'gre' | 'all';
  /** `22/22`, `1/65535`; `-1/-1` for all ports. */
  readonly portRange: string;
  readonly sourceCidr: string | null;
  readonly sourceGroupId: string | null;
  readonly policy: 'accept' | 'drop';
  readonly priority: number;
  readonly description: string;
}
export interface SecurityGroup {
  readonly id: string;
  readonly vpcId: string;
  readonly type: 'normal' | 'enterprise';
  readonly name: string;
  readonly rules: readonly SecurityGroupRule[];
  readonly tags: readonly Tag[];
}

export interface NatGateway {
  readonly id: string;
  readonly vpcId: string;
  readonly vswitchId: string;
  readonly status: 'Creating' | 'Available' | 'Deleting';
  readonly snatTableId: string;
  /** EIPs bound to the gateway. */
  readonly ips: readonly { readonly allocationId: string; readonly ip: string }[];
  readonly tags: readonly Tag[];
}

export type EipInstanceType = 'Nat' | 'SlbInstance' | 'EcsInstance';
export interface Eip {
  readonly id: string;
  readonly ip: string;
  readonly status: 'Available' | 'Associating' | 'InUse' | 'Unassociating' | 'Releasing';
  readonly instanceId: string | null;
  readonly instanceType: EipInstanceType | null;
  readonly bandwidthMbps: number;
  readonly name: string;
  readonly tags: readonly Tag[];
}

export interface SnatEntry {
  readonly id: string;
  readonly snatTableId: string;
  readonly natGatewayId: string;
  readonly vswitchId: string;
  readonly snatIp: string;
  readonly status: 'Pending' | 'Available' | 'Deleting';
}

export interface RouteEntry {
  readonly id: string;
  readonly routeTableId: string;
  readonly destinationCidr: string;
  readonly nextHopType: 'Instance' | 'NatGateway';
  readonly nextHopId: string;
  readonly status: 'Pending' | 'Available' | 'Deleting';
}

export interface RamUser {
  readonly id: string;
  readonly name: string;
  readonly comments: string;
  readonly tags: readonly Tag[];
}
export interface RamPolicy {
  readonly name: string;
  readonly document: string;
  readonly attachedUsers: readonly string[];
  readonly tags: readonly Tag[];
}
export interface AccessKey {
  readonly id: string;
  readonly userName: string;
  readonly status: 'Active' | 'Inactive';
}
/** Returned once, by createAccessKey; the secret is never readable again. */
export interface IssuedAccessKey extends AccessKey {
  readonly secret: string;
}

export interface LoadBalancerListener {
  readonly port: number;
  readonly protocol: 'tcp' | 'udp' | 'http' | 'https';
  readonly backendPort: number;
  readonly status: 'starting' | 'running' | 'stopped';
}
export interface LoadBalancer {
  readonly id: string;
  readonly address: string;
  readonly addressType: 'intranet' | 'internet';
  readonly vpcId: string;
  readonly vswitchId: string;
  readonly spec: string;
  readonly status: 'inactive' | 'active';
  readonly deleteProtection: boolean;
  readonly listeners: readonly LoadBalancerListener[];
  readonly backendServerIds: readonly string[];
  readonly name: string;
  readonly tags: readonly Tag[];
}

export interface KeyPair {
  readonly name: string;
  readonly fingerprint: string;
  readonly tags: readonly Tag[];
}
/** Returned once, by createKeyPair. */
export interface IssuedKeyPair extends KeyPair {
  readonly privateKey: string;
}

export type InstanceStatus = 'Pending' | 'Starting' | 'Running' | 'Stopping' | 'Stopped' | 'Deleting';
export type InstanceChargeType = 'PostPaid' | 'PrePaid';
export interface Disk {
  readonly category: string;
  readonly sizeGiB: number;
  readonly performanceLevel: string | null;
}
export interface Instance {
  readonly id: string;
  readonly regionId: string;
  readonly zoneId: string;
  readonly vpcId: string;
  readonly vswitchId: string;
  readonly securityGroupIds: readonly string[];
  readonly instanceType: string;
  readonly imageId: string;
  readonly status: InstanceStatus;
  readonly privateIp: string;
  readonly name: string;
  readonly hostName: string;
  readonly chargeType: InstanceChargeType;
  /** Subscription end, epoch ms; null for pay-as-you-go. */
  readonly expiresAt: number | null;
  readonly deletionProtection: boolean;
  readonly keyPairName: string | null;
  readonly systemDisk: Disk;
  readonly dataDisks: readonly Disk[];
  readonly gpu: { readonly amount: number; readonly spec: string };
  readonly createdAt: number;
  readonly tags: readonly Tag[];
}

export interface RunInstanceRequest {
  readonly regionId: string;
  readonly vswitchId: string;
  readonly securityGroupIds: readonly string[];
  readonly instanceType: string;
  readonly imageId: string;
  readonly name: string;
  readonly hostName?: string;
  readonly systemDisk: Disk;
  readonly dataDisks: readonly Disk[];
  readonly keyPairName?: string | null;
  readonly password?: string | null;
  /** Plain text; providers encode it as the cloud wants. At most 32 KiB. */
  readonly userData: string;
  readonly chargeType: InstanceChargeType;
  readonly period?: { readonly months: number; readonly autoRenew: boolean } | null;
  readonly deletionProtection: boolean;
}

export interface RdsWhitelist {
  readonly rdsInstanceId: string;
  readonly groupName: string;
  readonly ips: readonly string[];
}
export interface KmsKey {
  readonly keyId: string;
  readonly state: 'Enabled' | 'Disabled' | 'PendingDeletion';
}
export interface LogProject {
  readonly name: string;
  readonly status: 'Normal';
  readonly tags: readonly Tag[];
}

export type ResourceKind =
  | 'vpc'
  | 'vswitch'
  | 'security-group'
  | 'nat-gateway'
  | 'eip'
  | 'snat-entry'
  | 'route-entry'
  | 'ram-user'
  | 'ram-policy'
  | 'ram-access-key'
  | 'slb'
  | 'key-pair'
  | 'instance'
  | 'log-project';

/** One resource found by its tags (the sweep after a delete). */
export interface TaggedResource {
  readonly kind: ResourceKind;
  readonly id: string;
  readonly regionId: string;
  readonly tags: readonly Tag[];
}

/**
 * One cloud account. Creates are idempotent by client token; describes of one resource return null
 * when it does not exist (or is gone); deletes throw a `not-found` CloudError when it is already gone.
 * Every failure is a CloudError with a category.
 */
export interface Provider {
  readonly name: string;

  // Look-ups
  describeRegions(): Promise<Region[]>;
  describeZones(regionId: string): Promise<Zone[]>;
  describeInstanceTypeStock(regionId: string, zoneId?: string): Promise<InstanceTypeStock[]>;
  describeImages(regionId: string): Promise<Image[]>;
  describeAccount(): Promise<Account>;
  /** Balance, real-name, quota overrides, allow-lists and usage in the scope of `scope`. */
  accountFacts(regionId: string, scope?: { vpcId?: string; routeTableId?: string }): Promise<AccountFacts>;
  listResourcesByTag(regionId: string, tag: Tag): Promise<TaggedResource[]>;
  /** A ticket asking for a higher limit (M13); an operator approves or rejects it. */
  requestQuotaIncrease(req: {
    quota: QuotaName;
    requestedLimit: number;
    reason: string;
  }): Promise<QuotaIncreaseRequest>;
  listQuotaIncreases(): Promise<QuotaIncreaseRequest[]>;

  // VPC and vSwitches
  createVpc(req: { regionId: string; cidr: string; name: string }, opts: CreateOptions): Promise<Vpc>;
  getVpc(regionId: string, vpcId: string): Promise<Vpc | null>;
  describeVpcs(regionId: string): Promise<Vpc[]>;
  deleteVpc(regionId: string, vpcId: string): Promise<void>;
  createVSwitch(
    req: { regionId: string; vpcId: string; zoneId: string; cidr: string; name: string },
    opts: CreateOptions,
  ): Promise<VSwitch>;
  getVSwitch(regionId: string, vswitchId: string): Promise<VSwitch | null>;
  describeVSwitches(regionId: string, vpcId?: string): Promise<VSwitch[]>;
  deleteVSwitch(regionId: string, vswitchId: string): Promise<void>;

  // Security groups
  createSecurityGroup(
    req: { regionId: string; vpcId: string; type: 'normal' | 'enterprise'; name: string },
    opts: CreateOptions,
  ): Promise<SecurityGroup>;
  /** Adds rules; a rule equal to an existing one is not added twice. */
  authorizeSecurityGroup(
    regionId: string,
    securityGroupId: string,
    rules: readonly SecurityGroupRule[],
  ): Promise<void>;
  getSecurityGroup(regionId: string, securityGroupId: string): Promise<SecurityGroup | null>;
  describeSecurityGroups(regionId: string, vpcId?: string): Promise<SecurityGroup[]>;
  deleteSecurityGroup(regionId: string, securityGroupId: string): Promise<void>;

  // NAT, EIP, SNAT
  createNatGateway(
    req: { regionId: string; vpcId: string; vswitchId: string; name: string },
    opts: CreateOptions,
  ): Promise<NatGateway>;
  getNatGateway(regionId: string, natGatewayId: string): Promise<NatGateway | null>;
  describeNatGateways(regionId: string, vpcId?: string): Promise<NatGateway[]>;
  deleteNatGateway(regionId: string, natGatewayId: string): Promise<void>;
  allocateEip(
    req: { regionId: string; name: string; bandwidthMbps?: number },
    opts: CreateOptions,
  ): Promise<Eip>;
  getEip(regionId: string, allocationId: string): Promise<Eip | null>;
  associateEip(
    regionId: string,
    req: { allocationId: string; instanceId: string; instanceType: EipInstanceType },
  ): Promise<void>;
  unassociateEip(regionId: string, req: { allocationId: string; instanceId: string }): Promise<void>;
  releaseEip(regionId: string, allocationId: string): Promise<void>;
  createSnatEntry(
    req: { regionId: string; snatTableId: string; vswitchId: string; snatIp: string; name: string },
    opts: CreateOptions,
  ): Promise<SnatEntry>;
  getSnatEntry(regionId: string, snatTableId: string, snatEntryId: string): Promise<SnatEntry | null>;
  describeSnatEntries(regionId: string, snatTableId: string): Promise<SnatEntry[]>;
  deleteSnatEntry(regionId: string, snatTableId: string, snatEntryId: string): Promise<void>;

  // Routes (Flannel: one per node)
  createRouteEntry(
    req: { regionId: string; routeTableId: string; destinationCidr: string; nextHopId: string },
    opts: CreateOptions,
  ): Promise<RouteEntry>;
  getRouteEntry(regionId: string, routeEntryId: string): Promise<RouteEntry | null>;
  describeRouteEntries(regionId: string, routeTableId: string): Promise<RouteEntry[]>;
  deleteRouteEntry(regionId: string, routeEntryId: string): Promise<void>;

  // RAM (global, not regional)
  createRamUser(req: { name: string; comments: string }, opts: CreateOptions): Promise<RamUser>;
  getRamUser(name: string): Promise<RamUser | null>;
  deleteRamUser(name: string): Promise<void>;
  createRamPolicy(req: { name: string; document: string }, opts: CreateOptions): Promise<RamPolicy>;
  getRamPolicy(name: string): Promise<RamPolicy | null>;
  deleteRamPolicy(name: string): Promise<void>;
  /** Attaching an attached policy is a success. */
  attachPolicyToUser(req: { policyName: string; userName: string }): Promise<void>;
  detachPolicyFromUser(req: { policyName: string; userName: string }): Promise<void>;
  createAccessKey(userName: string): Promise<IssuedAccessKey>;
  listAccessKeys(userName: string): Promise<AccessKey[]>;
  deleteAccessKey(req: { userName: string; accessKeyId: string }): Promise<void>;

  // Load balancers
  createLoadBalancer(
    req: {
      regionId: string;
      vswitchId: string;
      addressType: 'intranet' | 'internet';
      spec: string;
      name: string;
      deleteProtection?: boolean;
    },
    opts: CreateOptions,
  ): Promise<LoadBalancer>;
  getLoadBalancer(regionId: string, loadBalancerId: string): Promise<LoadBalancer | null>;
  /** Creates and starts a listener; creating an identical existing listener is a success. */
  createListener(
    regionId: string,
    req: { loadBalancerId: string; port: number; protocol: 'tcp'; backendPort: number },
  ): Promise<void>;
  deleteListener(regionId: string, req: { loadBalancerId: string; port: number }): Promise<void>;
  addBackendServers(
    regionId: string,
    req: { loadBalancerId: string; instanceIds: readonly string[] },
  ): Promise<void>;
  setLoadBalancerDeleteProtection(regionId: string, loadBalancerId: string, on: boolean): Promise<void>;
  deleteLoadBalancer(regionId: string, loadBalancerId: string): Promise<void>;

  // Key pairs
  createKeyPair(req: { regionId: string; name: string }, opts: CreateOptions): Promise<IssuedKeyPair>;
  getKeyPair(regionId: string, name: string): Promise<KeyPair | null>;
  deleteKeyPair(regionId: string, name: string): Promise<void>;

  // Instances
  runInstance(req: RunInstanceRequest, opts: CreateOptions): Promise<Instance>;
  getInstance(regionId: string, instanceId: string): Promise<Instance | null>;
  describeInstances(regionId: string, filter?: { vpcId?: string; tag?: Tag }): Promise<Instance[]>;
  modifyInstance(
    regionId: string,
    instanceId: string,
    changes: {
      deletionProtection?: boolean;
      userData?: string;
      securityGroupIds?: readonly string[];
      keyPairName?: string | null;
      password?: string | null;
      tags?: readonly Tag[];
      /** Tag keys to delete (before `tags` are added); a key the instance lacks is ignored. */
      removeTags?: readonly string[];
    },
  ): Promise<void>;
  stopInstance(regionId: string, instanceId: string): Promise<void>;
  startInstance(regionId: string, instanceId: string): Promise<void>;
  /** Re-images a stopped instance (existing instances, M40). */
  replaceSystemDisk(regionId: string, instanceId: string, imageId: string): Promise<void>;
  /** Pay-as-you-go → subscription (M14); charges the account. Returns the fee in CNY. */
  convertToSubscription(
    regionId: string,
    instanceIds: readonly string[],
    period: { months: number; autoRenew: boolean },
  ): Promise<{ feeCny: number }>;
  /** Refused while deletion protection is on (M48); `force` releases a running instance. */
  deleteInstance(regionId: string, instanceId: string, options?: { force?: boolean }): Promise<void>;

  // Other services the plan touches
  modifyRdsWhitelist(
    regionId: string,
    req: {
      rdsInstanceId: string;
      groupName: string;
      ips: readonly string[];
      mode: 'cover' | 'append' | 'delete';
    },
  ): Promise<void>;
  getRdsWhitelist(regionId: string, rdsInstanceId: string, groupName: string): Promise<RdsWhitelist | null>;
  getKmsKey(regionId: string, keyId: string): Promise<KmsKey | null>;
  createLogProject(req: { regionId: string; name: string }, opts: CreateOptions): Promise<LogProject>;
  getLogProject(regionId: string, name: string): Promise<LogProject | null>;
  deleteLogProject(regionId: string, name: string): Promise<void>;
}
