// Where the emulated control plane reads a cluster from: its row, plan and steps (endpoints, instance
// facts), its registered nodes and its sealed PKI. Read-only; the engine stays the only writer.
import { findInstanceType, runtimesFor } from '../domain/catalogue/index.js';
import { validateGpuReport, type GpuReport } from '../domain/gpu/index.js';
import { flannelCapacity, terwayPodsPerNode } from '../domain/net/index.js';
import type { Db } from '../store/db.js';
import type { NodeSource } from './objects.js';

/** The cluster's secret store, read side (the engine seals `pki/bundle` when it makes the PKI). */
export type SecretReader = (clusterId: string) => { get(name: string): Promise<string | null> };

/** What the TLS layer needs: the API server's certificate and key, and the CA clients must chain to. */
export interface ServingMaterial {
  readonly certPem: string;
  readonly keyPem: string;
  readonly caPem: string;
}

/** Where a cluster's API server is reached: its SLB and EIP addresses, on its listener ports. */
export interface ApiEndpoints {
  readonly addresses: readonly string[];
  readonly ports: readonly number[];
}

/** kubelet's default when the network plugin does not bound it. */
const DEFAULT_MAX_PODS = 110;

/** /etc/os-release PRETTY_NAME of the images the spec offers. */
const OS_PRETTY_NAMES: Readonly<Record<string, string>> = {
  'aliyun-linux-2': 'Alibaba Cloud Linux (Aliyun Linux) 2.1903 LTS (Hunting Beagle)',
  'centos-7': 'CentOS Linux 7 (Core)',
};

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

function parse(text: unknown): Obj {
  if (typeof text !== 'string') return {};
  try {
    return obj(JSON.parse(text));
  } catch {
    return {};
  }
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

interface ClusterRow {
  id: string;
  region_id: string;
  state: string;
  spec: string;
  graph: string;
}

interface StepRow {
  step_key: string;
  kind: string;
  state: string;
  outputs: string | null;
}

export class ClusterDirectory {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretReader,
  ) {}

  private async steps(clusterId: string): Promise<StepRow[]> {
    return this.db.all<StepRow>('SELECT step_key, kind, state, outputs FROM steps WHERE cluster_id = $1', [
      clusterId,
    ]);
  }

  /**
   * A cluster whose hosted control plane is up (its `control-plane` step is done and not released):
   * where it is reached, or null when it is not serving.
   */
  async endpoints(clusterId: string): Promise<ApiEndpoints | null> {
    const c = await this.db.one<{ state: string }>('SELECT state FROM clusters WHERE id = $1', [clusterId]);
    if (!c || c.state === 'deleted') return null;
    const steps = await this.steps(clusterId);
    if (steps.find((s) => s.step_key === 'control-plane')?.state !== 'done') return null;
    return endpointsOf(steps);
  }

  /** Serving clusters reached at `address` (several when VPCs reuse an internal address). */
  async clustersAt(address: string): Promise<string[]> {
    const rows = await this.db.all<{ cluster_id: string; outputs: string | null }>(
      `SELECT cluster_id, outputs FROM steps WHERE step_key IN ('slb/api-server', 'eip/api-server') AND state = 'done'`,
    );
    const candidates = [
      ...new Set(
        rows
          .filter((r) => {
            const o = parse(r.outputs);
            return o.address === address || o.ip === address;
          })
          .map((r) => r.cluster_id),
      ),
    ];
    const serving: string[] = [];
    for (const id of candidates) if (await this.endpoints(id)) serving.push(id);
    return serving;
  }

  /** The API server certificate and key and the cluster CA, unsealed; null without a PKI. */
  async material(clusterId: string): Promise<ServingMaterial | null> {
    const text = await this.secrets(clusterId).get('pki/bundle');
    if (!text) return null;
    const b = parse(text);
    const certPem = str(b.apiServerCertPem);
    const keyPem = str(b.apiServerKeyPem);
    const caPem = str(b.caCertPem);
    return certPem && keyPem && caPem ? { certPem, keyPem, caPem } : null;
  }

  async kubernetesVersion(clusterId: string): Promise<string | null> {
    const c = await this.db.one<{ spec: string }>('SELECT spec FROM clusters WHERE id = $1', [clusterId]);
    return c ? str(parse(c.spec).kubernetesVersion) : null;
  }

  /** Registered nodes with everything the Node objects show, ordered by name. */
  async nodes(clusterId: string): Promise<NodeSource[]> {
    const c = await this.db.one<ClusterRow>(
      'SELECT id, region_id, state, spec, graph FROM clusters WHERE id = $1',
      [clusterId],
    );
    if (!c) return [];
    // SELECT *: columns a later migration adds (the agent's machine facts, its heartbeat) are optional.
    const rows = await this.db.all<Obj>(
      'SELECT * FROM nodes WHERE cluster_id = $1 AND registered_at IS NOT NULL ORDER BY node_name',
      [clusterId],
    );
    const spec = parse(c.spec);
    const plan = new Map(
      (Array.isArray(parse(c.graph).steps) ? (parse(c.graph).steps as unknown[]) : []).map((s) => [
        String(obj(s).key),
        obj(obj(s).inputs),
      ]),
    );
    const outputs = new Map((await this.steps(clusterId)).map((s) => [s.step_key, parse(s.outputs)]));
    return rows.map((row) =>
      nodeSource(c, spec, row, plan.get(String(row.step_key)) ?? {}, outputs.get(String(row.step_key)) ?? {}),
    );
  }
}

