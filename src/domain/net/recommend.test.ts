// Tests for the Pod/Service CIDR recommendation (M24): fixed examples, and fast-check properties that
// every recommendation passes the rules and that null means nothing fits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrsOverlap, formatCidr, parseCidr, prefixMask, PRIVATE_BLOCKS, type Cidr } from './ipv4.js';
import type { NetworkPlugin } from '../spec/types.js';
import { recommendNetwork } from './recommend.js';
import { checkPodCidr, checkServiceCidr, NODE_IP_COUNTS, type TakenCidr } from './rules.js';

const taken = (...cidrs: string[]): TakenCidr[] => cidrs.map((cidr, i) => ({ cidr, label: `taken ${i}` }));

/** Every private /24 free of `avoid`, in address order. */
function freeSlash24s(avoid: readonly Cidr[]): Cidr[] {
  const free: Cidr[] = [];
  for (const parent of PRIVATE_BLOCKS) {
    for (let base = parent.base; base < parent.base + 2 ** (32 - parent.prefix); base += 256) {
      const c = { base, prefix: 24 };
      if (!avoid.some((a) => cidrsOverlap(a, c))) free.push(c);
    }
  }
  return free;
}

/**
 * Brute force: does a free pod block of the smallest allowed size (16 × nodeIpCount addresses, at
 * least a /24) and a free /24 service block exist side by side?
 */
function pairExists(avoid: readonly Cidr[], nodeIpCount: number): boolean {
  const free = freeSlash24s(avoid);
  const per = Math.max(1, (16 * nodeIpCount) / 256);
  const freeBases = new Set(free.map((c) => c.base));
  const podFits = free.some((c) => {
    if (c.base % (per * 256) !== 0) return false;
    for (let i = 1; i < per; i++) if (!freeBases.has(c.base + i * 256)) return false;
    return true;
  });
  return podFits && free.length > per;
}

describe('recommendNetwork examples', () => {
  it.each([
    ['192.168.0.0/16', '172.16.0.0/16', '172.17.0.0/20'],
    ['10.0.0.0/8', '172.16.0.0/16', '192.168.0.0/20'],
    ['172.16.0.0/12', '10.0.0.0/16', '192.168.0.0/20'],
  ])('M24 VPC %s gets pod CIDR %s and Service CIDR %s', (vpcCidr, podCidr, serviceCidr) => {
    expect(recommendNetwork({ vpcCidr, taken: [], nodeIpCount: 64, plugin: 'flannel' })).toEqual({
      podCidr,
      serviceCidr,
      maxNodes: 1024,
      podsPerNode: 61,
    });
  });

  it('M24 capacity follows the node IP count', () => {
    const r = recommendNetwork({ vpcCidr: '192.168.0.0/16', taken: [], nodeIpCount: 256, plugin: 'flannel' });
    expect(r).toMatchObject({ podCidr: '172.16.0.0/16', maxNodes: 256, podsPerNode: 253 });
  });

  it("M25 existing clusters' CIDRs in the VPC are skipped", () => {
    const r = recommendNetwork({
      vpcCidr: '192.168.0.0/16',
      taken: [
        { cidr: '172.16.0.0/16', label: 'cluster c-1 pod CIDR' },
        { cidr: '172.17.0.0/20', label: 'cluster c-1 Service CIDR' },
      ],
      nodeIpCount: 64,
      plugin: 'flannel',
    });
    expect(r).toMatchObject({ podCidr: '172.18.0.0/16', serviceCidr: '172.17.16.0/20' });
  });

  it('M27 Terway gets only a Service CIDR', () => {
    expect(
      recommendNetwork({ vpcCidr: '192.168.0.0/16', taken: [], nodeIpCount: 64, plugin: 'terway' }),
    ).toEqual({
      serviceCidr: '172.16.0.0/20',
    });
  });

  it('M24 smaller blocks are used when no /16 is left for both', () => {
    const r = recommendNetwork({
      vpcCidr: '10.0.0.0/8',
      taken: taken('192.168.0.0/16', '172.16.0.0/13', '172.24.0.0/14', '172.28.0.0/15', '172.30.0.0/16'),
      nodeIpCount: 64,
      plugin: 'flannel',
    });
    expect(r).toEqual({
      podCidr: '172.31.0.0/17',
      serviceCidr: '172.31.128.0/20',
      maxNodes: 512,
      podsPerNode: 61,
    });
  });

  it('M24 the smallest pod block is tried so a tight space still fits both', () => {
    const r = recommendNetwork({
      vpcCidr: '10.0.0.0/8',
      taken: taken(
        '192.168.0.0/16',
        '172.16.0.0/13',
        '172.24.0.0/14',
        '172.28.0.0/15',
        '172.30.0.0/16',
        '172.31.0.0/17',
        '172.31.128.0/18',
        '172.31.192.0/19',
        '172.31.224.0/20',
        '172.31.240.0/21',
      ),
      nodeIpCount: 64,
      plugin: 'flannel',
    });
    expect(r).toEqual({
      podCidr: '172.31.248.0/22',
      serviceCidr: '172.31.252.0/22',
      maxNodes: 16,
      podsPerNode: 61,
    });
  });

  it('M24 null when the private space is full', () => {
    const full = taken('10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16');
    expect(recommendNetwork({ taken: full, nodeIpCount: 64, plugin: 'terway' })).toBeNull();
    expect(recommendNetwork({ taken: full, nodeIpCount: 64, plugin: 'flannel' })).toBeNull();
  });

  it('M24 null for Flannel when the node IP count cannot be sliced', () => {
    expect(recommendNetwork({ taken: [], nodeIpCount: 100, plugin: 'flannel' })).toBeNull();
  });

  it('M24 a pod block is not a plan without room for a Service block beside it', () => {
    const r = recommendNetwork({
      taken: taken(
        '10.0.0.0/8',
        '192.168.0.0/16',
        '172.16.0.0/13',
        '172.24.0.0/14',
        '172.28.0.0/15',
        '172.30.0.0/16',
        '172.31.0.0/17',
        '172.31.128.0/18',
        '172.31.192.0/19',
        '172.31.224.0/20',
        '172.31.240.0/21',
        '172.31.248.0/22',
      ),
      nodeIpCount: 64,
      plugin: 'flannel',
    });
    expect(r).toBeNull();
  });
});

