// A GPU worker's user data (M1): one `#cloud-config` document, or a MIME multipart with the user's
// own user data after ours (M49, kept byte for byte). Pure: same input, same bytes.
import { createHash } from 'node:crypto';
import { findInstanceType } from '../domain/catalogue/index.js';
import { KuberackError } from '../domain/errors.js';
import { AGENT_CONFIG_PATH, type AgentConfig } from '../domain/node/index.js';
import type {
  CpuPolicy,
  NodeNamePattern,
  OsHardening,
  OsImage,
  RuntimeName,
  Taint,
} from '../domain/spec/types.js';
import {
  JOIN_CONFIG_PATH,
  KUBEADM_PATCHES_DIR,
  joinConfiguration,
  kubeadmApiVersion,
} from './kubeadm-join.js';
import { gzip, gzipBase64 } from './gzip.js';
import { kubeletConfigurationPatch, kubeletFlags } from './kubelet-config.js';
import { instanceTypeNodeLabels, nodeLabelsArg } from './node-labels.js';
import { hardeningEffects } from './os-hardening.js';
import {
  cudaRepo,
  DEFAULT_PACKAGE_MIRRORS,
  dockerCeRepo,
  kubernetesRepo,
  nvidiaContainerToolkitRepo,
  type PackageMirrors,
  type YumRepo,
} from './package-mirrors.js';
import {
  AGENT_BINARY_PATH,
  AGENT_UNIT_NAME,
  BOOTSTRAP_SCRIPT_PATH,
  NODE_NAME_PLACEHOLDER,
  renderBootstrapScript,
  type GpuSetup,
} from './worker-script.js';
import { toYaml } from './yaml-text.js';

/** The cloud's limit on an instance's user data (ECS: 32 KiB). */
export const USER_DATA_MAX_BYTES = 32 * 1024;
/** The Tesla driver branch installed when the image has none (R550: CUDA 12.4, the last for RHEL 7). */
export const DEFAULT_DRIVER_BRANCH = '550';

export interface WorkerBootstrapOptions {
  readonly mirrors?: Partial<PackageMirrors>;
  readonly driverBranch?: string;
  /** Where nodes fetch the `kuberack` binary when the image lacks it. */
  readonly agentDownloadUrl?: string | null;
}

export interface WorkerUserDataInput {
  readonly regionId: string;
  readonly kubernetesVersion: string;
  readonly runtime: RuntimeName;
  readonly os: OsImage;
  readonly hardening: OsHardening;
  readonly cpuPolicy: CpuPolicy;
  readonly taints: readonly Taint[];
  readonly nodeName: NodeNamePattern | null;
  /** M33, an IANA zone such as `Asia/Shanghai`. */
  readonly timeZone: string;
  /** The instance type the worker runs on (labels, reserved CPUs, driver); null when unknown. */
  readonly instanceType: string | null;
  readonly join: { readonly apiServerEndpoint: string; readonly token: string; readonly caCertHash: string };
  readonly agent: AgentConfig;
  /** M49: the user's own user data, run after ours. */
  readonly userData: string | null;
  readonly options?: WorkerBootstrapOptions;
}

interface WriteFile {
  path: string;
  /** cloud-init's `gz+b64`: gzip, then base64. Absent: the content is the text itself. */
  encoding?: 'gz+b64';
  content: string;
  permissions: string;
  owner?: string;
}

/**
 * A file as `gz+b64` when that is shorter, to leave room under the cloud's user-data limit for the
 * user's own user data (M49). The agent configuration stays text: the emulator reads it from there.
 */
function compacted(f: WriteFile): WriteFile {
  if (f.path === AGENT_CONFIG_PATH) return f;
  const encoded = gzipBase64(f.content);
  if (encoded.length >= f.content.length) return f;
  const owner = f.owner === undefined ? {} : { owner: f.owner };
  return { path: f.path, encoding: 'gz+b64', content: encoded, permissions: f.permissions, ...owner };
}

function gpuSetup(instanceType: string | null, driverBranch: string): GpuSetup {
  const t = instanceType === null ? undefined : findInstanceType(instanceType);
  // An instance type outside the catalogue may still have GPUs: set them up when present.
  if (!t) return { kind: 'tesla', driverBranch };
  if (t.accelerator.vendor !== 'nvidia') return { kind: 'none' };
  return t.category === 'vgpu' ? { kind: 'grid' } : { kind: 'tesla', driverBranch };
}

function sysctlFile(extra: Readonly<Record<string, string>>): string {
  const base: Record<string, string> = {
    'net.bridge.bridge-nf-call-iptables': '1',
    'net.bridge.bridge-nf-call-ip6tables': '1',
    'net.ipv4.ip_forward': '1',
  };
  return `${Object.entries({ ...base, ...extra })
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n')}\n`;
}

