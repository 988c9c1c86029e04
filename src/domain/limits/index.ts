// Limits: account facts, quotas and their increases, and the pure preflight that refuses work before
// anything is created (M10, M13) and reports headroom (M66). Imports only from src/domain.
export * from './account.js';
export * from './preflight.js';
export * from './quota-increases.js';
export * from './quotas.js';
