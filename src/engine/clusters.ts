// Cluster lifecycle as the API calls it: create (validate, preflight, plan, record everything in one
// transaction, then the workers take over), delete (M32, M64), and reading the state and the task.
import { randomBytes, randomUUID } from 'node:crypto';
import { INSTANCE_TYPES } from '../domain/catalogue/index.js';
import { KuberackError } from '../domain/errors.js';
import { preflight, quotaHeadroom, type QuotaHeadroom } from '../domain/limits/index.js';
import { problem, type Problem } from '../domain/problems.js';
import {
  demandOf,
  planCluster,
  planScaleOut,
  scaleOutDemand,
  criticalPath,
  STAGES,
  validateNodePool,
  type CriticalPath,
  type ResourceGraph,
  type Stage,
} from '../domain/plan/index.js';
import { redactSpec, validateClusterSpec, type ClusterSpec, type SpecFacts } from '../domain/spec/index.js';
import { CloudError } from '../cloud/errors.js';
import type { Queryable } from '../store/db.js';
import type { Engine, ClusterState } from './engine.js';
import type { Json } from './steps/types.js';
import { gatherFacts, retryingReads, vpcFacts } from './facts.js';

export interface CreateClusterInput {
  readonly tenantId: string;
  /** The cloud account (access key id) the cluster's resources are created in. */
  readonly accessKeyId: string;
  readonly spec: unknown;
}

export interface StepView {
  readonly key: string;
  readonly kind: string;
  readonly stage: Stage | null;
  readonly state: string;
  readonly dependsOn: readonly string[];
  readonly estimatedSeconds: number | null;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly waitingFor: string | null;
  readonly error: Record<string, unknown> | null;
}

export interface ClusterView {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly regionId: string;
  readonly kubernetesVersion: string | null;
  readonly state: ClusterState;
  readonly deletionProtection: boolean;
  readonly error: Record<string, unknown> | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** The latest task (create, scale-out or delete); null before the first. */
  readonly taskId: string | null;
  /**
   * M67: the longest chain of dependent steps, with real durations for finished steps and typical
   * ones for the rest: what the creation is waiting on.
   */
  readonly criticalPath: CriticalPath;
  readonly steps: readonly StepView[];
}

/** The outputs a step recorded (`{}` while it has none): cloud ids, addresses, and so on. */
export async function stepOutputs(
  db: Queryable,
  clusterId: string,
  stepKey: string,
): Promise<Record<string, Json>> {
  const r = await db.one<{ outputs: string | null }>(
    'SELECT outputs FROM steps WHERE cluster_id = $1 AND step_key = $2',
    [clusterId, stepKey],
  );
  return JSON.parse(r?.outputs ?? '{}') as Record<string, Json>;
}

/** ACK cluster ids: `c` and 32 hex digits. */
export function newClusterId(): string {
  return `c${randomBytes(16).toString('hex')}`;
}

function secretValue(spec: ClusterSpec, path: string): string | null {
  const login = spec.workers.login;
  if (path === 'workers.login.password' && login.type === 'password') return login.password;
  return null;
}

export interface PreparedCluster {
  readonly clusterId: string;
  readonly spec: ClusterSpec;
  readonly graph: ResourceGraph;
  readonly headroom: readonly QuotaHeadroom[];
  /** Why the account cannot hold the cluster (balance, real-name, quotas); empty when it can. */
  readonly refused: readonly Problem[];
}

/**
 * Validates the spec (alone, then with the facts of the cloud and of Kuberack), plans it and checks
 * the account: everything short of creating. Throws ENGINE_SPEC_INVALID with every problem.
 */
export async function prepareCluster(engine: Engine, input: CreateClusterInput): Promise<PreparedCluster> {
  // Validate alone, then with what the cloud and Kuberack know (VPC, stock, key pairs, images, other
  // clusters), so that every problem is reported at once, even when the spec has others too.
  const first = validateClusterSpec(input.spec);
  const provider = retryingReads(engine.options.provider(input.accessKeyId));
  let facts: SpecFacts;
  try {
    facts = await gatherFacts(provider, engine.options.db, first.spec);
  } catch (e) {
    if (first.ok || !(e instanceof CloudError)) throw e;
    throw new KuberackError(
      'ENGINE_SPEC_INVALID',
      { count: first.problems.length },
      { problems: first.problems },
    );
  }
  const result = validateClusterSpec(input.spec, facts);
  if (!result.ok)
    throw new KuberackError(
      'ENGINE_SPEC_INVALID',
      { count: result.problems.length },
      { problems: result.problems },
    );
  const spec = result.spec;
  const clusterId = newClusterId();
  const graph: ResourceGraph = planCluster(spec, { clusterId, vpc: facts.vpc });
  checkUserDataFits(engine, graph, spec);
  const account = await provider.accountFacts(spec.regionId, {
    vpcId: facts.vpc?.vpcId,
    routeTableId: facts.vpc?.routeTableId,
  });
  const demand = demandOf(graph, spec, INSTANCE_TYPES, facts.vpc?.routeEntriesInUse);
  return {
    clusterId,
    spec,
    graph,
    headroom: quotaHeadroom(demand, account),
    refused: preflight(demand, account),
  };
}

