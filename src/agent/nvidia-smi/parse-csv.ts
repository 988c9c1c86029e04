// Reads `nvidia-smi --query-gpu=… --format=csv[,noheader][,nounits]` (the fallback when `-q -x`
// fails) and `--query-compute-apps` into a GpuReport; columns come from the header, or the field list.
import {
  emptyGpuReport,
  GPU_REPORT_LIMITS as L,
  gpuHealth,
  NVIDIA_SMI_ERROR_CODES,
  salvageGpuReport,
} from '../../domain/gpu/index.js';
import type { GpuDevice, GpuProcess, GpuReport } from '../../domain/gpu/index.js';
import { isNoDevicesMessage, MAX_NVIDIA_SMI_OUTPUT_CHARS } from './parse-xml.js';
import {
  boundedText,
  formatted,
  integer,
  onOff,
  pciBusId,
  pciDeviceId,
  quantity,
  text,
  wholeQuantity,
  yesNo,
} from './units.js';

/** The agent's query (gpu-stack.md §2.2); run with `--format=csv,noheader,nounits`. */
export const QUERY_GPU_FIELDS = [
  'index',
  'uuid',
  'name',
  'pci.bus_id',
  'memory.total',
  'memory.used',
  'memory.free',
  'compute_cap',
  'driver_version',
  'mig.mode.current',
  'temperature.gpu',
  'power.draw',
  'utilization.gpu',
  'ecc.errors.uncorrected.volatile.total',
] as const;

export const QUERY_COMPUTE_APPS_FIELDS = ['gpu_uuid', 'pid', 'process_name', 'used_memory'] as const;

export const CSV_FORMAT = 'csv,noheader,nounits';

/** nvidia-smi accepts several names for one field; rows are keyed by the first spelling here. */
const ALIASES: Readonly<Record<string, string>> = {
  gpu_name: 'name',
  gpu_uuid: 'uuid',
  gpu_bus_id: 'pci.bus_id',
  gpu_serial: 'serial',
  'gpu.power.draw.average': 'power.draw.average',
  'gpu.power.draw.instant': 'power.draw.instant',
  'gpu.power.current_limit': 'enforced.power.limit',
  'gpu.power.requested_limit': 'power.limit',
  'retired_pages.sbe': 'retired_pages.single_bit_ecc.count',
  'retired_pages.dbe': 'retired_pages.double_bit.count',
  used_gpu_memory: 'used_memory',
};

/** `memory.total [MiB]` → `memory.total`, aliases resolved. */
function fieldName(header: string): string {
  const bare = header
    .replace(/\s*\[[^\]]*\]\s*$/, '')
    .trim()
    .toLowerCase();
  return ALIASES[bare] ?? bare;
}

const FIELD_NAME = /^[a-z_][a-z0-9_.]*(?:\s*\[[^\]]*\])?$/i;

function isHeader(cells: readonly string[], known: readonly string[]): boolean {
  return cells.every((c) => FIELD_NAME.test(c)) && cells.some((c) => known.includes(fieldName(c)));
}

type Row = ReadonlyMap<string, string>;

interface Table {
  readonly rows: readonly Row[];
  /** Lines that were neither a header nor a row of the right width. */
  readonly rejected: readonly string[];
}

function splitLine(line: string): string[] {
  return line.split(',').map((c) => c.trim());
}

/** Splits CSV text into rows keyed by field name, from its header when it has one. */
function readTable(output: string, fields: readonly string[]): Table {
  const lines = output.split(/\r?\n/).filter((l) => l.trim() !== '');
  const firstLine = lines[0];
  const firstCells = firstLine === undefined ? [] : splitLine(firstLine);
  const header = isHeader(firstCells, fields.map(fieldName));
  const columns = header ? firstCells.map(fieldName) : fields.map(fieldName);
  const rows: Row[] = [];
  const rejected: string[] = [];
  for (const line of header ? lines.slice(1) : lines) {
    const cells = splitLine(line);
    if (cells.length !== columns.length) rejected.push(line);
    else rows.push(new Map(columns.map((c, i) => [c, cells[i] ?? ''])));
  }
  return { rows, rejected };
}

function firstOf(row: Row, ...names: readonly string[]): string | undefined {
  return names.map((n) => row.get(n)).find((v) => text(v) !== null);
}

