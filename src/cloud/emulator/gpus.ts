// The GPUs an emulated instance "has": a GPU report like the node agent sends, derived from the
// instance type (model, count, memory) with UUIDs and PCI bus ids that are stable per instance.
import { createHash } from 'node:crypto';
import { findInstanceType, nvidiaProduct } from '../../domain/catalogue/index.js';
import type { GpuDevice, GpuReport } from '../../domain/gpu/report.js';

/** The driver the emulated nodes run (R550, CUDA 12.4, as ACK's GPU images ship in 2025). */
export const EMULATED_DRIVER = { driverVersion: '550.127.08', cudaVersion: '12.4' } as const;

const COMPUTE_CAPABILITY: Readonly<Record<string, string>> = {
  maxwell: '5.2',
  pascal: '6.1',
  volta: '7.0',
  turing: '7.5',
  ampere: '8.6',
  ada: '8.9',
  hopper: '9.0',
  blackwell: '10.0',
};

function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * The report an emulated node's agent would send; `source: 'none'` with no GPUs for FPGA and unknown
 * types (no nvidia-smi there). Memory is the nominal size; real boards report slightly less.
 */
export function emulatedGpuReport(instanceId: string, instanceType: string): GpuReport {
  const t = findInstanceType(instanceType);
  if (!t || t.accelerator.vendor !== 'nvidia')
    return { driverVersion: null, cudaVersion: null, gpus: [], source: 'none' };
  const count = Math.max(1, Math.floor(t.accelerator.count));
  // Where Alibaba names no model the emulator still shows one: the hint, or `NVIDIA GPU`.
  const product = nvidiaProduct(t)?.name ?? 'NVIDIA GPU';
  const gpus: GpuDevice[] = Array.from({ length: count }, (_, i) => ({
    index: i,
    uuid: `GPU-${uuidFrom(`${instanceId}:${i}`)}`,
    product,
    brand: t.accelerator.count < 1 ? 'NVIDIA RTX Virtual Workstation' : 'NVIDIA',
    architecture: t.generation.charAt(0).toUpperCase() + t.generation.slice(1),
    pciBusId: `00000000:${(0x07 + i).toString(16).toUpperCase().padStart(2, '0')}:00.0`,
    pciDeviceId: null,
    memoryTotalMiB: Math.round(t.accelerator.memoryGiB * 1024),
    memoryUsedMiB: 0,
    memoryFreeMiB: Math.round(t.accelerator.memoryGiB * 1024),
    computeCapability: /A100|A30|H20/.test(product)
      ? t.generation === 'hopper'
        ? '9.0'
        : '8.0'
      : (COMPUTE_CAPABILITY[t.generation] ?? null),
    temperatureC: 32 + i,
    powerDrawW: 30,
    powerLimitW: null,
    utilizationGpuPct: 0,
    eccMode: t.accelerator.count < 1 ? null : 'enabled',
    eccUncorrectedVolatile: 0,
    migMode: null,
    migDevices: [],
    processes: [],
    health: 'ok',
    healthReasons: [],
  }));
  return { ...EMULATED_DRIVER, gpus, source: 'xml' };
}
