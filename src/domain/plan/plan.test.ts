// Tests of planCluster (M1–M9, M28–M31, M40, M47, M54–M60, M66): the resources a GPU cluster needs,
// the conditionals that add or drop them, the edges between them and a short critical path.
import { describe, expect, it } from 'vitest';
import { KuberackError } from '../errors.js';
import type { VpcFacts } from '../spec/facts.js';
import type { SpecFacts } from '../spec/facts.js';
import type { ClusterSpec } from '../spec/types.js';
import { validateClusterSpec } from '../spec/validate.js';
import { formatPlan } from './format.js';
import type { Input, PlanStep, ResourceGraph, StepKind } from './graph.js';
import { criticalPath, graphErrors, refsIn, topologicalOrder } from './graph.js';
import { CLUSTER_RAM_POLICY, planCluster } from './plan.js';

type Json = { [key: string]: unknown };
type Patch = { [key: string]: unknown };

const PASSWORD = 'Gpu-Cluster-2024!x';

/** A new-VPC Flannel cluster of three pay-as-you-go A10 nodes over two zones. */
function baseInput(): Json {
  return {
    name: 'gpu-demo',
    regionId: 'cn-hangzhou',
    network: {
      vswitches: [
        { zoneId: 'cn-hangzhou-h', cidr: '192.168.0.0/24' },
        { zoneId: 'cn-hangzhou-i', cidr: '192.168.1.0/24' },
      ],
      podCidr: '172.20.0.0/16',
    },
    workers: {
      instances: { instanceTypes: ['ecs.gn7i-c8g1.2xlarge'], count: 3 },
      login: { keyPair: { name: 'my-key' } },
    },
  };
}

/** Facts of an existing VPC with two vSwitches, a NAT gateway and a security group. */
function vpcFacts(natGatewayId: string | null = 'ngw-existing01'): VpcFacts {
  return {
    vpcId: 'vpc-existing01',
    cidr: '10.0.0.0/8',
    kind: 'normal',
    regionId: 'cn-hangzhou',
    natGatewayId,
    routeTableId: 'vtb-existing01',
    routeEntriesInUse: 2,
    hasInternetRoute: natGatewayId !== null,
    vswitches: [
      { vswitchId: 'vsw-existing-h', zoneId: 'cn-hangzhou-h', cidr: '10.0.0.0/24' },
      { vswitchId: 'vsw-existing-i', zoneId: 'cn-hangzhou-i', cidr: '10.0.1.0/24' },
    ],
    clusters: [],
    securityGroupIds: ['sg-existing01'],
  };
}

/** The network part of a spec that uses the existing VPC of `vpcFacts`. */
const EXISTING_NETWORK: Patch = {
  vpc: { vpcId: 'vpc-existing01' },
  vswitches: [{ vswitchId: 'vsw-existing-h' }, { vswitchId: 'vsw-existing-i' }],
};

function isPlainObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** In a patch, a value that replaces the base's instead of being merged into it. */
class Replace {
  constructor(readonly value: unknown) {}
}

/** Deep merge of plain objects; arrays, scalars and `Replace` values in `patch` replace. */
function merge(base: Json, patch: Patch): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const b = out[k];
    out[k] = v instanceof Replace ? v.value : isPlainObject(b) && isPlainObject(v) ? merge(b, v) : v;
  }
  return out;
}

function validSpec(patch: Patch = {}, facts: SpecFacts = {}): ClusterSpec {
  const result = validateClusterSpec(merge(baseInput(), patch), facts);
  expect(result.problems).toEqual([]);
  expect(result.ok).toBe(true);
  return result.spec;
}

function plan(patch: Patch = {}, vpc?: VpcFacts): ResourceGraph {
  const spec = validSpec(patch, vpc ? { vpc } : {});
  const graph = planCluster(spec, { clusterId: 'c-test', ...(vpc ? { vpc } : {}) });
  expect(graphErrors(graph)).toEqual([]);
  return graph;
}

function step(graph: ResourceGraph, key: string): PlanStep {
  const s = graph.steps.find((x) => x.key === key);
  if (!s) throw new Error(`no step ${key} in ${graph.steps.map((x) => x.key).join(', ')}`);
  return s;
}

