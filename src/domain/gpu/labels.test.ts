// Tests for the node labels and capacity derived from a GPU report: GFD-style and ACK labels,
// family from compute capability or architecture, and MIG under the none/single/mixed strategies.
import { describe, expect, it } from 'vitest';
import { gpuCapacity, gpuFamily, gpuLabels, labelValue, sanitizeProduct } from './labels.js';
import { emptyGpuReport } from './report.js';
import type { GpuDevice, GpuReport, MigDevice } from './report.js';

function gpu(over: Partial<GpuDevice> = {}): GpuDevice {
  return {
    index: 0,
    uuid: 'GPU-00000000-0000-0000-0000-000000000000',
    product: 'NVIDIA H100 80GB HBM3',
    brand: null,
    architecture: null,
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
    migMode: 'disabled',
    migDevices: [],
    processes: [],
    health: 'ok',
    healthReasons: [],
    ...over,
  };
}

function mig(index: number, profile: string | null, memoryTotalMiB: number | null = null): MigDevice {
  return {
    index,
    gpuInstanceId: index + 1,
    computeInstanceId: 0,
    profile,
    uuid: null,
    memoryTotalMiB,
    multiprocessorCount: 16,
  };
}

function report(
  gpus: GpuDevice[],
  driverVersion = '590.48.01',
  cudaVersion: string | null = '13.1',
): GpuReport {
  return { driverVersion, cudaVersion, gpus, source: 'csv' };
}

const H100_MIG = gpu({
  migMode: 'enabled',
  migDevices: [
    mig(0, '3g.40gb', 40192),
    mig(1, '2g.20gb', 19968),
    mig(2, '1g.10gb', 9984),
    mig(3, '1g.10gb', 9984),
  ],
});

