// Running: the durable executor. Workers claim runnable steps with expiring leases (a conditional
// UPDATE, so two workers never run one step), run them in parallel, retry transient cloud errors with
// backoff and jitter, roll back on permanent ones, and finish the cluster's state and task.
import { createHash, randomUUID } from 'node:crypto';
import { CloudError } from '../cloud/errors.js';
import { ownerTags, type Provider } from '../cloud/provider.js';
import { KuberackError } from '../domain/errors.js';
import type { Input, ResourceGraph } from '../domain/plan/index.js';
import type { Db, Queryable } from '../store/db.js';
import type { SecretBox } from '../store/secret-box.js';
import {
  anyFailed,
  applyComplete,
  releaseComplete,
  runnable,
  type Direction,
  type StepState,
} from './decide.js';
import { sweepLeftovers } from './sweep.js';
import { STEP_HANDLERS } from './steps/index.js';
import { userTags, type Json, type SecretStore, type StepContext, type StepServices } from './steps/types.js';

export type ClusterState =
  | 'initial'
  | 'running'
  | 'rollback'
  | 'failed'
  | 'deleting'
  | 'deleted'
  | 'delete_failed'
  | 'scaling'
  | 'scale_rollback';

export interface EngineOptions {
  readonly db: Db;
  /** The cloud account of a cluster. */
  readonly provider: (accessKeyId: string) => Provider;
  readonly services: StepServices;
  readonly box: SecretBox;
  readonly now?: () => number;
  readonly workerId?: string;
  /** Steps run at once by this worker. */
  readonly concurrency?: number;
  readonly leaseMs?: number;
  /** First and largest wait between polls of a step that is waiting for the cloud. */
  readonly pollMs?: number;
  readonly maxPollMs?: number;
  /** First backoff after a transient error; doubles per attempt up to maxRetryMs, with full jitter. */
  readonly retryBaseMs?: number;
  readonly maxRetryMs?: number;
  /** An `unknown` error is retried this many times, then treated as permanent. */
  readonly maxUnknownAttempts?: number;
  readonly log?: (line: string) => void;
  /** Called after each step's outcome is recorded as done or released (tests use it to crash on a boundary). */
  readonly onStepFinished?: (clusterId: string, stepKey: string) => void;
}

interface StepRow {
  step_key: string;
  kind: string;
  state: StepState;
  memory: string;
  outputs: string | null;
  attempts: number;
  next_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  waiting_for: string | null;
  task_id: string | null;
}

interface ClusterRow {
  id: string;
  region_id: string;
  access_key_id: string;
  state: ClusterState;
  graph: string;
  disable_rollback: number;
}

const ACTIVE: readonly ClusterState[] = ['initial', 'rollback', 'deleting', 'scaling', 'scale_rollback'];

/**
 * A client token the cloud accepts (≤ 64 ASCII), the same for the same cluster and step forever; a
 * step added by a later task (a scale-out) includes that task, so a pool re-added under the same name
 * after a rolled-back attempt is a new create, not a replay of a released resource.
 */
export function clientToken(clusterId: string, stepKey: string, taskId: string | null = null): string {
  const seed = taskId === null ? `${clusterId}/${stepKey}` : `${clusterId}/${stepKey}/${taskId}`;
  return `kr-${createHash('sha256').update(seed).digest('hex').slice(0, 40)}`;
}

/** Parsed plans kept in memory (each is a few tens of kB). */
const GRAPH_CACHE_SIZE = 2_000;

export class Engine {
  readonly workerId: string;
  readonly clock: () => number;
  private readonly graphs = new Map<string, { text: string; graph: ResourceGraph }>();
  private readonly lastSweep = new Map<string, { at: number; left: string }>();
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(private readonly o: EngineOptions) {
    this.workerId = o.workerId ?? `worker-${randomUUID().slice(0, 8)}`;
    this.clock = o.now ?? (() => Date.now());
  }

  get options(): EngineOptions {
    return this.o;
  }

  private now(): number {
    return this.clock();
  }

  private get db(): Db {
    return this.o.db;
  }

