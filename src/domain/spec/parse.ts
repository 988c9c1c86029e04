// Reads untrusted input (JSON/YAML already decoded) into a typed ClusterSpec with defaults
// applied, collecting every shape problem (type, enum, required, unknown field) at its path.
import { joinPath } from '../problems.js';
import { SPEC_DEFAULTS as D, SPEC_LIMITS as L } from './defaults.js';
import type { Obj } from './reader.js';
import { Reader } from './reader.js';
import type {
  Billing,
  ClusterSpec,
  ComponentsSpec,
  DataDisk,
  Disk,
  KeyPairChoice,
  LogProjectChoice,
  Login,
  NetworkSpec,
  NodeNamePattern,
  SecurityGroupChoice,
  Tag,
  Taint,
  VSwitchChoice,
  VpcChoice,
  WorkersSpec,
} from './types.js';
import {
  BILLING_TYPES,
  CLUSTER_EDITIONS,
  CONTROL_PLANE_LOG_COMPONENTS,
  CPU_POLICIES,
  DISK_CATEGORIES,
  ESSD_PERFORMANCE_LEVELS,
  KUBE_PROXY_MODES,
  LOGIN_TYPES,
  NETWORK_PLUGINS,
  OS_HARDENINGS,
  PERIOD_UNITS,
  RUNTIMES,
  SECURITY_GROUP_TYPES,
  SLB_SPECS,
  STORAGE_PLUGINS,
  TAINT_EFFECTS,
  TERWAY_MODES,
  VPC_KINDS,
} from './types.js';

export interface ParseResult {
  readonly spec: ClusterSpec;
  readonly reader: Reader;
}

const EMPTY: Obj = {};
const MODES = ['create', 'existing'] as const;

/** Always returns a spec (invalid fields fall back to defaults) plus the reader's problems. */
export function parseClusterSpec(input: unknown, defaultKubernetesVersion: string): ParseResult {
  const r = new Reader();
  const o =
    r.object(
      '',
      input,
      [
        'name',
        'edition',
        'regionId',
        'resourceGroupId',
        'kubernetesVersion',
        'runtime',
        'deletionProtection',
        'timeZone',
        'kubeProxyMode',
        'tags',
        'clusterDomain',
        'certSans',
        'serviceAccountTokenProjection',
        'secretEncryption',
        'disableRollback',
        'network',
        'workers',
        'components',
      ],
      true,
    ) ?? EMPTY;
  const sa = r.object('serviceAccountTokenProjection', o.serviceAccountTokenProjection, [
    'enabled',
    'issuer',
    'audiences',
  ]);
  const enc = r.object('secretEncryption', o.secretEncryption, ['kmsKeyId']);
  const spec: ClusterSpec = {
    name: r.string('name', o.name, undefined, 1024) ?? '',
    edition: r.oneOf('edition', o.edition, CLUSTER_EDITIONS, D.edition) ?? D.edition,
    regionId: r.string('regionId', o.regionId, undefined, 64) ?? '',
    resourceGroupId: r.optionalString('resourceGroupId', o.resourceGroupId, 64),
    kubernetesVersion: r.string('kubernetesVersion', o.kubernetesVersion, defaultKubernetesVersion, 64) ?? '',
    runtime: r.oneOf('runtime', o.runtime, RUNTIMES, D.runtime) ?? D.runtime,
    deletionProtection: r.boolean('deletionProtection', o.deletionProtection, D.deletionProtection),
    timeZone: r.string('timeZone', o.timeZone, D.timeZone, 64) ?? D.timeZone,
    kubeProxyMode:
      r.oneOf('kubeProxyMode', o.kubeProxyMode, KUBE_PROXY_MODES, D.kubeProxyMode) ?? D.kubeProxyMode,
    tags: r.array('tags', o.tags, 1000, (p, v) => readTag(r, p, v)),
    clusterDomain: r.string('clusterDomain', o.clusterDomain, D.clusterDomain, 256) ?? D.clusterDomain,
    certSans: r.array('certSans', o.certSans, L.certSansMax, (p, v) => r.string(p, v, undefined, 253)),
    serviceAccountTokenProjection: {
      enabled: r.boolean('serviceAccountTokenProjection.enabled', sa?.enabled, false),
      issuer: r.string('serviceAccountTokenProjection.issuer', sa?.issuer, D.serviceAccountIssuer, 512) ?? '',
      audiences:
        sa?.audiences === undefined
          ? [...D.serviceAccountAudiences]
          : r.array('serviceAccountTokenProjection.audiences', sa.audiences, L.audiencesMax, (p, v) =>
              r.string(p, v, undefined, 256),
            ),
    },
    secretEncryption:
      enc === undefined
        ? null
        : { kmsKeyId: r.string('secretEncryption.kmsKeyId', enc.kmsKeyId, undefined, 128) ?? '' },
    disableRollback: r.boolean('disableRollback', o.disableRollback, false),
    network: readNetwork(r, o.network),
    workers: readWorkers(r, o.workers),
    components: readComponents(r, o.components),
  };
  return { spec, reader: r };
}

