// The emulated hosted control plane: a read-only Kubernetes API per emulated cluster, behind its real PKI.
// Layer src/control-plane: may import domain and store (it reads the engine's tables, never writes them).
export * from './api.js';
export * from './client-certificate-gate.js';
export * from './directory.js';
export * from './discovery.js';
export * from './endpoint.js';
export * from './objects.js';
export * from './selectors.js';
export * from './tables.js';
