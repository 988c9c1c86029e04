// Worker steps (M1, M4, M14, M40–M48): new ECS instances (first instance type in stock, billing, disks,
// login, deletion protection, user data from the bootstrap) and the tenant's existing ones, re-imaged.
import { CloudError } from '../../cloud/errors.js';
import {
  OWNER_CLUSTER_TAG,
  OWNER_STEP_TAG,
  ownerTags,
  type Disk,
  type Instance,
  type InstanceChargeType,
} from '../../cloud/provider.js';
import { KuberackError } from '../../domain/errors.js';
import { nodePodCidr } from '../../domain/net/index.js';
import { deleteIgnoringGone, vanished } from './common.js';
import {
  bool,
  fieldBool,
  fieldNum,
  fieldStr,
  isObject,
  list,
  obj,
  optField,
  optObj,
  strings,
  type JsonObject,
} from './inputs.js';
import { done, recorded, str, waiting, type Json, type StepContext, type StepHandler } from './types.js';

/** The spec's disk categories as the cloud names them. */
const DISK_CATEGORIES: Readonly<Record<string, string>> = {
  essd: 'cloud_essd',
  ssd: 'cloud_ssd',
  ultra: 'cloud_efficiency',
};

function toDisk(ctx: StepContext, where: string, v: Json | undefined): Disk {
  if (!isObject(v)) throw new Error(`step ${ctx.step.key}: input ${where} is not an object`);
  const spec = fieldStr(ctx, v, where, 'category');
  const category = DISK_CATEGORIES[spec];
  if (!category) throw new Error(`step ${ctx.step.key}: disk category ${spec} is unknown`);
  return {
    category,
    sizeGiB: fieldNum(ctx, v, where, 'sizeGiB'),
    // A performance level is an ESSD property (M44).
    performanceLevel: category === 'cloud_essd' ? optField(v, 'performanceLevel') : null,
  };
}

interface Billing {
  readonly chargeType: InstanceChargeType;
  readonly period: { months: number; autoRenew: boolean } | null;
}

/** M14, M41: pay-as-you-go → PostPaid; a subscription → PrePaid for its period in months. */
function billingOf(ctx: StepContext): Billing {
  const b = obj(ctx, 'billing');
  const type = fieldStr(ctx, b, 'billing', 'type');
  if (type === 'pay-as-you-go') return { chargeType: 'PostPaid', period: null };
  if (type !== 'subscription') throw new Error(`step ${ctx.step.key}: billing type ${type} is unknown`);
  const unit = fieldStr(ctx, b, 'billing', 'periodUnit');
  if (unit !== 'month' && unit !== 'year')
    throw new Error(`step ${ctx.step.key}: billing period unit ${unit} is unknown`);
  const period = fieldNum(ctx, b, 'billing', 'period');
  return {
    chargeType: 'PrePaid',
    period: {
      months: unit === 'year' ? period * 12 : period,
      autoRenew: fieldBool(ctx, b, 'billing', 'autoRenew'),
    },
  };
}

/**
 * Deletion protection (M48) is a pay-as-you-go setting on the cloud, which refuses it for subscriptions;
 * a subscription is protected by its term instead (it cannot be released before it expires).
 */
function protectionFor(ctx: StepContext, chargeType: InstanceChargeType): boolean {
  return chargeType === 'PostPaid' && bool(ctx, 'deletionProtection');
}

function loginOf(ctx: StepContext): { keyPairName: string | null; password: string | null } {
  const l = obj(ctx, 'login');
  return { keyPairName: optField(l, 'keyPairName'), password: optField(l, 'password') };
}

/** The image of the bootstrap's OS (M50: a custom image wins); ENGINE_NO_IMAGE when the region has none. */
async function imageFor(ctx: StepContext, bootstrap: JsonObject): Promise<string> {
  const custom = optField(bootstrap, 'customImageId');
  if (custom) return custom;
  const os = fieldStr(ctx, bootstrap, 'bootstrap', 'os');
  const image = (await ctx.provider.describeImages(ctx.regionId)).find((i) => i.platform === os);
  if (!image) throw new KuberackError('ENGINE_NO_IMAGE', { step: ctx.step.key, regionId: ctx.regionId, os });
  return image.imageId;
}

/** The worker's user data (M1): the bootstrap for its instance type, with the node's own registration token. */
async function userDataFor(ctx: StepContext, instanceType: string | null): Promise<string> {
  const nodeToken = await ctx.services.nodes.tokenFor(ctx.clusterId, ctx.step.key);
  return ctx.services.bootstrap.render({
    clusterId: ctx.clusterId,
    stepKey: ctx.step.key,
    bootstrap: obj(ctx, 'bootstrap'),
    nodeToken,
    regionId: ctx.regionId,
    instanceType,
  });
}

