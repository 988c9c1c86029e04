// Cluster list (M62): name, state with progress, region, version, nodes, GPUs and creation time,
// with actions to open or delete a cluster and a button to the creation wizard. The list's own
// fields say enough; a row asks for more only while its cluster is changing (for the progress
// bar) or when an older server leaves the version or the counts out.
import { Alert, Button, Card, Space, Table, Typography, message } from 'antd';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../api/client.js';
import { useCluster, useClusters, useNodes } from '../api/clusters.js';
import type { ClusterSummary } from '../api/types.js';
import { BUSY_STATES } from '../api/types.js';
import { useI18n } from '../i18n/locale.js';
import { StateTag, StateWithProgress } from './cluster-state.js';
import { DeleteClusterButton } from './delete-cluster.js';

const isBusy = (c: ClusterSummary) => (BUSY_STATES as string[]).includes(c.state);

function StateCell({ c }: { c: ClusterSummary }) {
  const view = useCluster(c.id, isBusy(c));
  if (!isBusy(c) || !view.data) return <StateTag state={c.state} />;
  return <StateWithProgress view={view.data} />;
}

function VersionCell({ c }: { c: ClusterSummary }) {
  const view = useCluster(c.id, c.kubernetesVersion === undefined);
  return <>{c.kubernetesVersion ?? view.data?.kubernetesVersion ?? '—'}</>;
}

function NodesCell({ c, gpus }: { c: ClusterSummary; gpus: boolean }) {
  const listed = gpus ? c.gpuCount : c.nodeCount;
  const nodes = useNodes(c.id, isBusy(c), listed === undefined);
  if (listed !== undefined) return <>{listed}</>;
  const items = nodes.data?.items ?? [];
  const value = gpus ? items.reduce((n, i) => n + i.gpus.length, 0) : items.length;
  return <>{nodes.data ? value : '—'}</>;
}

export default function ClusterListPage() {
  const { t, locale } = useI18n();
  const clusters = useClusters();
  const navigate = useNavigate();
  const [toast, holder] = message.useMessage();
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <Card
      title={t('clusters.title')}
      extra={
        <Button type="primary" onClick={() => void navigate('/clusters/new')}>
          {t('clusters.create')}
        </Button>
      }
    >
      {holder}
      {clusters.error && (
        <Alert
          type="error"
          showIcon
          message={clusters.error instanceof ApiError ? clusters.error.text(locale) : String(clusters.error)}
        />
      )}
      <Table<ClusterSummary>
        rowKey="id"
        loading={clusters.isPending}
        dataSource={clusters.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('clusters.empty') }}
        columns={[
          {
            title: t('clusters.name'),
            dataIndex: 'name',
            render: (name: string, c) => (
              <Space direction="vertical" size={0}>
                <Link to={`/clusters/${c.id}`}>{name}</Link>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {c.id}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('clusters.state'), key: 'state', render: (_v, c) => <StateCell c={c} /> },
          { title: t('field.regionId'), dataIndex: 'regionId' },
          { title: t('field.kubernetesVersion'), key: 'version', render: (_v, c) => <VersionCell c={c} /> },
          { title: t('clusters.nodes'), key: 'nodes', render: (_v, c) => <NodesCell c={c} gpus={false} /> },
          { title: t('clusters.gpus'), key: 'gpus', render: (_v, c) => <NodesCell c={c} gpus /> },
          { title: t('clusters.created'), dataIndex: 'createdAt', render: (at: number) => fmt.format(at) },
          {
            title: t('clusters.actions'),
            key: 'actions',
            render: (_v, c) => (
              <Space>
                <Link to={`/clusters/${c.id}`}>{t('clusters.detail')}</Link>
                <DeleteClusterButton
                  id={c.id}
                  name={c.name}
                  link
                  disabled={c.state === 'deleting'}
                  onDeleted={() => void toast.success(t('clusters.deleting', { name: c.name }))}
                />
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