  /** The cluster's secrets, sealed with the cluster id and name bound in. */
  secrets(clusterId: string, q: Queryable = this.db): SecretStore {
    const box = this.o.box;
    return {
      put: async (name, value) => {
        const sealed = box.seal(value, `${clusterId}/${name}`);
        await q.run(
          `INSERT INTO secrets (cluster_id, name, ciphertext) VALUES ($1, $2, $3)
           ON CONFLICT (cluster_id, name) DO UPDATE SET ciphertext = excluded.ciphertext`,
          [clusterId, name, sealed],
        );
      },
      get: async (name) => {
        const r = await q.one<{ ciphertext: string }>(
          'SELECT ciphertext FROM secrets WHERE cluster_id = $1 AND name = $2',
          [clusterId, name],
        );
        return r ? box.open(r.ciphertext, `${clusterId}/${name}`) : null;
      },
      remove: async (name) => {
        await q.run('DELETE FROM secrets WHERE cluster_id = $1 AND name = $2', [clusterId, name]);
      },
    };
  }

  async event(
    clusterId: string,
    type: string,
    data: Record<string, Json> = {},
    stepKey: string | null = null,
  ): Promise<void> {
    const at = this.now();
    await this.db.run(
      'INSERT INTO events (id, cluster_id, task_id, at, step_key, type, data) VALUES ($1, $2, NULL, $3, $4, $5, $6)',
      [
        `${String(at).padStart(15, '0')}-${randomUUID().slice(0, 8)}`,
        clusterId,
        at,
        stepKey,
        type,
        JSON.stringify(data),
      ],
    );
  }

  /** The cluster's plan, parsed once per version (a scale-out makes a new, longer one). */
  private graph(c: ClusterRow): ResourceGraph {
    return this.parsedGraph(c.id, c.graph);
  }

  /** A cluster's stored plan text, parsed once per version and shared with readers (never mutate it). */
  parsedGraph(clusterId: string, text: string): ResourceGraph {
    const cached = this.graphs.get(clusterId);
    this.graphs.delete(clusterId);
    const graph = cached && cached.text === text ? cached.graph : (JSON.parse(text) as ResourceGraph);
    // Least recently used first; a bounded cache, whatever the number of clusters.
    this.graphs.set(clusterId, { text, graph });
    if (this.graphs.size > GRAPH_CACHE_SIZE) this.graphs.delete(this.graphs.keys().next().value as string);
    return graph;
  }

  private async runningTask(clusterId: string): Promise<string | null> {
    const t = await this.db.one<{ id: string }>(
      `SELECT id FROM tasks WHERE cluster_id = $1 AND state = 'running'`,
      [clusterId],
    );
    return t?.id ?? null;
  }

  /** After a scale-out's rollback: its steps leave the plan and the ledger (their resources are gone). */
  private async dropTaskSteps(clusterId: string, taskId: string | null): Promise<void> {
    if (taskId === null) return;
    await this.db.transaction(async (q) => {
      const keys = new Set(
        (
          await q.all<{ step_key: string }>(
            'SELECT step_key FROM steps WHERE cluster_id = $1 AND task_id = $2',
            [clusterId, taskId],
          )
        ).map((r) => r.step_key),
      );
      const c = await q.one<{ graph: string }>('SELECT graph FROM clusters WHERE id = $1', [clusterId]);
      const graph = JSON.parse(c?.graph ?? '{"steps":[]}') as ResourceGraph;
      await q.run('UPDATE clusters SET graph = $1 WHERE id = $2', [
        JSON.stringify({ ...graph, steps: graph.steps.filter((s) => !keys.has(s.key)) }),
        clusterId,
      ]);
      await q.run('DELETE FROM steps WHERE cluster_id = $1 AND task_id = $2', [clusterId, taskId]);
    });
  }

