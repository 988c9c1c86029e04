// The native API (/v1): clusters (create, dry-run, list, get, delete, scale out), tasks, events and
// nodes, signed with ACS3-HMAC-SHA256 and scoped to the caller's tenant; plus the node-report
// endpoint agents call with their node token. Every mutating call is written to the audit log.
import {
  createCluster,
  deleteCluster,
  describeCluster,
  describeTask,
  prepareCluster,
  scaleOutCluster,
  setDeletionProtection,
} from '../engine/clusters.js';
import type { Engine } from '../engine/engine.js';
import { issueKubeconfig, KUBECONFIG_MINUTES } from '../engine/kubeconfig.js';
import type { DbNodeRegistry, NodeView } from '../engine/services.js';
import { estimateCost } from '../domain/plan/index.js';
import { problem, unknownFieldProblems, type Problem } from '../domain/problems.js';
import type { Db } from '../store/db.js';
import { audited } from './audit.js';
import type { Authenticator, Principal } from './auth.js';
import { HttpError, invalidBody, objectBody, type Reply, type Request, type Router } from './http.js';

export interface NativeApi {
  readonly db: Db;
  readonly engine: Engine;
  readonly registry: DbNodeRegistry;
  readonly auth: Authenticator;
  /** Diagnostics of unexpected failures (never request bodies or secrets). */
  readonly log?: (line: string) => void;
}

const MAX_PAGE = 100;

function notFound(req: Request): HttpError {
  return new HttpError(404, 'API_NOT_FOUND', { path: req.path });
}

/** Only the caller's tenant's clusters exist for the caller: anything else is a plain 404. */
export async function tenantOwns(
  db: Db,
  p: Principal,
  clusterId: string,
  deletedToo = false,
): Promise<boolean> {
  const row = await db.one<{ tenant_id: string; state: string }>(
    'SELECT tenant_id, state FROM clusters WHERE id = $1',
    [clusterId],
  );
  return row !== undefined && row.tenant_id === p.tenantId && (deletedToo || row.state !== 'deleted');
}

async function ownCluster(api: NativeApi, req: Request, p: Principal): Promise<string> {
  const id = req.params.id ?? '';
  if (!(await tenantOwns(api.db, p, id))) throw notFound(req);
  return id;
}

function readCreate(body: unknown): { spec: unknown; dryRun: boolean } {
  const b = objectBody(body);
  const problems = unknownFieldProblems(b, ['spec', 'dryRun']);
  if (b.dryRun !== undefined && typeof b.dryRun !== 'boolean')
    problems.push(problem('dryRun', 'FIELD_TYPE', { expected: 'boolean' }));
  if (typeof b.spec !== 'object' || b.spec === null || Array.isArray(b.spec))
    problems.push(problem('spec', 'FIELD_TYPE', { expected: 'object' }));
  if (problems.length > 0) throw invalidBody(problems);
  return { spec: b.spec, dryRun: b.dryRun === true };
}

/** A node as the API shows it (M62): the view plus its GPUs at the top level, as before. */
function nodeBody(n: NodeView): Record<string, unknown> {
  const { gpuReport, ...rest } = n;
  return {
    ...rest,
    gpus: gpuReport?.gpus ?? [],
    driverVersion: gpuReport?.driverVersion ?? null,
    cudaVersion: gpuReport?.cudaVersion ?? null,
    gpuError: gpuReport?.error ?? null,
  };
}

/** PATCH /v1/clusters/{id}: today only `deletionProtection` can change (M32). */
function readPatch(body: unknown): boolean {
  const b = objectBody(body);
  const problems = unknownFieldProblems(b, ['deletionProtection']);
  if (b.deletionProtection === undefined) problems.push(problem('deletionProtection', 'FIELD_REQUIRED', {}));
  else if (typeof b.deletionProtection !== 'boolean')
    problems.push(problem('deletionProtection', 'FIELD_TYPE', { expected: 'boolean' }));
  if (problems.length > 0) throw invalidBody(problems);
  return b.deletionProtection === true;
}

