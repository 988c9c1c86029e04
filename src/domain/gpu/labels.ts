// The node labels and extended-resource capacity the control plane derives from a GPU report:
// GFD-style `nvidia.com/*`, ACK's `aliyun.accelerator/*`, and `nvidia.com/gpu` / `nvidia.com/mig-*`.
import type { GpuDevice, GpuReport, MigDevice } from './report.js';

export type MigStrategy = 'none' | 'single' | 'mixed';

export interface GpuLabelOptions {
  /** As the device plugin is configured; `none` when absent. */
  readonly migStrategy?: MigStrategy;
}

export const GPU_RESOURCE = 'nvidia.com/gpu';

/**
 * GFD's model sanitising: characters outside `[A-Za-z0-9-_. ]` are dropped and spaces become `-`
 * (`NVIDIA H100 80GB HBM3` → `NVIDIA-H100-80GB-HBM3`). The result is also cut to a valid label value.
 */
export function sanitizeProduct(name: string): string {
  return labelValue(name.replace(/[^A-Za-z0-9\-_. ]/g, '').replace(/ /g, '-'));
}

/** A Kubernetes label value: at most 63 characters, alphanumeric at both ends (or empty). */
export function labelValue(value: string): string {
  return value
    .replace(/[^A-Za-z0-9\-_.]/g, '')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[^A-Za-z0-9]+$/, '');
}

interface ComputeCapability {
  readonly major: number;
  readonly minor: number;
}

