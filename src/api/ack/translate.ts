// ACK's CreateCluster body (snake_case, deprecated worker_* fields or the v7 `nodepools`) translated
// into Kuberack's ClusterSpec input, field by field; the one validator then judges the result, so the
// facade never has rules of its own (architecture decision 1).

type Obj = Record<string, unknown>;

const DISKS: Readonly<Record<string, string>> = {
  cloud_essd: 'essd',
  cloud_ssd: 'ssd',
  cloud_efficiency: 'ultra',
};
const IMAGES: Readonly<Record<string, string>> = { AliyunLinux: 'aliyun-linux-2', CentOS: 'centos-7' };

function obj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}
function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
/** Copies `value` to `key` unless it is absent, so the spec's defaults apply to what ACK left out. */
function put(target: Obj, key: string, value: unknown): void {
  if (value !== undefined && value !== null && value !== '') target[key] = value;
}
function disk(category: unknown, size: unknown, level: unknown): Obj {
  const d: Obj = {};
  put(d, 'category', typeof category === 'string' ? (DISKS[category] ?? category) : undefined);
  put(d, 'sizeGiB', size === undefined || size === null || size === '' ? undefined : Number(size));
  put(d, 'performanceLevel', level);
  return d;
}

/** The spec input for an ACK CreateCluster body (or a node pool's scaling group). */
export function ackCreateToSpec(body: unknown): Obj {
  const b = obj(body);
  const pool = obj(list(b.nodepools)[0]);
  const sg = obj(pool.scaling_group);
  const kc = obj(pool.kubernetes_config);
  const spec: Obj = {};
  put(spec, 'name', b.name);
  put(spec, 'regionId', b.region_id);
  put(
    spec,
    'edition',
    typeof b.cluster_spec === 'string' && b.cluster_spec.startsWith('ack.pro') ? 'pro' : undefined,
  );
  put(spec, 'kubernetesVersion', b.kubernetes_version);
  put(spec, 'deletionProtection', b.deletion_protection);
  put(spec, 'disableRollback', b.disable_rollback);
  put(spec, 'timeZone', b.timezone);
  put(spec, 'kubeProxyMode', b.proxy_mode);
  put(spec, 'clusterDomain', b.cluster_domain);
  put(spec, 'resourceGroupId', b.resource_group_id);
  put(
    spec,
    'tags',
    Array.isArray(b.tags) ? b.tags.map((t) => ({ key: obj(t).key, value: obj(t).value ?? '' })) : undefined,
  );
  put(
    spec,
    'certSans',
    Array.isArray(b.extra_sans)
      ? b.extra_sans
      : typeof b.custom_san === 'string'
        ? b.custom_san.split(',')
        : undefined,
  );
  if (b.service_account_issuer !== undefined || b.api_audiences !== undefined)
    spec.serviceAccountTokenProjection = {
      enabled: true,
      issuer: b.service_account_issuer,
      audiences: typeof b.api_audiences === 'string' ? b.api_audiences.split(',') : b.api_audiences,
    };
  if (typeof b.encryption_provider_key === 'string' && b.encryption_provider_key !== '')
    spec.secretEncryption = { kmsKeyId: b.encryption_provider_key };
  const runtime = obj(b.runtime ?? { name: kc.runtime });
  put(spec, 'runtime', runtime.name === 'Sandboxed-Container.runv' ? 'sandboxed' : runtime.name);

  // Network (M12, M21–M31).
  const net: Obj = {};
  const vswitchIds = list(b.vswitch_ids).length > 0 ? list(b.vswitch_ids) : list(sg.vswitch_ids);
  if (typeof b.vpcid === 'string' && b.vpcid !== '') {
    net.vpc = { mode: 'existing', vpcId: b.vpcid, kind: 'normal' };
    net.vswitches = vswitchIds.map((id) => ({ mode: 'existing', vswitchId: id }));
  } else {
    net.vpc = { mode: 'create', cidr: '192.168.0.0/16' };
    net.vswitches = list(b.zone_ids ?? (b.zone_id ? [b.zone_id] : [])).map((z, i) => ({
      mode: 'create',
      zoneId: z,
      cidr: `192.168.${i}.0/24`,
    }));
  }
  const addons = list(b.addons).map(obj);
  const terway = addons.find((a) => typeof a.name === 'string' && a.name.startsWith('terway'));
  net.plugin = terway ? 'terway' : 'flannel';
  if (terway) net.terwayMode = terway.name === 'terway-eni' ? 'exclusive-eni' : 'shared-eni';
  put(net, 'podCidr', b.container_cidr);
  put(net, 'serviceCidr', b.service_cidr);
  if (b.node_cidr_mask !== undefined) net.nodeIpCount = 2 ** (32 - Number(b.node_cidr_mask));
  put(net, 'snat', b.snat_entry ?? b.nat_gateway);
  net.apiServer = {
    publicAccess: b.endpoint_public_access === true,
    ...(b.load_balancer_spec ? { slbSpec: b.load_balancer_spec } : {}),
  };
  if (typeof b.security_group_id === 'string' && b.security_group_id !== '')
    net.securityGroup = { mode: 'existing', securityGroupId: b.security_group_id };
  else if (b.is_enterprise_security_group !== undefined)
    net.securityGroup = {
      mode: 'create',
      type: b.is_enterprise_security_group === true ? 'enterprise' : 'normal',
    };
  put(net, 'rdsInstanceIds', b.rds_instances ?? sg.rds_instances);
  spec.network = net;

  // Workers (M40–M53), from the deprecated flat fields or the first node pool.
  const workers: Obj = {};
  if (list(b.instances).length > 0) workers.instances = { mode: 'existing', instanceIds: b.instances };
  else {
    const charge = b.worker_instance_charge_type ?? sg.instance_charge_type;
    const prepaid = charge === 'PrePaid';
    workers.instances = {
      mode: 'create',
      instanceTypes: b.worker_instance_types ?? sg.instance_types,
      count: b.num_of_nodes ?? sg.desired_size ?? pool.count,
      billing: prepaid
        ? {
            type: 'subscription',
            period: Number(b.worker_period ?? sg.period ?? 1),
            periodUnit: String(b.worker_period_unit ?? sg.period_unit ?? 'Month').toLowerCase(),
            autoRenew: (b.worker_auto_renew ?? sg.auto_renew) === true,
          }
        : { type: 'pay-as-you-go' },
      systemDisk: disk(
        b.worker_system_disk_category ?? sg.system_disk_category,
        b.worker_system_disk_size ?? sg.system_disk_size,
        b.worker_system_disk_performance_level ?? sg.system_disk_performance_level,
      ),
      dataDisks: list(b.worker_data_disks ?? sg.data_disks).map((d) => ({
        ...disk(obj(d).category, obj(d).size, obj(d).performance_level),
        encrypted: obj(d).encrypted === true || obj(d).encrypted === 'true',
      })),
    };
  }
  const image = b.image_type ?? sg.image_type;
  put(workers, 'os', typeof image === 'string' ? (IMAGES[image] ?? image) : undefined);
  put(workers, 'customImageId', b.image_id ?? sg.image_id);
  const password = b.login_password ?? sg.login_password;
  const keyPair = b.key_pair ?? sg.key_pair;
  if (typeof password === 'string') workers.login = { type: 'password', password, passwordConfirm: password };
  else if (typeof keyPair === 'string')
    workers.login = { type: 'key-pair', keyPair: { mode: 'existing', name: keyPair } };
  put(workers, 'cpuPolicy', b.cpu_policy ?? kc.cpu_policy);
  put(workers, 'taints', b.taints ?? kc.taints);
  put(workers, 'userData', b.user_data ?? kc.user_data);
  const nodeName = String(b.node_name_mode ?? kc.node_name_mode ?? '').split(',');
  if (nodeName[0] === 'customized')
    workers.nodeName = {
      prefix: nodeName[1] ?? '',
      ipDigits: Number(nodeName[2]),
      suffix: nodeName[3] ?? '',
    };
  spec.workers = workers;
  return spec;
}
