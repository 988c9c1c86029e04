// A cluster's state as a coloured tag, and its progress from the state of its steps (M9): the
// share of steps done while creating or scaling, released while deleting.
import { Progress, Space, Tag } from 'antd';
import type { ClusterState, ClusterView } from '../api/types.js';
import { BUSY_STATES } from '../api/types.js';
import { useI18n } from '../i18n/locale.js';
import type { TextKey } from '../i18n/texts.js';

const COLOR: Record<ClusterState, string> = {
  initial: 'processing',
  running: 'success',
  rollback: 'warning',
  failed: 'error',
  deleting: 'processing',
  deleted: 'default',
  delete_failed: 'error',
  scaling: 'processing',
  scale_rollback: 'warning',
};

export function StateTag({ state }: { state: ClusterState }) {
  const { t } = useI18n();
  return <Tag color={COLOR[state] ?? 'default'}>{t(`state.${state}` as TextKey)}</Tag>;
}

/** Percent of the cluster's steps finished in the direction it is moving. */
export function progressOf(view: Pick<ClusterView, 'state' | 'steps'>): number {
  const steps = view.steps;
  if (steps.length === 0) return 0;
  const goal = view.state === 'deleting' || view.state === 'rollback' ? 'released' : 'done';
  const finished = steps.filter(
    (s) => s.state === goal || (goal === 'released' && s.state === 'pending'),
  ).length;
  return Math.round((finished / steps.length) * 100);
}

export function StateWithProgress({ view }: { view: Pick<ClusterView, 'state' | 'steps'> }) {
  const busy = (BUSY_STATES as string[]).includes(view.state);
  return (
    <Space size="small">
      <StateTag state={view.state} />
      {busy && <Progress percent={progressOf(view)} size="small" style={{ width: 100, margin: 0 }} />}
    </Space>
  );
}
