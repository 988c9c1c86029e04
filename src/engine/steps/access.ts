// RAM steps (M6): the cluster's sub-account, its policy and access key. RAM has no client tokens:
// names are unique, so a create that finds the name taken adopts the user only if it is this step's.
import { OWNER_CLUSTER_TAG } from '../../cloud/provider.js';
import { KuberackError } from '../../domain/errors.js';
import { deleteIgnoringGone, isCategory, ownedBy, vanished } from './common.js';
import { done, optStr, recorded, str, type StepContext, type StepHandler } from './types.js';

export const ramUserStep: StepHandler = {
  async apply(ctx) {
    const name = str(ctx, 'name');
    const comments = `kuberack cluster ${ctx.clusterId}`;
    try {
      await ctx.provider.createRamUser({ name, comments }, { clientToken: ctx.clientToken, tags: ctx.tags });
    } catch (e) {
      if (!isCategory(e, 'already-exists')) throw e;
      const existing = await ctx.provider.getRamUser(name);
      const mine = existing?.tags.some((t) => t.key === OWNER_CLUSTER_TAG && t.value === ctx.clusterId);
      if (!mine) throw new KuberackError('ENGINE_NAME_TAKEN', { step: ctx.step.key, name }, { cause: e });
    }
    await ctx.save({ name });
    return done({ name });
  },
  async release(ctx) {
    const name = typeof ctx.state.name === 'string' ? ctx.state.name : null;
    if (name) await deleteIgnoringGone(() => ctx.provider.deleteRamUser(name));
    return done();
  },
};

/** JSON text in one canonical form (keys sorted), so equal documents compare equal however written. */
function canonical(text: string): string | null {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  try {
    return JSON.stringify(sort(JSON.parse(text)));
  } catch {
    return null;
  }
}

function policyName(ctx: StepContext): string {
  return optStr(ctx, 'name') ?? `${str(ctx, 'userName')}-policy`;
}

/**
 * The cluster user's policy (M6): created from `document`, adopted when the name is taken only if the
 * existing document is the same one, then attached to the user.
 */
export const ramPolicyStep: StepHandler = {
  async apply(ctx) {
    const p = ctx.provider;
    const userName = str(ctx, 'userName');
    const name = policyName(ctx);
    if (ctx.inputs.document === undefined) throw new Error(`step ${ctx.step.key}: input document is missing`);
    const document = JSON.stringify(ctx.inputs.document);
    if (recorded(ctx, 'name') === name) {
      if (!(await p.getRamPolicy(name))) throw vanished(ctx, name);
    } else {
      try {
        await p.createRamPolicy({ name, document }, { clientToken: ctx.clientToken, tags: ctx.tags });
      } catch (e) {
        if (!isCategory(e, 'already-exists')) throw e;
        const existing = await p.getRamPolicy(name);
        if (!existing || canonical(existing.document) !== canonical(document))
          throw new KuberackError('ENGINE_NAME_TAKEN', { step: ctx.step.key, name }, { cause: e });
      }
      await ctx.save({ name, userName });
    }
    await p.attachPolicyToUser({ policyName: name, userName });
    return done({ name });
  },
  async release(ctx) {
    const p = ctx.provider;
    let name = recorded(ctx, 'name');
    if (!name) {
      // Never recorded: only a policy of that name with our owner tag is this step's.
      const candidate = policyName(ctx);
      const existing = await p.getRamPolicy(candidate);
      if (!existing || !ownedBy(existing.tags, ctx.clusterId)) return done();
      name = candidate;
    }
    const policy = name;
    const userName = recorded(ctx, 'userName') ?? optStr(ctx, 'userName');
    if (userName) await deleteIgnoringGone(() => p.detachPolicyFromUser({ policyName: policy, userName }));
    await deleteIgnoringGone(() => p.deleteRamPolicy(policy));
    return done();
  },
};

/** Where the access key's secret is kept (the cluster's encrypted secrets). */
export const ACCESS_KEY_SECRET = 'ram-access-key/secret';

/**
 * The cluster user's access key (M6). The cloud shows a secret once, so a key whose secret was not
 * stored is useless: every key of the user that the step has not recorded is deleted before a new one
 * is made. The secret goes to the secrets store; the outputs carry the key id only.
 */
export const ramAccessKeyStep: StepHandler = {
  async apply(ctx) {
    const p = ctx.provider;
    const userName = str(ctx, 'userName');
    const id = recorded(ctx);
    const keys = await p.listAccessKeys(userName);
    if (id) {
      if (!keys.some((k) => k.id === id)) throw vanished(ctx, id);
      if ((await ctx.secrets.get(ACCESS_KEY_SECRET)) !== null) return done({ id });
    }
    for (const k of keys) await deleteIgnoringGone(() => p.deleteAccessKey({ userName, accessKeyId: k.id }));
    const key = await p.createAccessKey(userName);
    await ctx.secrets.put(ACCESS_KEY_SECRET, key.secret);
    await ctx.save({ id: key.id, userName });
    return done({ id: key.id });
  },
  async release(ctx) {
    const p = ctx.provider;
    const userName = recorded(ctx, 'userName') ?? optStr(ctx, 'userName');
    if (userName) {
      // The user is the cluster's own: every key it has is this step's, recorded or not.
      let keys: { id: string }[] = [];
      try {
        keys = await p.listAccessKeys(userName);
      } catch (e) {
        if (!isCategory(e, 'not-found')) throw e;
      }
      for (const k of keys)
        await deleteIgnoringGone(() => p.deleteAccessKey({ userName, accessKeyId: k.id }));
    }
    await ctx.secrets.remove(ACCESS_KEY_SECRET);
    return done();
  },
};
