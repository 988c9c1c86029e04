// The read-only Kubernetes API of an emulated cluster as a function: request (already authenticated
// by its client certificate) in, response out. Anything not served answers as an API server would.
import {
  aggregatedContentType,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  findResource,
  SERVED_VERBS,
  versionInfo,
  type AggregatedVersion,
  type ServedResource,
} from './discovery.js';
import { buildLease, buildNode, NODE_LEASE_NAMESPACE, type JsonObject, type NodeSource } from './objects.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { toTable, type IncludeObject } from './tables.js';

/** Who the client certificate names: CN is the user, each O a group. */
export interface ApiUser {
  readonly name: string;
  readonly groups: readonly string[];
}

export interface ApiRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly accept: string | undefined;
  readonly user: ApiUser;
  /** host:port the client dialled, for APIVersions. */
  readonly serverAddress: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: JsonObject | string;
}

export interface ClusterApiView {
  readonly kubernetesVersion: string;
  /** Registered nodes; read only for requests that need them. */
  nodes(): Promise<readonly NodeSource[]>;
  readonly now: number;
}

/** Groups bound to cluster-admin: kubeadm's admin.conf group and the super-user group. */
export const ADMIN_GROUPS: readonly string[] = ['kubeadm:cluster-admins', 'system:masters'];

const JSON_TYPE = 'application/json';

/** A `Status` failure as the API server sends it. */
export function statusFailure(
  code: number,
  reason: string,
  message: string,
  details?: JsonObject,
): ApiResponse {
  return {
    status: code,
    contentType: JSON_TYPE,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    },
  };
}

const notFoundPath = () => statusFailure(404, 'NotFound', 'the server could not find the requested resource');

function ok(body: JsonObject, contentType = JSON_TYPE): ApiResponse {
  return { status: 200, contentType, body };
}

type Representation = 'json' | 'table' | AggregatedVersion;

/** The first acceptable representation in the client's order; null when none is (406). */
export function negotiate(
  accept: string | undefined,
  allow: { table?: boolean; aggregated?: boolean },
): Representation | null {
  if (accept === undefined || accept.trim() === '') return 'json';
  for (const entry of accept.split(',')) {
    const [type = '', ...params] = entry.split(';').map((p) => p.trim());
    const p = new Map(
      params.map((x) => {
        const [k = '', v = ''] = x.split('=');
        return [k.trim().toLowerCase(), v.trim()] as const;
      }),
    );
    const as = p.get('as');
    if (type === '*/*' || type === 'application/*') return 'json';
    if (type !== JSON_TYPE) continue;
    if (as === undefined) return 'json';
    if (as === 'Table' && p.get('g') === 'meta.k8s.io' && p.get('v') === 'v1' && allow.table) return 'table';
    const v = p.get('v');
    if (
      as === 'APIGroupDiscoveryList' &&
      p.get('g') === 'apidiscovery.k8s.io' &&
      (v === 'v2' || v === 'v2beta1') &&
      allow.aggregated
    )
      return v;
  }
  return null;
}

function notAcceptable(): ApiResponse {
  return statusFailure(406, 'NotAcceptable', 'only the following media types are accepted: application/json');
}

function qualified(r: ServedResource): string {
  return r.group === '' ? r.name : `${r.name}.${r.group}`;
}

interface ResourcePath {
  readonly resource: ServedResource;
  readonly namespace: string | null;
  readonly name: string | null;
  readonly watch: boolean;
}

/** `/api/v1/...` or `/apis/<group>/v1/...` → the resource addressed; null when nothing is served there. */
function resourcePath(parts: readonly string[]): ResourcePath | null {
  const [root, ...rest] = parts;
  const group = root === 'api' ? '' : (rest.shift() ?? '');
  if (rest.shift() !== 'v1') return null;
  const watch = rest[0] === 'watch';
  if (watch) rest.shift();
  let namespace: string | null = null;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1] ?? null;
    rest.splice(0, 2);
  }
  const [name, item, ...more] = rest;
  const resource = name === undefined ? undefined : findResource(group, name);
  if (!resource || more.length > 0) return null;
  // A namespaced object is named only within its namespace; a cluster-scoped one never has one.
  if (resource.namespaced ? item !== undefined && namespace === null : namespace !== null) return null;
  return { resource, namespace, name: item ?? null, watch };
}

