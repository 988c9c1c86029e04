// The node report checker, readiness from heartbeats, and the per-node GPU view (labels, capacity).
import { describe, expect, it } from 'vitest';
import { emptyGpuReport } from '../gpu/index.js';
import type { GpuDevice, GpuReport } from '../gpu/index.js';
import { agentNodeName, parseAgentConfig } from './agent-config.js';
import { nodeGpuView } from './labels.js';
import { NODE_READY_MISSED_HEARTBEATS, nodeReadiness } from './readiness.js';
import { HEARTBEAT_SECONDS, validateNodeReport } from './report.js';

const GPU: GpuDevice = {
  index: 0,
  uuid: 'GPU-11111111-2222-3333-4444-555555555555',
  product: 'NVIDIA H100 80GB HBM3',
  brand: 'NVIDIA',
  architecture: 'Hopper',
  pciBusId: '00000000:0C:00.0',
  pciDeviceId: null,
  memoryTotalMiB: 81559,
  memoryUsedMiB: 0,
  memoryFreeMiB: 81559,
  computeCapability: '9.0',
  temperatureC: 30,
  powerDrawW: 70,
  powerLimitW: 700,
  utilizationGpuPct: 0,
  eccMode: 'enabled',
  eccUncorrectedVolatile: 0,
  migMode: 'disabled',
  migDevices: [],
  processes: [],
  health: 'ok',
  healthReasons: [],
};
const H100: GpuReport = { driverVersion: '590.48.01', cudaVersion: '13.1', gpus: [GPU], source: 'xml' };

