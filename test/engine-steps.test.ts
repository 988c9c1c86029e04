// Every step handler driven directly against the emulator with the plan's own inputs: apply until done,
// again changes nothing, a crash before a record makes no duplicate, release empties the inventory.
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { CloudEmulator, type InventoryItem } from '../src/cloud/emulator/index.js';
import { CloudError } from '../src/cloud/errors.js';
import { OWNER_CLUSTER_TAG, OWNER_STEP_TAG, ownerTags, type Provider } from '../src/cloud/provider.js';
import { KuberackError } from '../src/domain/errors.js';
import {
  isRef,
  planCluster,
  STEP_KINDS,
  topologicalOrder,
  type Input,
  type PlanStep,
  type ResourceGraph,
  type StepKind,
} from '../src/domain/plan/index.js';
import { validateClusterSpec, type SpecFacts, type VpcFacts } from '../src/domain/spec/index.js';
import {
  ACCESS_KEY_SECRET,
  KEY_PAIR_SECRET,
  rdsGroupName,
  STEP_HANDLERS,
} from '../src/engine/steps/index.js';
import {
  userTags,
  type Json,
  type RegisteredNode,
  type StepContext,
  type StepOutcome,
  type StepServices,
} from '../src/engine/steps/types.js';
import { openSqlite } from '../src/store/sqlite.js';

const AK = 'StepsTest01';
const REGION = 'cn-hangzhou';
const ZONE = 'cn-hangzhou-i';
/** An ACK-style cluster id (`c` and 32 hex digits), as newClusterId makes. */
const CLUSTER = 'c0123456789abcdef0123456789abcdef';
const A10 = 'ecs.gn7i-c8g1.2xlarge';
const T4 = 'ecs.gn6i-c4g1.xlarge';
const RDS = 'rm-steps0001';
const PASSWORD = 'Gpu-Cluster-2024!x';
const DAY = 24 * 3600 * 1000;

/** A failure injected at one durable write (a save or a secret): the process dies right there. */
class Crash extends Error {}

type Obj = { [key: string]: unknown };

function isPlain(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge of plain objects; arrays and scalars in `patch` replace. */
function merge(base: Obj, patch: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const b = out[k];
    out[k] = isPlain(b) && isPlain(v) ? merge(b, v) : v;
  }
  return out;
}

/** A new-VPC Flannel cluster of two A10 nodes with every optional cloud resource the plan can add. */
function fullSpec(): Obj {
  return {
    name: 'gpu-steps',
    regionId: REGION,
    network: {
      vpc: { mode: 'create', cidr: '192.168.0.0/16' },
      vswitches: [{ mode: 'create', zoneId: ZONE, cidr: '192.168.0.0/24' }],
      plugin: 'flannel',
      podCidr: '172.20.0.0/16',
      nodeIpCount: 64,
      serviceCidr: '172.21.0.0/20',
      apiServer: { publicAccess: true },
      sshPublicAccess: true,
      rdsInstanceIds: [RDS],
    },
    workers: {
      instances: { mode: 'create', instanceTypes: [A10], count: 2 },
      login: { type: 'key-pair', keyPair: { mode: 'create', name: 'kr-steps-key' } },
    },
    tags: [{ key: 'team', value: 'ml' }],
  };
}

function clientToken(key: string): string {
  return `kr-${createHash('sha256').update(`${CLUSTER}/${key}`).digest('hex').slice(0, 40)}`;
}

function isTransient(e: unknown): boolean {
  return e instanceof CloudError && e.retryable;
}

interface Run {
  readonly step: PlanStep;
  /** What `save` stored: all that survives a crash. */
  memory: Record<string, Json>;
  outputs: Record<string, Json> | null;
}

/** One account on a fresh emulator, a plan, and what each step saved and produced. */
class World {
  clock = 1_790_000_000_000;
  readonly emulator: CloudEmulator;
  readonly provider: Provider;
  readonly secrets = new Map<string, string>();
  readonly nodes = new Map<string, RegisteredNode>();
  readonly serviceCalls: string[] = [];
  readonly runs = new Map<string, Run>();
  graph: ResourceGraph = { clusterId: CLUSTER, steps: [] };
  /** Register each node when node-ready first waits for it (what the agent does). */
  agent = true;
  private controlPlaneCalls = 0;
  private controlPlaneRemoves = 0;

  constructor() {
    this.emulator = new CloudEmulator({ db: openSqlite(':memory:'), now: () => this.clock, timeScale: 1 });
    this.provider = this.emulator.provider(AK);
  }

  async init(): Promise<this> {
    await this.emulator.init();
    await this.emulator.setAccount({ accessKeyId: AK, balanceCny: 200_000, realNameVerified: true });
    await this.emulator.seed(AK, 'rds-instance', REGION, RDS);
    return this;
  }

  readonly services: StepServices = {
    credentials: {
      ensure: (clusterId, input) => {
        this.serviceCalls.push(`credentials.ensure ${clusterId}`);
        return Promise.resolve({
          caCertHash: `sha256:${'ab'.repeat(32)}`,
          internalAddress: input.internalAddress ?? null,
        });
      },
      remove: (clusterId) => {
        this.serviceCalls.push(`credentials.remove ${clusterId}`);
        return Promise.resolve();
      },
    },
    controlPlanes: {
      // Honest enough: starting on the first call, ready from the second.
      ensure: (_clusterId, input) => {
        this.controlPlaneCalls++;
        return Promise.resolve({
          ready: this.controlPlaneCalls > 1,
          outputs: { endpoint: input.endpoint ?? null, kubeconfigSecret: 'control-plane/kubeconfig' },
        });
      },
      remove: () => Promise.resolve(++this.controlPlaneRemoves > 1),
    },
    nodes: {
      find: (_clusterId, instanceId) => Promise.resolve(this.nodes.get(instanceId) ?? null),
      tokenFor: () => Promise.resolve('node-token-1'),
      remove: (_clusterId, instanceId) => {
        this.nodes.delete(instanceId);
        return Promise.resolve();
      },
    },
    bootstrap: {
      render: ({ clusterId, stepKey, nodeToken }) =>
        Promise.resolve(
          `#cloud-config\n# kuberack worker ${stepKey} of ${clusterId}, token ${nodeToken}\nruncmd: []\n`,
        ),
    },
  };

