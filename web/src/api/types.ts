// Shapes of the native API's answers as the console reads them (src/api/native.ts and
// src/api/catalogue.ts); optional fields are ones the console shows when the server sends them.
import type {
  CostEstimate,
  GpuDevice,
  GpuReportError,
  KubernetesVersion,
  NodeFacts,
  NodeReadiness,
  NodeReadinessReason,
  Problem,
  QuotaHeadroom,
  ResourceGraph,
  Stage,
} from '../../../src/domain/index.js';

export type ClusterState =
  | 'initial'
  | 'running'
  | 'rollback'
  | 'failed'
  | 'deleting'
  | 'deleted'
  | 'delete_failed'
  | 'scaling'
  | 'scale_rollback';

/** States in which something is still changing: pages poll while a cluster is in one. */
export const BUSY_STATES: readonly ClusterState[] = [
  'initial',
  'rollback',
  'deleting',
  'scaling',
  'scale_rollback',
];

export interface ClusterSummary {
  readonly id: string;
  readonly name: string;
  readonly regionId: string;
  readonly state: ClusterState;
  readonly createdAt: number;
  readonly kubernetesVersion?: string | null;
  /** Registered nodes and their GPUs; an older server leaves them out (then the list asks per row). */
  readonly nodeCount?: number;
  readonly gpuCount?: number;
}

export interface StepView {
  readonly key: string;
  readonly kind: string;
  readonly state: string;
  readonly waitingFor: string | null;
  readonly error: Record<string, unknown> | null;
  readonly stage?: Stage | null;
  /** Epoch ms; null while the step has not started or finished. */
  readonly startedAt?: number | null;
  readonly finishedAt?: number | null;
  readonly dependsOn?: readonly string[];
  readonly estimatedSeconds?: number | null;
}

/** M67: the longest chain of dependent steps (real durations where finished, estimates elsewhere). */
export interface CriticalPathView {
  readonly keys: readonly string[];
  readonly seconds: number;
}

export interface ClusterView {
  readonly id: string;
  readonly name: string;
  readonly regionId: string;
  readonly state: ClusterState;
  readonly error: Record<string, unknown> | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly steps: readonly StepView[];
  readonly kubernetesVersion?: string | null;
  /** M32: absent from an older server (then a refused delete explains it). */
  readonly deletionProtection?: boolean;
  /** The cluster's latest task, when the server names it. */
  readonly taskId?: string | null;
  readonly criticalPath?: CriticalPathView;
}

export interface StageView {
  readonly stage: Stage;
  readonly state: 'pending' | 'running' | 'done' | 'failed';
  readonly steps: number;
  readonly finished: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
}

export interface TaskView {
  readonly id: string;
  readonly clusterId: string;
  readonly type: 'create' | 'delete' | 'scale-out';
  readonly state: 'running' | 'succeeded' | 'failed' | 'cancelled';
  readonly createdAt: number;
  readonly finishedAt: number | null;
  readonly currentStage: Stage | null;
  readonly stages: readonly StageView[];
  readonly error: Record<string, unknown> | null;
}

export interface NodeView {
  readonly step: string;
  readonly instanceId: string | null;
  readonly nodeName: string | null;
  readonly privateIp: string | null;
  readonly registeredAt: number | null;
  readonly gpus: readonly GpuDevice[];
  /** Readiness from the node's heartbeats, when the server reports it. */
  readonly status?: NodeReadiness;
  readonly statusReason?: NodeReadinessReason;
  /** Epoch ms of the latest accepted report. */
  readonly lastSeenAt?: number | null;
  readonly heartbeatSeconds?: number;
  /** GPU labels (`nvidia.com/gpu.*`, `aliyun.accelerator/*`) and capacity (`nvidia.com/gpu`, `nvidia.com/mig-*`). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly capacity?: Readonly<Record<string, number>>;
  readonly migStrategy?: string;
  readonly node?: NodeFacts | null;
  readonly driverVersion?: string | null;
  readonly cudaVersion?: string | null;
  /** Why GPU discovery failed on the node, as its agent reported it. */
  readonly gpuError?: GpuReportError | null;
}

export interface EventView {
  readonly id: string;
  readonly at: number;
  readonly step: string | null;
  readonly type: string;
  readonly data: unknown;
}

export interface DryRun {
  readonly plan: ResourceGraph;
  readonly quotaHeadroom: readonly QuotaHeadroom[];
  readonly refused: readonly Problem[];
  /** M66; optional so an older server's answer still shows the rest. */
  readonly estimatedCost?: CostEstimate;
}

export interface Region {
  readonly regionId: string;
  readonly localName: string;
  readonly zones: readonly string[];
}

export interface InstanceTypeOffer {
  readonly id: string;
  readonly family: string;
  readonly category: string;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly accelerator: {
    readonly model: string | null;
    readonly modelHint?: string;
    readonly count: number;
    readonly memoryGiB: number;
    readonly description: string;
  };
  readonly inStock: readonly string[];
  readonly soldOut: readonly string[];
}

export interface ImageView {
  readonly imageId: string;
  readonly osName: string;
  readonly platform: string;
}

export interface VpcView {
  readonly id: string;
  readonly cidr: string;
  readonly name: string;
}

export interface VSwitchView {
  readonly id: string;
  readonly vpcId: string;
  readonly zoneId: string;
  readonly cidr: string;
  readonly name: string;
  readonly availableIpCount: number;
}

export interface SecurityGroupView {
  readonly id: string;
  readonly vpcId: string;
  readonly type: string;
  readonly name: string;
}

export type VersionView = KubernetesVersion;
