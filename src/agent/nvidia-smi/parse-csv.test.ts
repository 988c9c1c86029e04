// Tests for the `--query-gpu` / `--query-compute-apps` CSV readers: every real capture (header with
// `[MiB]` units, ~200 columns), the agent's own noheader,nounits query, and broken output.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateGpuReport } from '../../domain/gpu/index.js';
import type { GpuReport } from '../../domain/gpu/index.js';
import {
  mergeComputeApps,
  mergeCsvDetails,
  parseComputeAppsCsv,
  parseQueryGpuCsv,
  QUERY_GPU_FIELDS,
} from './parse-csv.js';
import { parseNvidiaSmiXml } from './parse-xml.js';

const root = new URL('../../../test/fixtures/nvidia-smi/query-gpu-csv/', import.meta.url);
const csvFixture = (name: string): string => readFileSync(new URL(name, root), 'utf8');
const MASKED_UUID = 'GPU-00000000-0000-0000-0000-000000000000';

interface Expected {
  capture: string;
  product: string;
  memoryTotalMiB: number;
  pciBusId: string;
  computeCapability: string;
  driverVersion: string;
  migMode: 'enabled' | 'disabled' | null;
  pciDeviceId: string;
}

const CAPTURES: Expected[] = [
  {
    capture: 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01',
    product: 'NVIDIA H100 80GB HBM3',
    memoryTotalMiB: 81559,
    pciBusId: '00000000:00:09.0',
    computeCapability: '9.0',
    driverVersion: '590.48.01',
    migMode: 'disabled',
    pciDeviceId: '0x233010DE',
  },
  {
    capture: 'linux-x86_64__nvidia-h100-mig__590.48.01',
    product: 'NVIDIA H100 80GB HBM3',
    memoryTotalMiB: 81559,
    pciBusId: '00000000:00:09.0',
    computeCapability: '9.0',
    driverVersion: '590.48.01',
    migMode: 'enabled',
    pciDeviceId: '0x233010DE',
  },
  {
    capture: 'linux-x86_64__nvidia-h200__590.48.01',
    product: 'NVIDIA H200',
    memoryTotalMiB: 143771,
    pciBusId: '00000000:83:00.0',
    computeCapability: '9.0',
    driverVersion: '590.48.01',
    migMode: 'disabled',
    pciDeviceId: '0x233510DE',
  },
  {
    capture: 'linux-x86_64__nvidia-h200-mig__590.48.01',
    product: 'NVIDIA H200',
    memoryTotalMiB: 143771,
    pciBusId: '00000000:83:00.0',
    computeCapability: '9.0',
    driverVersion: '590.48.01',
    migMode: 'enabled',
    pciDeviceId: '0x233510DE',
  },
  {
    capture: 'linux-x86_64__nvidia-l40s__595.80',
    product: 'NVIDIA L40S',
    memoryTotalMiB: 46068,
    pciBusId: '00000000:01:00.0',
    computeCapability: '8.9',
    driverVersion: '595.80',
    migMode: null,
    pciDeviceId: '0x26B910DE',
  },
];

const ROWS = CAPTURES.flatMap((c) => (['idle', 'load'] as const).map((phase) => ({ ...c, phase })));

function onlyGpu(report: GpuReport) {
  expect(report.gpus).toHaveLength(1);
  const gpu = report.gpus[0];
  if (gpu === undefined) throw new Error('no GPU');
  return gpu;
}

/** Turns a captured header CSV into what the agent's own query prints: chosen columns, noheader, nounits. */
function asAgentQuery(csv: string): string {
  const [head = '', ...rows] = csv.split('\n').filter((l) => l !== '');
  const names = head.split(', ').map((h) => h.replace(/ \[.*\]$/, ''));
  const pick = (row: string): string => {
    const cells = row.split(', ');
    return QUERY_GPU_FIELDS.map((f) => (cells[names.indexOf(f)] ?? '').replace(/ (MiB|W|%)$/, '')).join(', ');
  };
  return rows.map(pick).join('\n') + '\n';
}

