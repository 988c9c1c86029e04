// The node agent: GPU discovery from nvidia-smi, node facts, identity, and the report loop that
// registers and heartbeats. May import src/domain and libraries only; `kuberack agent` wires it.
export { MAX_BACKOFF_MS, nextDelayMs } from './backoff.js';
export { sendReport, TOKEN_UNKNOWN_CODE } from './client.js';
export type { Fetch, SendOutcome } from './client.js';
export { readAgentConfig } from './config.js';
export type { AgentSettings, ConfigReading } from './config.js';
export { DEFAULT_NVIDIA_SMI_TIMEOUT_MS, discoverGpus } from './discover-gpus.js';
export type { DiscoveryOptions } from './discover-gpus.js';
export { ECS_METADATA_URL, metadataReader, noMetadata, resolveIdentity } from './identity.js';
export type { MetadataReader, NodeIdentity } from './identity.js';
export { AGENT_EXIT, runAgentLoop } from './loop.js';
export type { AgentLoop, ReportSummary } from './loop.js';
export { collectNodeFacts, externalAddresses, parseOsRelease, realHost } from './node-facts.js';
export type { HostProbe } from './node-facts.js';
export { spawnRunner } from './runner.js';
export type { CommandRunner, RunOptions, RunResult } from './runner.js';
export { AGENT_VERSION } from './version.js';