/**
 * M49: the user's user data rides after Kuberack's bootstrap, and the whole must fit the cloud's
 * limit; a spec whose workers' user data cannot fit is refused now, at `workers.userData`, instead of
 * failing at launch and rolling back.
 */
function checkUserDataFits(engine: Engine, graph: ResourceGraph, spec: ClusterSpec): void {
  const preview = engine.options.services.bootstrap.preview?.bind(engine.options.services.bootstrap);
  if (!preview) return;
  const seen = new Set<string>();
  for (const step of graph.steps) {
    if (step.kind !== 'ecs-instance' && step.kind !== 'ecs-adoption') continue;
    const types = Array.isArray(step.inputs.instanceTypes)
      ? step.inputs.instanceTypes.filter((t): t is string => typeof t === 'string')
      : [null];
    for (const instanceType of types) {
      const key = `${JSON.stringify(step.inputs.bootstrap)}|${instanceType}`;
      if (seen.has(key)) continue;
      seen.add(key);
      try {
        preview({
          clusterId: graph.clusterId,
          bootstrap: step.inputs.bootstrap as Json,
          regionId: spec.regionId,
          instanceType,
          kubernetesVersion: spec.kubernetesVersion,
        });
      } catch (e) {
        if (!(e instanceof KuberackError) || e.code !== 'ENGINE_USER_DATA_TOO_LARGE') throw e;
        const problems = [problem('workers.userData', 'ENGINE_USER_DATA_DOES_NOT_FIT', e.params)];
        throw new KuberackError('ENGINE_SPEC_INVALID', { count: 1 }, { problems });
      }
    }
  }
}

/** Validates with the account's facts and refuses before creating anything (M10, M13). */
export async function createCluster(
  engine: Engine,
  input: CreateClusterInput,
): Promise<{ clusterId: string; taskId: string }> {
  const { clusterId, spec, graph, refused } = await prepareCluster(engine, input);
  if (refused.length > 0)
    throw new KuberackError('ENGINE_PREFLIGHT_REFUSED', { count: refused.length }, { problems: refused });
  const now = engine.clock();
  const taskId = `T-${randomUUID()}`;
  await engine.options.db.transaction(async (q) => {
    await q.run(
      `INSERT INTO clusters (id, tenant_id, name, region_id, access_key_id, state, spec, graph, deletion_protection,
         disable_rollback, error, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'initial', $6, $7, $8, $9, NULL, $10, $10)`,
      [
        clusterId,
        input.tenantId,
        spec.name,
        spec.regionId,
        input.accessKeyId,
        JSON.stringify(redactSpec(spec)),
        JSON.stringify(graph),
        spec.deletionProtection ? 1 : 0,
        spec.disableRollback ? 1 : 0,
        now,
      ],
    );
    for (const s of graph.steps)
      await q.run(
        `INSERT INTO steps (cluster_id, step_key, kind, state, memory, outputs, attempts, next_at)
         VALUES ($1, $2, $3, 'pending', '{}', NULL, 0, 0)`,
        [clusterId, s.key, s.kind],
      );
    await q.run(
      `INSERT INTO tasks (id, cluster_id, type, state, created_at) VALUES ($1, $2, 'create', 'running', $3)`,
      [taskId, clusterId, now],
    );
    const secrets = engine.secrets(clusterId, q);
    for (const path of ['workers.login.password']) {
      const value = secretValue(spec, path);
      if (value !== null) await secrets.put(`spec/${path}`, value);
    }
  });
  await engine.event(clusterId, 'cluster.created', { steps: graph.steps.length });
  return { clusterId, taskId };
}

