// Messages for SPEC_* codes: the shape of a cluster spec and every rule of the seed's wizard,
// in English and Chinese, rendered from the same parameters.
import type { MessageCatalogue } from './types.js';

export const specMessages: MessageCatalogue = {
  // Shape
  SPEC_REQUIRED: { en: 'This field is required.', zh: '此项为必填项。' },
  SPEC_TYPE: { en: 'Expected a value of type {expected}.', zh: '取值类型应为 {expected}。' },
  SPEC_UNKNOWN_FIELD: { en: 'Unknown field "{field}".', zh: '未知字段“{field}”。' },
  SPEC_TOO_LONG: { en: 'At most {max} characters.', zh: '最多 {max} 个字符。' },
  SPEC_TOO_MANY: { en: 'At most {max} items ({count} given).', zh: '最多 {max} 项（当前 {count} 项）。' },
  SPEC_OUT_OF_RANGE: {
    en: 'Must be between {min} and {max} (got {value}).',
    zh: '取值范围为 {min}～{max}（当前为 {value}）。',
  },
  SPEC_ENUM: { en: '"{value}" is not one of: {allowed}.', zh: '“{value}”不是可选值之一：{allowed}。' },
  SPEC_NOT_APPLICABLE: {
    en: 'This field does not apply with the other choices made ({reason}); remove it.',
    zh: '该字段与其他已选配置不适用（{reason}），请删除。',
  },
  SPEC_DUPLICATE: { en: '"{value}" is listed more than once.', zh: '“{value}”重复出现。' },
  // Cluster (M15–M20, M32–M39)
  SPEC_NAME_LENGTH: {
    en: 'The cluster name must be {min}–{max} characters long (it has {length}).',
    zh: '集群名称应包含 {min}～{max} 个字符（当前 {length} 个）。',
  },
  SPEC_NAME_CHARS: {
    en: 'The cluster name may contain only digits, Chinese characters, English letters and hyphens (-); not allowed: {chars}.',
    zh: '集群名称只能包含数字、汉字、英文字符或连字符（-），不允许：{chars}。',
  },
  SPEC_NAME_LEADING_HYPHEN: {
    en: 'The cluster name must not start with a hyphen.',
    zh: '集群名称不能以连字符（-）开头。',
  },
  SPEC_REGION_UNKNOWN: {
    en: 'Unknown region "{value}". Regions: {allowed}.',
    zh: '未知地域“{value}”。可选地域：{allowed}。',
  },
  SPEC_RESOURCE_GROUP_UNKNOWN: {
    en: 'Resource group "{value}" does not exist in this account.',
    zh: '当前账号下不存在资源组“{value}”。',
  },
  SPEC_VERSION_UNSUPPORTED: {
    en: 'Kubernetes version "{value}" cannot be created. Supported: {allowed}.',
    zh: '不支持创建 Kubernetes 版本“{value}”。支持的版本：{allowed}。',
  },
  SPEC_RUNTIME_UNSUPPORTED: {
    en: 'Container runtime {runtime} is not available with Kubernetes {version}; choose one of: {allowed}.',
    zh: 'Kubernetes {version} 不支持容器运行时 {runtime}，请选择：{allowed}。',
  },
  SPEC_TIME_ZONE_INVALID: { en: '"{value}" is not a known time zone.', zh: '“{value}”不是有效的时区。' },
  SPEC_TAG_KEY_REQUIRED: { en: 'A tag key is required.', zh: '标签键为必填项。' },
  SPEC_TAG_KEY_TOO_LONG: { en: 'A tag key has at most {max} characters.', zh: '标签键最多 {max} 个字符。' },
  SPEC_TAG_KEY_RESERVED: {
    en: 'A tag key must not start with "{prefix}" (case-insensitive).',
    zh: '标签键不能以“{prefix}”开头（不区分大小写）。',
  },
  SPEC_TAG_VALUE_TOO_LONG: {
    en: 'A tag value has at most {max} characters.',
    zh: '标签值最多 {max} 个字符。',
  },
  SPEC_TAG_VALUE_RESERVED: {
    en: 'A tag value must not start with "{prefix}" (case-insensitive).',
    zh: '标签值不能以“{prefix}”开头（不区分大小写）。',
  },
  SPEC_TAG_KEY_REPEATED: {
    en: 'Tag key "{key}" repeats tag number {first}; the later value overwrites the earlier one.',
    zh: '标签键“{key}”与第 {first} 个标签重复，后者的值将覆盖前者。',
  },
  SPEC_TAGS_TOO_MANY: {
    en: 'At most {max} tags per resource ({count} given).',
    zh: '每个资源最多绑定 {max} 个标签（当前 {count} 个）。',
  },
  SPEC_CLUSTER_DOMAIN_INVALID: {
    en: 'The cluster local domain must have two dot-separated parts, each 1–63 letters or digits (e.g. cluster.local); got "{value}".',
    zh: '集群本地域名由两段组成，每段 1～63 个字符，只能使用大小写字母和数字（如 cluster.local）；当前为“{value}”。',
  },
  SPEC_SAN_INVALID: {
    en: '"{value}" is neither an IP address nor a DNS name.',
    zh: '“{value}”既不是 IP 地址也不是域名。',
  },
  SPEC_SAN_REPEATED: { en: 'SAN "{value}" is listed more than once.', zh: 'SAN“{value}”重复出现。' },
  SPEC_SA_ISSUER_INVALID: {
    en: 'The service account issuer must be an https:// URL; got "{value}".',
    zh: '服务账户令牌签发者（issuer）必须是 https:// 开头的 URL；当前为“{value}”。',
  },
  SPEC_SA_AUDIENCES_REQUIRED: {
    en: 'Service account token volume projection needs at least one audience.',
    zh: '服务账户令牌卷投影至少需要一个 audience。',
  },
  SPEC_SA_AUDIENCE_INVALID: {
    en: 'An audience must be non-empty and contain no spaces or commas; got "{value}".',
    zh: 'audience 不能为空，且不能包含空格或逗号；当前为“{value}”。',
  },
  SPEC_KMS_REQUIRES_PRO: {
    en: 'Encrypting Secrets at rest with a KMS key needs the Pro cluster spec.',
    zh: '使用 KMS 密钥进行 Secret 落盘加密需要选择 Pro 版集群。',
  },
  SPEC_KMS_KEY_UNKNOWN: { en: 'KMS key "{value}" was not found.', zh: '未找到 KMS 密钥“{value}”。' },
  // Network (M21–M31)
  SPEC_VPC_OTHER_REGION: {
    en: "VPC {value} is in region {region}, not in the cluster's region.",
    zh: '专有网络 {value} 位于地域 {region}，与集群地域不一致。',
  },
  SPEC_VPC_KIND_MISMATCH: {
    en: 'VPC was given as a {value} VPC but it is a {actual} VPC.',
    zh: '所选专有网络的类型为 {actual}，而非 {value}。',
  },
  SPEC_SHARED_VPC_REQUIRES_TERWAY: {
    en: 'A shared VPC supports only the Terway network plugin.',
    zh: '选择共享 VPC 时，网络插件仅支持 Terway。',
  },
  SPEC_VSWITCHES_REQUIRED: {
    en: 'Choose {min}–{max} vSwitches, one per zone.',
    zh: '请按可用区选择 {min}～{max} 个虚拟交换机。',
  },
  SPEC_VSWITCH_NEEDS_EXISTING_VPC: {
    en: 'An existing vSwitch cannot be used with a new VPC; create the vSwitch in the new VPC instead.',
    zh: '新建专有网络时不能选择已有虚拟交换机，请在新专有网络中创建虚拟交换机。',
  },
  SPEC_VSWITCH_UNKNOWN: {
    en: 'vSwitch {value} does not exist in VPC {vpcId}.',
    zh: '专有网络 {vpcId} 中不存在虚拟交换机 {value}。',
  },
  SPEC_ZONE_UNKNOWN: {
    en: 'Zone "{value}" is not in the cluster\'s region. Zones: {allowed}.',
    zh: '可用区“{value}”不属于集群所在地域。可选可用区：{allowed}。',
  },
  SPEC_VSWITCH_ZONE_REPEATED: {
    en: 'vSwitches must be in different zones; zone {zone} is already used by vSwitch {first}.',
    zh: '虚拟交换机需位于不同可用区；可用区 {zone} 已被第 {first} 个虚拟交换机使用。',
  },
  SPEC_EXCLUSIVE_ENI_NOT_ALLOWED: {
    en: '"Pod gets an exclusive ENI" is available to allow-listed accounts only; submit a ticket to apply.',
    zh: '“Pod 独占弹性网卡”目前仅对白名单用户开放，请提交工单申请。',
  },
  SPEC_SNAT_OFF_NO_INTERNET: {
    en: 'Without SNAT this VPC has no route to the internet: configure a NAT gateway or SNAT yourself, or the nodes cannot reach the internet and cluster creation will fail.',
    zh: '未配置 SNAT 且该专有网络无公网出口：请自行配置 NAT 网关或 SNAT，否则 VPC 内实例无法访问公网，集群创建将失败。',
  },
  SPEC_SSH_NEEDS_PUBLIC_ACCESS: {
    en: 'Public SSH access needs the API server to be exposed through an EIP.',
    zh: '开放公网 SSH 登录需要同时开启“使用 EIP 暴露 API Server”。',
  },
  SPEC_API_SERVER_PRIVATE_ONLY: {
    en: 'The API server will be reachable only from inside the VPC; deleting its SLB makes the API server unreachable.',
    zh: 'API Server 仅能在 VPC 内部访问；删除默认创建的 SLB 实例将导致无法访问 API Server。',
  },
  SPEC_RDS_ID_INVALID: {
    en: '"{value}" is not an RDS instance id (rm-…).',
    zh: '“{value}”不是有效的 RDS 实例 ID（rm-…）。',
  },
  SPEC_RDS_UNKNOWN: { en: 'RDS instance {value} was not found.', zh: '未找到 RDS 实例 {value}。' },
  SPEC_RDS_OTHER_REGION: {
    en: "RDS instance {value} is in region {region}, not in the cluster's region.",
    zh: 'RDS 实例 {value} 位于地域 {region}，与集群地域不一致。',
  },
  SPEC_SECURITY_GROUP_NEEDS_EXISTING_VPC: {
    en: 'An existing security group cannot be used with a new VPC.',
    zh: '新建专有网络时不能选择已有安全组。',
  },
  SPEC_SECURITY_GROUP_UNKNOWN: {
    en: 'Security group {value} does not exist in VPC {vpcId}.',
    zh: '专有网络 {vpcId} 中不存在安全组 {value}。',
  },
  // Workers (M40–M53)
  SPEC_INSTANCES_REQUIRED: { en: 'Choose at least one existing instance.', zh: '请至少选择一个已有实例。' },
  SPEC_INSTANCE_ID_INVALID: {
    en: '"{value}" is not an ECS instance id (i-…).',
    zh: '“{value}”不是有效的 ECS 实例 ID（i-…）。',
  },
  SPEC_INSTANCE_UNKNOWN: {
    en: 'Instance {value} was not found in this account.',
    zh: '当前账号下未找到实例 {value}。',
  },
  SPEC_INSTANCE_OTHER_REGION: {
    en: "Instance {value} is in region {region}; existing instances must already be in the cluster's region.",
    zh: '实例 {value} 位于地域 {region}；已有实例必须位于集群所在地域。',
  },
  SPEC_INSTANCE_IN_CLUSTER: {
    en: 'Instance {value} already belongs to cluster {clusterId}.',
    zh: '实例 {value} 已属于集群 {clusterId}。',
  },
  SPEC_INSTANCE_OTHER_VPC: {
    en: "Instance {value} is in VPC {vpcId}, not in the cluster's VPC.",
    zh: '实例 {value} 位于专有网络 {vpcId}，与集群专有网络不一致。',
  },
  SPEC_INSTANCES_NEED_EXISTING_VPC: {
    en: 'Existing instances live in an existing VPC: choose that VPC instead of creating one.',
    zh: '已有实例位于已有专有网络中，请选择该专有网络而非新建。',
  },
  SPEC_SUBSCRIPTION_PERIOD: {
    en: 'A subscription lasts 1, 2, 3 or 6 months, or 1–5 years; {value} {unit} is not offered (allowed: {allowed}).',
    zh: '包年包月购买时长支持 1、2、3、6 个月或 1～5 年；不支持 {value} {unit}（可选：{allowed}）。',
  },
  SPEC_INSTANCE_TYPES_REQUIRED: { en: 'Choose at least one instance type.', zh: '请至少选择一个实例规格。' },
  SPEC_INSTANCE_TYPE_UNKNOWN: {
    en: 'Instance type "{value}" is not a heterogeneous-computing (GPU/FPGA) type offered here.',
    zh: '实例规格“{value}”不是可选的异构计算（GPU/FPGA）规格。',
  },
  SPEC_INSTANCE_TYPE_TOO_SMALL: {
    en: 'Instance type {value} ({vcpu} vCPU, {memoryGiB} GiB) is too small: workers need at least {minVcpu} vCPU and {minMemoryGiB} GiB.',
    zh: '实例规格 {value}（{vcpu} vCPU，{memoryGiB} GiB）过小：Worker 节点至少需要 {minVcpu} vCPU、{minMemoryGiB} GiB 内存。',
  },
  SPEC_NO_STOCK: {
    en: 'None of {types} is in stock in zones {zones}. Choose vSwitches in other zones (in stock: {suggestedZones}) or other types.',
    zh: '可用区 {zones} 中 {types} 均无库存。请在集群配置中选择其他可用区的虚拟交换机（有库存：{suggestedZones}）或其他规格。',
  },
  SPEC_DISK_SIZE: {
    en: 'Disk size must be {min}–{max} GiB (got {value}).',
    zh: '云盘容量应为 {min}～{max} GiB（当前 {value}）。',
  },
  SPEC_DISK_LEVEL_NOT_ESSD: {
    en: 'Only ESSD disks have a performance level; {category} has none.',
    zh: '只有 ESSD 云盘支持性能级别，{category} 云盘不支持。',
  },
  SPEC_DISK_LEVEL_SIZE: {
    en: 'ESSD {level} needs at least {minGiB} GiB (the disk has {value} GiB).',
    zh: 'ESSD {level} 需要至少 {minGiB} GiB 容量（当前 {value} GiB）。',
  },
  SPEC_OS_CENTOS_8_UNSUPPORTED: {
    en: '"{value}": CentOS 8.x and later are not supported. Choose one of: {allowed}.',
    zh: '“{value}”：暂不支持 CentOS 8.x 及以上的操作系统。请选择：{allowed}。',
  },
  SPEC_HARDENING_NEEDS_ALINUX: {
    en: 'Security hardening ({hardening}) is available only on Alibaba Cloud Linux 2.x.',
    zh: '安全加固（{hardening}）仅支持 Alibaba Cloud Linux 2.x 操作系统。',
  },
  SPEC_MLPS_ROOT_PASSWORD: {
    en: 'MLPS level-3 hardening forbids root login over SSH, so a root password cannot be used to log in; choose a key pair.',
    zh: '等保加固会禁止 Root 用户通过 SSH 远程登录，无法使用 Root 密码登录，请选择密钥对登录方式。',
  },
  SPEC_LOGIN_EXCLUSIVE: {
    en: 'Log in with either a key pair or a password, not both.',
    zh: '登录方式只能选择密钥对或密码其中之一。',
  },
  SPEC_KEY_PAIR_NAME_INVALID: {
    en: 'Key pair name "{value}" must be 2–128 characters, start with a letter or Chinese character, and use letters, digits, ".", "_", ":" or "-".',
    zh: '密钥对名称“{value}”应为 2～128 个字符，以字母或汉字开头，可包含字母、数字、“.”、“_”、“:”或“-”。',
  },
  SPEC_KEY_PAIR_UNKNOWN: {
    en: 'Key pair "{value}" does not exist in this region.',
    zh: '当前地域不存在密钥对“{value}”。',
  },
  SPEC_KEY_PAIR_EXISTS: {
    en: 'A key pair named "{value}" already exists; choose it or another name.',
    zh: '密钥对“{value}”已存在，请直接选择该密钥对或使用其他名称。',
  },
  SPEC_PASSWORD_LENGTH: {
    en: 'The password must be {min}–{max} characters long.',
    zh: '密码长度应为 {min}～{max} 个字符。',
  },
  SPEC_PASSWORD_CHARS: {
    en: "The password contains {count} kind(s) of character that are not allowed; use letters, digits and ()`~!@#$%^&*-_+=|{}[]:;'<>,.?/ only.",
    zh: "密码包含 {count} 种不允许的字符；只能使用字母、数字和 ()`~!@#$%^&*-_+=|{}[]:;'<>,.?/。",
  },
  SPEC_PASSWORD_WEAK: {
    en: 'The password must use at least {required} of: uppercase letters, lowercase letters, digits, special characters (it uses {classes}).',
    zh: '密码需同时包含大写字母、小写字母、数字、特殊字符中的至少 {required} 类（当前 {classes} 类）。',
  },
  SPEC_PASSWORD_MISMATCH: { en: 'The two passwords do not match.', zh: '两次输入的密码不一致。' },
  SPEC_USER_DATA_TOO_LARGE: {
    en: 'Instance user data is limited to {max} bytes (got {value}).',
    zh: '实例自定义数据不能超过 {max} 字节（当前 {value} 字节）。',
  },
  SPEC_CUSTOM_IMAGE_NOT_ALLOWED: {
    en: 'Custom images are available to allow-listed accounts only; submit a ticket to apply.',
    zh: '自定义镜像目前仅对白名单用户开放，请提交工单申请。',
  },
  SPEC_CUSTOM_IMAGE_UNKNOWN: { en: 'Image {value} was not found.', zh: '未找到镜像 {value}。' },
  SPEC_CUSTOM_IMAGE_OS: {
    en: 'Image {value} is based on {os}; custom images must be based on CentOS 7.x or Alibaba Cloud Linux 2.x.',
    zh: '镜像 {value} 基于 {os}；自定义镜像目前仅支持 CentOS 7.x 和 Alibaba Cloud Linux 2.x。',
  },
  SPEC_NODE_NAME_PART: {
    en: 'The node name {part} "{value}" must be dot-separated parts of lowercase letters, digits and hyphens, each starting and ending with a letter or digit.',
    zh: '节点名称{part}“{value}”应由“.”分隔的一个或多个部分构成，每部分可使用小写字母、数字和短划线（-），且首尾必须为小写字母或数字。',
  },
  SPEC_NODE_NAME_TOO_LONG: {
    en: 'Node names would be {value} characters long; at most {max}.',
    zh: '节点名称长度将为 {value} 个字符，最多 {max} 个。',
  },
  SPEC_NODE_NAME_LABEL_TOO_LONG: {
    en: 'The part of the node name around the IP digits would be {value} characters; a name part has at most {max}.',
    zh: '节点名称中 IP 地址段所在的部分将为 {value} 个字符，每部分最多 {max} 个字符。',
  },
  SPEC_PROTECTION_BY_TERM: {
    en: 'Subscription instances cannot have deletion protection; their term protects them from release instead.',
    zh: '包年包月实例不能开启释放保护；在到期前它们本就无法释放。',
  },
  SPEC_NODE_NAME_MAY_COLLIDE: {
    en: 'With {value} IP digits, two nodes of these vSwitches may get the same name; use more digits.',
    zh: 'IP 地址段长度为 {value} 时，这些交换机中的节点可能得到相同名称，请增加长度。',
  },
  SPEC_TAINT_KEY_INVALID: {
    en: 'Taint key "{value}" must be a name of at most 63 letters, digits, "-", "_" or ".", optionally prefixed by a DNS subdomain and "/".',
    zh: '污点键“{value}”应为不超过 63 个字符的名称（字母、数字、“-”、“_”、“.”），可带 DNS 子域名前缀和“/”。',
  },
  SPEC_TAINT_VALUE_INVALID: {
    en: 'Taint value "{value}" must be at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit.',
    zh: '污点值“{value}”最多 63 个字符（字母、数字、“-”、“_”、“.”），且首尾必须为字母或数字。',
  },
  SPEC_TAINT_REPEATED: {
    en: 'Taint {key} with effect {effect} is listed more than once.',
    zh: '键为 {key}、效果为 {effect} 的污点重复。',
  },
  // Components (M54–M60)
  SPEC_INGRESS_DASHBOARD_NEEDS_INGRESS: {
    en: 'The Ingress dashboard needs the Ingress component.',
    zh: '创建 Ingress Dashboard 需要安装 Ingress 组件。',
  },
  SPEC_INGRESS_DASHBOARD_NEEDS_LOG_SERVICE: {
    en: 'The Ingress dashboard needs the log service component; enable it too.',
    zh: '创建 Ingress Dashboard 需要同步安装日志服务组件。',
  },
  SPEC_NPD_NEEDS_LOG_SERVICE: {
    en: 'node-problem-detector and its event centre need the log service.',
    zh: '安装 node-problem-detector 并创建事件中心需要启用日志服务。',
  },
  SPEC_LOG_PROJECT_INVALID: {
    en: 'Log project "{value}" must be 3–63 lowercase letters, digits and hyphens, starting and ending with a letter or digit.',
    zh: '日志 Project“{value}”应为 3～63 个小写字母、数字或短划线，且首尾为小写字母或数字。',
  },
  SPEC_LOG_PROJECT_UNKNOWN: {
    en: 'Log project "{value}" was not found.',
    zh: '未找到日志 Project“{value}”。',
  },
  SPEC_CONTROL_PLANE_LOGS_NEED_LOG_SERVICE: {
    en: 'Control-plane logs are collected into the log service; enable it too.',
    zh: '控制平面组件日志将收集到日志服务中，请同时启用日志服务。',
  },
  SPEC_CONTROL_PLANE_LOGS_COMPONENTS: {
    en: 'Choose at least one control-plane component whose logs to collect.',
    zh: '请至少选择一个需要收集日志的控制平面组件。',
  },
  SPEC_WORKFLOW_ENGINE_NOT_ALLOWED: {
    en: 'The workflow engine (AGS) is available to allow-listed accounts only.',
    zh: '工作流引擎（AGS）目前仅对白名单用户开放。',
  },
};