  /** One pass over every active cluster: claims and runs what may run now. Returns how many steps ran. */
  async tick(): Promise<number> {
    const clusters = await this.db.all<ClusterRow>(
      `SELECT id, region_id, access_key_id, state, graph, disable_rollback FROM clusters WHERE state IN ($1, $2, $3, $4, $5)`,
      [...ACTIVE],
    );
    const work: (() => Promise<void>)[] = [];
    for (const c of clusters) {
      let graph = this.graph(c);
      const rows = await this.db.all<StepRow>(
        `SELECT step_key, kind, state, memory, outputs, attempts, next_at, lease_owner, lease_until, waiting_for, task_id
         FROM steps WHERE cluster_id = $1`,
        [c.id],
      );
      const states = new Map(rows.map((r) => [r.step_key, r.state]));
      const creating = c.state === 'initial' || c.state === 'scaling';
      if (creating && anyFailed(states)) {
        const next = c.state === 'scaling' ? 'scale_rollback' : c.disable_rollback ? 'failed' : 'rollback';
        await this.transition(c.id, c.state, next);
        continue;
      }
      if (c.state === 'scale_rollback') {
        // Only the failed scale-out's own steps are released; the rest of the cluster keeps running.
        const task = await this.runningTask(c.id);
        const own = new Set(
          rows.filter((r) => r.task_id !== null && r.task_id === task).map((r) => r.step_key),
        );
        graph = { ...graph, steps: graph.steps.filter((s) => own.has(s.key)) };
        if (releaseComplete(graph, states)) {
          await this.dropTaskSteps(c.id, task);
          await this.transition(c.id, 'scale_rollback', 'running');
          continue;
        }
      }
      const direction: Direction = creating ? 'apply' : 'release';
      if (direction === 'apply' && applyComplete(graph, states)) {
        await this.transition(c.id, c.state, 'running');
        continue;
      }
      if (direction === 'release' && c.state !== 'scale_rollback' && releaseComplete(graph, states)) {
        if (await this.sweep(c))
          await this.transition(c.id, c.state, c.state === 'rollback' ? 'failed' : 'deleted');
        continue;
      }
      const now = this.now();
      const byKey = new Map(rows.map((r) => [r.step_key, r]));
      for (const key of runnable(graph, states, direction)) {
        const row = byKey.get(key);
        if (!row || row.next_at > now || (row.lease_until !== null && row.lease_until > now)) continue;
        work.push(() => this.runStep(c, graph, row, direction));
      }
    }
    await this.pool(work);
    return work.length;
  }

