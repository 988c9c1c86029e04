// Recommends a Pod CIDR (Flannel) and a Service CIDR for a VPC (M24): the first free private
// blocks, in a fixed order, that overlap neither the VPC, anything taken, nor each other.
import { flannelCapacity, log2Exact } from './capacity.js';
import { cidrLast, cidrsOverlap, formatCidr, parseCidr, type Cidr } from './ipv4.js';
import { MIN_POD_CIDR_NODES, PREFIX_RANGES, type TakenCidr } from './rules.js';
import type { NetworkPlugin } from '../spec/types.js';

export interface NetworkRecommendationInput {
  readonly vpcCidr?: string;
  /** Blocks in use in the VPC: vSwitches, other clusters' pod and service CIDRs. */
  readonly taken: readonly TakenCidr[];
  /** Flannel IPs per node; ignored for Terway. */
  readonly nodeIpCount: number;
  readonly plugin: NetworkPlugin;
}

export interface NetworkRecommendation {
  /** Flannel only: Terway pods take vSwitch addresses. */
  readonly podCidr?: string;
  readonly serviceCidr: string;
  /** Flannel only: how many nodes the pod CIDR holds. */
  readonly maxNodes?: number;
  /** Flannel only: pods each node can hold. */
  readonly podsPerNode?: number;
}

const TEN: Cidr = { base: 0x0a000000, prefix: 8 }; // 10.0.0.0/8
const ONE_SEVENTY_TWO: Cidr = { base: 0xac100000, prefix: 12 }; // 172.16.0.0/12
const ONE_NINETY_TWO: Cidr = { base: 0xc0a80000, prefix: 16 }; // 192.168.0.0/16

/** Where pod CIDRs are looked for, in order: 172.16–31.x, then 10.x, then 192.168.x. */
const POD_PARENTS: readonly Cidr[] = [ONE_SEVENTY_TWO, TEN, ONE_NINETY_TWO];
/** Where Service CIDRs are looked for, in order: 192.168.x, then 172.16–31.x, then 10.x. */
const SERVICE_PARENTS: readonly Cidr[] = [ONE_NINETY_TWO, ONE_SEVENTY_TWO, TEN];

const PREFERRED_POD_PREFIX = 16;
const PREFERRED_SERVICE_PREFIX = 20;

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let n = from; n <= to; n++) out.push(n);
  return out;
}

/**
 * The lowest aligned /prefix block inside `parent` overlapping nothing in `avoid`. Each miss jumps
 * past the block it hit, so the loop runs at most `avoid.length + 1` times.
 */
function firstFreeIn(parent: Cidr, prefix: number, avoid: readonly Cidr[]): Cidr | null {
  if (prefix < parent.prefix) return null;
  const size = 2 ** (32 - prefix);
  let base = parent.base;
  while (base <= cidrLast(parent)) {
    const candidate = { base, prefix };
    const hit = avoid.find((a) => cidrsOverlap(a, candidate));
    if (hit === undefined) return candidate;
    base = Math.max(base + size, Math.ceil((cidrLast(hit) + 1) / size) * size);
  }
  return null;
}

/** The first free block trying each prefix in turn, and for each prefix each parent in turn. */
function firstFree(
  parents: readonly Cidr[],
  prefixes: readonly number[],
  avoid: readonly Cidr[],
): Cidr | null {
  for (const prefix of prefixes) {
    for (const parent of parents) {
      const found = firstFreeIn(parent, prefix, avoid);
      if (found !== null) return found;
    }
  }
  return null;
}

/** Service prefixes: /20 preferred, then smaller blocks down to the rule's /24. */
const SERVICE_PREFIXES = range(PREFERRED_SERVICE_PREFIX, PREFIX_RANGES.service.max);

/**
 * Pod prefixes: /16 preferred, then smaller blocks down to the smallest that still holds
 * MIN_POD_CIDR_NODES slices (and the rule's /24); empty when nodeIpCount is unusable.
 */
function podPrefixes(nodeIpCount: number): number[] {
  const bits = log2Exact(nodeIpCount);
  const minNodesBits = log2Exact(MIN_POD_CIDR_NODES) ?? 0;
  if (bits === null || bits < 2) return [];
  const smallest = Math.min(PREFIX_RANGES.pod.max, 32 - bits - minNodesBits);
  if (smallest < PREFIX_RANGES.pod.min) return [];
  return range(Math.min(PREFERRED_POD_PREFIX, smallest), smallest);
}

function usedBlocks(input: NetworkRecommendationInput): Cidr[] {
  const cidrs = [...(input.vpcCidr === undefined ? [] : [input.vpcCidr]), ...input.taken.map((t) => t.cidr)];
  return cidrs.map(parseCidr).filter((c): c is Cidr => c !== null);
}

/**
 * Deterministic plan. For Flannel it tries pod sizes from /16 down, each at its first free place,
 * then a service block avoiding it; trying the smallest pod size last makes the search complete:
 * null means no pair of disjoint free blocks exists. Malformed taken entries are ignored, as the
 * check functions ignore them.
 */
export function recommendNetwork(input: NetworkRecommendationInput): NetworkRecommendation | null {
  const avoid = usedBlocks(input);
  if (input.plugin === 'terway') {
    const service = firstFree(SERVICE_PARENTS, SERVICE_PREFIXES, avoid);
    return service === null ? null : { serviceCidr: formatCidr(service) };
  }
  for (const prefix of podPrefixes(input.nodeIpCount)) {
    const pod = firstFree(POD_PARENTS, [prefix], avoid);
    if (pod === null) continue;
    const service = firstFree(SERVICE_PARENTS, SERVICE_PREFIXES, [...avoid, pod]);
    if (service === null) continue;
    const podCidr = formatCidr(pod);
    const capacity = flannelCapacity(podCidr, input.nodeIpCount);
    if (capacity === null) return null;
    return { podCidr, serviceCidr: formatCidr(service), ...capacity };
  }
  return null;
}