describe('gpuLabels', () => {
  it('M62 H100: product NVIDIA-H100-80GB-HBM3, family hopper, memory 81559', () => {
    expect(gpuLabels(report([gpu()]))).toEqual({
      'nvidia.com/gpu.present': 'true',
      'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3',
      'nvidia.com/gpu.count': '1',
      'nvidia.com/gpu.memory': '81559',
      'nvidia.com/gpu.family': 'hopper',
      'nvidia.com/gpu.compute.major': '9',
      'nvidia.com/gpu.compute.minor': '0',
      'nvidia.com/mig.capable': 'true',
      'nvidia.com/cuda.driver-version.major': '590',
      'nvidia.com/cuda.driver-version.minor': '48',
      'nvidia.com/cuda.driver-version.revision': '01',
      'nvidia.com/cuda.driver-version.full': '590.48.01',
      'nvidia.com/cuda.runtime-version.major': '13',
      'nvidia.com/cuda.runtime-version.minor': '1',
      'nvidia.com/cuda.runtime-version.full': '13.1',
      'aliyun.accelerator/nvidia_name': 'NVIDIA-H100-80GB-HBM3',
      'aliyun.accelerator/nvidia_count': '1',
      'aliyun.accelerator/nvidia_mem': '81559MiB',
    });
  });

  it('M62 8x H200: count 8, memory 143771, ACK memory with unit', () => {
    const gpus = Array.from({ length: 8 }, (_, i) =>
      gpu({
        index: i,
        product: 'NVIDIA H200',
        memoryTotalMiB: 143771,
        uuid: `GPU-0000000${i}-0000-0000-0000-000000000000`,
      }),
    );
    expect(gpuLabels(report(gpus))).toMatchObject({
      'nvidia.com/gpu.product': 'NVIDIA-H200',
      'nvidia.com/gpu.count': '8',
      'nvidia.com/gpu.memory': '143771',
      'aliyun.accelerator/nvidia_count': '8',
      'aliyun.accelerator/nvidia_mem': '143771MiB',
    });
  });

  it('zero GPUs: no labels and no capacity', () => {
    expect(gpuLabels(emptyGpuReport('none'))).toEqual({});
    expect(gpuCapacity(emptyGpuReport('none'), 'none')).toEqual({});
    expect(gpuCapacity(emptyGpuReport('xml'), 'mixed')).toEqual({});
  });

  it('two-part driver version: empty revision (as GFD); no CUDA version: no runtime labels', () => {
    const labels = gpuLabels(report([gpu()], '595.80', null));
    expect(labels['nvidia.com/cuda.driver-version.revision']).toBe('');
    expect(labels['nvidia.com/cuda.driver-version.full']).toBe('595.80');
    expect(labels['nvidia.com/cuda.runtime-version.full']).toBeUndefined();
  });

  it('no compute capability: family from the architecture name, no compute labels', () => {
    const labels = gpuLabels(
      report([gpu({ computeCapability: null, architecture: 'Ada Lovelace', migMode: null })]),
    );
    expect(labels['nvidia.com/gpu.family']).toBe('ada-lovelace');
    expect(labels['nvidia.com/gpu.compute.major']).toBeUndefined();
    expect(labels['nvidia.com/mig.capable']).toBe('false');
    expect(gpuLabels(report([gpu({ computeCapability: null })]))['nvidia.com/gpu.family']).toBeUndefined();
  });

  it('mixed models: the lowest-index GPU model is described; gpu.count counts that model', () => {
    const labels = gpuLabels(
      report([
        gpu({ index: 1, product: 'Tesla T4', uuid: 'GPU-10000000-0000-0000-0000-000000000000' }),
        gpu(),
      ]),
    );
    expect(labels['nvidia.com/gpu.product']).toBe('NVIDIA-H100-80GB-HBM3');
    expect(labels['nvidia.com/gpu.count']).toBe('1');
    expect(labels['aliyun.accelerator/nvidia_count']).toBe('2');
  });

  it('single: one profile everywhere → MIG product, count and memory of the MIG device', () => {
    const g = gpu({ migMode: 'enabled', migDevices: [0, 1, 2].map((i) => mig(i, '2g.20gb', 19968)) });
    expect(gpuLabels(report([g]), { migStrategy: 'single' })).toMatchObject({
      'nvidia.com/mig.strategy': 'single',
      'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3-MIG-2g.20gb',
      'nvidia.com/gpu.count': '3',
      'nvidia.com/gpu.memory': '19968',
      'nvidia.com/gpu.multiprocessors': '16',
      'nvidia.com/gpu.slices.gi': '2',
      'nvidia.com/gpu.slices.ci': '2',
      'nvidia.com/gpu.family': 'hopper',
    });
    expect(gpuCapacity(report([g]), 'single')).toEqual({ 'nvidia.com/gpu': 3 });
  });

  it('single: several profiles → -MIG-INVALID with count 0, and no capacity', () => {
    expect(gpuLabels(report([H100_MIG]), { migStrategy: 'single' })).toMatchObject({
      'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3-MIG-INVALID',
      'nvidia.com/gpu.count': '0',
      'nvidia.com/gpu.memory': '0',
    });
    expect(gpuCapacity(report([H100_MIG]), 'single')).toEqual({ 'nvidia.com/gpu': 0 });
  });

  it('mixed: per-profile labels, `+` spelt `.`, compute-instance profiles', () => {
    const g = gpu({
      product: 'NVIDIA H200',
      migMode: 'enabled',
      migDevices: [mig(0, '1c.3g.71gb', 71424), mig(1, '1g.18gb+me', 16384)],
    });
    expect(gpuLabels(report([g]), { migStrategy: 'mixed' })).toMatchObject({
      'nvidia.com/mig.strategy': 'mixed',
      'nvidia.com/gpu.product': 'NVIDIA-H200',
      'nvidia.com/mig-1c.3g.71gb.product': 'NVIDIA-H200-MIG-1c.3g.71gb',
      'nvidia.com/mig-1c.3g.71gb.count': '1',
      'nvidia.com/mig-1c.3g.71gb.memory': '71424',
      'nvidia.com/mig-1c.3g.71gb.slices.gi': '3',
      'nvidia.com/mig-1c.3g.71gb.slices.ci': '1',
      'nvidia.com/mig-1g.18gb.me.count': '1',
    });
  });
});