function has(graph: ResourceGraph, key: string): boolean {
  return graph.steps.some((s) => s.key === key);
}

function ofKind(graph: ResourceGraph, kind: StepKind): PlanStep[] {
  return graph.steps.filter((s) => s.kind === kind);
}

function keysOf(graph: ResourceGraph, kind: StepKind): string[] {
  return ofKind(graph, kind).map((s) => s.key);
}

function addonNames(graph: ResourceGraph): string[] {
  return ofKind(graph, 'addon').map((s) => s.inputs.name as string);
}

/** An input as a plain object, for reading nested fields. */
function obj(v: Input | undefined): Json {
  expect(isPlainObject(v)).toBe(true);
  return v as unknown as Json;
}

const NODES = ['worker-1', 'worker-2', 'worker-3'];

describe('planCluster: a 3-node GPU cluster in a new VPC', () => {
  const graph = plan();

  it('M66 prints a dry-run plan of every step', () => {
    const text = formatPlan(graph);
    console.log(text);
    expect(text.split('\n')[0]).toBe(`Plan for c-test: ${graph.steps.length} steps`);
    for (const s of graph.steps) expect(text).toContain(s.key);
    expect(text).toMatch(/Critical path ~\d+ min \(\d+s\): .*node-ready\/worker-\d$/m);
  });

  it('M66 the graph is sound: no duplicate, unknown dependency, dangling ref or cycle', () => {
    expect(graphErrors(graph)).toEqual([]);
    expect(topologicalOrder(graph)).not.toBeNull();
  });

  it('M3 M12 creates a VPC and one vSwitch per zone in it', () => {
    expect(keysOf(graph, 'vpc')).toEqual(['vpc']);
    expect(step(graph, 'vpc').inputs.cidr).toBe('192.168.0.0/16');
    expect(keysOf(graph, 'vswitch')).toEqual(['vswitch/cn-hangzhou-h', 'vswitch/cn-hangzhou-i']);
    for (const v of ofKind(graph, 'vswitch')) {
      expect(v.inputs.vpcId).toEqual({ $ref: 'vpc', output: 'id' });
      expect(v.dependsOn).toEqual(['vpc']);
    }
  });

  it('M2 M31 creates a security group whose rules allow ICMP from the VPC CIDR', () => {
    const sg = step(graph, 'security-group');
    expect(sg.inputs.type).toBe('normal');
    expect(sg.dependsOn).toEqual(['vpc']);
    const rules = step(graph, 'security-group-rules');
    expect(rules.dependsOn).toEqual(['security-group']);
    const list = rules.inputs.rules as readonly Input[];
    const icmp = list.map(obj).filter((r) => r.protocol === 'icmp');
    expect(icmp).toHaveLength(1);
    expect(icmp[0]).toMatchObject({ direction: 'ingress', source: '192.168.0.0/16' });
    // Flannel pods talk across nodes: the pod CIDR is allowed too.
    expect(list.map(obj).some((r) => r.source === '172.20.0.0/16')).toBe(true);
  });

  it('M3 M5 creates a NAT gateway with a bound EIP and one SNAT entry per vSwitch', () => {
    expect(step(graph, 'nat-gateway').dependsOn).toEqual(['vpc', 'vswitch/cn-hangzhou-h']);
    expect(step(graph, 'eip/nat').inputs.chargeType).toBe('pay-as-you-go');
    const assoc = step(graph, 'eip-association/nat');
    expect(assoc.inputs).toMatchObject({ instanceType: 'nat' });
    expect(assoc.dependsOn).toEqual(['eip/nat', 'nat-gateway']);
    expect(keysOf(graph, 'snat-entry')).toEqual(['snat-entry/cn-hangzhou-h', 'snat-entry/cn-hangzhou-i']);
    for (const zone of ['cn-hangzhou-h', 'cn-hangzhou-i']) {
      const snat = step(graph, `snat-entry/${zone}`);
      expect(snat.inputs.vswitchId).toEqual({ $ref: `vswitch/${zone}`, output: 'id' });
      expect(snat.inputs.snatIp).toEqual({ $ref: 'eip/nat', output: 'ip' });
      expect(snat.dependsOn).toContain('eip-association/nat');
      expect(snat.dependsOn).toContain('nat-gateway');
    }
  });

  it('M6 creates a RAM user, a policy of exactly the listed actions, and an access key', () => {
    expect(has(graph, 'ram-user')).toBe(true);
    const policy = step(graph, 'ram-policy');
    expect(policy.dependsOn).toEqual(['ram-user']);
    expect(policy.inputs.document).toEqual(CLUSTER_RAM_POLICY);
    const statements = CLUSTER_RAM_POLICY.Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Effect).toBe('Allow');
    expect([...(statements[0]?.Action ?? [])].sort()).toEqual(
      [
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
      ].sort(),
    );
    // No other service (RAM, RDS, KMS …) and no ECS wildcard beyond Describe*.
    const actions: readonly string[] = statements[0]?.Action ?? [];
    expect(actions.filter((a) => a.startsWith('ecs:') && a.includes('*'))).toEqual(['ecs:Describe*']);
    expect(step(graph, 'ram-access-key').dependsOn).toEqual(['ram-user']);
  });

  it('M6 the control plane gets the access key only once its policy is attached', () => {
    const cp = step(graph, 'control-plane');
    expect(cp.dependsOn).toContain('ram-access-key');
    expect(cp.dependsOn).toContain('ram-policy');
  });

  it('M7 M11 creates an internal pay-as-you-go SLB with a 6443 listener', () => {
    const slb = step(graph, 'slb/api-server');
    expect(slb.inputs).toMatchObject({
      addressType: 'intranet',
      chargeType: 'pay-as-you-go',
      spec: 'slb.s1.small',
    });
    expect(keysOf(graph, 'slb')).toEqual(['slb/api-server']);
    const l = step(graph, 'slb-listener/api-server-6443');
    expect(l.inputs).toMatchObject({ port: 6443, protocol: 'tcp' });
    expect(l.dependsOn).toEqual(['slb/api-server']);
  });

  it('M8 M29 a private API server has no EIP and no 8443 or 22 listener', () => {
    expect(has(graph, 'eip/api-server')).toBe(false);
    expect(has(graph, 'eip-association/api-server')).toBe(false);
    expect(ofKind(graph, 'slb-listener').map((s) => s.inputs.port)).toEqual([6443]);
  });

  it('M4 creates one Flannel route entry per node, pointing its pod CIDR at it', () => {
    expect(keysOf(graph, 'route-entry')).toEqual(NODES.map((n) => `route-entry/${n}`));
    for (const n of NODES) {
      const r = step(graph, `route-entry/${n}`);
      expect(r.inputs).toEqual({
        routeTableId: { $ref: 'vpc', output: 'routeTableId' },
        instanceId: { $ref: `ecs-instance/${n}`, output: 'id' },
        destinationCidr: { $ref: `ecs-instance/${n}`, output: 'podCidr' },
      });
    }
  });

  it('M1 M48 creates three protected ECS instances spread over the vSwitches', () => {
    expect(keysOf(graph, 'ecs-instance')).toEqual(NODES.map((n) => `ecs-instance/${n}`));
    const vswitches = ofKind(graph, 'ecs-instance').map((s) => s.inputs.vswitchId);
    expect(vswitches).toEqual([
      { $ref: 'vswitch/cn-hangzhou-h', output: 'id' },
      { $ref: 'vswitch/cn-hangzhou-i', output: 'id' },
      { $ref: 'vswitch/cn-hangzhou-h', output: 'id' },
    ]);
    for (const s of ofKind(graph, 'ecs-instance')) {
      expect(s.inputs.deletionProtection).toBe(true);
      expect(s.inputs.instanceTypes).toEqual(['ecs.gn7i-c8g1.2xlarge']);
      expect(s.inputs.securityGroupId).toEqual({ $ref: 'security-group', output: 'id' });
      expect(s.releaseOnDelete).toBe(true);
      // The bootstrap (cloud-init, M1) carries the join credentials.
      expect(obj(s.inputs.bootstrap).credentials).toEqual({ $ref: 'cluster-credentials', output: 'id' });
      expect(obj(s.inputs.login).keyPairName).toBe('my-key');
    }
  });

  it('M9 the cluster is running only once every node reported its GPUs: one node-ready per node', () => {
    expect(keysOf(graph, 'node-ready')).toEqual(NODES.map((n) => `node-ready/${n}`));
    for (const s of ofKind(graph, 'node-ready')) expect(s.stage).toBe('gpus');
  });

  it('M54–M57 installs the default add-ons, the NVIDIA device plugin among them', () => {
    expect(addonNames(graph)).toEqual([
      'coredns',
      'kube-proxy',
      'flannel',
      'nvidia-device-plugin',
      'csi-plugin',
      'nginx-ingress-controller',
      'arms-prometheus',
      'logtail-ds',
      'ack-node-problem-detector',
    ]);
    expect(obj(step(graph, 'addon/nvidia-device-plugin').inputs.config)).toEqual({
      compatWithCpuManager: false,
    });
    expect(has(graph, 'log-project')).toBe(true);
  });

  it('M64 every step of a new cluster is released on delete', () => {
    expect(graph.steps.filter((s) => !s.releaseOnDelete)).toEqual([]);
  });
});

