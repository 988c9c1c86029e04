// plan(spec) → ResourceGraph (M1–M8, M66): every resource a cluster needs, with conditionals
// (existing VPC, reused NAT, public endpoint, SSH, Flannel routes) and only the edges it must have.
import { KuberackError } from '../errors.js';
import { DEFAULT_NODE_IP_COUNT } from '../net/rules.js';
import type { VpcFacts } from '../spec/facts.js';
import type { ClusterSpec, VSwitchChoice } from '../spec/types.js';
import { ESTIMATED_SECONDS } from './estimates.js';
import type { Input, PlanStep, ResourceGraph, Stage, StepKind } from './graph.js';
import { ref, refsIn } from './graph.js';

export interface PlanOptions {
  readonly clusterId: string;
  /** Facts of the existing VPC the spec names (its NAT gateway, route table, vSwitch zones). */
  readonly vpc?: VpcFacts;
}

/** M6: exactly what the cluster's RAM user may do, and nothing more. */
export const CLUSTER_RAM_POLICY = {
  Version: '1',
  Statement: [
    {
      Effect: 'Allow',
      Action: [
        'ecs:Describe*',
        'ecs:CreateInstance',
        'ecs:RunInstances',
        'ecs:DeleteInstance',
        'ecs:DeleteInstances',
        'ecs:AttachDisk',
        'ecs:DetachDisk',
        'ecs:CreateDisk',
        'ecs:DeleteDisk',
        'slb:*',
        'cms:*',
        'vpc:*',
        'log:*',
        'nas:*',
      ],
      Resource: '*',
    },
  ],
} as const;

const STAGE_OF: Readonly<Record<StepKind, Stage>> = {
  vpc: 'network',
  vswitch: 'network',
  'nat-gateway': 'network',
  eip: 'network',
  'eip-association': 'network',
  'snat-entry': 'network',
  'security-group': 'security',
  'security-group-rules': 'security',
  'key-pair': 'security',
  'ram-user': 'access',
  'ram-policy': 'access',
  'ram-access-key': 'access',
  slb: 'load-balancer',
  'slb-listener': 'load-balancer',
  'log-project': 'components',
  'cluster-credentials': 'control-plane',
  'control-plane': 'control-plane',
  'ecs-instance': 'workers',
  'ecs-adoption': 'workers',
  'route-entry': 'workers',
  'rds-whitelist': 'workers',
  'node-ready': 'gpus',
  addon: 'components',
};

/** Collects steps; each step depends on what its inputs refer to plus any explicit `after`. */
class GraphBuilder {
  readonly steps: PlanStep[] = [];

  add(
    kind: StepKind,
    name: string | null,
    inputs: Record<string, Input>,
    after: readonly (string | null)[] = [],
    releaseOnDelete = true,
  ): string {
    const key = name === null ? kind : `${kind}/${name}`;
    const deps = refsIn(inputs);
    for (const a of after) if (a !== null) deps.add(a);
    this.steps.push({
      key,
      kind,
      stage: STAGE_OF[kind],
      inputs,
      dependsOn: [...deps].sort(),
      estimatedSeconds: ESTIMATED_SECONDS[kind],
      releaseOnDelete,
    });
    return key;
  }
}

/** An existing VPC can only be planned with its facts (CIDR, route table, NAT gateway). */
function existingVpcFacts(vpcId: string, facts: VpcFacts | undefined): VpcFacts {
  if (facts?.vpcId !== vpcId) throw new KuberackError('PLAN_VPC_FACTS_REQUIRED', { vpcId });
  return facts;
}

function vswitchName(v: VSwitchChoice, i: number): string {
  return v.mode === 'create' ? v.zoneId : `${i + 1}-${v.vswitchId}`;
}

