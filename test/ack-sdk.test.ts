// The ACK facade driven by the official @alicloud/cs20151215 SDK, unchanged (issue 8): create → poll
// the task to success → detail running → nodes → kubeconfig → delete → 404 ErrorClusterNotFound.
import CsModule, * as $Cs from '@alicloud/cs20151215';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { Authenticator } from '../src/api/auth.js';
import type { RunningServer } from '../src/main/server.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const AK = 'KRACKSDKTEST001';
const SK = 'ack-sdk-test-secret-0123456789';
let server: RunningServer;
// The package is CommonJS with `exports.default = Client`; depending on the loader's interop the
// default import is the class or the module holding it.
type ClientClass = typeof $Cs.default.default;
const loaded = CsModule as unknown as { default?: unknown };
const Client = (typeof loaded.default === 'function' ? loaded.default : CsModule) as unknown as ClientClass;
type Client = InstanceType<ClientClass>;
let client: Client;

function sdk(accessKeySecret = SK): Client {
  // The SDK's own constructor, pointed at Kuberack: endpoint is host:port, plain HTTP.
  return new Client({
    accessKeyId: AK,
    accessKeySecret,
    endpoint: new URL(server.url).host,
    protocol: 'HTTP',
    regionId: 'cn-hangzhou',
  } as ConstructorParameters<typeof Client>[0]);
}

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer({ accessKeyId: AK, accessKeySecret: SK }, { keyPair: 'sdk-key' });
  server = test.server;
  client = sdk();
});

afterAll(async () => {
  await test.stop();
});