  tick(ms = 5_000): void {
    this.clock += ms;
  }

  plan(spec: Obj, facts: SpecFacts = {}): ResourceGraph {
    const result = validateClusterSpec(spec, facts);
    expect(result.problems).toEqual([]);
    this.graph = planCluster(result.spec, { clusterId: CLUSTER, ...(facts.vpc ? { vpc: facts.vpc } : {}) });
    this.runs.clear();
    for (const step of this.graph.steps) this.runs.set(step.key, { step, memory: {}, outputs: null });
    return this.graph;
  }

  run(key: string): Run {
    const r = this.runs.get(key);
    if (!r) throw new Error(`no step ${key} in ${[...this.runs.keys()].join(', ')}`);
    return r;
  }

  keysOf(kind: StepKind): string[] {
    return this.graph.steps.filter((s) => s.kind === kind).map((s) => s.key);
  }

  /** Refs resolved to the outputs of done steps (a missing output fails the test), secrets to values. */
  resolve(input: Input): Json {
    if (input === null || typeof input !== 'object') return input;
    if (isRef(input)) {
      const outputs = this.run(input.$ref).outputs;
      if (!outputs) throw new Error(`${input.$ref} is not done`);
      const v = outputs[input.output];
      if (v === undefined) throw new Error(`${input.$ref} has no output ${input.output}`);
      return v;
    }
    if (Array.isArray(input)) return (input as readonly Input[]).map((x) => this.resolve(x));
    if ('$secret' in input && typeof input.$secret === 'string') {
      if (input.$secret !== 'workers.login.password') throw new Error(`unknown secret ${input.$secret}`);
      return PASSWORD;
    }
    return Object.fromEntries(
      Object.entries(input as Record<string, Input>).map(([k, v]) => [k, this.resolve(v)]),
    );
  }

  ctx(key: string, opts: { crashAt?: number; inputs?: Record<string, Json> } = {}): StepContext {
    const run = this.run(key);
    let writes = 0;
    const write = () => {
      writes++;
      if (writes === opts.crashAt) throw new Crash(`crash at durable write ${writes} of ${key}`);
    };
    const store = this.secrets;
    const inputs = {
      ...(Object.fromEntries(Object.entries(run.step.inputs).map(([k, v]) => [k, this.resolve(v)])) as Record<
        string,
        Json
      >),
      ...opts.inputs,
    };
    return {
      clusterId: CLUSTER,
      regionId: REGION,
      step: run.step,
      inputs,
      provider: this.provider,
      clientToken: clientToken(key),
      tags: [...ownerTags(CLUSTER, key), ...userTags(run.step.inputs as Record<string, Json>)],
      get state() {
        return run.memory;
      },
      save(patch) {
        write();
        run.memory = { ...run.memory, ...patch };
        return Promise.resolve();
      },
      secrets: {
        put(name, value) {
          write();
          store.set(name, value);
          return Promise.resolve();
        },
        get: (name) => Promise.resolve(store.get(name) ?? null),
        remove(name) {
          store.delete(name);
          return Promise.resolve();
        },
      },
      services: this.services,
      now: this.clock,
    };
  }

  applyOnce(
    key: string,
    opts: { crashAt?: number; inputs?: Record<string, Json> } = {},
  ): Promise<StepOutcome> {
    return STEP_HANDLERS[this.run(key).step.kind].apply(this.ctx(key, opts));
  }

  /** Applies until done, letting time pass between calls and retrying transient errors, as the runner does. */
  async apply(key: string, opts: { inputs?: Record<string, Json> } = {}): Promise<Record<string, Json>> {
    const run = this.run(key);
    for (let i = 0; i < 400; i++) {
      let o: StepOutcome;
      try {
        o = await this.applyOnce(key, opts);
      } catch (e) {
        if (!isTransient(e)) throw e;
        this.tick();
        continue;
      }
      if (o.status === 'done') {
        run.outputs = o.outputs;
        return o.outputs;
      }
      if (this.agent && run.step.kind === 'node-ready') {
        const instanceId = String(this.ctx(key).inputs.instanceId);
        this.nodes.set(instanceId, {
          instanceId,
          nodeName: `node-${instanceId}`,
          gpuCount: 1,
          registeredAt: this.clock,
        });
      }
      this.tick();
    }
    throw new Error(`${key} never finished applying`);
  }

  async release(key: string): Promise<void> {
    const run = this.run(key);
    for (let i = 0; i < 400; i++) {
      let o: StepOutcome;
      try {
        o = await STEP_HANDLERS[run.step.kind].release(this.ctx(key));
      } catch (e) {
        if (!isTransient(e)) throw e;
        this.tick();
        continue;
      }
      if (o.status === 'done') {
        run.outputs = null;
        return;
      }
      this.tick();
    }
    throw new Error(`${key} never finished releasing`);
  }

  /** Applies every step `key` depends on, transitively, in plan order (not `key` itself). */
  async prepare(key: string): Promise<void> {
    const need = new Set<string>();
    const add = (k: string) => {
      for (const d of this.run(k).step.dependsOn)
        if (!need.has(d)) {
          need.add(d);
          add(d);
        }
    };
    add(key);
    for (const s of topologicalOrder(this.graph) ?? [])
      if (need.has(s.key) && !this.run(s.key).outputs) await this.apply(s.key);
  }

  async inventory(): Promise<InventoryItem[]> {
    return this.emulator.inventory(AK);
  }

  /** Live resources that carry this cluster's and this step's owner tags. */
  async ownedBy(key: string): Promise<InventoryItem[]> {
    return (await this.inventory()).filter((i) => i.ownerCluster === CLUSTER && i.ownerStep === key);
  }
}

async function world(spec: Obj = fullSpec(), facts: SpecFacts = {}): Promise<World> {
  const w = await new World().init();
  w.plan(spec, facts);
  return w;
}

