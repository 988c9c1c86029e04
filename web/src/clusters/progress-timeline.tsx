// Live task progress (M9, M67) as a Gantt chart: one bar per step on a common time axis, grouped by
// stage; the critical path outlined and marked ◆ and named in the legend; a failed step's error at
// its bar; projected bars (dashed) for steps that have not started while the task runs.
import { Alert, Empty, Space, Tag, Typography } from 'antd';
import type { CSSProperties } from 'react';
import type { CriticalPathView, StepView, TaskView } from '../api/types.js';
import { useI18n } from '../i18n/locale.js';
import { TEXTS, type TextKey } from '../i18n/texts.js';
import { failureText } from './failure.js';
import { formatSeconds } from './format.js';
import { buildTimeline, type TimelineBar } from './timeline.js';

const STATE_COLOR: Record<string, string> = {
  done: '#52c41a',
  released: '#8c8c8c',
  running: '#1677ff',
  applying: '#1677ff',
  releasing: '#faad14',
  failed: '#ff4d4f',
  pending: '#d9d9d9',
};
/** antd's status presets for a stage's tag: legible on every state, unlike the bars' fills. */
const STAGE_TAG: Record<string, string> = {
  done: 'success',
  running: 'processing',
  failed: 'error',
  pending: 'default',
};
const CRITICAL = '#cf1322';
const GRID: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'minmax(160px, 220px) 1fr 150px',
  gap: 12,
  alignItems: 'center',
};

const pct = (v: number, span: number) => `${Math.min(100, Math.max(0, (v / span) * 100))}%`;

function StepBar({ b, span }: { b: TimelineBar; span: number }) {
  const color = STATE_COLOR[b.state] ?? STATE_COLOR.pending;
  const width = (from: number, to: number) => `max(4px, calc(${pct(to, span)} - ${pct(from, span)}))`;
  return (
    <div style={{ position: 'relative', height: 14, background: '#fafafa', borderRadius: 3 }}>
      {b.expectedTo !== null && (
        <div
          style={{
            position: 'absolute',
            left: pct(b.from, span),
            width: width(b.from, b.expectedTo),
            top: 0,
            bottom: 0,
            border: `1px dashed ${color}`,
            borderRadius: 3,
          }}
        />
      )}
      <div
        data-bar={b.bar}
        style={{
          position: 'absolute',
          left: pct(b.from, span),
          width: width(b.from, b.to),
          top: 0,
          bottom: 0,
          borderRadius: 3,
          background: b.bar === 'projected' ? 'transparent' : color,
          border: b.bar === 'projected' ? `1px dashed #8c8c8c` : undefined,
          outline: b.critical ? `2px solid ${CRITICAL}` : undefined,
          outlineOffset: 1,
        }}
      />
    </div>
  );
}

function Axis({
  ticks,
  span,
  elapsed,
  live,
}: {
  ticks: readonly number[];
  span: number;
  elapsed: number;
  live: boolean;
}) {
  const { t } = useI18n();
  return (
    <div style={GRID} aria-hidden>
      <span />
      <div style={{ position: 'relative', height: 18, borderBottom: '1px solid #d9d9d9' }}>
        {ticks.map((tick) => (
          <span
            key={tick}
            style={{
              position: 'absolute',
              left: pct(tick, span),
              transform:
                tick === 0 ? undefined : tick / span > 0.92 ? 'translateX(-100%)' : 'translateX(-50%)',
              whiteSpace: 'nowrap',
              fontSize: 11,
              color: '#8c8c8c',
            }}
          >
            {formatSeconds(tick)}
          </span>
        ))}
        {live && (
          <span
            title={t('progress.now')}
            style={{
              position: 'absolute',
              left: pct(elapsed, span),
              bottom: -4,
              height: 8,
              borderLeft: `2px solid #1677ff`,
            }}
          />
        )}
      </div>
      <span />
    </div>
  );
}

