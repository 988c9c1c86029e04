// Gathering what validation needs to know about the world (SpecFacts) from the provider and from
// Kuberack's own clusters: regions, allow-lists, the existing VPC, stock, images, key pairs, KMS keys,
// existing instances and log projects. The rules that use them stay pure in src/domain.
import { CloudError } from '../cloud/errors.js';
import { OWNER_CLUSTER_TAG, type Provider } from '../cloud/provider.js';
import type { ClusterSpec, SpecFacts, VpcFacts } from '../domain/spec/index.js';
import type { Queryable } from '../store/db.js';

/** Pod and Service CIDRs of the other live clusters in a VPC (M25, M27). */
async function clustersInVpc(q: Queryable, vpcId: string): Promise<VpcFacts['clusters']> {
  const rows = await q.all<{ id: string; spec: string }>(
    `SELECT id, spec FROM clusters WHERE state NOT IN ('deleted')`,
  );
  return rows.flatMap((r) => {
    const s = JSON.parse(r.spec) as ClusterSpec;
    const v = s.network.vpc;
    return v.mode === 'existing' && v.vpcId === vpcId
      ? [{ clusterId: r.id, podCidr: s.network.podCidr, serviceCidr: s.network.serviceCidr }]
      : [];
  });
}

export async function vpcFacts(p: Provider, q: Queryable, spec: ClusterSpec): Promise<VpcFacts | undefined> {
  const v = spec.network.vpc;
  if (v.mode !== 'existing') return undefined;
  const vpc = await p.getVpc(spec.regionId, v.vpcId);
  if (!vpc) return undefined;
  const [vswitches, nats, routes, groups] = await Promise.all([
    p.describeVSwitches(spec.regionId, vpc.id),
    p.describeNatGateways(spec.regionId, vpc.id),
    p.describeRouteEntries(spec.regionId, vpc.routeTableId),
    p.describeSecurityGroups(spec.regionId, vpc.id),
  ]);
  const nat = nats.find((n) => n.status === 'Available') ?? null;
  return {
    vpcId: vpc.id,
    cidr: vpc.cidr,
    kind: v.kind,
    regionId: spec.regionId,
    natGatewayId: nat?.id ?? null,
    routeTableId: vpc.routeTableId,
    routeEntriesInUse: routes.length,
    // The emulated cloud's only way out of a VPC is a NAT gateway.
    hasInternetRoute: nat !== null,
    vswitches: vswitches.map((s) => ({ vswitchId: s.id, zoneId: s.zoneId, cidr: s.cidr })),
    clusters: await clustersInVpc(q, vpc.id),
    securityGroupIds: groups.map((g) => g.id),
  };
}

export async function gatherFacts(p: Provider, q: Queryable, spec: ClusterSpec): Promise<SpecFacts> {
  const region = spec.regionId;
  const regions = await p.describeRegions();
  // An unknown region: the region rule says so; nothing else can be looked up there.
  if (!regions.some((r) => r.regionId === region))
    return { regions: regions.map((r) => ({ regionId: r.regionId, zoneIds: [] })) };
  const [zones, account, stock, images, vpc] = await Promise.all([
    Promise.all(
      regions.map(async (r) => ({
        regionId: r.regionId,
        zoneIds: (await p.describeZones(r.regionId)).map((z) => z.zoneId),
      })),
    ),
    p.accountFacts(region),
    p.describeInstanceTypeStock(region),
    p.describeImages(region),
    vpcFacts(p, q, spec),
  ]);
  const byZone: Record<string, string[]> = {};
  for (const s of stock) if (s.status === 'available') (byZone[s.zoneId] ??= []).push(s.instanceType);
  const facts: {
    -readonly [K in keyof SpecFacts]: SpecFacts[K];
  } = {
    regions: zones,
    account: { allowlists: account.allowlists, resourceGroupIds: account.resourceGroupIds },
    stock: byZone,
    images: images.map((i) => ({ imageId: i.imageId, os: i.platform })),
  };
  if (vpc) facts.vpc = vpc;
  const login = spec.workers.login;
  if (login.type === 'key-pair' && login.keyPair.mode === 'existing')
    facts.keyPairNames = (await p.getKeyPair(region, login.keyPair.name)) ? [login.keyPair.name] : [];
  const kms = spec.secretEncryption?.kmsKeyId;
  if (kms) facts.kmsKeyIds = (await p.getKmsKey(region, kms))?.state === 'Enabled' ? [kms] : [];
  const inst = spec.workers.instances;
  if (inst.mode === 'existing')
    facts.instances = (await Promise.all(inst.instanceIds.map((id) => p.getInstance(region, id)))).flatMap(
      (i) =>
        i
          ? [
              {
                instanceId: i.id,
                regionId: i.regionId,
                vpcId: i.vpcId,
                clusterId: i.tags.find((t) => t.key === OWNER_CLUSTER_TAG)?.value ?? null,
              },
            ]
          : [],
    );
  const log = spec.components.logService;
  if (log.enabled && log.project.mode === 'existing')
    facts.logProjects = (await p.getLogProject(region, log.project.name)) ? [log.project.name] : [];
  return facts;
}

/**
 * The provider with every call retried on transient and unknown errors (up to 6 tries, backoff from
 * 20 ms): for the reads a request makes before it creates anything, so a throttled look-up does not
 * fail the user's request. Steps do not use it: the engine retries them itself.
 */
export function retryingReads(p: Provider): Provider {
  return new Proxy(p, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        for (let attempt = 0; ; attempt++) {
          try {
            return (await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)) as unknown;
          } catch (e) {
            if (!(e instanceof CloudError) || !e.retryable || attempt >= 5) throw e;
            await new Promise((r) => setTimeout(r, Math.max(e.retryAfterMs ?? 0, 20 * 2 ** attempt)));
          }
        }
      };
    },
  });
}