interface Contract {
  /** Outputs the plan's refs (or the step's consumers) need. */
  readonly outputs: readonly string[];
  /** The resources the step owns in the inventory (default: those with its owner tags). */
  readonly owned?: (i: InventoryItem) => boolean;
  /** How many it owns once done (default 1). */
  readonly count?: number;
  /** Checks while the step is done, before release. */
  readonly whileDone?: (outputs: Record<string, Json>) => Promise<void>;
  /** Release detaches rather than deletes: the owned resources are still there afterwards. */
  readonly detaches?: boolean;
}

/**
 * The contract of every step: crashes at the first durable writes leave nothing twice, apply reaches
 * done with the outputs the plan refers to, a second apply returns them and changes nothing, and
 * release leaves none of the step's resources.
 */
async function contract(w: World, key: string, c: Contract): Promise<Record<string, Json>> {
  await w.prepare(key);
  const owned = c.owned ?? ((i: InventoryItem) => i.ownerCluster === CLUSTER && i.ownerStep === key);
  for (const crashAt of [1, 2, 3]) {
    await w.applyOnce(key, { crashAt }).catch((e: unknown) => {
      if (!(e instanceof Crash)) throw e;
    });
    w.tick();
  }
  const outputs = await w.apply(key);
  for (const name of c.outputs) expect(outputs[name], `${key} output ${name}`).toBeDefined();
  expect((await w.inventory()).filter(owned), `${key} owns`).toHaveLength(c.count ?? 1);
  const before = await w.inventory();
  expect(await w.applyOnce(key)).toEqual({ status: 'done', outputs });
  expect(await w.inventory()).toEqual(before);
  await c.whileDone?.(outputs);
  await w.release(key);
  expect((await w.inventory()).filter(owned)).toHaveLength(c.detaches ? (c.count ?? 1) : 0);
  return outputs;
}

/** Every `ref(step, output)` of the plan, as `step → outputs`. */
function refsOf(graph: ResourceGraph): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const walk = (v: Input): void => {
    if (v === null || typeof v !== 'object') return;
    if (isRef(v)) {
      const s = out.get(v.$ref) ?? new Set<string>();
      s.add(v.output);
      out.set(v.$ref, s);
    } else if (Array.isArray(v)) (v as readonly Input[]).forEach(walk);
    else Object.values(v as Record<string, Input>).forEach(walk);
  };
  for (const s of graph.steps) Object.values(s.inputs).forEach(walk);
  return out;
}

async function kuberackError(p: Promise<unknown>): Promise<KuberackError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(KuberackError);
  return e as KuberackError;
}

describe('STEP_HANDLERS', () => {
  it('has one handler with apply and release for every step kind', () => {
    expect(Object.keys(STEP_HANDLERS).sort()).toEqual([...STEP_KINDS].sort());
    for (const kind of STEP_KINDS) {
      expect(typeof STEP_HANDLERS[kind].apply, kind).toBe('function');
      expect(typeof STEP_HANDLERS[kind].release, kind).toBe('function');
    }
  });
});

describe('the whole plan on the emulator', () => {
  it('M1 M2 M3 M4 M6 M7 M8 M30 M47 every step applies in order, produces every output a ref names, and releases to nothing', async () => {
    const w = await world();
    const order = topologicalOrder(w.graph) ?? [];
    expect(order).toHaveLength(w.graph.steps.length);
    for (const s of order) await w.apply(s.key);
    for (const [key, outputs] of refsOf(w.graph))
      for (const output of outputs)
        expect(w.run(key).outputs?.[output], `${key} output ${output}`).toBeDefined();

    const owned = (await w.inventory()).filter((i) => i.ownerCluster === CLUSTER);
    expect(owned.filter((i) => i.kind === 'instance')).toHaveLength(2);
    expect(w.run('slb-listener/api-server-6443').outputs?.endpoint).toBe(
      `${String(w.run('slb/api-server').outputs?.address)}:6443`,
    );
    expect([...w.secrets.keys()].sort()).toEqual([KEY_PAIR_SECRET, ACCESS_KEY_SECRET]);
    const nodeReady = w.keysOf('node-ready').map((k) => w.run(k).outputs);
    expect(nodeReady.every((o) => o?.gpuCount === 1)).toBe(true);

    for (const s of [...order].reverse()) await w.release(s.key);
    expect((await w.inventory()).filter((i) => i.tags.some((t) => t.key === OWNER_CLUSTER_TAG))).toEqual([]);
    expect(w.secrets.size).toBe(0);
    expect(w.nodes.size).toBe(0);
    expect(await w.provider.getRdsWhitelist(REGION, RDS, rdsGroupName(CLUSTER))).toMatchObject({ ips: [] });
  });
});

