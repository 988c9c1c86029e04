// Cluster detail: overview with version and deletion protection (M32), connection info and
// kubeconfig download (M63), live progress as a Gantt timeline (M67), nodes with readiness,
// resources (steps), events, delete (M64) and scale out with a node pool of another GPU type (M65).
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Tabs,
  Typography,
  message,
} from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useInstanceTypes } from '../api/catalogue.js';
import { ApiError, problemText } from '../api/client.js';
import { useCluster, useEvents, useKubeconfig, useNodes, useScaleOut, useTask } from '../api/clusters.js';
import type { ClusterView, EventView, NodeView, StepView } from '../api/types.js';
import { BUSY_STATES } from '../api/types.js';
import { useI18n } from '../i18n/locale.js';
import { StateWithProgress } from './cluster-state.js';
import { DeleteClusterButton, DeletionProtectionSwitch } from './delete-cluster.js';
import { failureText } from './failure.js';
import { NodeReadinessTag } from './node-readiness.js';
import { ProgressTimeline } from './progress-timeline.js';

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

function Connection({ cluster }: { cluster: ClusterView }) {
  const { t, locale } = useI18n();
  const [endpoint, setEndpoint] = useState<'internal' | 'public'>('internal');
  const [minutes, setMinutes] = useState(4320);
  const issue = useKubeconfig(cluster.id);
  const server = /server:\s*(\S+)/.exec(issue.data?.kubeconfig ?? '')?.[1];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Form layout="inline">
        <Form.Item label={t('detail.endpoint')}>
          <Radio.Group
            aria-label={t('detail.endpoint')}
            value={endpoint}
            onChange={(e) => setEndpoint(e.target.value as 'internal' | 'public')}
            options={[
              { value: 'internal', label: t('detail.endpointInternal') },
              { value: 'public', label: t('detail.endpointPublic') },
            ]}
          />
        </Form.Item>
        <Form.Item label={t('detail.validity')} htmlFor="kubeconfig-minutes">
          <Select
            id="kubeconfig-minutes"
            style={{ width: 140 }}
            value={minutes}
            onChange={setMinutes}
            options={[15, 60, 1440, 4320].map((m) => ({ value: m, label: t('detail.minutes', { n: m }) }))}
          />
        </Form.Item>
        <Button type="primary" loading={issue.isPending} onClick={() => issue.mutate({ endpoint, minutes })}>
          {t('detail.issueKubeconfig')}
        </Button>
      </Form>
      {issue.error && (
        <Alert
          type="error"
          showIcon
          message={issue.error instanceof ApiError ? issue.error.text(locale) : String(issue.error)}
        />
      )}
      {issue.data && (
        <>
          <Descriptions size="small" bordered column={1}>
            <Descriptions.Item label={t('detail.apiServer')}>{server ?? '—'}</Descriptions.Item>
          </Descriptions>
          <Input.TextArea
            aria-label="kubeconfig"
            readOnly
            rows={10}
            value={issue.data.kubeconfig}
            style={{ fontFamily: 'monospace' }}
          />
          <Button
            onClick={() =>
              download(`kubeconfig-${cluster.name}-${endpoint}.yaml`, issue.data?.kubeconfig ?? '')
            }
          >
            {t('detail.download')}
          </Button>
        </>
      )}
    </Space>
  );
}

