// Messages for the limits area: balance and real-name checks (M10), quotas and quota-increase
// requests (M13). Every code src/domain/limits emits has an English and a Chinese template here.
import type { MessageCatalogue } from './types.js';

export const limitsMessages: MessageCatalogue = {
  BALANCE_INSUFFICIENT: {
    en: 'The account balance is {balance} CNY; creating pay-as-you-go instances or load balancers needs at least {required} CNY. Top up the account and try again.',
    zh: '账户余额为 {balance} 元，创建按量付费的实例或负载均衡至少需要 {required} 元。请充值后重试。',
  },
  ACCOUNT_NOT_REAL_NAME_VERIFIED: {
    en: 'The account has not completed real-name verification, which is required to create pay-as-you-go instances or load balancers. Complete it first, then try again.',
    zh: '该账号尚未完成实名认证，无法创建按量付费的实例或负载均衡。请先完成实名认证后重试。',
  },
  QUOTA_EXCEEDED: {
    en: 'Quota {quota} would be exceeded: the limit is {limit}, {used} already in use and {requested} more requested. Request less, or request a quota increase.',
    zh: '将超出配额 {quota}：上限为 {limit}，已使用 {used}，本次还需 {requested}。请减少用量，或申请提高配额。',
  },
  QUOTA_ROUTE_ENTRIES_FLANNEL: {
    en: 'The VPC route table allows {limit} route entries, {used} are already in use and this Flannel cluster needs {requested} more. Each Flannel node needs its own VPC route entry, so the cluster can have at most {maxNodes} nodes. Use Terway, which is not bound by the route-entry quota, or request a route-entry quota increase.',
    zh: 'VPC 路由表最多可容纳 {limit} 条路由条目，已使用 {used} 条，而此 Flannel 集群还需要 {requested} 条。每个 Flannel 节点都需要一条 VPC 路由条目，因此集群最多只能有 {maxNodes} 个节点。可改用不受路由条目配额限制的 Terway，或申请提高路由条目配额。',
  },
  QUOTA_INCREASE_NOT_AN_INCREASE: {
    en: 'Quota {quota} is already {current}; a quota increase must ask for a whole number above it (asked: {requested}).',
    zh: '配额 {quota} 当前已为 {current}；提额申请必须填写大于该值的整数（当前填写：{requested}）。',
  },
  QUOTA_INCREASE_REASON_REQUIRED: {
    en: 'Say why quota {quota} needs to be raised; the operator reviewing the request needs a reason.',
    zh: '请说明需要提高配额 {quota} 的原因，审批人需要据此审核申请。',
  },
  QUOTA_INCREASE_NOT_PENDING: {
    en: 'Quota increase request {id} has already been decided ({state}); only a pending request can be approved or rejected.',
    zh: '提额申请 {id} 已处理（状态：{state}）；只有待审批的申请才能批准或拒绝。',
  },
};
