// Tests for the `nvidia-smi -q -x` reader: every real XML fixture (DTD v11–v13), then synthetic
// documents with elements missing, renamed, reordered or wrapped, and malformed output.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateGpuReport } from '../../domain/gpu/index.js';
import type { GpuReport } from '../../domain/gpu/index.js';
import { parseNvidiaSmiXml } from './parse-xml.js';

const root = new URL('../../../test/fixtures/nvidia-smi/xml/', import.meta.url);
const xmlFixture = (name: string): string => readFileSync(new URL(name, root), 'utf8');

interface Expected {
  file: string;
  product: string;
  uuid: string;
  memoryTotalMiB: number;
  pciBusId: string;
  driverVersion: string;
  cudaVersion: string;
  architecture: string | null;
  migMode: 'enabled' | 'disabled' | null;
  migDevices: number;
  processes: number;
  health: 'ok' | 'unknown';
}

const FIXTURES: Expected[] = [
  {
    file: 'telegraf__a100-sxm4-v12.xml',
    product: 'NVIDIA A100-SXM4-80GB',
    uuid: 'GPU-513536b6-7d19-9063-b049-1e69664bb298',
    memoryTotalMiB: 81920,
    pciBusId: '00000000:01:00.0',
    driverVersion: '535.54.03',
    cudaVersion: '12.2',
    architecture: 'Ampere',
    migMode: 'enabled',
    migDevices: 4,
    processes: 0,
    health: 'ok',
  },
  {
    file: 'telegraf__a10g.xml',
    product: 'NVIDIA A10G',
    uuid: 'GPU-9a9a6c50-2a47-2f51-a902-b82c3b127e94',
    memoryTotalMiB: 23028,
    pciBusId: '00000000:00:1E.0',
    driverVersion: '515.105.01',
    cudaVersion: '11.7',
    architecture: 'Ampere',
    migMode: null,
    migDevices: 0,
    processes: 1,
    health: 'ok',
  },
  {
    file: 'telegraf__tesla-t4.xml',
    product: 'Tesla T4',
    uuid: 'GPU-d37e67a5-91dd-3774-a5cb-99096249601a',
    memoryTotalMiB: 15360,
    pciBusId: '00000000:00:1E.0',
    driverVersion: '515.105.01',
    cudaVersion: '11.7',
    architecture: 'Turing',
    migMode: null,
    migDevices: 0,
    processes: 2,
    health: 'ok',
  },
  {
    file: 'telegraf__quadro-p2000-v12.xml',
    product: 'Quadro P2000',
    uuid: 'GPU-396caaed-39ca-3199-2e68-717cdb786ec6',
    memoryTotalMiB: 5120,
    pciBusId: '00000000:17:00.0',
    driverVersion: '525.125.06',
    cudaVersion: '12.0',
    architecture: 'Pascal',
    migMode: null,
    migDevices: 0,
    processes: 0,
    health: 'unknown',
  },
  {
    file: 'telegraf__rtx-3080-v13.xml',
    product: 'NVIDIA GeForce RTX 3080',
    uuid: 'GPU-19d6d965-2acc-f646-00f8-4c76979aabb4',
    memoryTotalMiB: 10240,
    pciBusId: '00000000:0C:00.0',
    driverVersion: '595.58.03',
    cudaVersion: '13.2',
    architecture: 'Ampere',
    migMode: null,
    migDevices: 0,
    processes: 0,
    health: 'ok',
  },
  {
    file: 'telegraf__rtx-4000-sff-ada-v13.xml',
    product: 'NVIDIA RTX 4000 SFF Ada Generation',
    uuid: 'GPU-37037c3f-65c8-ec4d-24a9-420204ad8026',
    memoryTotalMiB: 20475,
    pciBusId: '00000000:06:00.0',
    driverVersion: '595.84',
    cudaVersion: '13.2',
    architecture: 'Ada Lovelace',
    migMode: null,
    migDevices: 0,
    processes: 4,
    health: 'ok',
  },
  {
    file: 'datakit__tesla-v100-pcie-32gb-1card.xml',
    product: 'Tesla V100-PCIE-32GB',
    uuid: 'GPU-e77ce5d8-8b63-c936-3c1b-839d45bcd0f2',
    memoryTotalMiB: 32510,
    pciBusId: '00000000:21:01.0',
    driverVersion: '460.39',
    cudaVersion: '11.2',
    architecture: null,
    migMode: null,
    migDevices: 0,
    processes: 4,
    health: 'ok',
  },
];