describe('gpuCapacity', () => {
  it('none: whole GPUs without MIG', () => {
    expect(gpuCapacity(report([gpu()]), 'none')).toEqual({ 'nvidia.com/gpu': 1 });
    const two = [gpu(), { ...H100_MIG, index: 1, uuid: 'GPU-10000000-0000-0000-0000-000000000000' }];
    expect(gpuCapacity(report(two), 'none')).toEqual({ 'nvidia.com/gpu': 1 });
  });

  it('M62 mixed on H100 with MIG: one resource per profile', () => {
    expect(gpuCapacity(report([H100_MIG]), 'mixed')).toEqual({
      'nvidia.com/mig-3g.40gb': 1,
      'nvidia.com/mig-2g.20gb': 1,
      'nvidia.com/mig-1g.10gb': 2,
    });
  });

  it('mixed: whole GPUs too, and MIG devices with unknown profile are not counted', () => {
    const unnamed = {
      ...H100_MIG,
      index: 1,
      uuid: 'GPU-10000000-0000-0000-0000-000000000000',
      migDevices: [mig(0, null, 9984)],
    };
    expect(gpuCapacity(report([gpu(), unnamed]), 'mixed')).toEqual({ 'nvidia.com/gpu': 1 });
  });

  it('single without any MIG-enabled GPU behaves as none; mixed MIG modes are invalid', () => {
    expect(gpuCapacity(report([gpu()]), 'single')).toEqual({ 'nvidia.com/gpu': 1 });
    const both = [
      gpu(),
      {
        ...H100_MIG,
        index: 1,
        uuid: 'GPU-10000000-0000-0000-0000-000000000000',
        migDevices: [mig(0, '1g.10gb')],
      },
    ];
    expect(gpuCapacity(report(both), 'single')).toEqual({ 'nvidia.com/gpu': 0 });
  });
});

describe('helpers', () => {
  it.each([
    ['NVIDIA H100 80GB HBM3', 'NVIDIA-H100-80GB-HBM3'],
    ['Tesla T4', 'Tesla-T4'],
    ['NVIDIA A100-SXM4-80GB', 'NVIDIA-A100-SXM4-80GB'],
    ['NVIDIA RTX 4000 SFF Ada Generation', 'NVIDIA-RTX-4000-SFF-Ada-Generation'],
    ['NVIDIA GeForce RTX 3080 (Ti)!', 'NVIDIA-GeForce-RTX-3080-Ti'],
    ['  A10 ', 'A10'],
  ])('sanitises %j as GFD does → %j', (name, label) => {
    expect(sanitizeProduct(name)).toBe(label);
  });

  it('keeps label values within Kubernetes rules', () => {
    expect(labelValue('x'.repeat(80))).toHaveLength(63);
    expect(labelValue('-a.b_')).toBe('a.b');
  });

  it.each([
    ['3.7', null, 'kepler'],
    ['6.1', null, 'pascal'],
    ['7.0', null, 'volta'],
    ['7.5', null, 'turing'],
    ['8.0', null, 'ampere'],
    ['8.6', null, 'ampere'],
    ['8.9', null, 'ada-lovelace'],
    ['9.0', null, 'hopper'],
    ['10.0', null, 'blackwell'],
    ['12.0', null, 'blackwell'],
    [null, 'Ampere', 'ampere'],
    ['42.0', 'Future Arch', 'future-arch'],
    [null, null, null],
  ])('family of compute %s / architecture %s is %s', (cc, arch, family) => {
    expect(gpuFamily(cc, arch)).toBe(family);
  });
});