function readTag(r: Reader, path: string, v: unknown): Tag | undefined {
  const t = r.object(path, v, ['key', 'value'], true);
  if (!t) return undefined;
  const key = r.string(joinPath(path, 'key'), t.key, undefined, 1024);
  const value = r.string(joinPath(path, 'value'), t.value, '', 1024);
  return key === undefined || value === undefined ? undefined : { key, value };
}

/** `mode` may be left out when the fields make it obvious (an id means an existing resource). */
function modeOf(r: Reader, path: string, o: Obj, idField: string): 'create' | 'existing' | undefined {
  const inferred = o[idField] !== undefined ? 'existing' : 'create';
  return r.oneOf(joinPath(path, 'mode'), o.mode, MODES, inferred);
}

function readVpc(r: Reader, v: unknown): VpcChoice {
  const o = r.object('network.vpc', v, ['mode', 'cidr', 'vpcId', 'kind']);
  if (!o) return { mode: 'create', cidr: D.vpcCidr };
  if (modeOf(r, 'network.vpc', o, 'vpcId') === 'existing') {
    if (o.cidr !== undefined) r.fail('network.vpc.cidr', 'SPEC_NOT_APPLICABLE', { reason: 'existing-vpc' });
    return {
      mode: 'existing',
      vpcId: r.string('network.vpc.vpcId', o.vpcId, undefined, 64) ?? '',
      kind: r.oneOf('network.vpc.kind', o.kind, VPC_KINDS, 'normal') ?? 'normal',
    };
  }
  for (const f of ['vpcId', 'kind'] as const) {
    if (o[f] !== undefined) r.fail(`network.vpc.${f}`, 'SPEC_NOT_APPLICABLE', { reason: 'new-vpc' });
  }
  return { mode: 'create', cidr: r.string('network.vpc.cidr', o.cidr, D.vpcCidr, 64) ?? D.vpcCidr };
}

function readVSwitch(r: Reader, path: string, v: unknown): VSwitchChoice | undefined {
  const o = r.object(path, v, ['mode', 'vswitchId', 'zoneId', 'cidr'], true);
  if (!o) return undefined;
  if (modeOf(r, path, o, 'vswitchId') === 'existing') {
    return {
      mode: 'existing',
      vswitchId: r.string(joinPath(path, 'vswitchId'), o.vswitchId, undefined, 64) ?? '',
    };
  }
  return {
    mode: 'create',
    zoneId: r.string(joinPath(path, 'zoneId'), o.zoneId, undefined, 64) ?? '',
    cidr: r.string(joinPath(path, 'cidr'), o.cidr, undefined, 64) ?? '',
  };
}

