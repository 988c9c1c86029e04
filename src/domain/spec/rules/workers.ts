// Rules of step 2's worker fields (M40–M53): existing instances, billing, instance types and
// stock, disks, OS and hardening, login, user data, custom image, node names and taints.
import { meetsWorkerNodeMinimum, WORKER_NODE_MINIMUM } from '../../catalogue/instance-types.js';
import { parseCidr } from '../../net/ipv4.js';
import { joinPath } from '../../problems.js';
import { SPEC_LIMITS as L } from '../defaults.js';
import { NODE_NAME_PART } from '../node-name.js';
import { checkPassword } from '../password.js';
import type { Disk } from '../types.js';
import { OS_IMAGES } from '../types.js';
import type { Rule, RuleContext } from './context.js';
import { knownVpc, vswitchZones } from './network.js';

const INSTANCE_ID = /^i-[a-z0-9]{8,32}$/;

/** M40: instances already in the region, in no other cluster. */
export const existingInstancesRule: Rule = ({ spec, facts, problems }) => {
  const inst = spec.workers.instances;
  if (inst.mode !== 'existing') return;
  if (inst.instanceIds.length === 0) problems.add('workers.instances.instanceIds', 'SPEC_INSTANCES_REQUIRED');
  const seen = new Set<string>();
  inst.instanceIds.forEach((id, i) => {
    const path = joinPath('workers.instances.instanceIds', i);
    if (seen.has(id)) problems.add(path, 'SPEC_DUPLICATE', { value: id });
    seen.add(id);
    if (!INSTANCE_ID.test(id)) {
      problems.add(path, 'SPEC_INSTANCE_ID_INVALID', { value: id });
      return;
    }
    if (!facts.instances) return;
    const found = facts.instances.find((f) => f.instanceId === id);
    if (!found) problems.add(path, 'SPEC_INSTANCE_UNKNOWN', { value: id });
    else if (found.regionId !== spec.regionId) {
      problems.add(path, 'SPEC_INSTANCE_OTHER_REGION', { value: id, region: found.regionId });
    } else if (found.clusterId !== null) {
      problems.add(path, 'SPEC_INSTANCE_IN_CLUSTER', { value: id, clusterId: found.clusterId });
    } else if (spec.network.vpc.mode === 'existing' && found.vpcId !== spec.network.vpc.vpcId) {
      problems.add(path, 'SPEC_INSTANCE_OTHER_VPC', { value: id, vpcId: found.vpcId });
    }
  });
  if (spec.network.vpc.mode === 'create' && inst.instanceIds.length > 0) {
    problems.add('workers.instances', 'SPEC_INSTANCES_NEED_EXISTING_VPC');
  }
};

/** M41: subscription for 1, 2, 3 or 6 months, or 1–5 years. */
export const billingRule: Rule = ({ spec, reader, problems, warnings }) => {
  const inst = spec.workers.instances;
  if (inst.mode !== 'create' || inst.billing.type !== 'subscription') return;
  // M48 on the cloud is a pay-as-you-go setting: a subscription is protected by its term instead.
  if (spec.workers.instanceProtection && !reader.broken('workers.instanceProtection'))
    warnings.add('workers.instanceProtection', 'SPEC_PROTECTION_BY_TERM', {});
  const { period, periodUnit } = inst.billing;
  if (reader.broken('workers.instances.billing')) return;
  const allowed: readonly number[] = periodUnit === 'month' ? L.subscriptionMonths : L.subscriptionYears;
  if (!allowed.includes(period)) {
    problems.add('workers.instances.billing.period', 'SPEC_SUBSCRIPTION_PERIOD', {
      value: period,
      unit: periodUnit,
      allowed: allowed.map(String),
    });
  }
};

/** Zones whose stock has at least one of `types`. */
function zonesWithStock(
  stock: Readonly<Record<string, readonly string[]>>,
  types: readonly string[],
): string[] {
  return Object.keys(stock)
    .filter((zone) => (stock[zone] ?? []).some((t) => types.includes(t)))
    .sort();
}

