// Step 4, 确认配置 (M61, M66): the whole configuration to review, what the dry run will create
// (resources by kind, the critical path's estimated time), quota headroom, any refusal, the
// estimated cost, and the service agreement that must be accepted before "create".
import { Alert, Card, Checkbox, Descriptions, Space, Table, Tag, Typography } from 'antd';
import {
  criticalPath,
  renderProblem,
  type ClusterSpec,
  type CostItem,
  type QuotaHeadroom,
} from '../../../src/domain/index.js';
import type { DryRun } from '../api/types.js';
import { useI18n } from '../i18n/locale.js';
import type { TextKey } from '../i18n/texts.js';

type T = (k: TextKey, p?: Record<string, string | number>) => string;

const yes = (t: T, v: boolean) => (v ? t('common.yes') : t('common.no'));

/** The review rows of each step, in the wizard's order. */
export function summary(d: ClusterSpec, t: T): { step: TextKey; rows: [TextKey, string][] }[] {
  const net = d.network;
  const wk = d.workers;
  const inst = wk.instances;
  const c = d.components;
  const disk = (x: { category: string; sizeGiB: number; performanceLevel: string | null }) =>
    `${t(`opt.disk.${x.category}` as TextKey)} ${x.sizeGiB} GiB${x.performanceLevel ? ` ${x.performanceLevel}` : ''}`;
  return [
    {
      step: 'wizard.step.cluster',
      rows: [
        ['field.name', d.name],
        ['field.edition', t(`opt.${d.edition}` as TextKey)],
        ['field.regionId', d.regionId],
        ['field.kubernetesVersion', d.kubernetesVersion],
        ['field.runtime', d.runtime],
        [
          'field.vpc',
          net.vpc.mode === 'create'
            ? `${t('opt.vpcCreate')} ${net.vpc.cidr}`
            : `${net.vpc.vpcId} (${net.vpc.kind})`,
        ],
        [
          'field.vswitches',
          net.vswitches.map((v) => (v.mode === 'create' ? `${v.zoneId} ${v.cidr}` : v.vswitchId)).join('; '),
        ],
        ['field.plugin', net.plugin === 'flannel' ? 'Flannel' : `Terway (${net.terwayMode ?? ''})`],
        ...(net.plugin === 'flannel'
          ? ([
              ['field.nodeIpCount', String(net.nodeIpCount ?? '')],
              ['field.podCidr', net.podCidr ?? ''],
            ] as [TextKey, string][])
          : []),
        ['field.serviceCidr', net.serviceCidr],
        ['field.snat', yes(t, net.snat)],
        ['field.apiServer', `${net.apiServer.slbSpec}${net.apiServer.publicAccess ? ` + EIP` : ''}`],
        ['field.sshPublicAccess', yes(t, net.sshPublicAccess)],
        ['field.rds', net.rdsInstanceIds.join(', ') || '—'],
        [
          'field.securityGroup',
          net.securityGroup.mode === 'create'
            ? t(`opt.sg${net.securityGroup.type === 'normal' ? 'Normal' : 'Enterprise'}`)
            : net.securityGroup.securityGroupId,
        ],
        ['field.deletionProtection', yes(t, d.deletionProtection)],
        ['field.timeZone', d.timeZone],
        ['field.kubeProxyMode', d.kubeProxyMode],
        ['field.tags', d.tags.map((x) => (x.value ? `${x.key}=${x.value}` : x.key)).join(', ') || '—'],
        ['field.clusterDomain', d.clusterDomain],
        ['field.certSans', d.certSans.join(', ') || '—'],
        ['field.saProjection', yes(t, d.serviceAccountTokenProjection.enabled)],
        ['field.secretEncryption', d.secretEncryption?.kmsKeyId ?? t('common.no')],
      ],
    },
    {
      step: 'wizard.step.workers',
      rows: [
        ...(inst.mode === 'create'
          ? ([
              [
                'field.billing',
                inst.billing.type === 'subscription'
                  ? `${t('opt.subscription')} ${inst.billing.period} ${inst.billing.periodUnit}${inst.billing.autoRenew ? ` · ${t('opt.autoRenew')}` : ''}`
                  : t('opt.payg'),
              ],
              ['field.instanceTypes', inst.instanceTypes.join(', ')],
              ['field.count', String(inst.count)],
              ['field.systemDisk', disk(inst.systemDisk)],
              ['field.dataDisks', inst.dataDisks.map(disk).join('; ') || '—'],
            ] as [TextKey, string][])
          : ([['field.instanceIds', inst.instanceIds.join(', ')]] as [TextKey, string][])),
        [
          'field.os',
          `${wk.os === 'centos-7' ? 'CentOS 7.x' : 'Alibaba Cloud Linux 2.x'} · ${t(`opt.hardening.${wk.hardening}` as TextKey)}`,
        ],
        [
          'field.login',
          wk.login.type === 'key-pair'
            ? `${t('opt.loginKey')}: ${wk.login.keyPair.name}`
            : t('opt.loginPassword'),
        ],
        ['field.instanceProtection', yes(t, wk.instanceProtection)],
        ['field.customImage', wk.customImageId ?? '—'],
        [
          'field.nodeName',
          wk.nodeName ? `${wk.nodeName.prefix} + ${wk.nodeName.ipDigits} + ${wk.nodeName.suffix}` : '—',
        ],
        ['field.cpuPolicy', wk.cpuPolicy],
        ['field.taints', wk.taints.map((x) => `${x.key}=${x.value}:${x.effect}`).join(', ') || '—'],
      ],
    },
    {
      step: 'wizard.step.components',
      rows: [
        ['field.ingress', yes(t, c.ingress.enabled)],
        ['field.storagePlugin', c.storagePlugin.toUpperCase()],
        ['field.monitoring', yes(t, c.monitoring.cloudMonitorAgent)],
        ['field.prometheus', yes(t, c.monitoring.prometheus)],
        ['field.alerting', yes(t, c.alerting.defaultRules)],
        [
          'field.logService',
          c.logService.enabled
            ? c.logService.project.mode === 'existing'
              ? c.logService.project.name
              : t('opt.projectCreate')
            : t('common.no'),
        ],
        [
          'field.controlPlaneLogs',
          c.controlPlaneLogs.enabled ? c.controlPlaneLogs.components.join(', ') : t('common.no'),
        ],
        ['field.workflowEngine', yes(t, c.workflowEngine)],
      ],
    },
  ];
}

