// The progress timeline's layout as data (M67), pure and testable without a browser: each step of a
// task placed on one time axis (real start and end where known, a projection from its dependencies'
// ends and its estimate where not), grouped by stage, with the critical path and the axis ticks.
// From the plan's graph module itself, not the domain's index: the detail page then loads neither
// the spec rules nor the planner, which the wizard's chunk carries.
import { criticalPath, STAGES, type PlanStep, type Stage } from '../../../src/domain/plan/graph.js';
import type { CriticalPathView, StepView, TaskView } from '../api/types.js';

/** Where a bar's end comes from: the step finished, is running now, or has not started. */
export type BarKind = 'finished' | 'running' | 'projected';

export interface TimelineBar {
  readonly key: string;
  readonly kind: string;
  readonly state: string;
  /** Milliseconds from the task's start. */
  readonly from: number;
  readonly to: number;
  /** For a running step: where its estimate says it ends (≥ to); null otherwise. */
  readonly expectedTo: number | null;
  readonly bar: BarKind;
  readonly critical: boolean;
  readonly error: Record<string, unknown> | null;
  readonly waitingFor: string | null;
}

export interface TimelineGroup {
  readonly stage: Stage | null;
  readonly from: number;
  readonly to: number;
  readonly bars: readonly TimelineBar[];
}

export interface Timeline {
  /** Epoch ms the axis starts at (the task's creation). */
  readonly origin: number;
  /** Length of the axis in ms: the elapsed time, or more when projections reach further. */
  readonly span: number;
  readonly elapsed: number;
  readonly ticks: readonly number[];
  readonly groups: readonly TimelineGroup[];
  /** The critical path's keys in order, restricted to the steps on the axis, and its seconds. */
  readonly critical: CriticalPathView | null;
}

const TICK_SECONDS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/** Axis ticks (ms) at a round step, at most `max` of them after 0. */
export function axisTicks(span: number, max = 6): number[] {
  const step = (TICK_SECONDS.find((s) => span / 1000 / s <= max) ?? 3600) * 1000;
  const ticks: number[] = [];
  for (let t = 0; t <= span; t += step) ticks.push(t);
  return ticks;
}

/** Keys of the critical path computed here, for a server that does not send it (needs stages and dependencies). */
export function localCriticalPath(steps: readonly StepView[]): CriticalPathView | null {
  if (steps.length === 0 || !steps.every((s) => s.dependsOn && s.stage)) return null;
  const known = new Set(steps.map((s) => s.key));
  const path = criticalPath({
    clusterId: '',
    steps: steps.map((s): PlanStep => ({
      key: s.key,
      kind: s.kind as PlanStep['kind'],
      stage: s.stage as Stage,
      inputs: {},
      dependsOn: (s.dependsOn ?? []).filter((d) => known.has(d)),
      estimatedSeconds:
        s.startedAt && s.finishedAt ? (s.finishedAt - s.startedAt) / 1000 : (s.estimatedSeconds ?? 0),
      releaseOnDelete: true,
    })),
  });
  return { keys: path.keys, seconds: path.seconds };
}

/** Whether a step belongs to the task: a scale-out shows only what it added, not the cluster's first steps. */
function inTask(s: StepView, task: TaskView): boolean {
  if (task.type !== 'scale-out') return true;
  return s.startedAt === null || s.startedAt === undefined || s.startedAt >= task.createdAt;
}

export interface TimelineInput {
  readonly task: TaskView;
  readonly steps: readonly StepView[];
  /** The server's critical path; computed here from the steps when absent. */
  readonly criticalPath?: CriticalPathView;
  /** Epoch ms of "now" (the latest poll). */
  readonly now: number;
}

export function buildTimeline({ task, steps, criticalPath: serverPath, now }: TimelineInput): Timeline {
  const origin = task.createdAt;
  const end = task.finishedAt ?? Math.max(now, origin);
  const elapsed = Math.max(0, end - origin);
  const releasing = task.type === 'delete';
  const running = task.state === 'running';
  const shown = steps.filter((s) => inTask(s, task));
  const byKey = new Map(steps.map((s) => [s.key, s]));
  const ends = new Map<string, number>();

  /** When a step ends, relative to the origin: real, or projected from its dependencies and estimate. */
  const endOf = (key: string, seen: Set<string>): number => {
    const known = ends.get(key);
    if (known !== undefined) return known;
    const s = byKey.get(key);
    if (!s || seen.has(key)) return 0;
    seen.add(key);
    const est = (s.estimatedSeconds ?? 0) * 1000;
    let e: number;
    if (s.finishedAt) e = s.finishedAt - origin;
    else if (s.startedAt) e = Math.max(elapsed, s.startedAt - origin + est);
    else {
      const ready = Math.max(elapsed, ...(s.dependsOn ?? []).map((d) => endOf(d, seen)));
      e = ready + est;
    }
    ends.set(key, e);
    return e;
  };

  const path = releasing ? null : (serverPath ?? localCriticalPath(steps));
  const shownKeys = new Set(shown.map((s) => s.key));
  const critical = path ? { keys: path.keys.filter((k) => shownKeys.has(k)), seconds: path.seconds } : null;
  const onPath = new Set(critical?.keys ?? []);

  const bars = shown.flatMap((s): TimelineBar[] => {
    const base = {
      key: s.key,
      kind: s.kind,
      state: s.state,
      critical: onPath.has(s.key),
      error: s.error,
      waitingFor: s.waitingFor,
    };
    if (releasing) {
      // A delete releases: the bar runs from the task's start to the step's release.
      const released = s.state === 'released' && s.finishedAt && s.finishedAt >= origin;
      if (released)
        return [{ ...base, from: 0, to: s.finishedAt - origin, expectedTo: null, bar: 'finished' }];
      if (s.state === 'releasing')
        return [{ ...base, from: 0, to: elapsed, expectedTo: null, bar: 'running' }];
      return [];
    }
    if (s.startedAt && s.finishedAt)
      return [
        { ...base, from: s.startedAt - origin, to: s.finishedAt - origin, expectedTo: null, bar: 'finished' },
      ];
    if (s.startedAt) {
      const expected = s.startedAt - origin + (s.estimatedSeconds ?? 0) * 1000;
      const to = running ? elapsed : Math.max(s.startedAt - origin, elapsed);
      return [
        {
          ...base,
          from: s.startedAt - origin,
          to,
          expectedTo: running && expected > to ? expected : null,
          bar: 'running',
        },
      ];
    }
    if (!running) return [];
    const to = endOf(s.key, new Set());
    return [{ ...base, from: to - (s.estimatedSeconds ?? 0) * 1000, to, expectedTo: null, bar: 'projected' }];
  });

  const order: readonly Stage[] = releasing ? [...STAGES].reverse() : STAGES;
  const stageOf = (key: string): Stage | null => {
    const stage = byKey.get(key)?.stage;
    return stage && order.includes(stage) ? stage : null;
  };
  const groups = [...order, null].flatMap((stage): TimelineGroup[] => {
    const mine = bars
      .filter((b) => stageOf(b.key) === stage)
      .sort((a, b) => a.from - b.from || a.key.localeCompare(b.key));
    if (mine.length === 0) return [];
    return [
      {
        stage,
        from: Math.min(...mine.map((b) => b.from)),
        to: Math.max(...mine.map((b) => b.expectedTo ?? b.to)),
        bars: mine,
      },
    ];
  });
  const span = Math.max(1000, elapsed, ...bars.map((b) => b.expectedTo ?? b.to));
  return { origin, span, elapsed, ticks: axisTicks(span), groups, critical };
}