describe('network and security steps', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });

  it('M2 security-group: created once in the VPC, outputs id, deleted on release', async () => {
    await contract(w, 'security-group', { outputs: ['id'] });
  });

  it('M2 security-group-rules: ICMP from the VPC, the group itself and the pods, authorized once', async () => {
    await w.prepare('security-group-rules');
    const sgId = String(w.run('security-group').outputs?.id);
    const rules = async () => (await w.provider.getSecurityGroup(REGION, sgId))?.rules ?? [];
    await contract(w, 'security-group-rules', {
      outputs: ['securityGroupId'],
      count: 0,
      whileDone: async () => {
        const r = await rules();
        expect(r).toHaveLength(3);
        expect(r).toContainEqual(
          expect.objectContaining({ protocol: 'icmp', sourceCidr: '192.168.0.0/16', portRange: '-1/-1' }),
        );
        expect(r).toContainEqual(expect.objectContaining({ protocol: 'all', sourceGroupId: sgId }));
        expect(r).toContainEqual(expect.objectContaining({ protocol: 'all', sourceCidr: '172.20.0.0/16' }));
        expect(r.every((x) => x.policy === 'accept' && x.priority === 1 && x.direction === 'ingress')).toBe(
          true,
        );
      },
    });
    // The rules die with the group: release leaves them to it.
    expect(await rules()).toHaveLength(3);
  });

  it('M3 M5 nat-gateway: waits for Available, outputs id and snatTableId, deleted on release', async () => {
    const out = await contract(w, 'nat-gateway', { outputs: ['id', 'snatTableId'] });
    expect(String(out.snatTableId)).toMatch(/^stb-/);
  });

  it('M3 M5 eip: allocated once, outputs id and ip, released', async () => {
    await contract(w, 'eip/nat', { outputs: ['id', 'ip'] });
  });

  it('M3 M5 eip-association (nat): binds the EIP to the NAT gateway until InUse; release waits until Available', async () => {
    await w.prepare('eip-association/nat');
    const allocationId = String(w.run('eip/nat').outputs?.id);
    const natId = String(w.run('nat-gateway').outputs?.id);
    await contract(w, 'eip-association/nat', {
      outputs: ['allocationId', 'ip'],
      count: 0,
      whileDone: async () => {
        expect(await w.provider.getEip(REGION, allocationId)).toMatchObject({
          status: 'InUse',
          instanceId: natId,
          instanceType: 'Nat',
        });
      },
    });
    expect(await w.provider.getEip(REGION, allocationId)).toMatchObject({
      status: 'Available',
      instanceId: null,
    });
  });

  it('M8 eip-association (slb): binds the API server EIP to the SLB as SlbInstance', async () => {
    await w.prepare('eip-association/api-server');
    const allocationId = String(w.run('eip/api-server').outputs?.id);
    await contract(w, 'eip-association/api-server', {
      outputs: ['ip'],
      count: 0,
      whileDone: async () => {
        expect(await w.provider.getEip(REGION, allocationId)).toMatchObject({
          status: 'InUse',
          instanceType: 'SlbInstance',
          instanceId: w.run('slb/api-server').outputs?.id,
        });
      },
    });
    expect((await w.provider.getEip(REGION, allocationId))?.status).toBe('Available');
  });

  it('M3 M5 snat-entry: one entry for the vSwitch through the NAT EIP, created once, deleted on release', async () => {
    const [key] = w.keysOf('snat-entry');
    const out = await contract(w, key ?? '', { outputs: ['id', 'snatIp'] });
    expect(out.snatIp).toBe(w.run('eip/nat').outputs?.ip);
  });

  it('M4 route-entry: one Flannel route per node to its Pod CIDR block, created once, deleted on release', async () => {
    const out = await contract(w, 'route-entry/worker-2', { outputs: ['id'] });
    expect(out.destinationCidr).toBe('172.20.0.64/26');
  });

  it('M7 slb: an internal SLB, active, outputs id and address; release turns delete protection off first', async () => {
    await contract(w, 'slb/api-server', {
      outputs: ['id', 'address'],
      whileDone: async (o) => {
        expect(o.addressType).toBe('intranet');
        // Someone turned delete protection on by hand: the release still succeeds.
        await w.provider.setLoadBalancerDeleteProtection(REGION, String(o.id), true);
      },
    });
  });

  it('M7 M8 slb-listener: 6443 forwards to 6443, running; endpoint is address:port; release deletes it', async () => {
    await w.prepare('slb-listener/api-server-6443');
    const lbId = String(w.run('slb/api-server').outputs?.id);
    const listeners = async () => (await w.provider.getLoadBalancer(REGION, lbId))?.listeners ?? [];
    const out = await contract(w, 'slb-listener/api-server-6443', {
      outputs: ['endpoint'],
      count: 0,
      whileDone: async () => {
        expect(await listeners()).toEqual([
          { port: 6443, protocol: 'tcp', backendPort: 6443, status: 'running' },
        ]);
      },
    });
    expect(out.endpoint).toBe(`${String(w.run('slb/api-server').outputs?.address)}:6443`);
    expect(await listeners()).toEqual([]);
    // Released twice (the listener already gone) is still done.
    await w.release('slb-listener/api-server-6443');
  });

  it('M47 key-pair: created once with its private key in the secrets, never in outputs; deleted on release', async () => {
    const out = await contract(w, 'key-pair', {
      outputs: ['name'],
      whileDone: async (o) => {
        expect(o).toEqual({ name: 'kr-steps-key' });
        expect(w.secrets.get(KEY_PAIR_SECRET)).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
        expect(await w.provider.getKeyPair(REGION, 'kr-steps-key')).not.toBeNull();
      },
    });
    expect(JSON.stringify(out)).not.toContain('PRIVATE KEY');
    expect(w.secrets.has(KEY_PAIR_SECRET)).toBe(false);
    expect(await w.provider.getKeyPair(REGION, 'kr-steps-key')).toBeNull();
  });

  it('M47 key-pair: a name taken by a key pair not ours is refused; ours without a stored private key is replaced', async () => {
    await w.provider.createKeyPair(
      { regionId: REGION, name: 'kr-steps-key' },
      { clientToken: 'tenant', tags: [] },
    );
    const e = await kuberackError(w.applyOnce('key-pair'));
    expect(e.code).toBe('ENGINE_NAME_TAKEN');
    await w.provider.deleteKeyPair(REGION, 'kr-steps-key');

    // Ours (owner tags), but its private key was lost in a crash before the store.
    const lost = await w.provider.createKeyPair(
      { regionId: REGION, name: 'kr-steps-key' },
      { clientToken: 'lost', tags: ownerTags(CLUSTER, 'key-pair') },
    );
    expect(await w.apply('key-pair')).toEqual({ name: 'kr-steps-key' });
    const now = await w.provider.getKeyPair(REGION, 'kr-steps-key');
    expect(now?.fingerprint).not.toBe(lost.fingerprint);
    expect(w.secrets.get(KEY_PAIR_SECRET)).not.toBe(lost.privateKey);
  });

  it('M58 log-project: a name not ours is refused; created once, outputs name, deleted on release', async () => {
    const name = `k8s-${CLUSTER}-log`;
    await w.provider.createLogProject({ regionId: REGION, name }, { clientToken: 'tenant', tags: [] });
    expect((await kuberackError(w.applyOnce('log-project'))).code).toBe('ENGINE_NAME_TAKEN');
    await w.provider.deleteLogProject(REGION, name);
    expect(await contract(w, 'log-project', { outputs: ['name'] })).toEqual({ name });
  });
});

