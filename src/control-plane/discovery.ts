// What the emulated API server says it serves: /version, legacy discovery (APIVersions, APIGroupList,
// APIResourceList) and aggregated discovery (apidiscovery.k8s.io v2 and v2beta1), from one table.
import type { JsonObject } from './objects.js';

export interface ServedResource {
  /** '' for the core group. */
  readonly group: string;
  readonly version: 'v1';
  readonly name: string;
  readonly singular: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
}

/** Reads only: the emulation has no writer and no watch cache. */
export const SERVED_VERBS = ['get', 'list'] as const;

export const SERVED_RESOURCES: readonly ServedResource[] = [
  {
    group: '',
    version: 'v1',
    name: 'events',
    singular: 'event',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    categories: [],
  },
  {
    group: '',
    version: 'v1',
    name: 'nodes',
    singular: 'node',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    categories: [],
  },
  {
    group: '',
    version: 'v1',
    name: 'pods',
    singular: 'pod',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
  },
  {
    group: 'coordination.k8s.io',
    version: 'v1',
    name: 'leases',
    singular: 'lease',
    kind: 'Lease',
    namespaced: true,
    shortNames: [],
    categories: [],
  },
];

const GROUPS = [...new Set(SERVED_RESOURCES.map((r) => r.group).filter((g) => g !== ''))];

export function findResource(group: string, name: string): ServedResource | undefined {
  return SERVED_RESOURCES.find((r) => r.group === group && r.name === name);
}

/** `/version`: the cluster's Kubernetes version; build facts the emulation does not have stay empty. */
export function versionInfo(kubernetesVersion: string): JsonObject {
  const m = /^v?(\d+)\.(\d+)/.exec(kubernetesVersion);
  return {
    major: m?.[1] ?? '',
    minor: m?.[2] ?? '',
    gitVersion: `v${kubernetesVersion.replace(/^v/, '')}`,
    gitCommit: '',
    gitTreeState: '',
    buildDate: '',
    goVersion: '',
    compiler: '',
    platform: 'linux/amd64',
  };
}

export function apiVersions(serverAddress: string): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupDoc(group: string): JsonObject {
  const gv = { groupVersion: `${group}/v1`, version: 'v1' };
  return { name: group, versions: [gv], preferredVersion: gv };
}

export function apiGroup(group: string): JsonObject | null {
  return GROUPS.includes(group) ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(group) } : null;
}

export function apiGroupList(): JsonObject {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: GROUPS.map(groupDoc) };
}

/** `/api/v1` or `/apis/<group>/v1`; null for a group version not served. */
export function apiResourceList(group: string): JsonObject | null {
  const resources = SERVED_RESOURCES.filter((r) => r.group === group);
  if (resources.length === 0) return null;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? 'v1' : `${group}/v1`,
    resources: resources.map((r) => ({
      name: r.name,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: [...SERVED_VERBS],
      ...(r.shortNames.length > 0 ? { shortNames: [...r.shortNames] } : {}),
      ...(r.categories.length > 0 ? { categories: [...r.categories] } : {}),
    })),
  };
}

export type AggregatedVersion = 'v2' | 'v2beta1';

export function aggregatedContentType(v: AggregatedVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`;
}

/** Aggregated discovery of `/api` (core) or `/apis` (named groups) in one document. */
export function aggregatedDiscovery(core: boolean, v: AggregatedVersion): JsonObject {
  const groups = core ? [''] : GROUPS;
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${v}`,
    metadata: {},
    items: groups.map((group) => ({
      metadata: (group === '' ? {} : { name: group }) as JsonObject,
      versions: [
        {
          version: 'v1',
          resources: SERVED_RESOURCES.filter((r) => r.group === group).map((r) => ({
            resource: r.name,
            responseKind: { group, version: 'v1', kind: r.kind },
            scope: r.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: r.singular,
            verbs: [...SERVED_VERBS],
            ...(r.shortNames.length > 0 ? { shortNames: [...r.shortNames] } : {}),
            ...(r.categories.length > 0 ? { categories: [...r.categories] } : {}),
          })),
          freshness: 'Current',
        },
      ],
    })),
  };
}