function readSecurityGroup(r: Reader, v: unknown): SecurityGroupChoice {
  const o = r.object('network.securityGroup', v, ['mode', 'type', 'securityGroupId']);
  if (!o) return { mode: 'create', type: D.securityGroupType };
  if (modeOf(r, 'network.securityGroup', o, 'securityGroupId') === 'existing') {
    return {
      mode: 'existing',
      securityGroupId:
        r.string('network.securityGroup.securityGroupId', o.securityGroupId, undefined, 64) ?? '',
    };
  }
  const type = r.oneOf('network.securityGroup.type', o.type, SECURITY_GROUP_TYPES, D.securityGroupType);
  return { mode: 'create', type: type ?? D.securityGroupType };
}

function readNetwork(r: Reader, v: unknown): NetworkSpec {
  const o =
    r.object(
      'network',
      v,
      [
        'vpc',
        'vswitches',
        'plugin',
        'nodeIpCount',
        'podCidr',
        'terwayMode',
        'serviceCidr',
        'snat',
        'apiServer',
        'sshPublicAccess',
        'rdsInstanceIds',
        'securityGroup',
      ],
      true,
    ) ?? EMPTY;
  const plugin = r.oneOf('network.plugin', o.plugin, NETWORK_PLUGINS, D.plugin) ?? D.plugin;
  const api = r.object('network.apiServer', o.apiServer, ['slbSpec', 'publicAccess']) ?? EMPTY;
  const flannel = plugin === 'flannel';
  // Fields of the other plugin are refused, not silently dropped.
  for (const [field, onlyFor] of [
    ['nodeIpCount', 'flannel'],
    ['podCidr', 'flannel'],
    ['terwayMode', 'terway'],
  ] as const) {
    if (o[field] !== undefined && o[field] !== null && plugin !== onlyFor) {
      r.fail(`network.${field}`, 'SPEC_NOT_APPLICABLE', { reason: `plugin-${plugin}` });
    }
  }
  return {
    vpc: readVpc(r, o.vpc),
    vswitches: r.array('network.vswitches', o.vswitches, L.vswitchesMax, (p, x) => readVSwitch(r, p, x)),
    plugin,
    nodeIpCount: flannel
      ? (r.integer('network.nodeIpCount', o.nodeIpCount, D.nodeIpCount, 0, 65536) ?? null)
      : null,
    podCidr: flannel ? (r.string('network.podCidr', o.podCidr, undefined, 64) ?? null) : null,
    terwayMode: flannel
      ? null
      : (r.oneOf('network.terwayMode', o.terwayMode, TERWAY_MODES, D.terwayMode) ?? null),
    serviceCidr: r.string('network.serviceCidr', o.serviceCidr, D.serviceCidr, 64) ?? D.serviceCidr,
    snat: r.boolean('network.snat', o.snat, D.snat),
    apiServer: {
      slbSpec: r.oneOf('network.apiServer.slbSpec', api.slbSpec, SLB_SPECS, D.slbSpec) ?? D.slbSpec,
      publicAccess: r.boolean('network.apiServer.publicAccess', api.publicAccess, D.apiServerPublicAccess),
    },
    sshPublicAccess: r.boolean('network.sshPublicAccess', o.sshPublicAccess, D.sshPublicAccess),
    rdsInstanceIds: r.array('network.rdsInstanceIds', o.rdsInstanceIds, L.rdsInstancesMax, (p, x) =>
      r.string(p, x, undefined, 64),
    ),
    securityGroup: readSecurityGroup(r, o.securityGroup),
  };
}