export function ProgressTimeline({
  task,
  steps,
  criticalPath,
  now,
}: {
  task: TaskView | undefined;
  steps: readonly StepView[];
  criticalPath?: CriticalPathView;
  now: number;
}) {
  const { t, locale } = useI18n();
  if (!task) return <Empty description={t('progress.noTask')} />;
  const tl = buildTimeline({ task, steps, criticalPath, now });
  const live = task.state === 'running';
  const stageInfo = new Map(task.stages.map((s) => [s.stage, s]));
  const stepState = (state: string) =>
    `step.state.${state}` in TEXTS ? t(`step.state.${state}` as TextKey) : state;
  const critical = tl.critical && tl.critical.keys.length > 0 ? tl.critical : null;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text>
        {t('progress.summary', {
          type: t(`task.${task.type}` as TextKey),
          state: t(`task.state.${task.state}` as TextKey),
          elapsed: formatSeconds(tl.elapsed),
        })}
        {task.currentStage &&
          ` · ${t('progress.current', { stage: t(`stage.${task.currentStage}` as TextKey) })}`}
      </Typography.Text>
      {task.error && <Alert type="error" showIcon message={failureText(task.error, locale)} />}
      <Axis ticks={tl.ticks} span={tl.span} elapsed={tl.elapsed} live={live} />
      <div role="list" aria-label={t('progress.timeline')} data-testid="progress-timeline">
        {tl.groups.map((g) => {
          const info = g.stage ? stageInfo.get(g.stage) : undefined;
          const stageName = g.stage ? t(`stage.${g.stage}` as TextKey) : t('progress.otherStage');
          return (
            <div
              key={g.stage ?? 'other'}
              role="listitem"
              data-stage={g.stage ?? 'other'}
              data-state={info?.state}
              style={{ marginBottom: 10 }}
            >
              <div style={GRID}>
                <Space size={4}>
                  <Tag color={STAGE_TAG[info?.state ?? 'pending']}>{stageName}</Tag>
                  {info && (
                    <Typography.Text type="secondary">
                      {info.finished}/{info.steps}
                    </Typography.Text>
                  )}
                </Space>
                <div style={{ position: 'relative', height: 4, background: '#f0f0f0' }}>
                  <div
                    style={{
                      position: 'absolute',
                      left: pct(g.from, tl.span),
                      width: `calc(${pct(g.to, tl.span)} - ${pct(g.from, tl.span)})`,
                      top: 0,
                      bottom: 0,
                      background: '#bfbfbf',
                    }}
                  />
                </div>
                <Typography.Text type="secondary">{formatSeconds(g.to - g.from)}</Typography.Text>
              </div>
              <div role="list" aria-label={stageName}>
                {g.bars.map((b) => {
                  const label = t('progress.stepLabel', {
                    step: b.key,
                    state: b.bar === 'projected' ? t('progress.estimated') : stepState(b.state),
                    from: formatSeconds(b.from),
                    to: formatSeconds(b.expectedTo ?? b.to),
                  });
                  const error = b.error ? failureText(b.error, locale) : '';
                  return (
                    <div
                      key={b.key}
                      role="listitem"
                      aria-label={b.critical ? `${label} · ${t('progress.critical')}` : label}
                      data-step={b.key}
                      data-critical={b.critical ? 'true' : undefined}
                      style={{ marginTop: 3 }}
                    >
                      <div style={GRID}>
                        <Typography.Text
                          style={{ paddingLeft: 16, fontSize: 12, color: b.critical ? CRITICAL : undefined }}
                          strong={b.critical}
                          title={b.kind}
                        >
                          {b.critical ? '◆ ' : ''}
                          {b.key}
                        </Typography.Text>
                        <StepBar b={b} span={tl.span} />
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {b.bar === 'projected'
                            ? `~${formatSeconds(b.to - b.from)}`
                            : `${formatSeconds(b.to - b.from)}${b.expectedTo !== null ? ` / ~${formatSeconds(b.expectedTo - b.from)}` : ''}`}
                        </Typography.Text>
                      </div>
                      {(error || (b.waitingFor && b.bar === 'running')) && (
                        <div style={GRID}>
                          <span />
                          <Typography.Text
                            type={error ? 'danger' : 'secondary'}
                            style={{ fontSize: 12, paddingLeft: `calc(${pct(b.from, tl.span)} * 0.9)` }}
                            data-testid={error ? 'step-error' : undefined}
                          >
                            {error
                              ? t('progress.failedAt', { step: b.key, error })
                              : t('progress.waitingFor', { what: b.waitingFor ?? '' })}
                          </Typography.Text>
                          <span />
                        </div>
                      )}
                    </div>
                  );
                })}
              </div>
            </div>
          );
        })}
      </div>
      <ul
        aria-label={t('progress.legend')}
        data-testid="progress-legend"
        style={{ listStyle: 'none', padding: 0, margin: 0, display: 'flex', flexWrap: 'wrap', gap: 16 }}
      >
        {(['done', 'applying', 'failed'] as const).map((s) => (
          <li key={s}>
            <Swatch color={STATE_COLOR[s] ?? ''} /> {stepState(s)}
          </li>
        ))}
        {live && (
          <li>
            <Swatch color="transparent" dashed /> {t('progress.estimated')}
          </li>
        )}
        {critical && (
          <li data-testid="critical-path" style={{ flexBasis: '100%', color: CRITICAL }}>
            <Swatch color="transparent" outline />{' '}
            {t('progress.criticalLegend', {
              steps: critical.keys.length,
              time: formatSeconds(critical.seconds * 1000),
              path: critical.keys.join(' → '),
            })}
          </li>
        )}
      </ul>
    </Space>
  );
}

function Swatch({ color, dashed, outline }: { color: string; dashed?: boolean; outline?: boolean }) {
  return (
    <span
      aria-hidden
      style={{
        display: 'inline-block',
        width: 18,
        height: 10,
        verticalAlign: 'middle',
        background: color,
        borderRadius: 2,
        border: dashed ? '1px dashed #8c8c8c' : undefined,
        outline: outline ? `2px solid ${CRITICAL}` : undefined,
      }}
    />
  );
}
