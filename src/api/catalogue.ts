// The caller's cloud account over HTTP (issue 8): what the console's wizard looks up (regions, zones,
// GPU instance types with stock per zone (M42), versions (M19), images, key pairs, VPCs, vSwitches,
// security groups, a CIDR recommendation (M24)), quotas and tickets (M13), subscription (M14).
import {
  describeAccelerator,
  INSTANCE_TYPES,
  KUBERACK_KUBERNETES_VERSIONS,
} from '../domain/catalogue/index.js';
import {
  effectiveQuota,
  isQuotaName,
  QUOTA_NAMES,
  QUOTA_SCOPES,
  type QuotaName,
} from '../domain/limits/index.js';
import { isNodeIpCount, recommendNetwork, type TakenCidr } from '../domain/net/index.js';
import { problem, type Problem } from '../domain/problems.js';
import { audited } from './audit.js';
import type { Principal } from './auth.js';
import { HttpError, invalidBody, type Reply, type Request, type Router } from './http.js';
import type { NativeApi } from './native.js';

function regionOf(req: Request): string {
  const region = req.query.get('regionId');
  if (!region) throw invalidBody([problem('regionId', 'FIELD_TYPE', { expected: 'a region id' })]);
  return region;
}

export function catalogueRoutes(router: Router, api: NativeApi): void {
  const get = (path: string, fn: (req: Request, p: Principal) => Promise<unknown>) =>
    router.on('GET', path, async (req): Promise<Reply> => {
      const p = await api.auth.verify(req, await req.rawBody());
      return { status: 200, body: { items: await fn(req, p) } };
    });
  const cloud = (p: Principal) => api.engine.options.provider(p.cloudAccessKeyId);

  get('/v1/catalogue/regions', async (_req, p) => {
    const c = cloud(p);
    return Promise.all(
      (await c.describeRegions()).map(async (r) => ({
        ...r,
        zones: (await c.describeZones(r.regionId)).map((z) => z.zoneId),
      })),
    );
  });
  get('/v1/catalogue/instance-types', async (req, p) => {
    const stock = await cloud(p).describeInstanceTypeStock(
      regionOf(req),
      req.query.get('zoneId') ?? undefined,
    );
    const gpuOnly = req.query.get('category');
    return INSTANCE_TYPES.filter((t) => !gpuOnly || t.category === gpuOnly).map((t) => ({
      id: t.id,
      family: t.family,
      category: t.category,
      vcpu: t.vcpu,
      memoryGiB: t.memoryGiB,
      accelerator: { ...t.accelerator, description: describeAccelerator(t) },
      inStock: stock.filter((s) => s.instanceType === t.id && s.status === 'available').map((s) => s.zoneId),
      soldOut: stock.filter((s) => s.instanceType === t.id && s.status === 'sold-out').map((s) => s.zoneId),
    }));
  });
  get('/v1/catalogue/kubernetes-versions', () =>
    Promise.resolve(KUBERACK_KUBERNETES_VERSIONS.filter((v) => v.creatable && !v.deprecated)),
  );
  get('/v1/catalogue/images', (req, p) => cloud(p).describeImages(regionOf(req)));
  get('/v1/catalogue/vpcs', (req, p) => cloud(p).describeVpcs(regionOf(req)));
  get('/v1/catalogue/vswitches', (req, p) =>
    cloud(p).describeVSwitches(regionOf(req), req.query.get('vpcId') ?? undefined),
  );
  get('/v1/catalogue/security-groups', (req, p) =>
    cloud(p).describeSecurityGroups(regionOf(req), req.query.get('vpcId') ?? undefined),
  );
  get('/v1/catalogue/key-pairs', async (req, p) => {
    // The provider port reads one key pair by name; the console asks whether a typed name exists.
    const name = req.query.get('name');
    if (!name) throw invalidBody([problem('name', 'FIELD_TYPE', { expected: 'a key pair name' })]);
    const kp = await cloud(p).getKeyPair(regionOf(req), name);
    return kp ? [{ name: kp.name, fingerprint: kp.fingerprint }] : [];
  });
  // M24: Pod and Service CIDRs that avoid the VPC's vSwitches and other clusters' ranges.
  get('/v1/network/recommendation', async (req, p) => {
    const problems: Problem[] = [];
    const plugin = req.query.get('plugin') ?? 'flannel';
    const nodeIpCount = Number(req.query.get('nodeIpCount') ?? 256);
    if (plugin !== 'flannel' && plugin !== 'terway')
      problems.push(problem('plugin', 'FIELD_PATTERN', { format: 'flannel | terway' }));
    if (!isNodeIpCount(nodeIpCount))
      problems.push(problem('nodeIpCount', 'FIELD_PATTERN', { format: '16, 32, 64, 128 or 256' }));
    if (problems.length > 0) throw invalidBody(problems);
    const vpcId = req.query.get('vpcId');
    const taken: TakenCidr[] = [];
    let vpcCidr: string | undefined;
    if (vpcId) {
      const region = regionOf(req);
      const vpc = await cloud(p).getVpc(region, vpcId);
      vpcCidr = vpc?.cidr;
      for (const v of await cloud(p).describeVSwitches(region, vpcId))
        taken.push({ cidr: v.cidr, label: `vSwitch ${v.id}` });
    }
    const r = recommendNetwork({ vpcCidr, taken, nodeIpCount, plugin: plugin as 'flannel' | 'terway' });
    return r ? [r] : [];
  });
}

