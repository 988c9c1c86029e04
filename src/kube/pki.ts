// The cluster PKI: CAs, the API server serving certificate with its SANs (M36, M37), per-user
// client certificates and the kubeadm discovery pin. Keys, clock and serial randomness come in.
import { createHash, webcrypto, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { isIP, SocketAddress } from 'node:net';
// The shim must be evaluated before @peculiar/x509 loads tsyringe.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { KuberackError } from '../domain/errors.js';
import { generateKeyPair, keyPairFromPrivateKeyPem, toCryptoKeyPair } from './keys.js';
import type { KeyPair } from './keys.js';

x509.cryptoProvider.set(webcrypto as Crypto);

/** Source of random bytes (serial numbers, tokens). Pass a seeded one in tests for stable output. */
export type RandomBytes = (size: number) => Uint8Array;

/** A CA that can sign: its certificate and its private key, both PEM. */
export interface CertificateAuthority {
  readonly certPem: string;
  readonly keyPem: string;
}

/** A certificate as issued, with the metadata callers store and show (expiry for kubeconfigs). */
export interface IssuedCertificate {
  readonly certPem: string;
  /** PKCS#8 private key of the certificate's subject. */
  readonly keyPem: string;
  /** Lower-case hex, as openssl prints it without colons. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** Time and randomness every issuing function takes, so output is a function of its inputs. */
export interface IssueContext {
  readonly now: Date;
  readonly randomBytes: RandomBytes;
}

export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';
export const CA_VALIDITY_DAYS = 3650;
export const SERVING_VALIDITY_DAYS = 365;
export const CLIENT_VALIDITY_DAYS = 365;
/** notBefore is set this far before `now`, as kubeadm does, to tolerate clock skew between hosts. */
export const BACKDATE_MS = 5 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CreateCaInput extends IssueContext {
  readonly commonName: string;
  readonly key: KeyPair;
  readonly validityDays?: number;
}

/** A self-signed CA: CA:true (critical), keyCertSign + cRLSign + digitalSignature, 10 years by default. */
export async function createCertificateAuthority(input: CreateCaInput): Promise<IssuedCertificate> {
  const keys = await toCryptoKeyPair(input.key);
  const { notBefore, notAfter } = validity(input.now, input.validityDays ?? CA_VALIDITY_DAYS);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialHex(input.randomBytes),
    name: [{ CN: [input.commonName] }],
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: signingAlgorithm(input.key),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return issued(cert, input.key);
}

export interface CreateLeafInput extends IssueContext {
  readonly ca: CertificateAuthority;
  readonly commonName: string;
  /** Subject O values (Kubernetes groups for client certificates). */
  readonly organizations?: readonly string[];
  readonly key: KeyPair;
  readonly validityDays?: number;
  /** Short-lived credentials (kubeconfigs of 15 minutes to 3 days, M63); wins over validityDays. */
  readonly validityMinutes?: number;
}

export interface CreateServingInput extends CreateLeafInput {
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
}

/** A TLS server certificate (serverAuth) with the given SANs, signed by `ca`. */
export async function createServingCertificate(input: CreateServingInput): Promise<IssuedCertificate> {
  const names: x509.JsonGeneralName[] = [
    ...input.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...input.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
  ];
  return createLeaf(input, [x509.ExtendedKeyUsage.serverAuth], names);
}

/** A client certificate (clientAuth): CN is the Kubernetes user name, each O one of its groups. */
export async function createClientCertificate(input: CreateLeafInput): Promise<IssuedCertificate> {
  return createLeaf(input, [x509.ExtendedKeyUsage.clientAuth], []);
}

async function createLeaf(
  input: CreateLeafInput,
  usages: readonly string[],
  sans: readonly x509.JsonGeneralName[],
): Promise<IssuedCertificate> {
  const caCert = new x509.X509Certificate(input.ca.certPem);
  const caKey = keyPairFromPrivateKeyPem(input.ca.keyPem);
  const [caKeys, subjectKeys] = await Promise.all([toCryptoKeyPair(caKey), toCryptoKeyPair(input.key)]);
  const { notBefore, notAfter } =
    input.validityMinutes !== undefined
      ? validityMinutes(input.now, input.validityMinutes)
      : validity(input.now, input.validityDays ?? CLIENT_VALIDITY_DAYS);
  let keyUsage = x509.KeyUsageFlags.digitalSignature;
  // keyEncipherment only means something for RSA key transport; Go's crypto/x509 sets it the same way.
  if (input.key.algorithm === 'rsa-2048') keyUsage |= x509.KeyUsageFlags.keyEncipherment;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(keyUsage, true),
    new x509.ExtendedKeyUsageExtension([...usages], false),
    await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey, false),
  ];
  if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension([...sans], false));
  const subject: x509.JsonName = [
    ...(input.organizations ?? []).map((o) => ({ O: [o] })),
    { CN: [input.commonName] },
  ];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex(input.randomBytes),
    subject,
    issuer: caCert.subjectName,
    notBefore,
    notAfter,
    publicKey: subjectKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: signingAlgorithm(caKey),
    extensions,
  });
  return issued(cert, input.key);
}

