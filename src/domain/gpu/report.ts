// The GPU report a node agent sends (what nvidia-smi found: GPUs, MIG devices, health) and the
// server's hand-written checker for it, which lists every problem with its path and never throws.
import { joinPath, ProblemList } from '../problems.js';
import type { Params, Problem } from '../problems.js';

export type GpuReportSource = 'xml' | 'csv' | 'none';
export type OnOff = 'enabled' | 'disabled';
export type GpuHealth = 'ok' | 'degraded' | 'unknown';

/** Why a GPU is degraded; each is a signal nvidia-smi reports (ECC, page retirement, row remapping, reset). */
export const GPU_HEALTH_REASONS = [
  'ECC_UNCORRECTABLE',
  'RETIRED_PAGES_PENDING',
  'REMAPPED_ROWS_PENDING',
  'REMAPPED_ROWS_FAILURE',
  'RESET_REQUIRED',
  'DRAIN_AND_RESET_RECOMMENDED',
  'RECOVERY_ACTION_PENDING',
] as const;
export type GpuHealthReason = (typeof GPU_HEALTH_REASONS)[number];

/** Error codes the agent puts in `report.error`; the checker accepts any UPPER_SNAKE code. */
export const NVIDIA_SMI_ERROR_CODES = {
  /** Output is not a document we can read (bad XML, wrong root, unreadable CSV). Zero GPUs. */
  malformed: 'NVIDIA_SMI_MALFORMED',
  /** Readable, but some GPUs lacked required fields (uuid, name, PCI id, memory) and were left out. */
  incomplete: 'NVIDIA_SMI_INCOMPLETE',
  /** nvidia-smi did not finish in time (set by the runner). */
  timeout: 'NVIDIA_SMI_TIMEOUT',
  /** nvidia-smi exited non-zero or could not be started although present (set by the runner). */
  failed: 'NVIDIA_SMI_FAILED',
  /** Output larger than the agent reads. */
  tooLarge: 'NVIDIA_SMI_TOO_LARGE',
} as const;

export interface MigDevice {
  readonly index: number;
  /** Null when only `nvidia-smi -L` listed the device (it does not print instance ids). */
  readonly gpuInstanceId: number | null;
  readonly computeInstanceId: number | null;
  /** Profile name, e.g. `3g.40gb` or `1c.3g.71gb`; the XML does not carry it, `-L` does. */
  readonly profile: string | null;
  readonly uuid: string | null;
  readonly memoryTotalMiB: number | null;
  readonly multiprocessorCount: number | null;
}

export interface GpuProcess {
  readonly pid: number;
  /** `C`, `G`, `C+G`, `M` …, as nvidia-smi prints it; may be empty. */
  readonly type: string;
  readonly name: string;
  readonly usedMemoryMiB: number | null;
  readonly gpuInstanceId: number | null;
  readonly computeInstanceId: number | null;
}

export interface GpuDevice {
  /** nvidia-smi's index (enumeration order); may change across boots, so key on `uuid`. */
  readonly index: number;
  readonly uuid: string;
  /** Model name as nvidia-smi prints it, e.g. `NVIDIA H100 80GB HBM3`. */
  readonly product: string;
  readonly brand: string | null;
  readonly architecture: string | null;
  /** Normalised to the 8-hex-digit domain form, upper-case hex: `00000000:0C:00.0`. */
  readonly pciBusId: string;
  /** `0x` + device and vendor id, upper-case hex: `0x20B210DE`. */
  readonly pciDeviceId: string | null;
  readonly memoryTotalMiB: number;
  readonly memoryUsedMiB: number | null;
  readonly memoryFreeMiB: number | null;
  /** `major.minor`, e.g. `9.0`; the XML does not carry it, the CSV does. */
  readonly computeCapability: string | null;
  readonly temperatureC: number | null;
  readonly powerDrawW: number | null;
  readonly powerLimitW: number | null;
  readonly utilizationGpuPct: number | null;
  readonly eccMode: OnOff | null;
  readonly eccUncorrectedVolatile: number | null;
  /** Null when the GPU cannot do MIG (`N/A`). */
  readonly migMode: OnOff | null;
  readonly migDevices: readonly MigDevice[];
  readonly processes: readonly GpuProcess[];
  /** `unknown` when no health signal could be read; `degraded` iff `healthReasons` is not empty. */
  readonly health: GpuHealth;
  readonly healthReasons: readonly GpuHealthReason[];
}

export interface GpuReportError {
  readonly code: string;
  readonly message: string;
}

