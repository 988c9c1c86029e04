// Steps on other cloud services the plan touches: the Log Service project (M58) and the RDS whitelist
// group that lets every node reach the tenant's databases (M30).
import { KuberackError } from '../../domain/errors.js';
import { deleteIgnoringGone, isCategory, ownedBy, vanished } from './common.js';
import { strings } from './inputs.js';
import { done, recorded, str, type StepHandler } from './types.js';

/** Log projects are named, not numbered: a taken name is adopted only when it carries our owner tag. */
export const logProjectStep: StepHandler = {
  async apply(ctx) {
    const p = ctx.provider;
    const name = str(ctx, 'name');
    if (recorded(ctx, 'name') !== name) {
      try {
        await p.createLogProject(
          { regionId: ctx.regionId, name },
          { clientToken: ctx.clientToken, tags: ctx.tags },
        );
      } catch (e) {
        if (!isCategory(e, 'already-exists')) throw e;
        const existing = await p.getLogProject(ctx.regionId, name);
        if (!existing || !ownedBy(existing.tags, ctx.clusterId))
          throw new KuberackError('ENGINE_NAME_TAKEN', { step: ctx.step.key, name }, { cause: e });
      }
      await ctx.save({ name });
    }
    const project = await p.getLogProject(ctx.regionId, name);
    if (!project) throw vanished(ctx, name);
    return done({ name: project.name });
  },
  async release(ctx) {
    const name = recorded(ctx, 'name');
    if (name) await deleteIgnoringGone(() => ctx.provider.deleteLogProject(ctx.regionId, name));
    return done();
  },
};

/** The cluster's whitelist group on an RDS instance: `kuberack_<cluster id>`, lower case, at most 64. */
export function rdsGroupName(clusterId: string): string {
  return `kuberack_${clusterId.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 64);
}

/** M30: the group holds exactly the nodes' IPs (mode cover); release empties it. */
export const rdsWhitelistStep: StepHandler = {
  async apply(ctx) {
    const p = ctx.provider;
    const rdsInstanceId = str(ctx, 'rdsInstanceId');
    const ips = strings(ctx, 'nodeIps');
    const groupName = rdsGroupName(ctx.clusterId);
    if (recorded(ctx, 'groupName') !== groupName) await ctx.save({ groupName, rdsInstanceId });
    await p.modifyRdsWhitelist(ctx.regionId, { rdsInstanceId, groupName, ips, mode: 'cover' });
    const group = await p.getRdsWhitelist(ctx.regionId, rdsInstanceId, groupName);
    if (!group) throw vanished(ctx, rdsInstanceId);
    return done({ rdsInstanceId, groupName, ips: [...group.ips] });
  },
  async release(ctx) {
    const groupName = recorded(ctx, 'groupName');
    const rdsInstanceId = recorded(ctx, 'rdsInstanceId');
    if (groupName && rdsInstanceId)
      await deleteIgnoringGone(() =>
        ctx.provider.modifyRdsWhitelist(ctx.regionId, { rdsInstanceId, groupName, ips: [], mode: 'cover' }),
      );
    return done();
  },
};