/** M42: accelerated types from the catalogue, big enough, with stock in a chosen zone. */
export const instanceTypesRule: Rule = (ctx) => {
  const { spec, facts, reader, problems, instanceTypes } = ctx;
  const inst = spec.workers.instances;
  if (inst.mode !== 'create' || reader.broken('workers.instances.instanceTypes')) return;
  const path = 'workers.instances.instanceTypes';
  if (inst.instanceTypes.length === 0) {
    problems.add(path, 'SPEC_INSTANCE_TYPES_REQUIRED');
    return;
  }
  const seen = new Set<string>();
  inst.instanceTypes.forEach((id, i) => {
    const itemPath = joinPath(path, i);
    if (seen.has(id)) problems.add(itemPath, 'SPEC_DUPLICATE', { value: id });
    seen.add(id);
    const type = instanceTypes.find((t) => t.id === id);
    if (!type) {
      problems.add(itemPath, 'SPEC_INSTANCE_TYPE_UNKNOWN', { value: id });
    } else if (!meetsWorkerNodeMinimum(type)) {
      problems.add(itemPath, 'SPEC_INSTANCE_TYPE_TOO_SMALL', {
        value: id,
        vcpu: type.vcpu,
        memoryGiB: type.memoryGiB,
        minVcpu: WORKER_NODE_MINIMUM.vcpu,
        minMemoryGiB: WORKER_NODE_MINIMUM.memoryGiB,
      });
    }
  });
  const stock = facts.stock;
  if (!stock || reader.broken('network.vswitches')) return;
  const zones = vswitchZones(ctx).filter((z): z is string => z !== undefined);
  if (zones.length === 0) return;
  const inChosen = zones.some((z) => (stock[z] ?? []).some((t) => inst.instanceTypes.includes(t)));
  if (!inChosen) {
    problems.add(path, 'SPEC_NO_STOCK', {
      types: inst.instanceTypes,
      zones,
      suggestedZones: zonesWithStock(stock, inst.instanceTypes),
    });
  }
};

function diskRule(path: string, disk: Disk, min: number, max: number, ctx: RuleContext): void {
  const { reader, problems } = ctx;
  if (reader.broken(path)) return;
  if (disk.sizeGiB < min || disk.sizeGiB > max) {
    problems.add(joinPath(path, 'sizeGiB'), 'SPEC_DISK_SIZE', { min, max, value: disk.sizeGiB });
  }
  const pl = disk.performanceLevel;
  if (pl === null) return;
  if (disk.category !== 'essd') {
    problems.add(joinPath(path, 'performanceLevel'), 'SPEC_DISK_LEVEL_NOT_ESSD', { category: disk.category });
    return;
  }
  const need = pl === 'PL2' ? L.essdPl2MinGiB : pl === 'PL3' ? L.essdPl3MinGiB : 0;
  if (disk.sizeGiB < need) {
    problems.add(joinPath(path, 'performanceLevel'), 'SPEC_DISK_LEVEL_SIZE', {
      level: pl,
      minGiB: need,
      value: disk.sizeGiB,
    });
  }
}

/** M44/M45: sizes, and ESSD performance levels by size. */
export const disksRule: Rule = (ctx) => {
  const inst = ctx.spec.workers.instances;
  if (inst.mode !== 'create') return;
  diskRule('workers.instances.systemDisk', inst.systemDisk, L.systemDiskMinGiB, L.systemDiskMaxGiB, ctx);
  inst.dataDisks.forEach((d, i) =>
    diskRule(joinPath('workers.instances.dataDisks', i), d, L.dataDiskMinGiB, L.dataDiskMaxGiB, ctx),
  );
};

/** M46: Alibaba Cloud Linux 2 (hardening optional) or CentOS 7; CentOS 8 and later refused. */
export const osRule: Rule = ({ spec, reader, problems }) => {
  const w = spec.workers;
  if (reader.broken('workers.os')) return;
  if (!(OS_IMAGES as readonly string[]).includes(w.os)) {
    const centosNewer = /^centos[-_ ]?(stream[-_ ]?)?([89]|\d{2,})/i.test(w.os);
    problems.add('workers.os', centosNewer ? 'SPEC_OS_CENTOS_8_UNSUPPORTED' : 'SPEC_ENUM', {
      value: w.os,
      allowed: OS_IMAGES,
    });
    return;
  }
  if (w.hardening !== 'none' && w.os !== 'aliyun-linux-2') {
    problems.add('workers.hardening', 'SPEC_HARDENING_NEEDS_ALINUX', { hardening: w.hardening });
  }
  if (w.hardening === 'mlps' && w.login.type === 'password') {
    problems.add('workers.login.type', 'SPEC_MLPS_ROOT_PASSWORD');
  }
};