  private async pool(work: (() => Promise<void>)[]): Promise<void> {
    let next = 0;
    const lanes = Math.max(1, Math.min(this.o.concurrency ?? 16, work.length));
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        while (next < work.length) await work[next++]?.();
      }),
    );
  }

  /** Claims the step (if still free), runs one apply or release call, and records the outcome. */
  private async runStep(
    c: ClusterRow,
    graph: ResourceGraph,
    row: StepRow,
    direction: Direction,
  ): Promise<void> {
    const now = this.now();
    const claimed = await this.db.run(
      `UPDATE steps SET lease_owner = $1, lease_until = $2, started_at = COALESCE(started_at, $3)
       WHERE cluster_id = $4 AND step_key = $5 AND state = $6 AND (lease_until IS NULL OR lease_until <= $3)`,
      [this.workerId, now + (this.o.leaseMs ?? 60_000), now, c.id, row.step_key, row.state],
    );
    if (claimed !== 1) return;
    const step = graph.steps.find((s) => s.key === row.step_key);
    const handler = STEP_HANDLERS[row.kind as keyof typeof STEP_HANDLERS];
    if (!step || !handler) throw new Error(`unknown step ${row.step_key}`);
    let memory = JSON.parse(row.memory) as Record<string, Json>;
    const mine = `cluster_id = $1 AND step_key = $2 AND lease_owner = $3`;
    const key = [c.id, row.step_key, this.workerId];
    try {
      const ctx: StepContext = {
        clusterId: c.id,
        regionId: c.region_id,
        step,
        inputs: await this.resolve(c.id, step.inputs),
        provider: this.o.provider(c.access_key_id),
        clientToken: clientToken(c.id, step.key, row.task_id),
        tags: [...ownerTags(c.id, step.key), ...userTags(step.inputs as Record<string, Json>)],
        state: memory,
        save: async (patch) => {
          memory = { ...memory, ...patch };
          const n = await this.db.run(`UPDATE steps SET memory = $4 WHERE ${mine}`, [
            ...key,
            JSON.stringify(memory),
          ]);
          if (n !== 1) throw new Error(`lost the lease on ${row.step_key}`);
          (ctx as { state: Record<string, Json> }).state = memory;
        },
        secrets: this.secrets(c.id),
        services: this.o.services,
        now,
      };
      if (direction === 'apply' && row.state === 'pending')
        await this.db.run(`UPDATE steps SET state = 'applying' WHERE ${mine}`, key);
      // A release is timed afresh (the delete or rollback task's timeline), not from the creation.
      if (direction === 'release' && row.state !== 'releasing')
        await this.db.run(
          `UPDATE steps SET state = 'releasing', started_at = $4, finished_at = NULL WHERE ${mine}`,
          [...key, now],
        );
      const outcome = direction === 'apply' ? await handler.apply(ctx) : await handler.release(ctx);
      if (outcome.status === 'done') {
        await this.db.run(
          `UPDATE steps SET state = $4, outputs = $5, lease_owner = NULL, lease_until = NULL, waiting_for = NULL,
             attempts = 0, error = NULL, finished_at = $6 WHERE ${mine}`,
          [...key, direction === 'apply' ? 'done' : 'released', JSON.stringify(outcome.outputs), this.now()],
        );
        await this.event(
          c.id,
          direction === 'apply' ? 'step.done' : 'step.released',
          { worker: this.workerId },
          row.step_key,
        );
        this.o.onStepFinished?.(c.id, row.step_key);
      } else {
        const polls = row.waiting_for === outcome.reason ? row.attempts + 1 : 0;
        // Whole milliseconds: next_at is a BIGINT on PostgreSQL, which refuses a fraction.
        const wait = Math.ceil(
          Math.min(this.o.maxPollMs ?? 15_000, (this.o.pollMs ?? 2_000) * 1.5 ** Math.min(polls, 20)),
        );
        await this.db.run(
          `UPDATE steps SET lease_owner = NULL, lease_until = NULL, next_at = $4, waiting_for = $5, attempts = $6 WHERE ${mine}`,
          [...key, this.now() + wait, outcome.reason, polls],
        );
        if (row.waiting_for !== outcome.reason)
          await this.event(c.id, 'step.waiting', { reason: outcome.reason }, row.step_key);
      }
    } catch (error) {
      await this.failOrRetry(c, row, direction, error, key, mine);
    }
  }

  private async failOrRetry(
    c: ClusterRow,
    row: StepRow,
    direction: Direction,
    error: unknown,
    key: string[],
    mine: string,
  ): Promise<void> {
    const attempts = row.attempts + 1;
    const retry =
      error instanceof CloudError &&
      (error.category === 'transient' ||
        (error.category === 'unknown' && attempts < (this.o.maxUnknownAttempts ?? 5)));
    if (retry) {
      const cap = Math.min(
        this.o.maxRetryMs ?? 30_000,
        (this.o.retryBaseMs ?? 500) * 2 ** Math.min(attempts, 20),
      );
      const wait = Math.ceil(Math.max(error.retryAfterMs ?? 0, Math.random() * cap));
      await this.db.run(
        `UPDATE steps SET lease_owner = NULL, lease_until = NULL, next_at = $4, attempts = $5, waiting_for = $6 WHERE ${mine}`,
        [...key, this.now() + wait, attempts, `retrying after ${error.code}`],
      );
      await this.event(c.id, 'step.retry', { code: error.code, attempt: attempts }, row.step_key);
      return;
    }
    const problem = describeFailure(row.step_key, error, attempts);
    if (!(error instanceof CloudError) && !(error instanceof KuberackError))
      this.o.log?.(
        `step ${c.id}/${row.step_key} crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    if (direction === 'apply') {
      await this.db.run(
        `UPDATE steps SET state = 'failed', lease_owner = NULL, lease_until = NULL, error = $4, attempts = $5 WHERE ${mine}`,
        [...key, JSON.stringify(problem), attempts],
      );
      // The first failure of an operation is its error (others may follow while it rolls back).
      const first = await this.db.run(
        `UPDATE tasks SET error = $1 WHERE cluster_id = $2 AND state = 'running' AND error IS NULL`,
        [JSON.stringify(problem), c.id],
      );
      if (first === 1)
        await this.db.run('UPDATE clusters SET error = $1, updated_at = $2 WHERE id = $3', [
          JSON.stringify(problem),
          this.now(),
          c.id,
        ]);
    } else {
      // A delete the cloud refuses for good (protection, a dependency Kuberack does not own) stops here.
      await this.db.run(
        `UPDATE steps SET lease_owner = NULL, lease_until = NULL, error = $4, attempts = $5 WHERE ${mine}`,
        [...key, JSON.stringify(problem), attempts],
      );
      await this.db.run('UPDATE clusters SET error = $1, updated_at = $2 WHERE id = $3', [
        JSON.stringify(problem),
        this.now(),
        c.id,
      ]);
      await this.transition(c.id, c.state, 'delete_failed');
    }
    await this.event(c.id, 'step.failed', problem, row.step_key);
  }

  /** Replaces references with the outputs of the steps they name, and secrets with their values. */
  private async resolve(
    clusterId: string,
    inputs: Readonly<Record<string, Input>>,
  ): Promise<Record<string, Json>> {
    const outputs = new Map<string, Record<string, Json>>();
    for (const r of await this.db.all<{ step_key: string; outputs: string | null }>(
      'SELECT step_key, outputs FROM steps WHERE cluster_id = $1 AND outputs IS NOT NULL',
      [clusterId],
    ))
      outputs.set(r.step_key, JSON.parse(r.outputs ?? '{}') as Record<string, Json>);
    const secrets = this.secrets(clusterId);
    const walk = async (v: Input): Promise<Json> => {
      if (Array.isArray(v)) return Promise.all(v.map(walk));
      if (v !== null && typeof v === 'object') {
        if ('$ref' in v && typeof v.$ref === 'string') {
          const out = outputs.get(v.$ref)?.[String((v as { output?: unknown }).output ?? 'id')];
          if (out === undefined)
            throw new Error(`output ${String((v as { output?: unknown }).output)} of ${v.$ref} is missing`);
          return out;
        }
        if ('$secret' in v && typeof v.$secret === 'string') return secrets.get(`spec/${v.$secret}`);
        const o: Record<string, Json> = {};
        for (const [k, x] of Object.entries(v)) o[k] = await walk(x as Input);
        return o;
      }
      return v;
    };
    return (await walk(inputs as Input)) as Record<string, Json>;
  }

  /** Deletes what carries the cluster's owner tag but no step recorded; true when nothing is left. */
  private async sweep(c: ClusterRow): Promise<boolean> {
    const last = this.lastSweep.get(c.id);
    if (last && this.now() - last.at < (this.o.pollMs ?? 2_000)) return false;
    let left: string[];
    try {
      left = await sweepLeftovers(this.o.provider(c.access_key_id), c.region_id, c.id);
    } catch (e) {
      // The cloud refused the listing for now (throttled, unavailable): not clean yet, the next pass
      // sweeps again. Thrown on, it would end the whole tick and stall every other cluster's steps.
      if (!(e instanceof CloudError)) throw e;
      if (!e.retryable) this.o.log?.(`sweep of ${c.id} failed: ${e.message}`);
      this.lastSweep.set(c.id, { at: this.now(), left: last?.left ?? '' });
      return false;
    }
    if (left.length > 0 && last?.left !== left.join(' '))
      await this.event(c.id, 'sweep.pending', { resources: left });
    this.lastSweep.set(c.id, { at: this.now(), left: left.join(' ') });
    if (left.length === 0) this.lastSweep.delete(c.id);
    return left.length === 0;
  }

  /** Moves a cluster from one state to another, once; finishes its open task. */
  async transition(clusterId: string, from: ClusterState, to: ClusterState): Promise<boolean> {
    const now = this.now();
    const n = await this.db.run(
      'UPDATE clusters SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4',
      [to, now, clusterId, from],
    );
    if (n !== 1) return false;
    if (to === 'running' || to === 'failed' || to === 'deleted' || to === 'delete_failed') {
      const ok = (to === 'running' && from !== 'scale_rollback') || to === 'deleted';
      await this.db.run(
        ok
          ? `UPDATE tasks SET state = 'succeeded', finished_at = $1, error = NULL WHERE cluster_id = $2 AND state = 'running'`
          : `UPDATE tasks SET state = 'failed', finished_at = $1, error = COALESCE(error, (SELECT error FROM clusters WHERE id = $2))
             WHERE cluster_id = $2 AND state = 'running'`,
        [now, clusterId],
      );
    }
    if (to === 'deleted') {
      // Nothing of a deleted cluster stays readable: its secrets and node tokens go with it.
      await this.db.run('DELETE FROM secrets WHERE cluster_id = $1', [clusterId]);
      await this.db.run('DELETE FROM nodes WHERE cluster_id = $1', [clusterId]);
      this.graphs.delete(clusterId);
    }
    await this.event(clusterId, 'cluster.state', { from, to });
    return true;
  }

  /** Runs ticks until stop(); sleeps `idleMs` when a pass found nothing to do. */
  start(idleMs = 100): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let ran = 0;
        try {
          ran = await this.tick();
        } catch (e) {
          this.o.log?.(`engine tick failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        }
        if (ran === 0) await new Promise((r) => setTimeout(r, idleMs));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

/** The failure as the task and the console show it: which step, the cloud's code, what to do. */
export function describeFailure(step: string, error: unknown, attempts: number): Record<string, Json> {
  if (error instanceof CloudError) {
    const code = error.category === 'unknown' ? 'ENGINE_RETRIES_EXHAUSTED' : 'ENGINE_STEP_FAILED';
    return {
      code,
      step,
      cloudCode: error.code,
      cloudMessage: error.message.slice(error.code.length + 2),
      category: error.category,
      requestId: error.requestId,
      attempts,
    };
  }
  if (error instanceof KuberackError)
    return { code: error.code, step, ...(error.params as Record<string, Json>) };
  return {
    code: 'ENGINE_STEP_CRASHED',
    step,
    message: error instanceof Error ? error.message.slice(0, 500) : 'unknown',
  };
}
