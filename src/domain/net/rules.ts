// Field checks for the cluster network plan (M21–M27): VPC, vSwitch, Pod and Service CIDRs and the
// Flannel node IP count. Each returns every problem it finds at the caller's path; none throws.
import { problem, type Problem } from '../problems.js';
import { flannelCapacity } from './capacity.js';
import {
  cidrContains,
  cidrsOverlap,
  formatCidr,
  isCanonicalCidr,
  isPrivateCidr,
  parseCidr,
  type Cidr,
} from './ipv4.js';

/** Every code the net area emits; each has an en and zh message in `messages/net.ts`. */
export const NetCode = {
  CIDR_INVALID: 'NET_CIDR_INVALID',
  CIDR_NOT_CANONICAL: 'NET_CIDR_NOT_CANONICAL',
  CIDR_NOT_PRIVATE: 'NET_CIDR_NOT_PRIVATE',
  CIDR_PREFIX_RANGE: 'NET_CIDR_PREFIX_RANGE',
  CIDR_OUTSIDE_VPC: 'NET_CIDR_OUTSIDE_VPC',
  CIDR_OVERLAP: 'NET_CIDR_OVERLAP',
  POD_CIDR_TOO_SMALL: 'NET_POD_CIDR_TOO_SMALL',
  NODE_IP_COUNT: 'NET_NODE_IP_COUNT',
} as const;

export type NetCode = (typeof NetCode)[keyof typeof NetCode];

export const NET_CODES: readonly NetCode[] = Object.values(NetCode);

/** A CIDR already in use that a new one must not overlap, with a label naming its owner. */
export interface TakenCidr {
  readonly cidr: string;
  /** e.g. `VPC`, `vSwitch vsw-1`, `Service CIDR`, `cluster c-abc pod CIDR`. */
  readonly label: string;
}

/** Prefix lengths each kind of block may have, both ends included. */
export const PREFIX_RANGES = {
  vpc: { min: 8, max: 28 },
  vswitch: { min: 16, max: 29 },
  pod: { min: 8, max: 24 },
  service: { min: 16, max: 24 },
} as const;

/** IPs per node offered for Flannel (M24). */
export const NODE_IP_COUNTS = [16, 32, 64, 128, 256] as const;
export type NodeIpCount = (typeof NODE_IP_COUNTS)[number];
export const DEFAULT_NODE_IP_COUNT: NodeIpCount = 64;

/** The pod CIDR must hold at least this many nodes' slices. */
export const MIN_POD_CIDR_NODES = 16;

interface BlockRule {
  readonly min: number;
  readonly max: number;
  readonly mustBePrivate: boolean;
}

interface BlockCheck {
  /** The parsed block (host bits cleared), or null when the value is not a CIDR at all. */
  readonly cidr: Cidr | null;
  readonly problems: Problem[];
}

/** Form, canonical form, privacy and prefix range; later checks go on with the block as parsed. */
function checkBlock(path: string, value: string, rule: BlockRule): BlockCheck {
  const cidr = parseCidr(value);
  if (cidr === null) return { cidr, problems: [problem(path, NetCode.CIDR_INVALID, { value })] };
  const problems: Problem[] = [];
  if (!isCanonicalCidr(value)) {
    problems.push(problem(path, NetCode.CIDR_NOT_CANONICAL, { value, canonical: formatCidr(cidr) }));
  }
  if (rule.mustBePrivate && !isPrivateCidr(cidr)) {
    problems.push(problem(path, NetCode.CIDR_NOT_PRIVATE, { value }));
  }
  if (cidr.prefix < rule.min || cidr.prefix > rule.max) {
    const params = { value, min: rule.min, max: rule.max, prefix: cidr.prefix };
    problems.push(problem(path, NetCode.CIDR_PREFIX_RANGE, params));
  }
  return { cidr, problems };
}

