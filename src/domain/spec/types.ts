// ClusterSpec: the one validated description of a managed GPU cluster (mission rows M15–M60),
// modelled in Kuberack's own names; ACK wire names live only in the ACK facade's translators.

export const CLUSTER_EDITIONS = ['standard', 'pro'] as const;
export const RUNTIMES = ['containerd', 'docker', 'sandboxed'] as const;
export const KUBE_PROXY_MODES = ['iptables', 'ipvs'] as const;
export const VPC_KINDS = ['normal', 'shared'] as const;
export const NETWORK_PLUGINS = ['flannel', 'terway'] as const;
export const TERWAY_MODES = ['shared-eni', 'exclusive-eni'] as const;
export const SLB_SPECS = [
  'slb.s1.small',
  'slb.s2.small',
  'slb.s2.medium',
  'slb.s3.small',
  'slb.s3.medium',
  'slb.s3.large',
] as const;
export const SECURITY_GROUP_TYPES = ['normal', 'enterprise'] as const;
export const BILLING_TYPES = ['pay-as-you-go', 'subscription'] as const;
export const PERIOD_UNITS = ['month', 'year'] as const;
export const DISK_CATEGORIES = ['essd', 'ssd', 'ultra'] as const;
export const ESSD_PERFORMANCE_LEVELS = ['PL0', 'PL1', 'PL2', 'PL3'] as const;
export const OS_IMAGES = ['aliyun-linux-2', 'centos-7'] as const;
export const OS_HARDENINGS = ['none', 'mlps', 'cis'] as const;
export const LOGIN_TYPES = ['key-pair', 'password'] as const;
export const CPU_POLICIES = ['none', 'static'] as const;
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export const STORAGE_PLUGINS = ['csi', 'flexvolume'] as const;
export const CONTROL_PLANE_LOG_COMPONENTS = [
  'apiserver',
  'kcm',
  'scheduler',
  'ccm',
  'controlplane-events',
] as const;

export type Edition = (typeof CLUSTER_EDITIONS)[number];
export type RuntimeName = (typeof RUNTIMES)[number];
export type KubeProxyMode = (typeof KUBE_PROXY_MODES)[number];
export type VpcKind = (typeof VPC_KINDS)[number];
export type NetworkPlugin = (typeof NETWORK_PLUGINS)[number];
export type TerwayMode = (typeof TERWAY_MODES)[number];
export type SlbSpec = (typeof SLB_SPECS)[number];
export type SecurityGroupType = (typeof SECURITY_GROUP_TYPES)[number];
export type PeriodUnit = (typeof PERIOD_UNITS)[number];
export type DiskCategory = (typeof DISK_CATEGORIES)[number];
export type EssdPerformanceLevel = (typeof ESSD_PERFORMANCE_LEVELS)[number];
export type OsImage = (typeof OS_IMAGES)[number];
export type OsHardening = (typeof OS_HARDENINGS)[number];
export type CpuPolicy = (typeof CPU_POLICIES)[number];
export type TaintEffect = (typeof TAINT_EFFECTS)[number];
export type StoragePlugin = (typeof STORAGE_PLUGINS)[number];
export type ControlPlaneLogComponent = (typeof CONTROL_PLANE_LOG_COMPONENTS)[number];

export interface Tag {
  readonly key: string;
  readonly value: string;
}

export interface Taint {
  readonly key: string;
  readonly value: string;
  readonly effect: TaintEffect;
}

/** M21: create a VPC, or use an existing normal or shared one. */
export type VpcChoice =
  | { readonly mode: 'create'; readonly cidr: string }
  | { readonly mode: 'existing'; readonly vpcId: string; readonly kind: VpcKind };

/** M22: an existing vSwitch, or a new one in a zone. */
export type VSwitchChoice =
  | { readonly mode: 'existing'; readonly vswitchId: string }
  | { readonly mode: 'create'; readonly zoneId: string; readonly cidr: string };

/** M31 */
export type SecurityGroupChoice =
  | { readonly mode: 'create'; readonly type: SecurityGroupType }
  | { readonly mode: 'existing'; readonly securityGroupId: string };

export interface NetworkSpec {
  readonly vpc: VpcChoice;
  readonly vswitches: readonly VSwitchChoice[];
  readonly plugin: NetworkPlugin;
  /** M24, Flannel only: addresses given to each node's pod range. */
  readonly nodeIpCount: number | null;
  /** M25, Flannel only. */
  readonly podCidr: string | null;
  /** M26, Terway only. */
  readonly terwayMode: TerwayMode | null;
  /** M27 */
  readonly serviceCidr: string;
  /** M28: reuse or create a NAT gateway and SNAT entries. */
  readonly snat: boolean;
  /** M29 (and M7/M8): internal SLB spec; public exposure through an EIP. */
  readonly apiServer: { readonly slbSpec: SlbSpec; readonly publicAccess: boolean };
  /** M8: port 22 on the public API endpoint. */
  readonly sshPublicAccess: boolean;
  /** M30 */
  readonly rdsInstanceIds: readonly string[];
  readonly securityGroup: SecurityGroupChoice;
}

