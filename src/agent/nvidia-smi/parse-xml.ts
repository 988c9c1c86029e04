// Reads `nvidia-smi -q -x` output (DTD v8–v13) into a GpuReport, by element name: elements may be
// missing, renamed or reordered. Never throws; output we cannot read is an NVIDIA_SMI_MALFORMED report.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  emptyGpuReport,
  GPU_REPORT_LIMITS as L,
  gpuHealth,
  NVIDIA_SMI_ERROR_CODES,
  salvageGpuReport,
} from '../../domain/gpu/index.js';
import type { GpuDevice, GpuProcess, GpuReport, MigDevice } from '../../domain/gpu/index.js';
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

/** Larger output than this is refused unread (a real 8-GPU document is well under 2 MiB). */
export const MAX_NVIDIA_SMI_OUTPUT_CHARS = 32 * 1024 * 1024;

type XmlNode = Readonly<Record<string, unknown>>;

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Walks child elements by name; undefined as soon as one is missing or is text. */
function child(node: unknown, ...names: readonly string[]): unknown {
  let at: unknown = node;
  for (const name of names) {
    if (!isNode(at) || !Object.prototype.hasOwnProperty.call(at, name)) return undefined;
    at = at[name];
  }
  return at;
}

/** The first of several (renamed) elements that holds a reading. */
function firstReading(...values: readonly unknown[]): unknown {
  return values.find((v) => text(v) !== null);
}

/** One element or several: the parser gives an object for one and an array for more. */
function asArray(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function malformed(message: string): GpuReport {
  const clean = text(message) ?? 'unreadable output';
  return emptyGpuReport('xml', { code: NVIDIA_SMI_ERROR_CODES.malformed, message: clean });
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  htmlEntities: false,
});

// ---------------------------------------------------------------------------------------------
// Parts of a <gpu> element.

function readMigDevice(node: unknown): MigDevice | null {
  const index = integer(child(node, 'index'), L.index);
  if (index === null) return null;
  return {
    index,
    gpuInstanceId: integer(child(node, 'gpu_instance_id'), L.instanceId),
    computeInstanceId: integer(child(node, 'compute_instance_id'), L.instanceId),
    profile: formatted(child(node, 'profile'), 'mig-profile'),
    uuid: formatted(child(node, 'uuid'), 'mig-uuid'),
    memoryTotalMiB: wholeQuantity(child(node, 'fb_memory_usage', 'total'), 'MiB', L.memoryMiB),
    multiprocessorCount: integer(
      child(node, 'device_attributes', 'shared', 'multiprocessor_count'),
      L.multiprocessors,
    ),
  };
}

/** `<mig_devices>` holds `<mig_device>` elements, or the text `None`. Duplicate indices keep the first. */
function readMigDevices(migDevices: unknown): MigDevice[] {
  const out: MigDevice[] = [];
  for (const node of asArray(child(migDevices, 'mig_device'))) {
    const d = readMigDevice(node);
    if (d !== null && !out.some((o) => o.index === d.index)) out.push(d);
  }
  return out.slice(0, L.maxMigDevices);
}

function readProcess(node: unknown): GpuProcess | null {
  const pid = integer(child(node, 'pid'), L.pid);
  if (pid === null) return null;
  return {
    pid,
    type: boundedText(child(node, 'type')) ?? '',
    name: boundedText(child(node, 'process_name')) ?? '',
    usedMemoryMiB: wholeQuantity(child(node, 'used_memory'), 'MiB', L.memoryMiB),
    gpuInstanceId: integer(child(node, 'gpu_instance_id'), L.instanceId),
    computeInstanceId: integer(child(node, 'compute_instance_id'), L.instanceId),
  };
}

/** `<processes>` holds `<process_info>` elements, or is empty, or is text. */
function readProcesses(processes: unknown): GpuProcess[] {
  const out: GpuProcess[] = [];
  for (const node of asArray(child(processes, 'process_info'))) {
    const p = readProcess(node);
    if (p !== null) out.push(p);
  }
  return out.slice(0, L.maxProcesses);
}

function sumIntegers(values: readonly unknown[]): number | null {
  const numbers = values.map((v) => integer(v, L.count)).filter((n): n is number => n !== null);
  if (numbers.length === 0) return null;
  const total = numbers.reduce((a, b) => a + b, 0);
  return total <= L.count.max ? total : null;
}

