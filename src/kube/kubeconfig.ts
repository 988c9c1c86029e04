// Kubeconfig rendering (M63): one cluster, one user (client certificate or token), one context,
// for the internal or the public API server endpoint; the credential's expiry is returned beside it.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { stringify } from 'yaml';
import { KuberackError } from '../domain/errors.js';

export type EndpointKind = 'internal' | 'public';

/** Host (IP or DNS name) of each API server endpoint; the public one exists only with an EIP. */
export interface ApiServerEndpoints {
  readonly internal: string;
  readonly public?: string;
}

export type KubeconfigCredential =
  | { readonly clientCertPem: string; readonly clientKeyPem: string }
  | { readonly token: string; readonly expiresAt?: Date };

export interface KubeconfigInput {
  readonly clusterName: string;
  readonly endpoints: ApiServerEndpoints;
  readonly endpoint: EndpointKind;
  /** API server port; 6443 by default. */
  readonly port?: number;
  readonly caCertPem: string;
  readonly userName: string;
  readonly credential: KubeconfigCredential;
  /** Defaults to `<userName>@<clusterName>`. */
  readonly contextName?: string;
  readonly namespace?: string;
}

export interface RenderedKubeconfig {
  readonly yaml: string;
  readonly server: string;
  readonly endpoint: EndpointKind;
  readonly clusterName: string;
  readonly userName: string;
  readonly contextName: string;
  /** When the credential stops working (client certificate notAfter, or the token's expiry); null if unknown. */
  readonly expiresAt: Date | null;
}

/** Renders a kubeconfig for one user against the chosen endpoint. */
export function renderKubeconfig(input: KubeconfigInput): RenderedKubeconfig {
  const host = input.endpoint === 'public' ? input.endpoints.public : input.endpoints.internal;
  if (host === undefined || host.trim() === '') {
    throw new KuberackError('KUBE_INVALID_INPUT', {
      field: 'endpoint',
      value: input.endpoint,
      reason: 'the cluster has no such endpoint',
    });
  }
  const server = apiServerUrl(host, input.port);
  const contextName = input.contextName ?? `${input.userName}@${input.clusterName}`;
  let user: Record<string, string>;
  let expiresAt: Date | null;
  if ('token' in input.credential) {
    user = { token: input.credential.token };
    expiresAt = input.credential.expiresAt ?? null;
  } else {
    const cert = new X509Certificate(input.credential.clientCertPem);
    user = {
      'client-certificate-data': base64(input.credential.clientCertPem),
      'client-key-data': base64(input.credential.clientKeyPem),
    };
    expiresAt = new Date(cert.validTo);
  }
  const context: Record<string, string> = { cluster: input.clusterName, user: input.userName };
  if (input.namespace !== undefined) context.namespace = input.namespace;
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: input.clusterName,
        cluster: { server, 'certificate-authority-data': base64(input.caCertPem) },
      },
    ],
    users: [{ name: input.userName, user }],
    contexts: [{ name: contextName, context }],
    'current-context': contextName,
    preferences: {},
  };
  return {
    yaml: stringify(doc, { lineWidth: 0 }),
    server,
    endpoint: input.endpoint,
    clusterName: input.clusterName,
    userName: input.userName,
    contextName,
    expiresAt,
  };
}

/**
 * The kubeconfig kept in `kube-public/cluster-info` for `kubeadm join` discovery: one unnamed
 * cluster with the server and the CA, no users, no contexts (the shape kubeadm writes).
 */
export function renderClusterInfoKubeconfig(input: { server: string; caCertPem: string }): string {
  return stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: '',
          cluster: { 'certificate-authority-data': base64(input.caCertPem), server: input.server },
        },
      ],
      contexts: null,
      'current-context': '',
      preferences: {},
      users: null,
    },
    { lineWidth: 0 },
  );
}

/** `https://<host>:<port>`, with brackets around an IPv6 address. */
export function apiServerUrl(host: string, port = 6443): string {
  const h = host.trim();
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new KuberackError('KUBE_INVALID_INPUT', {
      field: 'port',
      value: String(port),
      reason: 'not a TCP port',
    });
  }
  return `https://${isIP(h) === 6 ? `[${h}]` : h}:${port}`;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