/** One NET_CIDR_OVERLAP per taken block that overlaps; malformed taken entries are skipped. */
function overlapProblems(path: string, value: string, cidr: Cidr, taken: readonly TakenCidr[]): Problem[] {
  const problems: Problem[] = [];
  for (const other of taken) {
    const otherCidr = parseCidr(other.cidr);
    if (otherCidr !== null && cidrsOverlap(cidr, otherCidr)) {
      problems.push(
        problem(path, NetCode.CIDR_OVERLAP, { value, other: other.cidr, otherLabel: other.label }),
      );
    }
  }
  return problems;
}

/** M21: a new VPC's CIDR is a canonical private block from /8 to /28. */
export function checkVpcCidr(path: string, value: string): Problem[] {
  return checkBlock(path, value, { ...PREFIX_RANGES.vpc, mustBePrivate: true }).problems;
}

/**
 * M22: a vSwitch CIDR is a canonical /16–/29 inside the VPC (skipped while the VPC CIDR is unknown
 * or malformed) and overlaps no sibling vSwitch.
 */
export function checkVswitchCidr(
  path: string,
  value: string,
  vpcCidr: string | undefined,
  siblings: readonly TakenCidr[],
): Problem[] {
  const { cidr, problems } = checkBlock(path, value, { ...PREFIX_RANGES.vswitch, mustBePrivate: false });
  if (cidr === null) return problems;
  const vpc = vpcCidr === undefined ? null : parseCidr(vpcCidr);
  if (vpc !== null && !cidrContains(vpc, cidr)) {
    problems.push(problem(path, NetCode.CIDR_OUTSIDE_VPC, { value, vpc: formatCidr(vpc) }));
  }
  return [...problems, ...overlapProblems(path, value, cidr, siblings)];
}

/**
 * M24/M25: a Flannel pod CIDR is a canonical private /8–/24 with room for at least 16 nodes of
 * `nodeIpCount` addresses each, overlapping nothing taken (VPC, vSwitches, Service CIDR, other
 * clusters). The room check is skipped when `nodeIpCount` is itself invalid.
 */
export function checkPodCidr(
  path: string,
  value: string,
  nodeIpCount: number,
  taken: readonly TakenCidr[],
): Problem[] {
  const { cidr, problems } = checkBlock(path, value, { ...PREFIX_RANGES.pod, mustBePrivate: true });
  if (cidr === null) return problems;
  const capacity = flannelCapacity(formatCidr(cidr), nodeIpCount);
  if (capacity !== null && capacity.maxNodes < MIN_POD_CIDR_NODES) {
    const params = { value, nodes: capacity.maxNodes, minNodes: MIN_POD_CIDR_NODES };
    problems.push(problem(path, NetCode.POD_CIDR_TOO_SMALL, params));
  }
  return [...problems, ...overlapProblems(path, value, cidr, taken)];
}

/**
 * M27: a Service CIDR is a canonical private /16–/24 (ACK: 10.0.0.0/16–24, 172.16–31.0.0/16–24,
 * 192.168.0.0/16–24) overlapping nothing taken (VPC, vSwitches, pod CIDR, other clusters).
 */
export function checkServiceCidr(path: string, value: string, taken: readonly TakenCidr[]): Problem[] {
  const { cidr, problems } = checkBlock(path, value, { ...PREFIX_RANGES.service, mustBePrivate: true });
  if (cidr === null) return problems;
  return [...problems, ...overlapProblems(path, value, cidr, taken)];
}

export function isNodeIpCount(n: number): n is NodeIpCount {
  return (NODE_IP_COUNTS as readonly number[]).includes(n);
}

/** M24: the Flannel node IP count is one of NODE_IP_COUNTS. */
export function checkNodeIpCount(path: string, n: number): Problem[] {
  if (isNodeIpCount(n)) return [];
  return [problem(path, NetCode.NODE_IP_COUNT, { value: n, allowed: NODE_IP_COUNTS.map(String) })];
}
