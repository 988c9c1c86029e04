// The emulated API servers on one loopback port: an HTTP CONNECT tunnel standing in for the network
// path to each cluster's SLB (6443) or EIP, and behind it a TLS server per cluster with its real PKI.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { isIP } from 'node:net';
import { Duplex } from 'node:stream';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { handleApiRequest, statusFailure, type ApiResponse, type ApiUser } from './api.js';
import { alertRecord, ClientCertificateGate, clientCertificateAlert } from './client-certificate-gate.js';
import type { ClusterDirectory, ServingMaterial } from './directory.js';
import type { NodeSource } from './objects.js';

export interface ControlPlaneEndpointOptions {
  readonly host: string;
  /** 0: an ephemeral port. */
  readonly port: number;
  readonly directory: ClusterDirectory;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

export interface ControlPlaneEndpoint {
  readonly host: string;
  readonly port: number;
  /** The kubeconfig `proxy-url` that reaches `clusterId`'s API server: the tunnel, naming the cluster. */
  proxyUrl(clusterId: string): string;
  close(): Promise<void>;
}

interface Target {
  readonly host: string;
  readonly port: number;
}

/** `host:port` or `[v6]:port` of a CONNECT request. */
export function parseConnectTarget(authority: string | undefined): Target | null {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(authority ?? '');
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  return host && port > 0 && port < 65536 ? { host, port } : null;
}

/** The cluster a client names as the proxy user (`http://<cluster id>@host:port`); null when none. */
export function proxyUser(header: string | undefined): string | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? '');
  if (!m?.[1]) return null;
  const user = Buffer.from(m[1], 'base64').toString('utf8').split(':')[0] ?? '';
  return /^[A-Za-z0-9-]{1,64}$/.test(user) ? user : null;
}

/** CN is the user name, each O a group, as the API server's x509 authenticator reads them. */
export function identityOf(cert: PeerCertificate | null | undefined): ApiUser | null {
  const subject = cert?.subject as Record<string, string | string[] | undefined> | undefined;
  const all = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  const name = all(subject?.CN)[0];
  return name ? { name, groups: all(subject?.O) } : null;
}

