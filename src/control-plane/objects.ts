// Kubernetes objects of an emulated cluster, built from what Kuberack knows about its nodes: Node
// (labels, capacity, conditions, nodeInfo) and its heartbeat Lease. Pure: time comes in as `now`.
import { createHash } from 'node:crypto';
import { findInstanceType } from '../domain/catalogue/index.js';
import type { GpuReport } from '../domain/gpu/index.js';
import { HEARTBEAT_SECONDS, kubeletReservation, nodeGpuView, nodeReadiness } from '../domain/node/index.js';
import type { CpuPolicy } from '../domain/spec/types.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** What the control plane knows about one registered node. */
export interface NodeSource {
  readonly clusterId: string;
  readonly regionId: string;
  readonly zoneId: string | null;
  /** ACK spelling, e.g. `1.34.1-aliyun.1`. */
  readonly kubernetesVersion: string;
  /** `containerd://2.1.4`; empty when unknown. */
  readonly containerRuntime: string;
  readonly osImage: string;
  readonly kernelVersion: string;
  /** Kubernetes spelling: `amd64`, `arm64`. */
  readonly architecture: string;
  readonly name: string;
  readonly instanceId: string;
  readonly instanceType: string | null;
  readonly privateIp: string;
  readonly podCidr: string | null;
  readonly registeredAt: number;
  readonly lastSeenAt: number;
  /** The agent's announced heartbeat period; readiness allows a few missed ones. */
  readonly heartbeatMs: number | null;
  readonly gpuReport: GpuReport | null;
  readonly cpu: number | null;
  readonly memoryMiB: number | null;
  readonly systemDiskGiB: number | null;
  /** M52: the kubelet's CPU manager policy (`static` reserves CPUs, see kubeletReservation). */
  readonly cpuPolicy: CpuPolicy;
  readonly maxPods: number;
  readonly taints: readonly { readonly key: string; readonly value: string; readonly effect: string }[];
}

/** kubelet's default lease duration; the Lease renews with every accepted report. */
export const NODE_LEASE_SECONDS = 40;
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** kubelet's default `nodefs.available<10%`. */
const EVICTION_NODEFS_FRACTION = 0.1;

/** RFC 3339 to the second, as Kubernetes writes metav1.Time. */
export function kubeTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 3339 with microseconds (metav1.MicroTime). */
export function kubeMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A stable UUID (name-based, version 5 layout) for an object, so its uid survives restarts. */
export function stableUid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Readiness the way the node lifecycle controller reports it: True while reports come, else Unknown. */
export function readyCondition(n: NodeSource, now: number): JsonObject {
  const r = nodeReadiness(
    {
      registeredAt: n.registeredAt,
      lastSeenAt: n.lastSeenAt,
      heartbeatMs: n.heartbeatMs ?? HEARTBEAT_SECONDS.default * 1000,
    },
    now,
  );
  if (r.status === 'Ready')
    return {
      type: 'Ready',
      status: 'True',
      lastHeartbeatTime: kubeTime(n.lastSeenAt),
      lastTransitionTime: kubeTime(n.registeredAt),
      reason: 'KubeletReady',
      message: 'the node agent is posting ready status',
    };
  return {
    type: 'Ready',
    status: 'Unknown',
    lastHeartbeatTime: kubeTime(n.lastSeenAt),
    lastTransitionTime: kubeTime(n.lastSeenAt),
    reason: 'NodeStatusUnknown',
    message: 'The node agent stopped posting node status.',
  };
}

