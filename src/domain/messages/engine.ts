// Messages of the provisioning engine (ENGINE_*): why a step or a cluster operation failed, and
// what to do about it, in both languages.
import type { MessageCatalogue } from './types.js';

export const engineMessages: MessageCatalogue = {
  ENGINE_RESOURCE_VANISHED: {
    en: 'Step {step}: resource {id} was deleted outside Kuberack while the cluster was being built.',
    zh: '步骤 {step}：资源 {id} 在集群创建过程中被 Kuberack 之外的操作删除。',
  },
  ENGINE_NAME_TAKEN: {
    en: 'Step {step}: the name {name} is already used by a resource that does not belong to this cluster.',
    zh: '步骤 {step}：名称 {name} 已被不属于本集群的资源占用。',
  },
  ENGINE_STEP_FAILED: {
    en: 'Step {step} failed: {cloudCode}: {cloudMessage}',
    zh: '步骤 {step} 失败：{cloudCode}：{cloudMessage}',
  },
  ENGINE_STEP_CRASHED: {
    en: 'Step {step} failed because of an error in Kuberack: {message}',
    zh: '步骤 {step} 因 Kuberack 内部错误失败：{message}',
  },
  ENGINE_RETRIES_EXHAUSTED: {
    en: 'Step {step} still failed after {attempts} attempts: {cloudCode}: {cloudMessage}',
    zh: '步骤 {step} 重试 {attempts} 次后仍失败：{cloudCode}：{cloudMessage}',
  },
  ENGINE_NO_STOCK: {
    en: 'Step {step}: none of the instance types {instanceTypes} is in stock in zone {zoneId}; choose other types or a vSwitch in another zone.',
    zh: '步骤 {step}：可用区 {zoneId} 中实例规格 {instanceTypes} 均无库存；请更换规格或选择其他可用区的交换机。',
  },
  ENGINE_ADOPT_NOT_FOUND: {
    en: 'Step {step}: instance {instanceId} does not exist in region {regionId}.',
    zh: '步骤 {step}：实例 {instanceId} 不在地域 {regionId} 中。',
  },
  ENGINE_ADOPT_IN_USE: {
    en: 'Step {step}: instance {instanceId} already belongs to cluster {otherCluster}.',
    zh: '步骤 {step}：实例 {instanceId} 已属于集群 {otherCluster}。',
  },
  ENGINE_NO_IMAGE: {
    en: 'Step {step}: region {regionId} has no image for operating system {os}.',
    zh: '步骤 {step}：地域 {regionId} 没有操作系统 {os} 的镜像。',
  },
  ENGINE_POD_CIDR_FULL: {
    en: 'Step {step}: the Pod CIDR {podCidr} has no block of {nodeIpCount} addresses left for node {index}.',
    zh: '步骤 {step}：Pod 网段 {podCidr} 已无法为第 {index} 个节点分配 {nodeIpCount} 个地址。',
  },
  ENGINE_NAT_NO_EIP: {
    en: "Step {step}: the NAT gateway {natGatewayId} has no EIP to translate the nodes' traffic to; bind an EIP to it or let Kuberack create a NAT gateway.",
    zh: '步骤 {step}：NAT 网关 {natGatewayId} 未绑定 EIP，无法为节点做源地址转换；请为其绑定 EIP，或由 Kuberack 新建 NAT 网关。',
  },
  ENGINE_USER_DATA_TOO_LARGE: {
    en: "Step {step}: the worker's user data would be {bytes} bytes, over the cloud's limit of {limit} bytes (your own user data is {userDataBytes} bytes); shorten it or the taints.",
    zh: '步骤 {step}：工作节点的实例自定义数据将达 {bytes} 字节，超过云上限 {limit} 字节（其中您的自定义数据为 {userDataBytes} 字节）；请缩短自定义数据或减少污点。',
  },
  ENGINE_USER_DATA_DOES_NOT_FIT: {
    en: "With Kuberack's GPU bootstrap, a worker's user data would be {bytes} bytes, over the cloud's limit of {limit} bytes; shorten your user data (now {userDataBytes} bytes) or the taints.",
    zh: '加上 Kuberack 的 GPU 节点初始化内容后，工作节点的实例自定义数据将达 {bytes} 字节，超过云上限 {limit} 字节；请缩短您的自定义数据（当前 {userDataBytes} 字节）或减少污点。',
  },
  ENGINE_SPEC_INVALID: {
    en: 'The cluster spec has {count} problem(s); nothing was created.',
    zh: '集群配置有 {count} 个问题；未创建任何资源。',
  },
  ENGINE_PREFLIGHT_REFUSED: {
    en: 'The account cannot hold this cluster ({count} problem(s): balance, real-name or quotas); nothing was created.',
    zh: '账号无法承载此集群（{count} 个问题：余额、实名认证或配额）；未创建任何资源。',
  },
  ENGINE_CLUSTER_NOT_FOUND: { en: 'There is no cluster {clusterId}.', zh: '集群 {clusterId} 不存在。' },
  ENGINE_DELETION_PROTECTED: {
    en: 'Cluster {clusterId} has deletion protection on; turn it off before deleting.',
    zh: '集群 {clusterId} 已开启删除保护；请先关闭再删除。',
  },
  ENGINE_CLUSTER_BUSY: {
    en: 'Cluster {clusterId} is {state}; try again when that operation has finished.',
    zh: '集群 {clusterId} 当前状态为 {state}；请在该操作完成后重试。',
  },
  NODE_POOL_NAME: {
    en: 'A node pool name is 2 to 32 lower-case letters, digits and hyphens, starting with a letter; got {value}.',
    zh: '节点池名称须为 2 至 32 个小写字母、数字或连字符，且以字母开头；当前为 {value}。',
  },
  NODE_POOL_NAME_TAKEN: {
    en: 'The cluster already has a node pool named {name}.',
    zh: '集群中已有名为 {name} 的节点池。',
  },
  NODE_POOL_INSTANCE_TYPE: {
    en: '{value} is not an instance type Kuberack offers for worker nodes (at least 4 vCPU and 8 GiB).',
    zh: '{value} 不是可用于工作节点的实例规格（至少 4 vCPU、8 GiB）。',
  },
  NODE_POOL_NEEDS_NEW_WORKERS: {
    en: 'Node pools copy the cluster’s own new workers; this cluster was built from existing instances only.',
    zh: '节点池沿用集群新建工作节点的配置；此集群仅由已有实例组成。',
  },
  ENGINE_NODE_POOL_INVALID: {
    en: 'The node pool has {count} problem(s); nothing was created.',
    zh: '节点池配置有 {count} 个问题；未创建任何资源。',
  },
  ENGINE_SUBSCRIPTION_NODES: {
    en: 'Cluster {clusterId} has subscription nodes ({instanceIds}) whose term runs until {until}; they cannot be released before then, so nothing was deleted.',
    zh: '集群 {clusterId} 中的包年包月节点（{instanceIds}）在 {until} 前不能释放，因此未删除任何资源。',
  },
};
