// The worker's bootstrap script (bash, run once by cloud-init's runcmd): node name (M51), kernel
// settings, hardening (M46), container runtime (M20), NVIDIA driver and toolkit, kubelet, join, agent.
import type { NodeNamePattern, RuntimeName } from '../domain/spec/types.js';
import { JOIN_CONFIG_PATH } from './kubeadm-join.js';
import { kubernetesRelease } from './package-mirrors.js';

export const BOOTSTRAP_SCRIPT_PATH = '/usr/local/lib/kuberack/bootstrap.sh';
export const BOOTSTRAP_LOG_PATH = '/var/log/kuberack-bootstrap.log';
/** Replaced in the join configuration by the node name once the node knows its IP. */
export const NODE_NAME_PLACEHOLDER = '__KUBERACK_NODE_NAME__';
export const AGENT_BINARY_PATH = '/usr/local/bin/kuberack';
export const AGENT_UNIT_NAME = 'kuberack-agent.service';
/** Docker CE on Kubernetes ≤ 1.22 (M20); the catalogue's pin. */
export const DOCKER_VERSION = '19.03.15';

/** What the NVIDIA part of the script does for the instance type. */
export type GpuSetup =
  | { readonly kind: 'none' }
  /** Tesla driver from the CUDA repository unless the image already has one. */
  | { readonly kind: 'tesla'; readonly driverBranch: string }
  /** vGPU slices need NVIDIA's licensed GRID driver, which must come with the image. */
  | { readonly kind: 'grid' };

export interface BootstrapScriptInput {
  readonly kubernetesVersion: string;
  readonly runtime: RuntimeName;
  readonly gpu: GpuSetup;
  readonly nodeName: NodeNamePattern | null;
  /** The default node name is `<region>.<ip>`, as ACK names nodes. */
  readonly regionId: string;
  readonly hardeningCommands: readonly string[];
  /** Where to fetch the `kuberack` binary when the image lacks it; null: the image must carry it. */
  readonly agentDownloadUrl: string | null;
}