/** The cluster's nodes that are subscriptions still in their term (M14). */
async function subscriptionNodes(
  engine: Engine,
  clusterId: string,
): Promise<{ id: string; expiresAt: number }[]> {
  const db = engine.options.db;
  const c = await db.one<{ access_key_id: string; region_id: string }>(
    'SELECT access_key_id, region_id FROM clusters WHERE id = $1',
    [clusterId],
  );
  if (!c) return [];
  const provider = retryingReads(engine.options.provider(c.access_key_id));
  const rows = await db.all<{ instance_id: string }>(
    'SELECT instance_id FROM nodes WHERE cluster_id = $1 AND instance_id IS NOT NULL',
    [clusterId],
  );
  const held: { id: string; expiresAt: number }[] = [];
  for (const r of rows) {
    const i = await provider.getInstance(c.region_id, r.instance_id);
    if (i?.chargeType === 'PrePaid' && (i.expiresAt ?? 0) > engine.clock())
      held.push({ id: i.id, expiresAt: i.expiresAt ?? 0 });
  }
  return held;
}

/** Starts deleting: refused while deletion protection is on (M32); releases everything (M64). */
export async function deleteCluster(engine: Engine, clusterId: string): Promise<{ taskId: string }> {
  const db = engine.options.db;
  const c = await db.one<{ state: ClusterState; deletion_protection: number | boolean }>(
    'SELECT state, deletion_protection FROM clusters WHERE id = $1',
    [clusterId],
  );
  if (!c || c.state === 'deleted') throw new KuberackError('ENGINE_CLUSTER_NOT_FOUND', { clusterId });
  if (Number(c.deletion_protection) === 1 || c.deletion_protection === true)
    throw new KuberackError('ENGINE_DELETION_PROTECTED', { clusterId });
  if (c.state === 'deleting' || c.state === 'rollback')
    throw new KuberackError('ENGINE_CLUSTER_BUSY', { clusterId, state: c.state });
  // M14: a subscription node cannot be released before its term ends, and the cloud would refuse the
  // delete half-way; say so before anything is touched.
  const held = await subscriptionNodes(engine, clusterId);
  if (held.length > 0)
    throw new KuberackError('ENGINE_SUBSCRIPTION_NODES', {
      clusterId,
      instanceIds: held.map((h) => h.id),
      until: new Date(Math.max(...held.map((h) => h.expiresAt))).toISOString(),
    });
  const taskId = `T-${randomUUID()}`;
  if (!(await engine.transition(clusterId, c.state, 'deleting')))
    throw new KuberackError('ENGINE_CLUSTER_BUSY', { clusterId, state: c.state });
  await db.run(
    `UPDATE tasks SET state = 'cancelled', finished_at = $1 WHERE cluster_id = $2 AND state = 'running'`,
    [engine.clock(), clusterId],
  );
  await db.run(
    `INSERT INTO tasks (id, cluster_id, type, state, created_at) VALUES ($1, $2, 'delete', 'running', $3)`,
    [taskId, clusterId, engine.clock()],
  );
  await db.run('UPDATE steps SET next_at = 0, attempts = 0 WHERE cluster_id = $1', [clusterId]);
  return { taskId };
}

export async function describeCluster(engine: Engine, clusterId: string): Promise<ClusterView | null> {
  const db = engine.options.db;
  const c = await db.one<{
    id: string;
    tenant_id: string;
    name: string;
    region_id: string;
    state: ClusterState;
    spec: string;
    graph: string;
    deletion_protection: number | boolean;
    error: string | null;
    created_at: number;
    updated_at: number;
  }>(
    `SELECT id, tenant_id, name, region_id, state, spec, graph, deletion_protection, error, created_at, updated_at
     FROM clusters WHERE id = $1`,
    [clusterId],
  );
  if (!c) return null;
  const steps = await db.all<{
    step_key: string;
    kind: string;
    state: string;
    waiting_for: string | null;
    error: string | null;
    started_at: number | null;
    finished_at: number | null;
  }>(
    `SELECT step_key, kind, state, waiting_for, error, started_at, finished_at FROM steps
     WHERE cluster_id = $1 ORDER BY step_key`,
    [clusterId],
  );
  const task = await db.one<{ id: string }>(
    'SELECT id FROM tasks WHERE cluster_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1',
    [clusterId],
  );
  const graph = engine.parsedGraph(c.id, c.graph);
  const planned = new Map(graph.steps.map((s) => [s.key, s]));
  const ms = (v: number | null) => (v === null ? null : Number(v));
  const views: StepView[] = steps.map((s) => {
    const p = planned.get(s.step_key);
    return {
      key: s.step_key,
      kind: s.kind,
      stage: p?.stage ?? null,
      state: s.state,
      dependsOn: p?.dependsOn ?? [],
      estimatedSeconds: p?.estimatedSeconds ?? null,
      startedAt: ms(s.started_at),
      finishedAt: ms(s.finished_at),
      waitingFor: s.waiting_for,
      error: s.error ? (JSON.parse(s.error) as Record<string, unknown>) : null,
    };
  });
  const spec = JSON.parse(c.spec) as { kubernetesVersion?: unknown };
  return {
    id: c.id,
    tenantId: c.tenant_id,
    name: c.name,
    regionId: c.region_id,
    kubernetesVersion: typeof spec.kubernetesVersion === 'string' ? spec.kubernetesVersion : null,
    state: c.state,
    deletionProtection: Number(c.deletion_protection) === 1 || c.deletion_protection === true,
    error: c.error ? (JSON.parse(c.error) as Record<string, unknown>) : null,
    createdAt: Number(c.created_at),
    updatedAt: Number(c.updated_at),
    taskId: task?.id ?? null,
    criticalPath: observedCriticalPath(graph, views),
    steps: views,
  };
}

