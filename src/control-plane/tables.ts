// Server-side printing (meta.k8s.io/v1 Table) for what `kubectl get` shows: the columns a real API
// server prints for nodes, pods, events and leases, ages in kubectl's short form.
import { isReady, type JsonObject, type JsonValue } from './objects.js';

interface Column {
  readonly name: string;
  readonly type: 'string' | 'integer';
  readonly format?: 'name';
  /** 0: always shown; 1: only with `-o wide`. */
  readonly priority: 0 | 1;
  readonly description: string;
}

const NAME: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  priority: 0,
  description: 'Name must be unique within a namespace.',
};
const AGE: Column = {
  name: 'Age',
  type: 'string',
  priority: 0,
  description: 'CreationTimestamp is the time the object was created.',
};

function col(name: string, priority: 0 | 1, description: string, type: Column['type'] = 'string'): Column {
  return { name, type, priority, description };
}

const COLUMNS: Readonly<Record<string, readonly Column[]>> = {
  nodes: [
    NAME,
    col('Status', 0, 'The status of the node'),
    col('Roles', 0, 'The roles of the node'),
    AGE,
    col('Version', 0, 'Kubelet Version reported by the node.'),
    col('Internal-IP', 1, 'List of addresses reachable to the node.'),
    col('External-IP', 1, 'List of addresses reachable to the node.'),
    col('OS-Image', 1, 'OS Image reported by the node from /etc/os-release.'),
    col('Kernel-Version', 1, 'Kernel Version reported by the node.'),
    col('Container-Runtime', 1, 'Container Runtime Version reported by the node.'),
  ],
  pods: [
    NAME,
    col('Ready', 0, 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 0, 'The aggregate status of the containers in this pod.'),
    col('Restarts', 0, 'The number of times the containers in this pod have been restarted.'),
    AGE,
    col('IP', 1, 'IP address allocated to the pod.'),
    col('Node', 1, 'Name of the Node this pod is scheduled to.'),
  ],
  events: [
    col('Last Seen', 0, 'Time when last this event was observed.'),
    col('Type', 0, 'Type of this event.'),
    col('Reason', 0, 'Why the action was taken.'),
    col('Object', 0, 'The object this Event is about.'),
    col('Message', 0, 'A human-readable description of the status of this operation.'),
  ],
  leases: [NAME, col('Holder', 0, 'The identity of the holder of the lease.'), AGE],
};

/** kubectl's short duration: `45s`, `3m12s`, `25m`, `5h3m`, `30h`, `3d4h`, `90d`, `2y10d`. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  const both = (big: number, unit: string, small: number, unit2: string) =>
    small === 0 ? `${big}${unit}` : `${big}${unit}${small}${unit2}`;
  if (minutes < 10) return both(minutes, 'm', seconds % 60, 's');
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return both(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return both(days, 'd', hours % 24, 'h');
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return both(years, 'y', days % 365, 'd');
  return `${years}y`;
}

type Obj = Record<string, JsonValue | undefined>;

function field(o: JsonValue | undefined, ...path: string[]): JsonValue | undefined {
  let v = o;
  for (const p of path)
    v = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj)[p] : undefined;
  return v;
}

function text(v: JsonValue | undefined, fallback = '<none>'): string {
  return typeof v === 'string' && v !== '' ? v : fallback;
}

function age(o: JsonObject, now: number): string {
  const created = Date.parse(text(field(o, 'metadata', 'creationTimestamp'), ''));
  return Number.isNaN(created) ? '<unknown>' : humanDuration(now - created);
}

function nodeCells(node: JsonObject, now: number): JsonValue[] {
  const addresses = (field(node, 'status', 'addresses') ?? []) as { type: string; address: string }[];
  const address = (type: string) => addresses.find((a) => a.type === type)?.address ?? '<none>';
  const info = (key: string) => text(field(node, 'status', 'nodeInfo', key), '');
  const conditions = (field(node, 'status', 'conditions') ?? []) as { type: string; status: string }[];
  let status = isReady(node) ? 'Ready' : conditions.length > 0 ? 'NotReady' : 'Unknown';
  if (field(node, 'spec', 'unschedulable') === true) status += ',SchedulingDisabled';
  return [
    text(field(node, 'metadata', 'name')),
    status,
    '<none>',
    age(node, now),
    info('kubeletVersion'),
    address('InternalIP'),
    address('ExternalIP'),
    info('osImage') || '<unknown>',
    info('kernelVersion') || '<unknown>',
    info('containerRuntimeVersion') || '<unknown>',
  ];
}

function leaseCells(lease: JsonObject, now: number): JsonValue[] {
  return [
    text(field(lease, 'metadata', 'name')),
    text(field(lease, 'spec', 'holderIdentity')),
    age(lease, now),
  ];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(o: JsonObject, include: IncludeObject): JsonObject | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: (o.metadata ?? {}) as JsonObject,
  };
}

/** A Table of `items` of one resource; resources without rows here (pods, events) print no rows. */
export function toTable(
  resource: string,
  items: readonly JsonObject[],
  resourceVersion: string,
  now: number,
  include: IncludeObject = 'Metadata',
): JsonObject {
  const cells = resource === 'nodes' ? nodeCells : resource === 'leases' ? leaseCells : null;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: (COLUMNS[resource] ?? [NAME]).map((c) => ({ ...c, format: c.format ?? '' })),
    rows: items.map((o) => {
      const object = rowObject(o, include);
      return { cells: cells ? cells(o, now) : [], ...(object ? { object } : {}) };
    }),
  };
}
