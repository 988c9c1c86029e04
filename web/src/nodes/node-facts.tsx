// What a node advertises and what its agent found on the machine: capacity (`nvidia.com/gpu` and
// `nvidia.com/mig-*`), GPU labels, and the machine's OS, kernel, CPU and memory when reported.
import { Card, Col, Descriptions, Row, Space, Table, Tag, Typography } from 'antd';
import type { NodeView } from '../api/types.js';
import { useI18n } from '../i18n/locale.js';

export function NodeFacts({ node }: { node: NodeView }) {
  const { t } = useI18n();
  const capacity = Object.entries(node.capacity ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const labels = Object.entries(node.labels ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const m = node.node;
  return (
    <Row gutter={16} style={{ marginBottom: 24 }}>
      <Col xs={24} lg={10}>
        <Card size="small" title={t('nodes.capacity')} style={{ height: '100%' }}>
          <Table<[string, number]>
            aria-label={t('nodes.capacity')}
            size="small"
            pagination={false}
            rowKey={([k]) => k}
            dataSource={capacity}
            locale={{ emptyText: t('nodes.none') }}
            columns={[
              { title: t('nodes.resource'), key: 'k', render: (_v, [k]) => <code>{k}</code> },
              { title: t('nodes.quantity'), key: 'v', render: (_v, [, v]) => v },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}>
            {t('nodes.capacityHelp')}
          </Typography.Paragraph>
          {m && (
            <Descriptions size="small" column={1} style={{ marginTop: 12 }}>
              <Descriptions.Item label={t('nodes.os')}>{m.os.name ?? m.os.id ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('nodes.kernel')}>{m.kernel}</Descriptions.Item>
              <Descriptions.Item label={t('nodes.cpu')}>
                {m.cpu.count} × {m.cpu.model ?? '—'} ({m.architecture})
              </Descriptions.Item>
              <Descriptions.Item label={t('nodes.memory')}>
                {(m.memoryMiB / 1024).toFixed(1)} GiB
              </Descriptions.Item>
            </Descriptions>
          )}
          {node.heartbeatSeconds !== undefined && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('nodes.heartbeat')}: {t('nodes.seconds', { n: node.heartbeatSeconds })}
            </Typography.Text>
          )}
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        <Card size="small" title={t('nodes.labels')} style={{ height: '100%' }}>
          {labels.length === 0 ? (
            <Typography.Text type="secondary">{t('nodes.none')}</Typography.Text>
          ) : (
            <Space size={[4, 6]} wrap aria-label={t('nodes.labels')}>
              {labels.map(([k, v]) => (
                <Tag key={k} style={{ fontFamily: 'monospace', fontSize: 12 }}>
                  {k}={v}
                </Tag>
              ))}
            </Space>
          )}
        </Card>
      </Col>
    </Row>
  );
}