function onlyGpu(report: GpuReport) {
  expect(report.gpus).toHaveLength(1);
  const gpu = report.gpus[0];
  if (gpu === undefined) throw new Error('no GPU');
  return gpu;
}

describe('parseNvidiaSmiXml on real fixtures', () => {
  it('has a table row for every XML fixture', () => {
    expect(readdirSync(root).sort()).toEqual(FIXTURES.map((f) => f.file).sort());
  });

  it.each(FIXTURES)('M62 $file: $product, $memoryTotalMiB MiB, driver $driverVersion', (f) => {
    const report = parseNvidiaSmiXml(xmlFixture(f.file));
    expect(report.error).toBeUndefined();
    expect(report.source).toBe('xml');
    expect(report.driverVersion).toBe(f.driverVersion);
    expect(report.cudaVersion).toBe(f.cudaVersion);
    const gpu = onlyGpu(report);
    expect(gpu).toMatchObject({
      index: 0,
      product: f.product,
      uuid: f.uuid,
      memoryTotalMiB: f.memoryTotalMiB,
      pciBusId: f.pciBusId,
      architecture: f.architecture,
      migMode: f.migMode,
      health: f.health,
    });
    expect(gpu.migDevices).toHaveLength(f.migDevices);
    expect(gpu.processes).toHaveLength(f.processes);
    expect(validateGpuReport(report)).toEqual({ ok: true, report });
  });

  it('M62 A100 with MIG: counts the <gpu> elements (1), not attached_gpus (4), and reads 4 MIG devices', () => {
    const gpu = onlyGpu(parseNvidiaSmiXml(xmlFixture('telegraf__a100-sxm4-v12.xml')));
    expect(gpu.migDevices.map((d) => [d.index, d.gpuInstanceId, d.computeInstanceId])).toEqual([
      [0, 3, 0],
      [1, 4, 0],
      [2, 5, 0],
      [3, 6, 0],
    ]);
    expect(gpu.migDevices[0]).toMatchObject({
      memoryTotalMiB: 19968,
      multiprocessorCount: 14,
      profile: null,
    });
    expect(gpu.utilizationGpuPct).toBeNull(); // N/A under MIG
    expect(gpu).toMatchObject({
      powerDrawW: 67.03,
      powerLimitW: 500,
      temperatureC: 27,
      pciDeviceId: '0x20B210DE',
    });
  });

  it('M62 T4 (DTD v11, old power_readings): power, ECC and processes', () => {
    const gpu = onlyGpu(parseNvidiaSmiXml(xmlFixture('telegraf__tesla-t4.xml')));
    expect(gpu).toMatchObject({
      powerDrawW: 26.78,
      powerLimitW: 70,
      eccMode: 'enabled',
      eccUncorrectedVolatile: 0,
    });
    expect(gpu.processes).toEqual([
      {
        pid: 675,
        type: 'G',
        name: '/usr/lib/xorg/Xorg',
        usedMemoryMiB: 22,
        gpuInstanceId: null,
        computeInstanceId: null,
      },
      {
        pid: 5762,
        type: 'C',
        name: 'python',
        usedMemoryMiB: 1005,
        gpuInstanceId: null,
        computeInstanceId: null,
      },
    ]);
  });

  it('M62 RTX 3080 (DTD v13): instant_power_draw, mig_devices "None", no ECC → null', () => {
    const gpu = onlyGpu(parseNvidiaSmiXml(xmlFixture('telegraf__rtx-3080-v13.xml')));
    expect(gpu).toMatchObject({
      powerDrawW: 142.33,
      powerLimitW: 320,
      eccMode: null,
      eccUncorrectedVolatile: null,
    });
    expect(gpu.migDevices).toEqual([]);
  });

  it('M62 RTX 4000 Ada (DTD v13): process types G, C and C+G', () => {
    const gpu = onlyGpu(parseNvidiaSmiXml(xmlFixture('telegraf__rtx-4000-sff-ada-v13.xml')));
    expect(gpu.processes.map((p) => p.type)).toEqual(['G', 'G', 'C', 'C+G']);
    expect(gpu.eccMode).toBe('disabled');
  });

  it('M62 V100 (drv 460, no product_architecture): old single/double_bit ECC layout', () => {
    const gpu = onlyGpu(parseNvidiaSmiXml(xmlFixture('datakit__tesla-v100-pcie-32gb-1card.xml')));
    expect(gpu).toMatchObject({
      architecture: null,
      eccUncorrectedVolatile: 0,
      utilizationGpuPct: 91,
      brand: 'Tesla',
    });
  });
});

// ---------------------------------------------------------------------------------------------