const KEY_PAIR_NAME = /^[A-Za-z\p{Script=Han}][A-Za-z0-9\p{Script=Han}._:-]{1,127}$/u;

/** M47: a key pair (existing or new) XOR a strong password typed twice. */
export const loginRule: Rule = ({ spec, facts, reader, problems }) => {
  const login = spec.workers.login;
  if (reader.broken('workers.login.type')) return;
  if (login.type === 'key-pair') {
    const { mode, name } = login.keyPair;
    const path = 'workers.login.keyPair.name';
    if (reader.broken('workers.login.keyPair')) return;
    if (!KEY_PAIR_NAME.test(name)) problems.add(path, 'SPEC_KEY_PAIR_NAME_INVALID', { value: name });
    else if (facts.keyPairNames) {
      const exists = facts.keyPairNames.includes(name);
      if (mode === 'existing' && !exists) problems.add(path, 'SPEC_KEY_PAIR_UNKNOWN', { value: name });
      if (mode === 'create' && exists) problems.add(path, 'SPEC_KEY_PAIR_EXISTS', { value: name });
    }
    return;
  }
  if (reader.broken('workers.login.password')) return;
  const check = checkPassword(login.password);
  const path = 'workers.login.password';
  if (check.length < L.passwordMin || check.length > L.passwordMax) {
    problems.add(path, 'SPEC_PASSWORD_LENGTH', { min: L.passwordMin, max: L.passwordMax });
  }
  if (check.invalidChars.length > 0)
    problems.add(path, 'SPEC_PASSWORD_CHARS', { count: check.invalidChars.length });
  if (check.classes < 3) problems.add(path, 'SPEC_PASSWORD_WEAK', { classes: check.classes, required: 3 });
  if (!reader.broken('workers.login.passwordConfirm') && login.passwordConfirm !== login.password) {
    problems.add('workers.login.passwordConfirm', 'SPEC_PASSWORD_MISMATCH');
  }
};

/** M49: extra user data, bounded so ours plus theirs fits the cloud's limit. */
export const userDataRule: Rule = ({ spec, problems }) => {
  const data = spec.workers.userData;
  if (data === null) return;
  const bytes = new TextEncoder().encode(data).length;
  if (bytes > L.userDataMaxBytes) {
    problems.add('workers.userData', 'SPEC_USER_DATA_TOO_LARGE', { max: L.userDataMaxBytes, value: bytes });
  }
};

/** ECS names them e.g. `CentOS  7.9 64位`, `Alibaba Cloud Linux  2.1903 LTS 64位`, `aliyun_2_1903_x64`. */
const CUSTOM_IMAGE_BASES =
  /^(centos[-_ ]*7|(aliyun|alibaba[-_ ]*cloud)[-_ ]*(linux[-_ ]*)?2|alinux[-_ ]*2)(?!\d)/i;

/** M50: allow-listed accounts only; the image must be CentOS 7.x or Alibaba Cloud Linux 2.x based. */
export const customImageRule: Rule = ({ spec, facts, problems }) => {
  const id = spec.workers.customImageId;
  if (id === null) return;
  const path = 'workers.customImageId';
  if (facts.account && !facts.account.allowlists.customImage)
    problems.add(path, 'SPEC_CUSTOM_IMAGE_NOT_ALLOWED');
  if (!facts.images) return;
  const image = facts.images.find((i) => i.imageId === id);
  if (!image) problems.add(path, 'SPEC_CUSTOM_IMAGE_UNKNOWN', { value: id });
  else if (!CUSTOM_IMAGE_BASES.test(image.os))
    problems.add(path, 'SPEC_CUSTOM_IMAGE_OS', { value: id, os: image.os });
};

/**
 * True when two addresses in `cidrs` could share their last `digits` zero-padded digits:
 * the covered octets must vary freely while every uncovered digit stays the same.
 */
export function nodeNamesMayCollide(cidrs: readonly string[], digits: number): boolean {
  if (digits >= 12) return false;
  const parsed = cidrs.map(parseCidr).filter((c) => c !== null);
  let reference: string | null = null;
  for (const c of parsed) {
    const first = c.base >>> 0;
    const last = (first + 2 ** (32 - c.prefix) - 1) >>> 0;
    const high = (n: number) => {
      const padded = [24, 16, 8, 0].map((s) => String((n >>> s) & 255).padStart(3, '0')).join('');
      return padded.slice(0, 12 - digits);
    };
    // Within one block the uncovered digits must not change …
    if (high(first) !== high(last)) return true;
    // … and all blocks must share them, or equal low digits may repeat across blocks.
    if (reference !== null && reference !== high(first)) return true;
    reference = high(first);
  }
  return false;
}