function parseComputeCapability(cc: string | null): ComputeCapability | null {
  const m = cc === null ? null : /^(\d+)\.(\d+)$/.exec(cc);
  if (m?.[1] === undefined || m[2] === undefined) return null;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

const FAMILY_BY_MAJOR: Readonly<Record<number, string>> = {
  1: 'tesla',
  2: 'fermi',
  3: 'kepler',
  5: 'maxwell',
  6: 'pascal',
  9: 'hopper',
  10: 'blackwell',
  // CUDA 13 renumbered Thor (a Blackwell part) from 10.1 to 11.0.
  11: 'blackwell',
  12: 'blackwell',
  13: 'rubin',
};

function familyFromCapability(cc: ComputeCapability): string | null {
  if (cc.major === 7) return cc.minor < 5 ? 'volta' : 'turing';
  if (cc.major === 8) return cc.minor === 9 ? 'ada-lovelace' : 'ampere';
  return FAMILY_BY_MAJOR[cc.major] ?? null;
}

/** Family from the compute capability (GFD's table); else from the architecture name (`Ada Lovelace` → `ada-lovelace`). */
export function gpuFamily(computeCapability: string | null, architecture: string | null): string | null {
  const cc = parseComputeCapability(computeCapability);
  const fromCc = cc === null ? null : familyFromCapability(cc);
  if (fromCc !== null) return fromCc;
  const fromArch = architecture === null ? '' : labelValue(architecture.toLowerCase().replace(/ /g, '-'));
  return fromArch === '' ? null : fromArch;
}

function byIndex(report: GpuReport): GpuDevice[] {
  return [...report.gpus].sort((a, b) => a.index - b.index);
}

/**
 * The GPU the model labels describe. GFD labels one model per node; on a node with mixed models
 * (rare) we describe the lowest-index GPU's model, and `gpu.count` counts GPUs of that model.
 */
function primaryGpu(gpus: readonly GpuDevice[]): GpuDevice | undefined {
  return gpus[0];
}

function setVersionLabels(out: Record<string, string>, report: GpuReport): void {
  const driver = report.driverVersion?.split('.') ?? [];
  if (report.driverVersion !== null && driver.length >= 2 && driver.length <= 3) {
    out['nvidia.com/cuda.driver-version.major'] = driver[0] ?? '';
    out['nvidia.com/cuda.driver-version.minor'] = driver[1] ?? '';
    out['nvidia.com/cuda.driver-version.revision'] = driver[2] ?? '';
    out['nvidia.com/cuda.driver-version.full'] = report.driverVersion;
  }
  const cuda = /^(\d+)\.(\d+)/.exec(report.cudaVersion ?? '');
  if (cuda?.[1] !== undefined && cuda[2] !== undefined) {
    out['nvidia.com/cuda.runtime-version.major'] = String(Number(cuda[1]));
    out['nvidia.com/cuda.runtime-version.minor'] = String(Number(cuda[2]));
    out['nvidia.com/cuda.runtime-version.full'] = `${Number(cuda[1])}.${Number(cuda[2])}`;
  }
}

function setFullGpuLabels(out: Record<string, string>, gpus: readonly GpuDevice[], primary: GpuDevice): void {
  out['nvidia.com/gpu.present'] = 'true';
  out['nvidia.com/gpu.product'] = sanitizeProduct(primary.product);
  out['nvidia.com/gpu.count'] = String(gpus.filter((g) => g.product === primary.product).length);
  out['nvidia.com/gpu.memory'] = String(primary.memoryTotalMiB);
  const family = gpuFamily(primary.computeCapability, primary.architecture);
  if (family !== null) out['nvidia.com/gpu.family'] = family;
  const cc = parseComputeCapability(primary.computeCapability);
  if (cc !== null) {
    out['nvidia.com/gpu.compute.major'] = String(cc.major);
    out['nvidia.com/gpu.compute.minor'] = String(cc.minor);
  }
  out['nvidia.com/mig.capable'] = String(gpus.some((g) => g.migMode !== null));
}

function setAckLabels(out: Record<string, string>, gpus: readonly GpuDevice[], primary: GpuDevice): void {
  out['aliyun.accelerator/nvidia_name'] = sanitizeProduct(primary.product);
  out['aliyun.accelerator/nvidia_count'] = String(gpus.length);
  out['aliyun.accelerator/nvidia_mem'] = `${primary.memoryTotalMiB}MiB`;
}

// ---------------------------------------------------------------------------------------------
// MIG: devices grouped by profile, as the device plugin and GFD name them.

interface MigGroup {
  /** The profile, or null when the report does not name it (XML without `-L`). */
  readonly profile: string | null;
  readonly parent: GpuDevice;
  readonly first: MigDevice;
  count: number;
}

function migGroupKey(d: MigDevice): string {
  return d.profile ?? `?${d.memoryTotalMiB ?? '?'}/${d.multiprocessorCount ?? '?'}`;
}

function migGroups(gpus: readonly GpuDevice[]): MigGroup[] {
  const groups = new Map<string, MigGroup>();
  for (const gpu of gpus.filter((g) => g.migMode === 'enabled')) {
    for (const d of gpu.migDevices) {
      const key = migGroupKey(d);
      const group = groups.get(key);
      if (group === undefined) groups.set(key, { profile: d.profile, parent: gpu, first: d, count: 1 });
      else group.count += 1;
    }
  }
  return [...groups.values()];
}

/** `1g.10gb+me` → `1g.10gb.me`: the device plugin's spelling inside a resource name. */
export function migResourceSuffix(profile: string): string {
  return profile.replace(/\+/g, '.');
}

function slices(profile: string | null): { gi: number; ci: number } | null {
  const m = profile === null ? null : /^(?:(\d+)c\.)?(\d+)g\./.exec(profile);
  if (m?.[2] === undefined) return null;
  const gi = Number(m[2]);
  return { gi, ci: m[1] === undefined ? gi : Number(m[1]) };
}

function migProduct(group: MigGroup): string {
  const parts = [group.parent.product.replace(/ /g, '-'), 'MIG', group.profile ?? ''].filter((p) => p !== '');
  return sanitizeProduct(parts.join('-'));
}

function migAttributeLabels(prefix: string, group: MigGroup): Record<string, string> {
  const out: Record<string, string> = {};
  out[`${prefix}.product`] = migProduct(group);
  out[`${prefix}.count`] = String(group.count);
  if (group.first.memoryTotalMiB !== null) out[`${prefix}.memory`] = String(group.first.memoryTotalMiB);
  if (group.first.multiprocessorCount !== null) {
    out[`${prefix}.multiprocessors`] = String(group.first.multiprocessorCount);
  }
  const s = slices(group.profile);
  if (s !== null) {
    out[`${prefix}.slices.gi`] = String(s.gi);
    out[`${prefix}.slices.ci`] = String(s.ci);
  }
  return out;
}

type SingleVerdict =
  | { readonly kind: 'no-mig' }
  | { readonly kind: 'valid'; readonly group: MigGroup }
  | { readonly kind: 'invalid'; readonly reason: string };

/** GFD's rule for `single`: every GPU MIG-enabled and not empty, and one MIG device type on the node. */
function singleVerdict(gpus: readonly GpuDevice[]): SingleVerdict {
  const enabled = gpus.filter((g) => g.migMode === 'enabled');
  if (enabled.length === 0) return { kind: 'no-mig' };
  if (enabled.some((g) => g.migDevices.length === 0)) return { kind: 'invalid', reason: 'empty' };
  if (enabled.length !== gpus.length) return { kind: 'invalid', reason: 'mixed-mig-modes' };
  const groups = migGroups(gpus);
  const only = groups[0];
  if (groups.length !== 1 || only === undefined) return { kind: 'invalid', reason: 'several-profiles' };
  return { kind: 'valid', group: only };
}

function setSingleLabels(out: Record<string, string>, gpus: readonly GpuDevice[], primary: GpuDevice): void {
  const verdict = singleVerdict(gpus);
  if (verdict.kind === 'no-mig') return;
  if (verdict.kind === 'invalid') {
    out['nvidia.com/gpu.product'] = sanitizeProduct(`${primary.product.replace(/ /g, '-')}-MIG-INVALID`);
    out['nvidia.com/gpu.count'] = '0';
    out['nvidia.com/gpu.memory'] = '0';
    return;
  }
  Object.assign(out, migAttributeLabels(GPU_RESOURCE, verdict.group));
  if (verdict.group.first.memoryTotalMiB === null) delete out['nvidia.com/gpu.memory'];
}

function setMixedLabels(out: Record<string, string>, gpus: readonly GpuDevice[]): void {
  for (const group of migGroups(gpus)) {
    if (group.profile === null) continue;
    Object.assign(out, migAttributeLabels(`nvidia.com/mig-${migResourceSuffix(group.profile)}`, group));
  }
}

/**
 * Node labels for the GPUs in a report. Zero GPUs → no labels at all. Under `single` and `mixed`
 * the MIG labels are added as GFD does (`single` overrides product/count/memory with the MIG
 * device's, or marks the node `-MIG-INVALID` when its MIG layout does not suit `single`).
 */
export function gpuLabels(report: GpuReport, opts: GpuLabelOptions = {}): Record<string, string> {
  const gpus = byIndex(report);
  const primary = primaryGpu(gpus);
  if (primary === undefined) return {};
  const strategy = opts.migStrategy ?? 'none';
  const out: Record<string, string> = {};
  setFullGpuLabels(out, gpus, primary);
  setVersionLabels(out, report);
  setAckLabels(out, gpus, primary);
  if (strategy !== 'none') out['nvidia.com/mig.strategy'] = strategy;
  if (strategy === 'single') setSingleLabels(out, gpus, primary);
  if (strategy === 'mixed') setMixedLabels(out, gpus);
  return out;
}

/**
 * Extended-resource capacity the device plugin would advertise. `none`: whole GPUs without MIG.
 * `single`: MIG devices as `nvidia.com/gpu` (0 when the layout does not suit `single`; whole GPUs
 * when no GPU has MIG on). `mixed`: whole GPUs plus `nvidia.com/mig-<profile>` per profile (MIG
 * devices whose profile is unknown are not counted). Zero GPUs → `{}`.
 */
export function gpuCapacity(report: GpuReport, strategy: MigStrategy = 'none'): Record<string, number> {
  const gpus = byIndex(report);
  if (gpus.length === 0) return {};
  const whole = gpus.filter((g) => g.migMode !== 'enabled').length;
  if (strategy === 'none') return { [GPU_RESOURCE]: whole };
  if (strategy === 'single') {
    const verdict = singleVerdict(gpus);
    if (verdict.kind === 'no-mig') return { [GPU_RESOURCE]: whole };
    return { [GPU_RESOURCE]: verdict.kind === 'valid' ? verdict.group.count : 0 };
  }
  const out: Record<string, number> = whole > 0 ? { [GPU_RESOURCE]: whole } : {};
  for (const group of migGroups(gpus)) {
    if (group.profile === null) continue;
    const name = `nvidia.com/mig-${migResourceSuffix(group.profile)}`;
    out[name] = (out[name] ?? 0) + group.count;
  }
  return out;
}