function readBilling(r: Reader, v: unknown): Billing {
  const o = r.object('workers.instances.billing', v, ['type', 'period', 'periodUnit', 'autoRenew']);
  if (!o) return { type: 'pay-as-you-go' };
  const type = r.oneOf('workers.instances.billing.type', o.type, BILLING_TYPES, 'pay-as-you-go');
  if (type !== 'subscription') {
    for (const f of ['period', 'periodUnit', 'autoRenew'] as const) {
      if (o[f] !== undefined)
        r.fail(`workers.instances.billing.${f}`, 'SPEC_NOT_APPLICABLE', { reason: 'pay-as-you-go' });
    }
    return { type: 'pay-as-you-go' };
  }
  return {
    type: 'subscription',
    period: r.integer('workers.instances.billing.period', o.period, undefined, 1, 60) ?? 1,
    periodUnit:
      r.oneOf('workers.instances.billing.periodUnit', o.periodUnit, PERIOD_UNITS, 'month') ?? 'month',
    autoRenew: r.boolean('workers.instances.billing.autoRenew', o.autoRenew, false),
  };
}

function readDisk(r: Reader, path: string, v: unknown, fallbackSize: number): Disk {
  const o = r.object(path, v, ['category', 'sizeGiB', 'performanceLevel', 'backup', 'encrypted']) ?? EMPTY;
  const category = r.oneOf(joinPath(path, 'category'), o.category, DISK_CATEGORIES, 'essd') ?? 'essd';
  const pl = o.performanceLevel ?? (category === 'essd' ? 'PL1' : undefined);
  return {
    category,
    sizeGiB: r.integer(joinPath(path, 'sizeGiB'), o.sizeGiB, fallbackSize, 1, 1_000_000) ?? fallbackSize,
    performanceLevel:
      pl === undefined
        ? null
        : (r.oneOf(joinPath(path, 'performanceLevel'), pl, ESSD_PERFORMANCE_LEVELS, 'PL1') ?? null),
    backup: r.boolean(joinPath(path, 'backup'), o.backup, false),
  };
}

function readInstances(r: Reader, v: unknown): WorkersSpec['instances'] {
  const path = 'workers.instances';
  const o =
    r.object(
      path,
      v,
      ['mode', 'billing', 'instanceTypes', 'count', 'systemDisk', 'dataDisks', 'instanceIds'],
      true,
    ) ?? EMPTY;
  if (modeOf(r, path, o, 'instanceIds') === 'existing') {
    // M40: with existing instances only OS, login and key pair are set.
    for (const f of ['billing', 'instanceTypes', 'count', 'systemDisk', 'dataDisks'] as const) {
      if (o[f] !== undefined) r.fail(`${path}.${f}`, 'SPEC_NOT_APPLICABLE', { reason: 'existing-instances' });
    }
    return {
      mode: 'existing',
      instanceIds: r.array(`${path}.instanceIds`, o.instanceIds, L.existingInstancesMax, (p, x) =>
        r.string(p, x, undefined, 64),
      ),
    };
  }
  if (o.instanceIds !== undefined)
    r.fail(`${path}.instanceIds`, 'SPEC_NOT_APPLICABLE', { reason: 'new-instances' });
  if (
    o.systemDisk !== undefined &&
    (o.systemDisk as { encrypted?: unknown } | null)?.encrypted !== undefined
  ) {
    r.fail(`${path}.systemDisk.encrypted`, 'SPEC_NOT_APPLICABLE', { reason: 'system-disk' });
  }
  return {
    mode: 'create',
    billing: readBilling(r, o.billing),
    instanceTypes: r.array(`${path}.instanceTypes`, o.instanceTypes, L.instanceTypesMax, (p, x) =>
      r.string(p, x, undefined, 64),
    ),
    count: r.integer(`${path}.count`, o.count, undefined, 1, L.countMax) ?? 1,
    systemDisk: readDisk(r, `${path}.systemDisk`, o.systemDisk, D.systemDisk.sizeGiB),
    dataDisks: r.array(`${path}.dataDisks`, o.dataDisks, L.dataDisksMax, (p, x): DataDisk | undefined => {
      if (x === null || typeof x !== 'object' || Array.isArray(x)) {
        r.fail(p, 'SPEC_TYPE', { expected: 'object' });
        return undefined;
      }
      const disk = readDisk(r, p, x, D.dataDiskSizeGiB);
      return { ...disk, encrypted: r.boolean(joinPath(p, 'encrypted'), (x as Obj).encrypted, false) };
    }),
  };
}

