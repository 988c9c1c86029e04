// Shared by the ClusterSpec tests (*.test.ts beside it): a fresh minimal valid input, edits that
// change one field of it, the caller's facts, and a per-file record of every problem produced so
// each test file can check that all of them render in both languages. Pure; no test framework.
import { expect } from 'vitest';
import { KUBERACK_KUBERNETES_VERSIONS } from '../catalogue/kubernetes-versions.js';
import { catalogue, renderProblem } from '../messages/index.js';
import type { Problem } from '../problems.js';
import type { SpecFacts, VpcFacts } from './facts.js';
import { validateClusterSpec, type ValidationResult } from './validate.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A fresh minimal valid input: new VPC, one new vSwitch, Flannel, three GPU workers, a key pair. */
export function baseline(): JsonObject {
  return {
    name: 'gpu-cluster',
    regionId: 'cn-hangzhou',
    network: {
      vpc: { mode: 'create', cidr: '192.168.0.0/16' },
      vswitches: [{ mode: 'create', zoneId: 'cn-hangzhou-i', cidr: '192.168.0.0/24' }],
      plugin: 'flannel',
      podCidr: '172.20.0.0/16',
      serviceCidr: '172.21.0.0/20',
    },
    workers: {
      instances: { mode: 'create', instanceTypes: ['ecs.gn7i-c8g1.2xlarge'], count: 3 },
      login: { type: 'key-pair', keyPair: { mode: 'existing', name: 'my-key' } },
    },
  };
}

/** Splits `a.b[2].c` into `['a', 'b', 2, 'c']`. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) throw new Error(`bad path ${path}`);
    if (m[1]) out.push(m[1]);
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** The parent of the last segment, creating missing objects and arrays on the way. */
function container(root: JsonObject, segments: readonly (string | number)[]): Json {
  let node: Json = root;
  for (const [i, s] of segments.slice(0, -1).entries()) {
    const next = segments[i + 1];
    if (Array.isArray(node) && typeof s === 'number') {
      node[s] ??= typeof next === 'number' ? [] : {};
      node = node[s] as Json;
    } else if (node !== null && typeof node === 'object' && !Array.isArray(node) && typeof s === 'string') {
      node[s] ??= typeof next === 'number' ? [] : {};
      node = node[s] as Json;
    } else {
      throw new Error(`cannot descend into ${JSON.stringify(node)} at ${String(s)}`);
    }
  }
  return node;
}

/** An edit of the input; `undefined` removes the field. */
export type Edit = (input: JsonObject) => void;

export function set(path: string, value: Json | undefined): Edit {
  return (input) => {
    const segments = pathSegments(path);
    const last = segments[segments.length - 1];
    const parent = container(input, segments);
    if (Array.isArray(parent) && typeof last === 'number') {
      if (value === undefined) parent.splice(last, 1);
      else parent[last] = value;
    } else if (
      parent !== null &&
      typeof parent === 'object' &&
      !Array.isArray(parent) &&
      typeof last === 'string'
    ) {
      if (value === undefined) delete parent[last];
      else parent[last] = value;
    } else {
      throw new Error(`cannot set ${path}`);
    }
  };
}

export const unset = (path: string): Edit => set(path, undefined);

/** The baseline with `edits` applied in order. */
export function spec(...edits: readonly Edit[]): JsonObject {
  const input = baseline();
  for (const edit of edits) edit(input);
  return input;
}

/** Reads a value at a dotted path of any object (undefined where absent). */
export function valueAt(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const s of pathSegments(path)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[s];
  }
  return node;
}

// ---- Edits used by several files ----

export const VPC_ID = 'vpc-bp1existing';

/** Use the existing VPC described by `existingVpcFacts()`, with its vSwitch in zone i. */
export const useExistingVpc: Edit = (input) => {
  set('network.vpc', { mode: 'existing', vpcId: VPC_ID, kind: 'normal' })(input);
  set('network.vswitches', [{ mode: 'existing', vswitchId: 'vsw-i' }])(input);
};

/** Terway instead of Flannel (drops the Flannel-only pod CIDR). */
export const useTerway: Edit = (input) => {
  set('network.plugin', 'terway')(input);
  unset('network.podCidr')(input);
};

/** Password login instead of the key pair. */
export function usePassword(password: string, confirm: string = password): Edit {
  return set('workers.login', { type: 'password', password, passwordConfirm: confirm });
}

/** Existing instances instead of new ones. */
export function useExistingInstances(...instanceIds: string[]): Edit {
  return set('workers.instances', { mode: 'existing', instanceIds });
}

// ---- Facts ----

export function existingVpcFacts(overrides: Partial<VpcFacts> = {}): VpcFacts {
  return {
    vpcId: VPC_ID,
    cidr: '192.168.0.0/16',
    kind: 'normal',
    regionId: 'cn-hangzhou',
    natGatewayId: 'ngw-bp1existing',
    routeTableId: 'vtb-bp1existing',
    routeEntriesInUse: 0,
    hasInternetRoute: true,
    vswitches: [
      { vswitchId: 'vsw-i', zoneId: 'cn-hangzhou-i', cidr: '192.168.0.0/24' },
      { vswitchId: 'vsw-h', zoneId: 'cn-hangzhou-h', cidr: '192.168.1.0/24' },
    ],
    clusters: [{ clusterId: 'c-other', podCidr: '172.30.0.0/16', serviceCidr: '172.31.0.0/20' }],
    securityGroupIds: ['sg-bp1existing'],
    ...overrides,
  };
}