/** M4: the node's block of the Pod CIDR under Flannel, null otherwise; ENGINE_POD_CIDR_FULL when none is left. */
function podCidrOf(ctx: StepContext): string | null {
  const s = optObj(ctx, 'podSubnet');
  if (!s) return null;
  const podCidr = fieldStr(ctx, s, 'podSubnet', 'podCidr');
  const nodeIpCount = fieldNum(ctx, s, 'podSubnet', 'nodeIpCount');
  const index = fieldNum(ctx, s, 'podSubnet', 'index');
  const block = nodePodCidr(podCidr, nodeIpCount, index);
  if (!block)
    throw new KuberackError('ENGINE_POD_CIDR_FULL', { step: ctx.step.key, podCidr, nodeIpCount, index });
  return block;
}

function outputsOf(i: Instance, podCidr: string | null): Record<string, Json> {
  return { id: i.id, privateIp: i.privateIp, instanceType: i.instanceType, zoneId: i.zoneId, podCidr };
}

/**
 * Launches with the first instance type in stock. The type about to be tried is recorded before each
 * try: the client token is bound to the whole request, so after a crash the same type is tried again
 * (and the cloud returns the instance it may already have made) rather than an earlier one.
 */
async function launch(ctx: StepContext): Promise<string> {
  const p = ctx.provider;
  const types = strings(ctx, 'instanceTypes');
  if (types.length === 0) throw new Error(`step ${ctx.step.key}: input instanceTypes is empty`);
  const bootstrap = obj(ctx, 'bootstrap');
  const { chargeType, period } = billingOf(ctx);
  const login = loginOf(ctx);
  const vswitchId = str(ctx, 'vswitchId');
  const request = {
    regionId: ctx.regionId,
    vswitchId,
    securityGroupIds: [str(ctx, 'securityGroupId')],
    imageId: await imageFor(ctx, bootstrap),
    name: str(ctx, 'name'),
    systemDisk: toDisk(ctx, 'systemDisk', ctx.inputs.systemDisk),
    dataDisks: list(ctx, 'dataDisks').map((d, i) => toDisk(ctx, `dataDisks[${i}]`, d)),
    keyPairName: login.keyPairName,
    password: login.password,
    chargeType,
    period,
    deletionProtection: protectionFor(ctx, chargeType),
  };
  const tried = recorded(ctx, 'instanceType');
  const from = tried && types.includes(tried) ? types.indexOf(tried) : 0;
  for (const instanceType of types.slice(from)) {
    await ctx.save({ instanceType });
    try {
      // Rendered per type (labels, reserved CPUs); the same type renders the same bytes after a crash.
      const userData = await userDataFor(ctx, instanceType);
      const made = await p.runInstance(
        { ...request, instanceType, userData },
        { clientToken: ctx.clientToken, tags: ctx.tags },
      );
      await ctx.save({ id: made.id });
      return made.id;
    } catch (e) {
      if (e instanceof CloudError && e.code === 'OperationDenied.NoStock') continue;
      throw e;
    }
  }
  // Nothing was made with the client token: a later try may start from the first type again.
  await ctx.save({ instanceType: null });
  const zoneId = (await p.getVSwitch(ctx.regionId, vswitchId))?.zoneId ?? vswitchId;
  throw new KuberackError('ENGINE_NO_STOCK', { step: ctx.step.key, instanceTypes: types, zoneId });
}

export const ecsInstanceStep: StepHandler = {
  async apply(ctx) {
    const podCidr = podCidrOf(ctx);
    const id = recorded(ctx) ?? (await launch(ctx));
    const inst = await ctx.provider.getInstance(ctx.regionId, id);
    if (!inst) throw vanished(ctx, id);
    if (inst.status !== 'Running') return waiting(`${ctx.step.key} is ${inst.status}`);
    return done(outputsOf(inst, podCidr));
  },
  /** M48: protection (ours or set by hand) is turned off first; then a forced delete, until gone. */
  async release(ctx) {
    const p = ctx.provider;
    let id = recorded(ctx);
    if (!id) {
      // A crash between the create and its record: the instance carries this step's owner tags.
      const mine = await p.describeInstances(ctx.regionId, {
        tag: { key: OWNER_CLUSTER_TAG, value: ctx.clusterId },
      });
      const found = mine.find((i) =>
        i.tags.some((t) => t.key === OWNER_STEP_TAG && t.value === ctx.step.key),
      );
      if (!found) return done();
      await ctx.save({ id: found.id });
      id = found.id;
    }
    const inst = await p.getInstance(ctx.regionId, id);
    if (!inst) return done();
    if (inst.status === 'Deleting') return waiting(`${ctx.step.key} is being deleted`);
    if (inst.status === 'Pending' || inst.status === 'Starting')
      return waiting(`${ctx.step.key} is ${inst.status}; it can be released once it has started`);
    const instanceId = id;
    if (inst.deletionProtection)
      await p.modifyInstance(ctx.regionId, instanceId, { deletionProtection: false });
    await deleteIgnoringGone(() => p.deleteInstance(ctx.regionId, instanceId, { force: true }));
    return (await p.getInstance(ctx.regionId, instanceId))
      ? waiting(`${ctx.step.key} is being deleted`)
      : done();
  },
};