/** Where the API server is reached, and what else must be in its certificate. */
export interface ApiServerSanInput {
  /** Service CIDR, e.g. `172.21.0.0/20`; its first address is the `kubernetes` Service IP. */
  readonly serviceCidr: string;
  /** M36: default `cluster.local`. */
  readonly clusterDomain?: string;
  /** Internal endpoint: the intranet SLB IP (or a DNS name). */
  readonly internalEndpoint: string;
  /** Public endpoint (EIP, or a DNS name), when the API server is exposed. */
  readonly publicEndpoint?: string;
  /** M37: extra IPs (become IP SANs) or domain names (become DNS SANs). */
  readonly customSans?: readonly string[];
}

/**
 * The API server SANs, de-duplicated, in a fixed order: the four `kubernetes…` names, then custom
 * names; the first Service IP, the internal endpoint, the public endpoint, 127.0.0.1, then custom IPs.
 */
export function apiServerSans(input: ApiServerSanInput): { dnsNames: string[]; ipAddresses: string[] } {
  const domain = (input.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN).toLowerCase();
  if (!isDnsName(domain)) throw invalid('clusterDomain', domain, 'not a domain name');
  const dns = new Set<string>([
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    `kubernetes.default.svc.${domain}`,
  ]);
  const ips = new Set<string>([firstServiceIp(input.serviceCidr)]);
  const endpoints: [string, string | undefined][] = [
    ['internalEndpoint', input.internalEndpoint],
    ['publicEndpoint', input.publicEndpoint],
    ['loopback', '127.0.0.1'],
    ...(input.customSans ?? []).map((s, i): [string, string] => [`customSans[${i}]`, s]),
  ];
  for (const [field, value] of endpoints) {
    if (value === undefined) continue;
    const san = classifySan(field, value);
    (san.type === 'ip' ? ips : dns).add(san.value);
  }
  return { dnsNames: [...dns], ipAddresses: [...ips] };
}

/** First usable address of a CIDR (network address + 1): `172.21.0.0/20` → `172.21.0.1`. */
export function firstServiceIp(cidr: string): string {
  const [address, prefixText, ...rest] = cidr.trim().split('/');
  const prefix = Number(prefixText);
  const family = address === undefined ? 0 : isIP(address);
  const bits = family === 6 ? 128 : 32;
  if (
    address === undefined ||
    family === 0 ||
    rest.length > 0 ||
    !/^\d+$/.test(prefixText ?? '') ||
    prefix > bits - 1
  ) {
    throw invalid('serviceCidr', cidr, 'not a CIDR with room for a Service IP');
  }
  const value = family === 6 ? ipv6ToBigInt(address) : ipv4ToBigInt(address);
  const mask = ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  const first = (value & mask) + 1n;
  return family === 6 ? bigIntToIpv6(first) : bigIntToIpv4(first);
}

/**
 * kubeadm's discovery pin (`--discovery-token-ca-cert-hash`): `sha256:` + hex SHA-256 of the CA
 * certificate's DER SubjectPublicKeyInfo.
 */
