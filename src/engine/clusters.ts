// Cluster lifecycle as the API calls it: create (validate, preflight, plan, record everything in one
// transaction, then the workers take over), delete (M32, M64), and reading the state and the task.
import { randomBytes, randomUUID } from 'node:crypto';
import { INSTANCE_TYPES } from '../domain/catalogue/index.js';
import { KuberackError } from '../domain/errors.js';
import { preflight } from '../domain/limits/index.js';
import { demandOf, planCluster, type ResourceGraph } from '../domain/plan/index.js';
import { redactSpec, validateClusterSpec, type ClusterSpec } from '../domain/spec/index.js';
import type { Engine, ClusterState } from './engine.js';

export interface CreateClusterInput {
  readonly tenantId: string;
  /** The cloud account (access key id) the cluster's resources are created in. */
  readonly accessKeyId: string;
  readonly spec: unknown;
}

export interface ClusterView {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly regionId: string;
  readonly state: ClusterState;
  readonly error: Record<string, unknown> | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly steps: readonly {
    key: string;
    kind: string;
    state: string;
    waitingFor: string | null;
    error: Record<string, unknown> | null;
  }[];
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

/** Validates with the account's facts and refuses before creating anything (M10, M13). */
export async function createCluster(
  engine: Engine,
  input: CreateClusterInput,
): Promise<{ clusterId: string; taskId: string }> {
  const result = validateClusterSpec(input.spec);
  if (!result.ok)
    throw new KuberackError(
      'ENGINE_SPEC_INVALID',
      { count: result.problems.length },
      { problems: result.problems },
    );
  const spec = result.spec;
  const clusterId = newClusterId();
  const graph: ResourceGraph = planCluster(spec, { clusterId });
  const account = await engine.options.provider(input.accessKeyId).accountFacts(spec.regionId, {});
  const problems = preflight(demandOf(graph, spec, INSTANCE_TYPES), account);
  if (problems.length > 0)
    throw new KuberackError('ENGINE_PREFLIGHT_REFUSED', { count: problems.length }, { problems });
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
    error: string | null;
    created_at: number;
    updated_at: number;
  }>(
    'SELECT id, tenant_id, name, region_id, state, error, created_at, updated_at FROM clusters WHERE id = $1',
    [clusterId],
  );
  if (!c) return null;
  const steps = await db.all<{
    step_key: string;
    kind: string;
    state: string;
    waiting_for: string | null;
    error: string | null;
  }>('SELECT step_key, kind, state, waiting_for, error FROM steps WHERE cluster_id = $1 ORDER BY step_key', [
    clusterId,
  ]);
  return {
    id: c.id,
    tenantId: c.tenant_id,
    name: c.name,
    regionId: c.region_id,
    state: c.state,
    error: c.error ? (JSON.parse(c.error) as Record<string, unknown>) : null,
    createdAt: Number(c.created_at),
    updatedAt: Number(c.updated_at),
    steps: steps.map((s) => ({
      key: s.step_key,
      kind: s.kind,
      state: s.state,
      waitingFor: s.waiting_for,
      error: s.error ? (JSON.parse(s.error) as Record<string, unknown>) : null,
    })),
  };
}
