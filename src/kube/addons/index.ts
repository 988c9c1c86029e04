// Add-on manifests by the plan's add-on name (M54–M58). Add-ons whose manifests Kuberack does not
// render (network plugins, CoreDNS, log agents…) return null, and the components step says so.
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { kubeProxyConfiguration } from '../control-plane-config.js';
import { toYaml } from '../yaml-text.js';
import { csiPlugin, flexvolume } from './storage.js';
import { ingressNginx } from './ingress-nginx.js';
import { defaultAlertRules, prometheusMonitoring } from './monitoring.js';
import { nodeProblemDetector } from './node-problem-detector.js';
import { nvidiaDevicePlugin } from './nvidia-device-plugin.js';
import type { AddonContext, AddonManifest } from './types.js';

export * from './types.js';
export { nvidiaDevicePlugin } from './nvidia-device-plugin.js';
export { ingressNginx } from './ingress-nginx.js';
export { csiPlugin, flexvolume } from './storage.js';
export { defaultAlertRules, prometheusMonitoring } from './monitoring.js';
export { nodeProblemDetector } from './node-problem-detector.js';

/** The add-on names this module renders, as planCluster names them. */
export const RENDERED_ADDONS = [
  'kube-proxy',
  'nvidia-device-plugin',
  'nginx-ingress-controller',
  'csi-plugin',
  'flexvolume',
  'arms-prometheus',
  'alert-rules',
  'ack-node-problem-detector',
] as const;

/** The manifest of add-on `name` with the plan's `config`, or null when Kuberack does not render it. */
export function addonManifest(
  name: string,
  config: Readonly<Record<string, unknown>>,
  ctx: AddonContext,
): AddonManifest | null {
  switch (name) {
    case 'kube-proxy':
      return kubeProxyAddon(config.mode === 'iptables' ? 'iptables' : 'ipvs');
    case 'nvidia-device-plugin':
      return nvidiaDevicePlugin({ compatWithCpuManager: config.compatWithCpuManager === true });
    case 'nginx-ingress-controller':
      return ingressNginx();
    case 'csi-plugin':
      return csiPlugin(ctx);
    case 'flexvolume':
      return flexvolume(ctx);
    case 'arms-prometheus':
      return prometheusMonitoring();
    case 'alert-rules':
      return defaultAlertRules();
    case 'ack-node-problem-detector':
      return nodeProblemDetector();
    default:
      return null;
  }
}

/** M34: kube-proxy's configuration where kubeadm keeps it (`kube-system/kube-proxy`, key `config.conf`). */
export function kubeProxyAddon(mode: 'iptables' | 'ipvs'): AddonManifest {
  const configMap: IConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { app: 'kube-proxy' } },
    data: { 'config.conf': toYaml(kubeProxyConfiguration({ kubeProxyMode: mode, podCidr: null })) },
  };
  return { name: 'kube-proxy', objects: [configMap] };
}
