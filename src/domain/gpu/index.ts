// GPU domain: the node agent's GPU report (types, checker) and the labels and capacity derived from it.
// Pure: imports only other src/domain modules, never `node:`; used by the agent, server and console.
export {
  emptyGpuReport,
  GPU_HEALTH_REASONS,
  GPU_REPORT_FORMATS,
  GPU_REPORT_LIMITS,
  gpuHealth,
  matchesFormat,
  NVIDIA_SMI_ERROR_CODES,
  salvageGpuReport,
  validateGpuReport,
} from './report.js';
export type {
  GpuDevice,
  GpuHealth,
  GpuHealthReason,
  GpuHealthSignals,
  GpuProcess,
  GpuReport,
  GpuReportError,
  GpuReportFormat,
  GpuReportSource,
  GpuReportValidation,
  MigDevice,
  OnOff,
  Range,
} from './report.js';
export {
  GPU_RESOURCE,
  gpuCapacity,
  gpuFamily,
  gpuLabels,
  labelValue,
  migResourceSuffix,
  sanitizeProduct,
} from './labels.js';
export type { GpuLabelOptions, MigStrategy } from './labels.js';