export interface GpuReport {
  readonly driverVersion: string | null;
  readonly cudaVersion: string | null;
  readonly gpus: readonly GpuDevice[];
  /** `none`: no nvidia-smi on the node (a CPU node), a valid report with zero GPUs. */
  readonly source: GpuReportSource;
  readonly error?: GpuReportError;
}

export interface Range {
  readonly min: number;
  readonly max: number;
}

/** Size and value bounds the checker enforces; the agent's parsers use the same ones. */
export const GPU_REPORT_LIMITS = {
  maxGpus: 64,
  maxMigDevices: 64,
  maxProcesses: 256,
  maxString: 256,
  index: { min: 0, max: 1023 },
  instanceId: { min: 0, max: 1023 },
  memoryMiB: { min: 0, max: 16_777_216 },
  multiprocessors: { min: 0, max: 100_000 },
  temperatureC: { min: -100, max: 200 },
  powerW: { min: 0, max: 100_000 },
  percent: { min: 0, max: 100 },
  count: { min: 0, max: Number.MAX_SAFE_INTEGER },
  pid: { min: 0, max: 4_294_967_295 },
} as const satisfies Record<string, number | Range>;

const HEX_UUID = '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}';

/** Formats the checker knows; `pattern` is the whole-string test. */
export const GPU_REPORT_FORMATS = {
  'gpu-uuid': new RegExp(`^GPU-${HEX_UUID}$`),
  // R470+ prints `MIG-<uuid>`; R450 printed `MIG-GPU-<uuid>/<gi>/<ci>`.
  'mig-uuid': new RegExp(`^MIG-(?:${HEX_UUID}|GPU-${HEX_UUID}/\\d{1,4}/\\d{1,4})$`),
  'pci-bus-id': /^[0-9A-F]{8}:[0-9A-F]{2}:[0-9A-F]{2}\.[0-7]$/,
  'pci-device-id': /^0x[0-9A-F]{8}$/,
  'compute-capability': /^\d{1,2}\.\d{1,2}$/,
  'driver-version': /^\d{1,4}(?:\.\d{1,4}){1,3}$/,
  'cuda-version': /^\d{1,3}\.\d{1,3}(?:\.\d{1,3})?$/,
  // Must fit a resource name `nvidia.com/mig-<profile>` (after `+` → `.`) and a label key.
  'mig-profile': /^[0-9A-Za-z](?:[0-9A-Za-z.+_-]{0,38}[0-9A-Za-z])?$/,
  'error-code': /^[A-Z][A-Z0-9_]{0,63}$/,
} as const;
export type GpuReportFormat = keyof typeof GPU_REPORT_FORMATS;

export function matchesFormat(value: string, format: GpuReportFormat): boolean {
  return GPU_REPORT_FORMATS[format].test(value);
}

/** Health signals as nvidia-smi reports them; absent or null means "could not be read". */
export interface GpuHealthSignals {
  readonly eccUncorrectedVolatile?: number | null;
  readonly retiredPagesPending?: boolean | null;
  readonly remappedRowsPending?: boolean | null;
  readonly remappedRowsFailure?: boolean | null;
  readonly resetRequired?: boolean | null;
  readonly drainAndResetRecommended?: boolean | null;
  /** `gpu_recovery_action` (v13): `None`, or what the driver asks for (`Reset`, `Reboot`, `Drain P2P` …). */
  readonly recoveryAction?: string | null;
}

/** `degraded` with its reasons when any signal is bad, `ok` when some were read and none is, else `unknown`. */
export function gpuHealth(s: GpuHealthSignals): { health: GpuHealth; healthReasons: GpuHealthReason[] } {
  const reasons: GpuHealthReason[] = [];
  if ((s.eccUncorrectedVolatile ?? 0) > 0) reasons.push('ECC_UNCORRECTABLE');
  if (s.retiredPagesPending === true) reasons.push('RETIRED_PAGES_PENDING');
  if (s.remappedRowsPending === true) reasons.push('REMAPPED_ROWS_PENDING');
  if (s.remappedRowsFailure === true) reasons.push('REMAPPED_ROWS_FAILURE');
  if (s.resetRequired === true) reasons.push('RESET_REQUIRED');
  if (s.drainAndResetRecommended === true) reasons.push('DRAIN_AND_RESET_RECOMMENDED');
  const action = s.recoveryAction?.trim().toLowerCase();
  if (action !== undefined && action !== '' && action !== 'none') reasons.push('RECOVERY_ACTION_PENDING');
  const anySignal = Object.values(s).some((v) => v !== null && v !== undefined);
  const health: GpuHealth = reasons.length > 0 ? 'degraded' : anySignal ? 'ok' : 'unknown';
  return { health, healthReasons: reasons };
}

