// Network steps (M3, M12): VPC and vSwitches. Each records its cloud id the moment it is returned
// and is ready when the cloud says Available.
import { createOnce, readyWhen, releaseRecorded } from './common.js';
import { str, type StepHandler } from './types.js';

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
