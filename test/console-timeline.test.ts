// The console's progress timeline as data (M67), without a browser: real bars for finished and
// running steps, projected ones from dependencies and estimates while the task runs, grouping by
// stage, the critical path (the server's, or computed from the steps), scale-out and delete tasks.
import { describe, expect, it } from 'vitest';
import { axisTicks, buildTimeline, localCriticalPath } from '../web/src/clusters/timeline.js';
import type { StepView, TaskView } from '../web/src/api/types.js';

const T0 = 1_700_000_000_000;
const s = (n: number) => T0 + n * 1000;

function step(key: string, o: Partial<StepView> = {}): StepView {
  return {
    key,
    kind: key.replace(/-\d+$/, ''),
    state: 'pending',
    waitingFor: null,
    error: null,
    stage: 'network',
    dependsOn: [],
    estimatedSeconds: 10,
    startedAt: null,
    finishedAt: null,
    ...o,
  };
}

function task(o: Partial<TaskView> = {}): TaskView {
  return {
    id: 't1',
    clusterId: 'c1',
    type: 'create',
    state: 'running',
    createdAt: T0,
    finishedAt: null,
    currentStage: 'network',
    stages: [],
    error: null,
    ...o,
  };
}

/** vpc (done 0–5 s) → vswitch (running since 5 s, ~20 s) → worker (pending, ~60 s); sg (done 1–3 s). */
const STEPS: StepView[] = [
  step('vpc', { state: 'done', startedAt: s(0), finishedAt: s(5), estimatedSeconds: 8 }),
  step('security-group', {
    stage: 'security',
    state: 'done',
    startedAt: s(1),
    finishedAt: s(3),
    estimatedSeconds: 4,
  }),
  step('vswitch-0', { state: 'applying', dependsOn: ['vpc'], startedAt: s(5), estimatedSeconds: 20 }),
  step('worker-0', {
    stage: 'workers',
    dependsOn: ['vswitch-0', 'security-group'],
    estimatedSeconds: 60,
  }),
];

describe('console progress timeline (M67)', () => {
  it('M67: finished steps keep their real times, a running one shows its expected end, pending ones are projected after their dependencies', () => {
    const tl = buildTimeline({ task: task(), steps: STEPS, now: s(12) });
    const bars = new Map(tl.groups.flatMap((g) => g.bars).map((b) => [b.key, b]));
    expect(bars.get('vpc')).toMatchObject({ from: 0, to: 5000, bar: 'finished', expectedTo: null });
    expect(bars.get('vswitch-0')).toMatchObject({ from: 5000, to: 12000, bar: 'running', expectedTo: 25000 });
    // worker-0 waits for vswitch-0's expected end (25 s), then takes its 60 s estimate.
    expect(bars.get('worker-0')).toMatchObject({ from: 25000, to: 85000, bar: 'projected' });
    expect(tl.elapsed).toBe(12000);
    expect(tl.span).toBe(85000);
    expect(tl.groups.map((g) => g.stage)).toEqual(['network', 'security', 'workers']);
  });

  it('M67: a step that overran its estimate pushes what depends on it to now', () => {
    const tl = buildTimeline({ task: task(), steps: STEPS, now: s(40) });
    const worker = tl.groups.flatMap((g) => g.bars).find((b) => b.key === 'worker-0');
    expect(worker).toMatchObject({ from: 40000, to: 100000 });
  });

  it("M67: the server's critical path is marked; without one it is computed from real and estimated durations", () => {
    const server = buildTimeline({
      task: task(),
      steps: STEPS,
      now: s(12),
      criticalPath: { keys: ['vpc', 'vswitch-0', 'worker-0'], seconds: 85 },
    });
    const marked = server.groups.flatMap((g) => g.bars).filter((b) => b.critical);
    expect(marked.map((b) => b.key)).toEqual(['vpc', 'vswitch-0', 'worker-0']);
    expect(server.critical).toEqual({ keys: ['vpc', 'vswitch-0', 'worker-0'], seconds: 85 });
    // vpc 5 s (real) + vswitch 20 s (estimate) + worker 60 s beats security-group 2 s + worker 60 s.
    expect(localCriticalPath(STEPS)?.keys).toEqual(['vpc', 'vswitch-0', 'worker-0']);
    const slowSg = STEPS.map((x) => (x.key === 'security-group' ? { ...x, finishedAt: s(40) } : x));
    expect(localCriticalPath(slowSg)?.keys).toEqual(['security-group', 'worker-0']);
    expect(localCriticalPath(STEPS.map((x) => ({ ...x, dependsOn: undefined })))).toBeNull();
  });

  it('M67: a failed step carries its error to its bar; a finished task projects nothing', () => {
    const failed = STEPS.map((x) =>
      x.key === 'vswitch-0'
        ? { ...x, state: 'failed', finishedAt: null, error: { code: 'CLOUD_QUOTA_EXCEEDED' } }
        : x,
    );
    const tl = buildTimeline({
      task: task({ state: 'failed', finishedAt: s(30) }),
      steps: failed,
      now: s(99),
    });
    const bars = tl.groups.flatMap((g) => g.bars);
    expect(bars.find((b) => b.key === 'vswitch-0')).toMatchObject({
      bar: 'running',
      to: 30000,
      expectedTo: null,
      error: { code: 'CLOUD_QUOTA_EXCEEDED' },
    });
    expect(bars.some((b) => b.bar === 'projected')).toBe(false);
    expect(tl.elapsed).toBe(30000);
  });

  it('M67: a scale-out shows only its own steps; a delete shows releases and no critical path', () => {
    const done = STEPS.map((x) => ({
      ...x,
      state: 'done',
      startedAt: x.startedAt ?? s(30),
      finishedAt: s(60),
    }));
    const added = [
      ...done,
      step('worker-1', { stage: 'workers', dependsOn: ['vswitch-0'], estimatedSeconds: 30 }),
    ];
    const scale = buildTimeline({
      task: task({ type: 'scale-out', createdAt: s(100) }),
      steps: added,
      now: s(110),
    });
    expect(scale.groups.flatMap((g) => g.bars).map((b) => b.key)).toEqual(['worker-1']);
    expect(scale.groups.flatMap((g) => g.bars)[0]).toMatchObject({
      from: 10000,
      to: 40000,
      bar: 'projected',
    });

    const releasing = done.map((x) =>
      x.key === 'worker-0'
        ? { ...x, state: 'released', finishedAt: s(205) }
        : x.key === 'vswitch-0'
          ? { ...x, state: 'releasing' }
          : x,
    );
    const del = buildTimeline({
      task: task({ type: 'delete', createdAt: s(200) }),
      steps: releasing,
      now: s(210),
      criticalPath: { keys: ['vpc', 'vswitch-0', 'worker-0'], seconds: 60 },
    });
    expect(del.critical).toBeNull();
    expect(del.groups.map((g) => g.stage)).toEqual(['workers', 'network']);
    expect(del.groups.flatMap((g) => g.bars).map((b) => [b.key, b.from, b.to, b.bar])).toEqual([
      ['worker-0', 0, 5000, 'finished'],
      ['vswitch-0', 0, 10000, 'running'],
    ]);
  });

  it('M67: the axis has round ticks, at most six after zero', () => {
    expect(axisTicks(85_000)).toEqual([0, 15000, 30000, 45000, 60000, 75000]);
    expect(axisTicks(4000)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(axisTicks(600_000).length).toBeLessThanOrEqual(7);
  });
});
