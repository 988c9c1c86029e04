// The embedded cloud emulator: the default provider, persisted in Kuberack's own database.
// Entry points: CloudEmulator (operator commands, provider per access key) and its latency model.
export { CloudEmulator, type AccountSettings, type EmulatorOptions, type InventoryItem } from './emulator.js';
export { LATENCY_SECONDS, LatencyModel, type LatencyPhase } from './latency.js';
export type { FaultConfig, ScriptedFailure } from './faults.js';
export { REGIONS, IMAGES, zonesOf, stockOf } from './world.js';