export function planCluster(spec: ClusterSpec, options: PlanOptions): ResourceGraph {
  const g = new GraphBuilder();
  const net = spec.network;
  const workers = spec.workers;
  const prefix = `k8s-${options.clusterId}`;
  const known = net.vpc.mode === 'existing' ? existingVpcFacts(net.vpc.vpcId, options.vpc) : undefined;
  const tags: Input = spec.tags.map((t) => ({ key: t.key, value: t.value }));

  // Network (M3, M12): a new VPC and vSwitches, or the existing ones as literal ids.
  const vpcId: Input =
    net.vpc.mode === 'create'
      ? ref(g.add('vpc', null, { cidr: net.vpc.cidr, name: prefix, tags }))
      : net.vpc.vpcId;
  const vswitchIds: Input[] = net.vswitches.map((v, i) =>
    v.mode === 'create'
      ? ref(
          g.add('vswitch', vswitchName(v, i), {
            vpcId,
            zoneId: v.zoneId,
            cidr: v.cidr,
            name: `${prefix}-${v.zoneId}`,
            tags,
          }),
        )
      : v.vswitchId,
  );
  const vpcCidr: Input = known ? known.cidr : net.vpc.mode === 'create' ? net.vpc.cidr : null;

  // Security group (M2, M31): ICMP from the VPC, everything inside the group, pods for Flannel.
  let securityGroupId: Input;
  let rulesStep: string | null = null;
  if (net.securityGroup.mode === 'create') {
    const sg = g.add('security-group', null, { vpcId, type: net.securityGroup.type, name: prefix, tags });
    securityGroupId = ref(sg);
    const rules: Input[] = [
      { direction: 'ingress', protocol: 'icmp', source: vpcCidr, description: 'ICMP from the VPC (M2)' },
      { direction: 'ingress', protocol: 'all', sourceGroup: securityGroupId, description: 'cluster nodes' },
    ];
    if (net.podCidr !== null)
      rules.push({ direction: 'ingress', protocol: 'all', source: net.podCidr, description: 'pods' });
    rulesStep = g.add('security-group-rules', null, { securityGroupId, rules });
  } else {
    securityGroupId = net.securityGroup.securityGroupId;
  }

  // SNAT (M3, M5, M28): reuse the VPC's NAT gateway, or create one with an EIP.
  const snatSteps: string[] = [];
  if (net.snat) {
    let natGatewayId: Input;
    let snatAfter: string | null = null;
    if (known?.natGatewayId) {
      natGatewayId = known.natGatewayId;
    } else {
      const firstVswitch = vswitchIds[0] ?? null;
      natGatewayId = ref(g.add('nat-gateway', null, { vpcId, vswitchId: firstVswitch, name: prefix, tags }));
      const eip = g.add('eip', 'nat', { name: `${prefix}-nat`, chargeType: 'pay-as-you-go', tags });
      snatAfter = g.add('eip-association', 'nat', {
        allocationId: ref(eip),
        instanceId: natGatewayId,
        instanceType: 'nat',
      });
    }
    // With a reused NAT gateway the step picks one of that gateway's EIPs when it runs.
    const snatIp: Input = snatAfter === null ? null : ref('eip/nat', 'ip');
    net.vswitches.forEach((v, i) => {
      const inputs = { natGatewayId, vswitchId: vswitchIds[i] ?? null, snatIp };
      snatSteps.push(g.add('snat-entry', vswitchName(v, i), inputs, [snatAfter]));
    });
  }

  // RAM (M6): a sub-account the cluster uses for SLBs, disks and routes it creates later.
  const ramUser = g.add('ram-user', null, { name: prefix });
  const ramPolicy = g.add('ram-policy', null, {
    userName: ref(ramUser, 'name'),
    document: CLUSTER_RAM_POLICY as unknown as Input,
  });
  const accessKey = g.add('ram-access-key', null, { userName: ref(ramUser, 'name') });

  // API server endpoint (M7, M8, M11, M29): internal SLB on 6443; EIP, 8443 and 22 when public.
  const slb = g.add('slb', 'api-server', {
    vswitchId: vswitchIds[0] ?? null,
    addressType: 'intranet',
    spec: net.apiServer.slbSpec,
    chargeType: 'pay-as-you-go',
    name: `${prefix}-api-server`,
    tags,
  });
  const listener6443 = g.add('slb-listener', 'api-server-6443', {
    loadBalancerId: ref(slb),
    port: 6443,
    protocol: 'tcp',
  });
  let publicIp: Input = null;
  if (net.apiServer.publicAccess) {
    const eip = g.add('eip', 'api-server', {
      name: `${prefix}-api-server`,
      chargeType: 'pay-as-you-go',
      tags,
    });
    g.add('eip-association', 'api-server', {
      allocationId: ref(eip),
      instanceId: ref(slb),
      instanceType: 'slb',
    });
    publicIp = ref(eip, 'ip');
    g.add('slb-listener', 'api-server-8443', { loadBalancerId: ref(slb), port: 8443, protocol: 'tcp' });
    if (net.sshPublicAccess)
      g.add('slb-listener', 'ssh-22', { loadBalancerId: ref(slb), port: 22, protocol: 'tcp' });
  }

  // Login key pair (M47) when the user asked for a new one.
  let keyPairName: Input = null;
  if (workers.login.type === 'key-pair') {
    keyPairName =
      workers.login.keyPair.mode === 'create'
        ? ref(g.add('key-pair', null, { name: workers.login.keyPair.name }), 'name')
        : workers.login.keyPair.name;
  }
  const password: Input = workers.login.type === 'password' ? { $secret: 'workers.login.password' } : null;

  // Control plane: PKI and join credentials first (workers need only those), then the hosted control plane.
  const credentials = g.add('cluster-credentials', null, {
    internalAddress: ref(slb, 'address'),
    publicAddress: publicIp,
    certSans: [...spec.certSans],
    clusterDomain: spec.clusterDomain,
    serviceCidr: net.serviceCidr,
  });
  const controlPlaneInputs: Record<string, Input> = {
    credentials: ref(credentials),
    endpoint: ref(listener6443, 'endpoint'),
    cloudAccessKey: ref(accessKey),
    kubernetesVersion: spec.kubernetesVersion,
    edition: spec.edition,
    kubeProxyMode: spec.kubeProxyMode,
    clusterDomain: spec.clusterDomain,
    serviceCidr: net.serviceCidr,
    podCidr: net.podCidr,
    serviceAccountTokenProjection: {
      enabled: spec.serviceAccountTokenProjection.enabled,
      issuer: spec.serviceAccountTokenProjection.issuer,
      audiences: [...spec.serviceAccountTokenProjection.audiences],
    },
    kmsKeyId: spec.secretEncryption?.kmsKeyId ?? null,
    timeZone: spec.timeZone,
    controlPlaneLogs: spec.components.controlPlaneLogs.enabled
      ? [...spec.components.controlPlaneLogs.components]
      : [],
  };
  // The access key is of use only once its policy is attached (M6): the cluster's cloud calls need both.
  const controlPlane = g.add('control-plane', null, controlPlaneInputs, [ramPolicy]);

  // Workers (M1, M40–M53): new instances spread over the vSwitches, or adopted ones re-imaged.
  const bootstrap: Input = {
    credentials: ref(credentials),
    runtime: spec.runtime,
    os: workers.os,
    hardening: workers.hardening,
    customImageId: workers.customImageId,
    cpuPolicy: workers.cpuPolicy,
    taints: workers.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
    nodeName: workers.nodeName ? { ...workers.nodeName } : null,
    timeZone: spec.timeZone,
    userData: workers.userData,
    cloudMonitorAgent: spec.components.monitoring.cloudMonitorAgent,
  };
  const login: Input = { keyPairName, password };
  // Flannel (M4, M26): node i owns the i-th block of nodeIpCount addresses of the Pod CIDR.
  const podSubnet = (index: number): Input =>
    net.plugin === 'flannel' && net.podCidr !== null
      ? { podCidr: net.podCidr, nodeIpCount: net.nodeIpCount ?? DEFAULT_NODE_IP_COUNT, index }
      : null;
  const nodes: { name: string; ecs: string }[] = [];
  const inst = workers.instances;
  if (inst.mode === 'create') {
    for (let i = 0; i < inst.count; i++) {
      const name = `worker-${i + 1}`;
      const v = i % Math.max(1, vswitchIds.length);
      const ecs = g.add(
        'ecs-instance',
        name,
        {
          name: `${prefix}-${name}`,
          instanceTypes: [...inst.instanceTypes],
          vswitchId: vswitchIds[v] ?? null,
          securityGroupId,
          billing: { ...inst.billing },
          systemDisk: { ...inst.systemDisk },
          dataDisks: inst.dataDisks.map((d) => ({ ...d })),
          login,
          deletionProtection: workers.instanceProtection,
          bootstrap,
          podSubnet: podSubnet(i),
          tags,
        },
        [rulesStep],
      );
      nodes.push({ name, ecs });
    }
  } else {
    for (const [i, instanceId] of inst.instanceIds.entries()) {
      const ecs = g.add(
        'ecs-adoption',
        instanceId,
        {
          instanceId,
          securityGroupId,
          login,
          bootstrap,
          deletionProtection: workers.instanceProtection,
          podSubnet: podSubnet(i),
        },
        [rulesStep],
        false,
      );
      nodes.push({ name: instanceId, ecs });
    }
  }

  // Flannel routes (M4), then each node is ready once it has joined and reported its GPUs.
  for (const n of nodes) {
    const route =
      net.plugin === 'flannel'
        ? g.add('route-entry', n.name, {
            routeTableId: known ? known.routeTableId : ref('vpc', 'routeTableId'),
            instanceId: ref(n.ecs),
            destinationCidr: ref(n.ecs, 'podCidr'),
          })
        : null;
    g.add('node-ready', n.name, { instanceId: ref(n.ecs), controlPlane: ref(controlPlane) }, [
      route,
      ...snatSteps,
    ]);
  }

  // RDS whitelist (M30): every node IP.
  for (const rds of net.rdsInstanceIds) {
    g.add('rds-whitelist', rds, { rdsInstanceId: rds, nodeIps: nodes.map((n) => ref(n.ecs, 'privateIp')) });
  }

  addComponents(g, spec, prefix, ref(controlPlane));
  return { clusterId: options.clusterId, steps: g.steps };
}