function agentUnit(): string {
  return [
    '[Unit]',
    'Description=Kuberack node agent (GPU discovery and node reports)',
    'Wants=network-online.target',
    'After=network-online.target kubelet.service',
    `ConditionFileIsExecutable=${AGENT_BINARY_PATH}`,
    '',
    '[Service]',
    `ExecStart=${AGENT_BINARY_PATH} agent`,
    'Restart=always',
    'RestartSec=10',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** The cloud-config (as an object) of a worker: what `cloud-init schema` checks. */
export function workerCloudConfig(input: WorkerUserDataInput): Record<string, unknown> {
  const mirrors: PackageMirrors = { ...DEFAULT_PACKAGE_MIRRORS, ...input.options?.mirrors };
  const driverBranch = input.options?.driverBranch ?? DEFAULT_DRIVER_BRANCH;
  const type = input.instanceType === null ? undefined : findInstanceType(input.instanceType);
  const gpu = gpuSetup(input.instanceType, driverBranch);
  const hardening = hardeningEffects(input.hardening);
  const kubelet = { cpuPolicy: input.cpuPolicy, vcpu: type?.vcpu ?? null, hardening: input.hardening };
  const apiVersion = kubeadmApiVersion(input.kubernetesVersion);
  const labels = instanceTypeNodeLabels(input.instanceType);
  const extraArgs: [string, string][] = [];
  if (Object.keys(labels).length > 0) extraArgs.push(['node-labels', nodeLabelsArg(labels)]);
  // kubeadm v1beta2 has no patches: the kubelet settings go as flags there.
  if (apiVersion === 'kubeadm.k8s.io/v1beta2') extraArgs.push(...kubeletFlags(kubelet));
  const join = joinConfiguration({
    kubernetesVersion: input.kubernetesVersion,
    ...input.join,
    nodeName: NODE_NAME_PLACEHOLDER,
    runtime: input.runtime,
    taints: input.taints,
    kubeletExtraArgs: extraArgs,
  });

  const repos: Record<string, YumRepo> = { kubernetes: kubernetesRepo(mirrors, input.kubernetesVersion) };
  repos['docker-ce-stable'] = dockerCeRepo(mirrors);
  if (gpu.kind === 'tesla') repos['cuda-rhel7-x86_64'] = cudaRepo(mirrors);
  if (gpu.kind !== 'none') repos['nvidia-container-toolkit'] = nvidiaContainerToolkitRepo(mirrors);

  const files: WriteFile[] = [
    { path: '/etc/modules-load.d/kuberack.conf', content: 'overlay\nbr_netfilter\n', permissions: '0644' },
    { path: '/etc/sysctl.d/90-kuberack.conf', content: sysctlFile(hardening.sysctls), permissions: '0644' },
    ...hardening.files.map((f) => ({ ...f })),
    { path: JOIN_CONFIG_PATH, content: toYaml(join), permissions: '0600' },
  ];
  if (apiVersion !== 'kubeadm.k8s.io/v1beta2') {
    files.push({
      path: `${KUBEADM_PATCHES_DIR}/kubeletconfiguration+merge.yaml`,
      content: toYaml(kubeletConfigurationPatch(kubelet)),
      permissions: '0644',
    });
  }
  files.push(
    { path: AGENT_CONFIG_PATH, content: `${JSON.stringify(input.agent)}\n`, permissions: '0600' },
    { path: `/etc/systemd/system/${AGENT_UNIT_NAME}`, content: agentUnit(), permissions: '0644' },
    {
      path: BOOTSTRAP_SCRIPT_PATH,
      content: renderBootstrapScript({
        kubernetesVersion: input.kubernetesVersion,
        runtime: input.runtime,
        gpu,
        nodeName: input.nodeName,
        regionId: input.regionId,
        hardeningCommands: hardening.commands,
        agentDownloadUrl: input.options?.agentDownloadUrl ?? null,
      }),
      permissions: '0700',
    },
  );
  return {
    timezone: input.timeZone,
    // M46: MLPS forbids root logins over SSH; otherwise the key pair logs in as root, as on ACK.
    disable_root: hardening.disableRoot,
    ssh_pwauth: input.hardening === 'mlps' ? false : undefined,
    yum_repos: repos,
    write_files: files.map(compacted),
    runcmd: [['bash', BOOTSTRAP_SCRIPT_PATH]],
  };
}

function withoutUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Our `#cloud-config` document. */
export function renderWorkerCloudConfig(input: WorkerUserDataInput): string {
  return `#cloud-config\n${toYaml(withoutUndefined(workerCloudConfig(input)))}`;
}

/** cloud-init's content type for user data by how it starts (its own rules); `text/plain` otherwise. */
export function userDataContentType(text: string): string {
  const starts: [string, string][] = [
    ['#cloud-config-archive', 'text/cloud-config-archive'],
    ['#cloud-config', 'text/cloud-config'],
    ['#cloud-boothook', 'text/cloud-boothook'],
    ['#include-once', 'text/x-include-once-url'],
    ['#include', 'text/x-include-url'],
    ['#part-handler', 'text/part-handler'],
    ['#upstart-job', 'text/upstart-job'],
    ['## template: jinja', 'text/jinja2'],
    ['#!', 'text/x-shellscript'],
  ];
  const head = text.replace(/^\uFEFF/, '');
  return starts.find(([prefix]) => head.toLowerCase().startsWith(prefix.toLowerCase()))?.[1] ?? 'text/plain';
}

/**
 * The user's cloud-config is merged after ours: lists append (their runcmd runs after ours), and
 * keys we set stay ours, so extra user data cannot undo the bootstrap.
 */
export const USER_CLOUD_CONFIG_MERGE = 'dict(no_replace,recurse_list)+list(append)+str()';

/** Base64 in lines of 76 characters (MIME's limit). */
function base64Lines(bytes: Uint8Array): string {
  return (
    Buffer.from(bytes)
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\n');
}

function boundaryFor(parts: readonly string[]): string {
  for (let i = 0; ; i++) {
    const h = createHash('sha256').update(parts.join('\0')).update(String(i)).digest('hex');
    const b = `==KUBERACK-${h.slice(0, 24)}==`;
    if (!parts.some((p) => p.includes(b))) return b;
  }
}

interface MimePart {
  /** The Content-Type header's value. */
  readonly contentType: string;
  readonly transferEncoding: '7bit' | 'base64';
  readonly filename: string;
  readonly extraHeaders: readonly string[];
  readonly body: string;
}

/**
 * The user's part, their bytes kept exactly: 7bit when ASCII, base64 otherwise (cloud-init's parser
 * turns 8bit non-ASCII text into escapes), or gzipped in base64 when that is shorter. cloud-init
 * unzips such a part and finds its type as it would for the text, but it keeps no Merge-Type (a
 * cloud-config needs ours) and no charset (non-ASCII text would come out as `\uXXXX` escapes), so
 * only ASCII parts other than cloud-config are gzipped.
 */
export function userDataPart(theirs: string): MimePart {
  const type = userDataContentType(theirs);
  const bytes = Buffer.from(theirs, 'utf8');
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(theirs);
  const cloudConfig = type === 'text/cloud-config';
  const plain: MimePart = {
    contentType: `${type}; charset="${ascii ? 'us-ascii' : 'utf-8'}"`,
    transferEncoding: ascii ? '7bit' : 'base64',
    filename: 'user-data',
    extraHeaders: cloudConfig ? [`Merge-Type: ${USER_CLOUD_CONFIG_MERGE}`] : [],
    body: ascii ? theirs : base64Lines(bytes),
  };
  if (cloudConfig || !ascii) return plain;
  const zipped = base64Lines(gzip(bytes));
  if (zipped.length >= plain.body.length) return plain;
  return { ...plain, contentType: 'application/x-gzip', transferEncoding: 'base64', body: zipped };
}

function partHead(p: Omit<MimePart, 'body'>): string {
  return [
    `Content-Type: ${p.contentType}`,
    'MIME-Version: 1.0',
    `Content-Transfer-Encoding: ${p.transferEncoding}`,
    `Content-Disposition: attachment; filename="${p.filename}"`,
    ...p.extraHeaders,
    '',
    '',
  ].join('\n');
}

/**
 * MIME multipart: ours first, theirs after (`userDataPart`); the line break before each boundary
 * belongs to the boundary. A shell script is named `user-data`, which cloud-init runs after our
 * `runcmd` (it runs scripts in name order).
 */
export function multipartUserData(ours: string, theirs: string): string {
  const part = userDataPart(theirs);
  const boundary = boundaryFor([ours, part.body]);
  return [
    `Content-Type: multipart/mixed; boundary="${boundary}"\nMIME-Version: 1.0\n\n`,
    `--${boundary}\n`,
    partHead({
      contentType: 'text/cloud-config; charset="us-ascii"',
      transferEncoding: '7bit',
      filename: 'kuberack-bootstrap.yaml',
      extraHeaders: [],
    }),
    ours,
    `\n--${boundary}\n`,
    partHead(part),
    part.body,
    `\n--${boundary}--\n`,
  ].join('');
}

/**
 * The worker's whole user data: our cloud-config, and the user's extra user data after it (M49).
 * ENGINE_USER_DATA_TOO_LARGE when it would not fit the cloud's limit, which would refuse it later.
 */
export function renderWorkerUserData(input: WorkerUserDataInput): string {
  const ours = renderWorkerCloudConfig(input);
  const userData =
    input.userData === null || input.userData === '' ? ours : multipartUserData(ours, input.userData);
  const bytes = Buffer.byteLength(userData, 'utf8');
  if (bytes > USER_DATA_MAX_BYTES) {
    throw new KuberackError('ENGINE_USER_DATA_TOO_LARGE', {
      bytes,
      limit: USER_DATA_MAX_BYTES,
      userDataBytes: input.userData === null ? 0 : Buffer.byteLength(input.userData, 'utf8'),
    });
  }
  return userData;
}