export function caCertHash(caPem: string): string {
  const spki = new NodeX509Certificate(caPem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}

/** A user who gets a client certificate from the cluster CA, e.g. kubernetes-admin / kubeadm:cluster-admins. */
export interface PkiUser {
  readonly name: string;
  readonly groups?: readonly string[];
  readonly key: KeyPair;
  readonly validityDays?: number;
}

export interface ClusterPkiKeys {
  readonly clusterCa: KeyPair;
  readonly frontProxyCa: KeyPair;
  readonly etcdCa: KeyPair;
  readonly serviceAccount: KeyPair;
  readonly apiServer: KeyPair;
}

export interface ClusterPkiInput extends ApiServerSanInput, IssueContext {
  readonly keys: ClusterPkiKeys;
  readonly users?: readonly PkiUser[];
  readonly caValidityDays?: number;
  readonly apiServerValidityDays?: number;
}

export interface ClusterPki {
  /** CN `kubernetes` (kubeadm's `ca`): signs the API server, clients and kubelet CSRs. */
  readonly clusterCa: IssuedCertificate;
  /** CN `front-proxy-ca`: `--requestheader-client-ca-file`. */
  readonly frontProxyCa: IssuedCertificate;
  /** CN `etcd-ca`. */
  readonly etcdCa: IssuedCertificate;
  /** `sa.key` / `sa.pub` (normalised PEM). */
  readonly serviceAccount: KeyPair;
  /** CN `kube-apiserver`, serverAuth. */
  readonly apiServer: IssuedCertificate & { readonly dnsNames: string[]; readonly ipAddresses: string[] };
  /** One client certificate per user, in input order. */
  readonly users: readonly (IssuedCertificate & {
    readonly name: string;
    readonly groups: readonly string[];
  })[];
  /** caCertHash(clusterCa.certPem). */
  readonly caCertHash: string;
}

/**
 * Everything a hosted control plane needs, as PEM. For fixed keys and inputs every field is fixed
 * except ECDSA signature bytes (WebCrypto ECDSA uses a random nonce); with RSA CA keys output is byte-identical.
 */
export async function createClusterPki(input: ClusterPkiInput): Promise<ClusterPki> {
  const ctx: IssueContext = { now: input.now, randomBytes: input.randomBytes };
  const sans = apiServerSans(input);
  const users = input.users ?? [];
  const seen = new Set<string>();
  users.forEach((u, i) => {
    if (u.name.trim() === '' || seen.has(u.name))
      throw invalid(`users[${i}].name`, u.name, 'empty or repeated');
    seen.add(u.name);
  });
  // Serials are drawn in a fixed order (sequentially) so that a seeded source gives stable output.
  const caDays = input.caValidityDays ?? CA_VALIDITY_DAYS;
  const clusterCa = await createCertificateAuthority({
    ...ctx,
    commonName: 'kubernetes',
    key: input.keys.clusterCa,
    validityDays: caDays,
  });
  const frontProxyCa = await createCertificateAuthority({
    ...ctx,
    commonName: 'front-proxy-ca',
    key: input.keys.frontProxyCa,
    validityDays: caDays,
  });
  const etcdCa = await createCertificateAuthority({
    ...ctx,
    commonName: 'etcd-ca',
    key: input.keys.etcdCa,
    validityDays: caDays,
  });
  const apiServer = await createServingCertificate({
    ...ctx,
    ca: clusterCa,
    commonName: 'kube-apiserver',
    key: input.keys.apiServer,
    validityDays: input.apiServerValidityDays ?? SERVING_VALIDITY_DAYS,
    ...sans,
  });
  const issuedUsers: ClusterPki['users'][number][] = [];
  for (const user of users) {
    const groups = [...(user.groups ?? [])];
    const cert = await createClientCertificate({
      ...ctx,
      ca: clusterCa,
      commonName: user.name,
      organizations: groups,
      key: user.key,
      validityDays: user.validityDays ?? CLIENT_VALIDITY_DAYS,
    });
    issuedUsers.push({ ...cert, name: user.name, groups });
  }
  return {
    clusterCa,
    frontProxyCa,
    etcdCa,
    serviceAccount: keyPairFromPrivateKeyPem(input.keys.serviceAccount.privateKeyPem),
    apiServer: { ...apiServer, ...sans },
    users: issuedUsers,
    caCertHash: caCertHash(clusterCa.certPem),
  };
}

/** Fresh keys for createClusterPki: ECDSA P-256 everywhere, RSA 2048 for the service-account key by default. */
export async function generateClusterPkiKeys(
  options: { serviceAccountAlgorithm?: KeyPair['algorithm'] } = {},
): Promise<ClusterPkiKeys> {
  const [clusterCa, frontProxyCa, etcdCa, serviceAccount, apiServer] = await Promise.all([
    generateKeyPair(),
    generateKeyPair(),
    generateKeyPair(),
    generateKeyPair(options.serviceAccountAlgorithm ?? 'rsa-2048'),
    generateKeyPair(),
  ]);
  return { clusterCa, frontProxyCa, etcdCa, serviceAccount, apiServer };
}

// ---------------------------------------------------------------------------------------------

function validity(now: Date, days: number): { notBefore: Date; notAfter: Date } {
  if (!Number.isFinite(now.getTime())) throw invalid('now', String(now), 'not a date');
  if (!Number.isInteger(days) || days < 1)
    throw invalid('validityDays', String(days), 'not a positive integer');
  return {
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + days * DAY_MS),
  };
}

