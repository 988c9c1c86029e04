// Tests for `nvidia-smi -L` parsing and for merging its MIG profiles and UUIDs into XML and CSV
// reports: the real `-L` captures, the old R450 MIG UUID spelling, and lines it must skip.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gpuCapacity, validateGpuReport } from '../../domain/gpu/index.js';
import { parseQueryGpuCsv } from './parse-csv.js';
import { mergeMigList, parseNvidiaSmiList } from './parse-list.js';
import { parseNvidiaSmiXml } from './parse-xml.js';

const root = new URL('../../../test/fixtures/nvidia-smi/', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');
const MASKED_UUID = 'GPU-00000000-0000-0000-0000-000000000000';

const LISTS: { capture: string; product: string; profiles: string[] }[] = [
  {
    capture: 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01',
    product: 'NVIDIA H100 80GB HBM3',
    profiles: [],
  },
  {
    capture: 'linux-x86_64__nvidia-h100-mig__590.48.01',
    product: 'NVIDIA H100 80GB HBM3',
    profiles: ['3g.40gb', '2g.20gb', '1g.10gb', '1g.10gb'],
  },
  { capture: 'linux-x86_64__nvidia-h200__590.48.01', product: 'NVIDIA H200', profiles: [] },
  {
    capture: 'linux-x86_64__nvidia-h200-mig__590.48.01',
    product: 'NVIDIA H200',
    profiles: ['1c.3g.71gb', '2c.3g.71gb', '2g.35gb', '1g.18gb', '1g.18gb'],
  },
  { capture: 'linux-x86_64__nvidia-l40s__595.80', product: 'NVIDIA L40S', profiles: [] },
];

describe('parseNvidiaSmiList on real captures', () => {
  it('has a table row for every -L fixture', () => {
    const files = readdirSync(new URL('query-gpu-csv/', root)).filter((f) => f.endsWith('.L.txt'));
    expect(files.sort()).toEqual(LISTS.map((l) => `${l.capture}.L.txt`).sort());
  });

  it.each(LISTS)('M62 $capture: $product with MIG profiles $profiles', (l) => {
    const listed = parseNvidiaSmiList(read(`query-gpu-csv/${l.capture}.L.txt`));
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ index: 0, product: l.product, uuid: MASKED_UUID });
    expect(listed[0]?.migDevices.map((d) => d.profile)).toEqual(l.profiles);
    expect(listed[0]?.migDevices.map((d) => d.index)).toEqual(l.profiles.map((_, i) => i));
    expect(listed[0]?.migDevices.every((d) => d.uuid?.startsWith('MIG-'))).toBe(true);
  });

  it('M62 H100 with MIG: the CSV report plus -L lists 4 MIG devices and mixed capacity', () => {
    const capture = 'linux-x86_64__nvidia-h100-mig__590.48.01';
    const csv = parseQueryGpuCsv(read(`query-gpu-csv/${capture}.idle.query-gpu.csv`));
    const merged = mergeMigList(csv, parseNvidiaSmiList(read(`query-gpu-csv/${capture}.L.txt`)));
    const gpu = merged.gpus[0];
    expect(gpu?.migDevices).toHaveLength(4);
    expect(gpu?.migDevices[0]).toEqual({
      index: 0,
      gpuInstanceId: null,
      computeInstanceId: null,
      profile: '3g.40gb',
      uuid: 'MIG-00000000-0000-0000-0000-000000000000',
      memoryTotalMiB: null,
      multiprocessorCount: null,
    });
    expect(gpuCapacity(merged, 'mixed')).toEqual({
      'nvidia.com/mig-3g.40gb': 1,
      'nvidia.com/mig-2g.20gb': 1,
      'nvidia.com/mig-1g.10gb': 2,
    });
    expect(validateGpuReport(merged).ok).toBe(true);
  });

  it('M62 H200 with MIG: 5 MIG devices including compute-instance profiles', () => {
    const capture = 'linux-x86_64__nvidia-h200-mig__590.48.01';
    const csv = parseQueryGpuCsv(read(`query-gpu-csv/${capture}.load.query-gpu.csv`));
    const merged = mergeMigList(csv, parseNvidiaSmiList(read(`query-gpu-csv/${capture}.L.txt`)));
    expect(merged.gpus[0]?.migDevices.map((d) => d.profile)).toEqual(LISTS[3]?.profiles);
  });

  it('M62 H100 without MIG: -L adds nothing', () => {
    const capture = 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01';
    const csv = parseQueryGpuCsv(read(`query-gpu-csv/${capture}.idle.query-gpu.csv`));
    expect(mergeMigList(csv, parseNvidiaSmiList(read(`query-gpu-csv/${capture}.L.txt`)))).toEqual(csv);
  });
});