describe('validateNodeReport', () => {
  const good = {
    instanceId: 'i-1',
    nodeName: 'cn-hangzhou.10.0.0.5',
    privateIp: '10.0.0.5',
    gpuReport: H100,
  };

  it('M62 accepts a report without facts and period (an emulated worker), defaulting the period', () => {
    expect(validateNodeReport(good)).toEqual({
      ok: true,
      report: { ...good, heartbeatSeconds: HEARTBEAT_SECONDS.default },
    });
  });

  it('M1 a CPU node (no nvidia-smi) is a valid report', () => {
    expect(validateNodeReport({ ...good, gpuReport: emptyGpuReport('none') }).ok).toBe(true);
  });

  it('lists every problem, GPU report problems under gpuReport., and never throws on hostile input', () => {
    const r = validateNodeReport({ nodeName: '-x-', privateIp: '::1', gpuReport: { gpus: 3 }, node: 'me' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const got = r.problems.map((p) => `${p.path} ${p.code}`);
    expect(got).toEqual(
      expect.arrayContaining([
        'instanceId FIELD_REQUIRED',
        'nodeName FIELD_PATTERN',
        'node FIELD_TYPE',
        'gpuReport.gpus GPU_REPORT_TYPE',
        'gpuReport.source GPU_REPORT_REQUIRED',
      ]),
    );
    expect(got).not.toContain('privateIp FIELD_PATTERN');
    for (const input of [null, [], 'x', 42, { gpuReport: null }])
      expect(validateNodeReport(input).ok).toBe(false);
  });
});

describe('nodeReadiness', () => {
  const h = { registeredAt: 1_000, lastSeenAt: 5_000, heartbeatMs: 10_000 };

  it(`M62 Ready up to ${NODE_READY_MISSED_HEARTBEATS} periods after the last report, then NotReady`, () => {
    expect(nodeReadiness(h, 35_000)).toEqual({
      status: 'Ready',
      reason: 'AgentReporting',
      readyUntil: 35_000,
    });
    expect(nodeReadiness(h, 35_001)).toEqual({
      status: 'NotReady',
      reason: 'HeartbeatsMissed',
      readyUntil: null,
    });
    expect(nodeReadiness(h, 0).status).toBe('Ready');
  });

  it('M62 Unknown before the first report', () => {
    expect(nodeReadiness({ registeredAt: null, lastSeenAt: null, heartbeatMs: 10_000 }, 0).status).toBe(
      'Unknown',
    );
  });
});

describe('nodeGpuView', () => {
  it('M62 whole GPUs: GFD and ACK labels, nvidia.com/gpu capacity', () => {
    const v = nodeGpuView({
      ...H100,
      gpus: [GPU, { ...GPU, index: 1, uuid: GPU.uuid.replace('5555', '6666'), pciBusId: '00000000:0D:00.0' }],
    });
    expect(v.capacity).toEqual({ 'nvidia.com/gpu': 2 });
    expect(v.labels).toMatchObject({
      'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3',
      'nvidia.com/gpu.count': '2',
      'nvidia.com/gpu.memory': '81559',
      'nvidia.com/gpu.family': 'hopper',
      'aliyun.accelerator/nvidia_name': 'NVIDIA-H100-80GB-HBM3',
      'aliyun.accelerator/nvidia_count': '2',
      'aliyun.accelerator/nvidia_mem': '81559MiB',
    });
  });

  it('M62 MIG: mixed counts MIG devices per profile; single counts them as nvidia.com/gpu only when uniform', () => {
    const mig = (index: number, profile: string) => ({
      index,
      gpuInstanceId: index + 1,
      computeInstanceId: 0,
      profile,
      uuid: null,
      memoryTotalMiB: 9_856,
      multiprocessorCount: 16,
    });
    const uniform = {
      ...H100,
      gpus: [{ ...GPU, migMode: 'enabled' as const, migDevices: [mig(0, '1g.10gb'), mig(1, '1g.10gb')] }],
    };
    expect(nodeGpuView(uniform).capacity).toEqual({ 'nvidia.com/gpu': 0, 'nvidia.com/mig-1g.10gb': 2 });
    expect(nodeGpuView(uniform, 'single').capacity).toEqual({ 'nvidia.com/gpu': 2 });
    const mixed = {
      ...H100,
      gpus: [{ ...GPU, migMode: 'enabled' as const, migDevices: [mig(0, '1g.10gb'), mig(1, '3g.40gb')] }],
    };
    expect(nodeGpuView(mixed).capacity).toEqual({
      'nvidia.com/gpu': 0,
      'nvidia.com/mig-1g.10gb': 1,
      'nvidia.com/mig-3g.40gb': 1,
    });
    expect(nodeGpuView(mixed, 'single').capacity).toEqual({ 'nvidia.com/gpu': 0 });
  });

  it('M1 a CPU node has no GPU labels and no GPU capacity', () => {
    expect(nodeGpuView(emptyGpuReport('none'))).toEqual({ migStrategy: 'mixed', labels: {}, capacity: {} });
  });
});

describe('agentNodeName', () => {
  const base = { server: 'http://127.0.0.1:8080', clusterId: 'c1', token: 't', nodeName: null };

  it('M51: applies the spec pattern to the node IP; a fixed name wins; otherwise the fallback', () => {
    const pattern = { prefix: 'aliyun.com', ipDigits: 5, suffix: 'test' };
    expect(agentNodeName({ ...base, nodeNamePattern: pattern }, '192.168.0.55', 'x')).toBe(
      'aliyun.com00055test',
    );
    expect(agentNodeName({ ...base, nodeName: 'fixed', nodeNamePattern: pattern }, '192.168.0.55', 'x')).toBe(
      'fixed',
    );
    expect(agentNodeName(base, '192.168.0.55', 'cn-hangzhou.192.168.0.55')).toBe('cn-hangzhou.192.168.0.55');
  });

  it('M51: the pattern survives the configuration file; a malformed one makes the file invalid', () => {
    const pattern = { prefix: 'gpu-', ipDigits: 6, suffix: '' };
    expect(parseAgentConfig(JSON.stringify({ ...base, nodeNamePattern: pattern }))?.nodeNamePattern).toEqual(
      pattern,
    );
    expect(parseAgentConfig(JSON.stringify(base))).toEqual(base);
    expect(
      parseAgentConfig(JSON.stringify({ ...base, nodeNamePattern: { prefix: 'a', ipDigits: 99 } })),
    ).toBeNull();
  });
});
