// Randomness of the emulated cloud: deterministic draws from a string (latencies, stock, fault
// decisions under a seed) and unpredictable resource ids and secrets like the public cloud's.
import { createHash, randomBytes } from 'node:crypto';

/** A number in [0, 1) that depends only on `key`. */
export function hash01(key: string): number {
  const d = createHash('sha256').update(key).digest();
  return d.readUInt32BE(0) / 2 ** 32;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `prefix-` + region characters + lower-case alphanumerics, 25 characters after the dash in all. */
export function cloudId(prefix: string, regionChars: string): string {
  return `${prefix}-${regionChars}${randomText(ID_ALPHABET, 25 - regionChars.length)}`;
}

export function randomText(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[(bytes[i] ?? 0) % alphabet.length];
  return out;
}

export function randomDigits(length: number): string {
  return randomText('0123456789', length);
}
