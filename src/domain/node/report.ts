// What a node agent sends on registration and on every heartbeat (identity, node facts, GPU report),
// and the server's checker for it: every problem with its path, a clean copy when there is none.
import { validateGpuReport } from '../gpu/report.js';
import type { GpuReport } from '../gpu/report.js';
import { joinPath, ProblemList } from '../problems.js';
import type { Problem } from '../problems.js';

/** Heartbeat period an agent may announce; the readiness threshold is a multiple of it. */
export const HEARTBEAT_SECONDS = { min: 1, max: 3_600, default: 10 } as const;

/** Facts about the machine the agent runs on (not the GPUs). */
export interface NodeFacts {
  readonly hostname: string;
  /** Non-internal IPv4 and IPv6 addresses, IPv4 first. */
  readonly addresses: readonly string[];
  readonly cpu: { readonly count: number; readonly model: string | null };
  readonly memoryMiB: number;
  /** From /etc/os-release: `ID`, `PRETTY_NAME`, `VERSION_ID`; null where the file lacks them. */
  readonly os: { readonly id: string | null; readonly name: string | null; readonly version: string | null };
  readonly kernel: string;
  /** Node's `process.arch` spelling: `x64`, `arm64` … */
  readonly architecture: string;
  readonly agentVersion: string;
}

export interface NodeReport {
  readonly instanceId: string;
  readonly nodeName: string;
  readonly privateIp: string;
  readonly gpuReport: GpuReport;
  /** Absent for emulated workers, which have no machine to describe. */
  readonly node?: NodeFacts;
  /** How often this agent heartbeats; the default when absent. */
  readonly heartbeatSeconds: number;
}

export type NodeReportValidation =
  | { readonly ok: true; readonly report: NodeReport }
  | { readonly ok: false; readonly problems: readonly Problem[] };

type Obj = Readonly<Record<string, unknown>>;

const MAX_NAME = 253;
const MAX_TEXT = 256;
const MAX_ADDRESSES = 64;
const INSTANCE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
// RFC 1123 subdomain, as Kubernetes node names must be; upper case tolerated (the agent lower-cases).
const NODE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isIp(v: string): boolean {
  return IPV4.test(v) || (v.includes(':') && IPV6.test(v));
}

class Reader {
  readonly problems = new ProblemList();

  object(v: unknown, path: string, keys: readonly string[], optional: readonly string[] = []): Obj | null {
    if (!isObject(v)) {
      this.problems.add(path, 'FIELD_TYPE', { expected: 'object' });
      return null;
    }
    for (const k of Object.keys(v))
      if (!keys.includes(k))
        this.problems.add(joinPath(path, k.slice(0, 64)), 'FIELD_UNKNOWN', { field: k.slice(0, 64) });
    for (const k of keys)
      if (!(k in v) && !optional.includes(k)) this.problems.add(joinPath(path, k), 'FIELD_REQUIRED');
    return v;
  }

  text(o: Obj, key: string, path: string, max: number, pattern?: RegExp, format?: string): string {
    const v = o[key];
    const at = joinPath(path, key);
    if (!(key in o)) return '';
    if (typeof v !== 'string' || v === '' || v.length > max) {
      this.problems.add(at, 'FIELD_TYPE', { expected: `a string of 1–${max} characters` });
      return '';
    }
    if (pattern !== undefined && !pattern.test(v))
      this.problems.add(at, 'FIELD_PATTERN', { format: format ?? 'text' });
    return v;
  }

  nullableText(o: Obj, key: string, path: string): string | null {
    if (o[key] === null) return null;
    return this.text(o, key, path, MAX_TEXT);
  }

  integer(o: Obj, key: string, path: string, min: number, max: number): number {
    const v = o[key];
    if (!(key in o)) return min;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.problems.add(joinPath(path, key), 'FIELD_RANGE', { min, max });
      return min;
    }
    return v;
  }
}

