// The client-certificate gate of the emulated API servers' tunnel: TLS 1.2 handshake records pass
// through untouched, a Certificate message with a wrong certificate ends in the matching TLS alert.
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  alertRecord,
  ClientCertificateGate,
  clientCertificateAlert,
  TLS_ALERTS,
} from '../src/control-plane/client-certificate-gate.js';
import {
  createCertificateAuthority,
  createClientCertificate,
  createServingCertificate,
  generateKeyPair,
  type CertificateAuthority,
} from '../src/kube/index.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const random = (n: number) => new Uint8Array(n).map((_, i) => (i * 37 + n) & 0xff);
let ca: CertificateAuthority;
let otherCa: CertificateAuthority;
let good: Buffer;
let foreign: Buffer;
let expired: Buffer;
let server: Buffer;

const der = (pem: string) => Buffer.from(new X509Certificate(pem).raw);

async function authority(name: string): Promise<CertificateAuthority> {
  const key = await generateKeyPair();
  const cert = await createCertificateAuthority({ now: NOW, randomBytes: random, commonName: name, key });
  return { certPem: cert.certPem, keyPem: key.privateKeyPem };
}

beforeAll(async () => {
  [ca, otherCa] = await Promise.all([authority('kubernetes'), authority('kubernetes')]);
  const key = await generateKeyPair();
  const client = (issuer: CertificateAuthority, now: Date) =>
    createClientCertificate({
      now,
      randomBytes: random,
      ca: issuer,
      commonName: 'kuberack:u1',
      key,
      validityMinutes: 60,
    });
  good = der((await client(ca, NOW)).certPem);
  foreign = der((await client(otherCa, NOW)).certPem);
  expired = der((await client(ca, new Date(NOW.getTime() - 3 * 3_600_000))).certPem);
  server = der(
    (
      await createServingCertificate({
        now: NOW,
        randomBytes: random,
        ca,
        commonName: 'kube-apiserver',
        key,
        dnsNames: ['kubernetes'],
        ipAddresses: ['10.0.0.1'],
      })
    ).certPem,
  );
});

function u24(n: number): Buffer {
  return Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
}

function handshake(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type]), u24(body.length), body]);
}

function certificateMessage(...certs: Buffer[]): Buffer {
  const list = Buffer.concat(certs.map((c) => Buffer.concat([u24(c.length), c])));
  return handshake(11, Buffer.concat([u24(list.length), list]));
}

function record(type: number, payload: Buffer): Buffer {
  const header = Buffer.from([type, 0x03, 0x03, 0, 0]);
  header.writeUInt16BE(payload.length, 3);
  return Buffer.concat([header, payload]);
}

const gate = () => new ClientCertificateGate((d) => clientCertificateAlert(d, ca.certPem, NOW.getTime()));
const hello = record(22, handshake(1, Buffer.alloc(40, 7)));
const keyExchange = handshake(16, Buffer.alloc(66, 3));

describe('client certificate gate', () => {
  it('M63 the cluster CA’s own client certificate passes, with every byte forwarded in order', () => {
    const g = gate();
    expect(g.push(hello)).toEqual({ forward: hello, alert: null });
    const flight = Buffer.concat([
      record(22, Buffer.concat([certificateMessage(good), keyExchange])),
      record(20, Buffer.from([1])),
      record(22, Buffer.alloc(40, 9)), // encrypted Finished: no longer read
    ]);
    // Byte by byte: records are held until whole, then released unchanged.
    const out: Buffer[] = [];
    for (const byte of flight) {
      const r = g.push(Buffer.from([byte]));
      expect(r.alert).toBeNull();
      out.push(r.forward);
    }
    expect(Buffer.concat(out)).toEqual(flight);
    expect(g.push(Buffer.from('application data')).forward.toString()).toBe('application data');
  });

  it('M37 M63 another cluster’s client certificate is answered with unknown_ca, before the TLS server sees it', () => {
    const g = gate();
    g.push(hello);
    const r = g.push(record(22, Buffer.concat([certificateMessage(foreign, good), keyExchange])));
    expect(r).toEqual({ forward: Buffer.alloc(0), alert: TLS_ALERTS.unknownCa });
    expect(alertRecord(r.alert ?? 0)).toEqual(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 48]));
  });

  it('a Certificate message split over two records is judged whole: expired is certificate_expired', () => {
    const g = gate();
    const message = certificateMessage(expired);
    const half = Math.floor(message.length / 2);
    expect(g.push(record(22, message.subarray(0, half)))).toEqual({ forward: Buffer.alloc(0), alert: null });
    expect(g.push(record(22, message.subarray(half))).alert).toBe(TLS_ALERTS.certificateExpired);
  });

  it('a certificate without clientAuth is unsupported_certificate; garbage is bad_certificate; none is left to the server', () => {
    expect(clientCertificateAlert(server, ca.certPem, NOW.getTime())).toBe(TLS_ALERTS.unsupportedCertificate);
    expect(clientCertificateAlert(Buffer.from('not a certificate'), ca.certPem, NOW.getTime())).toBe(
      TLS_ALERTS.badCertificate,
    );
    const empty = record(22, handshake(11, u24(0)));
    expect(gate().push(empty)).toEqual({ forward: empty, alert: null });
  });
});
