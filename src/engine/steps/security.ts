// Security steps (M2, M31, M47): the cluster's security group and its rules, and the login key pair
// whose private key goes to the cluster's secrets, never to outputs.
import type { SecurityGroupRule } from '../../cloud/provider.js';
import { KuberackError } from '../../domain/errors.js';
import { createOnce, deleteIgnoringGone, isCategory, ownedBy, releaseRecorded, vanished } from './common.js';
import { isObject, list, optField } from './inputs.js';
import { done, recorded, str, type Json, type StepContext, type StepHandler } from './types.js';

export const securityGroupStep: StepHandler = {
  async apply(ctx) {
    const p = ctx.provider;
    const type = str(ctx, 'type');
    if (type !== 'normal' && type !== 'enterprise')
      throw new Error(`step ${ctx.step.key}: security group type ${type} is not normal or enterprise`);
    const id = await createOnce(ctx, () =>
      p.createSecurityGroup(
        { regionId: ctx.regionId, vpcId: str(ctx, 'vpcId'), type, name: str(ctx, 'name') },
        { clientToken: ctx.clientToken, tags: ctx.tags },
      ),
    );
    // A security group has no creating state: it exists as soon as the create returns.
    const sg = await p.getSecurityGroup(ctx.regionId, id);
    if (!sg) throw vanished(ctx, id);
    return done({ id: sg.id, vpcId: sg.vpcId });
  },
  release: (ctx) =>
    releaseRecorded(
      ctx,
      // A security group has no state of its own; it is there (so deletable) or gone.
      async (i) => ((await ctx.provider.getSecurityGroup(ctx.regionId, i)) ? { status: 'Available' } : null),
      (i) => ctx.provider.deleteSecurityGroup(ctx.regionId, i),
    ),
};

const DIRECTIONS = ['ingress', 'egress'] as const;
const PROTOCOLS = ['tcp', 'udp', 'icmp', 'gre', 'all'] as const;

/** The plan's rule `{direction, protocol, source | sourceGroup, description}` as the cloud's rule. */
function toRule(ctx: StepContext, rule: Json, index: number): SecurityGroupRule {
  const where = `rules[${index}]`;
  if (!isObject(rule)) throw new Error(`step ${ctx.step.key}: ${where} is not an object`);
  const direction = DIRECTIONS.find((d) => d === rule.direction);
  const protocol = PROTOCOLS.find((p) => p === rule.protocol);
  const sourceCidr = optField(rule, 'source');
  const sourceGroupId = optField(rule, 'sourceGroup');
  if (!direction || !protocol || (sourceCidr === null) === (sourceGroupId === null))
    throw new Error(
      `step ${ctx.step.key}: ${where} needs a direction, a protocol and exactly one of source and sourceGroup`,
    );
  return {
    direction,
    protocol,
    portRange: '-1/-1',
    sourceCidr,
    sourceGroupId,
    policy: 'accept',
    priority: 1,
    description: optField(rule, 'description') ?? '',
  };
}

function sameRule(a: SecurityGroupRule, b: SecurityGroupRule): boolean {
  return (
    a.direction === b.direction &&
    a.protocol === b.protocol &&
    a.portRange === b.portRange &&
    a.sourceCidr === b.sourceCidr &&
    a.sourceGroupId === b.sourceGroupId &&
    a.policy === b.policy
  );
}

/** Authorizes the plan's rules on the group; rules already there are not sent again. */
export const securityGroupRulesStep: StepHandler = {
  async apply(ctx) {
    const p = ctx.provider;
    const id = str(ctx, 'securityGroupId');
    const rules = list(ctx, 'rules').map((r, i) => toRule(ctx, r, i));
    const sg = await p.getSecurityGroup(ctx.regionId, id);
    if (!sg) throw vanished(ctx, id);
    const missing = rules.filter((r) => !sg.rules.some((x) => sameRule(x, r)));
    if (missing.length > 0) await p.authorizeSecurityGroup(ctx.regionId, id, missing);
    return done({ securityGroupId: id, ruleCount: rules.length });
  },
  // The rules die with the group (security-group's release); an existing group gets no rules step.
  release: () => Promise.resolve(done()),
};

/** Where the key pair's private key is kept (the cluster's encrypted secrets). */
export const KEY_PAIR_SECRET = 'key-pair/private-key';

/**
 * Key pairs have no client token: a second create says the name exists. One of ours whose private key
 * was never stored (a crash between the create and the store) is useless, so it is replaced.
 */
export const keyPairStep: StepHandler = {
  async apply(ctx) {
    const p = ctx.provider;
    const name = str(ctx, 'name');
    if (recorded(ctx, 'name') === name && (await ctx.secrets.get(KEY_PAIR_SECRET)) !== null) {
      const kp = await p.getKeyPair(ctx.regionId, name);
      if (!kp) throw vanished(ctx, name);
      return done({ name: kp.name });
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const issued = await p.createKeyPair(
          { regionId: ctx.regionId, name },
          { clientToken: ctx.clientToken, tags: ctx.tags },
        );
        await ctx.secrets.put(KEY_PAIR_SECRET, issued.privateKey);
        await ctx.save({ name });
        return done({ name });
      } catch (e) {
        if (!isCategory(e, 'already-exists') || attempt > 0) throw e;
        const existing = await p.getKeyPair(ctx.regionId, name);
        if (!existing) continue;
        if (!ownedBy(existing.tags, ctx.clusterId))
          throw new KuberackError('ENGINE_NAME_TAKEN', { step: ctx.step.key, name }, { cause: e });
        // Ours, and its private key was stored (a crash after the store, before the record): keep it.
        if ((await ctx.secrets.get(KEY_PAIR_SECRET)) !== null) {
          await ctx.save({ name });
          return done({ name });
        }
        await deleteIgnoringGone(() => p.deleteKeyPair(ctx.regionId, name));
      }
    }
  },
  async release(ctx) {
    const p = ctx.provider;
    const name = recorded(ctx, 'name') ?? str(ctx, 'name');
    const kp = await p.getKeyPair(ctx.regionId, name);
    // Only ours: a key pair of that name without our owner tag was never this step's.
    if (kp && ownedBy(kp.tags, ctx.clusterId))
      await deleteIgnoringGone(() => p.deleteKeyPair(ctx.regionId, name));
    await ctx.secrets.remove(KEY_PAIR_SECRET);
    return done();
  },
};
