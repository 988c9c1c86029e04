// What the kubelet of a worker keeps from pods (M52): the CPUs reserved under the static CPU manager
// policy and the memory held back for eviction. One answer for the bootstrap's kubelet settings and
// the emulated control plane's Node allocatable, so the two cannot drift. Pure.
import type { CpuPolicy } from '../spec/types.js';

/**
 * The kubelet's default hard eviction threshold for memory (`memory.available<100Mi`). The bootstrap
 * sets no eviction thresholds and no kube/system-reserved memory, so this is all it keeps.
 */
export const KUBELET_EVICTION_MEMORY_MIB = 100;

export interface KubeletReservationInput {
  readonly cpuPolicy: CpuPolicy;
  /** The instance type's vCPUs; null when unknown (one CPU is then reserved under `static`). */
  readonly vcpu: number | null;
}

export interface KubeletReservation {
  /** Whole CPUs, the lowest-numbered, kept for system and Kubernetes daemons; 0 under `none`. */
  readonly cpus: number;
  /** Memory pods cannot have: the eviction threshold (no kube/system reservation is set). */
  readonly memoryMiB: number;
}

/**
 * CPUs kept under the static policy: one per 32 vCPUs, at least one. The kubelet refuses to start
 * `static` without a reservation above zero.
 */
export function reservedCpuCount(vcpu: number | null): number {
  if (vcpu === null || !Number.isFinite(vcpu) || vcpu <= 0) return 1;
  return Math.max(1, Math.ceil(vcpu / 32));
}

export function kubeletReservation(input: KubeletReservationInput): KubeletReservation {
  return {
    cpus: input.cpuPolicy === 'static' ? reservedCpuCount(input.vcpu) : 0,
    memoryMiB: KUBELET_EVICTION_MEMORY_MIB,
  };
}
