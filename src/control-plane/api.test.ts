// Tests of the emulated API server's answers without TLS: Node objects from registered nodes (GPU
// labels and capacity, MIG, readiness), tables, selectors, discovery, and Status for what is not served.
import { describe, expect, it } from 'vitest';
import type { GpuDevice, GpuReport } from '../domain/gpu/index.js';
import { handleApiRequest, negotiate, type ApiRequest, type ApiUser } from './api.js';
import { buildNode, stableUid, type JsonObject, type NodeSource } from './objects.js';
import { parseLabelSelector } from './selectors.js';
import { humanDuration } from './tables.js';

// Loose JSON for assertions on response bodies.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const NOW = Date.parse('2025-06-01T12:00:00Z');
const ADMIN: ApiUser = { name: 'kuberack:u1', groups: ['kubeadm:cluster-admins'] };
const ALICE: ApiUser = { name: 'alice', groups: ['developers'] };

function gpu(index: number, over: Partial<GpuDevice> = {}): GpuDevice {
  return {
    index,
    uuid: `GPU-0000000${index}-1111-2222-3333-444444444444`,
    product: 'NVIDIA A10',
    brand: 'NVIDIA',
    architecture: 'Ampere',
    pciBusId: `00000000:0${index}:00.0`,
    pciDeviceId: '0x223610DE',
    memoryTotalMiB: 23028,
    memoryUsedMiB: 0,
    memoryFreeMiB: 23028,
    computeCapability: '8.6',
    temperatureC: 30,
    powerDrawW: 20,
    powerLimitW: 150,
    utilizationGpuPct: 0,
    eccMode: 'enabled',
    eccUncorrectedVolatile: 0,
    migMode: null,
    migDevices: [],
    processes: [],
    health: 'ok',
    healthReasons: [],
    ...over,
  };
}

function report(gpus: GpuDevice[]): GpuReport {
  return { driverVersion: '550.54.15', cudaVersion: '12.4', gpus, source: 'xml' };
}

function node(over: Partial<NodeSource> = {}): NodeSource {
  return {
    clusterId: 'c1',
    regionId: 'cn-hangzhou',
    zoneId: 'cn-hangzhou-i',
    kubernetesVersion: '1.34.1-aliyun.1',
    containerRuntime: 'containerd://2.1.4',
    osImage: 'Alibaba Cloud Linux (Aliyun Linux) 2.1903 LTS (Hunting Beagle)',
    kernelVersion: '',
    architecture: 'amd64',
    name: 'aliyun.com00012test',
    instanceId: 'i-0001',
    instanceType: 'ecs.gn7i-c8g1.2xlarge',
    privateIp: '192.168.0.12',
    podCidr: '172.20.0.0/26',
    registeredAt: NOW - 600_000,
    lastSeenAt: NOW - 2_000,
    heartbeatMs: 10_000,
    gpuReport: report([gpu(0)]),
    cpu: 8,
    memoryMiB: 30 * 1024,
    systemDiskGiB: 120,
    cpuPolicy: 'none',
    maxPods: 61,
    taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
    ...over,
  };
}

async function call(
  path: string,
  opts: { method?: string; accept?: string; user?: ApiUser; nodes?: NodeSource[] } = {},
): Promise<{ status: number; contentType: string; body: Json }> {
  const url = new URL(path, 'https://192.168.0.200:6443');
  const req: ApiRequest = {
    method: opts.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    accept: opts.accept,
    user: opts.user ?? ADMIN,
    serverAddress: '192.168.0.200:6443',
  };
  const nodes = opts.nodes ?? [
    node(),
    node({ name: 'aliyun.com00013test', instanceId: 'i-0002', privateIp: '192.168.0.13' }),
  ];
  return handleApiRequest(req, {
    kubernetesVersion: '1.34.1-aliyun.1',
    now: NOW,
    nodes: () => Promise.resolve(nodes),
  });
}

const TABLE =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