describe('planCluster: conditionals', () => {
  it('M28 reuses the NAT gateway of an existing VPC, still one SNAT entry per vSwitch', () => {
    const vpc = vpcFacts('ngw-existing01');
    const graph = plan({ network: EXISTING_NETWORK }, vpc);
    expect(ofKind(graph, 'vpc')).toEqual([]);
    expect(ofKind(graph, 'vswitch')).toEqual([]);
    expect(ofKind(graph, 'nat-gateway')).toEqual([]);
    expect(ofKind(graph, 'eip')).toEqual([]);
    expect(ofKind(graph, 'eip-association')).toEqual([]);
    const snat = ofKind(graph, 'snat-entry');
    expect(snat.map((s) => s.inputs.vswitchId)).toEqual(['vsw-existing-h', 'vsw-existing-i']);
    for (const s of snat) {
      expect(s.inputs.natGatewayId).toBe('ngw-existing01');
      expect(s.dependsOn).toEqual([]);
    }
    // Literal ids of the existing network; the VPC CIDR comes from the facts (M2).
    expect(step(graph, 'security-group').inputs.vpcId).toBe('vpc-existing01');
    const rules = (step(graph, 'security-group-rules').inputs.rules as readonly Input[]).map(obj);
    expect(rules.find((r) => r.protocol === 'icmp')?.source).toBe('10.0.0.0/8');
    expect(step(graph, 'route-entry/worker-1').inputs.routeTableId).toBe('vtb-existing01');
    expect(step(graph, 'ecs-instance/worker-2').inputs.vswitchId).toBe('vsw-existing-i');
  });

  it('M28 creates a NAT gateway in an existing VPC that has none', () => {
    const graph = plan({ network: EXISTING_NETWORK }, vpcFacts(null));
    expect(keysOf(graph, 'nat-gateway')).toEqual(['nat-gateway']);
    expect(step(graph, 'nat-gateway').inputs).toMatchObject({
      vpcId: 'vpc-existing01',
      vswitchId: 'vsw-existing-h',
    });
    expect(keysOf(graph, 'eip')).toEqual(['eip/nat']);
    expect(keysOf(graph, 'eip-association')).toEqual(['eip-association/nat']);
    expect(keysOf(graph, 'snat-entry')).toEqual([
      'snat-entry/1-vsw-existing-h',
      'snat-entry/2-vsw-existing-i',
    ]);
  });

  it('M12 an existing VPC cannot be planned without its facts', () => {
    const vpc = vpcFacts();
    const spec = validSpec({ network: EXISTING_NETWORK }, { vpc });
    const attempt = () => planCluster(spec, { clusterId: 'c-test' });
    expect(attempt).toThrow(KuberackError);
    try {
      attempt();
    } catch (e) {
      expect((e as KuberackError).code).toBe('PLAN_VPC_FACTS_REQUIRED');
      expect((e as KuberackError).params).toEqual({ vpcId: 'vpc-existing01' });
    }
    // Facts of another VPC are no facts of this one.
    expect(() => planCluster(spec, { clusterId: 'c-test', vpc: { ...vpc, vpcId: 'vpc-other' } })).toThrow(
      expect.objectContaining({ code: 'PLAN_VPC_FACTS_REQUIRED' }),
    );
  });

  it('M28 without SNAT there is no NAT gateway, EIP or SNAT entry', () => {
    const graph = plan({ network: { snat: false } });
    for (const kind of ['nat-gateway', 'eip', 'eip-association', 'snat-entry'] as const)
      expect(ofKind(graph, kind)).toEqual([]);
    for (const n of NODES)
      expect(step(graph, `node-ready/${n}`).dependsOn.filter((d) => d.startsWith('snat'))).toEqual([]);
  });

  it('M8 M29 a public API server binds an EIP to the SLB and listens on 8443, not 22', () => {
    const graph = plan({ network: { apiServer: { publicAccess: true } } });
    expect(step(graph, 'eip/api-server').inputs.chargeType).toBe('pay-as-you-go');
    const assoc = step(graph, 'eip-association/api-server');
    expect(assoc.inputs).toEqual({
      allocationId: { $ref: 'eip/api-server', output: 'id' },
      instanceId: { $ref: 'slb/api-server', output: 'id' },
      instanceType: 'slb',
    });
    expect(ofKind(graph, 'slb-listener').map((s) => s.inputs.port)).toEqual([6443, 8443]);
    // The kubeconfig's public address is the EIP's.
    expect(step(graph, 'cluster-credentials').inputs.publicAddress).toEqual({
      $ref: 'eip/api-server',
      output: 'ip',
    });
    // The SLB itself stays internal (the EIP is what makes it public).
    expect(step(graph, 'slb/api-server').inputs.addressType).toBe('intranet');
  });

  it('M8 listens on 22 only with public SSH access', () => {
    const graph = plan({ network: { apiServer: { publicAccess: true }, sshPublicAccess: true } });
    expect(ofKind(graph, 'slb-listener').map((s) => s.inputs.port)).toEqual([6443, 8443, 22]);
    expect(step(graph, 'slb-listener/ssh-22').dependsOn).toEqual(['slb/api-server']);
  });

  it('M26 Terway has no route entries and installs terway-eniip', () => {
    const graph = plan({ network: { plugin: 'terway', podCidr: null } });
    expect(ofKind(graph, 'route-entry')).toEqual([]);
    expect(addonNames(graph)).toContain('terway-eniip');
    expect(addonNames(graph)).not.toContain('flannel');
    for (const n of NODES)
      expect(step(graph, `node-ready/${n}`).dependsOn.some((d) => d.startsWith('route-entry'))).toBe(false);
    // No pod-CIDR rule: Terway pods have VPC addresses.
    const rules = (step(graph, 'security-group-rules').inputs.rules as readonly Input[]).map(obj);
    expect(rules).toHaveLength(2);
  });

  it('M26 Terway with exclusive ENIs installs terway-eni', () => {
    const graph = plan({ network: { plugin: 'terway', podCidr: null, terwayMode: 'exclusive-eni' } });
    expect(addonNames(graph)).toContain('terway-eni');
    expect(addonNames(graph)).not.toContain('terway-eniip');
  });

  it('M31 an existing security group is used by its literal id, with no security-group steps', () => {
    const graph = plan(
      { network: { ...EXISTING_NETWORK, securityGroup: { securityGroupId: 'sg-existing01' } } },
      vpcFacts(),
    );
    expect(ofKind(graph, 'security-group')).toEqual([]);
    expect(ofKind(graph, 'security-group-rules')).toEqual([]);
    for (const s of ofKind(graph, 'ecs-instance')) {
      expect(s.inputs.securityGroupId).toBe('sg-existing01');
      expect(s.dependsOn.some((d) => d.startsWith('security-group'))).toBe(false);
    }
  });

  it('M31 an enterprise security group is created with its type', () => {
    const graph = plan({ network: { securityGroup: { type: 'enterprise' } } });
    expect(step(graph, 'security-group').inputs.type).toBe('enterprise');
  });

  it('M47 a key pair to create is a step the instances depend on', () => {
    const graph = plan({ workers: { login: { keyPair: { mode: 'create', name: 'new-key' } } } });
    expect(step(graph, 'key-pair').inputs).toEqual({ name: 'new-key' });
    for (const s of ofKind(graph, 'ecs-instance')) {
      expect(s.dependsOn).toContain('key-pair');
      expect(obj(s.inputs.login).keyPairName).toEqual({ $ref: 'key-pair', output: 'name' });
    }
  });

  it('M47 an existing key pair is named literally, with no key-pair step', () => {
    const graph = plan();
    expect(ofKind(graph, 'key-pair')).toEqual([]);
    for (const s of ofKind(graph, 'ecs-instance')) {
      expect(obj(s.inputs.login)).toEqual({ keyPairName: 'my-key', password: null });
      expect(s.dependsOn).not.toContain('key-pair');
    }
  });

  it('M47 a login password is a secret reference and never appears in the plan', () => {
    const graph = plan({
      workers: { login: new Replace({ type: 'password', password: PASSWORD, passwordConfirm: PASSWORD }) },
    });
    for (const s of ofKind(graph, 'ecs-instance')) {
      expect(obj(s.inputs.login)).toEqual({
        keyPairName: null,
        password: { $secret: 'workers.login.password' },
      });
    }
    expect(JSON.stringify(graph)).not.toContain(PASSWORD);
    expect(formatPlan(graph)).not.toContain(PASSWORD);
    expect(ofKind(graph, 'key-pair')).toEqual([]);
  });

  it('M40 existing instances are adopted, never created nor released', () => {
    const ids = ['i-abcdefgh0001', 'i-abcdefgh0002'];
    const graph = plan(
      { network: EXISTING_NETWORK, workers: { instances: new Replace({ instanceIds: ids }) } },
      vpcFacts(),
    );
    expect(ofKind(graph, 'ecs-instance')).toEqual([]);
    const adopted = ofKind(graph, 'ecs-adoption');
    expect(adopted.map((s) => s.key)).toEqual(ids.map((id) => `ecs-adoption/${id}`));
    for (const s of adopted) {
      expect(s.releaseOnDelete).toBe(false);
      expect(s.inputs.securityGroupId).toEqual({ $ref: 'security-group', output: 'id' });
      expect(obj(s.inputs.login).keyPairName).toBe('my-key');
    }
    expect(keysOf(graph, 'node-ready')).toEqual(ids.map((id) => `node-ready/${id}`));
    expect(keysOf(graph, 'route-entry')).toEqual(ids.map((id) => `route-entry/${id}`));
    expect(step(graph, `route-entry/${ids[0]}`).inputs.instanceId).toEqual({
      $ref: `ecs-adoption/${ids[0]}`,
      output: 'id',
    });
    // Everything else the cluster created is still released.
    expect(graph.steps.filter((s) => !s.releaseOnDelete).map((s) => s.kind)).toEqual([
      'ecs-adoption',
      'ecs-adoption',
    ]);
  });

  it('M30 one RDS whitelist step per RDS instance, after every node', () => {
    const rds = ['rm-abcdef123456', 'rm-ghijkl789012'];
    const graph = plan({ network: { rdsInstanceIds: rds } });
    expect(keysOf(graph, 'rds-whitelist')).toEqual(rds.map((id) => `rds-whitelist/${id}`));
    for (const id of rds) {
      const s = step(graph, `rds-whitelist/${id}`);
      expect(s.inputs.rdsInstanceId).toBe(id);
      expect(s.inputs.nodeIps).toEqual(
        NODES.map((n) => ({ $ref: `ecs-instance/${n}`, output: 'privateIp' })),
      );
      for (const n of NODES) expect(s.dependsOn).toContain(`ecs-instance/${n}`);
    }
  });

  it('M58 without the log service there is no log project and no logtail', () => {
    const graph = plan({ components: { logService: { enabled: false } } });
    expect(ofKind(graph, 'log-project')).toEqual([]);
    expect(addonNames(graph)).not.toContain('logtail-ds');
    expect(addonNames(graph)).not.toContain('ack-node-problem-detector');
  });

  it('M58 an existing log project is used by name, with no log-project step', () => {
    const graph = plan({ components: { logService: { project: { name: 'my-logs' } } } });
    expect(ofKind(graph, 'log-project')).toEqual([]);
    expect(obj(step(graph, 'addon/logtail-ds').inputs.config).project).toBe('my-logs');
  });

  it('M59 control-plane logs go to the log project', () => {
    const graph = plan({ components: { controlPlaneLogs: { enabled: true, components: ['apiserver'] } } });
    const s = step(graph, 'addon/controlplane-log');
    expect(obj(s.inputs.config)).toEqual({
      project: { $ref: 'log-project', output: 'name' },
      components: ['apiserver'],
    });
    expect(step(graph, 'control-plane').inputs.controlPlaneLogs).toEqual(['apiserver']);
  });

  it('M54 without Ingress there is no ingress add-on', () => {
    const graph = plan({ components: { ingress: { enabled: false } } });
    expect(addonNames(graph)).not.toContain('nginx-ingress-controller');
  });

  it('M55 M56 M57 Flexvolume, no Prometheus, default alert rules', () => {
    const graph = plan({
      components: {
        storagePlugin: 'flexvolume',
        monitoring: { prometheus: false },
        alerting: { defaultRules: true },
      },
    });
    const names = addonNames(graph);
    expect(names).toContain('flexvolume');
    expect(names).not.toContain('csi-plugin');
    expect(names).not.toContain('arms-prometheus');
    expect(names).toContain('alert-rules');
  });

  it('M60 the workflow engine is the ags-workflow add-on', () => {
    expect(addonNames(plan())).not.toContain('ags-workflow');
    expect(addonNames(plan({ components: { workflowEngine: true } }))).toContain('ags-workflow');
  });

  it('a static CPU policy makes the NVIDIA device plugin compatible with the CPU manager', () => {
    const graph = plan({ workers: { cpuPolicy: 'static' } });
    expect(obj(step(graph, 'addon/nvidia-device-plugin').inputs.config)).toEqual({
      compatWithCpuManager: true,
    });
    expect(obj(step(graph, 'ecs-instance/worker-1').inputs.bootstrap).cpuPolicy).toBe('static');
  });

  it('M48 instance protection can be turned off', () => {
    const graph = plan({ workers: { instanceProtection: false } });
    for (const s of ofKind(graph, 'ecs-instance')) expect(s.inputs.deletionProtection).toBe(false);
  });
});

