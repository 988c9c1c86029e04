// Tests for the GPU report checker: good reports pass as a clean copy, bad ones are refused with
// every problem and its path, hostile input never throws; and for the health and salvage rules.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyGpuReport, gpuHealth, salvageGpuReport, validateGpuReport } from './report.js';
import type { GpuDevice, GpuReport } from './report.js';

const H100: GpuDevice = {
  index: 0,
  uuid: 'GPU-00000000-0000-0000-0000-000000000000',
  product: 'NVIDIA H100 80GB HBM3',
  brand: 'NVIDIA',
  architecture: 'Hopper',
  pciBusId: '00000000:00:09.0',
  pciDeviceId: '0x233010DE',
  memoryTotalMiB: 81559,
  memoryUsedMiB: 0,
  memoryFreeMiB: 81081,
  computeCapability: '9.0',
  temperatureC: 41,
  powerDrawW: 69.85,
  powerLimitW: 700,
  utilizationGpuPct: 0,
  eccMode: 'enabled',
  eccUncorrectedVolatile: 0,
  migMode: 'enabled',
  migDevices: [
    {
      index: 0,
      gpuInstanceId: 1,
      computeInstanceId: 0,
      profile: '3g.40gb',
      uuid: 'MIG-00000000-0000-0000-0000-000000000000',
      memoryTotalMiB: 40192,
      multiprocessorCount: 60,
    },
  ],
  processes: [
    { pid: 42, type: 'C', name: 'python', usedMemoryMiB: 100, gpuInstanceId: 1, computeInstanceId: 0 },
  ],
  health: 'ok',
  healthReasons: [],
};

const REPORT: GpuReport = { driverVersion: '590.48.01', cudaVersion: '13.1', gpus: [H100], source: 'xml' };

function problemsOf(input: unknown): [string, string][] {
  const result = validateGpuReport(input);
  return result.ok ? [] : result.problems.map((p) => [p.path, p.code]);
}