describe('RAM steps', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });

  it('M6 ram-policy: exactly the plan document, attached to the cluster user; release detaches and deletes', async () => {
    await w.prepare('ram-policy');
    const user = `k8s-${CLUSTER}`;
    await contract(w, 'ram-policy', {
      outputs: ['name'],
      whileDone: async (o) => {
        expect(o.name).toBe(`${user}-policy`);
        const p = await w.provider.getRamPolicy(`${user}-policy`);
        expect(p?.attachedUsers).toEqual([user]);
        expect(JSON.parse(p?.document ?? '{}')).toEqual(w.run('ram-policy').step.inputs.document);
      },
    });
    expect(await w.provider.getRamPolicy(`${user}-policy`)).toBeNull();
  });

  it('M6 ram-policy: a taken name is adopted only when its document is the same', async () => {
    await w.prepare('ram-policy');
    const name = `k8s-${CLUSTER}-policy`;
    const doc = { Version: '1', Statement: [{ Effect: 'Allow', Action: ['ecs:*'], Resource: '*' }] };
    await w.provider.createRamPolicy({ name, document: JSON.stringify(doc) }, { clientToken: 'x', tags: [] });
    expect((await kuberackError(w.applyOnce('ram-policy'))).code).toBe('ENGINE_NAME_TAKEN');
    await w.provider.deleteRamPolicy(name);
    // The same document, written with other key order and spacing: adopted.
    const same = w.run('ram-policy').step.inputs.document as { Version: string; Statement: unknown[] };
    await w.provider.createRamPolicy(
      { name, document: JSON.stringify({ Statement: same.Statement, Version: same.Version }, null, 2) },
      { clientToken: 'y', tags: [] },
    );
    expect(await w.apply('ram-policy')).toEqual({ name });
    expect((await w.provider.getRamPolicy(name))?.attachedUsers).toEqual([`k8s-${CLUSTER}`]);
  });

  it('M6 ram-access-key: outputs the key id only, its secret goes to the secrets; crashes leave one key', async () => {
    const user = `k8s-${CLUSTER}`;
    const keys = (i: InventoryItem) => i.kind === 'ram-access-key';
    const out = await contract(w, 'ram-access-key', {
      outputs: ['id'],
      owned: keys,
      whileDone: async (o) => {
        expect(Object.keys(o)).toEqual(['id']);
        expect((await w.provider.listAccessKeys(user)).map((k) => k.id)).toEqual([o.id]);
        expect(w.secrets.get(ACCESS_KEY_SECRET)).toMatch(/^[A-Za-z0-9]{30}$/);
        expect(JSON.stringify(o)).not.toContain(w.secrets.get(ACCESS_KEY_SECRET));
      },
    });
    expect(String(out.id)).toMatch(/^LTAI/);
    expect(w.secrets.has(ACCESS_KEY_SECRET)).toBe(false);
    // The user has no key left, so its own release can delete it.
    await w.release('ram-policy');
    await w.release('ram-user');
    expect((await w.inventory()).filter((i) => i.ownerCluster === CLUSTER)).toEqual([]);
  });
});

