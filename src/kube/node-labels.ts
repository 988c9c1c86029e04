// Node labels a worker registers with, from what its instance type tells (M42): GFD-style
// `nvidia.com/gpu.*` and ACK's `aliyun.accelerator/*`. The agent and GFD later see the real devices.
import { findInstanceType, nvidiaProduct } from '../domain/catalogue/index.js';
import { sanitizeProduct } from '../domain/gpu/index.js';

/** GFD's family names for the catalogue's generations. */
const GFD_FAMILY: Readonly<Record<string, string>> = {
  pascal: 'pascal',
  volta: 'volta',
  turing: 'turing',
  ampere: 'ampere',
  ada: 'ada-lovelace',
  hopper: 'hopper',
  blackwell: 'blackwell',
};

/**
 * Labels for `kubelet --node-labels` (NodeRestriction allows these prefixes). Whole GPUs only: a vGPU
 * slice gets `gpu.present` and a count of one, FPGA and unknown types get nothing. Memory is the
 * nominal size in MiB (the board reports slightly less; GFD corrects it once it runs).
 */
export function instanceTypeNodeLabels(instanceType: string | null): Record<string, string> {
  const t = instanceType === null ? undefined : findInstanceType(instanceType);
  if (!t || t.accelerator.vendor !== 'nvidia') return {};
  const out: Record<string, string> = { 'nvidia.com/gpu.present': 'true' };
  const count = t.category === 'vgpu' ? 1 : Math.floor(t.accelerator.count);
  // The product label only where Alibaba names the model, so it equals what GFD will write.
  const known = nvidiaProduct(t);
  const product = t.category === 'vgpu' || !known?.named ? null : known.name;
  const memoryMiB = t.category === 'vgpu' ? null : Math.round(t.accelerator.memoryGiB * 1024);
  out['nvidia.com/gpu.count'] = String(count);
  if (product !== null) out['nvidia.com/gpu.product'] = sanitizeProduct(product);
  if (memoryMiB !== null) out['nvidia.com/gpu.memory'] = String(memoryMiB);
  const family = GFD_FAMILY[t.generation];
  if (family !== undefined) out['nvidia.com/gpu.family'] = family;
  if (product !== null) out['aliyun.accelerator/nvidia_name'] = sanitizeProduct(product);
  out['aliyun.accelerator/nvidia_count'] = String(count);
  if (memoryMiB !== null) out['aliyun.accelerator/nvidia_mem'] = `${memoryMiB}MiB`;
  return out;
}

/** `k=v,k=v` in key order, as `--node-labels` takes them. */
export function nodeLabelsArg(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k] ?? ''}`)
    .join(',');
}