/** A report with zero GPUs: a CPU node (`source: 'none'`) or a failed run (with `error`). */
export function emptyGpuReport(source: GpuReportSource, error?: GpuReportError): GpuReport {
  const base = { driverVersion: null, cudaVersion: null, gpus: [], source };
  return error === undefined ? base : { ...base, error: clipError(error) };
}

function clipError(error: GpuReportError): GpuReportError {
  return { code: error.code, message: error.message.slice(0, GPU_REPORT_LIMITS.maxString) };
}

// ---------------------------------------------------------------------------------------------
// Checker. Each `read*` records problems and returns the value (or undefined when it is unusable),
// so one pass both checks and builds a clean copy that holds only the known fields.

type Obj = Readonly<Record<string, unknown>>;

class Checker {
  readonly problems = new ProblemList();

  add(path: string, code: string, params: Params = {}): void {
    this.problems.add(path, code, params);
  }

  object(value: unknown, path: string, keys: readonly string[]): Obj | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.add(path, 'GPU_REPORT_TYPE', { expected: 'object' });
      return undefined;
    }
    const obj = value as Obj;
    for (const key of Object.keys(obj)) {
      if (!keys.includes(key)) this.add(joinPath(path, key), 'GPU_REPORT_UNKNOWN_FIELD', { field: key });
    }
    for (const key of keys) {
      if (!Object.prototype.hasOwnProperty.call(obj, key) && !OPTIONAL_KEYS.has(key)) {
        this.add(joinPath(path, key), 'GPU_REPORT_REQUIRED', { field: key });
      }
    }
    return obj;
  }

  string(obj: Obj, key: string, path: string, format?: GpuReportFormat): string | undefined {
    const value = obj[key];
    const at = joinPath(path, key);
    if (!Object.prototype.hasOwnProperty.call(obj, key)) return undefined;
    if (typeof value !== 'string') {
      this.add(at, 'GPU_REPORT_TYPE', { expected: 'string' });
      return undefined;
    }
    if (value.length > GPU_REPORT_LIMITS.maxString) {
      this.add(at, 'GPU_REPORT_TOO_LONG', { max: GPU_REPORT_LIMITS.maxString, length: value.length });
      return undefined;
    }
    if (format !== undefined && !matchesFormat(value, format)) {
      this.add(at, 'GPU_REPORT_FORMAT', { format });
      return undefined;
    }
    return value;
  }

  nullableString(obj: Obj, key: string, path: string, format?: GpuReportFormat): string | null | undefined {
    return obj[key] === null ? null : this.string(obj, key, path, format);
  }

  number(obj: Obj, key: string, path: string, range: Range, integer: boolean): number | undefined {
    const value = obj[key];
    const at = joinPath(path, key);
    if (!Object.prototype.hasOwnProperty.call(obj, key)) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      this.add(at, 'GPU_REPORT_TYPE', { expected: integer ? 'integer' : 'number' });
      return undefined;
    }
    if (value < range.min || value > range.max) {
      this.add(at, 'GPU_REPORT_OUT_OF_RANGE', { min: range.min, max: range.max, value });
      return undefined;
    }
    return value;
  }

  nullableNumber(
    obj: Obj,
    key: string,
    path: string,
    range: Range,
    integer: boolean,
  ): number | null | undefined {
    return obj[key] === null ? null : this.number(obj, key, path, range, integer);
  }

  oneOf<T extends string>(obj: Obj, key: string, path: string, allowed: readonly T[]): T | undefined {
    const value = obj[key];
    if (!Object.prototype.hasOwnProperty.call(obj, key)) return undefined;
    const found = allowed.find((a) => a === value);
    if (found === undefined) this.add(joinPath(path, key), 'GPU_REPORT_ENUM', { allowed: [...allowed] });
    return found;
  }

  nullableOneOf<T extends string>(
    obj: Obj,
    key: string,
    path: string,
    allowed: readonly T[],
  ): T | null | undefined {
    return obj[key] === null ? null : this.oneOf(obj, key, path, allowed);
  }

  array(obj: Obj, key: string, path: string, max: number): readonly unknown[] | undefined {
    const value = obj[key];
    const at = joinPath(path, key);
    if (!Object.prototype.hasOwnProperty.call(obj, key)) return undefined;
    if (!Array.isArray(value)) {
      this.add(at, 'GPU_REPORT_TYPE', { expected: 'array' });
      return undefined;
    }
    if (value.length > max) {
      this.add(at, 'GPU_REPORT_TOO_MANY', { max, count: value.length });
      return undefined;
    }
    return value;
  }
}

