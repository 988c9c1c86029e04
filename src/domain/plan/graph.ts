// Plans are data: a ResourceGraph is the list of cloud and cluster steps a spec needs, each
// with its inputs (literal values or references to another step's outputs) and dependencies.

export const STEP_KINDS = [
  'vpc',
  'vswitch',
  'security-group',
  'security-group-rules',
  'nat-gateway',
  'eip',
  'eip-association',
  'snat-entry',
  'ram-user',
  'ram-policy',
  'ram-access-key',
  'slb',
  'slb-listener',
  'key-pair',
  'log-project',
  'cluster-credentials',
  'control-plane',
  'ecs-instance',
  'ecs-adoption',
  'route-entry',
  'rds-whitelist',
  'node-ready',
  'addon',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Progress stages, in the order the console shows them (M9, M67). */
export const STAGES = [
  'network',
  'security',
  'access',
  'load-balancer',
  'control-plane',
  'workers',
  'gpus',
  'components',
] as const;
export type Stage = (typeof STAGES)[number];

/** A reference to an output of another step, resolved by the engine when the step runs. */
export interface Ref {
  readonly $ref: string;
  readonly output: string;
}

/** A secret field of the spec (SECRET_PATHS), read from encrypted storage when the step runs. */
export interface SecretRef {
  readonly $secret: string;
}

export type Input =
  string | number | boolean | null | Ref | SecretRef | readonly Input[] | { readonly [key: string]: Input };

export interface PlanStep {
  /** Unique in the graph and stable across re-plans: the client token and owner tag derive from it. */
  readonly key: string;
  readonly kind: StepKind;
  readonly stage: Stage;
  readonly inputs: Readonly<Record<string, Input>>;
  /** Every step this one needs: the steps its refs point at, plus explicit ordering. */
  readonly dependsOn: readonly string[];
  /** Typical duration on the public cloud, for progress estimates and the critical path. */
  readonly estimatedSeconds: number;
  /** False for resources the tenant brought (existing instances): detached, never released. */
  readonly releaseOnDelete: boolean;
}

export interface ResourceGraph {
  readonly clusterId: string;
  readonly steps: readonly PlanStep[];
}

export function ref(step: string, output = 'id'): Ref {
  return { $ref: step, output };
}

export function isRef(v: Input): v is Ref {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Ref).$ref === 'string';
}

/** Keys of every step referenced anywhere inside `input`. */
export function refsIn(input: Input, into: Set<string> = new Set()): Set<string> {
  if (input === null || typeof input !== 'object') return into;
  if (isRef(input)) into.add(input.$ref);
  else if (Array.isArray(input)) for (const v of input as readonly Input[]) refsIn(v, into);
  else for (const v of Object.values(input as Record<string, Input>)) refsIn(v, into);
  return into;
}

/** Structural problems of a graph: duplicate keys, unknown dependencies, cycles. Empty when sound. */
export function graphErrors(graph: ResourceGraph): string[] {
  const errors: string[] = [];
  const byKey = new Map<string, PlanStep>();
  for (const s of graph.steps) {
    if (byKey.has(s.key)) errors.push(`duplicate step ${s.key}`);
    byKey.set(s.key, s);
  }
  for (const s of graph.steps) {
    for (const d of s.dependsOn) if (!byKey.has(d)) errors.push(`${s.key} depends on unknown ${d}`);
    for (const r of refsIn(s.inputs))
      if (!s.dependsOn.includes(r)) errors.push(`${s.key} refers to ${r} without depending on it`);
  }
  if (errors.length === 0 && topologicalOrder(graph) === null) errors.push('dependency cycle');
  return errors;
}

/** Steps in an order where each comes after its dependencies (stable by plan order); null on a cycle. */
export function topologicalOrder(graph: ResourceGraph): PlanStep[] | null {
  const done = new Set<string>();
  const order: PlanStep[] = [];
  let progressed = true;
  while (order.length < graph.steps.length && progressed) {
    progressed = false;
    for (const s of graph.steps) {
      if (done.has(s.key) || !s.dependsOn.every((d) => done.has(d))) continue;
      done.add(s.key);
      order.push(s);
      progressed = true;
    }
  }
  return order.length === graph.steps.length ? order : null;
}

export interface CriticalPath {
  readonly seconds: number;
  readonly keys: readonly string[];
}

/** The longest chain of estimated durations: the least time the whole plan can take in parallel. */
export function criticalPath(graph: ResourceGraph): CriticalPath {
  const order = topologicalOrder(graph) ?? [];
  const finish = new Map<string, { at: number; via: string | null }>();
  for (const s of order) {
    let start = 0;
    let via: string | null = null;
    for (const d of s.dependsOn) {
      const f = finish.get(d);
      if (f && f.at > start) {
        start = f.at;
        via = d;
      }
    }
    finish.set(s.key, { at: start + s.estimatedSeconds, via });
  }
  let last: string | null = null;
  let seconds = 0;
  for (const [key, f] of finish) {
    if (f.at > seconds) {
      seconds = f.at;
      last = key;
    }
  }
  const keys: string[] = [];
  for (let k = last; k !== null; k = finish.get(k)?.via ?? null) keys.unshift(k);
  return { seconds, keys };
}