/** Single-quoted for bash. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function nodeNameLines(pattern: NodeNamePattern | null, regionId: string): string[] {
  const lines = [
    '# Node name (M51): from the private IPv4 address the metadata service reports.',
    'ip=$(curl -fsS --max-time 5 http://100.100.100.200/latest/meta-data/private-ipv4 || hostname -I | cut -d" " -f1)',
    '[[ $ip =~ ^[0-9]{1,3}(\\.[0-9]{1,3}){3}$ ]] || { echo "no private IPv4 address" >&2; exit 1; }',
  ];
  if (pattern === null) return [...lines, `node_name=${shellQuote(`${regionId}.`)}"$ip"`];
  return [
    ...lines,
    'IFS=. read -r o1 o2 o3 o4 <<<"$ip"',
    'digits=$(printf "%03d%03d%03d%03d" "$((10#$o1))" "$((10#$o2))" "$((10#$o3))" "$((10#$o4))")',
    `node_name=${shellQuote(pattern.prefix)}"\${digits: -${pattern.ipDigits}}"${shellQuote(pattern.suffix)}`,
  ];
}

function runtimeLines(runtime: RuntimeName): string[] {
  if (runtime === 'docker') {
    return [
      "# Container runtime (M20): Docker CE with the systemd cgroup driver, for the kubelet's dockershim.",
      `retry yum install -y docker-ce-${DOCKER_VERSION} docker-ce-cli-${DOCKER_VERSION} containerd.io`,
      'mkdir -p /etc/docker',
      'printf \'{"exec-opts":["native.cgroupdriver=systemd"],"log-driver":"json-file","log-opts":{"max-size":"100m"}}\\n\' > /etc/docker/daemon.json',
    ];
  }
  const lines = [
    '# Container runtime (M20): containerd with the systemd cgroup driver.',
    'retry yum install -y containerd.io',
    'mkdir -p /etc/containerd',
    "containerd config default | sed -e 's/SystemdCgroup = false/SystemdCgroup = true/' > /etc/containerd/config.toml",
  ];
  if (runtime === 'sandboxed') {
    lines.push(
      '# Sandboxed containers: the Kata Containers shim as RuntimeClass handler "runv".',
      'retry yum install -y kata-containers',
      "cat >> /etc/containerd/config.toml <<'TOML'",
      '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runv]',
      '  runtime_type = "io.containerd.kata.v2"',
      'TOML',
    );
  }
  return lines;
}

function gpuLines(gpu: GpuSetup, runtime: RuntimeName): string[] {
  if (gpu.kind === 'none') return ['# No NVIDIA accelerator on this instance type.'];
  const driver =
    gpu.kind === 'grid'
      ? [
          '# vGPU slices need the GRID driver, which only the image can carry.',
          'nvidia-smi >/dev/null || { echo "the image has no NVIDIA GRID driver" >&2; exit 1; }',
        ]
      : [
          `# NVIDIA Tesla driver, branch ${gpu.driverBranch}, unless the image brings one.`,
          'if ! nvidia-smi >/dev/null 2>&1; then',
          '  retry yum install -y "kernel-devel-$(uname -r)" "kernel-headers-$(uname -r)"',
          `  retry yum install -y cuda-drivers-${gpu.driverBranch}`,
          'fi',
          'nvidia-smi',
        ];
  const ctkRuntime = runtime === 'docker' ? 'docker' : 'containerd';
  return [
    ...driver,
    '# NVIDIA Container Toolkit as the default runtime, so GPU pods need no RuntimeClass.',
    'retry yum install -y nvidia-container-toolkit',
    `nvidia-ctk runtime configure --runtime=${ctkRuntime} --set-as-default`,
    // With the systemd cgroup driver a daemon-reload can cut containers off their GPUs without these.
    'nvidia-ctk system create-dev-char-symlinks --create-all',
  ];
}

function agentLines(url: string | null): string[] {
  const fetch =
    url === null
      ? [
          `[ -x ${AGENT_BINARY_PATH} ] || echo "warning: ${AGENT_BINARY_PATH} is not in the image; the node agent cannot start" >&2`,
        ]
      : [
          `if [ ! -x ${AGENT_BINARY_PATH} ]; then`,
          `  retry curl -fsSL -o ${AGENT_BINARY_PATH} ${shellQuote(url)}`,
          `  chmod 0755 ${AGENT_BINARY_PATH}`,
          'fi',
        ];
  return [
    '# The node agent reports the GPUs (M62) once the node has joined.',
    ...fetch,
    `systemctl enable --now ${AGENT_UNIT_NAME}`,
  ];
}

/** The script text; deterministic, checked with `bash -n` in the tests. */
export function renderBootstrapScript(input: BootstrapScriptInput): string {
  const release = kubernetesRelease(input.kubernetesVersion);
  const runtimeService = input.runtime === 'docker' ? 'docker' : 'containerd';
  const lines = [
    '#!/bin/bash',
    '# Kuberack GPU worker bootstrap, generated; cloud-init runs it once (runcmd).',
    'set -euo pipefail',
    `exec > >(tee -a ${BOOTSTRAP_LOG_PATH}) 2>&1`,
    'retry() { local n=0; until "$@"; do n=$((n + 1)); [ "$n" -lt 5 ] || return 1; sleep $((n * 10)); done; }',
    '',
    ...nodeNameLines(input.nodeName, input.regionId),
    'hostnamectl set-hostname "$node_name"',
    `sed -i "s/${NODE_NAME_PLACEHOLDER}/$node_name/" ${JOIN_CONFIG_PATH}`,
    '',
    '# Kernel settings Kubernetes needs; no swap.',
    'modprobe overlay',
    'modprobe br_netfilter',
    'sysctl --system',
    'swapoff -a',
    "sed -i -E '/[[:space:]]swap[[:space:]]/s/^([^#])/#\\1/' /etc/fstab",
    '',
    ...(input.hardeningCommands.length > 0 ? ['# OS hardening (M46).', ...input.hardeningCommands, ''] : []),
    ...runtimeLines(input.runtime),
    '',
    ...gpuLines(input.gpu, input.runtime),
    `systemctl daemon-reload`,
    `systemctl enable ${runtimeService}`,
    `systemctl restart ${runtimeService}`,
    '',
    `# kubelet and kubeadm ${release.upstream}, pinned to that version.`,
    `retry yum install -y kubelet-${release.upstream} kubeadm-${release.upstream} kubectl-${release.upstream} --disableexcludes=kubernetes`,
    'systemctl enable kubelet',
    // A failed join leaves files behind that make the next try fail: reset before trying again.
    `until kubeadm join --config ${JOIN_CONFIG_PATH}; do`,
    '  tries=$((${tries:-0} + 1)); [ "$tries" -lt 5 ] || exit 1',
    '  kubeadm reset -f; sleep 30',
    'done',
    '',
    ...agentLines(input.agentDownloadUrl),
    '',
  ];
  return lines.join('\n');
}
