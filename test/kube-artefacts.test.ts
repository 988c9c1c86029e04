// The GPU worker's user data, the control-plane configuration and the add-on manifests (issue #5):
// golden files, real `cloud-init schema`, cloud-init's own MIME parser, `bash -n`, kubernetes-models
// schemas, and the emulator finding the agent configuration. Missing tools fail in CI, skip elsewhere.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { agentConfigIn } from '../src/cloud/emulator/boot.js';
import { allLive } from '../src/cloud/emulator/records.js';
import { KuberackError } from '../src/domain/errors.js';
import { renderMessage } from '../src/domain/messages/index.js';
import type { Params } from '../src/domain/problems.js';
import { createCluster } from '../src/engine/clusters.js';
import { describeFailure } from '../src/engine/engine.js';
import { SPEC_LIMITS } from '../src/domain/spec/defaults.js';
import { KUBELET_EVICTION_MEMORY_MIB } from '../src/domain/node/index.js';
import { buildNode } from '../src/control-plane/objects.js';
import {
  addonManifest,
  renderAddonManifest,
  summarizeAddon,
  type KubeObject,
} from '../src/kube/addons/index.js';
import {
  clusterConfiguration,
  encryptionConfiguration,
  kubeProxyConfiguration,
  renderControlPlaneConfig,
  type ControlPlaneConfigInput,
} from '../src/kube/control-plane-config.js';
import { BOOTSTRAP_SCRIPT_PATH, NODE_NAME_PLACEHOLDER } from '../src/kube/worker-script.js';
import {
  renderWorkerCloudConfig,
  renderWorkerUserData,
  USER_CLOUD_CONFIG_MERGE,
  USER_DATA_MAX_BYTES,
  type WorkerUserDataInput,
} from '../src/kube/worker-user-data.js';
import { ACCESS_KEY, exampleSpec, makeWorld } from './support/engine-world.js';
import { expectGolden } from './support/golden.js';
import { describeEachDatabase } from './support/postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'kuberack-artefacts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function tempFile(name: string, content: string | Buffer): string {
  const path = join(dir, `${files++}-${name}`);
  writeFileSync(path, content);
  return path;
}

/** True when the tool runs; in CI a missing tool is a failure, elsewhere the check is skipped. */
function have(command: string, args: string[]): boolean {
  const ok = spawnSync(command, args, { stdio: 'ignore' }).status === 0;
  if (!ok && process.env.CI === 'true') throw new Error(`${command} is missing; CI installs it (.ci/run)`);
  return ok;
}
const CLOUD_INIT = have('cloud-init', ['--version']);
// cloud-init's own Python package, to parse multipart user data exactly as a booting node does.
const CLOUD_INIT_PY = CLOUD_INIT && have('/usr/bin/python3', ['-c', 'import cloudinit.user_data']);
const BASH = have('bash', ['--version']);

const HASH = `sha256:${'3f'.repeat(32)}`;
const base: WorkerUserDataInput = {
  regionId: 'cn-hangzhou',
  kubernetesVersion: '1.34.1-aliyun.1',
  runtime: 'containerd',
  os: 'aliyun-linux-2',
  hardening: 'none',
  cpuPolicy: 'none',
  taints: [],
  nodeName: null,
  timeZone: 'Asia/Shanghai',
  instanceType: 'ecs.gn7i-c8g1.2xlarge',
  join: { apiServerEndpoint: '192.168.0.10:6443', token: 'k8sgpu.0123456789abcdef', caCertHash: HASH },
  agent: {
    server: 'https://kuberack.example.com',
    clusterId: 'c-gpu-1',
    token: 'krn_node-token',
    nodeName: null,
  },
  userData: null,
};

const CASES: Record<string, WorkerUserDataInput> = {
  'a10-containerd-static-cis': {
    ...base,
    instanceType: 'ecs.gn7i-c32g1.32xlarge',
    cpuPolicy: 'static',
    hardening: 'cis',
    taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
    nodeName: { prefix: 'aliyun.com', ipDigits: 5, suffix: 'test' },
  },
  't4-containerd-mlps': {
    ...base,
    instanceType: 'ecs.gn6i-c4g1.xlarge',
    hardening: 'mlps',
    timeZone: 'Europe/Berlin',
  },
  'v100-docker-1.18': {
    ...base,
    kubernetesVersion: '1.18.8-aliyun.1',
    runtime: 'docker',
    os: 'centos-7',
    instanceType: 'ecs.gn6v-c8g1.8xlarge',
    cpuPolicy: 'static',
  },
  'vgpu-sandboxed-1.16': {
    ...base,
    kubernetesVersion: '1.16.9-aliyun.1',
    runtime: 'sandboxed',
    instanceType: 'ecs.vgn7i-vws-m4.xlarge',
  },
  'fpga-containerd': { ...base, instanceType: 'ecs.f3-c16f1.4xlarge' },
  'multipart-shell': { ...base, userData: '#!/bin/bash\necho "extra step" > /root/extra.txt\n' },
  'multipart-cloud-config-utf8': {
    ...base,
    userData:
      '#cloud-config\nruncmd:\n  - [sh, -c, "echo 你好 > /root/hello.txt"]\nwrite_files:\n  - path: /etc/motd\n    content: "GPU 节点\\n"',
  },
};

