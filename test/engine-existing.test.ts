// Clusters in what the tenant already has (M12, M28, M40): an existing VPC and vSwitch, its NAT
// gateway reused for SNAT, and an existing instance adopted (re-imaged and joined); deleting the
// cluster detaches that instance and returns it running instead of releasing it.
import { beforeAll, expect, it } from 'vitest';
import { OWNER_CLUSTER_TAG, type Provider } from '../src/cloud/provider.js';
import { createCluster, deleteCluster } from '../src/engine/clusters.js';
import { ACCESS_KEY, exampleSpec, makeWorld, type World } from './support/engine-world.js';
import { describeEachDatabase } from './support/postgres.js';

const R = 'cn-hangzhou';
const opts = (t: string) => ({ clientToken: t, tags: [{ key: 'owner', value: 'tenant' }] });

async function tenantNetwork(p: Provider) {
  const vpc = await p.createVpc({ regionId: R, cidr: '10.0.0.0/8', name: 'tenant-vpc' }, opts('t-vpc'));
  const vsw = await p.createVSwitch(
    { regionId: R, vpcId: vpc.id, zoneId: 'cn-hangzhou-i', cidr: '10.1.0.0/16', name: 'tenant-vsw' },
    opts('t-vsw'),
  );
  const sg = await p.createSecurityGroup(
    { regionId: R, vpcId: vpc.id, type: 'normal', name: 'tenant-sg' },
    opts('t-sg'),
  );
  const nat = await p.createNatGateway(
    { regionId: R, vpcId: vpc.id, vswitchId: vsw.id, name: 'tenant-nat' },
    opts('t-nat'),
  );
  const eip = await p.allocateEip({ regionId: R, name: 'tenant-nat' }, opts('t-eip'));
  await p.associateEip(R, { allocationId: eip.id, instanceId: nat.id, instanceType: 'Nat' });
  const inst = await p.runInstance(
    {
      regionId: R,
      vswitchId: vsw.id,
      securityGroupIds: [sg.id],
      instanceType: 'ecs.gn7i-c8g1.2xlarge',
      imageId: 'centos_7_9_x64_20G_alibase_20240628.vhd',
      name: 'tenant-gpu',
      systemDisk: { category: 'cloud_essd', sizeGiB: 100, performanceLevel: 'PL0' },
      dataDisks: [],
      userData: '',
      chargeType: 'PostPaid',
      deletionProtection: false,
    },
    opts('t-inst'),
  );
  return { vpc, vsw, sg, nat, eip, inst };
}

describeEachDatabase('engine: existing VPC, reused NAT, adopted instance', (open) => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld(await open());
  });

  it('M12 M28 M40 the cluster joins the tenant’s instance, and delete returns it running and untagged', async () => {
    const p = w.emulator.provider(ACCESS_KEY);
    const t = await tenantNetwork(p);
    const spec = {
      ...exampleSpec(),
      name: 'adopting',
      network: {
        vpc: { mode: 'existing', vpcId: t.vpc.id, kind: 'normal' },
        vswitches: [{ mode: 'existing', vswitchId: t.vsw.id }],
        plugin: 'flannel',
        nodeIpCount: 64,
        podCidr: '172.20.0.0/16',
        serviceCidr: '172.21.0.0/20',
        apiServer: { slbSpec: 'slb.s1.small', publicAccess: false },
      },
      workers: {
        ...(exampleSpec().workers as object),
        instances: { mode: 'existing', instanceIds: [t.inst.id] },
      },
    };
    const { clusterId } = await createCluster(w.engine, { tenantId: 't1', accessKeyId: ACCESS_KEY, spec });
    expect(await w.runUntil(clusterId, ['running', 'failed'])).toBe('running');

    const owned = (await w.emulator.inventory(ACCESS_KEY)).filter((r) =>
      r.tags.some((x) => x.value === clusterId),
    );
    expect(owned.some((r) => r.kind === 'vpc' || r.kind === 'vswitch' || r.kind === 'nat-gateway')).toBe(
      false,
    );
    // M28: SNAT through the tenant's NAT gateway: one entry for our vSwitch, on their gateway.
    expect(owned.filter((r) => r.kind === 'snat-entry')).toHaveLength(1);
    expect((await p.describeSnatEntries(R, t.nat.snatTableId)).map((e) => e.vswitchId)).toEqual([t.vsw.id]);
    const adopted = await p.getInstance(R, t.inst.id);
    expect(adopted?.imageId).toBe('aliyun_2_1903_x64_20G_alibase_20240628.vhd');
    expect(adopted?.tags.some((x) => x.key === OWNER_CLUSTER_TAG && x.value === clusterId)).toBe(true);
    const node = await w.db.one<{ gpu_count: number }>(
      'SELECT gpu_count FROM nodes WHERE cluster_id = $1 AND instance_id = $2',
      [clusterId, t.inst.id],
    );
    expect(Number(node?.gpu_count)).toBe(1);

    await deleteCluster(w.engine, clusterId);
    expect(await w.runUntil(clusterId, ['deleted', 'delete_failed'])).toBe('deleted');
    const back = await p.getInstance(R, t.inst.id);
    expect(back?.status).toBe('Running');
    expect(back?.securityGroupIds).toEqual([t.sg.id]);
    expect(back?.tags.some((x) => x.key === OWNER_CLUSTER_TAG)).toBe(false);
    for (const id of [t.vpc.id, t.vsw.id, t.nat.id])
      expect((await w.emulator.inventory(ACCESS_KEY)).some((r) => r.id === id)).toBe(true);
    const left = (await w.emulator.inventory(ACCESS_KEY)).filter((r) =>
      r.tags.some((x) => x.key === OWNER_CLUSTER_TAG),
    );
    expect(left).toEqual([]);
  });
});
