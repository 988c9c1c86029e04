// The agent's configuration file (written by the worker's user data at /etc/kuberack/agent.json):
// read and checked with every problem named, so a bad file is one clear message, not a crash.
import { parseAgentConfig } from '../domain/node/index.js';
import type { AgentConfig } from '../domain/node/index.js';

export interface AgentSettings extends AgentConfig {
  /** The cloud instance id when the file fixes it; otherwise the metadata service or the hostname. */
  readonly instanceId: string | null;
}

export type ConfigReading =
  | { readonly ok: true; readonly settings: AgentSettings }
  | { readonly ok: false; readonly problems: readonly string[] };

const KNOWN = ['server', 'clusterId', 'token', 'nodeName', 'nodeNamePattern', 'instanceId'];

function problemsOf(o: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const text = (key: string, max: number, required: boolean) => {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) problems.push(`${key} is required`);
    } else if (typeof v !== 'string' || v === '' || v.length > max) {
      problems.push(`${key} must be a string of 1–${max} characters`);
    }
  };
  text('server', 2048, true);
  if (typeof o.server === 'string' && !/^https?:\/\/[^/\s]+/.test(o.server)) {
    problems.push('server must be an http:// or https:// URL');
  }
  text('clusterId', 64, true);
  text('token', 256, true);
  text('nodeName', 253, false);
  text('instanceId', 128, false);
  for (const key of Object.keys(o))
    if (!KNOWN.includes(key)) problems.push(`unknown field ${key.slice(0, 64)}`);
  return problems;
}

/** Reads the file's text. Never throws; problems never quote the token. */
export function readAgentConfig(text: string): ConfigReading {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [`not JSON: ${e instanceof Error ? e.message : String(e)}`] };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return { ok: false, problems: ['the file must hold a JSON object'] };
  }
  const o = v as Record<string, unknown>;
  const problems = problemsOf(o);
  const config = parseAgentConfig(text);
  if (problems.length > 0 || config === null) {
    return { ok: false, problems: problems.length > 0 ? problems : ['not an agent configuration'] };
  }
  const instanceId = typeof o.instanceId === 'string' ? o.instanceId : null;
  return { ok: true, settings: { ...config, server: config.server.replace(/\/+$/, ''), instanceId } };
}