export function StepConfirm({
  draft,
  dryRun,
  agreed,
  onAgree,
}: {
  draft: ClusterSpec;
  dryRun: DryRun | null;
  agreed: boolean;
  onAgree: (v: boolean) => void;
}) {
  const { t, locale } = useI18n();
  const kinds = new Map<string, number>();
  for (const s of dryRun?.plan.steps ?? []) kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
  const path = dryRun ? criticalPath(dryRun.plan) : null;
  const cost = dryRun?.estimatedCost;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      {summary(draft, t).map((s) => (
        <Descriptions key={s.step} title={t(s.step)} bordered size="small" column={2}>
          {s.rows.map(([k, v]) => (
            <Descriptions.Item key={k} label={t(k)}>
              {v}
            </Descriptions.Item>
          ))}
        </Descriptions>
      ))}
      {dryRun && (
        <Card size="small" title={t('confirm.resources')}>
          {path && (
            <Typography.Paragraph>
              {t('confirm.duration', {
                minutes: Math.max(1, Math.round(path.seconds / 60)),
                steps: dryRun.plan.steps.length,
              })}
            </Typography.Paragraph>
          )}
          <Space wrap>
            {[...kinds].map(([kind, n]) => (
              <Tag key={kind}>
                {kind} × {n}
              </Tag>
            ))}
          </Space>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('confirm.cost')}
          </Typography.Title>
          <Typography.Paragraph data-testid="estimated-cost">
            {cost
              ? t('confirm.costValue', {
                  hourly: cost.hourlyCny.toFixed(2),
                  monthly: cost.monthlyCny.toFixed(2),
                  currency: cost.currency,
                })
              : t('confirm.costUnknown')}
          </Typography.Paragraph>
          {cost && (
            <Table<CostItem>
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={[...cost.items]}
              columns={[
                { title: t('confirm.costItem'), dataIndex: 'what' },
                { title: t('detail.step'), dataIndex: 'key' },
                {
                  title: t('confirm.monthly'),
                  dataIndex: 'monthlyCny',
                  render: (n: number) => `${n.toFixed(2)} ${cost.currency}`,
                },
              ]}
            />
          )}
          {cost && cost.excluded.length > 0 && (
            <Typography.Paragraph type="secondary">
              {t('confirm.excluded', { what: cost.excluded.join(', ') })}
            </Typography.Paragraph>
          )}
          <Typography.Title level={5}>{t('confirm.quotas')}</Typography.Title>
          <Table<QuotaHeadroom>
            size="small"
            rowKey="quota"
            pagination={false}
            dataSource={dryRun.quotaHeadroom.filter((q) => q.requested > 0)}
            columns={[
              { title: t('confirm.quota'), dataIndex: 'quota' },
              { title: t('confirm.limit'), dataIndex: 'limit' },
              { title: t('confirm.used'), dataIndex: 'used' },
              { title: t('confirm.requested'), dataIndex: 'requested' },
              {
                title: t('confirm.remaining'),
                dataIndex: 'remaining',
                render: (r: number) => <Tag color={r < 0 ? 'red' : 'green'}>{r}</Tag>,
              },
            ]}
          />
          {dryRun.refused.map((p, i) => (
            <Alert
              key={i}
              type="error"
              showIcon
              style={{ marginTop: 8 }}
              message={renderProblem(p, locale)}
            />
          ))}
        </Card>
      )}
      <Checkbox checked={agreed} onChange={(e) => onAgree(e.target.checked)}>
        {t('confirm.agreement')}
      </Checkbox>
    </Space>
  );
}