interface Part {
  type: string;
  filename: string | null;
  mergeType: string | null;
  payload: string;
}

/** The parts cloud-init itself makes of user data at boot (its UserDataProcessor: decoding, gunzip, types). */
function cloudInitParts(userData: string): Part[] {
  const script = [
    'import base64, json, sys',
    'from cloudinit import user_data',
    // No paths: they serve only #include parts, which these tests do not have.
    'msg = user_data.UserDataProcessor(None).process(open(sys.argv[1], "rb").read())',
    'out = []',
    'for p in msg.walk():',
    '    if p.is_multipart(): continue',
    '    raw = p.get_payload(decode=True)',
    '    out.append({"type": p.get_content_type(), "filename": p.get_filename(), "mergeType": p.get("Merge-Type"),',
    '                "payload": base64.b64encode(raw).decode()})',
    'print(json.dumps(out))',
  ].join('\n');
  const text = execFileSync('/usr/bin/python3', ['-c', script, tempFile('user-data', userData)], {
    encoding: 'utf8',
  });
  return (JSON.parse(text) as Part[]).map((p) => ({
    ...p,
    payload: Buffer.from(p.payload, 'base64').toString('utf8'),
  }));
}

/** The bytes cloud-init's write_files module writes for an entry (its own decoding), as UTF-8 text. */
function cloudInitWrites(f: FileEntry): string {
  const script = [
    'import json, sys',
    'from cloudinit.config import cc_write_files as w',
    'f = json.load(open(sys.argv[1]))',
    'data = w.extract_contents(f["content"], w.canonicalize_extraction(f.get("encoding")))',
    'sys.stdout.buffer.write(data if isinstance(data, bytes) else data.encode())',
  ].join('\n');
  return execFileSync('/usr/bin/python3', ['-c', script, tempFile('entry.json', JSON.stringify(f))], {
    encoding: 'utf8',
  });
}

/** A seeded generator of integers below `n` (Park–Miller), so "random" inputs are the same every run. */
function seeded(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (x * 48271) % 2147483647;
    return x % n;
  };
}

function cloudConfigOf(input: WorkerUserDataInput): Record<string, unknown> {
  return parseYaml(renderWorkerCloudConfig(input)) as Record<string, unknown>;
}

interface FileEntry {
  path: string;
  content: string;
  encoding?: string;
}

/** A write_files entry's text, gz+b64 decoded by node:zlib (not by our own code). */
function fileIn(config: Record<string, unknown>, path: string): string {
  const f = (config.write_files as FileEntry[]).find((x) => x.path === path);
  if (!f) throw new Error(`no ${path} in write_files`);
  if (f.encoding === undefined) return f.content;
  expect(f.encoding).toBe('gz+b64');
  return gunzipSync(Buffer.from(f.content, 'base64')).toString('utf8');
}

type Args = { name: string; value: string }[] & Record<string, string>;
/** The fields of kubeadm's JoinConfiguration the tests read (v1beta4 args are a list, older a map). */
interface JoinDoc {
  apiVersion: string;
  kind: string;
  discovery: { bootstrapToken: { apiServerEndpoint: string; token: string; caCertHashes: string[] } };
  nodeRegistration: { name: string; criSocket: string; taints: unknown[]; kubeletExtraArgs: Args };
  patches?: unknown;
}

/** The fields of ClusterConfiguration and EncryptionConfiguration the tests read. */
interface ClusterDoc {
  networking: unknown;
  kubernetesVersion: string;
  apiServer: { certSANs: string[]; extraArgs: Args };
  controllerManager: { extraArgs: Args };
  scheduler: { extraArgs: Args };
}
interface EncryptionDoc {
  resources: { resources: string[]; providers: { kms?: unknown; identity?: unknown }[] }[];
}

function joinConfigOf(input: WorkerUserDataInput): JoinDoc {
  return parseYaml(fileIn(cloudConfigOf(input), '/etc/kubeadm/join.yaml')) as JoinDoc;
}

