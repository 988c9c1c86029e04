// Network planning for clusters (M21–M27): IPv4/CIDR values, CIDR rules, capacity and recommendation.
// Pure domain code: imports only from src/domain (problems), never node: modules or the clock.
export {
  cidrContains,
  cidrLast,
  cidrSize,
  cidrsOverlap,
  formatCidr,
  formatIpv4,
  ipDigits12,
  ipInCidr,
  isCanonicalCidr,
  isPrivateCidr,
  nthAddress,
  parseCidr,
  parseIpv4,
  prefixMask,
  PRIVATE_BLOCKS,
  type Cidr,
} from './ipv4.js';
export {
  checkNodeIpCount,
  checkPodCidr,
  checkServiceCidr,
  checkVpcCidr,
  checkVswitchCidr,
  DEFAULT_NODE_IP_COUNT,
  isNodeIpCount,
  MIN_POD_CIDR_NODES,
  NET_CODES,
  NetCode,
  NODE_IP_COUNTS,
  PREFIX_RANGES,
  type NodeIpCount,
  type TakenCidr,
} from './rules.js';
export {
  flannelCapacity,
  nodePodCidr,
  serviceCapacity,
  terwayPodsPerNode,
  type EniLimits,
  type FlannelCapacity,
} from './capacity.js';
export {
  recommendNetwork,
  type NetworkRecommendation,
  type NetworkRecommendationInput,
} from './recommend.js';
