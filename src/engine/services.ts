// The engine's non-cloud ports as Kuberack runs them today: cluster PKI and join token from src/kube,
// the node registry (the node-report path agents and emulated workers use), an emulated hosted control
// plane, and the worker user data that starts the agent.
import { createHash, randomBytes } from 'node:crypto';
import { validateGpuReport } from '../domain/gpu/report.js';
import { AGENT_CONFIG_PATH } from '../domain/node/index.js';
import type { Db } from '../store/db.js';
import { createClusterPki, generateBootstrapToken, generateClusterPkiKeys } from '../kube/index.js';
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
 * Stand-in for the hosted control plane (architecture decision 7) until the emulated API server of
 * issue #5 exists: it records the endpoint and is ready at once. It serves nothing.
 */
export function recordOnlyControlPlanes(): ControlPlaneHost {
  return {
    ensure: (_clusterId, input) =>
      Promise.resolve({
        ready: true,
        outputs: {
          endpoint: input.endpoint ?? null,
          kubernetesVersion: input.kubernetesVersion ?? null,
          serving: false,
        },
      }),
    remove: () => Promise.resolve(true),
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface NodeReport {
  readonly token: string;
  readonly instanceId: string;
  readonly nodeName: string;
  readonly privateIp: string;
  readonly gpuReport: unknown;
}

/** Registered nodes in the database; `register` is the node-report path of agents and emulated workers. */
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

  /** Accepts a report whose token is known and whose GPU report passes the server's checker. */
  async register(report: NodeReport): Promise<{ clusterId: string; stepKey: string } | { error: string }> {
    const row = await this.db.one<{ cluster_id: string; step_key: string }>(
      'SELECT cluster_id, step_key FROM nodes WHERE token_sha256 = $1',
      [sha256(report.token)],
    );
    if (!row) return { error: 'unknown node token' };
    const v = validateGpuReport(report.gpuReport);
    if (!v.ok)
      return { error: `invalid GPU report: ${v.problems.map((p) => `${p.path} ${p.code}`).join(', ')}` };
    const now = this.now();
    await this.db.run(
      `UPDATE nodes SET instance_id = $1, node_name = $2, private_ip = $3, gpu_report = $4, gpu_count = $5,
         registered_at = COALESCE(registered_at, $6), last_seen_at = $6 WHERE cluster_id = $7 AND step_key = $8`,
      [
        report.instanceId,
        report.nodeName,
        report.privateIp,
        JSON.stringify(v.report),
        v.report.gpus.length,
        now,
        row.cluster_id,
        row.step_key,
      ],
    );
    return { clusterId: row.cluster_id, stepKey: row.step_key };
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

/**
 * The part of a worker's user data that starts the agent: its configuration file. The GPU bootstrap
 * itself (driver, container toolkit, kubelet join) is rendered by src/kube when issue #5 lands.
 */
export function agentOnlyBootstrap(serverUrl: string): BootstrapRenderer {
  return {
    render: ({ clusterId, nodeToken, bootstrap }) => {
      const b =
        bootstrap !== null && typeof bootstrap === 'object' && !Array.isArray(bootstrap) ? bootstrap : {};
      const nodeName = b.nodeName && typeof b.nodeName === 'object' ? null : null;
      const config = JSON.stringify({ server: serverUrl, clusterId, token: nodeToken, nodeName });
      return Promise.resolve(
        [
          '#cloud-config',
          'write_files:',
          `  - path: ${AGENT_CONFIG_PATH}`,
          "    permissions: '0600'",
          `    content: '${config}'`,
          '',
        ].join('\n'),
      );
    },
  };
}
