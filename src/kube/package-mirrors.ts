// Where a worker's packages come from: yum repositories for Kubernetes, the container runtime, the
// NVIDIA driver and the NVIDIA Container Toolkit. Every base URL is configurable (China regions need mirrors).

/** Base URLs; a repository's path below them follows the upstream layout. */
export interface PackageMirrors {
  /** pkgs.k8s.io layout: `<base>/v1.34/rpm/` (Kubernetes 1.24 and later). */
  readonly kubernetes: string;
  /** The old Google-hosted layout: `<base>/repos/kubernetes-el7-x86_64/` (before 1.24). */
  readonly kubernetesLegacy: string;
  /** download.docker.com layout: `<base>/7/$basearch/stable` (containerd.io, docker-ce). */
  readonly dockerCe: string;
  /** NVIDIA's CUDA repository for RHEL 7 (the `cuda-drivers-<branch>` packages). */
  readonly cuda: string;
  /** nvidia.github.io layout: `<base>/$basearch` (nvidia-container-toolkit). */
  readonly nvidiaContainerToolkit: string;
}

/**
 * Defaults: the cloud's internal mirror (`mirrors.cloud.aliyuncs.com`, reachable from inside a VPC
 * without egress) for Kubernetes and Docker CE; NVIDIA's own repositories, for which we know of no
 * internal mirror, through the cluster's NAT gateway.
 */
export const DEFAULT_PACKAGE_MIRRORS: PackageMirrors = {
  kubernetes: 'http://mirrors.cloud.aliyuncs.com/kubernetes-new/core/stable',
  kubernetesLegacy: 'http://mirrors.cloud.aliyuncs.com/kubernetes/yum',
  dockerCe: 'http://mirrors.cloud.aliyuncs.com/docker-ce/linux/centos',
  cuda: 'https://developer.download.nvidia.com/compute/cuda/repos/rhel7',
  nvidiaContainerToolkit: 'https://nvidia.github.io/libnvidia-container/stable/rpm',
};

/** One entry of cloud-init's `yum_repos` (written to /etc/yum.repos.d/<id>.repo). */
export interface YumRepo {
  readonly name: string;
  readonly baseurl: string;
  readonly enabled: boolean;
  readonly gpgcheck: boolean;
  readonly gpgkey: string;
  readonly repo_gpgcheck?: boolean;
}

function trimmed(base: string): string {
  return base.replace(/\/+$/, '');
}

/** `1.34.1-aliyun.1` → `{ minor: '1.34', upstream: '1.34.1', minorNumber: 34 }`. */
export function kubernetesRelease(version: string): { minor: string; upstream: string; minorNumber: number } {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  const major = m?.[1] ?? '1';
  const minor = m?.[2] ?? '0';
  return {
    minor: `${major}.${minor}`,
    upstream: `${major}.${minor}.${m?.[3] ?? '0'}`,
    minorNumber: Number(minor),
  };
}

export function kubernetesRepo(mirrors: PackageMirrors, version: string): YumRepo {
  const release = kubernetesRelease(version);
  if (release.minorNumber >= 24) {
    const base = `${trimmed(mirrors.kubernetes)}/v${release.minor}/rpm/`;
    return {
      name: `Kubernetes v${release.minor}`,
      baseurl: base,
      enabled: true,
      gpgcheck: true,
      gpgkey: `${base}repodata/repomd.xml.key`,
    };
  }
  const base = trimmed(mirrors.kubernetesLegacy);
  return {
    name: 'Kubernetes',
    baseurl: `${base}/repos/kubernetes-el7-x86_64/`,
    enabled: true,
    gpgcheck: true,
    gpgkey: `${base}/doc/yum-key.gpg ${base}/doc/rpm-package-key.gpg`,
  };
}

export function dockerCeRepo(mirrors: PackageMirrors): YumRepo {
  const base = trimmed(mirrors.dockerCe);
  return {
    name: 'Docker CE Stable',
    baseurl: `${base}/7/$basearch/stable`,
    enabled: true,
    gpgcheck: true,
    gpgkey: `${base}/gpg`,
  };
}

export function cudaRepo(mirrors: PackageMirrors): YumRepo {
  const base = trimmed(mirrors.cuda);
  return {
    name: 'NVIDIA CUDA',
    baseurl: `${base}/x86_64/`,
    enabled: true,
    gpgcheck: true,
    gpgkey: `${base}/x86_64/D42D0685.pub`,
  };
}

export function nvidiaContainerToolkitRepo(mirrors: PackageMirrors): YumRepo {
  const base = trimmed(mirrors.nvidiaContainerToolkit);
  return {
    name: 'NVIDIA Container Toolkit',
    baseurl: `${base}/$basearch`,
    enabled: true,
    gpgcheck: false,
    repo_gpgcheck: true,
    // The key sits at the top of the repository tree: `<tree>/gpgkey` for `<tree>/stable/rpm`.
    gpgkey: `${base.replace(/\/stable\/rpm$/, '')}/gpgkey`,
  };
}