const UUID_A = 'GPU-11111111-2222-3333-4444-555555555555';
const UUID_B = 'GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

function gpuXml(
  opts: { id?: string; uuid?: string; body?: string; name?: string; total?: string } = {},
): string {
  const id = opts.id ?? '00000000:01:00.0';
  return `<gpu id="${id}">
    <product_name>${opts.name ?? 'NVIDIA H100 80GB HBM3'}</product_name>
    <uuid>${opts.uuid ?? UUID_A}</uuid>
    <fb_memory_usage><total>${opts.total ?? '81559 MiB'}</total><used>1 MiB</used><free>81000 MiB</free></fb_memory_usage>
    ${opts.body ?? ''}
  </gpu>`;
}

function doc(
  gpus: string,
  head = '<driver_version>550.54.15</driver_version><cuda_version>12.4</cuda_version>',
): string {
  return `<?xml version="1.0" ?>\n<nvidia_smi_log>${head}<attached_gpus>8</attached_gpus>${gpus}</nvidia_smi_log>`;
}

describe('parseNvidiaSmiXml on synthetic documents', () => {
  it('reads a minimal single <gpu> (object, not array) with everything optional missing', () => {
    const report = parseNvidiaSmiXml(doc(gpuXml()));
    const gpu = onlyGpu(report);
    expect(gpu).toMatchObject({
      uuid: UUID_A,
      memoryTotalMiB: 81559,
      memoryUsedMiB: 1,
      pciBusId: '00000000:01:00.0',
      brand: null,
      migMode: null,
      migDevices: [],
      processes: [],
      health: 'unknown',
      healthReasons: [],
    });
    expect(validateGpuReport(report).ok).toBe(true);
  });

  it('reads several <gpu> elements in order, ignoring attached_gpus', () => {
    const report = parseNvidiaSmiXml(doc(gpuXml() + gpuXml({ id: '00000000:02:00.0', uuid: UUID_B })));
    expect(report.gpus.map((g) => [g.index, g.uuid, g.pciBusId])).toEqual([
      [0, UUID_A, '00000000:01:00.0'],
      [1, UUID_B, '00000000:02:00.0'],
    ]);
  });

  it('normalises old 4-digit-domain PCI ids and prefers pci/pci_bus_id over gpu@id', () => {
    const old = onlyGpu(parseNvidiaSmiXml(doc(gpuXml({ id: '0000:04:00.0' }))));
    expect(old.pciBusId).toBe('00000000:04:00.0');
    const both = onlyGpu(
      parseNvidiaSmiXml(
        doc(gpuXml({ id: 'junk', body: '<pci><pci_bus_id>0000:0a:00.0</pci_bus_id></pci>' })),
      ),
    );
    expect(both.pciBusId).toBe('00000000:0A:00.0');
  });

  it('trims whitespace-wrapped values, including a value wrapped across lines', () => {
    const body = `<product_brand>
        NVIDIA
      </product_brand>
      <temperature><gpu_temp>
        36
        C</gpu_temp></temperature>`;
    const xml = doc(gpuXml({ name: '\n   NVIDIA   H100\n  80GB HBM3  ', total: '\n 81559\n MiB ', body }));
    const gpu = onlyGpu(parseNvidiaSmiXml(xml));
    expect(gpu).toMatchObject({
      product: 'NVIDIA H100 80GB HBM3',
      brand: 'NVIDIA',
      memoryTotalMiB: 81559,
      temperatureC: 36,
    });
  });

  it('reads renamed elements: gpu_power_readings/current_power_limit and power_readings/power_limit', () => {
    const v12 =
      '<gpu_power_readings><power_draw>[N/A]</power_draw><average_power_draw>70.5 W</average_power_draw><current_power_limit>700.00 W</current_power_limit></gpu_power_readings>';
    const v10 =
      '<power_readings><power_draw>25 W</power_draw><power_limit>70.00 W</power_limit></power_readings>';
    expect(onlyGpu(parseNvidiaSmiXml(doc(gpuXml({ body: v12 }))))).toMatchObject({
      powerDrawW: 70.5,
      powerLimitW: 700,
    });
    expect(onlyGpu(parseNvidiaSmiXml(doc(gpuXml({ body: v10 }))))).toMatchObject({
      powerDrawW: 25,
      powerLimitW: 70,
    });
  });

  it('is not thrown by clocks_throttle_reasons (≤ v11) or clocks_event_reasons (v12+)', () => {
    const old =
      '<clocks_throttle_reasons><clocks_throttle_reason_gpu_idle>Active</clocks_throttle_reason_gpu_idle></clocks_throttle_reasons>';
    const now =
      '<clocks_event_reasons><clocks_event_reason_gpu_idle>Active</clocks_event_reason_gpu_idle></clocks_event_reasons>';
    for (const body of [old, now])
      expect(onlyGpu(parseNvidiaSmiXml(doc(gpuXml({ body })))).uuid).toBe(UUID_A);
  });

  it('reads elements in any order', () => {
    const reordered = `<gpu id="00000000:01:00.0"><fb_memory_usage><free>2 MiB</free><total>1024 MiB</total></fb_memory_usage>
      <mig_mode><pending_mig>Disabled</pending_mig><current_mig>Disabled</current_mig></mig_mode>
      <uuid>${UUID_A}</uuid><product_name>Tesla K80</product_name></gpu>`;
    expect(onlyGpu(parseNvidiaSmiXml(doc(reordered)))).toMatchObject({
      memoryTotalMiB: 1024,
      migMode: 'disabled',
    });
  });

  it('maps every sentinel spelling to null', () => {
    const values = [
      'N/A',
      '[N/A]',
      'Not Supported',
      '[Not Supported]',
      'Unknown Error',
      'Requested functionality has been deprecated',
    ];
    for (const v of values) {
      const gpu = onlyGpu(
        parseNvidiaSmiXml(
          doc(
            gpuXml({
              body: `<temperature><gpu_temp>${v}</gpu_temp></temperature><product_brand>${v}</product_brand>`,
            }),
          ),
        ),
      );
      expect([gpu.temperatureC, gpu.brand], v).toEqual([null, null]);
    }
  });

  it('reads a single mig_device and a single process_info (array handling) and ignores devices when MIG is off', () => {
    const mig = `<mig_mode><current_mig>Enabled</current_mig></mig_mode>
      <mig_devices><mig_device><index>0</index><gpu_instance_id>1</gpu_instance_id><compute_instance_id>0</compute_instance_id></mig_device></mig_devices>
      <processes><process_info><gpu_instance_id>1</gpu_instance_id><compute_instance_id>0</compute_instance_id><pid>42</pid><type>C</type><process_name>python</process_name><used_memory>100 MiB</used_memory></process_info></processes>`;
    const gpu = onlyGpu(parseNvidiaSmiXml(doc(gpuXml({ body: mig }))));
    expect(gpu.migDevices).toEqual([
      {
        index: 0,
        gpuInstanceId: 1,
        computeInstanceId: 0,
        profile: null,
        uuid: null,
        memoryTotalMiB: null,
        multiprocessorCount: null,
      },
    ]);
    expect(gpu.processes).toEqual([
      { pid: 42, type: 'C', name: 'python', usedMemoryMiB: 100, gpuInstanceId: 1, computeInstanceId: 0 },
    ]);
    const off = onlyGpu(parseNvidiaSmiXml(doc(gpuXml({ body: mig.replace('Enabled', 'Disabled') }))));
    expect(off.migDevices).toEqual([]);
  });

  it('accepts processes as text and mig_devices as "None"', () => {
    const body = '<mig_devices>\n None \n</mig_devices><processes>None</processes>';
    expect(onlyGpu(parseNvidiaSmiXml(doc(gpuXml({ body }))))).toMatchObject({
      migDevices: [],
      processes: [],
    });
  });

  it('marks a GPU degraded on uncorrectable ECC errors, pending retirement, remapping and recovery actions', () => {
    const body = `<ecc_mode><current_ecc>Enabled</current_ecc></ecc_mode>
      <ecc_errors><volatile><sram_uncorrectable_parity>1</sram_uncorrectable_parity><sram_uncorrectable_secded>0</sram_uncorrectable_secded><dram_uncorrectable>2</dram_uncorrectable></volatile></ecc_errors>
      <retired_pages><pending_retirement>Yes</pending_retirement></retired_pages>
      <remapped_rows><remapped_row_pending>Yes</remapped_row_pending><remapped_row_failure>No</remapped_row_failure></remapped_rows>
      <gpu_reset_status><reset_required>Yes</reset_required><drain_and_reset_recommended>No</drain_and_reset_recommended></gpu_reset_status>
      <gpu_recovery_action>Drain and Reset</gpu_recovery_action>`;
    const gpu = onlyGpu(parseNvidiaSmiXml(doc(gpuXml({ body }))));
    expect(gpu.eccUncorrectedVolatile).toBe(3);
    expect(gpu.health).toBe('degraded');
    expect(gpu.healthReasons).toEqual([
      'ECC_UNCORRECTABLE',
      'RETIRED_PAGES_PENDING',
      'REMAPPED_ROWS_PENDING',
      'RESET_REQUIRED',
      'RECOVERY_ACTION_PENDING',
    ]);
  });

  it('reads the old double_bit ECC layout', () => {
    const body =
      '<ecc_errors><volatile><single_bit><total>9</total></single_bit><double_bit><device_memory>4</device_memory><total>4</total></double_bit></volatile></ecc_errors>';
    expect(onlyGpu(parseNvidiaSmiXml(doc(gpuXml({ body })))).eccUncorrectedVolatile).toBe(4);
  });

  it('reads a document with an embedded DTD (`-x --dtd`) and with no DOCTYPE', () => {
    const dtd =
      '<!DOCTYPE nvidia_smi_log [\n<!ELEMENT nvidia_smi_log (driver_version, gpu*)>\n<!ATTLIST gpu id CDATA #REQUIRED>\n]>\n';
    const xml = `<?xml version="1.0" ?>\n${dtd}<nvidia_smi_log>${gpuXml()}</nvidia_smi_log>`;
    expect(parseNvidiaSmiXml(xml).gpus).toHaveLength(1);
  });

  it('accepts a log with zero <gpu> elements, and "No devices were found"', () => {
    expect(parseNvidiaSmiXml(doc(''))).toMatchObject({ gpus: [], source: 'xml', driverVersion: '550.54.15' });
    expect(parseNvidiaSmiXml('No devices were found\n')).toEqual({
      driverVersion: null,
      cudaVersion: null,
      gpus: [],
      source: 'xml',
    });
  });

  it('leaves out a GPU without uuid, naming what it lacks, and keeps the others', () => {
    const report = parseNvidiaSmiXml(
      doc(gpuXml({ uuid: 'N/A' }) + gpuXml({ id: '00000000:02:00.0', uuid: UUID_B })),
    );
    expect(report.gpus.map((g) => g.uuid)).toEqual([UUID_B]);
    expect(report.gpus[0]?.index).toBe(1);
    expect(report.error?.code).toBe('NVIDIA_SMI_INCOMPLETE');
    expect(report.error?.message).toContain('gpu[0] lacks uuid');
    expect(validateGpuReport(report).ok).toBe(true);
  });

  it('leaves out a second GPU with the same uuid', () => {
    const report = parseNvidiaSmiXml(doc(gpuXml() + gpuXml({ id: '00000000:02:00.0' })));
    expect(report.gpus).toHaveLength(1);
    expect(report.error?.code).toBe('NVIDIA_SMI_INCOMPLETE');
  });

  it('drops out-of-range readings to null instead of refusing the GPU', () => {
    const body =
      '<temperature><gpu_temp>9999 C</gpu_temp></temperature><utilization><gpu_util>250 %</gpu_util></utilization>';
    expect(onlyGpu(parseNvidiaSmiXml(doc(gpuXml({ body }))))).toMatchObject({
      temperatureC: null,
      utilizationGpuPct: null,
    });
  });

  it('reads a CDATA value inside an element', () => {
    const gpu = onlyGpu(parseNvidiaSmiXml(doc(gpuXml({ name: '<![CDATA[NVIDIA A10]]>' }))));
    expect(gpu.product).toBe('NVIDIA A10');
  });

  it.each([
    ['empty output', ''],
    ['plain text', "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."],
    ['a bare CDATA section', '<![CDATA[<nvidia_smi_log></nvidia_smi_log>]]>'],
    ['truncated output', doc(gpuXml()).slice(0, 200)],
    ['mismatched tags', '<nvidia_smi_log><gpu></nvidia_smi_log>'],
    ['another root element', '<html><body>502</body></html>'],
    [
      'a prototype-polluting element name',
      `<nvidia_smi_log><gpu id="x"><__proto__>1</__proto__></gpu></nvidia_smi_log>`,
    ],
    ['garbage bytes', '\u0000\u0001\uFFFD<<<>>>'],
  ])('returns NVIDIA_SMI_MALFORMED and zero GPUs for %s', (_name, xml) => {
    const report = parseNvidiaSmiXml(xml);
    expect(report.gpus).toEqual([]);
    expect(report.error?.code).toBe('NVIDIA_SMI_MALFORMED');
    expect(report.error?.message.length).toBeGreaterThan(0);
    expect(validateGpuReport(report).ok).toBe(true);
  });

  it('refuses output beyond the size limit unread', () => {
    const report = parseNvidiaSmiXml(' '.repeat(32 * 1024 * 1024 + 1));
    expect(report.error?.code).toBe('NVIDIA_SMI_TOO_LARGE');
  });
});
