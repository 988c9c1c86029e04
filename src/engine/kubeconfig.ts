// Kubeconfigs (M63): a fresh client certificate signed by the cluster CA for the calling user, with
// the expiry the caller asks for, for the internal or the public API server endpoint (emulated: tunnelled).
import { randomBytes } from 'node:crypto';
import { parse, stringify } from 'yaml';
import { KuberackError } from '../domain/errors.js';
import {
  createClientCertificate,
  generateKeyPair,
  renderKubeconfig,
  type EndpointKind,
} from '../kube/index.js';
import { stepOutputs } from './clusters.js';
import type { Engine } from './engine.js';

/** A control-plane host whose API servers clients reach through a tunnel (the emulated ones). */
export interface TunnelledControlPlanes {
  /** The kubeconfig `proxy-url` that reaches the cluster's API server; null when none is served here. */
  proxyUrl(clusterId: string): string | null;
}

function tunnelTo(host: object, clusterId: string): string | null {
  const proxyUrl = (host as Partial<TunnelledControlPlanes>).proxyUrl;
  return typeof proxyUrl === 'function' ? proxyUrl.call(host, clusterId) : null;
}

/** The kubeconfig with its cluster reached through `proxyUrl` (kubectl and client-go honour `proxy-url`). */
function throughProxy(kubeconfig: string, proxyUrl: string): string {
  const doc = parse(kubeconfig) as { clusters: { cluster: Record<string, string> }[] };
  for (const c of doc.clusters) c.cluster['proxy-url'] = proxyUrl;
  return stringify(doc, { lineWidth: 0 });
}

/** ACK's DescribeClusterUserKubeconfig allows 15 minutes to 3 days. */
export const KUBECONFIG_MINUTES = { min: 15, max: 4320, default: 4320 } as const;

export interface IssuedKubeconfig {
  readonly kubeconfig: string;
  readonly expiresAt: number;
  readonly endpoint: EndpointKind;
}

export async function issueKubeconfig(
  engine: Engine,
  clusterId: string,
  user: { id: string; name: string },
  options: { endpoint: EndpointKind; minutes: number },
): Promise<IssuedKubeconfig> {
  const db = engine.options.db;
  const c = await db.one<{ name: string; state: string }>('SELECT name, state FROM clusters WHERE id = $1', [
    clusterId,
  ]);
  if (!c || c.state === 'deleted') throw new KuberackError('ENGINE_CLUSTER_NOT_FOUND', { clusterId });
  const bundle = await engine.secrets(clusterId).get('pki/bundle');
  if (!bundle || !['running', 'scaling', 'scale_rollback'].includes(c.state))
    throw new KuberackError('ENGINE_CLUSTER_BUSY', { clusterId, state: c.state });
  const pki = JSON.parse(bundle) as { caCertPem: string; caKeyPem: string };
  const internal = String((await stepOutputs(db, clusterId, 'slb/api-server')).address ?? '');
  const ip = (await stepOutputs(db, clusterId, 'eip/api-server')).ip;
  const publicIp = typeof ip === 'string' ? ip : undefined;
  const key = await generateKeyPair();
  const cert = await createClientCertificate({
    now: new Date(engine.clock()),
    randomBytes: (n) => randomBytes(n),
    ca: { certPem: pki.caCertPem, keyPem: pki.caKeyPem },
    commonName: `kuberack:${user.id}`,
    organizations: ['kubeadm:cluster-admins'],
    key,
    validityMinutes: options.minutes,
  });
  const rendered = renderKubeconfig({
    clusterName: c.name,
    endpoints: { internal, ...(publicIp ? { public: publicIp } : {}) },
    endpoint: options.endpoint,
    caCertPem: pki.caCertPem,
    userName: `${user.name}-${clusterId}`,
    credential: { clientCertPem: cert.certPem, clientKeyPem: key.privateKeyPem },
  });
  // The emulated API server is reached at the SLB or EIP address it certifies, through the tunnel.
  const proxyUrl = tunnelTo(engine.options.services.controlPlanes, clusterId);
  await engine.event(clusterId, 'kubeconfig.issued', {
    user: user.id,
    endpoint: options.endpoint,
    minutes: options.minutes,
  });
  return {
    kubeconfig: proxyUrl ? throughProxy(rendered.yaml, proxyUrl) : rendered.yaml,
    expiresAt: cert.notAfter.getTime(),
    endpoint: options.endpoint,
  };
}
