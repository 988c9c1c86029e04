// Deciding, with no I/O: given a plan and the state of each step, which steps may run now (creating
// in dependency order, releasing in reverse), and whether the operation is complete.
import type { ResourceGraph } from '../domain/plan/index.js';

export type StepState = 'pending' | 'applying' | 'done' | 'failed' | 'releasing' | 'released';
export type Direction = 'apply' | 'release';

/** Steps that may hold a cloud resource, so a release must visit them. */
const HOLDING: ReadonlySet<StepState> = new Set(['applying', 'done', 'failed', 'releasing']);

/** Steps whose dependencies are all done (apply), or whose dependants hold nothing any more (release). */
export function runnable(
  graph: ResourceGraph,
  states: ReadonlyMap<string, StepState>,
  direction: Direction,
): string[] {
  if (direction === 'apply') {
    return graph.steps
      .filter((s) => {
        const st = states.get(s.key) ?? 'pending';
        return (st === 'pending' || st === 'applying') && s.dependsOn.every((d) => states.get(d) === 'done');
      })
      .map((s) => s.key);
  }
  const dependants = new Map<string, string[]>();
  for (const s of graph.steps)
    for (const d of s.dependsOn) dependants.set(d, [...(dependants.get(d) ?? []), s.key]);
  return graph.steps
    .filter((s) => HOLDING.has(states.get(s.key) ?? 'pending'))
    .filter((s) => (dependants.get(s.key) ?? []).every((k) => !HOLDING.has(states.get(k) ?? 'pending')))
    .map((s) => s.key);
}

export function applyComplete(graph: ResourceGraph, states: ReadonlyMap<string, StepState>): boolean {
  return graph.steps.every((s) => states.get(s.key) === 'done');
}

export function releaseComplete(graph: ResourceGraph, states: ReadonlyMap<string, StepState>): boolean {
  return graph.steps.every((s) => !HOLDING.has(states.get(s.key) ?? 'pending'));
}

export function anyFailed(states: ReadonlyMap<string, StepState>): boolean {
  return [...states.values()].includes('failed');
}
