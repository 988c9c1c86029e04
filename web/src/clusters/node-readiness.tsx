// A node's readiness as its heartbeats decide it (Ready, NotReady, Unknown) with the reason and when
// it last reported; for an older server without readiness, registered or not is all there is.
import { Space, Tag, Tooltip, Typography } from 'antd';
import type { NodeView } from '../api/types.js';
import { useI18n } from '../i18n/locale.js';
import type { TextKey } from '../i18n/texts.js';
import { formatSeconds } from './format.js';

const COLOR = { Ready: 'success', NotReady: 'error', Unknown: 'default' } as const;

/** "12s ago" from epoch ms, against the latest poll's clock. */
export function useSince() {
  const { t } = useI18n();
  return (at: number | null | undefined, now: number) =>
    at ? t('nodes.ago', { time: formatSeconds(Math.max(0, now - at)) }) : t('nodes.never');
}

export function NodeReadinessTag({ node, now, detail }: { node: NodeView; now?: number; detail?: boolean }) {
  const { t } = useI18n();
  const since = useSince();
  if (!node.status) return <Tag>{node.registeredAt ? t('nodes.ready') : t('nodes.notReady')}</Tag>;
  const reason = node.statusReason ? t(`nodes.reason.${node.statusReason}` as TextKey) : '';
  const seen = `${t('nodes.lastSeen')}: ${since(node.lastSeenAt, now ?? Date.now())}`;
  const tag = (
    <Tag color={COLOR[node.status]} data-status={node.status}>
      {t(`nodes.status.${node.status}` as TextKey)}
    </Tag>
  );
  if (!detail)
    return (
      <Tooltip title={`${reason} · ${seen}`}>
        <span aria-label={`${t(`nodes.status.${node.status}` as TextKey)}: ${reason}`}>{tag}</span>
      </Tooltip>
    );
  return (
    <Space size={4} wrap>
      {tag}
      <Typography.Text type="secondary">
        {reason} · {seen}
      </Typography.Text>
    </Space>
  );
}
