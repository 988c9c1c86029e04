// Catalogue: instance types with their accelerators, Kubernetes versions and runtimes, as pure data.
// May import nothing outside src/domain (no node: modules, no I/O, no clock).
export * from './instance-types.js';
export * from './kubernetes-versions.js';
export * from './prices.js';
export * from './gpu-product.js';