/** M13 quotas (limit and use) and tickets for higher limits; M14 a node's conversion to subscription. */
export function accountRoutes(router: Router, api: NativeApi): void {
  /** A signed route; one that changes something (`action` given) is written to the audit log. */
  const signed = (
    method: string,
    path: string,
    status: number,
    fn: (req: Request, p: Principal) => Promise<unknown>,
    action?: string,
  ) =>
    router.on(method, path, async (req): Promise<Reply> => {
      const p = await api.auth.verify(req, await req.rawBody());
      const run = async (): Promise<Reply> => ({ status, body: await fn(req, p) });
      return action ? audited(api.db, req, p, action, req.params.id ?? null, run) : run();
    });
  const cloud = (p: Principal) => api.engine.options.provider(p.cloudAccessKeyId);

  signed('GET', '/v1/quotas', 200, async (req, p) => {
    const facts = await cloud(p).accountFacts(regionOf(req), {
      vpcId: req.query.get('vpcId') ?? undefined,
      routeTableId: req.query.get('routeTableId') ?? undefined,
    });
    return {
      balanceCny: facts.balanceCny,
      realNameVerified: facts.realNameVerified,
      items: QUOTA_NAMES.map((quota) => ({
        quota,
        limit: effectiveQuota(quota, facts.quotas),
        used: facts.usage[quota] ?? null,
        scope: QUOTA_SCOPES[quota],
      })),
    };
  });
  signed('GET', '/v1/quota-requests', 200, async (_req, p) => ({
    items: await cloud(p).listQuotaIncreases(),
  }));
  signed(
    'POST',
    '/v1/quota-requests',
    201,
    async (req, p) => {
      const b = (await req.body()) as Record<string, unknown> | undefined;
      const problems: Problem[] = [];
      if (typeof b?.quota !== 'string' || !isQuotaName(b.quota))
        problems.push(problem('quota', 'FIELD_PATTERN', { format: QUOTA_NAMES.join(' | ') }));
      if (typeof b?.requestedLimit !== 'number')
        problems.push(problem('requestedLimit', 'FIELD_TYPE', { expected: 'number' }));
      if (typeof b?.reason !== 'string')
        problems.push(problem('reason', 'FIELD_TYPE', { expected: 'string' }));
      if (problems.length > 0) throw invalidBody(problems);
      return cloud(p).requestQuotaIncrease({
        quota: b?.quota as QuotaName,
        requestedLimit: b?.requestedLimit as number,
        reason: b?.reason as string,
      });
    },
    'quota-request.create',
  );
  signed(
    'POST',
    '/v1/clusters/{id}/nodes/{instanceId}/subscription',
    200,
    async (req, p) => {
      const id = req.params.id ?? '';
      const node = await api.db.one<{ region_id: string }>(
        `SELECT c.region_id FROM nodes n JOIN clusters c ON c.id = n.cluster_id
       WHERE n.cluster_id = $1 AND n.instance_id = $2 AND c.tenant_id = $3 AND c.state <> 'deleted'`,
        [id, req.params.instanceId ?? '', p.tenantId],
      );
      if (!node) throw new HttpError(404, 'API_NOT_FOUND', { path: req.path });
      const b = (await req.body()) as Record<string, unknown> | undefined;
      const months = b?.months;
      if (typeof months !== 'number' || !Number.isInteger(months))
        throw invalidBody([problem('months', 'FIELD_TYPE', { expected: 'a whole number of months' })]);
      return cloud(p).convertToSubscription(node.region_id, [req.params.instanceId ?? ''], {
        months,
        autoRenew: b?.autoRenew === true,
      });
    },
    'node.subscription',
  );
}