/** Keys that may be absent; every other listed key is required (possibly `null`). */
const OPTIONAL_KEYS: ReadonlySet<string> = new Set(['error']);

const REPORT_KEYS = ['driverVersion', 'cudaVersion', 'gpus', 'source', 'error'] as const;
const ERROR_KEYS = ['code', 'message'] as const;
const MIG_KEYS = [
  'index',
  'gpuInstanceId',
  'computeInstanceId',
  'profile',
  'uuid',
  'memoryTotalMiB',
  'multiprocessorCount',
] as const;
const PROCESS_KEYS = ['pid', 'type', 'name', 'usedMemoryMiB', 'gpuInstanceId', 'computeInstanceId'] as const;
const GPU_KEYS = [
  'index',
  'uuid',
  'product',
  'brand',
  'architecture',
  'pciBusId',
  'pciDeviceId',
  'memoryTotalMiB',
  'memoryUsedMiB',
  'memoryFreeMiB',
  'computeCapability',
  'temperatureC',
  'powerDrawW',
  'powerLimitW',
  'utilizationGpuPct',
  'eccMode',
  'eccUncorrectedVolatile',
  'migMode',
  'migDevices',
  'processes',
  'health',
  'healthReasons',
] as const;

const ON_OFF: readonly OnOff[] = ['enabled', 'disabled'];
const HEALTH: readonly GpuHealth[] = ['ok', 'degraded', 'unknown'];
const SOURCES: readonly GpuReportSource[] = ['xml', 'csv', 'none'];
const L = GPU_REPORT_LIMITS;

function readMigDevice(c: Checker, value: unknown, path: string): MigDevice | undefined {
  const o = c.object(value, path, MIG_KEYS);
  if (o === undefined) return undefined;
  const d = {
    index: c.number(o, 'index', path, L.index, true),
    gpuInstanceId: c.nullableNumber(o, 'gpuInstanceId', path, L.instanceId, true),
    computeInstanceId: c.nullableNumber(o, 'computeInstanceId', path, L.instanceId, true),
    profile: c.nullableString(o, 'profile', path, 'mig-profile'),
    uuid: c.nullableString(o, 'uuid', path, 'mig-uuid'),
    memoryTotalMiB: c.nullableNumber(o, 'memoryTotalMiB', path, L.memoryMiB, true),
    multiprocessorCount: c.nullableNumber(o, 'multiprocessorCount', path, L.multiprocessors, true),
  };
  return allDefined(d) ? d : undefined;
}

function readProcess(c: Checker, value: unknown, path: string): GpuProcess | undefined {
  const o = c.object(value, path, PROCESS_KEYS);
  if (o === undefined) return undefined;
  const p = {
    pid: c.number(o, 'pid', path, L.pid, true),
    type: c.string(o, 'type', path),
    name: c.string(o, 'name', path),
    usedMemoryMiB: c.nullableNumber(o, 'usedMemoryMiB', path, L.memoryMiB, true),
    gpuInstanceId: c.nullableNumber(o, 'gpuInstanceId', path, L.instanceId, true),
    computeInstanceId: c.nullableNumber(o, 'computeInstanceId', path, L.instanceId, true),
  };
  return allDefined(p) ? p : undefined;
}

function readList<T>(
  c: Checker,
  obj: Obj,
  key: string,
  path: string,
  max: number,
  read: (c: Checker, v: unknown, p: string) => T | undefined,
): T[] | undefined {
  const items = c.array(obj, key, path, max);
  if (items === undefined) return undefined;
  const out: T[] = [];
  let ok = true;
  items.forEach((item, i) => {
    const read1 = read(c, item, joinPath(path, key, i));
    if (read1 === undefined) ok = false;
    else out.push(read1);
  });
  return ok ? out : undefined;
}

function readReasons(c: Checker, obj: Obj, path: string): GpuHealthReason[] | undefined {
  const items = c.array(obj, 'healthReasons', path, GPU_HEALTH_REASONS.length);
  if (items === undefined) return undefined;
  const out: GpuHealthReason[] = [];
  items.forEach((item, i) => {
    const found = GPU_HEALTH_REASONS.find((r) => r === item);
    const at = joinPath(path, 'healthReasons', i);
    if (found === undefined) c.add(at, 'GPU_REPORT_ENUM', { allowed: [...GPU_HEALTH_REASONS] });
    else if (out.includes(found)) c.add(at, 'GPU_REPORT_DUPLICATE', { field: 'healthReasons', value: found });
    else out.push(found);
  });
  return out.length === items.length ? out : undefined;
}