describe('worker steps', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });

  it('M1 M4 M48 ecs-instance: one protected A10 in the vSwitch, Running, with its Pod CIDR; release turns protection off and deletes', async () => {
    await contract(w, 'ecs-instance/worker-1', {
      outputs: ['id', 'privateIp', 'instanceType', 'zoneId', 'podCidr'],
      whileDone: async (o) => {
        expect(o).toMatchObject({ instanceType: A10, zoneId: ZONE, podCidr: '172.20.0.0/26' });
        const inst = await w.provider.getInstance(REGION, String(o.id));
        expect(inst).toMatchObject({
          status: 'Running',
          deletionProtection: true,
          chargeType: 'PostPaid',
          keyPairName: 'kr-steps-key',
          imageId: 'aliyun_2_1903_x64_20G_alibase_20240628.vhd',
          systemDisk: { category: 'cloud_essd', sizeGiB: 120, performanceLevel: 'PL1' },
          securityGroupIds: [w.run('security-group').outputs?.id],
        });
        expect(inst?.tags).toContainEqual({ key: 'team', value: 'ml' });
        // M48: while protected, the cloud refuses a plain delete.
        await expect(w.provider.deleteInstance(REGION, String(o.id), { force: true })).rejects.toThrow(
          /DeletionProtection/,
        );
      },
    });
  });

  it('M4 ecs-instance: Flannel gives node index 0 and 1 consecutive blocks of nodeIpCount addresses', async () => {
    await w.prepare('ecs-instance/worker-2');
    expect((await w.apply('ecs-instance/worker-1')).podCidr).toBe('172.20.0.0/26');
    expect((await w.apply('ecs-instance/worker-2')).podCidr).toBe('172.20.0.64/26');
    const e = await kuberackError(
      w.applyOnce('ecs-instance/worker-2', {
        inputs: { podSubnet: { podCidr: '172.20.0.0/24', nodeIpCount: 64, index: 4 } },
      }),
    );
    expect(e.code).toBe('ENGINE_POD_CIDR_FULL');
  });

  it('M1 M42 ecs-instance: moves to the second instance type when the first has no stock', async () => {
    w.plan(merge(fullSpec(), { workers: { instances: { instanceTypes: [A10, T4] } } }));
    await w.prepare('ecs-instance/worker-1');
    await w.emulator.setFaults(AK, { soldOut: [{ instanceType: A10, zoneId: null }] });
    const out = await contract(w, 'ecs-instance/worker-1', { outputs: ['id', 'instanceType'] });
    expect(out.instanceType).toBe(T4);
  });

  it('M1 M42 ecs-instance: after a crash that lost the id of the fallback type, the same instance is found even with the first type back in stock', async () => {
    w.plan(merge(fullSpec(), { workers: { instances: { instanceTypes: [A10, T4] } } }));
    await w.prepare('ecs-instance/worker-1');
    await w.emulator.setFaults(AK, { soldOut: [{ instanceType: A10, zoneId: null }] });
    // Writes: try A10 (1), no stock, try T4 (2), T4 made, its id (3): the crash loses the id.
    await expect(w.applyOnce('ecs-instance/worker-1', { crashAt: 3 })).rejects.toBeInstanceOf(Crash);
    const made = await w.ownedBy('ecs-instance/worker-1');
    expect(made).toHaveLength(1);
    await w.emulator.setFaults(AK, { soldOut: [] });
    const out = await w.apply('ecs-instance/worker-1');
    expect(out).toMatchObject({ id: made[0]?.id, instanceType: T4 });
    expect(await w.ownedBy('ecs-instance/worker-1')).toHaveLength(1);
  });

  it('M1 M42 ecs-instance: ENGINE_NO_STOCK names every type when none is in stock, and nothing is made', async () => {
    w.plan(merge(fullSpec(), { workers: { instances: { instanceTypes: [A10, T4] } } }));
    await w.prepare('ecs-instance/worker-1');
    await w.emulator.setFaults(AK, { soldOut: [{ instanceType: null, zoneId: ZONE }] });
    const e = await kuberackError(w.applyOnce('ecs-instance/worker-1'));
    expect(e.code).toBe('ENGINE_NO_STOCK');
    expect(e.params).toEqual({ step: 'ecs-instance/worker-1', instanceTypes: [A10, T4], zoneId: ZONE });
    expect(await w.ownedBy('ecs-instance/worker-1')).toEqual([]);
    // Once stock is back, the step starts again from the first type.
    await w.emulator.setFaults(AK, { soldOut: [] });
    expect((await w.apply('ecs-instance/worker-1')).instanceType).toBe(A10);
  });

  it('M1 ecs-instance: ENGINE_NO_IMAGE when the region has no image of the OS; a custom image wins', async () => {
    await w.prepare('ecs-instance/worker-1');
    const bootstrap = w.ctx('ecs-instance/worker-1').inputs.bootstrap as Record<string, Json>;
    const e = await kuberackError(
      w.applyOnce('ecs-instance/worker-1', { inputs: { bootstrap: { ...bootstrap, os: 'windows-2022' } } }),
    );
    expect(e.params).toMatchObject({ os: 'windows-2022', regionId: REGION });
    expect(e.code).toBe('ENGINE_NO_IMAGE');
    const custom = 'centos_7_9_x64_20G_alibase_20240628.vhd';
    const out = await w.apply('ecs-instance/worker-1', {
      inputs: { bootstrap: { ...bootstrap, os: 'windows-2022', customImageId: custom } },
    });
    expect((await w.provider.getInstance(REGION, String(out.id)))?.imageId).toBe(custom);
  });

  it('M14 ecs-instance: a one-year subscription is PrePaid for 12 months, without deletion protection, released once expired', async () => {
    w.plan(
      merge(fullSpec(), {
        workers: {
          instances: { billing: { type: 'subscription', period: 1, periodUnit: 'year', autoRenew: true } },
          instanceProtection: true,
        },
      }),
    );
    await w.prepare('ecs-instance/worker-1');
    const out = await w.apply('ecs-instance/worker-1');
    const inst = await w.provider.getInstance(REGION, String(out.id));
    expect(inst?.chargeType).toBe('PrePaid');
    expect(inst?.expiresAt).toBeGreaterThanOrEqual(w.clock + 359 * DAY);
    expect(inst?.expiresAt).toBeLessThanOrEqual(w.clock + 361 * DAY);
    // The cloud has no deletion protection for subscriptions; their term protects them.
    expect(inst?.deletionProtection).toBe(false);
    await expect(STEP_HANDLERS['ecs-instance'].release(w.ctx('ecs-instance/worker-1'))).rejects.toThrow(
      /ChargeTypeViolation/,
    );
    w.tick(361 * DAY);
    await w.release('ecs-instance/worker-1');
    expect(await w.ownedBy('ecs-instance/worker-1')).toEqual([]);
  });

  it('M48 ecs-instance: protection turned on by hand is turned off by release too; a create never recorded is found by tag', async () => {
    w.plan(merge(fullSpec(), { workers: { instanceProtection: false } }));
    await w.prepare('ecs-instance/worker-1');
    const out = await w.apply('ecs-instance/worker-1');
    expect((await w.provider.getInstance(REGION, String(out.id)))?.deletionProtection).toBe(false);
    await w.provider.modifyInstance(REGION, String(out.id), { deletionProtection: true });
    // Forget the record, as a crash between the create and the save would have.
    w.run('ecs-instance/worker-1').memory = {};
    await w.release('ecs-instance/worker-1');
    expect(await w.ownedBy('ecs-instance/worker-1')).toEqual([]);
  });

  it('M30 rds-whitelist: the group kuberack_<cluster> holds exactly the node IPs; release empties it', async () => {
    await w.prepare(`rds-whitelist/${RDS}`);
    const ips = w.keysOf('ecs-instance').map((k) => String(w.run(k).outputs?.privateIp));
    const group = rdsGroupName(CLUSTER);
    expect(group).toBe(`kuberack_${CLUSTER}`);
    const out = await contract(w, `rds-whitelist/${RDS}`, {
      outputs: ['groupName'],
      count: 0,
      whileDone: async () => {
        expect((await w.provider.getRdsWhitelist(REGION, RDS, group))?.ips).toEqual(ips);
      },
    });
    expect(out).toEqual({ rdsInstanceId: RDS, groupName: group, ips });
    expect((await w.provider.getRdsWhitelist(REGION, RDS, group))?.ips).toEqual([]);
    expect(rdsGroupName('C-Long.Id'.repeat(10))).toMatch(/^kuberack_c_long_id[a-z0-9_]*$/);
    expect(rdsGroupName('C-Long.Id'.repeat(10))).toHaveLength(64);
  });
});