function verbOf(method: string, p: ResourcePath, query: URLSearchParams): string {
  const watch = p.watch || ['1', 'true'].includes(query.get('watch') ?? '');
  switch (method) {
    case 'GET':
    case 'HEAD':
      return p.name !== null ? 'get' : watch ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return p.name !== null ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

function forbidden(user: ApiUser, verb: string, p: ResourcePath): ApiResponse {
  const r = p.resource;
  const what = p.name === null ? qualified(r) : `${qualified(r)} "${p.name}"`;
  const scope = p.namespace === null ? 'at the cluster scope' : `in the namespace "${p.namespace}"`;
  return statusFailure(
    403,
    'Forbidden',
    `${what} is forbidden: User "${user.name}" cannot ${verb} resource "${r.name}" in API group "${r.group}" ${scope}`,
    { ...(p.name !== null ? { name: p.name } : {}), group: r.group, kind: r.name },
  );
}

function notFound(p: ResourcePath, name: string): ApiResponse {
  return statusFailure(404, 'NotFound', `${qualified(p.resource)} "${name}" not found`, {
    name,
    group: p.resource.group,
    kind: p.resource.name,
  });
}

/** Fields each list may be selected on, as the real API server allows. */
const FIELD_LABELS: Readonly<Record<string, readonly string[]>> = {
  nodes: ['metadata.name', 'spec.unschedulable'],
  pods: [
    'metadata.name',
    'metadata.namespace',
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  events: [
    'metadata.name',
    'metadata.namespace',
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  leases: ['metadata.name', 'metadata.namespace'],
};

function fieldsOf(resource: string, o: JsonObject): Record<string, string> {
  const meta = (o.metadata ?? {}) as { name?: string; namespace?: string };
  const fields: Record<string, string> = { 'metadata.name': meta.name ?? '' };
  if (meta.namespace !== undefined) fields['metadata.namespace'] = meta.namespace;
  if (resource === 'nodes') {
    const spec = (o.spec ?? {}) as { unschedulable?: boolean };
    fields['spec.unschedulable'] = String(spec.unschedulable === true);
  }
  return fields;
}

/**
 * The objects of a resource. Nodes and their leases come from the registered nodes; no pod runs in
 * the emulation and nothing records Kubernetes events, so those lists are truly empty.
 */
async function objectsOf(p: ResourcePath, view: ClusterApiView): Promise<JsonObject[]> {
  if (p.resource.name === 'nodes') return (await view.nodes()).map((n) => buildNode(n, view.now));
  if (p.resource.name === 'leases' && (p.namespace === null || p.namespace === NODE_LEASE_NAMESPACE))
    return (await view.nodes()).map(buildLease);
  return [];
}

async function serveResource(req: ApiRequest, p: ResourcePath, view: ClusterApiView): Promise<ApiResponse> {
  const verb = verbOf(req.method, p, req.query);
  if (!req.user.groups.some((g) => ADMIN_GROUPS.includes(g))) return forbidden(req.user, verb, p);
  if (!(SERVED_VERBS as readonly string[]).includes(verb))
    return statusFailure(
      405,
      'MethodNotAllowed',
      `the server does not allow this method on the requested resource: the emulated control plane serves get and list only, not ${verb}`,
      { ...(p.name !== null ? { name: p.name } : {}), group: p.resource.group, kind: p.resource.name },
    );
  const representation = negotiate(req.accept, { table: true });
  if (representation === null) return notAcceptable();
  const includeParam = req.query.get('includeObject');
  const include: IncludeObject =
    includeParam === 'None' || includeParam === 'Object' ? includeParam : 'Metadata';
  const objects = await objectsOf(p, view);
  const nodes = p.resource.name === 'nodes' || p.resource.name === 'leases' ? await view.nodes() : [];
  const resourceVersion = String(Math.max(1, ...nodes.map((n) => n.lastSeenAt)));
  if (p.name !== null) {
    const found = objects.find((o) => (o.metadata as { name?: string }).name === p.name);
    if (!found) return notFound(p, p.name);
    return ok(
      representation === 'table'
        ? toTable(p.resource.name, [found], resourceVersion, view.now, include)
        : found,
    );
  }
  const labels = parseLabelSelector(req.query.get('labelSelector'));
  const fields = parseFieldSelector(req.query.get('fieldSelector'), FIELD_LABELS[p.resource.name] ?? []);
  if (!labels.ok) return statusFailure(400, 'BadRequest', labels.error);
  if (!fields.ok) return statusFailure(400, 'BadRequest', fields.error);
  const items = objects.filter(
    (o) =>
      labels.match(
        ((o.metadata as { labels?: Record<string, string> }).labels ?? {}) as Record<string, string>,
      ) && fields.match(fieldsOf(p.resource.name, o)),
  );
  if (representation === 'table')
    return ok(toTable(p.resource.name, items, resourceVersion, view.now, include));
  return ok({
    kind: `${p.resource.kind}List`,
    apiVersion: p.resource.group === '' ? 'v1' : `${p.resource.group}/v1`,
    metadata: { resourceVersion },
    items: items.map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest),
  });
}

function serveDiscovery(req: ApiRequest, parts: readonly string[], view: ClusterApiView): ApiResponse | null {
  const path = `/${parts.join('/')}`;
  const aggregated = path === '/api' || path === '/apis';
  const representation = negotiate(req.accept, { aggregated });
  if (representation === null) return notAcceptable();
  if (representation === 'v2' || representation === 'v2beta1')
    return ok(aggregatedDiscovery(path === '/api', representation), aggregatedContentType(representation));
  if (path === '/version') return ok(versionInfo(view.kubernetesVersion));
  if (path === '/api') return ok(apiVersions(req.serverAddress));
  if (path === '/apis') return ok(apiGroupList());
  if (path === '/api/v1') return apiResourceListOr404('');
  if (parts[0] === 'apis' && parts.length === 2) {
    const group = apiGroup(parts[1] ?? '');
    return group ? ok(group) : notFoundPath();
  }
  if (parts[0] === 'apis' && parts.length === 3 && parts[2] === 'v1')
    return apiResourceListOr404(parts[1] ?? '');
  return null;
}

function apiResourceListOr404(group: string): ApiResponse {
  const list = apiResourceList(group);
  return list ? ok(list) : notFoundPath();
}

const HEALTH = new Set(['/healthz', '/livez', '/readyz']);

/** Answers one request of an authenticated client. */
export async function handleApiRequest(req: ApiRequest, view: ClusterApiView): Promise<ApiResponse> {
  const parts = req.path.split('/').filter((s) => s !== '');
  if (HEALTH.has(req.path)) return { status: 200, contentType: 'text/plain; charset=utf-8', body: 'ok' };
  const isApi = parts[0] === 'api' || parts[0] === 'apis';
  const discovery =
    req.path === '/version' || (isApi && (parts.length <= 1 || parts.length <= (parts[0] === 'api' ? 2 : 3)));
  if (discovery) {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return statusFailure(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
    return serveDiscovery(req, parts, view) ?? notFoundPath();
  }
  const p = isApi ? resourcePath(parts) : null;
  if (!p) return notFoundPath();
  return serveResource(req, p, view);
}