describe('planCluster: a short critical path (M9)', () => {
  const graph = plan({ network: { apiServer: { publicAccess: true }, rdsInstanceIds: ['rm-abcdef123456'] } });

  it('M9 instances wait for neither the NAT gateway, SNAT nor the control plane', () => {
    for (const s of ofKind(graph, 'ecs-instance')) {
      for (const d of s.dependsOn) {
        expect(d).not.toMatch(/^(nat-gateway|snat-entry|eip|control-plane)/);
      }
      expect(s.dependsOn).not.toContain('control-plane');
    }
  });

  it('M9 a node is ready after its instance, its route, the SNAT entries and the control plane', () => {
    NODES.forEach((n) => {
      const s = step(graph, `node-ready/${n}`);
      expect(s.dependsOn).toEqual(
        [
          'control-plane',
          `ecs-instance/${n}`,
          `route-entry/${n}`,
          'snat-entry/cn-hangzhou-h',
          'snat-entry/cn-hangzhou-i',
        ].sort(),
      );
    });
  });

  it('M9 add-ons wait only for the control plane (and the log project)', () => {
    for (const s of ofKind(graph, 'addon')) {
      expect(s.inputs.controlPlane).toEqual({ $ref: 'control-plane', output: 'id' });
      expect(s.dependsOn.filter((d) => d !== 'control-plane' && d !== 'log-project')).toEqual([]);
      expect(s.dependsOn).toContain('control-plane');
    }
  });

  it('M9 the control plane waits for the load balancer, credentials and RAM, not for workers', () => {
    const cp = step(graph, 'control-plane');
    for (const d of cp.dependsOn) expect(d).toMatch(/^(cluster-credentials|ram-|slb)/);
  });

  it('M9 the critical path is about ten minutes and ends when the GPUs are reported', () => {
    const path = criticalPath(graph);
    expect(path.seconds).toBeLessThan(600);
    expect(path.seconds).toBeGreaterThan(300);
    const last = path.keys[path.keys.length - 1] ?? '';
    expect(step(graph, last).kind).toBe('node-ready');
    // The path is a chain of dependencies.
    for (let i = 1; i < path.keys.length; i++)
      expect(step(graph, path.keys[i] ?? '').dependsOn).toContain(path.keys[i - 1]);
  });

  it('M9 the critical path of the plain 3-node cluster is under ten minutes too', () => {
    const path = criticalPath(plan());
    expect(path.seconds).toBeLessThan(600);
    expect(step(plan(), path.keys[path.keys.length - 1] ?? '').kind).toBe('node-ready');
  });
});

