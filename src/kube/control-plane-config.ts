// The hosted control plane's configuration documents: kubeadm ClusterConfiguration (M36, M37, M38,
// M59 audit and logs), KubeProxyConfiguration (M34), EncryptionConfiguration (M39) and the audit policy.
import type { ControlPlaneLogComponent, KubeProxyMode } from '../domain/spec/types.js';
import { kubeadmApiVersion } from './kubeadm-join.js';
import { kubernetesRelease } from './package-mirrors.js';
import { toMultiDocumentYaml } from './yaml-text.js';

export const AUDIT_POLICY_PATH = '/etc/kubernetes/audit-policy.yaml';
export const AUDIT_LOG_PATH = '/var/log/kubernetes/audit/audit.log';
export const ENCRYPTION_CONFIG_PATH = '/etc/kubernetes/encryption-config.yaml';
/** The KMS v2 plugin's socket (a Unix socket the control plane's KMS plugin listens on). */
export const KMS_PLUGIN_SOCKET = 'unix:///var/run/kuberack/kms-plugin.sock';

export interface ControlPlaneConfigInput {
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  /** `host:port` the control plane is reached at (the internal SLB). */
  readonly controlPlaneEndpoint: string;
  /** M36 */
  readonly clusterDomain: string;
  readonly serviceCidr: string;
  /** Flannel's Pod CIDR; null under Terway (pods take VPC addresses). */
  readonly podCidr: string | null;
  /** M37: every SAN of the API server certificate (names and IPs). */
  readonly certSans: readonly string[];
  /** M38 */
  readonly serviceAccount: { readonly issuer: string; readonly audiences: readonly string[] };
  /** M59: components whose logs go to the user's log project; empty: collection off. */
  readonly controlPlaneLogs: readonly ControlPlaneLogComponent[];
  /** M34 */
  readonly kubeProxyMode: KubeProxyMode;
  /** M39: the KMS key that encrypts Secrets; null: not encrypted (identity). */
  readonly kmsKeyId: string | null;
}

/** kubeadm v1beta4 takes extra args as a list of {name, value}; older versions as a map. */
function args(apiVersion: string, list: readonly (readonly [string, string])[]): unknown {
  return apiVersion === 'kubeadm.k8s.io/v1beta4'
    ? list.map(([name, value]) => ({ name, value }))
    : Object.fromEntries(list);
}

export function clusterConfiguration(input: ControlPlaneConfigInput): Record<string, unknown> {
  const apiVersion = kubeadmApiVersion(input.kubernetesVersion);
  const logs = new Set(input.controlPlaneLogs);
  const apiServerArgs: [string, string][] = [
    ['service-account-issuer', input.serviceAccount.issuer],
    ['api-audiences', input.serviceAccount.audiences.join(',')],
    ['enable-bootstrap-token-auth', 'true'],
    ['encryption-provider-config', ENCRYPTION_CONFIG_PATH],
    // The audit log is always written; M59 decides whether it is shipped to the user's project.
    ['audit-policy-file', AUDIT_POLICY_PATH],
    ['audit-log-path', AUDIT_LOG_PATH],
    ['audit-log-maxage', '7'],
    ['audit-log-maxbackup', '10'],
    ['audit-log-maxsize', '100'],
  ];
  if (logs.has('apiserver')) apiServerArgs.push(['logging-format', 'json']);
  const controllerArgs: [string, string][] = [
    ['controllers', '*,bootstrapsigner,tokencleaner'],
    ['cluster-signing-duration', '8760h0m0s'],
  ];
  if (logs.has('kcm')) controllerArgs.push(['logging-format', 'json']);
  const schedulerArgs: [string, string][] = logs.has('scheduler') ? [['logging-format', 'json']] : [];
  const volume = (name: string, path: string, readOnly: boolean) => ({
    name,
    hostPath: path,
    mountPath: path,
    readOnly,
    pathType: readOnly ? 'File' : 'DirectoryOrCreate',
  });
  const networking: Record<string, string> = {
    dnsDomain: input.clusterDomain,
    serviceSubnet: input.serviceCidr,
  };
  if (input.podCidr !== null) networking.podSubnet = input.podCidr;
  return {
    apiVersion,
    kind: 'ClusterConfiguration',
    clusterName: input.clusterName,
    kubernetesVersion: `v${kubernetesRelease(input.kubernetesVersion).upstream}`,
    controlPlaneEndpoint: input.controlPlaneEndpoint,
    networking,
    apiServer: {
      certSANs: [...input.certSans],
      extraArgs: args(apiVersion, apiServerArgs),
      extraVolumes: [
        volume('audit-policy', AUDIT_POLICY_PATH, true),
        volume('audit-log', '/var/log/kubernetes/audit', false),
        volume('encryption-config', ENCRYPTION_CONFIG_PATH, true),
      ],
    },
    controllerManager: { extraArgs: args(apiVersion, controllerArgs) },
    scheduler: { extraArgs: args(apiVersion, schedulerArgs) },
  };
}

export function kubeProxyConfiguration(
  input: Pick<ControlPlaneConfigInput, 'kubeProxyMode' | 'podCidr'>,
): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    mode: input.kubeProxyMode,
  };
  if (input.podCidr !== null) doc.clusterCIDR = input.podCidr;
  if (input.kubeProxyMode === 'ipvs') doc.ipvs = { scheduler: 'rr', strictARP: false };
  return doc;
}

/**
 * Secrets (M39): written through the KMS v2 provider (envelope encryption with the chosen key)
 * when a key is chosen, else stored as they are (identity). `identity` stays last so Secrets
 * written before encryption was turned on can still be read.
 */
export function encryptionConfiguration(kmsKeyId: string | null): Record<string, unknown> {
  const providers: Record<string, unknown>[] = [];
  if (kmsKeyId !== null) {
    providers.push({
      kms: {
        apiVersion: 'v2',
        name: `kuberack-kms-${kmsKeyId}`,
        endpoint: KMS_PLUGIN_SOCKET,
        timeout: '3s',
      },
    });
  }
  providers.push({ identity: {} });
  return {
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'EncryptionConfiguration',
    resources: [{ resources: ['secrets'], providers }],
  };
}

/** The audit policy (M59): no secrets' bodies, metadata for reads, request bodies for writes. */
export function auditPolicy(): Record<string, unknown> {
  return {
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    omitStages: ['RequestReceived'],
    rules: [
      {
        level: 'None',
        users: ['system:kube-proxy'],
        verbs: ['watch'],
        resources: [{ group: '', resources: ['endpoints', 'services', 'services/status'] }],
      },
      { level: 'None', nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/version'] },
      { level: 'None', resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }] },
      {
        level: 'Metadata',
        resources: [
          { group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] },
          { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
        ],
      },
      { level: 'Metadata', verbs: ['get', 'list', 'watch'] },
      { level: 'Request', verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'] },
      { level: 'Metadata' },
    ],
  };
}

/** Every control-plane document, in one multi-document YAML, as the components step records them. */
export function renderControlPlaneConfig(input: ControlPlaneConfigInput): string {
  return toMultiDocumentYaml([
    clusterConfiguration(input),
    kubeProxyConfiguration(input),
    encryptionConfiguration(input.kmsKeyId),
    auditPolicy(),
  ]);
}
