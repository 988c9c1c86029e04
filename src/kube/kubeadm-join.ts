// kubeadm's JoinConfiguration for a GPU worker (M1, M51, M53): bootstrap-token discovery pinned to
// the cluster CA, the node's name, CRI socket, taints and kubelet flags, in the API the version reads.
import { KuberackError } from '../domain/errors.js';
import type { RuntimeName, Taint } from '../domain/spec/types.js';
import { BOOTSTRAP_TOKEN_PATTERN } from './bootstrap-token.js';
import { kubernetesRelease } from './package-mirrors.js';

/** v1beta4 from kubeadm 1.31, v1beta3 from 1.22, v1beta2 before (the seed's 1.16 and 1.18). */
export type KubeadmApiVersion =
  'kubeadm.k8s.io/v1beta4' | 'kubeadm.k8s.io/v1beta3' | 'kubeadm.k8s.io/v1beta2';

export function kubeadmApiVersion(kubernetesVersion: string): KubeadmApiVersion {
  const minor = kubernetesRelease(kubernetesVersion).minorNumber;
  if (minor >= 31) return 'kubeadm.k8s.io/v1beta4';
  if (minor >= 22) return 'kubeadm.k8s.io/v1beta3';
  return 'kubeadm.k8s.io/v1beta2';
}

/** The CRI endpoint per runtime (M20); Docker goes through the kubelet's dockershim (≤ 1.23). */
export function criSocket(runtime: RuntimeName): string {
  return runtime === 'docker' ? 'unix:///var/run/dockershim.sock' : 'unix:///run/containerd/containerd.sock';
}

export const JOIN_CONFIG_PATH = '/etc/kubeadm/join.yaml';
export const KUBEADM_PATCHES_DIR = '/etc/kubeadm/patches';
export const CA_HASH_PATTERN = /^sha256:[0-9a-f]{64}$/;

export interface JoinConfigurationInput {
  readonly kubernetesVersion: string;
  /** `host:port` of the API server the worker reaches (the internal SLB, port 6443). */
  readonly apiServerEndpoint: string;
  /** `[a-z0-9]{6}.[a-z0-9]{16}` */
  readonly token: string;
  /** `sha256:<hex>` of the CA's SubjectPublicKeyInfo. */
  readonly caCertHash: string;
  /** The node name; the bootstrap script may substitute a placeholder before kubeadm reads the file. */
  readonly nodeName: string;
  readonly runtime: RuntimeName;
  readonly taints: readonly Taint[];
  /** kubelet flags in order (v1beta4: a list of {name, value}; before: a map). */
  readonly kubeletExtraArgs: readonly (readonly [string, string])[];
}

function invalid(field: string, reason: string): KuberackError {
  return new KuberackError('KUBE_INVALID_INPUT', { field, reason });
}

/** The JoinConfiguration document; throws KUBE_INVALID_INPUT on a malformed token, hash or endpoint. */
export function joinConfiguration(input: JoinConfigurationInput): Record<string, unknown> {
  if (!BOOTSTRAP_TOKEN_PATTERN.test(input.token)) throw invalid('token', 'not a bootstrap token');
  if (!CA_HASH_PATTERN.test(input.caCertHash)) throw invalid('caCertHash', 'not sha256:<64 hex>');
  if (
    !/^[^\s:/]+:\d{1,5}$/.test(input.apiServerEndpoint) &&
    !/^\[[0-9a-f:]+\]:\d{1,5}$/i.test(input.apiServerEndpoint)
  )
    throw invalid('apiServerEndpoint', 'not host:port');
  const apiVersion = kubeadmApiVersion(input.kubernetesVersion);
  const args =
    apiVersion === 'kubeadm.k8s.io/v1beta4'
      ? input.kubeletExtraArgs.map(([name, value]) => ({ name, value }))
      : Object.fromEntries(input.kubeletExtraArgs);
  const doc: Record<string, unknown> = {
    apiVersion,
    kind: 'JoinConfiguration',
    caCertPath: '/etc/kubernetes/pki/ca.crt',
    discovery: {
      bootstrapToken: {
        apiServerEndpoint: input.apiServerEndpoint,
        token: input.token,
        caCertHashes: [input.caCertHash],
      },
    },
    nodeRegistration: {
      name: input.nodeName,
      // kubeadm before 1.22 takes the socket as a path, later ones as a URL.
      criSocket:
        apiVersion === 'kubeadm.k8s.io/v1beta2'
          ? criSocket(input.runtime).replace(/^unix:\/\//, '')
          : criSocket(input.runtime),
      // An empty list means no taints; kubeadm adds none of its own to workers.
      taints: input.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
      kubeletExtraArgs: args,
    },
  };
  if (apiVersion !== 'kubeadm.k8s.io/v1beta2') doc.patches = { directory: KUBEADM_PATCHES_DIR };
  if (apiVersion === 'kubeadm.k8s.io/v1beta4') doc.timeouts = { discovery: '5m0s', tlsBootstrap: '5m0s' };
  return doc;
}