describe('parseNvidiaSmiList on synthetic output', () => {
  it('reads the R450 MIG UUID form, taking the instance ids from it', () => {
    const out = [
      'GPU 0: A100-SXM4-40GB (UUID: GPU-5c89852c-d268-c3f3-1b07-005d5ae1dc3f)',
      '  MIG 3g.20gb Device 0: (UUID: MIG-GPU-5c89852c-d268-c3f3-1b07-005d5ae1dc3f/1/0)',
      '  MIG 1g.5gb+me Device 1: (UUID: MIG-GPU-5c89852c-d268-c3f3-1b07-005d5ae1dc3f/7/0)',
    ].join('\n');
    const listed = parseNvidiaSmiList(out);
    expect(listed[0]?.migDevices.map((d) => d.profile)).toEqual(['3g.20gb', '1g.5gb+me']);
    const csv = parseQueryGpuCsv(
      '0, GPU-5c89852c-d268-c3f3-1b07-005d5ae1dc3f, A100-SXM4-40GB, 00000000:07:00.0, 40536, 0, 40000, 8.0, 450.80.02, Enabled, 30, 50, [N/A], 0',
    );
    const merged = mergeMigList(csv, listed);
    expect(merged.gpus[0]?.migDevices.map((d) => [d.gpuInstanceId, d.computeInstanceId])).toEqual([
      [1, 0],
      [7, 0],
    ]);
    expect(gpuCapacity(merged, 'mixed')).toEqual({
      'nvidia.com/mig-3g.20gb': 1,
      'nvidia.com/mig-1g.5gb.me': 1,
    });
  });

  it('skips lines it does not know, MIG lines before any GPU, and never throws', () => {
    const out =
      '  MIG 1g.5gb Device 0: (UUID: MIG-x)\nwarning: something\nGPU 1: Tesla T4 (UUID: GPU-d37e67a5-91dd-3774-a5cb-99096249601a)\n\n';
    expect(parseNvidiaSmiList(out)).toEqual([
      { index: 1, product: 'Tesla T4', uuid: 'GPU-d37e67a5-91dd-3774-a5cb-99096249601a', migDevices: [] },
    ]);
    expect(parseNvidiaSmiList('')).toEqual([]);
  });

  it('fills XML MIG devices by index, keeping the instance ids the XML has', () => {
    const xml = parseNvidiaSmiXml(read('xml/telegraf__a100-sxm4-v12.xml'));
    const list = [
      'GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-513536b6-7d19-9063-b049-1e69664bb298)',
      ...[0, 1, 2, 3].map(
        (i) => `  MIG 1g.20gb     Device  ${i}: (UUID: MIG-0000000${i}-1111-2222-3333-444444444444)`,
      ),
    ].join('\n');
    const merged = mergeMigList(xml, parseNvidiaSmiList(list));
    expect(merged.gpus[0]?.migDevices.map((d) => [d.index, d.gpuInstanceId, d.profile])).toEqual([
      [0, 3, '1g.20gb'],
      [1, 4, '1g.20gb'],
      [2, 5, '1g.20gb'],
      [3, 6, '1g.20gb'],
    ]);
    expect(gpuCapacity(merged, 'single')).toEqual({ 'nvidia.com/gpu': 4 });
  });

  it('leaves a GPU whose MIG mode is disabled alone, and ignores GPUs -L does not list', () => {
    const csv = parseQueryGpuCsv(
      `0, ${MASKED_UUID}, NVIDIA H100 80GB HBM3, 00000000:00:09.0, 81559, 0, 81081, 9.0, 590.48.01, Disabled, 41, 69.85, 0, 0`,
    );
    const list = parseNvidiaSmiList(
      `GPU 0: NVIDIA H100 80GB HBM3 (UUID: ${MASKED_UUID})\n  MIG 1g.10gb Device 0: (UUID: MIG-00000000-0000-0000-0000-000000000000)`,
    );
    expect(mergeMigList(csv, list)).toEqual(csv);
    expect(mergeMigList(csv, [])).toEqual(csv);
  });
});