describe('parseQueryGpuCsv on real captures', () => {
  it('has a table row for every query-gpu fixture', () => {
    const files = readdirSync(root).filter((f) => f.endsWith('.query-gpu.csv'));
    expect(files.sort()).toEqual(ROWS.map((r) => `${r.capture}.${r.phase}.query-gpu.csv`).sort());
  });

  it.each(ROWS)('M62 $capture ($phase): $product, $memoryTotalMiB MiB, compute $computeCapability', (r) => {
    const csv = csvFixture(`${r.capture}.${r.phase}.query-gpu.csv`);
    for (const report of [parseQueryGpuCsv(csv), parseQueryGpuCsv(asAgentQuery(csv))]) {
      expect(report.error).toBeUndefined();
      expect(report).toMatchObject({ source: 'csv', driverVersion: r.driverVersion, cudaVersion: null });
      expect(onlyGpu(report)).toMatchObject({
        index: 0,
        uuid: MASKED_UUID,
        product: r.product,
        memoryTotalMiB: r.memoryTotalMiB,
        pciBusId: r.pciBusId,
        computeCapability: r.computeCapability,
        migMode: r.migMode,
        migDevices: [],
        eccUncorrectedVolatile: 0,
        health: 'ok',
      });
      expect(validateGpuReport(report).ok).toBe(true);
    }
    expect(onlyGpu(parseQueryGpuCsv(csv))).toMatchObject({
      pciDeviceId: r.pciDeviceId,
      eccMode: 'enabled',
      powerLimitW: r.product === 'NVIDIA L40S' ? 350 : 700,
    });
  });

  it('M62 H200 reports 143771 MiB', () => {
    const gpu = onlyGpu(
      parseQueryGpuCsv(csvFixture('linux-x86_64__nvidia-h200__590.48.01.load.query-gpu.csv')),
    );
    expect(gpu).toMatchObject({
      memoryTotalMiB: 143771,
      memoryUsedMiB: 32362,
      utilizationGpuPct: 100,
      powerDrawW: 627.4,
    });
  });

  it('M62 H100 under MIG: utilisation is [N/A] → null', () => {
    const gpu = onlyGpu(
      parseQueryGpuCsv(csvFixture('linux-x86_64__nvidia-h100-mig__590.48.01.idle.query-gpu.csv')),
    );
    expect(gpu).toMatchObject({ migMode: 'enabled', utilizationGpuPct: null, temperatureC: 42 });
  });
});

const H100_ROW = `0, ${MASKED_UUID}, NVIDIA H100 80GB HBM3, 00000000:00:09.0, 81559, 0, 81081, 9.0, 590.48.01, Disabled, 41, 69.85, 0, 0`;

describe('parseQueryGpuCsv on synthetic output', () => {
  it('reads the agent query with units but no header', () => {
    const row = `0, ${MASKED_UUID}, NVIDIA H100 80GB HBM3, 00000000:00:09.0, 81559 MiB, 0 MiB, 81081 MiB, 9.0, 590.48.01, Disabled, 41, 69.85 W, 0 %, 0`;
    expect(onlyGpu(parseQueryGpuCsv(row))).toMatchObject({
      memoryTotalMiB: 81559,
      powerDrawW: 69.85,
      utilizationGpuPct: 0,
    });
  });

  it('reads a header in another column order, with aliases (gpu_name, gpu_uuid, gpu_bus_id)', () => {
    const csv = `gpu_uuid, memory.total [MiB], gpu_name, gpu_bus_id\n${MASKED_UUID}, 23028 MiB, NVIDIA A10, 0000:00:07.0\n`;
    expect(onlyGpu(parseQueryGpuCsv(csv))).toMatchObject({
      product: 'NVIDIA A10',
      memoryTotalMiB: 23028,
      pciBusId: '00000000:00:07.0',
      index: 0,
    });
  });

  it('reads several rows with CRLF line ends and blank lines', () => {
    const second = H100_ROW.replace(/^0, GPU-0/, '1, GPU-1').replace('00:09.0', '00:0A.0');
    const report = parseQueryGpuCsv(`${H100_ROW}\r\n\r\n${second}\r\n`);
    expect(report.gpus.map((g) => g.index)).toEqual([0, 1]);
  });

  it('marks a GPU degraded on uncorrected ECC errors', () => {
    const gpu = onlyGpu(parseQueryGpuCsv(H100_ROW.replace(/, 0$/, ', 3')));
    expect(gpu).toMatchObject({
      eccUncorrectedVolatile: 3,
      health: 'degraded',
      healthReasons: ['ECC_UNCORRECTABLE'],
    });
  });

  it('treats empty output and "No devices were found" as zero GPUs', () => {
    expect(parseQueryGpuCsv('')).toEqual({ driverVersion: null, cudaVersion: null, gpus: [], source: 'csv' });
    expect(parseQueryGpuCsv('No devices were found').gpus).toEqual([]);
  });

  it('returns NVIDIA_SMI_MALFORMED for an nvidia-smi error in place of rows', () => {
    const report = parseQueryGpuCsv('Field "bogus.field" is not a valid field to query.\n\n');
    expect(report.error?.code).toBe('NVIDIA_SMI_MALFORMED');
    expect(report.error?.message).toContain('bogus.field');
    expect(report.gpus).toEqual([]);
  });

  it('keeps good rows and reports NVIDIA_SMI_INCOMPLETE for short or unusable ones', () => {
    const report = parseQueryGpuCsv(`${H100_ROW}\n1, GPU-short\n`);
    expect(report.gpus).toHaveLength(1);
    expect(report.error?.code).toBe('NVIDIA_SMI_INCOMPLETE');
    const noUuid = parseQueryGpuCsv(
      `${H100_ROW}\n${H100_ROW.replace(MASKED_UUID, '[N/A]').replace('00:09.0', '00:0A.0')}`,
    );
    expect(noUuid.error?.message).toContain('row 2 lacks uuid');
  });
});

