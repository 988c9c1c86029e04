// Node detail (M62): the node's identity and readiness (with reason and last report), capacity
// (`nvidia.com/gpu`, MIG devices), labels, driver and CUDA versions, a GPU discovery error, and each
// GPU mounted on it as its agent reported it: model, UUID, memory, PCI bus, MIG, health.
import { Alert, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import type { GpuDevice } from '../../../src/domain/index.js';
import { ApiError } from '../api/client.js';
import { useCluster, useNodes } from '../api/clusters.js';
import { NodeReadinessTag } from '../clusters/node-readiness.js';
import { useI18n } from '../i18n/locale.js';
import type { TextKey } from '../i18n/texts.js';
import { NodeFacts } from './node-facts.js';

const HEALTH_COLOR = { ok: 'green', degraded: 'red', unknown: 'default' } as const;

function gib(mib: number | null): string {
  return mib === null ? '—' : `${(mib / 1024).toFixed(mib % 1024 === 0 ? 0 : 1)} GiB`;
}

export default function NodeDetailPage() {
  const { id = '', node = '' } = useParams();
  const { t, locale } = useI18n();
  const cluster = useCluster(id);
  const nodes = useNodes(id, 'heartbeat');
  const n = nodes.data?.items.find((x) => x.step === node || x.instanceId === node);
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
  if (nodes.error)
    return (
      <Alert
        type="error"
        showIcon
        message={nodes.error instanceof ApiError ? nodes.error.text(locale) : String(nodes.error)}
      />
    );
  if (!nodes.data) return <Card loading />;
  if (!n) return <Alert type="warning" showIcon message={t('nodes.notFound')} />;
  return (
    <Card
      title={
        <Space>
          <Link to="/clusters">{t('nav.clusters')}</Link>/
          <Link to={`/clusters/${id}`}>{cluster.data?.name ?? id}</Link>/<span>{n.nodeName ?? n.step}</span>
        </Space>
      }
    >
      <Descriptions bordered size="small" column={2} style={{ marginBottom: 24 }}>
        <Descriptions.Item label={t('nodes.name')}>{n.nodeName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('nodes.instance')}>{n.instanceId ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('nodes.ip')}>{n.privateIp ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('nodes.registered')}>
          {n.registeredAt ? fmt.format(n.registeredAt) : t('nodes.notReady')}
        </Descriptions.Item>
        <Descriptions.Item label={t('nodes.gpus')}>{n.gpus.length}</Descriptions.Item>
        <Descriptions.Item label={t('detail.step')}>{n.step}</Descriptions.Item>
        <Descriptions.Item label={t('nodes.readiness')} span={2}>
          <NodeReadinessTag node={n} now={nodes.dataUpdatedAt} detail />
        </Descriptions.Item>
        {n.driverVersion !== undefined && (
          <Descriptions.Item label={t('nodes.driver')}>{n.driverVersion ?? '—'}</Descriptions.Item>
        )}
        {n.cudaVersion !== undefined && (
          <Descriptions.Item label={t('nodes.cuda')}>{n.cudaVersion ?? '—'}</Descriptions.Item>
        )}
      </Descriptions>
      {n.gpuError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 24 }}
          message={t('nodes.gpuError')}
          description={
            <Typography.Text>
              <code>{n.gpuError.code}</code> {n.gpuError.message}
            </Typography.Text>
          }
        />
      )}
      <NodeFacts node={n} />
      <Table<GpuDevice>
        aria-label={t('nodes.gpuTable')}
        title={() => t('nodes.gpuTable')}
        size="small"
        rowKey="uuid"
        pagination={false}
        dataSource={[...n.gpus]}
        expandable={{
          rowExpandable: (g) => g.migDevices.length > 0,
          expandedRowRender: (g) => (
            <Table
              size="small"
              rowKey="index"
              pagination={false}
              dataSource={[...g.migDevices]}
              columns={[
                { title: '#', dataIndex: 'index' },
                { title: t('gpu.migProfile'), dataIndex: 'profile', render: (v: string | null) => v ?? '—' },
                { title: 'UUID', dataIndex: 'uuid', render: (v: string | null) => v ?? '—' },
                { title: t('gpu.memory'), dataIndex: 'memoryTotalMiB', render: (v: number | null) => gib(v) },
              ]}
            />
          ),
        }}
        columns={[
          { title: '#', dataIndex: 'index' },
          { title: t('gpu.model'), dataIndex: 'product' },
          { title: 'UUID', dataIndex: 'uuid', render: (v: string) => <code>{v}</code> },
          { title: t('gpu.memory'), dataIndex: 'memoryTotalMiB', render: (v: number) => gib(v) },
          { title: t('gpu.pciBus'), dataIndex: 'pciBusId', render: (v: string) => <code>{v}</code> },
          {
            title: t('gpu.mig'),
            key: 'mig',
            render: (_v, g) =>
              g.migMode === null
                ? t('gpu.migUnsupported')
                : `${t(`gpu.mig.${g.migMode}` as TextKey)}${g.migDevices.length ? ` (${g.migDevices.length})` : ''}`,
          },
          {
            title: t('gpu.health'),
            key: 'health',
            render: (_v, g) => (
              <Space size={4} wrap>
                <Tag color={HEALTH_COLOR[g.health]}>{t(`gpu.health.${g.health}` as TextKey)}</Tag>
                {g.healthReasons.map((r) => (
                  <Tag key={r} color="red">
                    {r}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('gpu.temperature'),
            dataIndex: 'temperatureC',
            render: (v: number | null) => (v === null ? '—' : `${v} °C`),
          },
          {
            title: t('gpu.utilization'),
            dataIndex: 'utilizationGpuPct',
            render: (v: number | null) => (v === null ? '—' : `${v} %`),
          },
        ]}
      />
    </Card>
  );
}