/**
 * Uncorrectable volatile ECC errors. Old DTDs: `volatile/double_bit/{…, total}`. Newer:
 * `volatile/{sram_uncorrectable, dram_uncorrectable}`, and v13 splits SRAM into `_parity`/`_secded`.
 */
function eccUncorrectedVolatile(volatile: unknown): number | null {
  if (!isNode(volatile)) return null;
  const doubleBit = volatile['double_bit'];
  if (isNode(doubleBit)) {
    const total = integer(doubleBit['total'], L.count);
    return total ?? sumIntegers(Object.entries(doubleBit).map(([, v]) => v));
  }
  const keys = Object.keys(volatile).filter((k) => k.includes('uncorrectable'));
  const hasSramTotal = integer(volatile['sram_uncorrectable'], L.count) !== null;
  const parts = keys.filter((k) => !(hasSramTotal && k.startsWith('sram_uncorrectable_')));
  return sumIntegers(parts.map((k) => volatile[k]));
}

function readHealth(gpu: XmlNode, ecc: number | null): Pick<GpuDevice, 'health' | 'healthReasons'> {
  const retired = gpu['retired_pages'];
  const remapped = gpu['remapped_rows'];
  const pendingRetirement = yesNo(child(retired, 'pending_retirement'));
  const pendingBlacklist = yesNo(child(retired, 'pending_blacklist'));
  return gpuHealth({
    eccUncorrectedVolatile: ecc,
    retiredPagesPending:
      pendingRetirement === null && pendingBlacklist === null
        ? null
        : pendingRetirement === true || pendingBlacklist === true,
    remappedRowsPending: yesNo(child(remapped, 'remapped_row_pending')),
    remappedRowsFailure: yesNo(child(remapped, 'remapped_row_failure')),
    resetRequired: yesNo(child(gpu, 'gpu_reset_status', 'reset_required')),
    drainAndResetRecommended: yesNo(child(gpu, 'gpu_reset_status', 'drain_and_reset_recommended')),
    recoveryAction: text(gpu['gpu_recovery_action']),
  });
}

/** Power readings moved from `power_readings` to `gpu_power_readings`, and `power_draw` split in v13. */
function readPower(gpu: XmlNode): { draw: number | null; limit: number | null } {
  const p = isNode(gpu['gpu_power_readings']) ? gpu['gpu_power_readings'] : gpu['power_readings'];
  const draw = firstReading(
    child(p, 'power_draw'),
    child(p, 'instant_power_draw'),
    child(p, 'average_power_draw'),
  );
  const limit = firstReading(
    child(p, 'current_power_limit'),
    child(p, 'enforced_power_limit'),
    child(p, 'power_limit'),
  );
  return { draw: quantity(draw, 'W', L.powerW), limit: quantity(limit, 'W', L.powerW) };
}

interface Identity {
  readonly uuid: string;
  readonly product: string;
  readonly pciBusId: string;
  readonly memoryTotalMiB: number;
}

/** The fields a GPU cannot be reported without, or the names of those that are missing. */
function readIdentity(gpu: XmlNode): Identity | string[] {
  const uuid = formatted(gpu['uuid'], 'gpu-uuid');
  const product = boundedText(gpu['product_name']);
  const bus = pciBusId(child(gpu, 'pci', 'pci_bus_id')) ?? pciBusId(gpu['@_id']);
  const memoryTotalMiB = wholeQuantity(child(gpu, 'fb_memory_usage', 'total'), 'MiB', L.memoryMiB);
  const missing = Object.entries({
    uuid,
    product_name: product,
    pci_bus_id: bus,
    fb_memory_total: memoryTotalMiB,
  })
    .filter(([, v]) => v === null)
    .map(([k]) => k);
  if (uuid === null || product === null || bus === null || memoryTotalMiB === null) return missing;
  return { uuid, product, pciBusId: bus, memoryTotalMiB };
}

