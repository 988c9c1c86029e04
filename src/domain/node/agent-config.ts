// The node agent's configuration file, written into a worker's user data by the bootstrap and read
// by the agent (and by the emulator, to boot emulated workers through the same registration path).

import { nodeName as nodeNameFrom } from '../spec/node-name.js';
import type { NodeNamePattern } from '../spec/types.js';

export const AGENT_CONFIG_PATH = '/etc/kuberack/agent.json';

export interface AgentConfig {
  /** Base URL of the Kuberack API the agent reports to. */
  readonly server: string;
  readonly clusterId: string;
  /** The node's registration token (secret). */
  readonly token: string;
  /** The Kubernetes node name when the spec fixes one (M51); null: the agent derives it. */
  readonly nodeName: string | null;
  /** M51: the spec's naming rule (prefix + last IP digits + suffix), applied to the node's IP; null: none. */
  readonly nodeNamePattern?: NodeNamePattern | null;
}

/** The node's name: the fixed one, else the spec's pattern applied to its IP, else `fallback`. */
export function agentNodeName(config: AgentConfig, privateIp: string, fallback: string): string {
  if (config.nodeName) return config.nodeName;
  const fromPattern = config.nodeNamePattern ? nodeNameFrom(config.nodeNamePattern, privateIp) : null;
  return fromPattern ?? fallback;
}

function patternOf(v: unknown): NodeNamePattern | null | undefined {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const part = (x: unknown) => typeof x === 'string' && x.length <= 253;
  if (!part(o.prefix) || !part(o.suffix)) return undefined;
  if (typeof o.ipDigits !== 'number' || !Number.isInteger(o.ipDigits) || o.ipDigits < 0 || o.ipDigits > 12)
    return undefined;
  return { prefix: String(o.prefix), ipDigits: o.ipDigits, suffix: String(o.suffix) };
}

/** Parses the file's JSON; null when it is not an agent configuration. Never throws. */
export function parseAgentConfig(text: string): AgentConfig | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const str = (x: unknown, max: number) => typeof x === 'string' && x.length > 0 && x.length <= max;
  if (!str(o.server, 2048) || !/^https?:\/\//.test(String(o.server))) return null;
  if (!str(o.clusterId, 64) || !str(o.token, 256)) return null;
  if (o.nodeName !== undefined && o.nodeName !== null && !str(o.nodeName, 253)) return null;
  const nodeNamePattern = patternOf(o.nodeNamePattern);
  if (nodeNamePattern === undefined) return null;
  return {
    ...(nodeNamePattern ? { nodeNamePattern } : {}),
    server: String(o.server),
    clusterId: String(o.clusterId),
    token: String(o.token),
    nodeName: typeof o.nodeName === 'string' ? o.nodeName : null,
  };
}