describe('validateGpuReport', () => {
  it('M62 accepts a full H100 report and returns an equal clean copy', () => {
    expect(validateGpuReport(REPORT)).toEqual({ ok: true, report: REPORT });
  });

  it('accepts a CPU node (no nvidia-smi) and a failed run with zero GPUs', () => {
    expect(validateGpuReport(emptyGpuReport('none')).ok).toBe(true);
    const failed = emptyGpuReport('xml', {
      code: 'NVIDIA_SMI_TIMEOUT',
      message: 'nvidia-smi did not finish in 30 s',
    });
    expect(validateGpuReport(failed).ok).toBe(true);
  });

  it('refuses a bad report listing every problem with its path', () => {
    const bad = {
      driverVersion: 'latest',
      cudaVersion: null,
      source: 'smi',
      extra: 1,
      error: { code: 'lower case', message: 'x' },
      gpus: [
        {
          ...H100,
          uuid: 'not-a-uuid',
          pciBusId: '0000:04:00.0',
          memoryTotalMiB: -1,
          temperatureC: '41 C',
          migMode: 'on',
          health: 'degraded',
          migDevices: [{ ...H100.migDevices[0], profile: 'bad profile!', gpuInstanceId: 1.5 }],
          processes: [{ pid: 1, type: 'C', name: 'x'.repeat(300), usedMemoryMiB: null }],
        },
      ],
    };
    expect(problemsOf(bad)).toEqual([
      ['extra', 'GPU_REPORT_UNKNOWN_FIELD'],
      ['driverVersion', 'GPU_REPORT_FORMAT'],
      ['gpus[0].uuid', 'GPU_REPORT_FORMAT'],
      ['gpus[0].pciBusId', 'GPU_REPORT_FORMAT'],
      ['gpus[0].memoryTotalMiB', 'GPU_REPORT_OUT_OF_RANGE'],
      ['gpus[0].temperatureC', 'GPU_REPORT_TYPE'],
      ['gpus[0].migMode', 'GPU_REPORT_ENUM'],
      ['gpus[0].migDevices[0].gpuInstanceId', 'GPU_REPORT_TYPE'],
      ['gpus[0].migDevices[0].profile', 'GPU_REPORT_FORMAT'],
      ['gpus[0].processes[0].gpuInstanceId', 'GPU_REPORT_REQUIRED'],
      ['gpus[0].processes[0].computeInstanceId', 'GPU_REPORT_REQUIRED'],
      ['gpus[0].processes[0].name', 'GPU_REPORT_TOO_LONG'],
      ['gpus[0].health', 'GPU_REPORT_HEALTH_INCONSISTENT'],
      ['source', 'GPU_REPORT_ENUM'],
      ['error.code', 'GPU_REPORT_FORMAT'],
    ]);
  });

  it('gives the parameters a message needs', () => {
    const result = validateGpuReport({ ...REPORT, gpus: [{ ...H100, utilizationGpuPct: 101 }] });
    expect(result.ok ? [] : result.problems).toEqual([
      {
        path: 'gpus[0].utilizationGpuPct',
        code: 'GPU_REPORT_OUT_OF_RANGE',
        params: { min: 0, max: 100, value: 101 },
      },
    ]);
  });

  it('refuses missing fields, wrong types at the top and non-objects', () => {
    expect(problemsOf({})).toEqual([
      ['driverVersion', 'GPU_REPORT_REQUIRED'],
      ['cudaVersion', 'GPU_REPORT_REQUIRED'],
      ['gpus', 'GPU_REPORT_REQUIRED'],
      ['source', 'GPU_REPORT_REQUIRED'],
    ]);
    expect(problemsOf(null)).toEqual([['', 'GPU_REPORT_TYPE']]);
    expect(problemsOf([REPORT])).toEqual([['', 'GPU_REPORT_TYPE']]);
    expect(problemsOf({ ...REPORT, gpus: {} })).toEqual([['gpus', 'GPU_REPORT_TYPE']]);
  });

  it('refuses duplicate GPUs, MIG devices without MIG mode and GPUs claimed without nvidia-smi', () => {
    const twin = { ...H100, index: 1, pciBusId: '00000000:0A:00.0' };
    expect(problemsOf({ ...REPORT, gpus: [H100, twin] })).toEqual([['gpus[1].uuid', 'GPU_REPORT_DUPLICATE']]);
    expect(problemsOf({ ...REPORT, gpus: [{ ...H100, migMode: 'disabled' }] })).toEqual([
      ['gpus[0].migDevices', 'GPU_REPORT_MIG_DEVICES_WITHOUT_MIG'],
    ]);
    expect(problemsOf({ ...REPORT, source: 'none' })).toEqual([
      ['gpus', 'GPU_REPORT_GPUS_WITHOUT_NVIDIA_SMI'],
    ]);
  });

  it('bounds sizes: more than 64 GPUs, 256-character strings', () => {
    const many = Array.from({ length: 65 }, () => H100);
    expect(problemsOf({ ...REPORT, gpus: many })).toEqual([['gpus', 'GPU_REPORT_TOO_MANY']]);
    expect(problemsOf({ ...REPORT, gpus: [{ ...H100, product: 'x'.repeat(257) }] })).toEqual([
      ['gpus[0].product', 'GPU_REPORT_TOO_LONG'],
    ]);
  });

  it('never throws, whatever it is given', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('boom');
        },
      },
    );
    expect(validateGpuReport(hostile)).toEqual({
      ok: false,
      problems: [{ path: '', code: 'GPU_REPORT_UNREADABLE', params: {} }],
    });
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = validateGpuReport(input);
        expect(result.ok).toBe(false);
      }),
    );
  });
});

describe('gpuHealth', () => {
  it('is unknown with no signal, ok with clean signals, degraded with reasons', () => {
    expect(gpuHealth({})).toEqual({ health: 'unknown', healthReasons: [] });
    expect(gpuHealth({ eccUncorrectedVolatile: 0, recoveryAction: 'None' })).toEqual({
      health: 'ok',
      healthReasons: [],
    });
    expect(
      gpuHealth({ eccUncorrectedVolatile: 2, remappedRowsFailure: true, drainAndResetRecommended: true }),
    ).toEqual({
      health: 'degraded',
      healthReasons: ['ECC_UNCORRECTABLE', 'REMAPPED_ROWS_FAILURE', 'DRAIN_AND_RESET_RECOMMENDED'],
    });
  });
});

describe('salvageGpuReport', () => {
  it('leaves out GPUs with problems and says so; nulls a bad version', () => {
    const report = {
      ...REPORT,
      driverVersion: 'x',
      gpus: [
        { ...H100, uuid: 'bad' },
        { ...H100, index: 1, uuid: 'GPU-11111111-0000-0000-0000-000000000000', pciBusId: '00000000:0A:00.0' },
      ],
    };
    const salvaged = salvageGpuReport(report);
    expect(salvaged.driverVersion).toBeNull();
    expect(salvaged.gpus.map((g) => g.index)).toEqual([1]);
    expect(salvaged.error?.code).toBe('NVIDIA_SMI_INCOMPLETE');
    expect(validateGpuReport(salvaged).ok).toBe(true);
  });

  it('returns a valid report unchanged', () => {
    expect(salvageGpuReport(REPORT)).toEqual(REPORT);
  });
});