function refuse(socket: Socket, code: number, reason: string, message: string, extra = ''): void {
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${code} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`,
  );
}

/** Two connected in-memory streams: what one side writes, the other reads; closing one closes both. */
function duplexPair(): [Duplex, Duplex] {
  const sides: Duplex[] = [];
  const side = (i: number) =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, done) {
        sides[1 - i]?.push(chunk);
        done();
      },
      final(done) {
        sides[1 - i]?.push(null);
        done();
      },
      destroy(error, done) {
        const other = sides[1 - i];
        if (other && !other.destroyed) other.destroy();
        done(error);
      },
    });
  const [a, b] = [side(0), side(1)];
  sides.push(a, b);
  return [a, b];
}

function send(res: ServerResponse, r: ApiResponse): void {
  const body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  res.writeHead(r.status, {
    'content-type': r.contentType,
    'cache-control': 'no-cache, private',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export async function startControlPlaneEndpoint(
  o: ControlPlaneEndpointOptions,
): Promise<ControlPlaneEndpoint> {
  const log = o.log ?? (() => undefined);
  const now = o.now ?? (() => Date.now());
  const tunnels = new Set<Socket>();
  const servers = new Map<string, { material: ServingMaterial; server: HttpsServer }>();

  async function serve(clusterId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const user = identityOf((req.socket as TLSSocket).getPeerCertificate());
    if (!user) return send(res, statusFailure(401, 'Unauthorized', 'Unauthorized'));
    const [endpoints, version] = await Promise.all([
      o.directory.endpoints(clusterId),
      o.directory.kubernetesVersion(clusterId),
    ]);
    // The control plane was released since the connection opened: it is gone, as a real one would be.
    if (!endpoints || version === null) {
      req.socket.destroy();
      return;
    }
    let nodes: Promise<NodeSource[]> | undefined;
    const url = new URL(req.url ?? '/', 'https://api-server');
    const r = await handleApiRequest(
      {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        accept: req.headers.accept,
        user,
        serverAddress: req.headers.host ?? '',
      },
      { kubernetesVersion: version, now: now(), nodes: () => (nodes ??= o.directory.nodes(clusterId)) },
    );
    send(res, r);
  }

  function serverFor(clusterId: string, material: ServingMaterial): HttpsServer {
    const known = servers.get(clusterId);
    if (
      known &&
      known.material.certPem === material.certPem &&
      known.material.caPem === material.caPem &&
      known.material.keyPem === material.keyPem
    )
      return known.server;
    const server = createHttpsServer(
      {
        cert: material.certPem,
        key: material.keyPem,
        ca: material.caPem,
        // Only clients with a certificate from this cluster's CA get past the handshake. TLS 1.2, where
        // the client's certificate travels in the clear, lets the tunnel refuse a wrong one with an alert.
        requestCert: true,
        rejectUnauthorized: true,
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.2',
      },
      (req, res) => {
        serve(clusterId, req, res).catch((err: unknown) => {
          log(`control plane ${clusterId}: ${err instanceof Error ? err.message : String(err)}`);
          if (!res.headersSent) send(res, statusFailure(500, 'InternalError', 'an internal error occurred'));
          else res.destroy();
        });
      },
    );
    server.on('tlsClientError', (err: NodeJS.ErrnoException) =>
      log(`control plane ${clusterId}: refused a TLS client (${err.code ?? err.message})`),
    );
    servers.set(clusterId, { material, server });
    return server;
  }

  async function connect(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    const target = parseConnectTarget(req.url);
    if (!target) return refuse(socket, 400, 'Bad Request', 'CONNECT needs host:port');
    const where = `${target.host}:${target.port}`;
    const named = proxyUser(req.headers['proxy-authorization']);
    const reaches = async (id: string) => {
      const e = await o.directory.endpoints(id);
      return e !== null && e.addresses.includes(target.host) && e.ports.includes(target.port);
    };
    let clusterId: string;
    if (named !== null) {
      if (!(await reaches(named)))
        return refuse(socket, 502, 'Bad Gateway', `cluster ${named} has no API server at ${where}`);
      clusterId = named;
    } else {
      const candidates: string[] = [];
      for (const id of await o.directory.clustersAt(target.host)) if (await reaches(id)) candidates.push(id);
      if (candidates.length === 0) return refuse(socket, 502, 'Bad Gateway', `no API server at ${where}`);
      if (candidates.length > 1)
        return refuse(
          socket,
          407,
          'Proxy Authentication Required',
          `several clusters are reached at ${where}: name one as the proxy user (http://<cluster id>@…)`,
          'Proxy-Authenticate: Basic realm="kuberack clusters"\r\n',
        );
      clusterId = candidates[0] ?? '';
    }
    const material = await o.directory.material(clusterId);
    if (!material) return refuse(socket, 502, 'Bad Gateway', `cluster ${clusterId} has no certificates yet`);
    const server = serverFor(clusterId, material);
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    splice(socket, head, material, (tls) => server.emit('connection', tls), clusterId);
  }

  /** Client bytes go through the certificate gate to the cluster's TLS server; its bytes go back. */
  function splice(
    socket: Socket,
    head: Buffer,
    material: ServingMaterial,
    serveTls: (stream: Duplex) => void,
    clusterId: string,
  ): void {
    const [tls, tunnel] = duplexPair();
    const gate = new ClientCertificateGate((der) => clientCertificateAlert(der, material.caPem, now()));
    let refused = false;
    const feed = (chunk: Buffer) => {
      if (refused) return;
      const { forward, alert } = gate.push(chunk);
      if (forward.length > 0) tunnel.write(forward);
      if (alert === null) return;
      refused = true;
      log(`control plane ${clusterId}: refused a client certificate (TLS alert ${alert})`);
      socket.end(alertRecord(alert));
      tunnel.destroy();
    };
    socket.on('data', feed);
    socket.once('end', () => tunnel.end());
    socket.once('close', () => tunnel.destroy());
    tunnel.on('data', (chunk: Buffer) => {
      if (!socket.destroyed) socket.write(chunk);
    });
    tunnel.once('end', () => socket.end());
    tunnel.once('close', () => {
      if (!refused) socket.destroy();
    });
    tunnel.on('error', () => undefined);
    tls.on('error', () => undefined);
    serveTls(tls);
    if (head.length > 0) feed(head);
  }

  const proxy = createHttpServer((req, res) => {
    res.writeHead(405, { allow: 'CONNECT', 'content-type': 'text/plain; charset=utf-8' });
    res.end('This port tunnels to the emulated API servers; use it as a kubeconfig proxy-url.\n');
  });
  proxy.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    tunnels.add(socket);
    socket.once('close', () => tunnels.delete(socket));
    socket.on('error', () => undefined);
    connect(req, socket, head).catch((err: unknown) => {
      log(`control plane tunnel: ${err instanceof Error ? err.message : String(err)}`);
      if (!socket.destroyed) refuse(socket, 500, 'Internal Server Error', 'internal error');
    });
  });
  await new Promise<void>((ok, fail) => {
    proxy.once('error', fail);
    proxy.listen(o.port, o.host, () => ok());
  });
  const port = (proxy.address() as AddressInfo).port;
  // A wildcard listener is still reached on loopback.
  const dial = o.host === '0.0.0.0' ? '127.0.0.1' : o.host === '::' ? '::1' : o.host;
  const hostInUrl = isIP(dial) === 6 ? `[${dial}]` : dial;
  return {
    host: o.host,
    port,
    proxyUrl: (clusterId) => `http://${encodeURIComponent(clusterId)}@${hostInUrl}:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        proxy.close(() => ok());
        for (const s of tunnels) s.destroy();
        proxy.closeAllConnections();
      }),
  };
}
