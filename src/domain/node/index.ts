// Node-side contracts shared by the bootstrap, the agent and the emulator.
// Pure types and parsers; no I/O.
export * from './agent-config.js';