/** The adoption's progress, recorded so that a crash never repeats a stop or a re-image it is past. */
type AdoptPhase = 'stop' | 'reimage' | 'configure' | 'start';

/**
 * M40: the tenant's existing instance joins the cluster: stopped, re-imaged with the worker OS, given
 * the cluster's security group, login, user data, protection and owner tags, and started. What it had
 * before (security groups, key pair, protection, state) is recorded before anything changes.
 */
export const ecsAdoptionStep: StepHandler = {
  async apply(ctx) {
    const p = ctx.provider;
    const instanceId = str(ctx, 'instanceId');
    const podCidr = podCidrOf(ctx);
    const inst = await p.getInstance(ctx.regionId, instanceId);
    if (!inst)
      throw new KuberackError('ENGINE_ADOPT_NOT_FOUND', {
        step: ctx.step.key,
        instanceId,
        regionId: ctx.regionId,
      });
    const owner = inst.tags.find((t) => t.key === OWNER_CLUSTER_TAG)?.value;
    if (owner !== undefined && owner !== ctx.clusterId)
      throw new KuberackError('ENGINE_ADOPT_IN_USE', { step: ctx.step.key, instanceId, otherCluster: owner });
    if (!isObject(ctx.state.original)) {
      await ctx.save({
        instanceId,
        original: {
          securityGroupIds: [...inst.securityGroupIds],
          keyPairName: inst.keyPairName,
          deletionProtection: inst.deletionProtection,
          status: inst.status,
        },
        phase: 'stop',
      });
    }
    let phase = (typeof ctx.state.phase === 'string' ? ctx.state.phase : 'stop') as AdoptPhase;
    const advance = async (next: AdoptPhase) => {
      await ctx.save({ phase: next });
      phase = next;
    };
    if (phase === 'stop') {
      if (inst.status !== 'Stopped') {
        if (inst.status === 'Running') await p.stopInstance(ctx.regionId, instanceId);
        return waiting(`${ctx.step.key}: stopping ${instanceId} to re-image it`);
      }
      await advance('reimage');
    }
    if (phase === 'reimage') {
      await p.replaceSystemDisk(ctx.regionId, instanceId, await imageFor(ctx, obj(ctx, 'bootstrap')));
      await advance('configure');
    }
    if (phase === 'configure') {
      const login = loginOf(ctx);
      await p.modifyInstance(ctx.regionId, instanceId, {
        userData: await userDataFor(ctx, inst.instanceType),
        securityGroupIds: [str(ctx, 'securityGroupId')],
        keyPairName: login.keyPairName,
        ...(login.password !== null ? { password: login.password } : {}),
        deletionProtection: protectionFor(ctx, inst.chargeType),
        tags: ownerTags(ctx.clusterId, ctx.step.key),
      });
      await advance('start');
    }
    const now = await p.getInstance(ctx.regionId, instanceId);
    if (!now) throw vanished(ctx, instanceId);
    if (now.status === 'Stopped') await p.startInstance(ctx.regionId, instanceId);
    if (now.status !== 'Running') return waiting(`${ctx.step.key}: starting ${instanceId}`);
    return done(outputsOf(now, podCidr));
  },
  /**
   * Detaches, never deletes: the original security groups (those that still exist) and protection come
   * back, the owner tags go, and an instance that was running is left running. The key pair, image and
   * user data stay as the cluster set them (changing them needs another stop).
   */
  async release(ctx) {
    const p = ctx.provider;
    const original = ctx.state.original;
    const instanceId = recorded(ctx, 'instanceId');
    if (!isObject(original) || !instanceId) return done();
    const inst = await p.getInstance(ctx.regionId, instanceId);
    if (!inst) return done();
    if (inst.status === 'Stopping' || inst.status === 'Starting' || inst.status === 'Pending')
      return waiting(`${ctx.step.key}: ${instanceId} is ${inst.status}`);
    const wanted = Array.isArray(original.securityGroupIds)
      ? original.securityGroupIds.filter((x): x is string => typeof x === 'string')
      : [];
    const still: string[] = [];
    for (const sg of wanted) if (await p.getSecurityGroup(ctx.regionId, sg)) still.push(sg);
    await p.modifyInstance(ctx.regionId, instanceId, {
      ...(still.length > 0 ? { securityGroupIds: still } : {}),
      deletionProtection: original.deletionProtection === true,
      removeTags: [OWNER_CLUSTER_TAG, OWNER_STEP_TAG],
    });
    if (original.status === 'Running' && inst.status === 'Stopped')
      await p.startInstance(ctx.regionId, instanceId);
    return done();
  },
};
