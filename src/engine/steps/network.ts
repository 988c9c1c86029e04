// Network steps (M3, M4, M12): VPC, vSwitches and Flannel's per-node routes. Each records its cloud id
// the moment it is returned and is ready when the cloud says Available.
import { createOnce, isCategory, readyWhen, releaseRecorded } from './common.js';
import { recorded, str, type StepHandler } from './types.js';

export const vpcStep: StepHandler = {
  async apply(ctx) {
    const p = ctx.provider;
    const id = await createOnce(ctx, () =>
      p.createVpc(
        { regionId: ctx.regionId, cidr: str(ctx, 'cidr'), name: str(ctx, 'name') },
        { clientToken: ctx.clientToken, tags: ctx.tags },
      ),
    );
    return readyWhen(
      ctx,
      id,
      (i) => p.getVpc(ctx.regionId, i),
      'Available',
      (v) => ({
        id: v.id,
        routeTableId: v.routeTableId,
        cidr: v.cidr,
      }),
    );
  },
  release: (ctx) =>
    releaseRecorded(
      ctx,
      (i) => ctx.provider.getVpc(ctx.regionId, i),
      (i) => ctx.provider.deleteVpc(ctx.regionId, i),
    ),
};

export const vswitchStep: StepHandler = {
  async apply(ctx) {
    const p = ctx.provider;
    const id = await createOnce(ctx, () =>
      p.createVSwitch(
        {
          regionId: ctx.regionId,
          vpcId: str(ctx, 'vpcId'),
          zoneId: str(ctx, 'zoneId'),
          cidr: str(ctx, 'cidr'),
          name: str(ctx, 'name'),
        },
        { clientToken: ctx.clientToken, tags: ctx.tags },
      ),
    );
    return readyWhen(
      ctx,
      id,
      (i) => p.getVSwitch(ctx.regionId, i),
      'Available',
      (v) => ({
        id: v.id,
        zoneId: v.zoneId,
        cidr: v.cidr,
      }),
    );
  },
  release: (ctx) =>
    releaseRecorded(
      ctx,
      (i) => ctx.provider.getVSwitch(ctx.regionId, i),
      (i) => ctx.provider.deleteVSwitch(ctx.regionId, i),
    ),
};

/**
 * Flannel (M4): the route that sends one node's Pod CIDR block to that node. An entry for the same
 * block that already points at the same instance (made outside the client token) is adopted.
 */
export const routeEntryStep: StepHandler = {
  async apply(ctx) {
    const p = ctx.provider;
    const routeTableId = str(ctx, 'routeTableId');
    const destinationCidr = str(ctx, 'destinationCidr');
    const instanceId = str(ctx, 'instanceId');
    let id = recorded(ctx);
    if (!id) {
      try {
        const made = await p.createRouteEntry(
          { regionId: ctx.regionId, routeTableId, destinationCidr, nextHopId: instanceId },
          { clientToken: ctx.clientToken, tags: ctx.tags },
        );
        id = made.id;
      } catch (e) {
        if (!isCategory(e, 'already-exists')) throw e;
        const same = (await p.describeRouteEntries(ctx.regionId, routeTableId)).find(
          (r) => r.destinationCidr === destinationCidr && r.nextHopId === instanceId,
        );
        if (!same) throw e;
        id = same.id;
      }
      await ctx.save({ id });
    }
    return readyWhen(
      ctx,
      id,
      (i) => p.getRouteEntry(ctx.regionId, i),
      'Available',
      (r) => ({ id: r.id, destinationCidr: r.destinationCidr }),
    );
  },
  release: (ctx) =>
    releaseRecorded(
      ctx,
      (i) => ctx.provider.getRouteEntry(ctx.regionId, i),
      (i) => ctx.provider.deleteRouteEntry(ctx.regionId, i),
    ),
};
