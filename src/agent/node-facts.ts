// Facts about the machine the agent runs on: hostname, addresses, CPU, memory, OS (/etc/os-release),
// kernel and architecture. The operating-system calls are injectable so tests can fix them.
import { readFileSync } from 'node:fs';
import { arch, cpus, hostname, networkInterfaces, release, totalmem } from 'node:os';
import type { NodeFacts } from '../domain/node/index.js';
import { AGENT_VERSION } from './version.js';

export interface HostProbe {
  readonly hostname: () => string;
  readonly interfaces: () => ReturnType<typeof networkInterfaces>;
  readonly cpus: () => readonly { readonly model: string }[];
  readonly totalMemBytes: () => number;
  readonly kernel: () => string;
  readonly arch: () => string;
  /** Text of /etc/os-release, or null when there is none. */
  readonly osRelease: () => string | null;
}

function readOsRelease(): string | null {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      // try the next one
    }
  }
  return null;
}

export const realHost: HostProbe = {
  hostname,
  interfaces: networkInterfaces,
  cpus,
  totalMemBytes: totalmem,
  kernel: release,
  arch,
  osRelease: readOsRelease,
};

/** `KEY=value` lines of os-release, quotes and escapes removed. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!m?.[1] || m[2] === undefined) continue;
    let v = m[2].trim();
    const q = v[0];
    if ((q === '"' || q === "'") && v.endsWith(q) && v.length >= 2) v = v.slice(1, -1);
    out[m[1]] = v.replace(/\\(["'$`\\])/g, '$1');
  }
  return out;
}

/** Non-internal addresses, IPv4 before IPv6, link-local IPv6 left out, each once. */
export function externalAddresses(ifaces: ReturnType<typeof networkInterfaces>): string[] {
  const all = Object.values(ifaces).flatMap((list) => list ?? []);
  const usable = all.filter((a) => !a.internal && !(a.family === 'IPv6' && /^fe80:/i.test(a.address)));
  const v4 = usable.filter((a) => a.family === 'IPv4').map((a) => a.address);
  const v6 = usable.filter((a) => a.family === 'IPv6').map((a) => a.address);
  return [...new Set([...v4, ...v6])].slice(0, 64);
}

function clip(v: string | undefined, max = 256): string | null {
  const t = v?.trim();
  return t ? t.slice(0, max) : null;
}

export function collectNodeFacts(host: HostProbe = realHost): NodeFacts {
  const os = parseOsRelease(host.osRelease() ?? '');
  const cpuList = host.cpus();
  return {
    hostname: clip(host.hostname(), 253) ?? 'localhost',
    addresses: externalAddresses(host.interfaces()),
    cpu: { count: Math.max(1, cpuList.length), model: clip(cpuList[0]?.model) },
    memoryMiB: Math.max(1, Math.floor(host.totalMemBytes() / 2 ** 20)),
    os: { id: clip(os.ID), name: clip(os.PRETTY_NAME ?? os.NAME), version: clip(os.VERSION_ID) },
    kernel: clip(host.kernel()) ?? 'unknown',
    architecture: clip(host.arch(), 32) ?? 'unknown',
    agentVersion: AGENT_VERSION,
  };
}
