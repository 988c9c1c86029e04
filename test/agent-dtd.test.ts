// nvidia-smi DTD versions the real fixtures do not cover (v8, driver 375; v10, driver 418): documents
// written here in those versions' shape (4-digit PCI domain, no cuda_version, single/double_bit ECC,
// retired_pages, power_readings, no MIG) must parse to valid reports, with labels and capacity.
import { describe, expect, it } from 'vitest';
import { parseNvidiaSmiXml } from '../src/agent/nvidia-smi/index.js';
import { validateGpuReport } from '../src/domain/gpu/index.js';
import { nodeGpuView } from '../src/domain/node/index.js';

function gpu(o: {
  id: string;
  name: string;
  uuid: string;
  bus: string;
  total: string;
  extra?: string;
}): string {
  return `
  <gpu id="${o.id}">
    <product_name>${o.name}</product_name>
    <product_brand>Tesla</product_brand>
    <display_mode>Disabled</display_mode>
    <persistence_mode>Enabled</persistence_mode>
    <uuid>${o.uuid}</uuid>
    <minor_number>0</minor_number>
    <pci>
      <pci_bus>04</pci_bus>
      <pci_device>00</pci_device>
      <pci_domain>0000</pci_domain>
      <pci_device_id>102D10DE</pci_device_id>
      <pci_bus_id>${o.bus}</pci_bus_id>
    </pci>
    <fb_memory_usage>
      <total>${o.total}</total>
      <used>0 MiB</used>
      <free>${o.total}</free>
    </fb_memory_usage>
    <compute_mode>Default</compute_mode>
    <utilization>
      <gpu_util>0 %</gpu_util>
      <memory_util>0 %</memory_util>
    </utilization>
    <ecc_mode>
      <current_ecc>Enabled</current_ecc>
      <pending_ecc>Enabled</pending_ecc>
    </ecc_mode>
    <ecc_errors>
      <volatile>
        <single_bit>
          <device_memory>0</device_memory>
          <register_file>0</register_file>
          <l1_cache>0</l1_cache>
          <l2_cache>0</l2_cache>
          <texture_memory>0</texture_memory>
          <texture_shm>N/A</texture_shm>
          <total>0</total>
        </single_bit>
        <double_bit>
          <device_memory>0</device_memory>
          <register_file>0</register_file>
          <l1_cache>0</l1_cache>
          <l2_cache>0</l2_cache>
          <texture_memory>0</texture_memory>
          <texture_shm>N/A</texture_shm>
          <total>0</total>
        </double_bit>
      </volatile>
    </ecc_errors>
    <retired_pages>
      <multiple_single_bit_retirement>
        <retired_count>0</retired_count>
        <retired_page_addresses></retired_page_addresses>
      </multiple_single_bit_retirement>
      <double_bit_retirement>
        <retired_count>0</retired_count>
        <retired_page_addresses></retired_page_addresses>
      </double_bit_retirement>
      <pending_retirement>No</pending_retirement>
    </retired_pages>
    <temperature>
      <gpu_temp>31 C</gpu_temp>
      <gpu_temp_max_threshold>93 C</gpu_temp_max_threshold>
    </temperature>
    <power_readings>
      <power_state>P8</power_state>
      <power_management>Supported</power_management>
      <power_draw>26.29 W</power_draw>
      <power_limit>149.00 W</power_limit>
    </power_readings>
    <processes>
    </processes>
    ${o.extra ?? ''}
  </gpu>`;
}

const V8 = `<?xml version="1.0" ?>
<!DOCTYPE nvidia_smi_log SYSTEM "nvsmi_device_v8.dtd">
<nvidia_smi_log>
  <timestamp>Mon Jan  8 10:00:00 2018</timestamp>
  <driver_version>375.66</driver_version>
  <attached_gpus>2</attached_gpus>
  ${gpu({ id: '0000:04:00.0', name: 'Tesla K80', uuid: 'GPU-a1b2c3d4-0000-1111-2222-333344445555', bus: '0000:04:00.0', total: '11439 MiB' })}
  ${gpu({ id: '0000:05:00.0', name: 'Tesla K80', uuid: 'GPU-a1b2c3d4-0000-1111-2222-333344445556', bus: '0000:05:00.0', total: '11439 MiB' })}
</nvidia_smi_log>`;

const V10 = `<?xml version="1.0" ?>
<!DOCTYPE nvidia_smi_log SYSTEM "nvsmi_device_v10.dtd">
<nvidia_smi_log>
  <timestamp>Tue Apr  2 08:00:00 2019</timestamp>
  <driver_version>418.67</driver_version>
  <cuda_version>10.1</cuda_version>
  <attached_gpus>1</attached_gpus>
  ${gpu({
    id: '00000000:00:1E.0',
    name: 'Tesla V100-SXM2-16GB',
    uuid: 'GPU-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
    bus: '00000000:00:1E.0',
    total: '16130 MiB',
    extra: '<accounted_processes></accounted_processes>',
  })}
</nvidia_smi_log>`;

describe('M62 older nvidia-smi DTD versions', () => {
  it('M62 v8 (driver 375): two K80 dies, 4-digit PCI domain, no cuda_version, old ECC layout', () => {
    const report = parseNvidiaSmiXml(V8);
    expect(report.error).toBeUndefined();
    expect(report).toMatchObject({ driverVersion: '375.66', cudaVersion: null, source: 'xml' });
    expect(report.gpus.map((g) => [g.index, g.pciBusId, g.memoryTotalMiB])).toEqual([
      [0, '00000000:04:00.0', 11439],
      [1, '00000000:05:00.0', 11439],
    ]);
    expect(report.gpus[0]).toMatchObject({
      product: 'Tesla K80',
      pciDeviceId: '0x102D10DE',
      eccUncorrectedVolatile: 0,
      powerDrawW: 26.29,
      powerLimitW: 149,
      migMode: null,
      migDevices: [],
      health: 'ok',
    });
    expect(validateGpuReport(report).ok).toBe(true);
    const view = nodeGpuView(report);
    expect(view.capacity).toEqual({ 'nvidia.com/gpu': 2 });
    expect(view.labels).toMatchObject({ 'nvidia.com/gpu.product': 'Tesla-K80', 'nvidia.com/gpu.count': '2' });
    expect(view.labels['nvidia.com/cuda.runtime-version.full']).toBeUndefined();
  });

  it('M62 v10 (driver 418): CUDA version present, retired pages read, no architecture element', () => {
    const report = parseNvidiaSmiXml(V10);
    expect(report.error).toBeUndefined();
    expect(report).toMatchObject({ driverVersion: '418.67', cudaVersion: '10.1' });
    expect(report.gpus[0]).toMatchObject({
      product: 'Tesla V100-SXM2-16GB',
      architecture: null,
      pciBusId: '00000000:00:1E.0',
      memoryTotalMiB: 16130,
      temperatureC: 31,
      health: 'ok',
    });
    const labels = nodeGpuView(report).labels;
    expect(labels['nvidia.com/cuda.driver-version.full']).toBe('418.67');
    expect(labels['aliyun.accelerator/nvidia_mem']).toBe('16130MiB');
  });
});
