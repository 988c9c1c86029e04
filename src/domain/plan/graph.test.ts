// Tests of the plan graph's structure (M64, M66): soundness checks, topological order and the
// critical path, on hand-made graphs and on random DAGs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Input, PlanStep, ResourceGraph } from './graph.js';
import { criticalPath, graphErrors, isRef, ref, refsIn, topologicalOrder } from './graph.js';

function s(
  key: string,
  dependsOn: string[] = [],
  estimatedSeconds = 1,
  inputs: Record<string, Input> = {},
): PlanStep {
  return {
    key,
    kind: 'addon',
    stage: 'components',
    inputs,
    dependsOn,
    estimatedSeconds,
    releaseOnDelete: true,
  };
}

function g(...steps: PlanStep[]): ResourceGraph {
  return { clusterId: 'c-test', steps };
}

describe('refs', () => {
  it('ref defaults to the id output', () => {
    expect(ref('vpc')).toEqual({ $ref: 'vpc', output: 'id' });
    expect(ref('eip/nat', 'ip')).toEqual({ $ref: 'eip/nat', output: 'ip' });
  });

  it('isRef tells refs from secrets, arrays, objects and scalars', () => {
    expect(isRef(ref('vpc'))).toBe(true);
    expect(isRef({ $secret: 'workers.login.password' })).toBe(false);
    expect(isRef([ref('vpc')])).toBe(false);
    expect(isRef({ $ref: 1 } as unknown as Input)).toBe(false);
    expect(isRef(null)).toBe(false);
    expect(isRef('vpc')).toBe(false);
  });

  it('refsIn finds refs nested in arrays and objects, once each', () => {
    const input: Input = {
      a: ref('vpc'),
      b: [ref('vswitch/a'), { c: ref('vpc', 'cidr'), d: [ref('eip/nat', 'ip')] }],
      e: { $secret: 'workers.login.password' },
      f: 'literal',
      g: null,
      h: 3,
    };
    expect([...refsIn(input)].sort()).toEqual(['eip/nat', 'vpc', 'vswitch/a']);
    expect(refsIn('x').size).toBe(0);
  });
});

describe('graphErrors', () => {
  it('is empty for a sound graph', () => {
    expect(graphErrors(g(s('a'), s('b', ['a'], 1, { x: ref('a') })))).toEqual([]);
  });

  it('reports a duplicate key', () => {
    expect(graphErrors(g(s('a'), s('a')))).toEqual(['duplicate step a']);
  });

  it('reports an unknown dependency', () => {
    expect(graphErrors(g(s('a', ['ghost'])))).toEqual(['a depends on unknown ghost']);
  });

  it('reports a ref without a dependency', () => {
    expect(graphErrors(g(s('a'), s('b', [], 1, { x: [ref('a', 'ip')] })))).toEqual([
      'b refers to a without depending on it',
    ]);
  });

  it('reports a ref to an unknown step it lists as a dependency once, as unknown', () => {
    expect(graphErrors(g(s('a', ['ghost'], 1, { x: ref('ghost') })))).toEqual(['a depends on unknown ghost']);
  });

  it('reports a cycle', () => {
    expect(graphErrors(g(s('a', ['c']), s('b', ['a']), s('c', ['b'])))).toEqual(['dependency cycle']);
    expect(graphErrors(g(s('self', ['self'])))).toEqual(['dependency cycle']);
  });
});

/** A random DAG: step i may depend only on steps before it; the steps are then shuffled. */
const dag = fc
  .integer({ min: 0, max: 25 })
  .chain((n) =>
    fc.tuple(
      fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc.tuple(
            fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, i - 1) }), { maxLength: i === 0 ? 0 : 4 }),
            fc.integer({ min: 0, max: 300 }),
          ),
        ),
      ),
      fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => i),
        { minLength: n, maxLength: n },
      ),
    ),
  )
  .map(([nodes, order]) => {
    const steps = nodes.map(([deps, secs], i) =>
      s(
        `s${i}`,
        deps.map((d) => `s${d}`),
        secs,
        Object.fromEntries(deps.map((d) => [`in${d}`, ref(`s${d}`)])),
      ),
    );
    return g(...order.map((i) => steps[i] as PlanStep));
  });

/** Longest path by brute force over every chain, for small graphs. */
function longest(graph: ResourceGraph): number {
  const byKey = new Map(graph.steps.map((x) => [x.key, x]));
  const memo = new Map<string, number>();
  const finish = (key: string): number => {
    const known = memo.get(key);
    if (known !== undefined) return known;
    const st = byKey.get(key) as PlanStep;
    const value = st.estimatedSeconds + Math.max(0, ...st.dependsOn.map(finish));
    memo.set(key, value);
    return value;
  };
  return Math.max(0, ...graph.steps.map((x) => finish(x.key)));
}

describe('topologicalOrder', () => {
  it('puts every step after its dependencies (property, random DAGs)', () => {
    fc.assert(
      fc.property(dag, (graph) => {
        expect(graphErrors(graph)).toEqual([]);
        const order = topologicalOrder(graph);
        expect(order).not.toBeNull();
        const at = new Map((order ?? []).map((x, i) => [x.key, i]));
        expect(at.size).toBe(graph.steps.length);
        for (const x of graph.steps)
          for (const d of x.dependsOn) expect(at.get(d) ?? -1).toBeLessThan(at.get(x.key) ?? -1);
      }),
    );
  });

  it('keeps plan order among independent steps', () => {
    const order = topologicalOrder(g(s('c'), s('a'), s('b', ['c']), s('d')));
    expect(order?.map((x) => x.key)).toEqual(['c', 'a', 'b', 'd']);
  });

  it('is null on a cycle', () => {
    expect(topologicalOrder(g(s('a', ['b']), s('b', ['a'])))).toBeNull();
  });

  it('is empty for an empty graph', () => {
    expect(topologicalOrder(g())).toEqual([]);
  });
});

describe('criticalPath', () => {
  it('follows the longest chain of a hand-made graph', () => {
    //   net(10) ─┬─ nat(120) ─ snat(12) ─┐
    //            ├─ ecs(100) ────────────┼─ ready(300)
    //   cp(60) ──┴───────────────────────┘
    const graph = g(
      s('net', [], 10),
      s('cp', [], 60),
      s('nat', ['net'], 120),
      s('snat', ['nat'], 12),
      s('ecs', ['net'], 100),
      s('ready', ['cp', 'ecs', 'snat'], 300),
      s('addon', ['cp'], 20),
    );
    expect(criticalPath(graph)).toEqual({ seconds: 442, keys: ['net', 'nat', 'snat', 'ready'] });
  });

  it('is a single step when nothing depends on anything', () => {
    expect(criticalPath(g(s('a', [], 5), s('b', [], 9), s('c', [], 2)))).toEqual({ seconds: 9, keys: ['b'] });
  });

  it('is zero and empty for an empty graph', () => {
    expect(criticalPath(g())).toEqual({ seconds: 0, keys: [] });
  });

  it('is the longest chain, and a chain of dependencies (property, random DAGs)', () => {
    fc.assert(
      fc.property(dag, (graph) => {
        const path = criticalPath(graph);
        expect(path.seconds).toBe(longest(graph));
        const byKey = new Map(graph.steps.map((x) => [x.key, x]));
        let total = 0;
        path.keys.forEach((k, i) => {
          const st = byKey.get(k) as PlanStep;
          total += st.estimatedSeconds;
          if (i > 0) expect(st.dependsOn).toContain(path.keys[i - 1]);
        });
        expect(total).toBe(path.seconds);
      }),
    );
  });
});
