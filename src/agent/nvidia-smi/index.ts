// nvidia-smi output readers for the node agent: `-q -x` XML, `--query-gpu` CSV and `-L`, into a GpuReport.
// May import src/domain and libraries only; running nvidia-smi (timeouts, exit codes) is the runner's job.
export { isNoDevicesMessage, MAX_NVIDIA_SMI_OUTPUT_CHARS, parseNvidiaSmiXml } from './parse-xml.js';
export {
  CSV_FORMAT,
  mergeComputeApps,
  mergeCsvDetails,
  parseComputeAppsCsv,
  parseQueryGpuCsv,
  QUERY_COMPUTE_APPS_FIELDS,
  QUERY_GPU_FIELDS,
} from './parse-csv.js';
export type { ComputeApp } from './parse-csv.js';
export { mergeMigList, parseNvidiaSmiList } from './parse-list.js';
export type { ListedGpu, ListedMigDevice } from './parse-list.js';
