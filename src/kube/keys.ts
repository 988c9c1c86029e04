// Key pairs for the cluster PKI: generation (the only non-deterministic step, kept apart so that
// rendering is a pure function of its keys) and PEM import/export (PKCS#8 private, SPKI public).
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair as nodeGenerateKeyPair,
  webcrypto,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { KuberackError } from '../domain/errors.js';

/** ECDSA on P-256 is the default for every key; RSA 2048 is offered for the service-account key. */
export type KeyAlgorithm = 'ecdsa-p256' | 'rsa-2048';

/** A key pair as PEM text: what is stored (encrypted) and what everything in src/kube takes in. */
export interface KeyPair {
  readonly algorithm: KeyAlgorithm;
  /** PKCS#8 `-----BEGIN PRIVATE KEY-----`. */
  readonly privateKeyPem: string;
  /** SPKI `-----BEGIN PUBLIC KEY-----`. */
  readonly publicKeyPem: string;
}

/** Generates a fresh key pair. The one place in src/kube that draws randomness on its own. */
export async function generateKeyPair(algorithm: KeyAlgorithm = 'ecdsa-p256'): Promise<KeyPair> {
  const pems = await new Promise<{ privateKey: string; publicKey: string }>((resolve, reject) => {
    const encoding = {
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    } as const;
    const done = (err: Error | null, publicKey: string, privateKey: string): void => {
      if (err) reject(err);
      else resolve({ privateKey, publicKey });
    };
    if (algorithm === 'rsa-2048') {
      nodeGenerateKeyPair('rsa', { modulusLength: 2048, publicExponent: 0x10001, ...encoding }, done);
    } else {
      nodeGenerateKeyPair('ec', { namedCurve: 'prime256v1', ...encoding }, done);
    }
  });
  return { algorithm, privateKeyPem: pems.privateKey, publicKeyPem: pems.publicKey };
}

/**
 * Reads a private key PEM (PKCS#8, or the PKCS#1 / SEC1 forms openssl also writes) and returns the
 * normalised pair: PKCS#8 private and SPKI public. Throws KUBE_INVALID_INPUT for anything that is
 * not an ECDSA P-256 or RSA 2048 private key.
 */
export function keyPairFromPrivateKeyPem(pem: string): KeyPair {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (cause) {
    throw new KuberackError(
      'KUBE_INVALID_INPUT',
      { field: 'privateKeyPem', reason: 'unreadable' },
      { cause },
    );
  }
  const algorithm = keyAlgorithmOf(key, 'privateKeyPem');
  return {
    algorithm,
    privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Reads a public key PEM (SPKI or PKCS#1 RSA) and returns it as normalised SPKI PEM. */
export function publicKeyFromPem(pem: string): { algorithm: KeyAlgorithm; publicKeyPem: string } {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (cause) {
    throw new KuberackError('KUBE_INVALID_INPUT', { field: 'publicKeyPem', reason: 'unreadable' }, { cause });
  }
  return {
    algorithm: keyAlgorithmOf(key, 'publicKeyPem'),
    publicKeyPem: key.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The WebCrypto form of a key pair, for signing with @peculiar/x509. */
export async function toCryptoKeyPair(pair: KeyPair): Promise<CryptoKeyPair> {
  const normal = keyPairFromPrivateKeyPem(pair.privateKeyPem);
  const algorithm =
    normal.algorithm === 'rsa-2048'
      ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
      : { name: 'ECDSA', namedCurve: 'P-256' };
  const pkcs8 = createPrivateKey(normal.privateKeyPem).export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(normal.publicKeyPem).export({ type: 'spki', format: 'der' });
  const [privateKey, publicKey] = await Promise.all([
    webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, true, ['sign']),
    webcrypto.subtle.importKey('spki', spki, algorithm, true, ['verify']),
  ]);
  return { privateKey, publicKey };
}

function keyAlgorithmOf(key: KeyObject, field: string): KeyAlgorithm {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1') return 'ecdsa-p256';
  if (key.asymmetricKeyType === 'rsa' && details.modulusLength === 2048) return 'rsa-2048';
  throw new KuberackError('KUBE_INVALID_INPUT', {
    field,
    reason: 'unsupported key algorithm',
    value: `${key.asymmetricKeyType ?? 'unknown'}/${details.namedCurve ?? details.modulusLength ?? '?'}`,
  });
}