describe('worker user data (M1)', () => {
  for (const [name, input] of Object.entries(CASES)) {
    it(`M1 golden and valid cloud-config: ${name}`, () => {
      const userData = renderWorkerUserData(input);
      expect(renderWorkerUserData(input)).toBe(userData);
      expectGolden(`kube/user-data-${name}.txt`, userData);
      // The emulator boots workers from the agent configuration it finds in the user data.
      expect(agentConfigIn(userData)).toEqual(input.agent);
      if (CLOUD_INIT) {
        const ours = tempFile('cloud-config.yaml', renderWorkerCloudConfig(input));
        const r = spawnSync('cloud-init', ['schema', '--config-file', ours], { encoding: 'utf8' });
        expect(`${r.stdout}${r.stderr}`).toContain('Valid cloud-config');
        expect(r.status).toBe(0);
      }
      const config = cloudConfigOf(input);
      // The script goes gzipped (`gz+b64`); decoded, it has its own golden file and bash reads it.
      if (input.userData === null)
        expectGolden(`kube/bootstrap-${name}.sh`, fileIn(config, BOOTSTRAP_SCRIPT_PATH));
      expect(
        (config.write_files as FileEntry[]).find((f) => f.path === BOOTSTRAP_SCRIPT_PATH)?.encoding,
      ).toBe('gz+b64');
      if (BASH) {
        const script = tempFile('bootstrap.sh', fileIn(config, BOOTSTRAP_SCRIPT_PATH));
        expect(spawnSync('bash', ['-n', script]).status).toBe(0);
      }
      if (CLOUD_INIT_PY) {
        for (const f of config.write_files as FileEntry[])
          expect(cloudInitWrites(f), f.path).toBe(fileIn(config, f.path));
      }
    });
  }

  it('M1: kubeadm v1beta4 JoinConfiguration with token discovery pinned to the CA hash', () => {
    const join = joinConfigOf(CASES['a10-containerd-static-cis']!);
    expect(join.apiVersion).toBe('kubeadm.k8s.io/v1beta4');
    expect(join.kind).toBe('JoinConfiguration');
    expect(join.discovery.bootstrapToken).toEqual({
      apiServerEndpoint: '192.168.0.10:6443',
      token: 'k8sgpu.0123456789abcdef',
      caCertHashes: [HASH],
    });
    expect(join.discovery.bootstrapToken.token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(join.nodeRegistration.criSocket).toBe('unix:///run/containerd/containerd.sock');
    expect(join.nodeRegistration.kubeletExtraArgs).toEqual([
      { name: 'node-labels', value: expect.any(String) },
    ]);
    expect(join.patches).toEqual({ directory: '/etc/kubeadm/patches' });
    // Before 1.22 kubeadm reads v1beta2, where kubelet flags are a map.
    const old = joinConfigOf(CASES['v100-docker-1.18']!);
    expect(old.apiVersion).toBe('kubeadm.k8s.io/v1beta2');
    expect(old.nodeRegistration.kubeletExtraArgs['cpu-manager-policy']).toBe('static');
    expect(() => renderWorkerUserData({ ...base, join: { ...base.join, token: 'not-a-token' } })).toThrow(
      /KUBE_INVALID_INPUT|not a bootstrap token/,
    );
    expect(() =>
      renderWorkerUserData({ ...base, join: { ...base.join, caCertHash: 'sha256:xyz' } }),
    ).toThrow();
  });

  it('M20: containerd, or Docker through the dockershim, with the NVIDIA runtime as default', () => {
    const script = (i: WorkerUserDataInput) => fileIn(cloudConfigOf(i), BOOTSTRAP_SCRIPT_PATH);
    expect(script(base)).toContain('yum install -y containerd.io');
    expect(script(base)).toContain('nvidia-ctk runtime configure --runtime=containerd --set-as-default');
    const docker = CASES['v100-docker-1.18']!;
    expect(script(docker)).toContain('docker-ce-19.03.15');
    expect(script(docker)).toContain('nvidia-ctk runtime configure --runtime=docker --set-as-default');
    expect(joinConfigOf(docker).nodeRegistration.criSocket).toBe('/var/run/dockershim.sock');
    expect(script(CASES['vgpu-sandboxed-1.16']!)).toContain('io.containerd.kata.v2');
    expect(script(CASES['fpga-containerd']!)).not.toContain('nvidia-ctk');
  });

  it('M52: static CPU policy reserves CPUs; none reserves nothing', () => {
    const patch = (i: WorkerUserDataInput) =>
      parseYaml(fileIn(cloudConfigOf(i), '/etc/kubeadm/patches/kubeletconfiguration+merge.yaml')) as Record<
        string,
        unknown
      >;
    // 128 vCPUs: four reserved.
    expect(patch(CASES['a10-containerd-static-cis']!)).toMatchObject({
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      cpuManagerPolicy: 'static',
      reservedSystemCPUs: '0-3',
    });
    expect(patch({ ...base, cpuPolicy: 'static' }).reservedSystemCPUs).toBe('0');
    expect(patch(base).cpuManagerPolicy).toBe('none');
    expect(patch(base).reservedSystemCPUs).toBeUndefined();
    expect(joinConfigOf(CASES['v100-docker-1.18']!).nodeRegistration.kubeletExtraArgs['kube-reserved']).toBe(
      'cpu=1',
    );
  });

  it("M52: the Node's allocatable leaves out exactly what the worker's kubelet configuration reserves", () => {
    const cases: [instanceType: string | null, vcpu: number, version: string][] = [
      ['ecs.gn7i-c8g1.2xlarge', 8, base.kubernetesVersion],
      ['ecs.gn7i-c32g1.32xlarge', 128, base.kubernetesVersion],
      ['ecs.ebmgn7i.32xlarge', 128, base.kubernetesVersion],
      ['ecs.gn6v-c8g1.8xlarge', 32, '1.18.8-aliyun.1'],
      [null, 12, base.kubernetesVersion],
    ];
    for (const [instanceType, vcpu, kubernetesVersion] of cases) {
      for (const cpuPolicy of ['none', 'static'] as const) {
        const input = { ...base, instanceType, kubernetesVersion, cpuPolicy };
        const config = cloudConfigOf(input);
        const join = joinConfigOf(input);
        // What the kubelet will reserve: `reservedSystemCPUs` (a patch) or `--kube-reserved` (before 1.22).
        const patchPath = '/etc/kubeadm/patches/kubeletconfiguration+merge.yaml';
        const hasPatch = (config.write_files as FileEntry[]).some((f) => f.path === patchPath);
        let cpus: number;
        if (hasPatch) {
          const patch = parseYaml(fileIn(config, patchPath)) as Record<string, unknown>;
          // No memory reservation nor eviction setting: the kubelet keeps its default threshold.
          expect(Object.keys(patch)).not.toEqual(
            expect.arrayContaining([expect.stringMatching(/Reserved$|^eviction/)]),
          );
          const list = patch.reservedSystemCPUs as string | undefined;
          const range = /^0(?:-(\d+))?$/.exec(list ?? '');
          cpus = list === undefined ? 0 : Number(range?.[1] ?? 0) + 1;
        } else {
          const args = join.nodeRegistration.kubeletExtraArgs;
          expect(
            Object.keys(args).filter((k) => /reserved|eviction/.test(k) && k !== 'kube-reserved'),
          ).toEqual([]);
          cpus = Number(/^cpu=(\d+)$/.exec(args['kube-reserved'] ?? 'cpu=0')?.[1]);
        }
        expect(cpus > 0, `${instanceType} ${cpuPolicy}`).toBe(cpuPolicy === 'static');
        const node = buildNode(
          {
            clusterId: 'c1',
            regionId: 'cn-hangzhou',
            zoneId: null,
            kubernetesVersion,
            containerRuntime: '',
            osImage: '',
            kernelVersion: '',
            architecture: 'amd64',
            name: 'n1',
            instanceId: 'i-1',
            instanceType: instanceType ?? 'ecs.not-in-the-catalogue',
            privateIp: '192.168.0.12',
            podCidr: null,
            registeredAt: 0,
            lastSeenAt: 0,
            heartbeatMs: null,
            gpuReport: null,
            cpu: vcpu,
            memoryMiB: 65536,
            systemDiskGiB: null,
            cpuPolicy,
            maxPods: 110,
            taints: [],
          },
          0,
        ) as unknown as { status: Record<'capacity' | 'allocatable', Record<string, string>> };
        const { capacity, allocatable } = node.status;
        expect(Number(capacity.cpu) - Number(allocatable.cpu), `${instanceType} ${cpuPolicy}`).toBe(cpus);
        const ki = (q: string | undefined) => Number(/^(\d+)Ki$/.exec(q ?? '')?.[1]);
        expect(ki(capacity.memory) - ki(allocatable.memory)).toBe(KUBELET_EVICTION_MEMORY_MIB * 1024);
      }
    }
  });

  it('M53: taints on every worker; M42 GFD and ACK labels from the instance type', () => {
    const join = joinConfigOf(CASES['a10-containerd-static-cis']!);
    expect(join.nodeRegistration.taints).toEqual([
      { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' },
    ]);
    expect(joinConfigOf(base).nodeRegistration.taints).toEqual([]);
    const labels = String(join.nodeRegistration.kubeletExtraArgs[0]?.value).split(',');
    expect(labels).toEqual(
      expect.arrayContaining([
        'nvidia.com/gpu.product=NVIDIA-A10',
        'nvidia.com/gpu.count=4',
        'nvidia.com/gpu.memory=24576',
        'nvidia.com/gpu.family=ampere',
        'aliyun.accelerator/nvidia_name=NVIDIA-A10',
        'aliyun.accelerator/nvidia_count=4',
        'aliyun.accelerator/nvidia_mem=24576MiB',
      ]),
    );
    const t4 = String(joinConfigOf(CASES['t4-containerd-mlps']!).nodeRegistration.kubeletExtraArgs[0]?.value);
    expect(t4).toContain('nvidia.com/gpu.product=Tesla-T4');
    expect(joinConfigOf(CASES['fpga-containerd']!).nodeRegistration.kubeletExtraArgs).toEqual([]);
  });

  it('M51: node name from prefix, the last IP digits and suffix; ACK default <region>.<ip>', () => {
    expect(joinConfigOf(base).nodeRegistration.name).toBe(NODE_NAME_PLACEHOLDER);
    const run = (input: WorkerUserDataInput, ip: string) => {
      const script = fileIn(cloudConfigOf(input), BOOTSTRAP_SCRIPT_PATH);
      const start = script.indexOf('IFS=.') >= 0 ? script.indexOf('IFS=.') : script.indexOf('node_name=');
      const lines = script.slice(start, script.indexOf('\n', script.indexOf('node_name=')));
      return execFileSync('bash', ['-c', `ip=${ip}\n${lines}\nprintf %s "$node_name"`], { encoding: 'utf8' });
    };
    if (!BASH) return;
    // The seed's example: prefix aliyun.com, N = 5, suffix test.
    expect(run(CASES['a10-containerd-static-cis']!, '192.168.0.55')).toBe('aliyun.com00055test');
    expect(run({ ...base, nodeName: { prefix: 'gpu', ipDigits: 12, suffix: '.k8s' } }, '10.0.8.9')).toBe(
      'gpu010000008009.k8s',
    );
    expect(run(base, '192.168.0.55')).toBe('cn-hangzhou.192.168.0.55');
  });

  it('M33 time zone, M46 hardening effects', () => {
    expect(cloudConfigOf(CASES['t4-containerd-mlps']!).timezone).toBe('Europe/Berlin');
    const mlps = cloudConfigOf(CASES['t4-containerd-mlps']!);
    expect(mlps.disable_root).toBe(true);
    expect(fileIn(mlps, BOOTSTRAP_SCRIPT_PATH)).toContain('sshd_set PermitRootLogin no');
    const cis = cloudConfigOf(CASES['a10-containerd-static-cis']!);
    expect(cis.disable_root).toBe(false);
    expect(fileIn(cis, '/etc/sysctl.d/90-kuberack.conf')).toContain('net.ipv4.conf.all.send_redirects = 0');
    expect(fileIn(cis, '/etc/sysctl.d/90-kuberack.conf')).toContain('net.ipv4.ip_forward = 1');
    expect(fileIn(cis, '/etc/kubeadm/patches/kubeletconfiguration+merge.yaml')).toContain(
      'protectKernelDefaults: true',
    );
    expect(fileIn(cloudConfigOf(base), BOOTSTRAP_SCRIPT_PATH)).not.toContain('PermitRootLogin');
  });

  it('M49: the user data goes after ours, byte for byte, with its own content type', () => {
    if (!CLOUD_INIT_PY) return;
    const shell = CASES['multipart-shell']!;
    const parts = cloudInitParts(renderWorkerUserData(shell));
    expect(parts.map((p) => p.type)).toEqual(['text/cloud-config', 'text/x-shellscript']);
    expect(parts[0]!.payload).toBe(renderWorkerCloudConfig(shell));
    expect(parts[1]!.payload).toBe(shell.userData);
    // cloud-init runs part scripts and runcmd in name order: "user-data" after "runcmd".
    expect(parts[1]!.filename! > 'runcmd').toBe(true);
    const cc = CASES['multipart-cloud-config-utf8']!;
    const ccParts = cloudInitParts(renderWorkerUserData(cc));
    expect(ccParts.map((p) => p.type)).toEqual(['text/cloud-config', 'text/cloud-config']);
    expect(ccParts[1]!.payload).toBe(cc.userData);
    expect(ccParts[1]!.mergeType).toBe(USER_CLOUD_CONFIG_MERGE);
  });

  it('M49: with the largest user data the spec allows, the whole user data fits with room to spare', () => {
    const worst: WorkerUserDataInput = {
      ...CASES['a10-containerd-static-cis']!,
      taints: Array.from({ length: SPEC_LIMITS.taintsMax }, (_, i) => ({
        key: `example.com/taint-number-${i}`,
        value: `value-${i}`,
        effect: 'NoSchedule' as const,
      })),
    };
    const max = SPEC_LIMITS.userDataMaxBytes;
    const random = seeded(5);
    const cjk = (n: number) => Array.from({ length: n }, () => String.fromCharCode(0x4e00 + random(20000)));
    const extras: Record<string, string> = {
      ascii: `#!/bin/bash\n${'#'.repeat(max - 13)}\n`,
      // Printable ASCII that gzip cannot shrink: it goes as it is.
      'ascii, incompressible': `#!/bin/bash\n#${Array.from({ length: max - 14 }, () => String.fromCharCode(33 + random(94))).join('')}\n`,
      // Non-ASCII goes in base64 (22,135 bytes for 16 KiB): cloud-init mangles it when gzipped.
      'non-ASCII': `#!/bin/bash\n# ${'节'.repeat(Math.floor((max - 15) / 3))}\n`,
      'non-ASCII cloud-config': `#cloud-config\n# ${cjk(Math.floor((max - 17) / 3)).join('')}\n`,
    };
    const headroom: Record<string, number> = {};
    for (const [name, extra] of Object.entries(extras)) {
      expect(Buffer.byteLength(extra)).toBeGreaterThan(max - 4);
      expect(Buffer.byteLength(extra)).toBeLessThanOrEqual(max);
      const userData = renderWorkerUserData({ ...worst, userData: extra });
      headroom[name] = USER_DATA_MAX_BYTES - Buffer.byteLength(userData);
      expect(agentConfigIn(userData)).toEqual(worst.agent);
      if (CLOUD_INIT_PY) expect(cloudInitParts(userData)[1]!.payload).toBe(extra);
    }
    // Before the bootstrap files were gzipped, the non-ASCII case left 360 bytes. Today: 26,199,
    // 9,890, 4,144 and 4,084 bytes.
    const least: Record<string, number> = {
      ascii: 16 * 1024,
      'ascii, incompressible': 8 * 1024,
      'non-ASCII': 4 * 1024,
      'non-ASCII cloud-config': 3.5 * 1024,
    };
    for (const [name, bytes] of Object.entries(least)) expect(headroom[name], name).toBeGreaterThan(bytes);
  });

  it('M49: user data that would pass the cloud limit is refused before the cloud sees it', () => {
    const random = seeded(7);
    const label = (n: number) =>
      Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[random(36)]).join('');
    // The longest taints the spec allows, which gzip cannot shrink.
    const taints = Array.from({ length: SPEC_LIMITS.taintsMax }, () => ({
      key: `${label(63)}.${label(63)}.${label(63)}.${label(61)}/${label(63)}`,
      value: label(63),
      effect: 'NoExecute' as const,
    }));
    const input = { ...CASES['a10-containerd-static-cis']!, taints };
    const wide = `#cloud-config\n# ${'节'.repeat(Math.floor((SPEC_LIMITS.userDataMaxBytes - 17) / 3))}\n`;
    let error: unknown;
    try {
      renderWorkerUserData({ ...input, userData: wide });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KuberackError);
    const { code, params } = error as KuberackError;
    expect(code).toBe('ENGINE_USER_DATA_TOO_LARGE');
    expect(params).toEqual({ bytes: expect.any(Number), limit: USER_DATA_MAX_BYTES, userDataBytes: 16382 });
    expect(params.bytes).toBeGreaterThan(USER_DATA_MAX_BYTES);
    const problem = describeFailure('ecs-instance/worker-1', error, 1);
    const message = (locale: 'en' | 'zh-CN') =>
      renderMessage(String(problem.code), problem as Params, locale);
    expect(message('en')).toMatch(
      /^Step ecs-instance\/worker-1: the worker's user data would be \d+ bytes, over the cloud's limit of 32768 bytes/,
    );
    expect(message('zh-CN')).toContain('超过云上限 32768 字节');
    // The same taints with the largest ASCII user data still fit.
    const ascii = `#!/bin/bash\n#${Array.from({ length: SPEC_LIMITS.userDataMaxBytes - 14 }, () => String.fromCharCode(33 + random(94))).join('')}\n`;
    expect(Buffer.byteLength(renderWorkerUserData({ ...input, userData: ascii }))).toBeLessThanOrEqual(
      USER_DATA_MAX_BYTES,
    );
  });
});

const CONTROL_PLANE: ControlPlaneConfigInput = {
  clusterName: 'c-gpu-1',
  kubernetesVersion: '1.34.1-aliyun.1',
  controlPlaneEndpoint: '192.168.0.10:6443',
  clusterDomain: 'gpu.local',
  serviceCidr: '172.21.0.0/20',
  podCidr: '172.20.0.0/16',
  certSans: [
    'kubernetes',
    'kubernetes.default.svc.gpu.local',
    '172.21.0.1',
    '192.168.0.10',
    'api.example.com',
  ],
  serviceAccount: {
    issuer: 'https://kubernetes.default.svc',
    audiences: ['https://kubernetes.default.svc', 'vault'],
  },
  controlPlaneLogs: ['apiserver', 'kcm'],
  kubeProxyMode: 'ipvs',
  kmsKeyId: 'key-hzz62a7f3c2fd4b7example',
};

describe('control-plane configuration', () => {
  it('golden: every document of a KMS-encrypted IPVS cluster', () => {
    expectGolden('kube/control-plane-kms-ipvs.yaml', renderControlPlaneConfig(CONTROL_PLANE));
    expectGolden(
      'kube/control-plane-identity-iptables-1.18.yaml',
      renderControlPlaneConfig({
        ...CONTROL_PLANE,
        kubernetesVersion: '1.18.8-aliyun.1',
        kubeProxyMode: 'iptables',
        kmsKeyId: null,
        podCidr: null,
        controlPlaneLogs: [],
      }),
    );
    const docs = parseAllDocuments(renderControlPlaneConfig(CONTROL_PLANE)).map(
      (d) => d.toJS() as { apiVersion: string; kind: string },
    );
    expect(docs.map((d) => `${d.apiVersion} ${d.kind}`)).toEqual([
      'kubeadm.k8s.io/v1beta4 ClusterConfiguration',
      'kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration',
      'apiserver.config.k8s.io/v1 EncryptionConfiguration',
      'audit.k8s.io/v1 Policy',
    ]);
  });

  it('M36 M37 M38: cluster domain, certificate SANs, service-account issuer and audiences', () => {
    const c = clusterConfiguration(CONTROL_PLANE) as unknown as ClusterDoc;
    expect(c.networking).toEqual({
      dnsDomain: 'gpu.local',
      serviceSubnet: '172.21.0.0/20',
      podSubnet: '172.20.0.0/16',
    });
    expect(c.kubernetesVersion).toBe('v1.34.1');
    expect(c.apiServer.certSANs).toEqual(CONTROL_PLANE.certSans);
    const args = Object.fromEntries(
      (c.apiServer.extraArgs as { name: string; value: string }[]).map((a) => [a.name, a.value]),
    );
    expect(args['service-account-issuer']).toBe('https://kubernetes.default.svc');
    expect(args['api-audiences']).toBe('https://kubernetes.default.svc,vault');
    expect(args['enable-bootstrap-token-auth']).toBe('true');
  });

  it('M59: audit policy and log settings of the chosen control-plane components', () => {
    const c = clusterConfiguration(CONTROL_PLANE) as unknown as ClusterDoc;
    const names = (x: { name: string }[]) => x.map((a) => a.name);
    expect(names(c.apiServer.extraArgs)).toEqual(
      expect.arrayContaining(['audit-policy-file', 'audit-log-path', 'logging-format']),
    );
    expect(names(c.controllerManager.extraArgs)).toContain('logging-format');
    expect(c.scheduler.extraArgs).toEqual([]);
    const off = clusterConfiguration({ ...CONTROL_PLANE, controlPlaneLogs: [] }) as unknown as ClusterDoc;
    expect(names(off.apiServer.extraArgs)).not.toContain('logging-format');
  });

  it('M34: kube-proxy mode iptables or ipvs', () => {
    expect(kubeProxyConfiguration({ kubeProxyMode: 'iptables', podCidr: null })).toEqual({
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      mode: 'iptables',
    });
    expect(kubeProxyConfiguration(CONTROL_PLANE)).toMatchObject({
      mode: 'ipvs',
      clusterCIDR: '172.20.0.0/16',
    });
  });

  it('M39: a KMS v2 provider when a key is chosen, identity otherwise', () => {
    const kms = encryptionConfiguration('key-1') as unknown as EncryptionDoc;
    expect(kms.resources[0]?.resources).toEqual(['secrets']);
    expect(kms.resources[0]?.providers[0]?.kms).toMatchObject({
      apiVersion: 'v2',
      name: 'kuberack-kms-key-1',
    });
    expect(kms.resources[0]?.providers[1]).toEqual({ identity: {} });
    expect((encryptionConfiguration(null) as unknown as EncryptionDoc).resources[0]?.providers).toEqual([
      { identity: {} },
    ]);
  });
});

/** Validates an object against the Kubernetes schema of its kind (kubernetes-models). */
async function validateObject(o: KubeObject): Promise<void> {
  const mod = (await import(`kubernetes-models/${o.apiVersion}/${o.kind}`)) as Record<
    string,
    new (data: unknown) => { validate(): void }
  >;
  const Model = mod[o.kind];
  if (!Model) throw new Error(`kubernetes-models has no ${o.apiVersion} ${o.kind}`);
  new Model(o).validate();
}

const ADDONS: [string, string, Record<string, unknown>][] = [
  ['M52 M54', 'nvidia-device-plugin', { compatWithCpuManager: false }],
  ['M52', 'nvidia-device-plugin', { compatWithCpuManager: true }],
  ['M54', 'nginx-ingress-controller', {}],
  ['M55', 'csi-plugin', {}],
  ['M55', 'flexvolume', {}],
  ['M56', 'arms-prometheus', {}],
  ['M57', 'alert-rules', { template: 'default' }],
  ['M58', 'ack-node-problem-detector', { project: 'k8s-log', eventCenter: true }],
  ['M34', 'kube-proxy', { mode: 'iptables' }],
];

describe('add-on manifests (M54–M58)', () => {
  for (const [rows, name, config] of ADDONS) {
    const label = `${name}${config.compatWithCpuManager === true ? '-static-cpu' : ''}`;
    it(`${rows}: ${label} is golden and every object validates against the Kubernetes schema`, async () => {
      const m = addonManifest(name, config, { regionId: 'cn-hangzhou' });
      if (!m) throw new Error(`${name} is not rendered`);
      const yaml = renderAddonManifest(m);
      expectGolden(`kube/addon-${label}.yaml`, yaml);
      for (const o of m.objects) await validateObject(o);
      // What `kubectl apply -f` reads back is the same objects.
      expect(parseAllDocuments(yaml).map((d) => d.toJS() as unknown)).toEqual(
        JSON.parse(JSON.stringify(m.objects)),
      );
      for (const o of m.objects) {
        for (const c of containersOf(o)) expect(c.image).toMatch(/:[A-Za-z0-9][\w.-]*$/);
      }
      expect(summarizeAddon(m).sha256).toMatch(/^[0-9a-f]{64}$/);
    });
  }

  it('M52: under the static CPU policy the device plugin passes device specs (privileged)', () => {
    const args = (compat: boolean) => {
      const m = addonManifest(
        'nvidia-device-plugin',
        { compatWithCpuManager: compat },
        { regionId: 'cn-hangzhou' },
      );
      const c = containersOf(m!.objects[0]!)[0]!;
      return { args: c.args ?? [], privileged: c.securityContext?.privileged === true };
    };
    expect(args(true)).toEqual({
      args: expect.arrayContaining(['--pass-device-specs=true']),
      privileged: true,
    });
    expect(args(false).args).not.toContain('--pass-device-specs=true');
    expect(args(false).privileged).toBe(false);
  });

  it("M55: CSI images come from the region's VPC registry; add-ons not rendered say so", () => {
    const m = addonManifest('csi-plugin', {}, { regionId: 'cn-beijing' })!;
    const images = m.objects.flatMap((o) => containersOf(o).map((c) => c.image));
    expect(images.every((i) => i?.startsWith('registry-cn-beijing-vpc.ack.aliyuncs.com/acs/'))).toBe(true);
    expect(m.objects.map((o) => o.kind)).toEqual(
      expect.arrayContaining(['CSIDriver', 'DaemonSet', 'Deployment', 'StorageClass']),
    );
    expect(addonManifest('coredns', {}, { regionId: 'cn-hangzhou' })).toBeNull();
  });
});

interface ContainerLike {
  image?: string;
  args?: string[];
  securityContext?: { privileged?: boolean };
}

function containersOf(o: KubeObject): ContainerLike[] {
  const spec = (o as { spec?: { template?: { spec?: { containers?: ContainerLike[] } } } }).spec;
  return spec?.template?.spec?.containers ?? [];
}

describeEachDatabase('the engine sends the GPU bootstrap and records the add-ons', (open) => {
  it('M49 M53: a spec whose worker user data cannot fit the cloud limit is refused at workers.userData, creating nothing', async () => {
    const w = await makeWorld(await open());
    const spec = exampleSpec() as { workers: Record<string, unknown> };
    const random = seeded(11);
    const label = (n: number) =>
      Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[random(36)]).join('');
    spec.workers.taints = Array.from({ length: SPEC_LIMITS.taintsMax }, () => ({
      key: `${label(63)}.${label(63)}.${label(63)}.${label(61)}/${label(63)}`,
      value: label(63),
      effect: 'NoExecute',
    }));
    spec.workers.userData = `#cloud-config\n# ${'节'.repeat(Math.floor((SPEC_LIMITS.userDataMaxBytes - 17) / 3))}\n`;
    const refused = await createCluster(w.engine, { tenantId: 't1', accessKeyId: ACCESS_KEY, spec }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(KuberackError);
    expect((refused as KuberackError).code).toBe('ENGINE_SPEC_INVALID');
    expect((refused as KuberackError).problems).toEqual([
      expect.objectContaining({
        path: 'workers.userData',
        code: 'ENGINE_USER_DATA_DOES_NOT_FIT',
        params: expect.objectContaining({ limit: USER_DATA_MAX_BYTES }),
      }),
    ]);
    // Refused before anything exists: no cluster, no cloud resource.
    expect(await w.db.all('SELECT id FROM clusters')).toEqual([]);
    expect((await allLive(w.db, Date.now())).filter((r) => r.ownerCluster !== null)).toEqual([]);
    // The same spec without the taints fits.
    spec.workers.taints = [];
    const { clusterId } = await createCluster(w.engine, { tenantId: 't1', accessKeyId: ACCESS_KEY, spec });
    expect(await w.runUntil(clusterId, ['running', 'failed'])).toBe('running');
  });

  it('M1 M49 M52 M53 M54: workers get the full user data; add-on steps record what was rendered', async () => {
    const w = await makeWorld(await open());
    const spec = exampleSpec() as { workers: Record<string, unknown> };
    spec.workers.cpuPolicy = 'static';
    spec.workers.userData = '#!/bin/bash\necho extra\n';
    const { clusterId } = await createCluster(w.engine, { tenantId: 't1', accessKeyId: ACCESS_KEY, spec });
    expect(await w.runUntil(clusterId, ['running', 'failed'])).toBe('running');
    const outputs = async (key: string) => {
      const row = await w.db.one<{ outputs: string }>(
        'SELECT outputs FROM steps WHERE cluster_id = $1 AND step_key = $2',
        [clusterId, key],
      );
      return JSON.parse(row?.outputs ?? 'null') as Record<string, unknown>;
    };
    const credentials = await outputs('cluster-credentials');
    // What the emulated cloud stored as each instance's user data.
    const instances = (await allLive(w.db, Date.now(), undefined, 'instance')).filter(
      (r) => r.ownerCluster === clusterId,
    ) as unknown as { attrs: { userData: string } }[];
    expect(instances).toHaveLength(3);
    for (const { attrs: inst } of instances) {
      expect(inst.userData.startsWith('Content-Type: multipart/mixed')).toBe(true);
      expect(inst.userData).toContain('echo extra');
      const ours = /\n\n(#cloud-config\n[\s\S]*?)\n--==KUBERACK/.exec(inst.userData)?.[1];
      const config = parseYaml(ours ?? '') as Record<string, unknown>;
      const join = parseYaml(fileIn(config, '/etc/kubeadm/join.yaml')) as JoinDoc;
      expect(join.discovery.bootstrapToken.caCertHashes).toEqual([credentials.caCertHash]);
      expect(join.discovery.bootstrapToken.token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
      expect(join.discovery.bootstrapToken.token.split('.')[0]).toBe(credentials.bootstrapTokenId);
      expect(join.discovery.bootstrapToken.apiServerEndpoint).toMatch(/^\d+\.\d+\.\d+\.\d+:6443$/);
      expect(join.nodeRegistration.taints).toEqual([
        { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' },
      ]);
      expect(join.nodeRegistration.kubeletExtraArgs[0]?.value).toContain('nvidia.com/gpu.product=NVIDIA-A10');
      expect(fileIn(config, '/etc/kubeadm/patches/kubeletconfiguration+merge.yaml')).toContain(
        'reservedSystemCPUs: "0"',
      );
      if (CLOUD_INIT) {
        const r = spawnSync('cloud-init', ['schema', '--config-file', tempFile('engine.yaml', ours ?? '')], {
          encoding: 'utf8',
        });
        expect(r.status).toBe(0);
      }
    }
    const plugin = await outputs('addon/nvidia-device-plugin');
    const expected = addonManifest(
      'nvidia-device-plugin',
      { compatWithCpuManager: true },
      { regionId: 'cn-hangzhou' },
    )!;
    expect(plugin).toMatchObject({ applied: false, rendered: true, sha256: summarizeAddon(expected).sha256 });
    expect(await outputs('addon/coredns')).toEqual({ name: 'coredns', applied: false, rendered: false });
  });
});