describe('Node objects', () => {
  it('M62 a GPU node: GFD and ACK labels, nvidia.com/gpu capacity, resources from the instance type, taints, Ready', () => {
    const n = buildNode(node(), NOW) as Json;
    expect(n.metadata.labels).toMatchObject({
      'nvidia.com/gpu.product': 'NVIDIA-A10',
      'nvidia.com/gpu.count': '1',
      'nvidia.com/gpu.memory': '23028',
      'aliyun.accelerator/nvidia_name': 'NVIDIA-A10',
      'aliyun.accelerator/nvidia_count': '1',
      'aliyun.accelerator/nvidia_mem': '23028MiB',
      'kubernetes.io/hostname': 'aliyun.com00012test',
      'node.kubernetes.io/instance-type': 'ecs.gn7i-c8g1.2xlarge',
      'topology.kubernetes.io/region': 'cn-hangzhou',
      'topology.kubernetes.io/zone': 'cn-hangzhou-i',
    });
    expect(n.status.capacity).toMatchObject({
      'nvidia.com/gpu': '1',
      cpu: '8',
      memory: `${30 * 1024 * 1024}Ki`,
      pods: '61',
      'ephemeral-storage': `${120 * 1024 * 1024}Ki`,
    });
    expect(n.status.allocatable.memory).toBe(`${30 * 1024 * 1024 - 102400}Ki`);
    expect(n.spec).toMatchObject({
      providerID: 'cn-hangzhou.i-0001',
      podCIDR: '172.20.0.0/26',
      taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
    });
    expect(n.status.conditions).toEqual([expect.objectContaining({ type: 'Ready', status: 'True' })]);
    expect(n.status.nodeInfo).toMatchObject({
      kubeletVersion: 'v1.34.1-aliyun.1',
      containerRuntimeVersion: 'containerd://2.1.4',
      osImage: expect.stringContaining('Alibaba Cloud Linux'),
      architecture: 'amd64',
    });
    expect(n.metadata.uid).toBe(stableUid('c1/node/i-0001'));
    expect(n.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('M62 MIG: MIG devices are nvidia.com/mig-<profile>, whole GPUs nvidia.com/gpu', () => {
    const mig = gpu(1, {
      product: 'NVIDIA A100-SXM4-80GB',
      memoryTotalMiB: 81920,
      migMode: 'enabled',
      migDevices: [0, 1, 2].map((i) => ({
        index: i,
        gpuInstanceId: i + 1,
        computeInstanceId: 0,
        profile: '2g.20gb',
        uuid: `MIG-0000000${i}-1111-2222-3333-444444444444`,
        memoryTotalMiB: 19968,
        multiprocessorCount: 28,
      })),
    });
    const n = buildNode(
      node({ gpuReport: report([gpu(0, { product: 'NVIDIA A100-SXM4-80GB' }), mig]) }),
      NOW,
    ) as Json;
    expect(n.status.capacity['nvidia.com/gpu']).toBe('1');
    expect(n.status.capacity['nvidia.com/mig-2g.20gb']).toBe('3');
    expect(n.metadata.labels['nvidia.com/mig-2g.20gb.count']).toBe('3');
  });

  it('M62 a node whose reports stopped is Ready=Unknown and tainted unreachable; a CPU node has no GPU labels', () => {
    const stale = buildNode(node({ lastSeenAt: NOW - 5 * 60_000, gpuReport: report([]) }), NOW) as Json;
    expect(stale.status.conditions[0]).toMatchObject({
      type: 'Ready',
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
    });
    expect(stale.spec.taints.map((t: Json) => `${t.key}:${t.effect}`)).toEqual([
      'nvidia.com/gpu:NoSchedule',
      'node.kubernetes.io/unreachable:NoSchedule',
      'node.kubernetes.io/unreachable:NoExecute',
    ]);
    expect(Object.keys(stale.metadata.labels).filter((k) => k.startsWith('nvidia.com/'))).toEqual([]);
    expect(stale.status.capacity['nvidia.com/gpu']).toBeUndefined();
  });

  it('M52: under the static CPU policy allocatable CPU leaves out the CPUs the kubelet reserves', () => {
    const resources = (over: Partial<NodeSource>) => {
      const n = buildNode(node(over), NOW) as Json;
      return { capacity: n.status.capacity, allocatable: n.status.allocatable };
    };
    // 8 vCPUs: one reserved; memory keeps only the eviction threshold either way.
    expect(resources({ cpuPolicy: 'static' }).allocatable).toMatchObject({
      cpu: '7',
      memory: `${30 * 1024 * 1024 - 102400}Ki`,
    });
    expect(resources({ cpuPolicy: 'none' }).allocatable.cpu).toBe('8');
    // 128 vCPUs: four reserved (one per 32), counted from the catalogue's vCPUs as the bootstrap does.
    const big = { instanceType: 'ecs.gn7i-c32g1.32xlarge', cpu: 128, memoryMiB: 752 * 1024 };
    expect(resources({ ...big, cpuPolicy: 'static' })).toMatchObject({
      capacity: { cpu: '128', memory: `${752 * 1024 * 1024}Ki` },
      allocatable: { cpu: '124', memory: `${752 * 1024 * 1024 - 102400}Ki` },
    });
    // An instance type outside the catalogue: the bootstrap reserves one CPU, and so does the Node.
    expect(
      resources({ instanceType: 'ecs.unknown-type', cpu: 16, cpuPolicy: 'static' }).allocatable.cpu,
    ).toBe('15');
  });
});

describe('reads', () => {
  it('M62 GET /api/v1/nodes: a NodeList, and a server-side Table when kubectl asks for one', async () => {
    const list = await call('/api/v1/nodes');
    expect(list.status).toBe(200);
    expect(list.body.kind).toBe('NodeList');
    expect(list.body.items.map((n: Json) => n.metadata.name)).toEqual([
      'aliyun.com00012test',
      'aliyun.com00013test',
    ]);
    const table = await call('/api/v1/nodes', { accept: TABLE });
    expect(table.body.kind).toBe('Table');
    expect(table.body.columnDefinitions.map((c: Json) => `${c.name}/${c.priority}`)).toEqual([
      'Name/0',
      'Status/0',
      'Roles/0',
      'Age/0',
      'Version/0',
      'Internal-IP/1',
      'External-IP/1',
      'OS-Image/1',
      'Kernel-Version/1',
      'Container-Runtime/1',
    ]);
    expect(table.body.rows[0].cells.slice(0, 6)).toEqual([
      'aliyun.com00012test',
      'Ready',
      '<none>',
      '10m',
      'v1.34.1-aliyun.1',
      '192.168.0.12',
    ]);
    expect(table.body.rows[0].object.kind).toBe('PartialObjectMetadata');
    const stale = await call('/api/v1/nodes', {
      accept: TABLE,
      nodes: [node({ lastSeenAt: NOW - 3_600_000 })],
    });
    expect(stale.body.rows[0].cells[1]).toBe('NotReady');
  });

  it('M62 label and field selectors are applied; a bad one is a 400 Status', async () => {
    const two = [node(), node({ name: 'cpu-node', instanceId: 'i-9', gpuReport: report([]) })];
    const gpus = await call('/api/v1/nodes?labelSelector=nvidia.com%2Fgpu.present%3Dtrue', { nodes: two });
    expect(gpus.body.items.map((n: Json) => n.metadata.name)).toEqual(['aliyun.com00012test']);
    const notGpu = await call('/api/v1/nodes?labelSelector=!nvidia.com%2Fgpu.present', { nodes: two });
    expect(notGpu.body.items.map((n: Json) => n.metadata.name)).toEqual(['cpu-node']);
    const byName = await call('/api/v1/nodes?fieldSelector=metadata.name%3Dcpu-node', { nodes: two });
    expect(byName.body.items).toHaveLength(1);
    const bad = await call('/api/v1/nodes?fieldSelector=spec.color%3Dred');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 });
    expect(bad.body.message).toBe('field label not supported: spec.color');
    expect(parseLabelSelector('zone in (a, b),tier notin (x)').ok).toBe(true);
    expect(parseLabelSelector('a=b=c').ok).toBe(false);
  });

  it('what describe node fetches: its Lease, no pods on it (none run in the emulation), no events', async () => {
    const lease = await call(
      '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/aliyun.com00012test',
    );
    expect(lease.body).toMatchObject({
      kind: 'Lease',
      spec: {
        holderIdentity: 'aliyun.com00012test',
        leaseDurationSeconds: 40,
        renewTime: '2025-06-01T11:59:58.000000Z',
      },
    });
    const pods = await call(
      '/api/v1/pods?fieldSelector=spec.nodeName%3Daliyun.com00012test%2Cstatus.phase%21%3DFailed%2Cstatus.phase%21%3DSucceeded&limit=500',
    );
    expect(pods.body).toMatchObject({ kind: 'PodList', apiVersion: 'v1', items: [] });
    const events = await call(
      '/api/v1/events?fieldSelector=involvedObject.kind%3DNode%2CinvolvedObject.name%3Dx',
    );
    expect(events.body).toMatchObject({ kind: 'EventList', items: [] });
    const elsewhere = await call(
      '/apis/coordination.k8s.io/v1/namespaces/default/leases/aliyun.com00012test',
    );
    expect(elsewhere.body).toMatchObject({
      reason: 'NotFound',
      code: 404,
      message: 'leases.coordination.k8s.io "aliyun.com00012test" not found',
    });
  });

  it('a node that is not registered is NotFound, as kubectl expects it', async () => {
    const r = await call('/api/v1/nodes/ghost');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'nodes "ghost" not found',
      reason: 'NotFound',
      details: { name: 'ghost', group: '', kind: 'nodes' },
      code: 404,
    });
  });
});

