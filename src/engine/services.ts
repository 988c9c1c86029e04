// The engine's non-cloud ports as Kuberack runs them today: cluster PKI and join token from src/kube,
// the node registry (the node-report path agents and emulated workers use), an emulated hosted control
// plane, and the worker user data that starts the agent.
import { createHash, randomBytes } from 'node:crypto';
import type { GpuReport } from '../domain/gpu/report.js';
import {
  DEFAULT_MIG_STRATEGY,
  HEARTBEAT_SECONDS,
  nodeGpuView,
  nodeReadiness,
  validateNodeReport,
} from '../domain/node/index.js';
import type {
  NodeFacts,
  NodeGpuView,
  NodeReadinessView,
  NodeReport as DomainNodeReport,
} from '../domain/node/index.js';
import type { Problem } from '../domain/problems.js';
import type { Db } from '../store/db.js';
import { createClusterPki, generateBootstrapToken, generateClusterPkiKeys } from '../kube/index.js';
import { renderWorkerUserData, type WorkerBootstrapOptions } from '../kube/worker-user-data.js';
import { DEFAULT_KUBERNETES_VERSION } from '../domain/catalogue/index.js';
import { SPEC_DEFAULTS } from '../domain/spec/defaults.js';
import { CPU_POLICIES, OS_HARDENINGS, OS_IMAGES, RUNTIMES, TAINT_EFFECTS } from '../domain/spec/types.js';
import type { TunnelledControlPlanes } from './kubeconfig.js';
import type {
  BootstrapRenderer,
  ControlPlaneHost,
  CredentialsService,
  Json,
  NodeRegistry,
  RegisteredNode,
  SecretStore,
} from './steps/types.js';

type SecretsFor = (clusterId: string) => SecretStore;

interface PkiBundle {
  caCertPem: string;
  caKeyPem: string;
  frontProxyCaCertPem: string;
  frontProxyCaKeyPem: string;
  etcdCaCertPem: string;
  etcdCaKeyPem: string;
  serviceAccountKeyPem: string;
  apiServerCertPem: string;
  apiServerKeyPem: string;
  apiServerDnsNames: string[];
  apiServerIps: string[];
  caCertHash: string;
  bootstrapToken: string;
  /** `host:6443` workers join through (the internal SLB); absent in bundles made before it was kept. */
  apiServerEndpoint?: string;
}

function publicOutputs(b: PkiBundle): Record<string, Json> {
  return {
    caCertPem: b.caCertPem,
    caCertHash: b.caCertHash,
    apiServerDnsNames: b.apiServerDnsNames,
    apiServerIps: b.apiServerIps,
    bootstrapTokenId: b.bootstrapToken.split('.')[0] ?? '',
  };
}

/** PKI and join token per cluster, made once and kept sealed (M37, M38); outputs hold public parts only. */
export function pkiCredentials(secrets: SecretsFor, now: () => number): CredentialsService {
  return {
    async ensure(clusterId, input) {
      const store = secrets(clusterId);
      const existing = await store.get('pki/bundle');
      if (existing) return publicOutputs(JSON.parse(existing) as PkiBundle);
      const keys = await generateClusterPkiKeys();
      const text = (v: Json | undefined) => (typeof v === 'string' && v !== '' ? v : undefined);
      const pki = await createClusterPki({
        now: new Date(now()),
        randomBytes: (n) => randomBytes(n),
        keys,
        serviceCidr: String(input.serviceCidr),
        clusterDomain: text(input.clusterDomain),
        internalEndpoint: String(input.internalAddress),
        publicEndpoint: text(input.publicAddress),
        customSans: Array.isArray(input.certSans) ? input.certSans.map(String) : [],
      });
      const bundle: PkiBundle = {
        caCertPem: pki.clusterCa.certPem,
        caKeyPem: keys.clusterCa.privateKeyPem,
        frontProxyCaCertPem: pki.frontProxyCa.certPem,
        frontProxyCaKeyPem: keys.frontProxyCa.privateKeyPem,
        etcdCaCertPem: pki.etcdCa.certPem,
        etcdCaKeyPem: keys.etcdCa.privateKeyPem,
        serviceAccountKeyPem: keys.serviceAccount.privateKeyPem,
        apiServerCertPem: pki.apiServer.certPem,
        apiServerKeyPem: keys.apiServer.privateKeyPem,
        apiServerDnsNames: pki.apiServer.dnsNames,
        apiServerIps: pki.apiServer.ipAddresses,
        caCertHash: pki.caCertHash,
        bootstrapToken: generateBootstrapToken((n) => randomBytes(n)).token,
        apiServerEndpoint: `${String(input.internalAddress)}:6443`,
      };
      await store.put('pki/bundle', JSON.stringify(bundle));
      return publicOutputs(bundle);
    },
    async remove(clusterId) {
      await secrets(clusterId).remove('pki/bundle');
    },
  };
}