describe('ACK facade with the official SDK', { timeout: 60_000 }, () => {
  let clusterId = '';

  it('M1 M9 CreateCluster, then DescribeTaskInfo until success and DescribeClusterDetail running', async () => {
    const req = new $Cs.CreateClusterRequest({
      name: 'sdk-gpu',
      clusterType: 'ManagedKubernetes',
      regionId: 'cn-hangzhou',
      zoneIds: ['cn-hangzhou-i'],
      containerCidr: '172.20.0.0/16',
      serviceCidr: '172.21.0.0/20',
      nodeCidrMask: '26',
      snatEntry: true,
      endpointPublicAccess: true,
      workerInstanceTypes: ['ecs.gn7i-c8g1.2xlarge'],
      numOfNodes: 2,
      workerSystemDiskCategory: 'cloud_essd',
      workerSystemDiskSize: 120,
      keyPair: 'sdk-key',
      tags: [new $Cs.Tag({ key: 'team', value: 'ml' })],
    });
    const created = await client.createCluster(req);
    clusterId = created.body?.clusterId ?? '';
    expect(clusterId).toMatch(/^c[0-9a-f]{32}$/);
    const taskId = created.body?.taskId ?? '';
    let state = '';
    for (let i = 0; i < 300 && state !== 'success' && state !== 'fail'; i++) {
      state = (await client.describeTaskInfo(taskId)).body?.state ?? '';
      if (state === 'running') await new Promise((r) => setTimeout(r, 50));
    }
    expect(state).toBe('success');
    const detail = (await client.describeClusterDetail(clusterId)).body;
    expect(detail?.state).toBe('running');
    expect(detail?.size).toBe(2);
    expect(detail?.containerCidr).toBe('172.20.0.0/16');
    expect(JSON.parse(detail?.masterUrl ?? '{}').api_server_endpoint).toMatch(/^https:\/\/[\d.]+:6443$/);
    expect(detail?.tags?.map((t) => `${t.key}=${t.value}`)).toEqual(['team=ml']);
  });

  it('M62 DescribeClusterNodes lists the two workers; DescribeClustersV1 lists the cluster', async () => {
    const nodes = (await client.describeClusterNodes(clusterId, new $Cs.DescribeClusterNodesRequest({})))
      .body;
    expect(nodes?.nodes?.map((n) => n.instanceType)).toEqual([
      'ecs.gn7i-c8g1.2xlarge',
      'ecs.gn7i-c8g1.2xlarge',
    ]);
    expect(nodes?.nodes?.every((n) => n.nodeStatus === 'Ready')).toBe(true);
    const list = (await client.describeClustersV1(new $Cs.DescribeClustersV1Request({}))).body;
    expect(list?.clusters?.map((c) => c.clusterId)).toContain(clusterId);
  });

  it('DescribeClusterResources names the API server SLB and the workers; DescribeClusterEvents pages the events', async () => {
    const resources =
      (await client.describeClusterResources(clusterId, new $Cs.DescribeClusterResourcesRequest({}))).body ??
      [];
    const types = resources.map((r) => r.resourceType);
    expect(types).toEqual(
      expect.arrayContaining(['ALIYUN::SLB::LoadBalancer', 'ALIYUN::ECS::VPC', 'ALIYUN::ECS::Instance']),
    );
    expect(resources.filter((r) => r.resourceType === 'ALIYUN::ECS::Instance')).toHaveLength(2);
    expect(resources.every((r) => r.state === 'CREATE_COMPLETE' && r.autoCreate === 1)).toBe(true);
    const events = (
      await client.describeClusterEvents(clusterId, new $Cs.DescribeClusterEventsRequest({ pageSize: 5 }))
    ).body;
    expect(events?.events).toHaveLength(5);
    expect(events?.pageInfo?.totalCount).toBeGreaterThan(30);
  });

  it('M65 CreateClusterNodePool adds T4 workers; DescribeClusterNodePools shows both pools', async () => {
    const created = await client.createClusterNodePool(
      clusterId,
      new $Cs.CreateClusterNodePoolRequest({
        nodepoolInfo: new $Cs.CreateClusterNodePoolRequestNodepoolInfo({ name: 't4' }),
        scalingGroup: new $Cs.CreateClusterNodePoolRequestScalingGroup({
          instanceTypes: ['ecs.gn6i-c4g1.xlarge'],
          desiredSize: 1,
        }),
      }),
    );
    expect(created.body?.nodepoolId).toBe('np-t4');
    let state = '';
    for (let i = 0; i < 300 && state !== 'success' && state !== 'fail'; i++) {
      state = (await client.describeTaskInfo(created.body?.taskId ?? '')).body?.state ?? '';
      if (state === 'running') await new Promise((r) => setTimeout(r, 50));
    }
    expect(state).toBe('success');
    const pools =
      (await client.describeClusterNodePools(clusterId, new $Cs.DescribeClusterNodePoolsRequest({}))).body
        ?.nodepools ?? [];
    expect(
      pools.map((p) => `${p.nodepoolInfo?.name} ${p.status?.totalNodes}/${p.status?.healthyNodes}`),
    ).toEqual(['default-nodepool 2/2', 't4 1/1']);
    expect(pools[0]?.nodepoolInfo?.isDefault).toBe(true);
  });

  it('M19 DescribeKubernetesVersionMetadata lists the creatable versions with runtimes and images', async () => {
    const versions =
      (
        await client.describeKubernetesVersionMetadata(
          new $Cs.DescribeKubernetesVersionMetadataRequest({
            clusterType: 'ManagedKubernetes',
            region: 'cn-hangzhou',
            mode: 'creatable',
          }),
        )
      ).body ?? [];
    expect(versions[0]?.version).toBe('1.34.1-aliyun.1');
    expect(versions.every((v) => v.creatable)).toBe(true);
    expect(versions[0]?.runtimes?.map((r) => r.name)).toContain('containerd');
    expect(versions[0]?.images?.map((i) => i.platform)).toContain('aliyun-linux-2');
  });

  it('M63 DescribeClusterUserKubeconfig returns a kubeconfig for the public endpoint', async () => {
    const r = (
      await client.describeClusterUserKubeconfig(
        clusterId,
        new $Cs.DescribeClusterUserKubeconfigRequest({ temporaryDurationMinutes: 60 }),
      )
    ).body;
    const doc = parseYaml(r?.config ?? '') as { clusters: { cluster: { server: string } }[] };
    expect(doc.clusters[0]?.cluster.server).toMatch(/^https:\/\/[\d.]+:6443$/);
    expect(Date.parse(r?.expiration ?? '') - Date.now()).toBeGreaterThan(55 * 60_000);
  });

  it('tenant isolation: another tenant’s SDK finds none of the cluster’s paths', async () => {
    const auth = new Authenticator(server.db, server.runtime.box);
    const key = await server.db.transaction(async (q) => {
      const t = await auth.createTenant(q, 'other', 'OtherAckTenant');
      return auth.issueAccessKey(q, t.tenantId, t.userId);
    });
    const other = new Client({
      accessKeyId: key.id,
      accessKeySecret: key.secret,
      endpoint: new URL(server.url).host,
      protocol: 'HTTP',
      regionId: 'cn-hangzhou',
    } as ConstructorParameters<typeof Client>[0]);
    const notFound = { code: 'ErrorClusterNotFound', statusCode: 404 };
    await expect(other.describeClusterDetail(clusterId)).rejects.toMatchObject(notFound);
    await expect(
      other.describeClusterNodes(clusterId, new $Cs.DescribeClusterNodesRequest({})),
    ).rejects.toMatchObject(notFound);
    await expect(
      other.describeClusterResources(clusterId, new $Cs.DescribeClusterResourcesRequest({})),
    ).rejects.toMatchObject(notFound);
    await expect(other.deleteCluster(clusterId, new $Cs.DeleteClusterRequest({}))).rejects.toMatchObject(
      notFound,
    );
    await expect(
      other.describeClusterUserKubeconfig(clusterId, new $Cs.DescribeClusterUserKubeconfigRequest({})),
    ).rejects.toMatchObject(notFound);
    expect((await other.describeClustersV1(new $Cs.DescribeClustersV1Request({}))).body?.clusters).toEqual(
      [],
    );
  });

  it('a wrong secret and a bad request are refused in ACK’s error shape', async () => {
    await expect(sdk('wrong').describeClusterDetail(clusterId)).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
    await expect(
      client.createCluster(new $Cs.CreateClusterRequest({ name: '', regionId: 'mars-1' })),
    ).rejects.toMatchObject({
      code: 'InvalidParameter',
    });
  });

  it('M32 ModifyCluster turns deletion protection on and off; DescribeClusterDetail shows it; unsupported fields are refused', async () => {
    await client.modifyCluster(clusterId, new $Cs.ModifyClusterRequest({ deletionProtection: true }));
    expect((await client.describeClusterDetail(clusterId)).body?.deletionProtection).toBe(true);
    await expect(client.deleteCluster(clusterId, new $Cs.DeleteClusterRequest({}))).rejects.toMatchObject({
      code: 'ErrorClusterDeletionProtection',
    });
    await expect(
      client.modifyCluster(
        clusterId,
        new $Cs.ModifyClusterRequest({ clusterName: 'renamed', deletionProtection: false }),
      ),
    ).rejects.toMatchObject({ code: 'InvalidParameter', statusCode: 400 });
    expect((await client.describeClusterDetail(clusterId)).body?.deletionProtection).toBe(true);
    await client.modifyCluster(clusterId, new $Cs.ModifyClusterRequest({ deletionProtection: false }));
    expect((await client.describeClusterDetail(clusterId)).body?.deletionProtection).toBe(false);
    // Every call that changed something, or tried to, is in the audit log under the SDK's action name.
    const audit = await server.db.all<{ action: string; status: number }>(
      "SELECT action, status FROM audit_log WHERE action LIKE 'ack.%' ORDER BY at",
    );
    expect(audit.map((a) => `${a.action} ${a.status}`)).toEqual(
      expect.arrayContaining([
        'ack.CreateCluster 200',
        'ack.CreateClusterNodePool 200',
        'ack.ModifyCluster 200',
        'ack.ModifyCluster 400',
        'ack.DeleteCluster 409',
      ]),
    );
  });

  it('M64 DeleteCluster, the task succeeds, and the cluster then answers 404 ErrorClusterNotFound', async () => {
    const del = await client.deleteCluster(clusterId, new $Cs.DeleteClusterRequest({}));
    const taskId = del.body?.taskId ?? '';
    let state = '';
    for (let i = 0; i < 300 && state !== 'success' && state !== 'fail'; i++) {
      state = (await client.describeTaskInfo(taskId)).body?.state ?? '';
      if (state === 'running') await new Promise((r) => setTimeout(r, 50));
    }
    expect(state).toBe('success');
    await expect(client.describeClusterDetail(clusterId)).rejects.toMatchObject({
      code: 'ErrorClusterNotFound',
      statusCode: 404,
    });
  });
});