describe('what is not served answers like an API server', () => {
  it('writes, deletes and watches are 405 MethodNotAllowed for an admin, never a fake success', async () => {
    for (const [method, path] of [
      ['DELETE', '/api/v1/nodes/aliyun.com00012test'],
      ['POST', '/api/v1/namespaces/default/pods'],
      ['PATCH', '/api/v1/nodes/aliyun.com00012test'],
      ['GET', '/api/v1/nodes?watch=true'],
      ['GET', '/api/v1/watch/nodes'],
    ] as const) {
      const r = await call(path, { method });
      expect(r.status, `${method} ${path}`).toBe(405);
      expect(r.body).toMatchObject({
        kind: 'Status',
        status: 'Failure',
        reason: 'MethodNotAllowed',
        code: 405,
      });
    }
  });

  it('M63 the certificate’s groups decide: outside the admin groups every resource is Forbidden, discovery is open', async () => {
    const list = await call('/api/v1/nodes', { user: ALICE });
    expect(list.status).toBe(403);
    expect(list.body.message).toBe(
      'nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    const del = await call('/api/v1/nodes/n1', { user: ALICE, method: 'DELETE' });
    expect(del.body.message).toBe(
      'nodes "n1" is forbidden: User "alice" cannot delete resource "nodes" in API group "" at the cluster scope',
    );
    const lease = await call('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
      user: ALICE,
    });
    expect(lease.body.message).toContain('in the namespace "kube-node-lease"');
    expect((await call('/version', { user: ALICE })).status).toBe(200);
    expect((await call('/api', { user: ALICE })).status).toBe(200);
  });

  it('unknown paths and resources are NotFound; a media type it cannot produce is 406', async () => {
    for (const path of [
      '/apis/apps/v1/deployments',
      '/apis/apps/v1',
      '/api/v2',
      '/api/v1/secrets',
      '/metrics',
    ])
      expect((await call(path)).body).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
    const proto = await call('/api/v1/nodes', { accept: 'application/vnd.kubernetes.protobuf' });
    expect(proto.status).toBe(406);
    expect(negotiate('application/vnd.kubernetes.protobuf, */*', { table: true })).toBe('json');
  });
});

