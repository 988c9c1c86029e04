// Benchmarks of the domain core (issue #2): validating a full cluster spec (every field set,
// with VPC facts) and a minimal one, planning a 3-node cluster, and a CIDR recommendation.
import { planCluster, recommendNetwork, validateClusterSpec } from '../src/domain/index.js';
import type { SpecFacts } from '../src/domain/index.js';
import { bench, report } from './harness.js';

/** Every field of the spec set, existing VPC with facts: the most work validation does. */
export const FULL_SPEC = {
  name: '异构计算-gpu-cluster-01',
  edition: 'pro',
  regionId: 'cn-hangzhou',
  resourceGroupId: 'rg-ml',
  kubernetesVersion: '1.34.1-aliyun.1',
  runtime: 'containerd',
  deletionProtection: true,
  timeZone: 'Asia/Shanghai',
  kubeProxyMode: 'ipvs',
  tags: Array.from({ length: 20 }, (_, i) => ({ key: `team-${i}`, value: `value-${i}` })),
  clusterDomain: 'cluster.local',
  certSans: ['api.example.com', '*.gpu.example.com', '10.0.0.10', '2001:db8::1'],
  serviceAccountTokenProjection: {
    enabled: true,
    issuer: 'https://kubernetes.default.svc',
    audiences: ['sts.aliyuncs.com'],
  },
  secretEncryption: { kmsKeyId: 'key-hzz123' },
  disableRollback: false,
  network: {
    vpc: { mode: 'existing', vpcId: 'vpc-1', kind: 'normal' },
    vswitches: [
      { vswitchId: 'vsw-a' },
      { vswitchId: 'vsw-b' },
      { mode: 'create', zoneId: 'cn-hangzhou-k', cidr: '192.168.2.0/24' },
    ],
    plugin: 'flannel',
    nodeIpCount: 64,
    podCidr: '172.20.0.0/16',
    serviceCidr: '172.21.0.0/20',
    snat: true,
    apiServer: { slbSpec: 'slb.s2.small', publicAccess: true },
    sshPublicAccess: true,
    rdsInstanceIds: ['rm-abcdef123'],
    securityGroup: { mode: 'create', type: 'enterprise' },
  },
  workers: {
    instances: {
      mode: 'create',
      billing: { type: 'subscription', period: 6, periodUnit: 'month', autoRenew: true },
      instanceTypes: ['ecs.gn7i-c8g1.2xlarge', 'ecs.gn7i-c16g1.4xlarge'],
      count: 3,
      systemDisk: { category: 'essd', sizeGiB: 500, performanceLevel: 'PL2', backup: true },
      dataDisks: [
        { category: 'essd', sizeGiB: 2000, performanceLevel: 'PL3', encrypted: true, backup: true },
      ],
    },
    os: 'aliyun-linux-2',
    hardening: 'cis',
    login: { type: 'password', password: 'Kube-rack2026!', passwordConfirm: 'Kube-rack2026!' },
    instanceProtection: true,
    userData: '#!/bin/sh\necho hello\n',
    nodeName: { prefix: 'aliyun.com', ipDigits: 5, suffix: 'test' },
    cpuPolicy: 'static',
    taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
  },
  components: {
    ingress: { enabled: true, dashboard: true },
    storagePlugin: 'csi',
    monitoring: { cloudMonitorAgent: true, prometheus: true },
    alerting: { defaultRules: true },
    logService: { enabled: true, project: { mode: 'existing', name: 'k8s-logs' }, nodeProblemDetector: true },
    controlPlaneLogs: { enabled: true },
    workflowEngine: false,
  },
};

export const FULL_FACTS: SpecFacts = {
  regions: [
    {
      regionId: 'cn-hangzhou',
      zoneIds: ['cn-hangzhou-h', 'cn-hangzhou-i', 'cn-hangzhou-j', 'cn-hangzhou-k'],
    },
  ],
  account: {
    allowlists: { exclusiveEni: true, customImage: true, workflowEngine: true },
    resourceGroupIds: ['rg-ml'],
  },
  vpc: {
    vpcId: 'vpc-1',
    cidr: '192.168.0.0/16',
    kind: 'normal',
    regionId: 'cn-hangzhou',
    natGatewayId: null,
    routeTableId: 'vtb-1',
    routeEntriesInUse: 2,
    hasInternetRoute: false,
    vswitches: [
      { vswitchId: 'vsw-a', zoneId: 'cn-hangzhou-i', cidr: '192.168.0.0/24' },
      { vswitchId: 'vsw-b', zoneId: 'cn-hangzhou-j', cidr: '192.168.1.0/24' },
    ],
    clusters: [{ clusterId: 'c-other', podCidr: '172.30.0.0/16', serviceCidr: '172.31.0.0/20' }],
    securityGroupIds: [],
  },
  stock: { 'cn-hangzhou-i': ['ecs.gn7i-c8g1.2xlarge'] },
  kmsKeyIds: ['key-hzz123'],
  rdsInstances: [{ rdsInstanceId: 'rm-abcdef123', regionId: 'cn-hangzhou' }],
  logProjects: ['k8s-logs'],
};

const MINIMAL = {
  name: 'gpu',
  regionId: 'cn-hangzhou',
  network: { vswitches: [{ zoneId: 'cn-hangzhou-i', cidr: '192.168.0.0/24' }], podCidr: '172.20.0.0/16' },
  workers: {
    instances: { instanceTypes: ['ecs.gn7i-c8g1.2xlarge'], count: 3 },
    login: { keyPair: { name: 'my-key' } },
  },
};

export function run(): string {
  const full = validateClusterSpec(FULL_SPEC, FULL_FACTS);
  if (!full.ok) throw new Error(`benchmark spec is invalid: ${JSON.stringify(full.problems)}`);
  const minimal = validateClusterSpec(MINIMAL);
  return report([
    bench('validateClusterSpec, full spec + facts', () => validateClusterSpec(FULL_SPEC, FULL_FACTS)),
    bench('validateClusterSpec, minimal spec', () => validateClusterSpec(MINIMAL)),
    bench('planCluster, 3 workers (full spec)', () =>
      planCluster(full.spec, { clusterId: 'c-b', vpc: FULL_FACTS.vpc }),
    ),
    bench(
      'planCluster, 100 workers',
      () =>
        planCluster(
          {
            ...minimal.spec,
            workers: {
              ...minimal.spec.workers,
              instances: {
                ...minimal.spec.workers.instances,
                count: 100,
              } as typeof minimal.spec.workers.instances,
            },
          },
          { clusterId: 'c-b' },
        ),
      2_000,
      200,
    ),
    bench('recommendNetwork, flannel, 3 taken', () =>
      recommendNetwork({
        vpcCidr: '192.168.0.0/16',
        taken: [
          { cidr: '172.16.0.0/16', label: 'a' },
          { cidr: '172.17.0.0/20', label: 'b' },
          { cidr: '10.0.0.0/8', label: 'c' },
        ],
        nodeIpCount: 64,
        plugin: 'flannel',
      }),
    ),
  ]);
}