function ScaleOut({ cluster, onDone }: { cluster: ClusterView; onDone: (taskId: string) => void }) {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('pool-2');
  const [types, setTypes] = useState<string[]>([]);
  const [count, setCount] = useState(1);
  const offers = useInstanceTypes(open ? cluster.regionId : '');
  const scale = useScaleOut(cluster.id);
  const err = scale.error instanceof ApiError ? scale.error : null;
  const at = (path: string) =>
    err?.problems
      .filter((p) => p.path === path || p.path.startsWith(`${path}.`))
      .map((p) => problemText(p, locale))
      .join(' ');
  return (
    <>
      <Button disabled={cluster.state !== 'running'} onClick={() => setOpen(true)}>
        {t('detail.scaleOut')}
      </Button>
      <Modal
        open={open}
        title={t('detail.scaleOut')}
        okText={t('detail.scaleOutOk')}
        cancelText={t('common.cancel')}
        confirmLoading={scale.isPending}
        onCancel={() => setOpen(false)}
        onOk={() =>
          scale.mutate(
            { name, instanceTypes: types, count },
            {
              onSuccess: (r) => {
                setOpen(false);
                onDone(r.taskId);
              },
            },
          )
        }
      >
        {err && err.problems.length === 0 && <Alert type="error" showIcon message={err.text(locale)} />}
        <Form layout="vertical">
          <Form.Item
            label={t('detail.poolName')}
            htmlFor="pool-name"
            validateStatus={at('name') ? 'error' : undefined}
            help={at('name')}
          >
            <Input id="pool-name" value={name} onChange={(e) => setName(e.target.value)} />
          </Form.Item>
          <Form.Item
            label={t('field.instanceTypes')}
            htmlFor="pool-types"
            validateStatus={at('instanceTypes') ? 'error' : undefined}
            help={at('instanceTypes')}
          >
            <Select<string[]>
              id="pool-types"
              mode="multiple"
              value={types}
              onChange={setTypes}
              options={(offers.data ?? []).map((o) => ({
                value: o.id,
                label: `${o.id} · ${o.accelerator.description}`,
              }))}
            />
          </Form.Item>
          <Form.Item
            label={t('field.count')}
            htmlFor="pool-count"
            validateStatus={at('count') ? 'error' : undefined}
            help={at('count')}
          >
            <InputNumber id="pool-count" min={1} max={100} value={count} onChange={(v) => setCount(v ?? 1)} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export function NodesTable({ clusterId, nodes }: { clusterId: string; nodes: readonly NodeView[] }) {
  const { t } = useI18n();
  return (
    <Table<NodeView>
      size="small"
      rowKey="step"
      pagination={false}
      dataSource={[...nodes]}
      columns={[
        {
          title: t('nodes.name'),
          key: 'name',
          render: (_v, n) => (
            <Link to={`/clusters/${clusterId}/nodes/${encodeURIComponent(n.step)}`}>
              {n.nodeName ?? n.step}
            </Link>
          ),
        },
        { title: t('nodes.instance'), dataIndex: 'instanceId', render: (v: string | null) => v ?? '—' },
        { title: t('nodes.ip'), dataIndex: 'privateIp', render: (v: string | null) => v ?? '—' },
        {
          title: t('nodes.gpus'),
          key: 'gpus',
          render: (_v, n) =>
            n.gpus.length
              ? `${n.gpus.length} × ${[...new Set(n.gpus.map((g) => g.product))].join(', ')}`
              : '—',
        },
        {
          title: t('nodes.state'),
          key: 'state',
          render: (_v, n) => <NodeReadinessTag node={n} />,
        },
        {
          title: t('clusters.actions'),
          key: 'actions',
          render: (_v, n) => (
            <Link to={`/clusters/${clusterId}/nodes/${encodeURIComponent(n.step)}`}>
              {t('clusters.detail')}
            </Link>
          ),
        },
      ]}
    />
  );
}

export default function ClusterDetailPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const { t, locale } = useI18n();
  const cluster = useCluster(id);
  const view = cluster.data;
  const live = view !== undefined && (BUSY_STATES as string[]).includes(view.state);
  const taskId = params.get('task') ?? view?.taskId ?? null;
  const task = useTask(taskId);
  const nodes = useNodes(id, live);
  const events = useEvents(id, live);
  const [toast, holder] = message.useMessage();
  const qc = useQueryClient();
  const state = view?.state;
  // A change of state (e.g. to running) may come after the last poll of nodes and events: read them again.
  useEffect(() => {
    if (state === undefined) return;
    void qc.invalidateQueries({ queryKey: ['nodes', id] });
    void qc.invalidateQueries({ queryKey: ['events', id] });
    void qc.invalidateQueries({ queryKey: ['task'] });
  }, [state, id, qc]);
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
  if (cluster.error)
    return (
      <Alert
        type="error"
        showIcon
        message={cluster.error instanceof ApiError ? cluster.error.text(locale) : String(cluster.error)}
      />
    );
  if (!view) return <Card loading />;
  return (
    <Card
      title={
        <Space>
          <Link to="/clusters">{t('nav.clusters')}</Link>/<span>{view.name}</span>
          <StateWithProgress view={view} />
        </Space>
      }
      extra={
        <Space>
          <ScaleOut cluster={view} onDone={(task) => setParams({ task })} />
          <DeleteClusterButton
            id={view.id}
            name={view.name}
            disabled={view.state === 'deleting' || view.state === 'deleted'}
            onDeleted={(task) => {
              setParams({ task });
              void toast.success(t('clusters.deleting', { name: view.name }));
            }}
          />
        </Space>
      }
    >
      {holder}
      <Tabs
        defaultActiveKey={live ? 'progress' : 'overview'}
        items={[
          {
            key: 'overview',
            label: t('detail.overview'),
            children: (
              <Descriptions bordered size="small" column={2}>
                <Descriptions.Item label={t('detail.id')}>{view.id}</Descriptions.Item>
                <Descriptions.Item label={t('field.regionId')}>{view.regionId}</Descriptions.Item>
                <Descriptions.Item label={t('clusters.state')}>
                  <StateWithProgress view={view} />
                </Descriptions.Item>
                <Descriptions.Item label={t('field.kubernetesVersion')}>
                  {view.kubernetesVersion ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('clusters.created')}>
                  {fmt.format(view.createdAt)}
                </Descriptions.Item>
                <Descriptions.Item label={t('detail.updated')}>
                  {fmt.format(view.updatedAt)}
                </Descriptions.Item>
                <Descriptions.Item label={t('clusters.nodes')}>
                  {nodes.data?.items.length ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('clusters.gpus')}>
                  {nodes.data ? nodes.data.items.reduce((n, x) => n + x.gpus.length, 0) : '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('field.deletionProtection')} span={2}>
                  {view.deletionProtection === undefined ? (
                    '—'
                  ) : (
                    <DeletionProtectionSwitch
                      id={view.id}
                      name={view.name}
                      on={view.deletionProtection}
                      disabled={view.state === 'deleting' || view.state === 'deleted'}
                    />
                  )}
                </Descriptions.Item>
                {view.error && (
                  <Descriptions.Item label={t('detail.error')} span={2}>
                    <Typography.Text type="danger">{failureText(view.error, locale)}</Typography.Text>
                  </Descriptions.Item>
                )}
              </Descriptions>
            ),
          },
          { key: 'connection', label: t('detail.connection'), children: <Connection cluster={view} /> },
          {
            key: 'progress',
            label: t('detail.progress'),
            children: (
              <ProgressTimeline
                task={task.data}
                steps={view.steps}
                criticalPath={view.criticalPath}
                now={Math.max(cluster.dataUpdatedAt, task.dataUpdatedAt)}
              />
            ),
          },
          {
            key: 'nodes',
            label: t('detail.nodes'),
            children: <NodesTable clusterId={view.id} nodes={nodes.data?.items ?? []} />,
          },
          {
            key: 'resources',
            label: t('detail.resources'),
            children: (
              <Table<StepView>
                size="small"
                rowKey="key"
                pagination={{ pageSize: 50, hideOnSinglePage: true }}
                dataSource={[...view.steps]}
                columns={[
                  { title: t('detail.step'), dataIndex: 'key' },
                  { title: t('detail.kind'), dataIndex: 'kind' },
                  { title: t('clusters.state'), dataIndex: 'state' },
                  {
                    title: t('detail.waitingFor'),
                    dataIndex: 'waitingFor',
                    render: (v: string | null) => v ?? '',
                  },
                  { title: t('detail.error'), key: 'error', render: (_v, s) => failureText(s.error, locale) },
                ]}
              />
            ),
          },
          {
            key: 'events',
            label: t('detail.events'),
            children: (
              <Table<EventView>
                size="small"
                rowKey="id"
                pagination={{ pageSize: 50, hideOnSinglePage: true }}
                dataSource={[...(events.data?.items ?? [])].reverse()}
                columns={[
                  { title: t('detail.time'), dataIndex: 'at', render: (at: number) => fmt.format(at) },
                  { title: t('detail.eventType'), dataIndex: 'type' },
                  { title: t('detail.step'), dataIndex: 'step', render: (v: string | null) => v ?? '' },
                  {
                    title: t('detail.data'),
                    dataIndex: 'data',
                    render: (d: unknown) => (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {JSON.stringify(d)}
                      </Typography.Text>
                    ),
                  },
                ]}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}
