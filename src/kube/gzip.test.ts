// The deterministic gzip of user data (M1, M49): node:zlib reads back every input exactly, the
// header carries no time or name, and the output is fixed bytes, not whatever this CPU's zlib makes.
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { huffmanLengths } from './deflate.js';
import { crc32, gzip, gzipBase64 } from './gzip.js';
import { renderBootstrapScript } from './worker-script.js';

const SCRIPT = renderBootstrapScript({
  kubernetesVersion: '1.34.1-aliyun.1',
  runtime: 'containerd',
  gpu: { kind: 'tesla', driverBranch: '550' },
  nodeName: { prefix: 'aliyun.com', ipDigits: 5, suffix: 'test' },
  regionId: 'cn-hangzhou',
  hardeningCommands: [],
  agentDownloadUrl: null,
});

describe('deterministic gzip', () => {
  it('M1: node:zlib reads back any bytes exactly (stored, fixed and dynamic blocks)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (data) => {
        expect(gunzipSync(gzip(data)).equals(Buffer.from(data))).toBe(true);
      }),
    );
    // Few distinct bytes: long matches, repeats and skewed Huffman codes.
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0x61, 0x62, 0x0a, 0xe8), { maxLength: 5000 }), (bytes) => {
        const data = Uint8Array.from(bytes);
        expect(gunzipSync(gzip(data)).equals(Buffer.from(data))).toBe(true);
      }),
    );
    // More than one stored block (65,535 bytes each) for data that does not compress.
    const noise = createHash('sha512');
    const big = Buffer.concat(
      Array.from({ length: 1200 }, (_, i) => noise.copy().update(String(i)).digest()),
    );
    expect(gunzipSync(gzip(big)).equals(big)).toBe(true);
    expect(gzip(big).length).toBeLessThan(big.length + 40);
  });

  it('M1: no time, no name; the same text gives the same bytes', () => {
    const z = gzip(Buffer.from(SCRIPT));
    // Magic, deflate, no flags, mtime 0, no extra flags, OS unknown.
    expect([...z.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    expect(gzipBase64(SCRIPT)).toBe(gzipBase64(SCRIPT));
    // Pinned: a change here changes every worker's user data (and its golden files).
    expect(gzipBase64('#!/bin/bash\necho kuberack\n')).toBe(
      'H4sIAAAAAAAA/1NW1E/KzNNPSizO4EpNzshXyC5NSi1KTM7mAgAfw2dMGgAAAA==',
    );
    expect(gunzipSync(Buffer.from(gzipBase64('节点 GPU'), 'base64')).toString('utf8')).toBe('节点 GPU');
  });

  it('M1: compresses the bootstrap script about as well as zlib at level 9', () => {
    const ours = gzip(Buffer.from(SCRIPT)).length;
    expect(ours).toBeLessThan(SCRIPT.length / 1.8);
    expect(ours).toBeLessThan(gzipSync(SCRIPT, { level: 9 }).length * 1.05);
  });

  it('CRC-32 and length-limited Huffman codes', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    // Fibonacci frequencies make the deepest possible tree (29 levels unlimited).
    const fib = [1, 1];
    while (fib.length < 30) fib.push(fib[fib.length - 1]! + fib[fib.length - 2]!);
    for (const limit of [7, 15]) {
      const lengths = huffmanLengths(fib, limit);
      expect(Math.max(...lengths)).toBeLessThanOrEqual(limit);
      // A complete prefix code: the Kraft sum is exactly one.
      expect(lengths.reduce((sum, l) => sum + 2 ** -l, 0)).toBe(1);
    }
  });
});