/** The graph's critical path with each finished step's real duration in place of its estimate. */
export function observedCriticalPath(graph: ResourceGraph, steps: readonly StepView[]): CriticalPath {
  const actual = new Map(
    steps
      .filter((s) => s.startedAt !== null && s.finishedAt !== null)
      .map((s) => [s.key, Math.max(0, ((s.finishedAt ?? 0) - (s.startedAt ?? 0)) / 1000)]),
  );
  const timed: ResourceGraph = {
    ...graph,
    steps: graph.steps.map((s) => ({ ...s, estimatedSeconds: actual.get(s.key) ?? s.estimatedSeconds })),
  };
  const path = criticalPath(timed);
  return { keys: path.keys, seconds: Math.round(path.seconds * 10) / 10 };
}

/** M32, M64: turns deletion protection on or off; false when the cluster is gone. */
export async function setDeletionProtection(
  engine: Engine,
  clusterId: string,
  on: boolean,
): Promise<boolean> {
  const changed = await engine.options.db.run(
    `UPDATE clusters SET deletion_protection = $1, updated_at = $2 WHERE id = $3 AND state <> 'deleted'`,
    [on ? 1 : 0, engine.clock(), clusterId],
  );
  if (changed === 0) return false;
  await engine.event(clusterId, on ? 'cluster.protected' : 'cluster.unprotected', {});
  return true;
}

export interface StageView {
  readonly stage: Stage;
  readonly state: 'pending' | 'running' | 'done' | 'failed';
  readonly steps: number;
  readonly finished: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
}

export interface TaskView {
  readonly id: string;
  readonly clusterId: string;
  readonly type: 'create' | 'delete' | 'scale-out';
  readonly state: 'running' | 'succeeded' | 'failed' | 'cancelled';
  readonly createdAt: number;
  readonly finishedAt: number | null;
  /** The first stage not yet done, in the console's order (M9, M67); null when none is left. */
  readonly currentStage: Stage | null;
  readonly stages: readonly StageView[];
  readonly error: Record<string, unknown> | null;
}

