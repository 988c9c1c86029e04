// Per node, what the control plane derives from its latest GPU report: GFD and ACK labels and the
// extended-resource capacity, under the MIG strategy Kuberack's device plugin is configured with.
import { GPU_RESOURCE, gpuCapacity, gpuLabels } from '../gpu/labels.js';
import type { MigStrategy } from '../gpu/labels.js';
import type { GpuReport } from '../gpu/report.js';

/**
 * `mixed`: whole GPUs are `nvidia.com/gpu`, each MIG device is `nvidia.com/mig-<profile>` (e.g.
 * `nvidia.com/mig-3g.40gb`). It suits every MIG layout, including the heterogeneous ones the
 * H100/H200 captures show, where `single` would mark the node invalid (0 GPUs). With `single` (all
 * GPUs MIG-enabled with one profile) the MIG devices are counted as `nvidia.com/gpu` instead.
 */
export const DEFAULT_MIG_STRATEGY: MigStrategy = 'mixed';

export interface NodeGpuView {
  readonly migStrategy: MigStrategy;
  /** `nvidia.com/gpu.product|count|memory|family…` and `aliyun.accelerator/nvidia_name|count|mem`. */
  readonly labels: Readonly<Record<string, string>>;
  /** `nvidia.com/gpu` (always present on a node with GPUs, possibly 0) and `nvidia.com/mig-*`. */
  readonly capacity: Readonly<Record<string, number>>;
}

/** Labels and capacity of a node from its GPU report. A CPU node (zero GPUs) has neither. */
export function nodeGpuView(report: GpuReport, migStrategy: MigStrategy = DEFAULT_MIG_STRATEGY): NodeGpuView {
  const labels = gpuLabels(report, { migStrategy });
  const capacity = gpuCapacity(report, migStrategy);
  if (report.gpus.length === 0) return { migStrategy, labels, capacity };
  return { migStrategy, labels, capacity: { [GPU_RESOURCE]: 0, ...capacity } };
}
