// Messages for GPU reports: problems the server finds in a node agent's report (GPU_REPORT_*)
// and errors the agent records when nvidia-smi misbehaves (NVIDIA_SMI_*).
import type { MessageCatalogue } from './types.js';

export const gpuMessages: MessageCatalogue = {
  GPU_REPORT_TYPE: { en: 'Expected a value of type {expected}.', zh: '取值类型应为 {expected}。' },
  GPU_REPORT_REQUIRED: { en: 'Field {field} is required.', zh: '字段 {field} 为必填项。' },
  GPU_REPORT_UNKNOWN_FIELD: { en: 'Unknown field "{field}".', zh: '未知字段“{field}”。' },
  GPU_REPORT_TOO_LONG: {
    en: 'At most {max} characters (got {length}).',
    zh: '最多 {max} 个字符（当前 {length} 个）。',
  },
  GPU_REPORT_TOO_MANY: { en: 'At most {max} items (got {count}).', zh: '最多 {max} 项（当前 {count} 项）。' },
  GPU_REPORT_OUT_OF_RANGE: {
    en: 'Must be between {min} and {max} (got {value}).',
    zh: '取值范围为 {min}～{max}（当前为 {value}）。',
  },
  GPU_REPORT_FORMAT: { en: 'Not in the expected format ({format}).', zh: '格式不符合要求（{format}）。' },
  GPU_REPORT_ENUM: { en: 'Must be one of: {allowed}.', zh: '取值应为以下之一：{allowed}。' },
  GPU_REPORT_DUPLICATE: { en: '{field} "{value}" appears more than once.', zh: '{field}“{value}”重复出现。' },
  GPU_REPORT_MIG_DEVICES_WITHOUT_MIG: {
    en: 'The GPU lists {count} MIG devices but MIG is not enabled.',
    zh: '该 GPU 列出了 {count} 个 MIG 设备，但未开启 MIG。',
  },
  GPU_REPORT_HEALTH_INCONSISTENT: {
    en: 'Health "{health}" does not match its reasons ({reasons}).',
    zh: '健康状态“{health}”与原因（{reasons}）不一致。',
  },
  GPU_REPORT_GPUS_WITHOUT_NVIDIA_SMI: {
    en: 'A report without nvidia-smi output cannot list GPUs ({count} given).',
    zh: '没有 nvidia-smi 输出的报告不能包含 GPU（当前 {count} 个）。',
  },
  GPU_REPORT_UNREADABLE: { en: 'The GPU report could not be read.', zh: '无法读取 GPU 报告。' },
  NVIDIA_SMI_MALFORMED: {
    en: 'nvidia-smi printed output that could not be parsed.',
    zh: 'nvidia-smi 的输出无法解析。',
  },
  NVIDIA_SMI_INCOMPLETE: {
    en: 'nvidia-smi omitted required facts for some GPUs; they were left out of the report.',
    zh: 'nvidia-smi 未提供部分 GPU 的必要信息，这些 GPU 未计入报告。',
  },
  NVIDIA_SMI_TOO_LARGE: {
    en: 'nvidia-smi printed more output than the agent accepts.',
    zh: 'nvidia-smi 的输出超过了代理可接受的大小。',
  },
  NVIDIA_SMI_TIMEOUT: { en: 'nvidia-smi did not finish in time.', zh: 'nvidia-smi 未在规定时间内完成。' },
  NVIDIA_SMI_FAILED: { en: 'nvidia-smi failed to run.', zh: 'nvidia-smi 运行失败。' },
};
