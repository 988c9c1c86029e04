// How many nodes, pods per node and services a network plan holds: Flannel pod-CIDR slicing,
// Terway ENI arithmetic and Service CIDR size. Pure; bad input gives null, never an exception.
import { cidrSize, formatCidr, parseCidr } from './ipv4.js';
import type { TerwayMode } from '../spec/types.js';

export interface FlannelCapacity {
  /** Number of per-node slices the pod CIDR splits into. */
  readonly maxNodes: number;
  /** Pod addresses host-local IPAM hands out on one node. */
  readonly podsPerNode: number;
}

export interface EniLimits {
  /** ENIs the instance type can attach, the primary one included. */
  readonly eniQuantity: number;
  /** Private IPs one ENI can hold, its own primary IP included. */
  readonly eniPrivateIpQuantity: number;
}

/** Addresses of a node's slice that host-local IPAM never gives to a pod. */
const FLANNEL_RESERVED_PER_NODE = 3;

/** log2 of n when n is an integer power of two, else null. */
export function log2Exact(n: number): number | null {
  if (!Number.isInteger(n) || n < 1) return null;
  const k = Math.round(Math.log2(n));
  return 2 ** k === n ? k : null;
}

/**
 * Flannel gives each node a /(32 − log2(nodeIpCount)) slice of the pod CIDR. Host-local IPAM does
 * not hand three addresses of a slice to pods: the network address, the cni0 bridge gateway (.1)
 * and the broadcast address, so podsPerNode = nodeIpCount − 3; maxNodes = number of slices.
 * Null when the CIDR is malformed or nodeIpCount is not a power of two from 4 to 2^32.
 */
export function flannelCapacity(podCidr: string, nodeIpCount: number): FlannelCapacity | null {
  const cidr = parseCidr(podCidr);
  const bits = log2Exact(nodeIpCount);
  if (cidr === null || bits === null || bits < 2 || bits > 32) return null;
  const maxNodes = bits <= 32 - cidr.prefix ? cidrSize(cidr) / nodeIpCount : 0;
  return { maxNodes, podsPerNode: nodeIpCount - FLANNEL_RESERVED_PER_NODE };
}

/**
 * Terway pods per node. The primary ENI serves the node itself, so only secondary ENIs carry pods.
 * shared-eni: (eniQuantity − 1) × (eniPrivateIpQuantity − 1), since each secondary ENI's own
 * primary IP is not given to a pod; exclusive-eni: eniQuantity − 1, one ENI per pod. Never below 0.
 */
export function terwayPodsPerNode(limits: EniLimits, mode: TerwayMode): number {
  const secondaryEnis = countLessOne(limits.eniQuantity);
  if (mode === 'exclusive-eni') return secondaryEnis;
  return secondaryEnis * countLessOne(limits.eniPrivateIpQuantity);
}

/** n − 1 for a whole count n, clamped at 0; a count that is not a finite number counts as 0. */
function countLessOne(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.floor(n) - 1) : 0;
}

/**
 * Usable service IPs: the block's size less its first and last address, which the Kubernetes
 * service IP allocator never assigns (never below 0). Null when the CIDR is malformed.
 */
export function serviceCapacity(serviceCidr: string): number | null {
  const cidr = parseCidr(serviceCidr);
  return cidr === null ? null : Math.max(0, cidrSize(cidr) - 2);
}

/**
 * Flannel (M4, M26): the block of the Pod CIDR that node `index` owns, `nodeIpCount` addresses each;
 * null when the Pod CIDR has no room for that node.
 */
export function nodePodCidr(podCidr: string, nodeIpCount: number, index: number): string | null {
  const c = parseCidr(podCidr);
  const bits = Math.log2(nodeIpCount);
  if (!c || !Number.isInteger(bits) || !Number.isInteger(index) || index < 0) return null;
  const prefix = 32 - bits;
  if (prefix < c.prefix || (index + 1) * nodeIpCount > 2 ** (32 - c.prefix)) return null;
  return formatCidr({ base: c.base + index * nodeIpCount, prefix });
}
