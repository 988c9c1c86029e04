// Kubeconfigs (M63): a fresh client certificate signed by the cluster CA for the calling user, with
// the expiry the caller asks for, for the internal or the public API server endpoint.
import { randomBytes } from 'node:crypto';
import { KuberackError } from '../domain/errors.js';
import {
  createClientCertificate,
  generateKeyPair,
  renderKubeconfig,
  type EndpointKind,
} from '../kube/index.js';
import { stepOutputs } from './clusters.js';
import type { Engine } from './engine.js';

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
  await engine.event(clusterId, 'kubeconfig.issued', {
    user: user.id,
    endpoint: options.endpoint,
    minutes: options.minutes,
  });
  return { kubeconfig: rendered.yaml, expiresAt: cert.notAfter.getTime(), endpoint: options.endpoint };
}
