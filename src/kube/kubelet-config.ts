// Per-node kubelet settings (M52 CPU manager policy, cgroup driver, CIS kubelet items for M46):
// a KubeletConfiguration patch for kubeadm ≥ 1.22 (patches directory) or kubelet flags before that.
import { kubeletReservation } from '../domain/node/index.js';
import type { CpuPolicy, OsHardening } from '../domain/spec/types.js';

/** `0` for one CPU, `0-3` for four: the lowest-numbered CPUs, as `reservedSystemCPUs` takes them. */
export function reservedCpuList(count: number): string {
  return count <= 1 ? '0' : `0-${count - 1}`;
}

export interface KubeletSettingsInput {
  readonly cpuPolicy: CpuPolicy;
  /** The instance type's vCPUs; null when unknown (one CPU is then reserved under `static`). */
  readonly vcpu: number | null;
  readonly hardening: OsHardening;
}

/** The `kubeletconfiguration+merge.yaml` patch kubeadm join applies (kubelet.config.k8s.io/v1beta1). */
export function kubeletConfigurationPatch(input: KubeletSettingsInput): Record<string, unknown> {
  const patch: Record<string, unknown> = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    cgroupDriver: 'systemd',
    cpuManagerPolicy: input.cpuPolicy,
  };
  // The CPUs and memory the Node's allocatable leaves out (kubeletReservation) are these settings.
  const reserved = kubeletReservation(input);
  if (reserved.cpus > 0) patch.reservedSystemCPUs = reservedCpuList(reserved.cpus);
  if (input.hardening === 'cis') {
    // CIS Kubernetes benchmark, kubelet section: no unauthenticated read-only port, and refuse to
    // start when the kernel tunables differ from what the kubelet expects (set by the OS hardening).
    patch.readOnlyPort = 0;
    patch.protectKernelDefaults = true;
    patch.eventRecordQPS = 5;
  }
  return patch;
}

/**
 * The same settings as kubelet flags, for kubeadm v1beta2 (Kubernetes before 1.22) that has no
 * patches: `--kube-reserved` (1.16 has no `--reserved-cpus`) reserves whole CPUs for `static`.
 */
export function kubeletFlags(input: KubeletSettingsInput): [name: string, value: string][] {
  const flags: [string, string][] = [
    ['cgroup-driver', 'systemd'],
    ['cpu-manager-policy', input.cpuPolicy],
  ];
  const reserved = kubeletReservation(input);
  if (reserved.cpus > 0) flags.push(['kube-reserved', `cpu=${reserved.cpus}`]);
  if (input.hardening === 'cis') {
    flags.push(['read-only-port', '0'], ['protect-kernel-defaults', 'true'], ['event-qps', '5']);
  }
  return flags;
}
