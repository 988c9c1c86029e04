// The agent's version, sent in every report's node facts (the same as `kuberack version`).

export const AGENT_VERSION = '0.1.0';
