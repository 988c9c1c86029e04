// The node agent's discovery and parts (issue 7): nvidia-smi run for real through a fake script (every
// XML fixture, CSV fallback with -L, hanging, garbage, exit 9, absent), node facts, config, backoff, loop.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AGENT_EXIT,
  collectNodeFacts,
  discoverGpus,
  externalAddresses,
  MAX_BACKOFF_MS,
  nextDelayMs,
  parseOsRelease,
  readAgentConfig,
  resolveIdentity,
  runAgentLoop,
  sendReport,
  spawnRunner,
} from '../src/agent/index.js';
import type { CommandRunner, HostProbe, SendOutcome } from '../src/agent/index.js';
import { validateGpuReport } from '../src/domain/gpu/index.js';
import { nodeGpuView, validateNodeReport } from '../src/domain/node/index.js';
import { fakeNvidiaSmi, type FakeBehaviour, type FakeNvidiaSmi } from './support/fake-nvidia-smi.js';

const FIXTURES = resolve(import.meta.dirname, 'fixtures', 'nvidia-smi');
const xml = (name: string) => join(FIXTURES, 'xml', name);
const csvDir = (name: string) => join(FIXTURES, 'query-gpu-csv', name);

const fakes: FakeNvidiaSmi[] = [];
afterEach(() => {
  for (const f of fakes.splice(0)) f.remove();
});

function fake(b: FakeBehaviour): string {
  const f = fakeNvidiaSmi(b);
  fakes.push(f);
  return join(f.dir, 'nvidia-smi');
}

