// GPU discovery: `nvidia-smi -q -x`, then `--query-gpu` CSV if that cannot be read, and `-L` for MIG
// profiles (or, as a last resort, to name what is there). Never throws; always a report the server accepts.
import { emptyGpuReport, NVIDIA_SMI_ERROR_CODES, salvageGpuReport } from '../domain/gpu/index.js';
import type { GpuReport, GpuReportError } from '../domain/gpu/index.js';
import {
  CSV_FORMAT,
  MAX_NVIDIA_SMI_OUTPUT_CHARS,
  mergeCsvDetails,
  mergeMigList,
  parseNvidiaSmiList,
  parseNvidiaSmiXml,
  parseQueryGpuCsv,
  QUERY_GPU_FIELDS,
} from './nvidia-smi/index.js';
import type { CommandRunner, RunResult } from './runner.js';

export interface DiscoveryOptions {
  /** The command to run; `nvidia-smi` (found on PATH) by default. */
  readonly command?: string;
  /** Deadline of each nvidia-smi run. */
  readonly timeoutMs?: number;
}

export const DEFAULT_NVIDIA_SMI_TIMEOUT_MS = 10_000;

const XML_ARGS = ['-q', '-x'];
const CSV_ARGS = [`--query-gpu=${QUERY_GPU_FIELDS.join(',')}`, `--format=${CSV_FORMAT}`];
const LIST_ARGS = ['-L'];

function firstLine(text: string): string {
  return (text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').trim().slice(0, 160);
}

/** The report error for a run that gave no output to parse; null for `ok` and `missing`. */
function runError(r: RunResult, what: string): GpuReportError | null {
  switch (r.kind) {
    case 'ok':
    case 'missing':
      return null;
    case 'timeout':
      return {
        code: NVIDIA_SMI_ERROR_CODES.timeout,
        message: `${what} did not finish within ${r.afterMs} ms`,
      };
    case 'too-large':
      return { code: NVIDIA_SMI_ERROR_CODES.tooLarge, message: `${what} printed more than ${r.limit} bytes` };
    case 'failed': {
      const how =
        r.exitCode !== null ? `exited with status ${r.exitCode}` : `was killed by ${r.signal ?? 'a signal'}`;
      const said = firstLine(r.output);
      return { code: NVIDIA_SMI_ERROR_CODES.failed, message: `${what} ${how}${said ? `: ${said}` : ''}` };
    }
  }
}

function withNote(report: GpuReport, note: GpuReportError | null): GpuReport {
  if (note === null) return report;
  const error = report.error ?? note;
  const message = report.error ? `${note.message}; ${report.error.message}` : note.message;
  return salvageGpuReport({ ...report, error: { code: error.code, message } });
}

/**
 * Discovers the node's GPUs. No nvidia-smi → a CPU node (`source: 'none'`, zero GPUs, no error).
 * A hanging, failing or garbled nvidia-smi → zero GPUs and an `error` saying what happened. A run
 * that timed out is not followed by more runs (the driver is stuck; each would wait as long).
 */
export async function discoverGpus(run: CommandRunner, options: DiscoveryOptions = {}): Promise<GpuReport> {
  const command = options.command ?? 'nvidia-smi';
  const opts = {
    timeoutMs: options.timeoutMs ?? DEFAULT_NVIDIA_SMI_TIMEOUT_MS,
    maxBytes: MAX_NVIDIA_SMI_OUTPUT_CHARS,
  };
  const xmlRun = await run(command, XML_ARGS, opts);
  if (xmlRun.kind === 'missing') return emptyGpuReport('none');
  const xmlError = runError(xmlRun, `${command} -q -x`);
  if (xmlError?.code === NVIDIA_SMI_ERROR_CODES.timeout) return emptyGpuReport('xml', xmlError);

  let report: GpuReport | null = xmlRun.kind === 'ok' ? parseNvidiaSmiXml(xmlRun.stdout) : null;
  const xmlUnreadable =
    report === null || (report.gpus.length === 0 && report.error?.code === NVIDIA_SMI_ERROR_CODES.malformed);
  const csvRun = await run(command, CSV_ARGS, opts);
  const csv = csvRun.kind === 'ok' ? parseQueryGpuCsv(csvRun.stdout) : null;
  if (xmlUnreadable) {
    const why = xmlError ?? report?.error ?? null;
    if (csv !== null && csv.gpus.length > 0) {
      report = withNote(
        csv,
        why === null ? null : { code: why.code, message: `${why.message}; used --query-gpu` },
      );
    } else {
      return lastResort(run, command, opts, why ?? runError(csvRun, `${command} --query-gpu`));
    }
  } else if (report !== null && csv !== null) {
    report = mergeCsvDetails(report, csv);
  }
  if (report === null) return emptyGpuReport('xml', xmlError ?? undefined);
  if (report.gpus.some((g) => g.migMode === 'enabled')) {
    const listRun = await run(command, LIST_ARGS, opts);
    if (listRun.kind === 'ok') report = mergeMigList(report, parseNvidiaSmiList(listRun.stdout));
  }
  return report;
}

/** Neither document could be read: zero GPUs, with the error, naming what `-L` sees if it works. */
async function lastResort(
  run: CommandRunner,
  command: string,
  opts: { timeoutMs: number; maxBytes: number },
  why: GpuReportError | null,
): Promise<GpuReport> {
  const error = why ?? {
    code: NVIDIA_SMI_ERROR_CODES.malformed,
    message: 'nvidia-smi printed nothing readable',
  };
  const listRun = await run(command, LIST_ARGS, opts);
  const listed = listRun.kind === 'ok' ? parseNvidiaSmiList(listRun.stdout) : [];
  if (listed.length === 0) return emptyGpuReport('xml', error);
  const names = [...new Set(listed.map((g) => g.product))].join(', ');
  return emptyGpuReport('xml', {
    code: error.code,
    message: `${error.message}; nvidia-smi -L lists ${listed.length} GPU(s): ${names}`,
  });
}
