// Messages for the net area: CIDR form, privacy, prefix range, containment and overlap, pod CIDR
// room and the Flannel node IP count (codes emitted by src/domain/net/rules.ts).
import type { MessageCatalogue } from './types.js';

export const netMessages: MessageCatalogue = {
  NET_CIDR_INVALID: {
    en: '"{value}" is not a CIDR block; write it as a.b.c.d/n, for example 192.168.0.0/16.',
    zh: '“{value}”不是有效的网段，请按 a.b.c.d/n 的格式填写，例如 192.168.0.0/16。',
  },
  NET_CIDR_NOT_CANONICAL: {
    en: '{value} has host bits set; the block starts at {canonical}.',
    zh: '网段 {value} 的主机位不为零，该网段应写作 {canonical}。',
  },
  NET_CIDR_NOT_PRIVATE: {
    en: '{value} is not a private block; use one inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.',
    zh: '网段 {value} 不是私网网段，请使用 10.0.0.0/8、172.16.0.0/12 或 192.168.0.0/16 内的网段。',
  },
  NET_CIDR_PREFIX_RANGE: {
    en: 'The prefix length of {value} is /{prefix}; it must be between /{min} and /{max}.',
    zh: '网段 {value} 的掩码长度为 /{prefix}，必须在 /{min} 到 /{max} 之间。',
  },
  NET_CIDR_OUTSIDE_VPC: {
    en: '{value} is not inside the VPC block {vpc}.',
    zh: '网段 {value} 不在专有网络网段 {vpc} 内。',
  },
  NET_CIDR_OVERLAP: {
    en: '{value} overlaps {other} ({otherLabel}).',
    zh: '网段 {value} 与 {otherLabel} 的网段 {other} 重叠。',
  },
  NET_POD_CIDR_TOO_SMALL: {
    en: 'Pod CIDR {value} holds only {nodes} nodes at this node IP count; it must hold at least {minNodes}.',
    zh: '按当前的节点IP数量，Pod网络CIDR {value} 只能容纳 {nodes} 个节点，至少需要容纳 {minNodes} 个。',
  },
  NET_NODE_IP_COUNT: {
    en: 'Node IP count {value} is not offered; choose one of {allowed}.',
    zh: '不支持节点IP数量 {value}，请从 {allowed} 中选择。',
  },
};
