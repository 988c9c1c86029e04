// Kubernetes versions Kuberack offers (mission M19) in ACK's naming (`1.34.1-aliyun.1`), and the
// container runtimes each one can use (M20): containerd everywhere, docker up to 1.22, sandboxed up to 1.24.
//
// The seed's 1.18.8-aliyun.1 and 1.16.9-aliyun.1 stay creatable (the seed offers them) but are marked
// deprecated. Runtime versions are plausible pins, not read from the provider; the provider publishes
// the authoritative list (DescribeKubernetesVersionMetadata), which should refresh this one.

import type { RuntimeName } from '../spec/types.js';

export interface RuntimeOption {
  readonly name: RuntimeName;
  readonly version: string;
}

export interface KubernetesVersion {
  /** Full ACK version, e.g. `1.34.1-aliyun.1`. */
  readonly version: string;
  /** `major.minor`, e.g. `1.34`. */
  readonly minor: string;
  readonly creatable: boolean;
  readonly deprecated: boolean;
  /** The first entry is the default runtime. */
  readonly runtimes: readonly RuntimeOption[];
}

/** Newest Kubernetes minor each runtime supports; null = no upper bound (ACK CreateCluster rules). */
export const RUNTIME_MAX_MINOR: Readonly<Record<RuntimeName, string | null>> = {
  containerd: null,
  docker: '1.22',
  sandboxed: '1.24',
};

interface ParsedVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly revision: number;
}

const VERSION_RE = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-aliyun\.(\d+))?$/;

function parse(v: string): ParsedVersion | undefined {
  const m = VERSION_RE.exec(v.trim());
  if (!m) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3] ?? '0'),
    revision: Number(m[4] ?? '0'),
  };
}

/**
 * Orders versions such as `1.16.9-aliyun.1` < `1.18.8-aliyun.1` < `1.34.1-aliyun.1` (also accepts
 * `1.34`, `v1.34.1`). Negative, zero or positive like a sort comparator; strings that are not
 * versions sort before every version and among themselves alphabetically.
 */
export function compareKubernetesVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) {
    if (pa) return 1;
    if (pb) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return pa.major - pb.major || pa.minor - pb.minor || pa.patch - pb.patch || pa.revision - pb.revision;
}

/** Whether `runtime` may be used with Kubernetes `version` under RUNTIME_MAX_MINOR. */
export function runtimeAllowedFor(runtime: RuntimeName, version: string): boolean {
  const max = RUNTIME_MAX_MINOR[runtime];
  if (max === null) return true;
  const p = parse(version);
  if (!p) return false;
  return compareKubernetesVersions(`${p.major}.${p.minor}`, max) <= 0;
}

const DOCKER: RuntimeOption = { name: 'docker', version: '19.03.15' };
const SANDBOXED: RuntimeOption = { name: 'sandboxed', version: '2.2.3' };

function entry(version: string, containerd: string, deprecated: boolean): KubernetesVersion {
  const candidates: readonly RuntimeOption[] = [
    { name: 'containerd', version: containerd },
    DOCKER,
    SANDBOXED,
  ];
  const minor = version.split('.').slice(0, 2).join('.');
  return {
    version,
    minor,
    creatable: true,
    deprecated,
    runtimes: candidates.filter((r) => runtimeAllowedFor(r.name, version)),
  };
}

/** Newest first. */
export const KUBERACK_KUBERNETES_VERSIONS: readonly KubernetesVersion[] = [
  entry('1.34.1-aliyun.1', '2.1.4', false),
  entry('1.33.3-aliyun.1', '2.1.4', false),
  entry('1.32.7-aliyun.1', '2.1.4', false),
  entry('1.31.9-aliyun.1', '2.0.6', false),
  entry('1.18.8-aliyun.1', '1.6.36', true),
  entry('1.16.9-aliyun.1', '1.6.36', true),
].sort((x, y) => compareKubernetesVersions(y.version, x.version));

function newestOffered(): string {
  const offered = KUBERACK_KUBERNETES_VERSIONS.filter((v) => v.creatable && !v.deprecated);
  const newest = offered[0] ?? KUBERACK_KUBERNETES_VERSIONS[0];
  if (!newest) throw new Error('the Kubernetes version catalogue is empty');
  return newest.version;
}

/** The newest creatable, non-deprecated version; used when a spec names none. */
export const DEFAULT_KUBERNETES_VERSION: string = newestOffered();

/** Exact lookup by full version string, e.g. `1.32.7-aliyun.1`. */
export function findKubernetesVersion(version: string): KubernetesVersion | undefined {
  return KUBERACK_KUBERNETES_VERSIONS.find((v) => v.version === version);
}

/** Runtimes offered with `version` (default first); empty for a version Kuberack does not offer. */
export function runtimesFor(version: string): readonly RuntimeOption[] {
  return findKubernetesVersion(version)?.runtimes ?? [];
}