function readGpu(node: unknown, index: number): GpuDevice | string[] {
  if (!isNode(node)) return ['all fields'];
  const id = readIdentity(node);
  if (Array.isArray(id)) return id;
  const migMode = onOff(child(node, 'mig_mode', 'current_mig'));
  const ecc = eccUncorrectedVolatile(child(node, 'ecc_errors', 'volatile'));
  const power = readPower(node);
  return {
    index,
    ...id,
    brand: boundedText(node['product_brand']),
    architecture: boundedText(node['product_architecture']),
    pciDeviceId: pciDeviceId(child(node, 'pci', 'pci_device_id')),
    memoryUsedMiB: wholeQuantity(child(node, 'fb_memory_usage', 'used'), 'MiB', L.memoryMiB),
    memoryFreeMiB: wholeQuantity(child(node, 'fb_memory_usage', 'free'), 'MiB', L.memoryMiB),
    computeCapability: formatted(node['compute_cap'], 'compute-capability'),
    temperatureC: quantity(child(node, 'temperature', 'gpu_temp'), 'C', L.temperatureC),
    powerDrawW: power.draw,
    powerLimitW: power.limit,
    utilizationGpuPct: quantity(child(node, 'utilization', 'gpu_util'), '%', L.percent),
    eccMode: onOff(child(node, 'ecc_mode', 'current_ecc')),
    eccUncorrectedVolatile: ecc,
    migMode,
    migDevices: migMode === 'enabled' ? readMigDevices(node['mig_devices']) : [],
    processes: readProcesses(node['processes']),
    ...readHealth(node, ecc),
  };
}

// ---------------------------------------------------------------------------------------------

function validationMessage(xml: string): string | null {
  const result = XMLValidator.validate(xml);
  if (result === true) return null;
  const { code, msg, line } = result.err;
  return `not well-formed XML (${code}, line ${line}): ${msg}`;
}

function readDocument(xml: string): GpuReport {
  const invalid = validationMessage(xml);
  if (invalid !== null) return malformed(invalid);
  const doc: unknown = parser.parse(xml);
  if (!isNode(doc) || !Object.prototype.hasOwnProperty.call(doc, 'nvidia_smi_log')) {
    return malformed('no <nvidia_smi_log> root element');
  }
  const root = doc['nvidia_smi_log'];
  // Count the <gpu> elements: `attached_gpus` can disagree with them.
  const nodes = asArray(child(root, 'gpu'));
  const gpus: GpuDevice[] = [];
  const left: string[] = [];
  nodes.forEach((node, i) => {
    const gpu = readGpu(node, i);
    if (Array.isArray(gpu)) left.push(`gpu[${i}] lacks ${gpu.join(', ')}`);
    else gpus.push(gpu);
  });
  if (gpus.length > L.maxGpus) left.push(`only the first ${L.maxGpus} of ${gpus.length} GPUs are reported`);
  const report: GpuReport = {
    driverVersion: formatted(child(root, 'driver_version'), 'driver-version'),
    cudaVersion: formatted(child(root, 'cuda_version'), 'cuda-version'),
    gpus: gpus.slice(0, L.maxGpus),
    source: 'xml',
  };
  if (left.length === 0) return salvageGpuReport(report);
  const error = { code: NVIDIA_SMI_ERROR_CODES.incomplete, message: left.join('; ') };
  return salvageGpuReport({ ...report, error });
}

/** nvidia-smi prints this (not XML) when the driver is loaded but there is no GPU. */
export function isNoDevicesMessage(output: string): boolean {
  return /^\s*no devices were found\s*$/i.test(output);
}

/**
 * Parses `nvidia-smi -q -x` output. GPUs lacking a uuid, name, PCI bus id or memory total are left
 * out and named in an NVIDIA_SMI_INCOMPLETE error; unreadable output gives zero GPUs and
 * NVIDIA_SMI_MALFORMED. The result always passes `validateGpuReport`.
 */
export function parseNvidiaSmiXml(xml: string): GpuReport {
  try {
    if (typeof xml !== 'string') return malformed('output is not text');
    if (xml.length > MAX_NVIDIA_SMI_OUTPUT_CHARS) {
      return emptyGpuReport('xml', {
        code: NVIDIA_SMI_ERROR_CODES.tooLarge,
        message: `output has ${xml.length} characters, more than ${MAX_NVIDIA_SMI_OUTPUT_CHARS}`,
      });
    }
    if (isNoDevicesMessage(xml)) return emptyGpuReport('xml');
    if (xml.trim() === '') return malformed('empty output');
    return readDocument(xml);
  } catch (e) {
    return malformed(`could not read the XML: ${e instanceof Error ? e.message : String(e)}`);
  }
}