const privateCidr = (minPrefix: number, maxPrefix: number): fc.Arbitrary<Cidr> =>
  fc
    .record({
      parent: fc.constantFrom(...PRIVATE_BLOCKS),
      offset: fc.integer({ min: 0, max: 0xffffffff }),
      prefix: fc.integer({ min: minPrefix, max: maxPrefix }),
    })
    .map(({ parent, offset, prefix }): Cidr => {
      const p = Math.max(prefix, parent.prefix);
      const inside = parent.base + (offset % 2 ** (32 - parent.prefix));
      return { base: (inside & prefixMask(p)) >>> 0, prefix: p };
    });

const scenario = fc.record({
  vpc: privateCidr(8, 24),
  others: fc.array(privateCidr(8, 28), { maxLength: 6 }),
  nodeIpCount: fc.constantFrom(...NODE_IP_COUNTS),
  plugin: fc.constantFrom<NetworkPlugin>('flannel', 'terway'),
});

describe('recommendNetwork properties', () => {
  it('M24 M25 M27 a recommendation passes the rules and overlaps nothing; null only when nothing fits', () => {
    fc.assert(
      fc.property(scenario, ({ vpc, others, nodeIpCount, plugin }) => {
        const vpcCidr = formatCidr(vpc);
        const used = taken(...others.map(formatCidr));
        const r = recommendNetwork({ vpcCidr, taken: used, nodeIpCount, plugin });
        const avoid = [vpc, ...others];
        if (r === null) {
          const possible =
            plugin === 'terway' ? freeSlash24s(avoid).length > 0 : pairExists(avoid, nodeIpCount);
          expect(possible).toBe(false);
          return;
        }
        const withVpc = [{ cidr: vpcCidr, label: 'VPC' }, ...used];
        const podTaken = r.podCidr === undefined ? [] : [{ cidr: r.podCidr, label: 'Pod CIDR' }];
        expect(checkServiceCidr('s', r.serviceCidr, [...withVpc, ...podTaken])).toEqual([]);
        const blocks = [r.serviceCidr];
        if (plugin === 'flannel') {
          expect(r.podCidr).toBeDefined();
          const pod = r.podCidr ?? '';
          expect(
            checkPodCidr('p', pod, nodeIpCount, [...withVpc, { cidr: r.serviceCidr, label: 'S' }]),
          ).toEqual([]);
          expect(r.maxNodes).toBeGreaterThanOrEqual(16);
          expect(r.podsPerNode).toBe(nodeIpCount - 3);
          blocks.push(pod);
        } else {
          expect(r).toEqual({ serviceCidr: r.serviceCidr });
        }
        for (const b of blocks) {
          const c = parseCidr(b);
          expect(c).not.toBeNull();
          if (c !== null) expect(avoid.some((a) => cidrsOverlap(a, c))).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('M24 the recommendation is deterministic', () => {
    fc.assert(
      fc.property(scenario, ({ vpc, others, nodeIpCount, plugin }) => {
        const input = {
          vpcCidr: formatCidr(vpc),
          taken: taken(...others.map(formatCidr)),
          nodeIpCount,
          plugin,
        };
        expect(recommendNetwork(input)).toEqual(recommendNetwork(input));
      }),
      { numRuns: 100 },
    );
  });
});
