// Refuses a wrong client certificate inside the TLS handshake, with the alert a TLS server sends.
// Node checks client certificates only after its handshake, so the tunnel reads the client's
// Certificate message (plaintext in TLS 1.2) and answers a bad one with a fatal alert instead.
import { X509Certificate } from 'node:crypto';

/** TLS alert descriptions (RFC 5246 §7.2). */
export const TLS_ALERTS = {
  badCertificate: 42,
  unsupportedCertificate: 43,
  certificateExpired: 45,
  unknownCa: 48,
} as const;

const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';

/** Why a client certificate is refused (the alert to send), or null when the CA's check passes. */
export function clientCertificateAlert(leafDer: Buffer, caPem: string, now: number): number | null {
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(leafDer);
  } catch {
    return TLS_ALERTS.badCertificate;
  }
  const ca = new X509Certificate(caPem);
  if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) return TLS_ALERTS.unknownCa;
  if (now < Date.parse(leaf.validFrom) || now > Date.parse(leaf.validTo))
    return TLS_ALERTS.certificateExpired;
  const usages = leaf.keyUsage as string[] | undefined;
  if (usages !== undefined && !usages.includes(CLIENT_AUTH_OID)) return TLS_ALERTS.unsupportedCertificate;
  return null;
}

/** A plaintext fatal alert record, TLS 1.2. */
export function alertRecord(description: number): Buffer {
  return Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, description]);
}

const RECORD_HANDSHAKE = 22;
const HANDSHAKE_CERTIFICATE = 11;
const RECORD_HEADER = 5;

/**
 * Follows the client's side of a TLS 1.2 handshake. Bytes pass through unchanged, except that
 * records carrying the client's Certificate message are held until it is whole and checked. Once
 * the client switches to encrypted records (ChangeCipherSpec or application data), it steps aside.
 */
export class ClientCertificateGate {
  private buffered = Buffer.alloc(0);
  /** Handshake bytes of the records held back, across record boundaries. */
  private handshake = Buffer.alloc(0);
  private held: Buffer[] = [];
  private open = false;

  constructor(private readonly check: (leafDer: Buffer) => number | null) {}

  /** Client bytes in; what may go on to the TLS server, or the alert that ends the connection. */
  push(chunk: Buffer): { forward: Buffer; alert: number | null } {
    if (this.open) return { forward: chunk, alert: null };
    this.buffered = Buffer.concat([this.buffered, chunk]);
    const forward: Buffer[] = [];
    while (!this.open && this.buffered.length >= RECORD_HEADER) {
      const length = this.buffered.readUInt16BE(3);
      if (this.buffered.length < RECORD_HEADER + length) break;
      const record = this.buffered.subarray(0, RECORD_HEADER + length);
      this.buffered = this.buffered.subarray(RECORD_HEADER + length);
      if (record[0] !== RECORD_HANDSHAKE) {
        // Encrypted from here on (or not TLS): nothing more to read in the clear.
        this.open = true;
        forward.push(...this.held.splice(0), record);
        break;
      }
      this.held.push(record);
      this.handshake = Buffer.concat([this.handshake, record.subarray(RECORD_HEADER)]);
      const verdict = this.readMessages();
      if (verdict !== null) return { forward: Buffer.concat(forward), alert: verdict };
      // Whole messages only: release the held records once no message is left half read.
      if (this.handshake.length === 0) forward.push(...this.held.splice(0));
    }
    if (this.open && this.buffered.length > 0) {
      forward.push(this.buffered);
      this.buffered = Buffer.alloc(0);
    }
    return { forward: Buffer.concat(forward), alert: null };
  }

  /** Consumes whole handshake messages; the alert for a refused Certificate, else null. */
  private readMessages(): number | null {
    while (this.handshake.length >= 4) {
      const type = this.handshake[0];
      const length = this.handshake.readUIntBE(1, 3);
      if (this.handshake.length < 4 + length) return null;
      const body = this.handshake.subarray(4, 4 + length);
      this.handshake = this.handshake.subarray(4 + length);
      if (type === HANDSHAKE_CERTIFICATE) {
        // certificate_list<0..2^24-1>, each ASN.1Cert<1..2^24-1>; empty: the server's own rule applies.
        if (body.length >= 6 && body.readUIntBE(0, 3) > 0) {
          const leafLength = body.readUIntBE(3, 3);
          const verdict = this.check(body.subarray(6, 6 + leafLength));
          if (verdict !== null) return verdict;
        }
      }
    }
    return null;
  }
}