describe('steps beyond the cloud', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });

  it('M1 cluster-credentials and control-plane delegate to their services; control-plane waits until ready', async () => {
    await w.prepare('control-plane');
    expect(w.run('cluster-credentials').outputs).toMatchObject({
      internalAddress: w.run('slb/api-server').outputs?.address,
    });
    expect(await w.applyOnce('control-plane')).toEqual({
      status: 'waiting',
      reason: 'waiting for the hosted control plane to become ready',
    });
    const out = await w.apply('control-plane');
    expect(out.endpoint).toBe(w.run('slb-listener/api-server-6443').outputs?.endpoint);
    expect((await STEP_HANDLERS['control-plane'].release(w.ctx('control-plane'))).status).toBe('waiting');
    await w.release('control-plane');
    await w.release('cluster-credentials');
    expect(w.serviceCalls).toContain(`credentials.remove ${CLUSTER}`);
  });

  it('M9 node-ready waits for the node to register with its GPUs, then outputs its name and GPU count', async () => {
    await w.prepare('node-ready/worker-1');
    w.agent = false;
    const instanceId = String(w.run('ecs-instance/worker-1').outputs?.id);
    expect(await w.applyOnce('node-ready/worker-1')).toEqual({
      status: 'waiting',
      reason: `waiting for node ${instanceId} to register and report its GPUs`,
    });
    w.nodes.set(instanceId, { instanceId, nodeName: 'gpu-node-1', gpuCount: 1, registeredAt: w.clock });
    expect(await w.applyOnce('node-ready/worker-1')).toEqual({
      status: 'done',
      outputs: { nodeName: 'gpu-node-1', gpuCount: 1 },
    });
    await w.release('node-ready/worker-1');
    expect(w.nodes.has(instanceId)).toBe(false);
  });

  it('addon: records the add-on by name and says nothing was applied', async () => {
    await w.prepare('addon/coredns');
    expect(await w.apply('addon/coredns')).toEqual({ name: 'coredns', applied: false, rendered: false });
    await w.release('addon/coredns');
  });
});

/** A tenant's own network in the region: VPC, vSwitch, NAT gateway with a bound EIP, security group, key pair. */
async function tenantNetwork(w: World) {
  const p = w.provider;
  const t = (name: string) => ({ clientToken: `tenant-${name}`, tags: [{ key: 'owner', value: 'tenant' }] });
  const until = async (read: () => Promise<boolean>) => {
    for (let i = 0; i < 100 && !(await read()); i++) w.tick();
  };
  const vpc = await p.createVpc({ regionId: REGION, cidr: '10.0.0.0/16', name: 'tenant' }, t('vpc'));
  await until(async () => (await p.getVpc(REGION, vpc.id))?.status === 'Available');
  const vsw = await p.createVSwitch(
    { regionId: REGION, vpcId: vpc.id, zoneId: ZONE, cidr: '10.0.0.0/24', name: 'tenant' },
    t('vsw'),
  );
  await until(async () => (await p.getVSwitch(REGION, vsw.id))?.status === 'Available');
  const nat = await p.createNatGateway(
    { regionId: REGION, vpcId: vpc.id, vswitchId: vsw.id, name: 'tenant' },
    t('nat'),
  );
  await until(async () => (await p.getNatGateway(REGION, nat.id))?.status === 'Available');
  const eip = await p.allocateEip({ regionId: REGION, name: 'tenant' }, t('eip'));
  await p.associateEip(REGION, { allocationId: eip.id, instanceId: nat.id, instanceType: 'Nat' });
  await until(async () => (await p.getEip(REGION, eip.id))?.status === 'InUse');
  const sg = await p.createSecurityGroup(
    { regionId: REGION, vpcId: vpc.id, type: 'normal', name: 'tenant' },
    t('sg'),
  );
  await p.createKeyPair({ regionId: REGION, name: 'tenant-key' }, t('kp'));
  const facts: VpcFacts = {
    vpcId: vpc.id,
    cidr: vpc.cidr,
    kind: 'normal',
    regionId: REGION,
    natGatewayId: nat.id,
    routeTableId: vpc.routeTableId,
    routeEntriesInUse: 0,
    hasInternetRoute: true,
    vswitches: [{ vswitchId: vsw.id, zoneId: ZONE, cidr: vsw.cidr }],
    clusters: [],
    securityGroupIds: [sg.id],
  };
  return { vpc, vsw, nat, eip, sg, facts };
}

async function tenantInstance(w: World, n: Awaited<ReturnType<typeof tenantNetwork>>, name: string) {
  const inst = await w.provider.runInstance(
    {
      regionId: REGION,
      vswitchId: n.vsw.id,
      securityGroupIds: [n.sg.id],
      instanceType: A10,
      imageId: 'centos_7_9_x64_20G_alibase_20240628.vhd',
      name,
      systemDisk: { category: 'cloud_essd', sizeGiB: 100, performanceLevel: 'PL0' },
      dataDisks: [],
      keyPairName: 'tenant-key',
      userData: '#!/bin/sh\necho tenant',
      chargeType: 'PostPaid',
      deletionProtection: true,
    },
    { clientToken: `tenant-${name}`, tags: [{ key: 'owner', value: 'tenant' }] },
  );
  for (let i = 0; i < 100 && (await w.provider.getInstance(REGION, inst.id))?.status !== 'Running'; i++)
    w.tick();
  return inst;
}

