// Tests for M51 custom node names: the seed's example, the part syntax, and the collision check,
// which must never say "cannot collide" for vSwitches whose addresses can share their last digits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIpv4, ipDigits12, prefixMask } from '../net/ipv4.js';
import { NODE_NAME_PART, nodeName } from './node-name.js';
import { nodeNamesMayCollide } from './rules/workers.js';

describe('M51 nodeName', () => {
  it("M51 node name: the seed's example aliyun.com + 5 digits + test", () => {
    expect(nodeName({ prefix: 'aliyun.com', ipDigits: 5, suffix: 'test' }, '192.168.0.55')).toBe(
      'aliyun.com00055test',
    );
  });

  it.each([
    [12, '192.168.0.55', 'n-192168000055'],
    [6, '10.1.2.3', 'n-002003'],
    [5, '10.0.255.9', 'n-55009'],
  ])('M51 node name: %i digits of %s', (ipDigits, ip, expected) => {
    expect(nodeName({ prefix: 'n-', ipDigits, suffix: '' }, ip)).toBe(expected);
  });

  it.each(['192.168.0', '192.168.0.256', '192.168.00.1', '', 'node'])(
    'M51 node name: %j is not an IP, so there is no name',
    (ip) => {
      expect(nodeName({ prefix: 'a', ipDigits: 5, suffix: '' }, ip)).toBeNull();
    },
  );

  it('M51 node name: prefix + the last N zero-padded IP digits + suffix, for every IP and N in 5–12', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 5, max: 12 }), (ip, n) => {
        const name = nodeName({ prefix: 'gpu.', ipDigits: n, suffix: '.x' }, ip);
        const digits = name?.slice(4, -2) ?? '';
        expect(name?.startsWith('gpu.')).toBe(true);
        expect(name?.endsWith('.x')).toBe(true);
        expect(digits).toMatch(new RegExp(`^[0-9]{${n}}$`));
        expect(ipDigits12(ip)?.endsWith(digits)).toBe(true);
      }),
    );
  });
});

describe('M51 NODE_NAME_PART', () => {
  it.each(['aliyun.com', 'test', 'a', 'node-1', 'a.b-c.d9', '0'])(
    'M51 node name part: %j is allowed',
    (part) => {
      expect(NODE_NAME_PART.test(part)).toBe(true);
    },
  );

  it.each(['', 'Aliyun', '-a', 'a-', 'a..b', '.a', 'a.', 'a_b', 'a b', 'a.-b', '节点'])(
    'M51 node name part: %j is refused',
    (part) => {
      expect(NODE_NAME_PART.test(part)).toBe(false);
    },
  );
});

describe('M51 nodeNamesMayCollide', () => {
  it.each<[string[], number, boolean]>([
    [['192.168.0.0/16'], 5, true],
    [['192.168.0.0/16'], 6, false],
    [['192.168.0.0/16'], 9, false],
    [['192.168.0.0/16'], 12, false],
    [['192.168.0.0/24'], 5, false],
    [['192.168.0.0/24'], 3, false],
    [['192.168.0.0/24'], 2, true],
    [['192.168.0.0/24', '192.168.1.0/24'], 5, false],
    [['192.168.0.0/24', '192.168.100.0/24'], 5, true],
    [['10.0.0.0/8'], 8, true],
    [['10.0.0.0/8'], 9, false],
    [[], 5, false],
    [['not-a-cidr'], 5, false],
  ])('M51 collisions: %j with %i digits may collide: %s', (cidrs, digits, expected) => {
    expect(nodeNamesMayCollide(cidrs, digits)).toBe(expected);
  });

  /** All addresses of small blocks: their last `digits` digits, checked for repeats. */
  function reallyCollide(blocks: readonly { base: number; prefix: number }[], digits: number): boolean {
    const seen = new Set<string>();
    for (const b of blocks) {
      for (let i = 0; i < 2 ** (32 - b.prefix); i++) {
        const tail = ipDigits12(formatIpv4((b.base + i) >>> 0))?.slice(12 - digits) ?? '';
        if (seen.has(tail)) return true;
        seen.add(tail);
      }
    }
    return false;
  }

  it('M51 collisions: "cannot collide" is never wrong (checked on every address of small blocks)', () => {
    const block = fc
      .record({ ip: fc.integer({ min: 0, max: 2 ** 32 - 1 }), prefix: fc.integer({ min: 23, max: 30 }) })
      .map(({ ip, prefix }) => ({ base: (ip & prefixMask(prefix)) >>> 0, prefix }));
    const disjoint = (bs: readonly { base: number; prefix: number }[]) =>
      bs.every((a, i) =>
        bs.every(
          (b, j) =>
            i === j || a.base + 2 ** (32 - a.prefix) <= b.base || b.base + 2 ** (32 - b.prefix) <= a.base,
        ),
      );
    fc.assert(
      fc.property(
        fc.array(block, { minLength: 1, maxLength: 3 }).filter(disjoint),
        fc.integer({ min: 3, max: 12 }),
        (blocks, digits) => {
          const cidrs = blocks.map((b) => `${formatIpv4(b.base)}/${b.prefix}`);
          if (!nodeNamesMayCollide(cidrs, digits)) expect(reallyCollide(blocks, digits)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});
