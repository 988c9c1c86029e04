// The pure domain core: ClusterSpec and its rules, network planning, catalogue, limits, plans.
// Imports libraries only: no node: modules, no I/O, no clock, no randomness (the console uses it too).
export * from './problems.js';
export * from './errors.js';
export * from './messages/index.js';
export * from './spec/index.js';
export * from './net/index.js';
export * from './catalogue/index.js';
export * from './limits/index.js';
export * from './plan/index.js';
export * from './gpu/index.js';
export * from './node/index.js';
