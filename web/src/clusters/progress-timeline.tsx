// Live creation progress (M9, M67) drawn as a timeline: one bar per stage from its start to its
// end on a common time axis, and, when the server sends step timings and dependencies, one bar
// per step with the critical path (the chain that decided the total time) highlighted.
import { Alert, Empty, Space, Tag, Tooltip, Typography } from 'antd';
import { criticalPath, type PlanStep, type Stage } from '../../../src/domain/index.js';
import type { EventView, StepView, TaskView } from '../api/types.js';
import { useI18n } from '../i18n/locale.js';
import type { TextKey } from '../i18n/texts.js';
import { failureText } from './failure.js';

const STATE_COLOR: Record<string, string> = {
  done: '#52c41a',
  released: '#8c8c8c',
  running: '#1677ff',
  applying: '#1677ff',
  releasing: '#faad14',
  failed: '#ff4d4f',
  pending: '#d9d9d9',
};

export function formatSeconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}

/** Keys of the critical path through the steps, using real durations where a step has finished. */
export function criticalKeys(steps: readonly StepView[]): Set<string> {
  if (!steps.every((s) => s.dependsOn && s.stage)) return new Set();
  const graph = {
    clusterId: '',
    steps: steps.map((s): PlanStep => ({
      key: s.key,
      kind: s.kind as PlanStep['kind'],
      stage: s.stage as Stage,
      inputs: {},
      dependsOn: s.dependsOn ?? [],
      estimatedSeconds:
        s.startedAt && s.finishedAt ? (s.finishedAt - s.startedAt) / 1000 : (s.estimatedSeconds ?? 0),
      releaseOnDelete: true,
    })),
  };
  return new Set(criticalPath(graph).keys);
}

function Bar({
  from,
  to,
  total,
  color,
  bold,
}: {
  from: number;
  to: number;
  total: number;
  color: string;
  bold?: boolean;
}) {
  const left = total > 0 ? (from / total) * 100 : 0;
  const width = total > 0 ? Math.max(0.8, ((to - from) / total) * 100) : 100;
  return (
    <div style={{ position: 'relative', height: bold ? 14 : 10, background: '#fafafa', borderRadius: 3 }}>
      <div
        style={{
          position: 'absolute',
          left: `${left}%`,
          width: `${Math.min(width, 100 - left)}%`,
          top: 0,
          bottom: 0,
          background: color,
          borderRadius: 3,
          outline: bold ? '2px solid #cf1322' : undefined,
        }}
      />
    </div>
  );
}

export function ProgressTimeline({
  task,
  steps,
  events,
  now,
}: {
  task: TaskView | undefined;
  steps: readonly StepView[];
  events: readonly EventView[];
  now: number;
}) {
  const { t, locale } = useI18n();
  if (!task) return <Empty description={t('progress.noTask')} />;
  const start = task.createdAt;
  const end = task.finishedAt ?? now;
  const total = Math.max(1, end - start);
  const critical = criticalKeys(steps);
  const doneAt = new Map<string, number>();
  for (const e of events)
    if (e.step && (e.type === 'step.done' || e.type === 'step.released')) doneAt.set(e.step, e.at);
  const failed = steps.filter((s) => s.error);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text>
        {t('progress.summary', {
          type: t(`task.${task.type}` as TextKey),
          state: t(`task.state.${task.state}` as TextKey),
          elapsed: formatSeconds(end - start),
        })}
        {task.currentStage &&
          ` · ${t('progress.current', { stage: t(`stage.${task.currentStage}` as TextKey) })}`}
      </Typography.Text>
      {task.error && <Alert type="error" showIcon message={failureText(task.error, locale)} />}
      <div role="list" aria-label={t('progress.timeline')}>
        {task.stages.map((s) => {
          const from = (s.startedAt ?? end) - start;
          const to = (s.finishedAt ?? (s.state === 'pending' ? (s.startedAt ?? end) : end)) - start;
          const stageSteps = steps.filter((x) => x.stage === s.stage);
          return (
            <div
              key={s.stage}
              role="listitem"
              data-stage={s.stage}
              data-state={s.state}
              style={{ marginBottom: 10 }}
            >
              <div
                style={{
                  display: 'grid',
                  gridTemplateColumns: '220px 1fr 160px',
                  gap: 12,
                  alignItems: 'center',
                }}
              >
                <Space size={4}>
                  <Tag color={STATE_COLOR[s.state]}>{t(`stage.${s.stage}` as TextKey)}</Tag>
                  <Typography.Text type="secondary">
                    {s.finished}/{s.steps}
                  </Typography.Text>
                </Space>
                <Bar from={from} to={to} total={total} color={STATE_COLOR[s.state] ?? '#d9d9d9'} />
                <Typography.Text type="secondary">
                  {s.startedAt ? formatSeconds((s.finishedAt ?? end) - s.startedAt) : t('progress.waiting')}
                </Typography.Text>
              </div>
              {stageSteps.map((x) => {
                const xs = (x.startedAt ?? end) - start;
                const xe = (x.finishedAt ?? doneAt.get(x.key) ?? end) - start;
                return (
                  <Tooltip key={x.key} title={x.waitingFor ?? x.state}>
                    <div
                      style={{
                        display: 'grid',
                        gridTemplateColumns: '220px 1fr 160px',
                        gap: 12,
                        alignItems: 'center',
                        marginTop: 2,
                      }}
                    >
                      <Typography.Text style={{ paddingLeft: 16, fontSize: 12 }} strong={critical.has(x.key)}>
                        {x.key}
                      </Typography.Text>
                      <Bar
                        from={xs}
                        to={xe}
                        total={total}
                        color={STATE_COLOR[x.state] ?? '#d9d9d9'}
                        bold={critical.has(x.key)}
                      />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {x.startedAt ? formatSeconds(xe - xs) : ''}
                        {critical.has(x.key) ? ` · ${t('progress.critical')}` : ''}
                      </Typography.Text>
                    </div>
                  </Tooltip>
                );
              })}
            </div>
          );
        })}
      </div>
      {critical.size > 0 && <Typography.Text type="secondary">{t('progress.criticalHelp')}</Typography.Text>}
      {failed.map((s) => (
        <Alert key={s.key} type="error" showIcon message={s.key} description={failureText(s.error, locale)} />
      ))}
    </Space>
  );
}
