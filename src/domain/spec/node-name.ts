// M51 custom node names: prefix + the last N digits of the node IP (each octet zero-padded to
// three digits) + suffix. The seed's example: prefix aliyun.com, N=5, suffix test → aliyun.com00055test.
import { ipDigits12 } from '../net/ipv4.js';
import type { NodeNamePattern } from './types.js';

/** One or more dot-separated parts of lowercase letters, digits and hyphens, alphanumeric at both ends. */
export const NODE_NAME_PART = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

export function nodeName(pattern: NodeNamePattern, ip: string): string | null {
  const digits = ipDigits12(ip);
  if (digits === null) return null;
  return `${pattern.prefix}${digits.slice(digits.length - pattern.ipDigits)}${pattern.suffix}`;
}