function validityMinutes(now: Date, minutes: number): { notBefore: Date; notAfter: Date } {
  if (!Number.isFinite(now.getTime())) throw invalid('now', String(now), 'not a date');
  if (!Number.isInteger(minutes) || minutes < 1)
    throw invalid('validityMinutes', String(minutes), 'not a positive integer');
  return {
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + minutes * 60_000),
  };
}

/** 16 random bytes as a positive, minimally encoded serial (first byte 0x01–0x7f). */
function serialHex(randomBytes: RandomBytes): string {
  const bytes = Uint8Array.from(randomBytes(16));
  if (bytes.length !== 16)
    throw invalid('randomBytes', String(bytes.length), 'returned the wrong number of bytes');
  bytes[0] = (bytes[0] ?? 0) & 0x7f || 0x01;
  return Buffer.from(bytes).toString('hex');
}

function signingAlgorithm(key: KeyPair): Algorithm | EcdsaParams {
  return key.algorithm === 'rsa-2048'
    ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
    : { name: 'ECDSA', hash: 'SHA-256' };
}

function issued(cert: x509.X509Certificate, key: KeyPair): IssuedCertificate {
  return {
    certPem: cert.toString('pem') + '\n',
    keyPem: keyPairFromPrivateKeyPem(key.privateKeyPem).privateKeyPem,
    serialNumber: cert.serialNumber.toLowerCase(),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
  };
}

function classifySan(field: string, raw: string): { type: 'dns' | 'ip'; value: string } {
  const value = raw.trim();
  const family = isIP(value);
  if (family === 4) return { type: 'ip', value };
  if (family === 6)
    return { type: 'ip', value: new SocketAddress({ address: value, family: 'ipv6' }).address };
  const name = value.toLowerCase().replace(/\.$/, '');
  if (isDnsName(name)) return { type: 'dns', value: name };
  throw invalid(field, raw, 'neither an IP address nor a domain name');
}

/** RFC 1123 host name with a non-numeric last label, optionally with a leading `*.` wildcard label. */
function isDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  // A numeric last label (`300.1.1.1`) is a mistyped IP, not a host name.
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return false;
  return labels.every(
    (label, i) =>
      (i === 0 && label === '*' && labels.length > 1) || /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label),
  );
}

function ipv4ToBigInt(address: string): bigint {
  return address.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function bigIntToIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

function ipv6ToBigInt(address: string): bigint {
  let text = address;
  // An embedded dotted quad (::ffff:1.2.3.4) becomes two hex groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = ipv4ToBigInt(dotted[1]);
    text = text.slice(0, -dotted[1].length) + `${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros =
    tail === undefined ? [] : new Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n);
}

function bigIntToIpv6(value: bigint): string {
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  return new SocketAddress({ address: groups.join(':'), family: 'ipv6' }).address;
}

function invalid(field: string, value: string, reason: string): KuberackError {
  return new KuberackError('KUBE_INVALID_INPUT', { field, value, reason });
}