describe('discovery and version', () => {
  it('M63 /version is the cluster’s Kubernetes version', async () => {
    expect((await call('/version')).body).toMatchObject({
      major: '1',
      minor: '34',
      gitVersion: 'v1.34.1-aliyun.1',
    });
  });

  it('aggregated discovery (v2, v2beta1) when asked, legacy documents otherwise', async () => {
    const accept =
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    const core = await call('/api', { accept });
    expect(core.contentType).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const resources = core.body.items[0].versions[0].resources as Json[];
    expect(resources.find((r) => r.resource === 'nodes')).toMatchObject({
      scope: 'Cluster',
      verbs: ['get', 'list'],
      shortNames: ['no'],
      responseKind: { group: '', version: 'v1', kind: 'Node' },
    });
    const beta = await call('/apis', { accept: accept.split(',').slice(1).join(',') });
    expect(beta.body.apiVersion).toBe('apidiscovery.k8s.io/v2beta1');
    expect(beta.body.items.map((g: Json) => g.metadata.name)).toEqual(['coordination.k8s.io']);
    expect((await call('/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    expect((await call('/apis')).body.groups[0].name).toBe('coordination.k8s.io');
    const v1 = (await call('/api/v1')).body as JsonObject as Json;
    expect(v1.resources.map((r: Json) => r.name)).toEqual(['events', 'nodes', 'pods']);
    expect((await call('/apis/coordination.k8s.io/v1')).body.resources[0].name).toBe('leases');
  });
});

describe('ages', () => {
  it.each([
    [45_000, '45s'],
    [192_000, '3m12s'],
    [1_500_000, '25m'],
    [5 * 3_600_000 + 180_000, '5h3m'],
    [30 * 3_600_000, '30h'],
    [(3 * 24 + 4) * 3_600_000, '3d4h'],
    [90 * 86_400_000, '90d'],
    [(2 * 365 + 10) * 86_400_000, '2y10d'],
  ])('%i ms is %s, as kubectl prints it', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});
