// Tests for key generation and PEM import/export, checked against the real openssl binary
// (the test fails, not skips, when openssl is missing).
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KuberackError } from '../domain/errors.js';
import { generateKeyPair, keyPairFromPrivateKeyPem, publicKeyFromPem, toCryptoKeyPair } from './keys.js';

const dir = mkdtempSync(join(tmpdir(), 'kuberack-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openssl(args: string[], input?: string | Buffer): string {
  return execFileSync('openssl', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('keys', () => {
  it('generates ECDSA P-256 by default, as PKCS#8 private and SPKI public PEM that openssl reads', async () => {
    const pair = await generateKeyPair();
    expect(pair.algorithm).toBe('ecdsa-p256');
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(pair.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const text = openssl(['pkey', '-in', file('ec.key', pair.privateKeyPem), '-noout', '-text']);
    expect(text).toContain('ASN1 OID: prime256v1');
    // openssl derives the same public key from the private one.
    expect(openssl(['pkey', '-in', file('ec2.key', pair.privateKeyPem), '-pubout'])).toBe(pair.publicKeyPem);
  });

  it('generates RSA 2048 on request (service-account key)', async () => {
    const pair = await generateKeyPair('rsa-2048');
    expect(pair.algorithm).toBe('rsa-2048');
    const text = openssl(['pkey', '-in', file('rsa.key', pair.privateKeyPem), '-noout', '-text']);
    expect(text).toMatch(/Private-Key: \(2048 bit/);
    expect(openssl(['pkey', '-pubin', '-in', file('rsa.pub', pair.publicKeyPem), '-noout', '-text'])).toMatch(
      /Public-Key: \(2048 bit\)/,
    );
  });

  it('imports keys openssl wrote in SEC1 / PKCS#1 form and normalises them to PKCS#8 + SPKI', () => {
    const ec = openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout']);
    expect(ec).toMatch(/BEGIN EC PRIVATE KEY/);
    const pair = keyPairFromPrivateKeyPem(ec);
    expect(pair.algorithm).toBe('ecdsa-p256');
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(openssl(['pkey', '-pubout'], ec)).toBe(pair.publicKeyPem);

    const rsa = openssl(['genrsa', '-traditional', '2048']);
    expect(rsa).toMatch(/BEGIN RSA PRIVATE KEY/);
    const rsaPair = keyPairFromPrivateKeyPem(rsa);
    expect(rsaPair.algorithm).toBe('rsa-2048');
    expect(publicKeyFromPem(openssl(['rsa', '-RSAPublicKey_out'], rsa))).toEqual({
      algorithm: 'rsa-2048',
      publicKeyPem: rsaPair.publicKeyPem,
    });
  });

  it('export and import round-trip to the same PEM text', async () => {
    const pair = await generateKeyPair();
    expect(keyPairFromPrivateKeyPem(pair.privateKeyPem)).toEqual(pair);
    expect(publicKeyFromPem(pair.publicKeyPem).publicKeyPem).toBe(pair.publicKeyPem);
  });

  it('rejects keys other than P-256 and RSA 2048, and text that is not a key, with KUBE_INVALID_INPUT', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const ed = generateKeyPairSync('ed25519');
    for (const pem of [
      p384.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      'not a key',
    ]) {
      expect(() => keyPairFromPrivateKeyPem(pem)).toThrow(KuberackError);
      try {
        keyPairFromPrivateKeyPem(pem);
      } catch (e) {
        expect((e as KuberackError).code).toBe('KUBE_INVALID_INPUT');
      }
    }
  });

  it('gives WebCrypto keys that sign and verify', async () => {
    for (const pair of [await generateKeyPair(), await generateKeyPair('rsa-2048')]) {
      const keys = await toCryptoKeyPair(pair);
      const alg =
        pair.algorithm === 'rsa-2048' ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash: 'SHA-256' };
      const data = new TextEncoder().encode('kuberack');
      const sig = await crypto.subtle.sign(alg, keys.privateKey, data);
      expect(await crypto.subtle.verify(alg, keys.publicKey, sig, data)).toBe(true);
    }
  });
});