type Identity = Pick<GpuDevice, 'uuid' | 'product' | 'pciBusId' | 'memoryTotalMiB'>;

function readIdentity(row: Row): Identity | string[] {
  const uuid = formatted(row.get('uuid'), 'gpu-uuid');
  const product = boundedText(row.get('name'));
  const bus = pciBusId(row.get('pci.bus_id'));
  const memoryTotalMiB = wholeQuantity(row.get('memory.total'), 'MiB', L.memoryMiB);
  if (uuid !== null && product !== null && bus !== null && memoryTotalMiB !== null) {
    return { uuid, product, pciBusId: bus, memoryTotalMiB };
  }
  return Object.entries({ uuid, name: product, 'pci.bus_id': bus, 'memory.total': memoryTotalMiB })
    .filter(([, v]) => v === null)
    .map(([k]) => k);
}

function readGpuRow(row: Row, position: number): GpuDevice | string[] {
  const id = readIdentity(row);
  if (Array.isArray(id)) return id;
  const ecc = integer(row.get('ecc.errors.uncorrected.volatile.total'), L.count);
  return {
    index: integer(row.get('index'), L.index) ?? position,
    ...id,
    brand: null,
    architecture: null,
    pciDeviceId: pciDeviceId(row.get('pci.device_id')),
    memoryUsedMiB: wholeQuantity(row.get('memory.used'), 'MiB', L.memoryMiB),
    memoryFreeMiB: wholeQuantity(row.get('memory.free'), 'MiB', L.memoryMiB),
    computeCapability: formatted(row.get('compute_cap'), 'compute-capability'),
    temperatureC: quantity(row.get('temperature.gpu'), 'C', L.temperatureC),
    powerDrawW: quantity(
      firstOf(row, 'power.draw', 'power.draw.instant', 'power.draw.average'),
      'W',
      L.powerW,
    ),
    powerLimitW: quantity(firstOf(row, 'enforced.power.limit', 'power.limit'), 'W', L.powerW),
    utilizationGpuPct: quantity(row.get('utilization.gpu'), '%', L.percent),
    eccMode: onOff(row.get('ecc.mode.current')),
    eccUncorrectedVolatile: ecc,
    migMode: onOff(row.get('mig.mode.current')),
    migDevices: [],
    processes: [],
    ...gpuHealth({
      eccUncorrectedVolatile: ecc,
      retiredPagesPending: yesNo(row.get('retired_pages.pending')),
      remappedRowsPending: yesNo(row.get('remapped_rows.pending')),
      remappedRowsFailure: yesNo(row.get('remapped_rows.failure')),
      recoveryAction: text(row.get('gpu_recovery_action')),
    }),
  };
}

function csvError(code: string, message: string): GpuReport {
  return emptyGpuReport('csv', { code, message: boundedText(message) ?? 'unreadable output' });
}

function readReport(output: string, fields: readonly string[]): GpuReport {
  const table = readTable(output, fields);
  const gpus: GpuDevice[] = [];
  const left: string[] = [];
  table.rows.forEach((row, i) => {
    const gpu = readGpuRow(row, i);
    if (Array.isArray(gpu)) left.push(`row ${i + 1} lacks ${gpu.join(', ')}`);
    else gpus.push(gpu);
  });
  if (gpus.length === 0 && (table.rejected.length > 0 || left.length > 0)) {
    // nvidia-smi prints its errors (`Field "x" is not a valid field to query.`) in place of rows.
    const first = table.rejected[0] ?? left[0] ?? '';
    return csvError(NVIDIA_SMI_ERROR_CODES.malformed, `no readable GPU row; first line: ${first.trim()}`);
  }
  if (table.rejected.length > 0) left.push(`${table.rejected.length} line(s) of the wrong width`);
  const report: GpuReport = {
    driverVersion: formatted(
      table.rows.map((r) => r.get('driver_version')).find((v) => text(v) !== null),
      'driver-version',
    ),
    cudaVersion: null,
    gpus: gpus.slice(0, L.maxGpus),
    source: 'csv',
  };
  if (gpus.length > L.maxGpus) left.push(`only the first ${L.maxGpus} of ${gpus.length} GPUs are reported`);
  if (left.length === 0) return salvageGpuReport(report);
  return salvageGpuReport({
    ...report,
    error: { code: NVIDIA_SMI_ERROR_CODES.incomplete, message: left.join('; ') },
  });
}