function readFacts(r: Reader, v: unknown): NodeFacts | undefined {
  const keys = ['hostname', 'addresses', 'cpu', 'memoryMiB', 'os', 'kernel', 'architecture', 'agentVersion'];
  const o = r.object(v, 'node', keys);
  if (o === null) return undefined;
  const addresses: string[] = [];
  if ('addresses' in o) {
    const list = o.addresses;
    if (!Array.isArray(list) || list.length > MAX_ADDRESSES)
      r.problems.add('node.addresses', 'FIELD_TYPE', { expected: `a list of at most ${MAX_ADDRESSES} IPs` });
    else
      list.forEach((a, i) => {
        if (typeof a === 'string' && isIp(a)) addresses.push(a);
        else
          r.problems.add(joinPath('node', 'addresses', i), 'FIELD_PATTERN', {
            format: 'IPv4 or IPv6 address',
          });
      });
  }
  const cpu = 'cpu' in o ? r.object(o.cpu, 'node.cpu', ['count', 'model']) : null;
  const os = 'os' in o ? r.object(o.os, 'node.os', ['id', 'name', 'version']) : null;
  return {
    hostname: r.text(o, 'hostname', 'node', MAX_NAME),
    addresses,
    cpu: {
      count: cpu === null ? 0 : r.integer(cpu, 'count', 'node.cpu', 1, 65_536),
      model: cpu === null ? null : r.nullableText(cpu, 'model', 'node.cpu'),
    },
    memoryMiB: r.integer(o, 'memoryMiB', 'node', 1, 1 << 30),
    os: {
      id: os === null ? null : r.nullableText(os, 'id', 'node.os'),
      name: os === null ? null : r.nullableText(os, 'name', 'node.os'),
      version: os === null ? null : r.nullableText(os, 'version', 'node.os'),
    },
    kernel: r.text(o, 'kernel', 'node', MAX_TEXT),
    architecture: r.text(o, 'architecture', 'node', 32),
    agentVersion: r.text(o, 'agentVersion', 'node', 64),
  };
}

const REPORT_KEYS = ['instanceId', 'nodeName', 'privateIp', 'gpuReport', 'node', 'heartbeatSeconds'];

/**
 * Checks an untrusted node report (parsed JSON). GPU report problems come from `validateGpuReport`,
 * their paths prefixed with `gpuReport.`. Never throws.
 */
export function validateNodeReport(input: unknown): NodeReportValidation {
  const r = new Reader();
  const o = r.object(input, '', REPORT_KEYS, ['node', 'heartbeatSeconds']);
  if (o === null) return { ok: false, problems: r.problems.items };
  const instanceId = r.text(o, 'instanceId', '', 128, INSTANCE_ID, 'instance id');
  const nodeName = r.text(o, 'nodeName', '', MAX_NAME, NODE_NAME, 'RFC 1123 node name');
  const privateIp = r.text(o, 'privateIp', '', 45);
  if (privateIp !== '' && !isIp(privateIp))
    r.problems.add('privateIp', 'FIELD_PATTERN', { format: 'IPv4 or IPv6 address' });
  const { min, max } = HEARTBEAT_SECONDS;
  const heartbeatSeconds =
    'heartbeatSeconds' in o ? r.integer(o, 'heartbeatSeconds', '', min, max) : HEARTBEAT_SECONDS.default;
  const node = o.node === undefined ? undefined : readFacts(r, o.node);
  let gpuReport: GpuReport | undefined;
  if ('gpuReport' in o) {
    const v = validateGpuReport(o.gpuReport);
    if (v.ok) gpuReport = v.report;
    else for (const p of v.problems) r.problems.add(joinPath('gpuReport', p.path), p.code, p.params);
  }
  if (!r.problems.empty || gpuReport === undefined) return { ok: false, problems: r.problems.items };
  const report = { instanceId, nodeName, privateIp, gpuReport, heartbeatSeconds };
  return { ok: true, report: node === undefined ? report : { ...report, node } };
}
