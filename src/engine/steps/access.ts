// RAM steps (M6): the cluster's sub-account, its policy and access key. RAM has no client tokens:
// names are unique, so a create that finds the name taken adopts the user only if it is this step's.
import { OWNER_CLUSTER_TAG } from '../../cloud/provider.js';
import { KuberackError } from '../../domain/errors.js';
import { deleteIgnoringGone, isCategory } from './common.js';
import { done, str, type StepHandler } from './types.js';

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