/** A task with its stages (ACK's DescribeTaskInfo, in Kuberack's names): progress the whole time (M9). */
export async function describeTask(engine: Engine, taskId: string): Promise<TaskView | null> {
  const db = engine.options.db;
  const t = await db.one<{
    id: string;
    cluster_id: string;
    type: TaskView['type'];
    state: TaskView['state'];
    error: string | null;
    created_at: number;
    finished_at: number | null;
  }>('SELECT id, cluster_id, type, state, error, created_at, finished_at FROM tasks WHERE id = $1', [taskId]);
  if (!t) return null;
  const c = await db.one<{ graph: string }>('SELECT graph FROM clusters WHERE id = $1', [t.cluster_id]);
  const graph = JSON.parse(c?.graph ?? '{"steps":[]}') as ResourceGraph;
  const rows = await db.all<{
    step_key: string;
    state: string;
    started_at: number | null;
    finished_at: number | null;
  }>('SELECT step_key, state, started_at, finished_at FROM steps WHERE cluster_id = $1', [t.cluster_id]);
  const byKey = new Map(rows.map((r) => [r.step_key, r]));
  const finishedState = t.type === 'delete' ? 'released' : 'done';
  const stages: StageView[] = STAGES.flatMap((stage) => {
    const steps = graph.steps.filter((s) => s.stage === stage).map((s) => byKey.get(s.key));
    if (steps.length === 0) return [];
    const finished = steps.filter(
      (s) => s?.state === finishedState || (t.type === 'delete' && s?.state === 'pending'),
    );
    const started = steps.flatMap((s) => (s?.started_at ? [Number(s.started_at)] : []));
    const ends = finished.flatMap((s) => (s?.finished_at ? [Number(s.finished_at)] : []));
    const state: StageView['state'] = steps.some((s) => s?.state === 'failed')
      ? 'failed'
      : finished.length === steps.length
        ? 'done'
        : started.length > 0
          ? 'running'
          : 'pending';
    return [
      {
        stage,
        state,
        steps: steps.length,
        finished: finished.length,
        startedAt: started.length ? Math.min(...started) : null,
        finishedAt: state === 'done' && ends.length ? Math.max(...ends) : null,
      },
    ];
  });
  const ordered = t.type === 'delete' ? [...stages].reverse() : stages;
  return {
    id: t.id,
    clusterId: t.cluster_id,
    type: t.type,
    state: t.state,
    createdAt: Number(t.created_at),
    finishedAt: t.finished_at === null ? null : Number(t.finished_at),
    currentStage: t.state === 'running' ? (ordered.find((s) => s.state !== 'done')?.stage ?? null) : null,
    stages: ordered,
    error: t.error ? (JSON.parse(t.error) as Record<string, unknown>) : null,
  };
}

/**
 * Scale out (M65): adds a node pool of another GPU type to a running cluster. Its steps run like the
 * cluster's own; if one fails for good, only the pool's resources are released and the cluster keeps
 * running.
 */
export async function scaleOutCluster(
  engine: Engine,
  clusterId: string,
  request: unknown,
): Promise<{ taskId: string; steps: string[] }> {
  const db = engine.options.db;
  const c = await db.one<{
    state: ClusterState;
    graph: string;
    spec: string;
    access_key_id: string;
    region_id: string;
  }>('SELECT state, graph, spec, access_key_id, region_id FROM clusters WHERE id = $1', [clusterId]);
  if (!c || c.state === 'deleted') throw new KuberackError('ENGINE_CLUSTER_NOT_FOUND', { clusterId });
  if (c.state !== 'running') throw new KuberackError('ENGINE_CLUSTER_BUSY', { clusterId, state: c.state });
  const graph = JSON.parse(c.graph) as ResourceGraph;
  const { pool, problems } = validateNodePool(request, graph);
  if (!pool) throw new KuberackError('ENGINE_NODE_POOL_INVALID', { count: problems.length }, { problems });
  const spec = JSON.parse(c.spec) as ClusterSpec;
  const { graph: next, added } = planScaleOut(graph, pool);
  const provider = retryingReads(engine.options.provider(c.access_key_id));
  const created = (await stepOutputs(db, clusterId, 'vpc')).routeTableId;
  const routeTableId =
    typeof created === 'string' ? created : (await vpcFacts(provider, db, spec))?.routeTableId;
  const account = await provider.accountFacts(c.region_id, { routeTableId });
  const refused = preflight(scaleOutDemand(next, added, pool, spec), account);
  if (refused.length > 0)
    throw new KuberackError('ENGINE_PREFLIGHT_REFUSED', { count: refused.length }, { problems: refused });
  const taskId = `T-${randomUUID()}`;
  const now = engine.clock();
  await db.transaction(async (q) => {
    const moved = await q.run(
      `UPDATE clusters SET state = 'scaling', graph = $1, updated_at = $2 WHERE id = $3 AND state = 'running'`,
      [JSON.stringify(next), now, clusterId],
    );
    if (moved !== 1) throw new KuberackError('ENGINE_CLUSTER_BUSY', { clusterId, state: 'changing' });
    for (const s of added)
      await q.run(
        `INSERT INTO steps (cluster_id, step_key, kind, state, memory, outputs, attempts, next_at, task_id)
         VALUES ($1, $2, $3, 'pending', '{}', NULL, 0, 0, $4)`,
        [clusterId, s.key, s.kind, taskId],
      );
    await q.run(
      `INSERT INTO tasks (id, cluster_id, type, state, created_at) VALUES ($1, $2, 'scale-out', 'running', $3)`,
      [taskId, clusterId, now],
    );
  });
  await engine.event(clusterId, 'cluster.state', { from: 'running', to: 'scaling', nodePool: pool.name });
  return { taskId, steps: added.map((s) => s.key) };
}