function readGpu(c: Checker, value: unknown, path: string): GpuDevice | undefined {
  const o = c.object(value, path, GPU_KEYS);
  if (o === undefined) return undefined;
  const g = {
    index: c.number(o, 'index', path, L.index, true),
    uuid: c.string(o, 'uuid', path, 'gpu-uuid'),
    product: c.string(o, 'product', path),
    brand: c.nullableString(o, 'brand', path),
    architecture: c.nullableString(o, 'architecture', path),
    pciBusId: c.string(o, 'pciBusId', path, 'pci-bus-id'),
    pciDeviceId: c.nullableString(o, 'pciDeviceId', path, 'pci-device-id'),
    memoryTotalMiB: c.number(o, 'memoryTotalMiB', path, L.memoryMiB, true),
    memoryUsedMiB: c.nullableNumber(o, 'memoryUsedMiB', path, L.memoryMiB, true),
    memoryFreeMiB: c.nullableNumber(o, 'memoryFreeMiB', path, L.memoryMiB, true),
    computeCapability: c.nullableString(o, 'computeCapability', path, 'compute-capability'),
    temperatureC: c.nullableNumber(o, 'temperatureC', path, L.temperatureC, false),
    powerDrawW: c.nullableNumber(o, 'powerDrawW', path, L.powerW, false),
    powerLimitW: c.nullableNumber(o, 'powerLimitW', path, L.powerW, false),
    utilizationGpuPct: c.nullableNumber(o, 'utilizationGpuPct', path, L.percent, false),
    eccMode: c.nullableOneOf(o, 'eccMode', path, ON_OFF),
    eccUncorrectedVolatile: c.nullableNumber(o, 'eccUncorrectedVolatile', path, L.count, true),
    migMode: c.nullableOneOf(o, 'migMode', path, ON_OFF),
    migDevices: readList(c, o, 'migDevices', path, L.maxMigDevices, readMigDevice),
    processes: readList(c, o, 'processes', path, L.maxProcesses, readProcess),
    health: c.oneOf(o, 'health', path, HEALTH),
    healthReasons: readReasons(c, o, path),
  };
  if (g.product === '') c.add(joinPath(path, 'product'), 'GPU_REPORT_REQUIRED', { field: 'product' });
  checkGpuConsistency(c, g, path);
  return allDefined(g) && g.product !== '' ? g : undefined;
}

type Unchecked<T> = { [K in keyof T]: T[K] | undefined };

function checkGpuConsistency(c: Checker, g: Unchecked<GpuDevice>, path: string): void {
  if (
    g.migDevices !== undefined &&
    g.migDevices.length > 0 &&
    g.migMode !== undefined &&
    g.migMode !== 'enabled'
  ) {
    c.add(joinPath(path, 'migDevices'), 'GPU_REPORT_MIG_DEVICES_WITHOUT_MIG', { count: g.migDevices.length });
  }
  if (g.migDevices !== undefined)
    checkUnique(c, g.migDevices, (d) => String(d.index), joinPath(path, 'migDevices'), 'index');
  if (g.health !== undefined && g.healthReasons !== undefined) {
    if ((g.health === 'degraded') !== g.healthReasons.length > 0) {
      c.add(joinPath(path, 'health'), 'GPU_REPORT_HEALTH_INCONSISTENT', {
        health: g.health,
        reasons: [...g.healthReasons],
      });
    }
  }
}

function checkUnique<T>(
  c: Checker,
  items: readonly T[],
  key: (t: T) => string,
  path: string,
  field: string,
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) c.add(joinPath(path, i, field), 'GPU_REPORT_DUPLICATE', { field, value: k });
    seen.add(k);
  });
}

function readError(c: Checker, value: unknown, path: string): GpuReportError | undefined {
  const o = c.object(value, path, ERROR_KEYS);
  if (o === undefined) return undefined;
  const e = { code: c.string(o, 'code', path, 'error-code'), message: c.string(o, 'message', path) };
  return allDefined(e) ? e : undefined;
}

function allDefined<T extends object>(o: Unchecked<T>): o is T {
  return Object.values(o).every((v) => v !== undefined);
}