export function isReady(node: JsonObject): boolean {
  const status = node.status as { conditions?: { type: string; status: string }[] } | undefined;
  return (status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function labelsOf(n: NodeSource, gpuLabels: Readonly<Record<string, string>>): Record<string, string> {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': n.architecture,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': n.architecture,
    'kubernetes.io/hostname': n.name,
    'kubernetes.io/os': 'linux',
    'topology.kubernetes.io/region': n.regionId,
    'failure-domain.beta.kubernetes.io/region': n.regionId,
  };
  if (n.zoneId) {
    labels['topology.kubernetes.io/zone'] = n.zoneId;
    labels['failure-domain.beta.kubernetes.io/zone'] = n.zoneId;
  }
  if (n.instanceType) {
    labels['node.kubernetes.io/instance-type'] = n.instanceType;
    labels['beta.kubernetes.io/instance-type'] = n.instanceType;
  }
  return { ...labels, ...gpuLabels };
}

/**
 * Capacity, and allocatable as the kubelet computes it: less the CPUs and memory its configuration
 * reserves (the same kubeletReservation the bootstrap writes), less 10% of the disk for eviction.
 */
function resources(n: NodeSource, gpus: Readonly<Record<string, number>>): [JsonObject, JsonObject] {
  const capacity: JsonObject = {};
  const allocatable: JsonObject = {};
  // The bootstrap sized the reservation from the catalogue's vCPUs, as here.
  const vcpu = (n.instanceType === null ? undefined : findInstanceType(n.instanceType))?.vcpu ?? null;
  const reserved = kubeletReservation({ cpuPolicy: n.cpuPolicy, vcpu });
  if (n.cpu !== null) {
    capacity.cpu = String(n.cpu);
    allocatable.cpu = String(Math.max(0, n.cpu - reserved.cpus));
  }
  if (n.systemDiskGiB !== null) {
    const ki = n.systemDiskGiB * 1024 * 1024;
    capacity['ephemeral-storage'] = `${ki}Ki`;
    allocatable['ephemeral-storage'] = `${Math.floor(ki * (1 - EVICTION_NODEFS_FRACTION))}Ki`;
  }
  capacity['hugepages-1Gi'] = allocatable['hugepages-1Gi'] = '0';
  capacity['hugepages-2Mi'] = allocatable['hugepages-2Mi'] = '0';
  if (n.memoryMiB !== null) {
    capacity.memory = `${n.memoryMiB * 1024}Ki`;
    allocatable.memory = `${Math.max(0, (n.memoryMiB - reserved.memoryMiB) * 1024)}Ki`;
  }
  for (const [name, count] of Object.entries(gpus)) capacity[name] = allocatable[name] = String(count);
  capacity.pods = allocatable.pods = String(n.maxPods);
  return [capacity, allocatable];
}

/** kube-proxy stopped reporting its version in nodeInfo with Kubernetes 1.31. */
function kubeProxyVersion(version: string): string {
  const minor = Number(/^v?1\.(\d+)/.exec(version)?.[1] ?? '0');
  return minor >= 31 ? '' : `v${version}`;
}

/** The Node object as `kubectl get node -o json` shows it. */
export function buildNode(n: NodeSource, now: number): JsonObject {
  const gpu = n.gpuReport ? nodeGpuView(n.gpuReport) : { labels: {}, capacity: {} };
  const [capacity, allocatable] = resources(n, gpu.capacity);
  const ready = readyCondition(n, now);
  const taints: JsonObject[] = n.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect }));
  // The node lifecycle controller taints a node whose status is Unknown.
  if (ready.status !== 'True') {
    const timeAdded = String(ready.lastTransitionTime);
    taints.push(
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded },
    );
  }
  const spec: JsonObject = { providerID: `${n.regionId}.${n.instanceId}` };
  if (n.podCidr) {
    spec.podCIDR = n.podCidr;
    spec.podCIDRs = [n.podCidr];
  }
  if (taints.length > 0) spec.taints = taints;
  return {
    kind: 'Node',
    apiVersion: 'v1',
    metadata: {
      name: n.name,
      uid: stableUid(`${n.clusterId}/node/${n.instanceId}`),
      resourceVersion: String(n.lastSeenAt),
      creationTimestamp: kubeTime(n.registeredAt),
      labels: labelsOf(n, gpu.labels),
    },
    spec,
    status: {
      capacity,
      allocatable,
      conditions: [ready],
      addresses: [
        { type: 'InternalIP', address: n.privateIp },
        { type: 'Hostname', address: n.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: '',
        systemUUID: '',
        bootID: '',
        kernelVersion: n.kernelVersion,
        osImage: n.osImage,
        containerRuntimeVersion: n.containerRuntime,
        kubeletVersion: `v${n.kubernetesVersion}`,
        kubeProxyVersion: kubeProxyVersion(n.kubernetesVersion),
        operatingSystem: 'linux',
        architecture: n.architecture,
      },
    },
  };
}

/** The node's heartbeat Lease in kube-node-lease, renewed at its last accepted report. */
export function buildLease(n: NodeSource): JsonObject {
  return {
    kind: 'Lease',
    apiVersion: 'coordination.k8s.io/v1',
    metadata: {
      name: n.name,
      namespace: NODE_LEASE_NAMESPACE,
      uid: stableUid(`${n.clusterId}/lease/${n.instanceId}`),
      resourceVersion: String(n.lastSeenAt),
      creationTimestamp: kubeTime(n.registeredAt),
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Node',
          name: n.name,
          uid: stableUid(`${n.clusterId}/node/${n.instanceId}`),
        },
      ],
    },
    spec: {
      holderIdentity: n.name,
      leaseDurationSeconds: NODE_LEASE_SECONDS,
      renewTime: kubeMicroTime(n.lastSeenAt),
    },
  };
}
