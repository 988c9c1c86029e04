// API server endpoint steps (M7, M8, M11, M29): the internal SLB and its TCP listeners (6443, and
// 8443 and 22 when public); a listener's `endpoint` is the SLB address and its port.
import { createOnce, deleteIgnoringGone, readyWhen, releaseRecorded, vanished } from './common.js';
import { num } from './inputs.js';
import { done, str, waiting, type StepHandler } from './types.js';

export const slbStep: StepHandler = {
  async apply(ctx) {
    const p = ctx.provider;
    const addressType = str(ctx, 'addressType');
    const chargeType = str(ctx, 'chargeType');
    if (addressType !== 'intranet' && addressType !== 'internet')
      throw new Error(`step ${ctx.step.key}: address type ${addressType} is not intranet or internet`);
    if (chargeType !== 'pay-as-you-go')
      throw new Error(`step ${ctx.step.key}: an SLB is pay-as-you-go only, not ${chargeType}`);
    const id = await createOnce(ctx, () =>
      p.createLoadBalancer(
        {
          regionId: ctx.regionId,
          vswitchId: str(ctx, 'vswitchId'),
          addressType,
          spec: str(ctx, 'spec'),
          name: str(ctx, 'name'),
        },
        { clientToken: ctx.clientToken, tags: ctx.tags },
      ),
    );
    return readyWhen(
      ctx,
      id,
      (i) => p.getLoadBalancer(ctx.regionId, i),
      'active',
      (lb) => ({ id: lb.id, address: lb.address, addressType: lb.addressType }),
    );
  },
  /** Delete protection (set by anyone) would refuse the delete: it is turned off first. */
  release: (ctx) =>
    releaseRecorded(
      ctx,
      (i) => ctx.provider.getLoadBalancer(ctx.regionId, i),
      async (i) => {
        await ctx.provider.setLoadBalancerDeleteProtection(ctx.regionId, i, false);
        await ctx.provider.deleteLoadBalancer(ctx.regionId, i);
      },
    ),
};

/** A TCP listener forwarding `port` to the same port on the backends; ready when running. */
export const slbListenerStep: StepHandler = {
  async apply(ctx) {
    const p = ctx.provider;
    const loadBalancerId = str(ctx, 'loadBalancerId');
    const port = num(ctx, 'port');
    const protocol = str(ctx, 'protocol');
    if (protocol !== 'tcp') throw new Error(`step ${ctx.step.key}: only TCP listeners are supported`);
    let lb = await p.getLoadBalancer(ctx.regionId, loadBalancerId);
    if (!lb) throw vanished(ctx, loadBalancerId);
    if (!lb.listeners.some((l) => l.port === port)) {
      await p.createListener(ctx.regionId, { loadBalancerId, port, protocol, backendPort: port });
      lb = await p.getLoadBalancer(ctx.regionId, loadBalancerId);
      if (!lb) throw vanished(ctx, loadBalancerId);
    }
    const listener = lb.listeners.find((l) => l.port === port);
    if (listener?.status !== 'running')
      return waiting(`${ctx.step.key}: listener ${port} is ${listener?.status ?? 'missing'}`);
    return done({ endpoint: `${lb.address}:${port}`, loadBalancerId, port });
  },
  async release(ctx) {
    const loadBalancerId = str(ctx, 'loadBalancerId');
    const port = num(ctx, 'port');
    await deleteIgnoringGone(() => ctx.provider.deleteListener(ctx.regionId, { loadBalancerId, port }));
    return done();
  },
};
