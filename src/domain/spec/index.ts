// ClusterSpec: types, defaults, parsing and every validation rule of mission rows M15–M60.
// Pure: facts about the account and the VPC are passed in by the caller.
export * from './types.js';
export { SPEC_DEFAULTS, SPEC_LIMITS } from './defaults.js';
export type { ExistingInstanceFacts, SpecFacts, VpcFacts } from './facts.js';
export { nodeName, NODE_NAME_PART } from './node-name.js';
export { checkPassword, PASSWORD_SPECIALS } from './password.js';
export { mergeTags, validateClusterSpec, type ValidationResult } from './validate.js';
export { redactSpec } from './redact.js';