describe('M62 GPU discovery through a real nvidia-smi process (a fake script printing fixtures)', () => {
  it.each(readdirSync(join(FIXTURES, 'xml')))('M62 %s: the XML fixture gives one valid GPU', async (file) => {
    const report = await discoverGpus(spawnRunner, { command: fake({ kind: 'fixture', xml: xml(file) }) });
    expect(report.source).toBe('xml');
    expect(report.error).toBeUndefined();
    expect(report.gpus).toHaveLength(1);
    expect(validateGpuReport(report).ok).toBe(true);
  });

  it('M62 A100 with MIG: -L fills the MIG profiles the XML lacks, so mixed-strategy capacity counts them', async () => {
    // A listing consistent with the A100 fixture (its four 19968 MiB instances are 2g.20gb on an 80 GB A100).
    const dir = mkdtempSync(join(tmpdir(), 'kuberack-list-'));
    const list = join(dir, 'a100-mig.L.txt');
    writeFileSync(
      list,
      [
        'GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-513536b6-7d19-9063-b049-1e69664bb298)',
        ...[0, 1, 2, 3].map(
          (i) => `  MIG 2g.20gb     Device  ${i}: (UUID: MIG-0000000${i}-1111-2222-3333-444444444444)`,
        ),
        '',
      ].join('\n'),
    );
    try {
      const command = fake({ kind: 'fixture', xml: xml('telegraf__a100-sxm4-v12.xml'), list });
      const report = await discoverGpus(spawnRunner, { command });
      const gpu = report.gpus[0];
      expect(gpu?.migDevices.map((d) => d.profile)).toEqual(['2g.20gb', '2g.20gb', '2g.20gb', '2g.20gb']);
      expect(nodeGpuView(report).capacity).toEqual({ 'nvidia.com/gpu': 0, 'nvidia.com/mig-2g.20gb': 4 });
      expect(nodeGpuView(report, 'single').capacity).toEqual({ 'nvidia.com/gpu': 4 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('M62 H200 with MIG: -q -x failing falls back to --query-gpu CSV, and -L adds the five MIG devices', async () => {
    const base = 'linux-x86_64__nvidia-h200-mig__590.48.01';
    const command = fake({
      kind: 'fixture',
      csv: csvDir(`${base}.idle.query-gpu.csv`),
      list: csvDir(`${base}.L.txt`),
    });
    const report = await discoverGpus(spawnRunner, { command });
    expect(report.source).toBe('csv');
    expect(report.error?.code).toBe('NVIDIA_SMI_FAILED');
    expect(report.error?.message).toMatch(/-q -x exited with status 2.*used --query-gpu/);
    expect(report.gpus[0]).toMatchObject({
      product: 'NVIDIA H200',
      memoryTotalMiB: 143771,
      migMode: 'enabled',
    });
    expect(report.gpus[0]?.migDevices.map((d) => d.profile)).toEqual([
      '1c.3g.71gb',
      '2c.3g.71gb',
      '2g.35gb',
      '1g.18gb',
      '1g.18gb',
    ]);
    const view = nodeGpuView(report);
    expect(view.capacity['nvidia.com/mig-1g.18gb']).toBe(2);
    expect(view.labels['nvidia.com/gpu.family']).toBe('hopper');
    expect(validateGpuReport(report).ok).toBe(true);
  });

  it('M1 a CPU node: no nvidia-smi at all is a valid report with zero GPUs and no error', async () => {
    const report = await discoverGpus(spawnRunner, { command: join(FIXTURES, 'no-such-dir', 'nvidia-smi') });
    expect(report).toEqual({ driverVersion: null, cudaVersion: null, gpus: [], source: 'none' });
  });

  it('a hanging nvidia-smi is killed at the deadline: zero GPUs and NVIDIA_SMI_TIMEOUT', async () => {
    const report = await discoverGpus(spawnRunner, { command: fake({ kind: 'hang' }), timeoutMs: 300 });
    expect(report.gpus).toEqual([]);
    expect(report.error).toEqual({
      code: 'NVIDIA_SMI_TIMEOUT',
      message: expect.stringMatching(/within 300 ms/),
    });
    expect(validateGpuReport(report).ok).toBe(true);
  });

  it('garbage output: zero GPUs and NVIDIA_SMI_MALFORMED', async () => {
    const report = await discoverGpus(spawnRunner, { command: fake({ kind: 'garbage' }) });
    expect(report.gpus).toEqual([]);
    expect(report.error?.code).toBe('NVIDIA_SMI_MALFORMED');
    expect(validateGpuReport(report).ok).toBe(true);
  });

  it('exit status 9 (driver not loaded): zero GPUs and NVIDIA_SMI_FAILED quoting what it said', async () => {
    const report = await discoverGpus(spawnRunner, { command: fake({ kind: 'exit', code: 9 }) });
    expect(report.gpus).toEqual([]);
    expect(report.error?.code).toBe('NVIDIA_SMI_FAILED');
    expect(report.error?.message).toMatch(/exited with status 9: NVIDIA-SMI has failed/);
  });

  it('when nothing else can be read, -L still names the GPUs in the error', async () => {
    const runner: CommandRunner = (_c, args) =>
      Promise.resolve(
        args[0] === '-L'
          ? { kind: 'ok', stdout: 'GPU 0: NVIDIA L40S (UUID: GPU-00000000-0000-0000-0000-000000000000)\n' }
          : { kind: 'failed', exitCode: 15, signal: null, output: 'Unknown Error' },
      );
    const report = await discoverGpus(runner);
    expect(report.gpus).toEqual([]);
    expect(report.error?.message).toMatch(/status 15: Unknown Error.*-L lists 1 GPU\(s\): NVIDIA L40S/);
  });

  it('a timed-out run is not followed by more runs (each would hang as long)', async () => {
    const calls: string[] = [];
    const runner: CommandRunner = (_c, args) => {
      calls.push(args.join(' '));
      return Promise.resolve({ kind: 'timeout', afterMs: 10 });
    };
    await discoverGpus(runner);
    expect(calls).toEqual(['-q -x']);
  });
});

const HOST: HostProbe = {
  hostname: () => 'gpu-worker-1',
  interfaces: () => ({
    lo: [
      {
        address: '127.0.0.1',
        netmask: '255.0.0.0',
        family: 'IPv4',
        mac: '00:00:00:00:00:00',
        internal: true,
        cidr: '127.0.0.1/8',
      },
    ],
    eth0: [
      {
        address: 'fe80::1',
        netmask: 'ffff:ffff:ffff:ffff::',
        family: 'IPv6',
        mac: '00:16:3e:00:00:01',
        internal: false,
        cidr: 'fe80::1/64',
        scopeid: 2,
      },
      {
        address: '2408:4000::10',
        netmask: 'ffff:ffff:ffff:ffff::',
        family: 'IPv6',
        mac: '00:16:3e:00:00:01',
        internal: false,
        cidr: '2408:4000::10/64',
        scopeid: 0,
      },
      {
        address: '192.168.0.10',
        netmask: '255.255.255.0',
        family: 'IPv4',
        mac: '00:16:3e:00:00:01',
        internal: false,
        cidr: '192.168.0.10/24',
      },
    ],
  }),
  cpus: () => Array.from({ length: 8 }, () => ({ model: 'Intel(R) Xeon(R) Platinum 8369B CPU @ 2.70GHz' })),
  totalMemBytes: () => 30 * 2 ** 30,
  kernel: () => '5.10.134-16.al8.x86_64',
  arch: () => 'x64',
  osRelease: () =>
    'NAME="Alibaba Cloud Linux"\nVERSION_ID="3"\nID="alinux"\nPRETTY_NAME="Alibaba Cloud Linux 3 (Soaring Falcon)"\n',
};

describe('node facts, identity and configuration', () => {
  it('M1 node facts: hostname, external IPv4 then IPv6 (no loopback, no link-local), CPU, memory, OS, kernel', () => {
    expect(collectNodeFacts(HOST)).toEqual({
      hostname: 'gpu-worker-1',
      addresses: ['192.168.0.10', '2408:4000::10'],
      cpu: { count: 8, model: 'Intel(R) Xeon(R) Platinum 8369B CPU @ 2.70GHz' },
      memoryMiB: 30_720,
      os: { id: 'alinux', name: 'Alibaba Cloud Linux 3 (Soaring Falcon)', version: '3' },
      kernel: '5.10.134-16.al8.x86_64',
      architecture: 'x64',
      agentVersion: '0.1.0',
    });
    expect(collectNodeFacts({ ...HOST, osRelease: () => null }).os).toEqual({
      id: null,
      name: null,
      version: null,
    });
    expect(parseOsRelease('ID=debian\nNAME=\'Debian GNU/Linux\'\n# comment\nVERSION_ID="12"')).toEqual({
      ID: 'debian',
      NAME: 'Debian GNU/Linux',
      VERSION_ID: '12',
    });
    expect(externalAddresses({})).toEqual([]);
  });

  it('M1 the real machine gives facts the server accepts', () => {
    const v = validateNodeReport({
      instanceId: 'i-test',
      nodeName: 'n1',
      privateIp: '10.0.0.1',
      gpuReport: { driverVersion: null, cudaVersion: null, gpus: [], source: 'none' },
      node: collectNodeFacts(),
    });
    expect(v.ok).toBe(true);
  });

  it('M51 identity: the configuration wins, then metadata (ACK `<region>.<ip>` names), then the hostname', async () => {
    const facts = collectNodeFacts(HOST);
    const settings = { server: 'http://s', clusterId: 'c', token: 't', nodeName: null, instanceId: null };
    const meta = (values: Record<string, string>) => (k: string) => Promise.resolve(values[k] ?? null);
    expect(await resolveIdentity(settings, facts, meta({}))).toEqual({
      instanceId: 'gpu-worker-1',
      privateIp: '192.168.0.10',
      nodeName: 'gpu-worker-1',
    });
    expect(
      await resolveIdentity(
        settings,
        facts,
        meta({ 'instance-id': 'i-bp1', 'private-ipv4': '172.16.0.9', 'region-id': 'cn-hangzhou' }),
      ),
    ).toEqual({ instanceId: 'i-bp1', privateIp: '172.16.0.9', nodeName: 'cn-hangzhou.172.16.0.9' });
    expect(
      await resolveIdentity(
        { ...settings, nodeName: 'Worker_A', instanceId: 'i-fixed' },
        facts,
        meta({ 'instance-id': 'i-other' }),
      ),
    ).toMatchObject({ instanceId: 'i-fixed', nodeName: 'worker-a' });
  });

  it('a bad configuration names every problem and never quotes the token', () => {
    const r = readAgentConfig(
      JSON.stringify({ server: 'ftp://x', token: 'krn_SECRET', extra: 1, nodeName: 5 }),
    );
    expect(r.ok).toBe(false);
    const text = JSON.stringify(r);
    expect(text).toContain('server must be an http');
    expect(text).toContain('clusterId is required');
    expect(text).toContain('unknown field extra');
    expect(text).toContain('nodeName must be a string');
    expect(text).not.toContain('krn_SECRET');
    expect(readAgentConfig('{not json').ok).toBe(false);
    const ok = readAgentConfig(
      JSON.stringify({ server: 'http://h:8080/', clusterId: 'c', token: 't', nodeName: null }),
    );
    expect(ok).toEqual({
      ok: true,
      settings: { server: 'http://h:8080', clusterId: 'c', token: 't', nodeName: null, instanceId: null },
    });
  });
});

describe('reporting: backoff, answers and the loop', () => {
  it('backoff: the interval (±10%) after success; doubling with jitter, capped, after failures', () => {
    expect(nextDelayMs(0, 10_000, () => 0)).toBe(9_000);
    expect(nextDelayMs(0, 10_000, () => 0.999_999)).toBe(11_000);
    expect(nextDelayMs(1, 10_000, () => 0)).toBe(5_000);
    expect(nextDelayMs(3, 10_000, () => 0)).toBe(20_000);
    expect(nextDelayMs(50, 10_000, () => 0.999_999)).toBeLessThanOrEqual(MAX_BACKOFF_MS);
    expect(nextDelayMs(50, 10_000, () => 0)).toBe(MAX_BACKOFF_MS / 2);
  });

  it('sendReport sorts answers: 200 accepted, 401 NODE_TOKEN_UNKNOWN revoked, 400 refused, 5xx and no server retry', async () => {
    const reply = (status: number, body: unknown) => () =>
      Promise.resolve(new Response(JSON.stringify(body), { status }));
    const send = (f: () => Promise<Response>) =>
      sendReport('http://h', 'krn_SECRET', {}, { fetch: f as typeof fetch });
    expect(await send(reply(200, { registered: true }))).toEqual({
      kind: 'accepted',
      registered: true,
      changed: false,
    });
    expect(await send(reply(401, { code: 'NODE_TOKEN_UNKNOWN' }))).toEqual({ kind: 'revoked', status: 401 });
    expect((await send(reply(401, { code: 'API_UNAUTHORIZED' }))).kind).toBe('retry');
    expect(
      await send(
        reply(400, {
          code: 'NODE_REPORT_INVALID',
          problems: [{ path: 'nodeName', code: 'FIELD_PATTERN', message: 'bad' }],
        }),
      ),
    ).toEqual({ kind: 'refused', status: 400, problems: ['nodeName: bad [FIELD_PATTERN]'] });
    expect((await send(reply(503, {}))).kind).toBe('retry');
    const down = await sendReport('http://127.0.0.1:9', 'krn_SECRET', {}, { timeoutMs: 2_000 });
    expect(down.kind).toBe('retry');
    expect(JSON.stringify(down)).not.toContain('krn_SECRET');
  });

  it('the loop never exits on server errors, backs off, recovers, and stops only when the token is revoked', async () => {
    const answers: SendOutcome[] = [
      { kind: 'retry', reason: 'the server answered 503' },
      { kind: 'retry', reason: 'the server answered 503' },
      { kind: 'accepted', registered: true, changed: false },
      { kind: 'refused', status: 400, problems: ['x: y [Z]'] },
      { kind: 'accepted', registered: false, changed: false },
      { kind: 'revoked', status: 401 },
    ];
    const sleeps: number[] = [];
    const logs: string[] = [];
    const code = await runAgentLoop({
      intervalMs: 1_000,
      build: () => Promise.resolve({ body: {}, summary: { nodeName: 'n1', gpuCount: 1, error: null } }),
      send: () => Promise.resolve(answers.shift() ?? { kind: 'revoked', status: 401 }),
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      random: () => 0,
      log: (l) => logs.push(l),
      signal: new AbortController().signal,
    });
    expect(code).toBe(AGENT_EXIT.revoked);
    expect(sleeps).toEqual([500, 1_000, 900, 500, 900]);
    expect(logs.join('\n')).toMatch(/registered as n1 with 1 GPU/);
    expect(logs.join('\n')).toMatch(/accepts reports again after 2 failed/);
  });

  it('the loop ends with exit 0 when stopped', async () => {
    const stop = new AbortController();
    const code = await runAgentLoop({
      intervalMs: 1_000,
      build: () => Promise.resolve({ body: {}, summary: { nodeName: 'n', gpuCount: 0, error: null } }),
      send: () => {
        stop.abort();
        return Promise.resolve({ kind: 'accepted', registered: true, changed: false });
      },
      sleep: () => Promise.resolve(),
      random: Math.random,
      log: () => undefined,
      signal: stop.signal,
    });
    expect(code).toBe(0);
  });
});
