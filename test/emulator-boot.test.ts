// Emulated workers boot like real ones (issue 3): the agent configuration in their user data, a
// modelled boot time after Running, and a GPU report derived from the instance type that the server's
// own checker accepts.
import { beforeEach, describe, expect, it } from 'vitest';
import { agentConfigIn, bootedNodes, markBootReported } from '../src/cloud/emulator/boot.js';
import { CloudEmulator } from '../src/cloud/emulator/index.js';
import { emulatedGpuReport } from '../src/cloud/emulator/gpus.js';
import { LATENCY_SECONDS } from '../src/cloud/emulator/latency.js';
import { INSTANCE_TYPES } from '../src/domain/catalogue/index.js';
import { validateGpuReport } from '../src/domain/gpu/report.js';
import { AGENT_CONFIG_PATH } from '../src/domain/node/index.js';
import { openSqlite } from '../src/store/sqlite.js';
import { clockTarget } from './support/emulator-lab.js';
import { network, type ConformanceTarget } from './support/provider-conformance.js';

const AGENT = {
  server: 'https://kuberack.example:8443',
  clusterId: 'c-boot',
  token: 'node-token-1',
  nodeName: null,
};
const CLOUD_CONFIG = `#cloud-config
write_files:
  - path: ${AGENT_CONFIG_PATH}
    permissions: '0600'
    content: '${JSON.stringify(AGENT)}'
`;

describe('M62 emulated GPUs', () => {
  it('an A10 instance reports one NVIDIA A10 with 24 GiB, stable per instance', () => {
    const a = emulatedGpuReport('i-bp1aaa', 'ecs.gn7i-c8g1.2xlarge');
    expect(a.gpus).toHaveLength(1);
    expect(a.gpus[0]).toMatchObject({
      product: 'NVIDIA A10',
      memoryTotalMiB: 24 * 1024,
      pciBusId: '00000000:07:00.0',
    });
    expect(emulatedGpuReport('i-bp1aaa', 'ecs.gn7i-c8g1.2xlarge')).toEqual(a);
    expect(emulatedGpuReport('i-bp1bbb', 'ecs.gn7i-c8g1.2xlarge').gpus[0]?.uuid).not.toBe(a.gpus[0]?.uuid);
  });

  it('every catalogue instance type yields a report the server accepts, with its GPU count', () => {
    for (const t of INSTANCE_TYPES) {
      const report = emulatedGpuReport(`i-${t.id}`, t.id);
      const v = validateGpuReport(report);
      expect(v.ok ? [] : v.problems, t.id).toEqual([]);
      const expected = t.accelerator.vendor === 'nvidia' ? Math.max(1, Math.floor(t.accelerator.count)) : 0;
      expect(report.gpus, t.id).toHaveLength(expected);
      expect(new Set(report.gpus.map((g) => g.uuid)).size).toBe(expected);
      expect(new Set(report.gpus.map((g) => g.pciBusId)).size).toBe(expected);
    }
  });

  it('FPGA instances have no nvidia-smi: source none, zero GPUs', () => {
    const fpga = INSTANCE_TYPES.find((t) => t.category === 'fpga');
    expect(fpga).toBeDefined();
    expect(emulatedGpuReport('i-f', fpga?.id ?? '')).toMatchObject({ source: 'none', gpus: [] });
  });
});