describe('an existing VPC with its NAT gateway, and existing instances', () => {
  let w: World;
  let n: Awaited<ReturnType<typeof tenantNetwork>>;
  beforeEach(async () => {
    w = await new World().init();
    n = await tenantNetwork(w);
  });

  /** The tenant's VPC, vSwitch and NAT gateway reused; its instances adopted; password login. */
  function existingSpec(instanceIds: string[]): Obj {
    return {
      name: 'gpu-adopt',
      regionId: REGION,
      network: {
        vpc: { mode: 'existing', vpcId: n.vpc.id, kind: 'normal' },
        vswitches: [{ mode: 'existing', vswitchId: n.vsw.id }],
        plugin: 'flannel',
        podCidr: '172.20.0.0/16',
        nodeIpCount: 64,
        serviceCidr: '172.21.0.0/20',
      },
      workers: {
        instances: { mode: 'existing', instanceIds },
        login: { type: 'password', password: PASSWORD, passwordConfirm: PASSWORD },
      },
    };
  }

  function facts(ids: string[]): SpecFacts {
    return {
      vpc: n.facts,
      instances: ids.map((instanceId) => ({
        instanceId,
        regionId: REGION,
        vpcId: n.vpc.id,
        clusterId: null,
      })),
    };
  }

  it("M5 snat-entry on a reused NAT gateway takes the gateway's EIP, and keeps a tenant's own entry", async () => {
    const inst = await tenantInstance(w, n, 'tenant-1');
    w.plan(existingSpec([inst.id]), facts([inst.id]));
    expect(w.keysOf('nat-gateway')).toEqual([]);
    const key = w.keysOf('snat-entry')[0] ?? '';
    expect(w.run(key).step.inputs.snatIp).toBeNull();
    await w.prepare(key);

    // The tenant already translates this vSwitch: the step uses that entry and never deletes it.
    const theirs = await w.provider.createSnatEntry(
      {
        regionId: REGION,
        snatTableId: n.nat.snatTableId,
        vswitchId: n.vsw.id,
        snatIp: n.eip.ip,
        name: 'tenant',
      },
      { clientToken: 'tenant-snat', tags: [] },
    );
    expect(await w.apply(key)).toEqual({ id: theirs.id, snatIp: n.eip.ip, snatTableId: n.nat.snatTableId });
    await w.release(key);
    expect(await w.provider.getSnatEntry(REGION, n.nat.snatTableId, theirs.id)).not.toBeNull();
    await w.provider.deleteSnatEntry(REGION, n.nat.snatTableId, theirs.id);
    w.tick(60_000);

    // Without one, a new entry through the gateway's EIP; the gateway itself is never touched.
    w.run(key).memory = {};
    const out = await contract(w, key, { outputs: ['id', 'snatIp'] });
    expect(out.snatIp).toBe(n.eip.ip);
    expect(out.id).not.toBe(theirs.id);
    expect(await w.provider.getNatGateway(REGION, n.nat.id)).toMatchObject({ status: 'Available' });
  });

  it('M5 snat-entry: a reused NAT gateway without an EIP fails with ENGINE_NAT_NO_EIP', async () => {
    const inst = await tenantInstance(w, n, 'tenant-1');
    await w.provider.unassociateEip(REGION, { allocationId: n.eip.id, instanceId: n.nat.id });
    w.tick(60_000);
    w.plan(existingSpec([inst.id]), facts([inst.id]));
    const [key] = w.keysOf('snat-entry');
    await w.prepare(key ?? '');
    const e = await kuberackError(w.applyOnce(key ?? ''));
    expect(e.code).toBe('ENGINE_NAT_NO_EIP');
    expect(e.params).toEqual({ step: key, natGatewayId: n.nat.id });
  });

  it('M40 ecs-adoption: re-images, joins and tags the instance; release detaches it and leaves it running', async () => {
    const inst = await tenantInstance(w, n, 'tenant-1');
    w.plan(existingSpec([inst.id]), facts([inst.id]));
    const key = `ecs-adoption/${inst.id}`;
    expect(w.run(key).step.releaseOnDelete).toBe(false);
    await w.prepare(key);
    const sgId = String(w.run('security-group').outputs?.id);
    const out = await contract(w, key, {
      outputs: ['id', 'privateIp', 'instanceType', 'zoneId', 'podCidr'],
      whileDone: async (o) => {
        expect(o).toMatchObject({ id: inst.id, privateIp: inst.privateIp, podCidr: '172.20.0.0/26' });
        const now = await w.provider.getInstance(REGION, inst.id);
        expect(now).toMatchObject({
          status: 'Running',
          securityGroupIds: [sgId],
          imageId: 'aliyun_2_1903_x64_20G_alibase_20240628.vhd',
          keyPairName: null,
          deletionProtection: true,
        });
        expect(now?.tags).toEqual(
          expect.arrayContaining([...ownerTags(CLUSTER, key), { key: 'owner', value: 'tenant' }]),
        );
      },
      // The instance is the tenant's (the emulator keeps the owner columns of its create): found by id.
      owned: (i) => i.id === inst.id,
      detaches: true,
    });
    expect(out.instanceType).toBe(A10);
    const after = await w.provider.getInstance(REGION, inst.id);
    expect(after).toMatchObject({ status: 'Running', securityGroupIds: [n.sg.id], deletionProtection: true });
    expect(after?.tags).toEqual([{ key: 'owner', value: 'tenant' }]);
    expect(after?.tags.some((t) => t.key === OWNER_CLUSTER_TAG || t.key === OWNER_STEP_TAG)).toBe(false);
    // Our security group can go now that the instance left it.
    await w.release('security-group-rules');
    await w.release('security-group');
  });

  it('M40 ecs-adoption refuses an instance that does not exist or belongs to another cluster', async () => {
    const inst = await tenantInstance(w, n, 'tenant-1');
    w.plan(existingSpec([inst.id]), facts([inst.id]));
    const key = `ecs-adoption/${inst.id}`;
    await w.prepare(key);
    const missing = await kuberackError(
      w.applyOnce(key, { inputs: { instanceId: 'i-bp1doesnotexist000000' } }),
    );
    expect(missing.code).toBe('ENGINE_ADOPT_NOT_FOUND');
    expect(missing.params).toEqual({ step: key, instanceId: 'i-bp1doesnotexist000000', regionId: REGION });
    await w.provider.modifyInstance(REGION, inst.id, { tags: ownerTags('c-other', 'ecs-instance/worker-1') });
    const taken = await kuberackError(w.applyOnce(key));
    expect(taken.code).toBe('ENGINE_ADOPT_IN_USE');
    expect(taken.params).toEqual({ step: key, instanceId: inst.id, otherCluster: 'c-other' });
    // Nothing was changed or recorded before the refusal.
    expect(w.run(key).memory).toEqual({});
    expect((await w.provider.getInstance(REGION, inst.id))?.status).toBe('Running');
  });

  it('modifyInstance removeTags deletes tag keys and ignores keys the instance lacks', async () => {
    const inst = await tenantInstance(w, n, 'tenant-1');
    await w.provider.modifyInstance(REGION, inst.id, { tags: ownerTags(CLUSTER, 'x') });
    await w.provider.modifyInstance(REGION, inst.id, {
      removeTags: [OWNER_CLUSTER_TAG, OWNER_STEP_TAG, 'absent'],
    });
    expect((await w.provider.getInstance(REGION, inst.id))?.tags).toEqual([
      { key: 'owner', value: 'tenant' },
    ]);
  });
});
