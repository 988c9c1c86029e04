// Who the node is in its reports: instance id, private IP and node name, from the configuration,
// the cloud's metadata service (Alibaba Cloud ECS: 100.100.100.200), or the machine's own facts.
import { agentNodeName, type NodeFacts } from '../domain/node/index.js';
import type { AgentSettings } from './config.js';
import type { Fetch } from './client.js';

/** Alibaba Cloud's instance metadata service. */
export const ECS_METADATA_URL = 'http://100.100.100.200/latest/meta-data';

export interface NodeIdentity {
  readonly instanceId: string;
  readonly privateIp: string;
  readonly nodeName: string;
}

export type MetadataReader = (key: string) => Promise<string | null>;

/** Reads one metadata key with a short deadline; null when there is no such service (not on ECS). */
export function metadataReader(baseUrl: string, doFetch: Fetch = fetch, timeoutMs = 1_000): MetadataReader {
  return async (key) => {
    try {
      const res = await doFetch(`${baseUrl}/${key}`, { signal: AbortSignal.timeout(timeoutMs) });
      const text = res.ok ? (await res.text()).trim() : '';
      return text !== '' && text.length <= 253 && !/\s/.test(text) ? text : null;
    } catch {
      return null;
    }
  };
}

export const noMetadata: MetadataReader = () => Promise.resolve(null);

/** RFC 1123: lower case, `[a-z0-9.-]`, alphanumeric at both ends. */
function nodeNameOf(text: string): string {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 253);
  return name === '' ? 'node' : name;
}

/**
 * Configuration first, then metadata, then facts. The node name is the configuration's `nodeName`, or
 * its M51 pattern applied to the private IP, or ACK's `<region>.<private IP>`, or the hostname.
 */
export async function resolveIdentity(
  settings: AgentSettings,
  facts: NodeFacts,
  metadata: MetadataReader,
): Promise<NodeIdentity> {
  const instanceId = settings.instanceId ?? (await metadata('instance-id')) ?? nodeNameOf(facts.hostname);
  const privateIp =
    (await metadata('private-ipv4')) ??
    facts.addresses.find((a) => !a.includes(':')) ??
    facts.addresses[0] ??
    '127.0.0.1';
  const region = settings.nodeName || settings.nodeNamePattern ? null : await metadata('region-id');
  const nodeName = agentNodeName(
    settings,
    privateIp,
    region !== null ? `${region}.${privateIp}` : facts.hostname,
  );
  return { instanceId, privateIp, nodeName: nodeNameOf(nodeName) };
}