export type Billing =
  | { readonly type: 'pay-as-you-go' }
  | {
      readonly type: 'subscription';
      readonly period: number;
      readonly periodUnit: PeriodUnit;
      readonly autoRenew: boolean;
    };

export interface Disk {
  readonly category: DiskCategory;
  readonly sizeGiB: number;
  /** ESSD only (M44). */
  readonly performanceLevel: EssdPerformanceLevel | null;
  readonly backup: boolean;
}

export interface DataDisk extends Disk {
  readonly encrypted: boolean;
}

export interface NewInstances {
  readonly mode: 'create';
  readonly billing: Billing;
  readonly instanceTypes: readonly string[];
  readonly count: number;
  readonly systemDisk: Disk;
  readonly dataDisks: readonly DataDisk[];
}

/** M40: adopt instances the tenant already has in the region. */
export interface ExistingInstances {
  readonly mode: 'existing';
  readonly instanceIds: readonly string[];
}

export type KeyPairChoice =
  { readonly mode: 'existing'; readonly name: string } | { readonly mode: 'create'; readonly name: string };

/** M47 */
export type Login =
  | { readonly type: 'key-pair'; readonly keyPair: KeyPairChoice }
  | { readonly type: 'password'; readonly password: string; readonly passwordConfirm: string };

/** M51: prefix + last `ipDigits` of the zero-padded node IP + suffix. */
export interface NodeNamePattern {
  readonly prefix: string;
  readonly ipDigits: number;
  readonly suffix: string;
}

export interface WorkersSpec {
  readonly instances: NewInstances | ExistingInstances;
  readonly os: OsImage;
  readonly hardening: OsHardening;
  /** M50 */
  readonly customImageId: string | null;
  readonly login: Login;
  /** M48 */
  readonly instanceProtection: boolean;
  /** M49: run after Kuberack's own bootstrap. */
  readonly userData: string | null;
  readonly nodeName: NodeNamePattern | null;
  readonly cpuPolicy: CpuPolicy;
  readonly taints: readonly Taint[];
}

export type LogProjectChoice =
  { readonly mode: 'create' } | { readonly mode: 'existing'; readonly name: string };

export interface ComponentsSpec {
  /** M54 */
  readonly ingress: { readonly enabled: boolean; readonly dashboard: boolean };
  /** M55 */
  readonly storagePlugin: StoragePlugin;
  /** M56 */
  readonly monitoring: { readonly cloudMonitorAgent: boolean; readonly prometheus: boolean };
  /** M57 */
  readonly alerting: { readonly defaultRules: boolean };
  /** M58 */
  readonly logService: {
    readonly enabled: boolean;
    readonly project: LogProjectChoice;
    readonly nodeProblemDetector: boolean;
  };
  /** M59 */
  readonly controlPlaneLogs: {
    readonly enabled: boolean;
    readonly components: readonly ControlPlaneLogComponent[];
  };
  /** M60 */
  readonly workflowEngine: boolean;
}

export interface ClusterSpec {
  readonly name: string;
  readonly edition: Edition;
  readonly regionId: string;
  readonly resourceGroupId: string | null;
  readonly kubernetesVersion: string;
  readonly runtime: RuntimeName;
  readonly deletionProtection: boolean;
  readonly timeZone: string;
  readonly kubeProxyMode: KubeProxyMode;
  readonly tags: readonly Tag[];
  readonly clusterDomain: string;
  readonly certSans: readonly string[];
  readonly serviceAccountTokenProjection: {
    readonly enabled: boolean;
    readonly issuer: string;
    readonly audiences: readonly string[];
  };
  /** M39: KMS key that encrypts Secrets at rest; null when off. */
  readonly secretEncryption: { readonly kmsKeyId: string } | null;
  /** Keep created resources when creation fails (for diagnosis), instead of rolling back. */
  readonly disableRollback: boolean;
  readonly network: NetworkSpec;
  readonly workers: WorkersSpec;
  readonly components: ComponentsSpec;
}

/** Paths of secret fields: encrypted at rest, redacted in every response and log. */
export const SECRET_PATHS = ['workers.login.password', 'workers.login.passwordConfirm'] as const;
