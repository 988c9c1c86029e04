// Node-side contracts shared by the bootstrap, the agent, the server and the emulator: the agent's
// configuration, its report and checker, readiness from heartbeats, and GPU labels and capacity. Pure.
export * from './agent-config.js';
export * from './kubelet-reservation.js';
export * from './labels.js';
export * from './readiness.js';
export * from './report.js';