function endpointsOf(steps: readonly StepRow[]): ApiEndpoints {
  const out = (key: string) => parse(steps.find((s) => s.step_key === key && s.state === 'done')?.outputs);
  const addresses = [str(out('slb/api-server').address), str(out('eip/api-server').ip)].filter(
    (a): a is string => a !== null,
  );
  const ports = steps
    .filter(
      (s) =>
        s.kind === 'slb-listener' && s.state === 'done' && s.step_key.startsWith('slb-listener/api-server-'),
    )
    .map((s) => Number(s.step_key.slice('slb-listener/api-server-'.length)))
    .filter((p) => Number.isInteger(p) && p > 0);
  return { addresses, ports };
}

function maxPods(spec: Obj, instanceType: string | null): number {
  const network = obj(spec.network);
  if (network.plugin === 'flannel') {
    const podCidr = str(network.podCidr);
    const count = num(network.nodeIpCount);
    const cap = podCidr && count ? flannelCapacity(podCidr, count) : null;
    if (cap) return cap.podsPerNode;
  }
  const type = instanceType ? findInstanceType(instanceType) : undefined;
  if (network.plugin === 'terway' && type)
    return terwayPodsPerNode(type, network.terwayMode === 'exclusive-eni' ? 'exclusive-eni' : 'shared-eni');
  return DEFAULT_MAX_PODS;
}

function containerRuntime(spec: Obj): string {
  const version = str(spec.kubernetesVersion) ?? '';
  const name = str(spec.runtime) ?? 'containerd';
  const pinned = runtimesFor(version).find((r) => r.name === name)?.version;
  // The sandboxed runtime runs under containerd.
  const scheme = name === 'docker' ? 'docker' : 'containerd';
  return pinned ? `${scheme}://${pinned}` : '';
}

/** Node's `process.arch` spelling (what the agent reports) → Kubernetes' GOARCH spelling. */
function goArch(arch: string | null): string {
  if (arch === 'x64' || arch === null) return 'amd64';
  if (arch === 'ia32') return '386';
  return arch;
}

function gpuReportOf(text: unknown): GpuReport | null {
  if (typeof text !== 'string') return null;
  const v = validateGpuReport(parse(text));
  return v.ok ? v.report : null;
}

function nodeSource(c: ClusterRow, spec: Obj, row: Obj, inputs: Obj, outputs: Obj): NodeSource {
  const facts = parse(row.node_info);
  const bootstrap = obj(inputs.bootstrap);
  const instanceType = str(outputs.instanceType);
  const type = instanceType ? findInstanceType(instanceType) : undefined;
  const taints = Array.isArray(bootstrap.taints) ? bootstrap.taints.map(obj) : [];
  const os = str(obj(spec.workers).os);
  const custom = str(bootstrap.customImageId) !== null;
  const registeredAt = Number(row.registered_at);
  return {
    clusterId: c.id,
    regionId: c.region_id,
    zoneId: str(outputs.zoneId),
    kubernetesVersion: str(spec.kubernetesVersion) ?? '',
    containerRuntime: containerRuntime(spec),
    osImage: str(obj(facts.os).name) ?? (os && !custom ? (OS_PRETTY_NAMES[os] ?? '') : ''),
    kernelVersion: str(facts.kernel) ?? '',
    architecture: goArch(str(facts.architecture)),
    name: String(row.node_name),
    instanceId: String(row.instance_id),
    instanceType,
    privateIp: String(row.private_ip),
    podCidr: str(outputs.podCidr),
    registeredAt,
    lastSeenAt: num(Number(row.last_seen_at)) ?? registeredAt,
    heartbeatMs:
      row.heartbeat_ms === undefined || row.heartbeat_ms === null ? null : Number(row.heartbeat_ms),
    gpuReport: gpuReportOf(row.gpu_report),
    cpu: num(obj(facts.cpu).count) ?? type?.vcpu ?? null,
    memoryMiB: num(facts.memoryMiB) ?? (type ? type.memoryGiB * 1024 : null),
    systemDiskGiB: num(obj(inputs.systemDisk).sizeGiB),
    cpuPolicy: bootstrap.cpuPolicy === 'static' ? 'static' : 'none',
    maxPods: maxPods(spec, instanceType),
    taints: taints.flatMap((t) =>
      typeof t.key === 'string' && typeof t.effect === 'string'
        ? [{ key: t.key, value: typeof t.value === 'string' ? t.value : '', effect: t.effect }]
        : [],
    ),
  };
}
