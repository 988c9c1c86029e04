// Secrets at rest: AES-256-GCM with a 32-byte master key, a fresh nonce per value, and the owner and
// name bound in as associated data, so a ciphertext moved to another row does not decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new RangeError('the master key must be 32 bytes');
    this.key = Buffer.from(key);
  }

  /** `v1.<nonce>.<ciphertext+tag>`, base64url. */
  seal(plaintext: string, context: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `v1.${nonce.toString('base64url')}.${body.toString('base64url')}`;
  }

  /** Throws when the value was tampered with, sealed for another context, or under another key. */
  open(sealed: string, context: string): string {
    const [version, nonce, body] = sealed.split('.');
    if (version !== 'v1' || !nonce || !body) throw new Error('not a sealed secret');
    const data = Buffer.from(body, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(nonce, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  }
}