/** M51: dot-separated lowercase parts around 5–12 IP digits. */
export const nodeNameRule: Rule = (ctx) => {
  const { spec, reader, problems, warnings } = ctx;
  const pattern = spec.workers.nodeName;
  if (pattern === null || reader.broken('workers.nodeName')) return;
  if (!NODE_NAME_PART.test(pattern.prefix)) {
    problems.add('workers.nodeName.prefix', 'SPEC_NODE_NAME_PART', { part: 'prefix', value: pattern.prefix });
  }
  if (pattern.suffix !== '' && !NODE_NAME_PART.test(pattern.suffix)) {
    problems.add('workers.nodeName.suffix', 'SPEC_NODE_NAME_PART', { part: 'suffix', value: pattern.suffix });
  }
  const { ipDigits } = pattern;
  if (ipDigits < L.nodeNameIpDigitsMin || ipDigits > L.nodeNameIpDigitsMax) {
    problems.add('workers.nodeName.ipDigits', 'SPEC_OUT_OF_RANGE', {
      min: L.nodeNameIpDigitsMin,
      max: L.nodeNameIpDigitsMax,
      value: ipDigits,
    });
    return;
  }
  const length = pattern.prefix.length + ipDigits + pattern.suffix.length;
  if (length > 253) problems.add('workers.nodeName', 'SPEC_NODE_NAME_TOO_LONG', { max: 253, value: length });
  // The digits join the prefix's last part and the suffix's first part into one DNS label (≤ 63).
  const joined = `${pattern.prefix.split('.').pop() ?? ''}${'0'.repeat(ipDigits)}${pattern.suffix.split('.')[0] ?? ''}`;
  if (joined.length > 63) {
    problems.add('workers.nodeName', 'SPEC_NODE_NAME_LABEL_TOO_LONG', { max: 63, value: joined.length });
  }
  const known = knownVpc(ctx);
  const cidrs = spec.network.vswitches.map((v) =>
    v.mode === 'create' ? v.cidr : (known?.vswitches.find((k) => k.vswitchId === v.vswitchId)?.cidr ?? ''),
  );
  if (nodeNamesMayCollide(cidrs, ipDigits)) {
    warnings.add('workers.nodeName.ipDigits', 'SPEC_NODE_NAME_MAY_COLLIDE', { value: ipDigits });
  }
};

const QUALIFIED_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Kubernetes qualified name: optional DNS-subdomain prefix (≤ 253) and a name (≤ 63). */
export function isQualifiedName(key: string): boolean {
  const slash = key.lastIndexOf('/');
  if (slash === -1) return QUALIFIED_NAME.test(key);
  const prefix = key.slice(0, slash);
  return prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix) && QUALIFIED_NAME.test(key.slice(slash + 1));
}

/** M53: taint keys and values as Kubernetes validates them; one taint per key and effect. */
export const taintsRule: Rule = ({ spec, reader, problems }) => {
  const seen = new Set<string>();
  spec.workers.taints.forEach((t, i) => {
    const path = joinPath('workers.taints', i);
    // A key the reader refused (missing, not a string) is reported there only.
    const keyRead = !reader.broken(joinPath(path, 'key'));
    if (keyRead && !isQualifiedName(t.key))
      problems.add(joinPath(path, 'key'), 'SPEC_TAINT_KEY_INVALID', { value: t.key });
    if (t.value !== '' && !QUALIFIED_NAME.test(t.value)) {
      problems.add(joinPath(path, 'value'), 'SPEC_TAINT_VALUE_INVALID', { value: t.value });
    }
    if (!keyRead) return;
    const id = `${t.key}:${t.effect}`;
    if (seen.has(id)) problems.add(path, 'SPEC_TAINT_REPEATED', { key: t.key, effect: t.effect });
    seen.add(id);
  });
};

export const workerRules: readonly Rule[] = [
  existingInstancesRule,
  billingRule,
  instanceTypesRule,
  disksRule,
  osRule,
  loginRule,
  userDataRule,
  customImageRule,
  nodeNameRule,
  taintsRule,
];