/** Components (M54–M60) as add-ons applied to the control plane. */
function addComponents(g: GraphBuilder, spec: ClusterSpec, prefix: string, controlPlane: Input): void {
  const c = spec.components;
  const addon = (name: string, config: Record<string, Input> = {}, after: (string | null)[] = []) =>
    g.add('addon', name, { name, controlPlane, config }, after);
  addon('coredns', { clusterDomain: spec.clusterDomain });
  addon('kube-proxy', { mode: spec.kubeProxyMode });
  const net = spec.network;
  if (net.plugin === 'flannel') addon('flannel', { podCidr: net.podCidr, nodeIpCount: net.nodeIpCount });
  else addon(net.terwayMode === 'exclusive-eni' ? 'terway-eni' : 'terway-eniip');
  addon('nvidia-device-plugin', { compatWithCpuManager: spec.workers.cpuPolicy === 'static' });
  if (c.storagePlugin === 'csi') addon('csi-plugin');
  else addon('flexvolume');
  if (c.ingress.enabled) addon('nginx-ingress-controller');
  if (c.monitoring.prometheus) addon('arms-prometheus');
  if (c.alerting.defaultRules) addon('alert-rules', { template: 'default' });
  let logProject: Input = null;
  if (c.logService.enabled) {
    logProject =
      c.logService.project.mode === 'create'
        ? ref(g.add('log-project', null, { name: `${prefix}-log` }), 'name')
        : c.logService.project.name;
    addon('logtail-ds', { project: logProject, ingressDashboard: c.ingress.dashboard });
    if (c.logService.nodeProblemDetector)
      addon('ack-node-problem-detector', { project: logProject, eventCenter: true });
  }
  if (c.controlPlaneLogs.enabled)
    addon('controlplane-log', { project: logProject, components: [...c.controlPlaneLogs.components] });
  if (c.workflowEngine) addon('ags-workflow');
}