function readKeyPair(r: Reader, v: unknown): KeyPairChoice {
  const o = r.object('workers.login.keyPair', v, ['mode', 'name'], true) ?? EMPTY;
  const mode = r.oneOf('workers.login.keyPair.mode', o.mode, MODES, 'existing') ?? 'existing';
  return { mode, name: r.string('workers.login.keyPair.name', o.name, undefined, 256) ?? '' };
}

function readLogin(r: Reader, v: unknown): Login {
  const o = r.object('workers.login', v, ['type', 'keyPair', 'password', 'passwordConfirm'], true) ?? EMPTY;
  const inferred = o.password !== undefined ? 'password' : 'key-pair';
  const type = r.oneOf('workers.login.type', o.type, LOGIN_TYPES, inferred);
  if (type === 'password') {
    if (o.keyPair !== undefined) r.fail('workers.login.keyPair', 'SPEC_LOGIN_EXCLUSIVE');
    return {
      type: 'password',
      password: r.string('workers.login.password', o.password, undefined, 256) ?? '',
      passwordConfirm: r.string('workers.login.passwordConfirm', o.passwordConfirm, undefined, 256) ?? '',
    };
  }
  for (const f of ['password', 'passwordConfirm'] as const) {
    if (o[f] !== undefined) r.fail(`workers.login.${f}`, 'SPEC_LOGIN_EXCLUSIVE');
  }
  return { type: 'key-pair', keyPair: readKeyPair(r, o.keyPair) };
}

function readNodeName(r: Reader, v: unknown): NodeNamePattern | null {
  const o = r.object('workers.nodeName', v, ['prefix', 'ipDigits', 'suffix']);
  if (!o) return null;
  return {
    prefix: r.string('workers.nodeName.prefix', o.prefix, undefined, 253) ?? '',
    ipDigits:
      r.integer('workers.nodeName.ipDigits', o.ipDigits, D.nodeNameIpDigits, 0, 64) ?? D.nodeNameIpDigits,
    suffix: r.string('workers.nodeName.suffix', o.suffix, '', 253) ?? '',
  };
}

function readTaint(r: Reader, path: string, v: unknown): Taint | undefined {
  const o = r.object(path, v, ['key', 'value', 'effect'], true);
  if (!o) return undefined;
  return {
    key: r.string(joinPath(path, 'key'), o.key, undefined, 512) ?? '',
    value: r.string(joinPath(path, 'value'), o.value, '', 512) ?? '',
    effect: r.oneOf(joinPath(path, 'effect'), o.effect, TAINT_EFFECTS, 'NoSchedule') ?? 'NoSchedule',
  };
}

function readWorkers(r: Reader, v: unknown): WorkersSpec {
  const o =
    r.object(
      'workers',
      v,
      [
        'instances',
        'os',
        'hardening',
        'customImageId',
        'login',
        'instanceProtection',
        'userData',
        'nodeName',
        'cpuPolicy',
        'taints',
      ],
      true,
    ) ?? EMPTY;
  return {
    instances: readInstances(r, o.instances),
    // The OS is checked by a rule (CentOS 8+ gets its own message), so read it as a string here.
    os: (r.string('workers.os', o.os, D.os, 64) ?? D.os) as WorkersSpec['os'],
    hardening: r.oneOf('workers.hardening', o.hardening, OS_HARDENINGS, D.hardening) ?? D.hardening,
    customImageId: r.optionalString('workers.customImageId', o.customImageId, 64),
    login: readLogin(r, o.login),
    instanceProtection: r.boolean('workers.instanceProtection', o.instanceProtection, D.instanceProtection),
    userData: r.optionalString('workers.userData', o.userData, 1_000_000),
    nodeName: readNodeName(r, o.nodeName),
    cpuPolicy: r.oneOf('workers.cpuPolicy', o.cpuPolicy, CPU_POLICIES, D.cpuPolicy) ?? D.cpuPolicy,
    taints: r.array('workers.taints', o.taints, L.taintsMax, (p, x) => readTaint(r, p, x)),
  };
}

