// The sweep after a delete or rollback: anything that still carries the cluster's owner tag was
// created but never recorded (a crash between the cloud's answer and our write); delete it too.
import { CloudError } from '../cloud/errors.js';
import { OWNER_CLUSTER_TAG, type Provider, type TaggedResource } from '../cloud/provider.js';

/** Dependants first, so each delete finds its children already gone. */
const ORDER: readonly TaggedResource['kind'][] = [
  'instance',
  'route-entry',
  'snat-entry',
  'eip',
  'slb',
  'nat-gateway',
  'ram-access-key',
  'ram-policy',
  'ram-user',
  'key-pair',
  'log-project',
  'security-group',
  'vswitch',
  'vpc',
];

async function remove(p: Provider, regionId: string, r: TaggedResource): Promise<void> {
  switch (r.kind) {
    case 'instance': {
      const i = await p.getInstance(regionId, r.id);
      if (i?.deletionProtection) await p.modifyInstance(regionId, r.id, { deletionProtection: false });
      if (i && i.status !== 'Deleting') await p.deleteInstance(regionId, r.id, { force: true });
      return;
    }
    case 'route-entry':
      return p.deleteRouteEntry(regionId, r.id);
    case 'snat-entry': {
      for (const nat of await p.describeNatGateways(regionId)) {
        const entries = await p.describeSnatEntries(regionId, nat.snatTableId);
        if (entries.some((e) => e.id === r.id)) return p.deleteSnatEntry(regionId, nat.snatTableId, r.id);
      }
      return;
    }
    case 'eip': {
      const e = await p.getEip(regionId, r.id);
      if (e?.instanceId) await p.unassociateEip(regionId, { allocationId: r.id, instanceId: e.instanceId });
      else if (e?.status === 'Available') await p.releaseEip(regionId, r.id);
      return;
    }
    case 'slb':
      await p.setLoadBalancerDeleteProtection(regionId, r.id, false);
      return p.deleteLoadBalancer(regionId, r.id);
    case 'nat-gateway':
      return p.deleteNatGateway(regionId, r.id);
    case 'ram-access-key':
      return;
    case 'ram-policy': {
      const policy = await p.getRamPolicy(r.id);
      for (const userName of policy?.attachedUsers ?? [])
        await p.detachPolicyFromUser({ policyName: r.id, userName });
      return p.deleteRamPolicy(r.id);
    }
    case 'ram-user': {
      for (const k of await p.listAccessKeys(r.id))
        await p.deleteAccessKey({ userName: r.id, accessKeyId: k.id });
      return p.deleteRamUser(r.id);
    }
    case 'key-pair':
      return p.deleteKeyPair(regionId, r.id);
    case 'log-project':
      return p.deleteLogProject(regionId, r.id);
    case 'security-group':
      return p.deleteSecurityGroup(regionId, r.id);
    case 'vswitch':
      return p.deleteVSwitch(regionId, r.id);
    case 'vpc':
      return p.deleteVpc(regionId, r.id);
  }
}

/**
 * One pass: tries to delete every resource tagged with the cluster, dependants first; returns
 * `kind/id` of what is still there (being deleted, or refused for now). Empty means clean.
 */
export async function sweepLeftovers(p: Provider, regionId: string, clusterId: string): Promise<string[]> {
  const found = await p.listResourcesByTag(regionId, { key: OWNER_CLUSTER_TAG, value: clusterId });
  const sorted = [...found].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  for (const r of sorted) {
    try {
      await remove(p, regionId, r);
    } catch (e) {
      if (!(e instanceof CloudError)) throw e;
    }
  }
  const left = await p.listResourcesByTag(regionId, { key: OWNER_CLUSTER_TAG, value: clusterId });
  return left.filter((r) => r.kind !== 'ram-access-key').map((r) => `${r.kind}/${r.id}`);
}