/**
 * A control plane that is recorded and ready at once but served nowhere: for processes that run no
 * emulated API server (`kuberack worker`, or KUBERACK_CONTROL_PLANE_LISTEN=off).
 */
export function recordOnlyControlPlanes(): ControlPlaneHost {
  return emulatedControlPlanes({ serving: false, proxyUrl: () => null });
}

/**
 * The emulated hosted control plane: ready at once and, when this deployment runs the control-plane
 * endpoint of `kuberack serve` (src/control-plane), served there; kubeconfigs reach it through
 * `proxyUrl` (null in a process that does not run the endpoint).
 */
export function emulatedControlPlanes(o: {
  serving: boolean;
  proxyUrl: (clusterId: string) => string | null;
}): ControlPlaneHost & TunnelledControlPlanes {
  return {
    ensure: (_clusterId, input) =>
      Promise.resolve({
        ready: true,
        outputs: {
          endpoint: input.endpoint ?? null,
          kubernetesVersion: input.kubernetesVersion ?? null,
          serving: o.serving,
        },
      }),
    remove: () => Promise.resolve(true),
    proxyUrl: (clusterId) => o.proxyUrl(clusterId),
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What the registry answers a report: accepted (first registration or not), or why not. */
export type NodeReportOutcome =
  | {
      readonly clusterId: string;
      readonly stepKey: string;
      readonly first: boolean;
      readonly changed: boolean;
    }
  | { readonly error: 'unknown node token' }
  | { readonly error: 'invalid report'; readonly problems: readonly Problem[] };

/** A registered node as the API shows it: identity, readiness, facts, GPU report, labels, capacity. */
export interface NodeView extends NodeGpuView {
  readonly step: string;
  readonly instanceId: string | null;
  readonly nodeName: string | null;
  readonly privateIp: string | null;
  readonly registeredAt: number | null;
  readonly lastSeenAt: number | null;
  readonly heartbeatSeconds: number;
  readonly status: NodeReadinessView['status'];
  readonly statusReason: NodeReadinessView['reason'];
  readonly node: NodeFacts | null;
  readonly gpuReport: GpuReport | null;
}

interface NodeRow {
  step_key: string;
  instance_id: string | null;
  node_name: string | null;
  private_ip: string | null;
  gpu_report: string | null;
  node_info: string | null;
  heartbeat_ms: number | null;
  registered_at: number | null;
  last_seen_at: number | null;
}

const NODE_COLUMNS =
  'step_key, instance_id, node_name, private_ip, gpu_report, node_info, heartbeat_ms, registered_at, last_seen_at';

/**
 * What must stay equal for a heartbeat to be the cheap kind: the node's identity, facts, period and
 * GPU set (uuids, models, memory, MIG layout, health), not its readings (usage, temperature, power).
 */
export function nodeReportKey(r: DomainNodeReport): string {
  const gpus = r.gpuReport.gpus.map((g) => [
    g.uuid,
    g.index,
    g.product,
    g.pciBusId,
    g.memoryTotalMiB,
    g.migMode,
    g.migDevices.map((d) => [d.uuid, d.index, d.profile, d.gpuInstanceId, d.memoryTotalMiB]),
    g.health,
    g.healthReasons,
  ]);
  const { gpuReport, ...identity } = r;
  return sha256(
    JSON.stringify([
      identity,
      gpuReport.driverVersion,
      gpuReport.source,
      gpuReport.error?.code ?? null,
      gpus,
    ]),
  );
}

function toView(r: NodeRow, now: number): NodeView {
  const heartbeatMs = Number(r.heartbeat_ms ?? HEARTBEAT_SECONDS.default * 1000);
  const readiness = nodeReadiness(
    {
      registeredAt: r.registered_at === null ? null : Number(r.registered_at),
      lastSeenAt: r.last_seen_at === null ? null : Number(r.last_seen_at),
      heartbeatMs,
    },
    now,
  );
  const gpuReport = r.gpu_report === null ? null : (JSON.parse(r.gpu_report) as GpuReport);
  const gpuView =
    gpuReport === null
      ? { migStrategy: DEFAULT_MIG_STRATEGY, labels: {}, capacity: {} }
      : nodeGpuView(gpuReport);
  return {
    step: r.step_key,
    instanceId: r.instance_id,
    nodeName: r.node_name,
    privateIp: r.private_ip,
    registeredAt: r.registered_at === null ? null : Number(r.registered_at),
    lastSeenAt: r.last_seen_at === null ? null : Number(r.last_seen_at),
    heartbeatSeconds: heartbeatMs / 1000,
    status: readiness.status,
    statusReason: readiness.reason,
    node: r.node_info === null ? null : (JSON.parse(r.node_info) as NodeFacts),
    gpuReport,
    ...gpuView,
  };
}

/** Registered nodes in the database; `report` is the node-report path of agents and emulated workers. */
export class DbNodeRegistry implements NodeRegistry {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretsFor,
    private readonly now: () => number,
  ) {}

  /** The same token for the same node every time, so re-rendered user data is identical (idempotent create). */
  async tokenFor(clusterId: string, stepKey: string): Promise<string> {
    const store = this.secrets(clusterId);
    const name = `node-token/${stepKey}`;
    let token = await store.get(name);
    if (!token) {
      token = `krn_${randomBytes(24).toString('base64url')}`;
      await store.put(name, token);
    }
    await this.db.run(
      `INSERT INTO nodes (cluster_id, step_key, token_sha256) VALUES ($1, $2, $3)
       ON CONFLICT (cluster_id, step_key) DO UPDATE SET token_sha256 = excluded.token_sha256`,
      [clusterId, stepKey, sha256(token)],
    );
    return token;
  }

  /**
   * Accepts a registration or heartbeat whose token is known and whose body passes
   * `validateNodeReport`; anything else changes nothing. A heartbeat with the same identity, facts and
   * GPU set as the stored one is a single UPDATE; otherwise the node's row is rewritten (and a change
   * after registration is recorded as an event).
   */
  async report(token: string, body: unknown): Promise<NodeReportOutcome> {
    const tokenHash = sha256(token);
    const v = validateNodeReport(body);
    const now = this.now();
    const key = v.ok ? nodeReportKey(v.report) : null;
    if (v.ok && key !== null) {
      const same = await this.db.one<{ cluster_id: string; step_key: string }>(
        `UPDATE nodes SET gpu_report = $1, last_seen_at = $2 WHERE token_sha256 = $3 AND report_key = $4
         RETURNING cluster_id, step_key`,
        [JSON.stringify(v.report.gpuReport), now, tokenHash, key],
      );
      if (same) return { clusterId: same.cluster_id, stepKey: same.step_key, first: false, changed: false };
    }
    const row = await this.db.one<{
      cluster_id: string;
      step_key: string;
      registered_at: number | null;
      report_key: string | null;
    }>('SELECT cluster_id, step_key, registered_at, report_key FROM nodes WHERE token_sha256 = $1', [
      tokenHash,
    ]);
    if (!row) return { error: 'unknown node token' };
    if (!v.ok) return { error: 'invalid report', problems: v.problems };
    const r = v.report;
    await this.db.run(
      `UPDATE nodes SET instance_id = $1, node_name = $2, private_ip = $3, gpu_report = $4, gpu_count = $5,
         node_info = $6, heartbeat_ms = $7, report_key = $8,
         registered_at = COALESCE(registered_at, $9), last_seen_at = $9 WHERE cluster_id = $10 AND step_key = $11`,
      [
        r.instanceId,
        r.nodeName,
        r.privateIp,
        JSON.stringify(r.gpuReport),
        r.gpuReport.gpus.length,
        r.node === undefined ? null : JSON.stringify(r.node),
        r.heartbeatSeconds * 1000,
        key,
        now,
        row.cluster_id,
        row.step_key,
      ],
    );
    const first = row.registered_at === null;
    if (!first && row.report_key !== key) await this.recordChange(row.cluster_id, row.step_key, r, now);
    return { clusterId: row.cluster_id, stepKey: row.step_key, first, changed: row.report_key !== key };
  }

  private async recordChange(
    clusterId: string,
    stepKey: string,
    r: DomainNodeReport,
    at: number,
  ): Promise<void> {
    await this.db.run(
      'INSERT INTO events (id, cluster_id, task_id, at, step_key, type, data) VALUES ($1, $2, NULL, $3, $4, $5, $6)',
      [
        `${String(at).padStart(15, '0')}-${randomBytes(4).toString('hex')}`,
        clusterId,
        at,
        stepKey,
        'node.report-changed',
        JSON.stringify({
          instanceId: r.instanceId,
          nodeName: r.nodeName,
          gpus: r.gpuReport.gpus.map((g) => ({ uuid: g.uuid, product: g.product, health: g.health })),
          error: r.gpuReport.error ?? null,
        }),
      ],
    );
  }

  /** Every node row of a cluster with its readiness at `now` (default: the registry's clock). */
  async list(clusterId: string, now = this.now()): Promise<NodeView[]> {
    const rows = await this.db.all<NodeRow>(
      `SELECT ${NODE_COLUMNS} FROM nodes WHERE cluster_id = $1 ORDER BY step_key`,
      [clusterId],
    );
    return rows.map((r) => toView(r, now));
  }

  /** One node of a cluster by instance id or node name, or null. */
  async get(clusterId: string, idOrName: string, now = this.now()): Promise<NodeView | null> {
    const row = await this.db.one<NodeRow>(
      `SELECT ${NODE_COLUMNS} FROM nodes WHERE cluster_id = $1 AND (instance_id = $2 OR node_name = $2) ORDER BY step_key LIMIT 1`,
      [clusterId, idOrName],
    );
    return row === undefined ? null : toView(row, now);
  }

  async find(clusterId: string, instanceId: string): Promise<RegisteredNode | null> {
    const r = await this.db.one<{
      instance_id: string;
      node_name: string;
      gpu_count: number;
      registered_at: number;
    }>(
      `SELECT instance_id, node_name, gpu_count, registered_at FROM nodes
       WHERE cluster_id = $1 AND instance_id = $2 AND registered_at IS NOT NULL`,
      [clusterId, instanceId],
    );
    return r
      ? {
          instanceId: r.instance_id,
          nodeName: r.node_name,
          gpuCount: Number(r.gpu_count),
          registeredAt: Number(r.registered_at),
        }
      : null;
  }

  async remove(clusterId: string, instanceId: string): Promise<void> {
    await this.db.run('DELETE FROM nodes WHERE cluster_id = $1 AND instance_id = $2', [
      clusterId,
      instanceId,
    ]);
  }
}

function oneOf<T extends string>(v: Json | undefined, allowed: readonly T[], fallback: T): T {
  return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}

/** The plan's `bootstrap` input (planCluster's worker fields) as the renderer's typed input. */
function workerFields(bootstrap: Json) {
  const b = bootstrap !== null && typeof bootstrap === 'object' && !Array.isArray(bootstrap) ? bootstrap : {};
  const n = b.nodeName;
  const nodeName =
    n !== null && typeof n === 'object' && !Array.isArray(n)
      ? { prefix: String(n.prefix ?? ''), ipDigits: Number(n.ipDigits ?? 5), suffix: String(n.suffix ?? '') }
      : null;
  const taints = (Array.isArray(b.taints) ? b.taints : []).flatMap((t) =>
    t !== null && typeof t === 'object' && !Array.isArray(t) && typeof t.key === 'string'
      ? [
          {
            key: t.key,
            value: typeof t.value === 'string' ? t.value : '',
            effect: oneOf(t.effect, TAINT_EFFECTS, 'NoSchedule'),
          },
        ]
      : [],
  );
  return {
    runtime: oneOf(b.runtime, RUNTIMES, 'containerd'),
    os: oneOf(b.os, OS_IMAGES, 'aliyun-linux-2'),
    hardening: oneOf(b.hardening, OS_HARDENINGS, 'none'),
    cpuPolicy: oneOf(b.cpuPolicy, CPU_POLICIES, 'none'),
    taints,
    nodeName,
    timeZone: typeof b.timeZone === 'string' ? b.timeZone : SPEC_DEFAULTS.timeZone,
    userData: typeof b.userData === 'string' ? b.userData : null,
  };
}

/**
 * The GPU worker's user data (M1, rendered by src/kube): container runtime, NVIDIA driver and toolkit,
 * kubelet with the CPU policy, taints and labels, `kubeadm join` pinned to the cluster CA, and the node
 * agent with its own registration token. The join data come from the cluster's sealed PKI bundle.
 */
export function workerBootstrap(o: {
  db: Db;
  secrets: SecretsFor;
  serverUrl: string;
  options?: WorkerBootstrapOptions;
}): BootstrapRenderer {
  const render = (
    a: {
      clusterId: string;
      bootstrap: Json;
      regionId: string;
      instanceType: string | null;
      nodeToken: string;
    },
    kubernetesVersion: unknown,
    join: { apiServerEndpoint: string; token: string; caCertHash: string },
  ): string => {
    const fields = workerFields(a.bootstrap);
    return renderWorkerUserData({
      ...fields,
      regionId: a.regionId,
      kubernetesVersion:
        typeof kubernetesVersion === 'string' ? kubernetesVersion : DEFAULT_KUBERNETES_VERSION,
      instanceType: a.instanceType,
      join,
      agent: {
        server: o.serverUrl,
        clusterId: a.clusterId,
        token: a.nodeToken,
        nodeName: null,
        nodeNamePattern: fields.nodeName,
      },
      ...(o.options ? { options: o.options } : {}),
    });
  };
  return {
    async render({ clusterId, nodeToken, bootstrap, regionId, instanceType }) {
      const row = await o.db.one<{ spec: string; region_id: string }>(
        'SELECT spec, region_id FROM clusters WHERE id = $1',
        [clusterId],
      );
      const text = await o.secrets(clusterId).get('pki/bundle');
      if (!row || !text)
        throw new Error(`cluster ${clusterId}: no cluster record or credentials to bootstrap a worker with`);
      const spec = JSON.parse(row.spec) as { kubernetesVersion?: unknown };
      const bundle = JSON.parse(text) as PkiBundle;
      return render(
        {
          clusterId,
          bootstrap,
          regionId: regionId ?? row.region_id,
          instanceType: instanceType ?? null,
          nodeToken,
        },
        spec.kubernetesVersion,
        {
          // Older bundles: the internal endpoint is the second IP SAN (after the first Service IP).
          apiServerEndpoint: bundle.apiServerEndpoint ?? `${bundle.apiServerIps[1] ?? ''}:6443`,
          token: bundle.bootstrapToken,
          caCertHash: bundle.caCertHash,
        },
      );
    },
    preview({ clusterId, bootstrap, regionId, instanceType, kubernetesVersion }) {
      // The longest values the real ones can take: same format, same length, nothing secret.
      render(
        { clusterId, bootstrap, regionId, instanceType, nodeToken: `krn_${'x'.repeat(32)}` },
        kubernetesVersion,
        {
          apiServerEndpoint: '255.255.255.255:6443',
          token: `${'a'.repeat(6)}.${'b'.repeat(16)}`,
          caCertHash: `sha256:${'0'.repeat(64)}`,
        },
      );
    },
  };
}