/** Everything the caller can know, all consistent with the baseline. */
export function allFacts(overrides: Partial<SpecFacts> = {}): SpecFacts {
  return {
    regions: [
      { regionId: 'cn-hangzhou', zoneIds: ['cn-hangzhou-h', 'cn-hangzhou-i', 'cn-hangzhou-j'] },
      { regionId: 'cn-beijing', zoneIds: ['cn-beijing-a', 'cn-beijing-b'] },
    ],
    account: {
      allowlists: { exclusiveEni: false, customImage: false, workflowEngine: false },
      resourceGroupIds: ['rg-aek2default'],
    },
    stock: {
      'cn-hangzhou-h': ['ecs.gn7i-c8g1.2xlarge'],
      'cn-hangzhou-i': ['ecs.gn7i-c8g1.2xlarge', 'ecs.gn6i-c4g1.xlarge'],
      'cn-hangzhou-j': [],
    },
    kubernetesVersions: KUBERACK_KUBERNETES_VERSIONS,
    images: [
      { imageId: 'm-alinux2', os: 'Alibaba Cloud Linux 2.1903 LTS 64 bit' },
      { imageId: 'm-centos7', os: 'CentOS 7.9 64 bit' },
      { imageId: 'm-ubuntu', os: 'Ubuntu 22.04 64 bit' },
    ],
    kmsKeyIds: ['key-hzz62f1cb66fa42qo0000'],
    keyPairNames: ['my-key'],
    rdsInstances: [
      { rdsInstanceId: 'rm-bp1hangzhou', regionId: 'cn-hangzhou' },
      { rdsInstanceId: 'rm-2zebeijing', regionId: 'cn-beijing' },
    ],
    instances: [
      { instanceId: 'i-bp1free0001', regionId: 'cn-hangzhou', vpcId: VPC_ID, clusterId: null },
      { instanceId: 'i-bp1free0002', regionId: 'cn-hangzhou', vpcId: VPC_ID, clusterId: null },
      { instanceId: 'i-2zebeijing01', regionId: 'cn-beijing', vpcId: 'vpc-2ze', clusterId: null },
      { instanceId: 'i-bp1taken001', regionId: 'cn-hangzhou', vpcId: VPC_ID, clusterId: 'c-other' },
      { instanceId: 'i-bp1othervpc', regionId: 'cn-hangzhou', vpcId: 'vpc-bp1other', clusterId: null },
    ],
    logProjects: ['k8s-log-project'],
    vpc: existingVpcFacts(),
    ...overrides,
  };
}

// ---- Running and recording ----

/** Every problem and warning produced through `check` in this test file. */
export const recorded: Problem[] = [];

export function check(input: unknown, facts?: SpecFacts): ValidationResult {
  const result = validateClusterSpec(input, facts);
  recorded.push(...result.problems, ...result.warnings);
  return result;
}

/** `path CODE` per problem, sorted: compact, order-free and readable in a failing diff. */
export function pairs(problems: readonly Problem[]): string[] {
  return problems.map((p) => `${p.path} ${p.code}`).sort();
}

/**
 * Problems whose code has no message, or whose message has a `{placeholder}` (in either language)
 * that the problem's params do not fill. Values may themselves contain braces: user text is not
 * re-rendered, so only the templates are inspected.
 */
export function unrendered(problems: readonly Problem[]): string[] {
  const bad = new Set<string>();
  for (const p of problems) {
    const template = catalogue[p.code];
    if (!template) {
      bad.add(`${p.code}: no message`);
      continue;
    }
    for (const [locale, text] of [
      ['en', template.en],
      ['zh-CN', template.zh],
    ] as const) {
      if (renderProblem(p, locale).trim() === '') bad.add(`${p.code} (${locale}): empty`);
      for (const m of text.matchAll(/\{(\w+)\}/g)) {
        const name = m[1] ?? '';
        if (p.params[name] === undefined) bad.add(`${p.code} (${locale}): {${name}} not filled`);
      }
    }
  }
  return [...bad];
}

/** One table row: an input, optional facts, and the exact problems (and warnings) expected. */
export interface Case {
  readonly name: string;
  readonly input: JsonObject;
  readonly facts?: SpecFacts;
  /** `path CODE` pairs; empty means the spec validates. */
  readonly problems: readonly string[];
  /** When given, the exact warnings (otherwise warnings are not checked). */
  readonly warnings?: readonly string[];
}

/** A table row from edits of the baseline; `problems` empty means it must validate. */
export function row(
  name: string,
  edits: Edit | readonly Edit[],
  problems: readonly string[] = [],
  extra: { readonly facts?: SpecFacts; readonly warnings?: readonly string[] } = {},
): Case {
  const input = spec(...(Array.isArray(edits) ? edits : [edits as Edit]));
  return { name, input, problems, ...extra };
}

/** The warning every spec without a public API endpoint gets (M29). */
export const PRIVATE_API = 'network.apiServer.publicAccess SPEC_API_SERVER_PRIVATE_ONLY';

/** Rows as `[name, case]` so `it.each(...)('%s', ...)` titles each test with its mission row. */
export function table(cases: readonly Case[]): [string, Case][] {
  return cases.map((c) => [c.name, c]);
}

/** Runs one table row: exactly the expected problems (and warnings, when given), sorted. */
export function runCase(c: Case): void {
  const result = check(c.input, c.facts);
  expect(pairs(result.problems)).toEqual([...c.problems].sort());
  expect(result.ok).toBe(c.problems.length === 0);
  if (c.warnings) expect(pairs(result.warnings)).toEqual([...c.warnings].sort());
}