function readReport(c: Checker, input: unknown): GpuReport | undefined {
  const o = c.object(input, '', REPORT_KEYS);
  if (o === undefined) return undefined;
  const r = {
    driverVersion: c.nullableString(o, 'driverVersion', '', 'driver-version'),
    cudaVersion: c.nullableString(o, 'cudaVersion', '', 'cuda-version'),
    gpus: readList(c, o, 'gpus', '', L.maxGpus, readGpu),
    source: c.oneOf(o, 'source', '', SOURCES),
  };
  const error = Object.prototype.hasOwnProperty.call(o, 'error') ? readError(c, o['error'], 'error') : null;
  if (r.gpus !== undefined) {
    checkUnique(c, r.gpus, (g) => g.uuid.toLowerCase(), 'gpus', 'uuid');
    checkUnique(c, r.gpus, (g) => String(g.index), 'gpus', 'index');
    checkUnique(c, r.gpus, (g) => g.pciBusId, 'gpus', 'pciBusId');
    if (r.source === 'none' && r.gpus.length > 0) {
      c.add('gpus', 'GPU_REPORT_GPUS_WITHOUT_NVIDIA_SMI', { count: r.gpus.length });
    }
  }
  if (!allDefined(r) || error === undefined) return undefined;
  return error === null ? r : { ...r, error };
}

export type GpuReportValidation =
  | { readonly ok: true; readonly report: GpuReport }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/**
 * Checks an untrusted report (parsed JSON from an agent). Returns a clean copy holding only the
 * known fields, or every problem found, each with its path (`gpus[0].migDevices[2].uuid`).
 */
export function validateGpuReport(input: unknown): GpuReportValidation {
  const c = new Checker();
  let report: GpuReport | undefined;
  try {
    report = readReport(c, input);
  } catch {
    // Hostile input (a throwing getter or proxy) must still end in a refusal, not an exception.
    c.add('', 'GPU_REPORT_UNREADABLE');
  }
  if (report === undefined || !c.problems.empty) {
    if (c.problems.empty) c.add('', 'GPU_REPORT_UNREADABLE');
    return { ok: false, problems: c.problems.items };
  }
  return { ok: true, report };
}

/**
 * Makes a report the checker accepts out of one that may not pass: a GPU with any problem is
 * left out (noted in `error` as NVIDIA_SMI_INCOMPLETE), a bad version becomes null. The agent
 * runs its parse results through this, so it never sends a report the server would refuse.
 */
export function salvageGpuReport(report: GpuReport): GpuReport {
  const first = validateGpuReport(report);
  if (first.ok) return first.report;
  const badGpus = new Set<number>();
  const badTop = new Set<string>();
  for (const p of first.problems) {
    const m = /^gpus\[(\d+)\]/.exec(p.path);
    if (m?.[1] !== undefined) badGpus.add(Number(m[1]));
    else badTop.add(p.path.split(/[.[]/)[0] ?? '');
  }
  const gpus = report.gpus.filter((_, i) => !badGpus.has(i)).slice(0, GPU_REPORT_LIMITS.maxGpus);
  const dropped = report.gpus.length - gpus.length;
  const repaired: GpuReport = {
    driverVersion: badTop.has('driverVersion') ? null : report.driverVersion,
    cudaVersion: badTop.has('cudaVersion') ? null : report.cudaVersion,
    gpus,
    source: SOURCES.includes(report.source) ? report.source : 'none',
  };
  const error = salvageError(report.error, badTop.has('error'), dropped, first.problems);
  const second = validateGpuReport(error === undefined ? repaired : { ...repaired, error });
  if (second.ok) return second.report;
  return emptyGpuReport(repaired.source, {
    code: NVIDIA_SMI_ERROR_CODES.malformed,
    message: 'the parsed report could not be made valid',
  });
}

function salvageError(
  error: GpuReportError | undefined,
  errorIsBad: boolean,
  dropped: number,
  problems: readonly Problem[],
): GpuReportError | undefined {
  const kept = error !== undefined && !errorIsBad ? error : undefined;
  if (dropped === 0) return kept;
  const first = problems.find((p) => p.path.startsWith('gpus['));
  const note = `${dropped} GPU(s) left out; first problem: ${first?.path ?? '?'} ${first?.code ?? ''}`.trim();
  if (kept === undefined) return clipError({ code: NVIDIA_SMI_ERROR_CODES.incomplete, message: note });
  return clipError({ code: kept.code, message: `${kept.message}; ${note}` });
}
