// Kubernetes artefacts for a cluster (PKI, kubeconfigs, bootstrap tokens…), deterministic given inputs.
// Layer src/kube: may import src/domain only (plus libraries and node: modules).
export * from './keys.js';
export * from './pki.js';
export * from './kubeconfig.js';
export * from './bootstrap-token.js';
export * from './kubeadm-join.js';
export * from './worker-user-data.js';
export * from './control-plane-config.js';
