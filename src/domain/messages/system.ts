// Messages for errors raised by the layers themselves (PLAN_, KUBE_) rather than by a user's
// field: programming or configuration errors, still rendered in both languages.
import type { MessageCatalogue } from './types.js';

export const systemMessages: MessageCatalogue = {
  PLAN_VPC_FACTS_REQUIRED: {
    en: 'Planning a cluster in existing VPC {vpcId} needs that VPC’s facts (CIDR, route table, NAT gateway).',
    zh: '在已有专有网络 {vpcId} 中规划集群需要该专有网络的信息（网段、路由表、NAT 网关）。',
  },
  KUBE_INVALID_INPUT: {
    en: 'Invalid input for a Kubernetes artefact: {field} ({reason}).',
    zh: 'Kubernetes 制品的输入无效：{field}（{reason}）。',
  },
};
