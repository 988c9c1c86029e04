// What nvidia-smi prints as the product name of an instance type's GPUs, derived from the catalogue:
// one answer for the bootstrap's node labels and the emulator's GPU reports. Pure.
import type { InstanceType } from './instance-types.js';

export interface NvidiaProduct {
  /** e.g. `NVIDIA A10`, `Tesla T4`, `Tesla V100-SXM2-32GB`, `NVIDIA A10-4Q` (a vGPU slice). */
  readonly name: string;
  /**
   * True when Alibaba's tables name the model; false when the name comes from the unverified
   * `modelHint` (or is a bare `NVIDIA GPU`), which only the real device can confirm.
   */
  readonly named: boolean;
}

/**
 * The product name nvidia-smi reports for the type's GPUs; null for types without NVIDIA GPUs.
 * Older boards say `Tesla …`; a vGPU slice is the board with its frame buffer in GiB and `Q`.
 */
export function nvidiaProduct(t: InstanceType): NvidiaProduct | null {
  const a = t.accelerator;
  if (a.vendor !== 'nvidia') return null;
  const named = a.model !== null;
  const model = a.model ?? (a.modelHint ? `NVIDIA ${a.modelHint}` : 'NVIDIA GPU');
  const name = (() => {
    if (a.count < 1) return `${model}-${Math.round(a.memoryGiB)}Q`;
    if (model === 'NVIDIA T4' || model === 'NVIDIA P4') return model.replace('NVIDIA', 'Tesla');
    if (model === 'NVIDIA V100 SXM2') return `Tesla V100-SXM2-${a.memoryGiB}GB`;
    if (model === 'NVIDIA P100') return 'Tesla P100-PCIE-16GB';
    if (model.startsWith('NVIDIA A100')) return `NVIDIA A100-SXM4-${a.memoryGiB}GB`;
    return model;
  })();
  return { name, named };
}
