// Reads `nvidia-smi -L` (one line per GPU, indented lines per MIG device) and merges it into a
// report: the XML and the CSV do not name MIG profiles, and the CSV does not list MIG devices at all.
import { GPU_REPORT_LIMITS as L, salvageGpuReport } from '../../domain/gpu/index.js';
import type { GpuDevice, GpuReport, MigDevice } from '../../domain/gpu/index.js';
import { boundedText, formatted, integer } from './units.js';

export interface ListedMigDevice {
  readonly index: number;
  readonly profile: string | null;
  readonly uuid: string | null;
}

export interface ListedGpu {
  readonly index: number;
  readonly product: string;
  readonly uuid: string | null;
  readonly migDevices: readonly ListedMigDevice[];
}

// `GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-…)`; the UUID part is optional so odd lines still count.
const GPU_LINE = /^GPU\s+(\d+)\s*:\s*(.*?)\s*(?:\(UUID:\s*([^)]*?)\s*\))?\s*$/;
// `  MIG 3g.40gb     Device  0: (UUID: MIG-…)`
const MIG_LINE = /^MIG\s+(\S+)\s+Device\s+(\d+)\s*:\s*(?:\(UUID:\s*([^)]*?)\s*\))?\s*$/;

interface GpuBuilder {
  readonly index: number;
  readonly product: string;
  readonly uuid: string | null;
  readonly migDevices: ListedMigDevice[];
}

function readGpuLine(line: string): GpuBuilder | null {
  const m = GPU_LINE.exec(line);
  const index = integer(m?.[1], L.index);
  const product = boundedText(m?.[2]);
  if (index === null || product === null) return null;
  return { index, product, uuid: formatted(m?.[3], 'gpu-uuid'), migDevices: [] };
}

function readMigLine(line: string): ListedMigDevice | null {
  const m = MIG_LINE.exec(line);
  const index = integer(m?.[2], L.index);
  if (index === null) return null;
  return { index, profile: formatted(m?.[1], 'mig-profile'), uuid: formatted(m?.[3], 'mig-uuid') };
}

/** Parses `nvidia-smi -L`. Lines it does not recognise are skipped; never throws. */
export function parseNvidiaSmiList(output: string): ListedGpu[] {
  const gpus: GpuBuilder[] = [];
  if (typeof output !== 'string') return gpus;
  for (const raw of output.split(/\r?\n/)) {
    const line = raw.trim();
    const gpu = readGpuLine(line);
    if (gpu !== null) {
      if (gpus.length < L.maxGpus) gpus.push(gpu);
      continue;
    }
    const mig = readMigLine(line);
    const last = gpus[gpus.length - 1];
    if (mig !== null && last !== undefined && last.migDevices.length < L.maxMigDevices) {
      if (!last.migDevices.some((d) => d.index === mig.index)) last.migDevices.push(mig);
    }
  }
  return gpus;
}

/** R450 printed `MIG-GPU-<uuid>/<gi>/<ci>`; the ids in it are the instance ids. */
function instanceIdsFromUuid(uuid: string | null): { gi: number | null; ci: number | null } {
  const m = uuid === null ? null : /\/(\d{1,4})\/(\d{1,4})$/.exec(uuid);
  return { gi: integer(m?.[1], L.instanceId), ci: integer(m?.[2], L.instanceId) };
}

function fromListed(d: ListedMigDevice): MigDevice {
  const ids = instanceIdsFromUuid(d.uuid);
  return {
    index: d.index,
    gpuInstanceId: ids.gi,
    computeInstanceId: ids.ci,
    profile: d.profile,
    uuid: d.uuid,
    memoryTotalMiB: null,
    multiprocessorCount: null,
  };
}

function fillMigDevice(d: MigDevice, listed: ListedMigDevice | undefined): MigDevice {
  if (listed === undefined) return d;
  return { ...d, profile: d.profile ?? listed.profile, uuid: d.uuid ?? listed.uuid };
}

function findListed(gpu: GpuDevice, listed: readonly ListedGpu[]): ListedGpu | undefined {
  const byUuid = listed.find((l) => l.uuid !== null && l.uuid.toLowerCase() === gpu.uuid.toLowerCase());
  if (byUuid !== undefined) return byUuid;
  return listed.find((l) => l.uuid === null && l.index === gpu.index && l.product === gpu.product);
}

function mergeGpu(gpu: GpuDevice, listed: ListedGpu | undefined): GpuDevice {
  if (listed === undefined || listed.migDevices.length === 0 || gpu.migMode === 'disabled') return gpu;
  if (gpu.migDevices.length === 0) {
    return { ...gpu, migMode: 'enabled', migDevices: listed.migDevices.map(fromListed) };
  }
  const migDevices = gpu.migDevices.map((d) =>
    fillMigDevice(
      d,
      listed.migDevices.find((l) => l.index === d.index),
    ),
  );
  return { ...gpu, migDevices };
}

/**
 * Fills MIG profiles and UUIDs the report lacks from `nvidia-smi -L` (matched by GPU UUID, then by
 * MIG device index), and adds the MIG devices of a MIG-enabled GPU that has none (a CSV report).
 * A GPU whose MIG mode is `disabled` is left alone.
 */
export function mergeMigList(report: GpuReport, listed: readonly ListedGpu[]): GpuReport {
  const gpus = report.gpus.map((g) => mergeGpu(g, findListed(g, listed)));
  return salvageGpuReport({ ...report, gpus });
}
