// NVIDIA device plugin (advertises `nvidia.com/gpu`), with the CPU-manager-compatible variant under
// the static CPU policy (M52): device specs passed to the runtime, which needs a privileged container.
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { AddonManifest } from './types.js';

export const DEVICE_PLUGIN_IMAGE = 'nvcr.io/nvidia/k8s-device-plugin:v0.20.0';

export interface DevicePluginConfig {
  /** True under `cpuPolicy: static`. */
  readonly compatWithCpuManager: boolean;
}

/**
 * Why the variant: under the static policy the kubelet rewrites a container's cpuset through the
 * runtime (`update`), and runc then rewrites the container's device cgroup from its spec. A GPU the
 * plugin granted only through NVIDIA_VISIBLE_DEVICES is not in that spec, so the container loses
 * access to it at the first update. With `--pass-device-specs=true` the plugin lists the
 * /dev/nvidia* device nodes in its Allocate response; they are part of the spec and survive. Passing
 * device specs needs a privileged plugin container (NVIDIA's "compat-with-cpumanager" manifest).
 */
export function nvidiaDevicePlugin(config: DevicePluginConfig): AddonManifest {
  const compat = config.compatWithCpuManager;
  const labels = { 'app.kubernetes.io/name': 'nvidia-device-plugin' };
  const daemonSet: IDaemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'nvidia-device-plugin-daemonset', namespace: 'kube-system', labels },
    spec: {
      selector: { matchLabels: labels },
      updateStrategy: { type: 'RollingUpdate' },
      template: {
        metadata: { labels },
        spec: {
          priorityClassName: 'system-node-critical',
          // Only where the bootstrap found NVIDIA GPUs (label set by the worker's kubelet).
          nodeSelector: { 'nvidia.com/gpu.present': 'true' },
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          containers: [
            {
              name: 'nvidia-device-plugin-ctr',
              image: DEVICE_PLUGIN_IMAGE,
              args: compat
                ? ['--fail-on-init-error=false', '--pass-device-specs=true']
                : ['--fail-on-init-error=false'],
              env: [{ name: 'MIG_STRATEGY', value: 'none' }],
              securityContext: compat
                ? { privileged: true }
                : { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
              volumeMounts: [{ name: 'device-plugin', mountPath: '/var/lib/kubelet/device-plugins' }],
            },
          ],
          volumes: [{ name: 'device-plugin', hostPath: { path: '/var/lib/kubelet/device-plugins' } }],
        },
      },
    },
  };
  return { name: 'nvidia-device-plugin', objects: [daemonSet] };
}