function readLogProject(r: Reader, v: unknown): LogProjectChoice {
  const o = r.object('components.logService.project', v, ['mode', 'name']);
  if (!o) return { mode: 'create' };
  if (modeOf(r, 'components.logService.project', o, 'name') === 'existing') {
    return {
      mode: 'existing',
      name: r.string('components.logService.project.name', o.name, undefined, 128) ?? '',
    };
  }
  return { mode: 'create' };
}

function readComponents(r: Reader, v: unknown): ComponentsSpec {
  const p = 'components';
  const o =
    r.object(p, v, [
      'ingress',
      'storagePlugin',
      'monitoring',
      'alerting',
      'logService',
      'controlPlaneLogs',
      'workflowEngine',
    ]) ?? EMPTY;
  const ingress = r.object(`${p}.ingress`, o.ingress, ['enabled', 'dashboard']) ?? EMPTY;
  const mon = r.object(`${p}.monitoring`, o.monitoring, ['cloudMonitorAgent', 'prometheus']) ?? EMPTY;
  const alert = r.object(`${p}.alerting`, o.alerting, ['defaultRules']) ?? EMPTY;
  const log =
    r.object(`${p}.logService`, o.logService, ['enabled', 'project', 'nodeProblemDetector']) ?? EMPTY;
  const logEnabled = r.boolean(`${p}.logService.enabled`, log.enabled, D.logServiceEnabled);
  const cpl = r.object(`${p}.controlPlaneLogs`, o.controlPlaneLogs, ['enabled', 'components']) ?? EMPTY;
  return {
    ingress: {
      enabled: r.boolean(`${p}.ingress.enabled`, ingress.enabled, D.ingressEnabled),
      dashboard: r.boolean(`${p}.ingress.dashboard`, ingress.dashboard, false),
    },
    storagePlugin:
      r.oneOf(`${p}.storagePlugin`, o.storagePlugin, STORAGE_PLUGINS, D.storagePlugin) ?? D.storagePlugin,
    monitoring: {
      cloudMonitorAgent: r.boolean(
        `${p}.monitoring.cloudMonitorAgent`,
        mon.cloudMonitorAgent,
        D.cloudMonitorAgent,
      ),
      prometheus: r.boolean(`${p}.monitoring.prometheus`, mon.prometheus, D.prometheus),
    },
    alerting: {
      defaultRules: r.boolean(`${p}.alerting.defaultRules`, alert.defaultRules, D.alertingDefaultRules),
    },
    logService: {
      enabled: logEnabled,
      project: readLogProject(r, log.project),
      // NPD's event centre lives in the log service: off by default when the log service is off.
      nodeProblemDetector: r.boolean(
        `${p}.logService.nodeProblemDetector`,
        log.nodeProblemDetector,
        logEnabled && D.nodeProblemDetector,
      ),
    },
    controlPlaneLogs: {
      enabled: r.boolean(`${p}.controlPlaneLogs.enabled`, cpl.enabled, false),
      components:
        cpl.components === undefined
          ? [...D.controlPlaneLogComponents]
          : r.array(`${p}.controlPlaneLogs.components`, cpl.components, 10, (q, x) =>
              r.oneOf(q, x, CONTROL_PLANE_LOG_COMPONENTS, undefined),
            ),
    },
    workflowEngine: r.boolean(`${p}.workflowEngine`, o.workflowEngine, false),
  };
}
