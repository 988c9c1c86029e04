// SNAT steps (M3, M5, M28): the NAT gateway, its EIP and their binding, and one SNAT entry per vSwitch;
// with a reused NAT gateway the entry takes one of that gateway's EIPs.
import type { EipInstanceType } from '../../cloud/provider.js';
import { KuberackError } from '../../domain/errors.js';
import {
  createOnce,
  deleteIgnoringGone,
  isCategory,
  readyWhen,
  releaseRecorded,
  vanished,
} from './common.js';
import { done, optStr, recorded, str, waiting, type StepHandler } from './types.js';

export const natGatewayStep: StepHandler = {
  async apply(ctx) {
    const p = ctx.provider;
    const id = await createOnce(ctx, () =>
      p.createNatGateway(
        {
          regionId: ctx.regionId,
          vpcId: str(ctx, 'vpcId'),
          vswitchId: str(ctx, 'vswitchId'),
          name: str(ctx, 'name'),
        },
        { clientToken: ctx.clientToken, tags: ctx.tags },
      ),
    );
    return readyWhen(
      ctx,
      id,
      (i) => p.getNatGateway(ctx.regionId, i),
      'Available',
      (n) => ({ id: n.id, snatTableId: n.snatTableId }),
    );
  },
  release: (ctx) =>
    releaseRecorded(
      ctx,
      (i) => ctx.provider.getNatGateway(ctx.regionId, i),
      (i) => ctx.provider.deleteNatGateway(ctx.regionId, i),
    ),
};

export const eipStep: StepHandler = {
  async apply(ctx) {
    const p = ctx.provider;
    const chargeType = str(ctx, 'chargeType');
    if (chargeType !== 'pay-as-you-go')
      throw new Error(`step ${ctx.step.key}: an EIP is pay-as-you-go only, not ${chargeType}`);
    const id = await createOnce(ctx, () =>
      p.allocateEip(
        { regionId: ctx.regionId, name: str(ctx, 'name') },
        { clientToken: ctx.clientToken, tags: ctx.tags },
      ),
    );
    // Ready when allocated, whatever it is bound to later (eip-association binds it).
    const eip = await p.getEip(ctx.regionId, id);
    if (!eip) throw vanished(ctx, id);
    return done({ id: eip.id, ip: eip.ip });
  },
  release: (ctx) =>
    releaseRecorded(
      ctx,
      (i) => ctx.provider.getEip(ctx.regionId, i),
      (i) => ctx.provider.releaseEip(ctx.regionId, i),
    ),
};

/** The plan's `instanceType` of an EIP binding as the cloud's. */
const EIP_TARGETS: Readonly<Record<string, EipInstanceType>> = { nat: 'Nat', slb: 'SlbInstance' };

/** Binds an EIP to the NAT gateway or the API server's SLB; ready when the EIP is InUse. */
export const eipAssociationStep: StepHandler = {
  async apply(ctx) {
    const p = ctx.provider;
    const allocationId = str(ctx, 'allocationId');
    const instanceId = str(ctx, 'instanceId');
    const target = str(ctx, 'instanceType');
    const instanceType = EIP_TARGETS[target];
    if (!instanceType) throw new Error(`step ${ctx.step.key}: cannot bind an EIP to a ${target}`);
    let eip = await p.getEip(ctx.regionId, allocationId);
    if (!eip) throw vanished(ctx, allocationId);
    if (eip.instanceId !== instanceId) {
      await p.associateEip(ctx.regionId, { allocationId, instanceId, instanceType });
      eip = await p.getEip(ctx.regionId, allocationId);
      if (!eip) throw vanished(ctx, allocationId);
    }
    if (eip.status !== 'InUse') return waiting(`${ctx.step.key} is ${eip.status}`);
    return done({ allocationId, instanceId, ip: eip.ip });
  },
  /** Unbinds, then waits until the EIP is Available again (its own step releases it). */
  async release(ctx) {
    const p = ctx.provider;
    const allocationId = str(ctx, 'allocationId');
    const instanceId = str(ctx, 'instanceId');
    const eip = await p.getEip(ctx.regionId, allocationId);
    if (!eip) return done();
    if (eip.instanceId === instanceId) {
      if (eip.status === 'Associating') return waiting(`${ctx.step.key} is Associating`);
      await deleteIgnoringGone(() => p.unassociateEip(ctx.regionId, { allocationId, instanceId }));
      const after = await p.getEip(ctx.regionId, allocationId);
      return after && after.status !== 'Available' ? waiting(`${ctx.step.key} is ${after.status}`) : done();
    }
    return eip.status === 'Unassociating' ? waiting(`${ctx.step.key} is Unassociating`) : done();
  },
};

/**
 * One SNAT entry for one vSwitch. The SNAT table and the IP are recorded before the create (the client
 * token binds the request, IP included); a null `snatIp` (reused NAT gateway) takes the gateway's first
 * EIP. A vSwitch that already has an entry on that gateway (the tenant's) keeps it: the step uses it
 * and never deletes it.
 */
export const snatEntryStep: StepHandler = {
  async apply(ctx) {
    const p = ctx.provider;
    const natGatewayId = str(ctx, 'natGatewayId');
    const vswitchId = str(ctx, 'vswitchId');
    let snatTableId = recorded(ctx, 'snatTableId');
    let snatIp = recorded(ctx, 'snatIp') ?? optStr(ctx, 'snatIp');
    if (!snatTableId || !snatIp) {
      const nat = await p.getNatGateway(ctx.regionId, natGatewayId);
      if (!nat) throw vanished(ctx, natGatewayId);
      snatTableId ??= nat.snatTableId;
      if (!snatIp) {
        const first = nat.ips[0];
        if (!first) throw new KuberackError('ENGINE_NAT_NO_EIP', { step: ctx.step.key, natGatewayId });
        snatIp = first.ip;
      }
      await ctx.save({ snatTableId, snatIp });
    }
    const table = snatTableId;
    const ip = snatIp;
    let id = recorded(ctx) ?? recorded(ctx, 'adopted');
    if (!id) {
      try {
        const made = await p.createSnatEntry(
          {
            regionId: ctx.regionId,
            snatTableId: table,
            vswitchId,
            snatIp: ip,
            name: `k8s-${ctx.clusterId}-${ctx.step.key.replace(/\//g, '-')}`,
          },
          { clientToken: ctx.clientToken, tags: ctx.tags },
        );
        await ctx.save({ id: made.id });
        id = made.id;
      } catch (e) {
        if (!isCategory(e, 'already-exists')) throw e;
        const theirs = (await p.describeSnatEntries(ctx.regionId, table)).find(
          (x) => x.vswitchId === vswitchId,
        );
        if (!theirs) throw e;
        await ctx.save({ adopted: theirs.id });
        id = theirs.id;
      }
    }
    return readyWhen(
      ctx,
      id,
      (i) => p.getSnatEntry(ctx.regionId, table, i),
      'Available',
      (e) => ({ id: e.id, snatIp: e.snatIp, snatTableId: e.snatTableId }),
    );
  },
  release(ctx) {
    const table = recorded(ctx, 'snatTableId');
    if (!table) return Promise.resolve(done());
    return releaseRecorded(
      ctx,
      (i) => ctx.provider.getSnatEntry(ctx.regionId, table, i),
      (i) => ctx.provider.deleteSnatEntry(ctx.regionId, table, i),
    );
  },
};
