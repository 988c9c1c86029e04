// The node agent's configuration file, written into a worker's user data by the bootstrap and read
// by the agent (and by the emulator, to boot emulated workers through the same registration path).

export const AGENT_CONFIG_PATH = '/etc/kuberack/agent.json';

export interface AgentConfig {
  /** Base URL of the Kuberack API the agent reports to. */
  readonly server: string;
  readonly clusterId: string;
  /** The node's registration token (secret). */
  readonly token: string;
  /** The Kubernetes node name when the spec fixes one (M51); null: the agent derives it. */
  readonly nodeName: string | null;
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
  return {
    server: String(o.server),
    clusterId: String(o.clusterId),
    token: String(o.token),
    nodeName: typeof o.nodeName === 'string' ? o.nodeName : null,
  };
}