describe('compute apps', () => {
  it.each(CAPTURES.map((c) => c.capture))(
    'M62 %s: idle has no apps, load has some, all on the GPU',
    (capture) => {
      expect(parseComputeAppsCsv(csvFixture(`${capture}.idle.query-compute-apps.csv`))).toEqual([]);
      const apps = parseComputeAppsCsv(csvFixture(`${capture}.load.query-compute-apps.csv`));
      expect(apps.length).toBeGreaterThan(0);
      expect(apps.every((a) => a.gpuUuid === MASKED_UUID && a.pid > 0)).toBe(true);
    },
  );

  it('M62 H200 with MIG under load: three processes merged into the report', () => {
    const report = parseQueryGpuCsv(
      csvFixture('linux-x86_64__nvidia-h200-mig__590.48.01.load.query-gpu.csv'),
    );
    const apps = parseComputeAppsCsv(
      csvFixture('linux-x86_64__nvidia-h200-mig__590.48.01.load.query-compute-apps.csv'),
    );
    const gpu = onlyGpu(mergeComputeApps(report, apps));
    expect(gpu.processes).toEqual([
      {
        pid: 12249,
        type: 'C',
        name: '/root/tools/memhog',
        usedMemoryMiB: 2194,
        gpuInstanceId: null,
        computeInstanceId: null,
      },
      {
        pid: 12250,
        type: 'C',
        name: '/root/tools/memhog',
        usedMemoryMiB: 1170,
        gpuInstanceId: null,
        computeInstanceId: null,
      },
      {
        pid: 12267,
        type: 'C',
        name: './gpu_burn',
        usedMemoryMiB: 13526,
        gpuInstanceId: null,
        computeInstanceId: null,
      },
    ]);
  });

  it('reads the agent compute-apps query without header', () => {
    expect(parseComputeAppsCsv(`${MASKED_UUID}, 7, python, 100\n`)).toEqual([
      { gpuUuid: MASKED_UUID, pid: 7, name: 'python', usedMemoryMiB: 100 },
    ]);
  });
});

describe('mergeCsvDetails', () => {
  it('fills the compute capability the XML lacks, matched by uuid', () => {
    const xml = parseNvidiaSmiXml(
      `<nvidia_smi_log><driver_version>590.48.01</driver_version><gpu id="00000000:00:09.0"><product_name>NVIDIA H100 80GB HBM3</product_name><uuid>${MASKED_UUID}</uuid><fb_memory_usage><total>81559 MiB</total></fb_memory_usage></gpu></nvidia_smi_log>`,
    );
    const merged = mergeCsvDetails(xml, parseQueryGpuCsv(H100_ROW));
    expect(onlyGpu(merged)).toMatchObject({ computeCapability: '9.0', temperatureC: 41 });
    expect(merged.source).toBe('xml');
  });
});