/**
 * Parses `--query-gpu` CSV, with or without header and units. Without a header the columns are
 * `fields` (default: QUERY_GPU_FIELDS, the agent's query). CSV has no MIG devices, architecture,
 * brand or CUDA version: merge `-L` (mergeMigList) for MIG. Never throws.
 */
export function parseQueryGpuCsv(output: string, fields: readonly string[] = QUERY_GPU_FIELDS): GpuReport {
  try {
    if (typeof output !== 'string') return csvError(NVIDIA_SMI_ERROR_CODES.malformed, 'output is not text');
    if (output.length > MAX_NVIDIA_SMI_OUTPUT_CHARS) {
      return csvError(NVIDIA_SMI_ERROR_CODES.tooLarge, `output has ${output.length} characters`);
    }
    if (isNoDevicesMessage(output) || output.trim() === '') return emptyGpuReport('csv');
    return readReport(output, fields);
  } catch (e) {
    return csvError(
      NVIDIA_SMI_ERROR_CODES.malformed,
      `could not read the CSV: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

export interface ComputeApp {
  readonly gpuUuid: string;
  readonly pid: number;
  readonly name: string;
  readonly usedMemoryMiB: number | null;
}

/** Parses `--query-compute-apps` CSV (header or `fields`); unreadable rows are skipped. Never throws. */
export function parseComputeAppsCsv(
  output: string,
  fields: readonly string[] = QUERY_COMPUTE_APPS_FIELDS,
): ComputeApp[] {
  try {
    if (typeof output !== 'string' || output.length > MAX_NVIDIA_SMI_OUTPUT_CHARS) return [];
    const apps: ComputeApp[] = [];
    for (const row of readTable(output, fields).rows) {
      const gpuUuid = formatted(row.get('uuid'), 'gpu-uuid');
      const pid = integer(row.get('pid'), L.pid);
      if (gpuUuid === null || pid === null) continue;
      const name = boundedText(row.get('process_name')) ?? '';
      apps.push({
        gpuUuid,
        pid,
        name,
        usedMemoryMiB: wholeQuantity(row.get('used_memory'), 'MiB', L.memoryMiB),
      });
    }
    return apps;
  } catch {
    return [];
  }
}

function asProcess(app: ComputeApp): GpuProcess {
  const { pid, name, usedMemoryMiB } = app;
  return { pid, type: 'C', name, usedMemoryMiB, gpuInstanceId: null, computeInstanceId: null };
}

/** Gives each GPU that lists no processes the compute apps on it (matched by GPU UUID). */
export function mergeComputeApps(report: GpuReport, apps: readonly ComputeApp[]): GpuReport {
  const gpus = report.gpus.map((g) => {
    if (g.processes.length > 0) return g;
    const mine = apps.filter((a) => a.gpuUuid.toLowerCase() === g.uuid.toLowerCase());
    return mine.length === 0 ? g : { ...g, processes: mine.slice(0, L.maxProcesses).map(asProcess) };
  });
  return salvageGpuReport({ ...report, gpus });
}

/** Fields the XML lacks (compute capability) or could not read, filled from a CSV report of the same GPUs. */
export function mergeCsvDetails(xml: GpuReport, csv: GpuReport): GpuReport {
  const gpus = xml.gpus.map((g) => {
    const c = csv.gpus.find((o) => o.uuid.toLowerCase() === g.uuid.toLowerCase());
    if (c === undefined) return g;
    return {
      ...g,
      computeCapability: g.computeCapability ?? c.computeCapability,
      pciDeviceId: g.pciDeviceId ?? c.pciDeviceId,
      temperatureC: g.temperatureC ?? c.temperatureC,
      powerDrawW: g.powerDrawW ?? c.powerDrawW,
      powerLimitW: g.powerLimitW ?? c.powerLimitW,
      utilizationGpuPct: g.utilizationGpuPct ?? c.utilizationGpuPct,
    };
  });
  return salvageGpuReport({ ...xml, gpus, driverVersion: xml.driverVersion ?? csv.driverVersion });
}
