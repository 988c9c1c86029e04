// Steps beyond the cloud: cluster credentials, the hosted control plane, node registration and
// add-ons, each a thin call to the service the composition root supplies (ctx.services).
import { addonManifest, summarizeAddon } from '../../kube/addons/index.js';
import { isObject } from './inputs.js';
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
 * Components (M54–M60): the add-on's manifest is rendered (src/kube/addons) and recorded as its
 * objects' kinds and names and the sha256 of its YAML. Nothing applies it to a cluster yet, and the
 * outputs say so (`applied: false`); add-ons Kuberack does not render say `rendered: false`.
 */
export const addonStep: StepHandler = {
  apply: (ctx) => {
    const name = str(ctx, 'name');
    const config = isObject(ctx.inputs.config) ? ctx.inputs.config : {};
    const manifest = addonManifest(name, config, { regionId: ctx.regionId });
    if (!manifest) return Promise.resolve(done({ name, applied: false, rendered: false }));
    const summary = summarizeAddon(manifest);
    return Promise.resolve(
      done({ name, applied: false, rendered: true, objects: summary.objects, sha256: summary.sha256 }),
    );
  },
  release: () => Promise.resolve(done()),
};