export function nativeRoutes(router: Router, api: NativeApi): void {
  const signed =
    (action: string | null, fn: (req: Request, p: Principal) => Promise<Reply>) =>
    async (req: Request): Promise<Reply> => {
      const p = await api.auth.verify(req, await req.rawBody());
      if (action === null) return fn(req, p);
      return audited(api.db, req, p, action, req.params.id ?? null, () => fn(req, p));
    };

  router
    .on(
      'POST',
      '/v1/clusters',
      signed('cluster.create', async (req, p) => {
        const { spec, dryRun } = readCreate(await req.body());
        const input = { tenantId: p.tenantId, accessKeyId: p.cloudAccessKeyId, spec };
        if (dryRun) {
          const plan = await prepareCluster(api.engine, input);
          return {
            status: 200,
            body: {
              plan: plan.graph,
              quotaHeadroom: plan.headroom,
              refused: plan.refused,
              estimatedCost: estimateCost(plan.graph),
            },
          };
        }
        const created = await createCluster(api.engine, input);
        return { status: 202, body: created, headers: { location: `/v1/clusters/${created.clusterId}` } };
      }),
    )
    .on(
      'GET',
      '/v1/clusters',
      signed(null, async (req, p) => {
        const size = Math.min(MAX_PAGE, Math.max(1, Number(req.query.get('pageSize') ?? 20) || 20));
        const after = req.query.get('pageToken') ?? '';
        const rows = await api.db.all<{
          id: string;
          name: string;
          region_id: string;
          state: string;
          spec: string;
          created_at: number;
        }>(
          `SELECT id, name, region_id, state, spec, created_at FROM clusters
           WHERE tenant_id = $1 AND state <> 'deleted' AND id > $2 ORDER BY id LIMIT $3`,
          [p.tenantId, after, size + 1],
        );
        const page = rows.slice(0, size);
        const counts = new Map(
          (page.length === 0
            ? []
            : await api.db.all<{ cluster_id: string; nodes: number; gpus: number | null }>(
                `SELECT cluster_id, COUNT(*) AS nodes, SUM(gpu_count) AS gpus FROM nodes
                 WHERE registered_at IS NOT NULL AND cluster_id IN (${page.map((_, i) => `$${i + 1}`).join(', ')})
                 GROUP BY cluster_id`,
                page.map((r) => r.id),
              )
          ).map((c) => [c.cluster_id, c]),
        );
        return {
          status: 200,
          body: {
            items: page.map((r) => {
              const version = (JSON.parse(r.spec) as { kubernetesVersion?: unknown }).kubernetesVersion;
              return {
                id: r.id,
                name: r.name,
                regionId: r.region_id,
                state: r.state,
                kubernetesVersion: typeof version === 'string' ? version : null,
                nodeCount: Number(counts.get(r.id)?.nodes ?? 0),
                gpuCount: Number(counts.get(r.id)?.gpus ?? 0),
                createdAt: Number(r.created_at),
              };
            }),
            nextPageToken: rows.length > size ? (page[page.length - 1]?.id ?? null) : null,
          },
        };
      }),
    )
    .on(
      'PATCH',
      '/v1/clusters/{id}',
      signed('cluster.update', async (req, p) => {
        const id = await ownCluster(api, req, p);
        const on = readPatch(await req.body());
        if (!(await setDeletionProtection(api.engine, id, on))) throw notFound(req);
        return { status: 200, body: await describeCluster(api.engine, id) };
      }),
    )
    .on(
      'GET',
      '/v1/clusters/{id}',
      signed(null, async (req, p) => ({
        status: 200,
        body: await describeCluster(api.engine, await ownCluster(api, req, p)),
      })),
    )
    .on(
      'DELETE',
      '/v1/clusters/{id}',
      signed('cluster.delete', async (req, p) => ({
        status: 202,
        body: await deleteCluster(api.engine, await ownCluster(api, req, p)),
      })),
    )
    .on(
      'POST',
      '/v1/clusters/{id}/node-pools',
      signed('cluster.scale-out', async (req, p) => {
        const id = await ownCluster(api, req, p);
        return { status: 202, body: await scaleOutCluster(api.engine, id, await req.body()) };
      }),
    )
    .on(
      'GET',
      '/v1/clusters/{id}/nodes',
      signed(null, async (req, p) => {
        const id = await ownCluster(api, req, p);
        return { status: 200, body: { items: (await api.registry.list(id)).map(nodeBody) } };
      }),
    )
    .on(
      'GET',
      '/v1/clusters/{id}/nodes/{node}',
      signed(null, async (req, p) => {
        const id = await ownCluster(api, req, p);
        const node = await api.registry.get(id, req.params.node ?? '');
        if (!node) throw notFound(req);
        return { status: 200, body: nodeBody(node) };
      }),
    )
    .on(
      'GET',
      '/v1/clusters/{id}/kubeconfig',
      signed('cluster.kubeconfig', async (req, p) => {
        const id = await ownCluster(api, req, p);
        const endpoint = req.query.get('endpoint') ?? 'internal';
        const minutes = Number(req.query.get('minutes') ?? KUBECONFIG_MINUTES.default);
        const problems: Problem[] = [];
        if (endpoint !== 'internal' && endpoint !== 'public')
          problems.push(problem('endpoint', 'FIELD_PATTERN', { format: 'internal | public' }));
        if (
          !Number.isInteger(minutes) ||
          minutes < KUBECONFIG_MINUTES.min ||
          minutes > KUBECONFIG_MINUTES.max
        )
          problems.push(
            problem('minutes', 'FIELD_RANGE', { min: KUBECONFIG_MINUTES.min, max: KUBECONFIG_MINUTES.max }),
          );
        if (problems.length > 0) throw invalidBody(problems);
        const issued = await issueKubeconfig(
          api.engine,
          id,
          { id: p.userId, name: 'kuberack' },
          {
            endpoint: endpoint as 'internal' | 'public',
            minutes,
          },
        );
        return { status: 200, body: issued };
      }),
    )
    .on(
      'GET',
      '/v1/clusters/{id}/events',
      signed(null, async (req, p) => {
        const id = await ownCluster(api, req, p);
        const rows = await api.db.all<{
          id: string;
          at: number;
          step_key: string | null;
          type: string;
          data: string;
        }>('SELECT id, at, step_key, type, data FROM events WHERE cluster_id = $1 ORDER BY id LIMIT 1000', [
          id,
        ]);
        return {
          status: 200,
          body: {
            items: rows.map((r) => ({
              id: r.id,
              at: Number(r.at),
              step: r.step_key,
              type: r.type,
              data: JSON.parse(r.data) as unknown,
            })),
          },
        };
      }),
    )
    .on(
      'GET',
      '/v1/tasks/{id}',
      signed(null, async (req, p) => {
        const task = await describeTask(api.engine, req.params.id ?? '');
        // A deleted cluster's tasks stay readable by its tenant (the delete task's own outcome).
        if (!task || !(await tenantOwns(api.db, p, task.clusterId, true))) throw notFound(req);
        return { status: 200, body: task };
      }),
    )
    .on('POST', '/v1/node-reports', async (req) => {
      const token = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
      if (!token) throw new HttpError(401, 'API_UNAUTHORIZED', { scheme: 'Bearer node token' });
      const result = await api.registry.report(token, await req.body());
      if ('error' in result) {
        if (result.error === 'unknown node token') throw new HttpError(401, 'NODE_TOKEN_UNKNOWN');
        throw new HttpError(400, 'NODE_REPORT_INVALID', { count: result.problems.length }, result.problems);
      }
      return {
        status: 200,
        body: { clusterId: result.clusterId, registered: result.first, changed: result.changed },
      };
    });
}