describe('planCluster: determinism and soundness', () => {
  const variants: [string, Patch, VpcFacts?][] = [
    ['new VPC', {}],
    [
      'public, SSH, RDS',
      {
        network: {
          apiServer: { publicAccess: true },
          sshPublicAccess: true,
          rdsInstanceIds: ['rm-abcdef123456'],
        },
      },
    ],
    ['Terway', { network: { plugin: 'terway', podCidr: null } }],
    ['existing VPC with NAT', { network: EXISTING_NETWORK }, vpcFacts()],
    ['existing VPC without NAT', { network: EXISTING_NETWORK }, vpcFacts(null)],
    [
      'existing instances',
      { network: EXISTING_NETWORK, workers: { instances: new Replace({ instanceIds: ['i-abcdefgh0001'] }) } },
      vpcFacts(),
    ],
    [
      'password, key pair off',
      {
        workers: { login: new Replace({ type: 'password', password: PASSWORD, passwordConfirm: PASSWORD }) },
      },
    ],
    [
      'everything off',
      {
        network: { snat: false },
        components: { logService: { enabled: false }, ingress: { enabled: false } },
      },
    ],
  ];

  it.each(variants)('M66 planning the same spec twice gives the same graph: %s', (_name, patch, vpc) => {
    const a = plan(patch, vpc);
    const b = plan(patch, vpc);
    expect(b).toEqual(a);
    expect(formatPlan(b)).toBe(formatPlan(a));
  });

  it.each(variants)('M66 step keys are unique and every ref is a dependency: %s', (_name, patch, vpc) => {
    const graph = plan(patch, vpc);
    const keys = graph.steps.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const s of graph.steps) {
      for (const r of refsIn(s.inputs)) expect(s.dependsOn).toContain(r);
      for (const d of s.dependsOn) expect(keys).toContain(d);
      expect([...s.dependsOn]).toEqual([...s.dependsOn].sort());
    }
    expect(graphErrors(graph)).toEqual([]);
  });

  it('the cluster id names the graph and prefixes resource names', () => {
    const spec = validSpec();
    const graph = planCluster(spec, { clusterId: 'c-other' });
    expect(graph.clusterId).toBe('c-other');
    expect(step(graph, 'vpc').inputs.name).toBe('k8s-c-other');
    expect(step(graph, 'ecs-instance/worker-1').inputs.name).toBe('k8s-c-other-worker-1');
  });

  it('M35 tags are passed to the tagged resources', () => {
    const graph = plan({ tags: [{ key: 'team', value: 'ml' }] });
    for (const key of ['vpc', 'security-group', 'slb/api-server', 'ecs-instance/worker-1', 'eip/nat'])
      expect(step(graph, key).inputs.tags).toEqual([{ key: 'team', value: 'ml' }]);
  });
});
