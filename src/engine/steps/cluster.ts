// Steps beyond the cloud: cluster credentials, the hosted control plane, node registration and
// add-ons, each a thin call to the service the composition root supplies (ctx.services).
import { done, optStr, recorded, str, waiting, type StepHandler } from './types.js';

/**
 * PKI and join credentials (M37, M38): the service keeps the secrets, the outputs are public. The plan
 * refers to this step by its `id` (the workers' bootstrap, the control plane): the cluster's id, the
 * key the service keeps the credentials under, unless the service names its own.
 */
export const clusterCredentialsStep: StepHandler = {
  async apply(ctx) {
    return done({ id: ctx.clusterId, ...(await ctx.services.credentials.ensure(ctx.clusterId, ctx.inputs)) });
  },
  async release(ctx) {
    await ctx.services.credentials.remove(ctx.clusterId);
    return done();
  },
};

/**
 * The hosted control plane (architecture decision 7): ready when its host says so. Node checks and
 * add-ons refer to it by `id`: the cluster's id, unless the host names its own.
 */
export const controlPlaneStep: StepHandler = {
  async apply(ctx) {
    const cp = await ctx.services.controlPlanes.ensure(ctx.clusterId, ctx.inputs);
    return cp.ready
      ? done({ id: ctx.clusterId, ...cp.outputs })
      : waiting('waiting for the hosted control plane to become ready');
  },
  async release(ctx) {
    return (await ctx.services.controlPlanes.remove(ctx.clusterId))
      ? done()
      : waiting('waiting for the hosted control plane to stop');
  },
};

/** M9, M62: a worker counts once its agent has registered it and reported its GPUs. */
export const nodeReadyStep: StepHandler = {
  async apply(ctx) {
    const instanceId = str(ctx, 'instanceId');
    if (recorded(ctx, 'instanceId') !== instanceId) await ctx.save({ instanceId });
    const node = await ctx.services.nodes.find(ctx.clusterId, instanceId);
    if (!node) return waiting(`waiting for node ${instanceId} to register and report its GPUs`);
    return done({ nodeName: node.nodeName, gpuCount: node.gpuCount });
  },
  async release(ctx) {
    const instanceId = recorded(ctx, 'instanceId') ?? optStr(ctx, 'instanceId');
    if (instanceId) await ctx.services.nodes.remove(ctx.clusterId, instanceId);
    return done();
  },
};

/**
 * Components (M54–M60). Add-on manifests are applied by the control plane (issue #5); until then the
 * step records the add-on by name and says plainly that nothing was applied.
 */
export const addonStep: StepHandler = {
  apply: (ctx) => Promise.resolve(done({ name: str(ctx, 'name'), applied: false })),
  release: () => Promise.resolve(done()),
};
