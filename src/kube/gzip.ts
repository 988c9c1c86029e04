// Deterministic gzip (RFC 1952) for user data: no file name, modification time 0, OS "unknown", and the
// portable DEFLATE of deflate.ts, so the same text gives the same bytes on every machine.
import { deflateRaw } from './deflate.js';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (ISO 3309), as gzip's trailer carries it. */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function uint32le(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

/** gzip member of `data`: header (no name, mtime 0, OS 255), DEFLATE stream, CRC-32 and size. */
export function gzip(data: Uint8Array): Uint8Array {
  const header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
  return Uint8Array.from([
    ...header,
    ...deflateRaw(data),
    ...uint32le(crc32(data)),
    ...uint32le(data.length),
  ]);
}

/** UTF-8 text, gzipped, in base64: cloud-init's `gz+b64` write_files encoding. */
export function gzipBase64(text: string): string {
  return Buffer.from(gzip(Buffer.from(text, 'utf8'))).toString('base64');
}