describe('agent configuration in user data', () => {
  it('is found in a #cloud-config write_files entry, plain or base64', () => {
    expect(agentConfigIn(CLOUD_CONFIG)).toEqual(AGENT);
    const b64 = `#cloud-config\nwrite_files:\n  - path: ${AGENT_CONFIG_PATH}\n    encoding: b64\n    content: ${Buffer.from(JSON.stringify(AGENT)).toString('base64')}\n`;
    expect(agentConfigIn(b64)).toEqual(AGENT);
  });

  it('is found in the cloud-config part of a MIME multipart (user data after ours, M49)', () => {
    const mime = [
      'Content-Type: multipart/mixed; boundary="==B=="',
      'MIME-Version: 1.0',
      '',
      '--==B==',
      'Content-Type: text/cloud-config; charset="utf-8"',
      '',
      CLOUD_CONFIG,
      '--==B==',
      'Content-Type: text/x-shellscript; charset="utf-8"',
      '',
      '#!/bin/sh\necho user',
      '--==B==--',
    ].join('\n');
    expect(agentConfigIn(mime)).toEqual(AGENT);
  });

  it('is absent from other user data, broken YAML, or a config with a bad field', () => {
    expect(agentConfigIn('#!/bin/sh\necho hi')).toBeNull();
    expect(agentConfigIn('#cloud-config\nwrite_files: [oops')).toBeNull();
    expect(agentConfigIn(CLOUD_CONFIG.replace('https://', 'ftp://'))).toBeNull();
    expect(agentConfigIn(CLOUD_CONFIG.replace(AGENT_CONFIG_PATH, '/etc/other.json'))).toBeNull();
  });
});

describe('booting emulated workers', () => {
  let clock: number;
  let emulator: CloudEmulator;
  let target: ConformanceTarget;

  beforeEach(async () => {
    clock = 1_790_000_000_000;
    emulator = new CloudEmulator({ db: openSqlite(':memory:'), now: () => clock, timeScale: 1 });
    await emulator.init();
    await emulator.setAccount({ accessKeyId: 'boot', balanceCny: 5000 });
    target = clockTarget(
      emulator,
      'boot',
      (ms) => (clock += ms),
      'aliyun_2_1903_x64_20G_alibase_20240628.vhd',
    );
  });

  async function run(userData: string) {
    const n = await network(target, 'c-boot');
    return target.provider.runInstance(
      {
        regionId: 'cn-hangzhou',
        vswitchId: n.vsw.id,
        securityGroupIds: [n.sg.id],
        instanceType: 'ecs.gn7i-c8g1.2xlarge',
        imageId: target.imageId,
        name: 'kr-worker',
        systemDisk: { category: 'cloud_essd', sizeGiB: 120, performanceLevel: 'PL0' },
        dataDisks: [],
        userData,
        chargeType: 'PostPaid',
        deletionProtection: false,
      },
      { clientToken: `t-${userData.length}`, tags: [] },
    );
  }

  it('M9 a worker registers after Running plus the modelled boot, once, with its GPUs', async () => {
    const inst = await run(CLOUD_CONFIG);
    const latency = emulator.ctx.latency;
    expect(await bootedNodes(emulator.ctx.db, clock, latency)).toEqual([]);
    const maxStart =
      (LATENCY_SECONDS['instance.pending'][1] +
        LATENCY_SECONDS['instance.starting'][1] +
        LATENCY_SECONDS['instance.gpu'][1]) *
      1000;
    clock += maxStart;
    expect((await target.provider.getInstance('cn-hangzhou', inst.id))?.status).toBe('Running');
    expect(await bootedNodes(emulator.ctx.db, clock, latency)).toEqual([]);
    clock += LATENCY_SECONDS['instance.boot'][1] * 1000;
    const booted = await bootedNodes(emulator.ctx.db, clock, latency);
    expect(booted).toHaveLength(1);
    expect(booted[0]).toMatchObject({ instanceId: inst.id, privateIp: inst.privateIp, agent: AGENT });
    expect(booted[0]?.gpuReport.gpus[0]?.product).toBe('NVIDIA A10');
    await markBootReported(emulator.ctx.db, booted[0]?.accountId ?? '', inst.id, clock);
    expect(await bootedNodes(emulator.ctx.db, clock, latency)).toEqual([]);
  });

  it('an instance without a Kuberack agent configuration never registers', async () => {
    await run('#!/bin/sh\necho not a worker');
    clock += 3_600_000;
    expect(await bootedNodes(emulator.ctx.db, clock, emulator.ctx.latency)).toEqual([]);
  });
});
