// Step 1, 集群配置 (M15–M39): name, edition, region, version and runtime, VPC and vSwitches, the
// network plugin with the CIDR recommendation and capacity (M24), SNAT, API server exposure, RDS,
// security group, deletion protection, and the advanced options.
import { Alert, Button, Divider, Form, Input, Select, Space, Typography } from 'antd';
import {
  CLUSTER_EDITIONS,
  flannelCapacity,
  KUBE_PROXY_MODES,
  NODE_IP_COUNTS,
  recommendNetwork,
  runtimesFor,
  serviceCapacity,
  SLB_SPECS,
  SPEC_LIMITS,
  type ClusterSpec,
  type TakenCidr,
} from '../../../src/domain/index.js';
import { useRegions, useSecurityGroups, useVersions, useVpcs, useVSwitches } from '../api/catalogue.js';
import { useI18n } from '../i18n/locale.js';
import type { TextKey } from '../i18n/texts.js';
import { CheckField, Field, FieldGroup, RadioField, SelectField, TagsField, TextField } from './controls.js';
import { useWizard } from './wizard-context.js';

const TIME_ZONES: readonly string[] = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    return ['Asia/Shanghai', 'UTC'];
  }
})();

function VSwitches() {
  const { t } = useI18n();
  const w = useWizard();
  const net = w.draft.network;
  const regions = useRegions();
  const zones = regions.data?.find((r) => r.regionId === w.draft.regionId)?.zones ?? [];
  const vpcId = net.vpc.mode === 'existing' ? net.vpc.vpcId : null;
  const vswitches = useVSwitches(w.draft.regionId, vpcId);
  if (net.vpc.mode === 'existing') {
    const chosen = net.vswitches.flatMap((v) => (v.mode === 'existing' ? [v.vswitchId] : []));
    return (
      <Field path="network.vswitches" label="field.vswitches" help="help.vswitches" required>
        {(id) => (
          <Select<string[]>
            id={id}
            mode="multiple"
            maxCount={SPEC_LIMITS.vswitchesMax}
            style={{ maxWidth: 480 }}
            loading={vswitches.isPending}
            value={chosen}
            onChange={(ids) =>
              w.set(
                'network.vswitches',
                ids.map((vswitchId) => ({ mode: 'existing', vswitchId })),
              )
            }
            options={(vswitches.data ?? []).map((v) => ({
              value: v.id,
              label: `${v.name || v.id} · ${v.zoneId} · ${v.cidr} · ${t('wizard.freeIps', { n: v.availableIpCount })}`,
            }))}
          />
        )}
      </Field>
    );
  }
  return (
    <Form.Item label={t('field.vswitches')} required extra={t('help.vswitches')}>
      <FieldGroup label={t('field.vswitches')}>
        {net.vswitches.map((v, i) =>
          v.mode === 'create' ? (
            <Space key={i} align="start" wrap>
              <Field path={`network.vswitches[${i}].zoneId`} label="field.zone">
                {(id) => (
                  <Select<string>
                    id={id}
                    style={{ width: 200 }}
                    value={v.zoneId || undefined}
                    onChange={(z) => w.set(`network.vswitches[${i}].zoneId`, z)}
                    options={zones.map((z) => ({ value: z, label: z }))}
                  />
                )}
              </Field>
              <TextField path={`network.vswitches[${i}].cidr`} label="field.vswitchCidr" />
              {net.vswitches.length > 1 && (
                <Button
                  onClick={() =>
                    w.set(
                      'network.vswitches',
                      net.vswitches.filter((_x, j) => j !== i),
                    )
                  }
                >
                  {t('common.remove')}
                </Button>
              )}
            </Space>
          ) : null,
        )}
        <Field path="network.vswitches" label="field.vswitchList">
          {() =>
            net.vswitches.length < SPEC_LIMITS.vswitchesMax ? (
              <Button
                onClick={() => {
                  const used = new Set(net.vswitches.map((x) => (x.mode === 'create' ? x.zoneId : '')));
                  const zoneId = zones.find((z) => !used.has(z)) ?? zones[0] ?? '';
                  w.set('network.vswitches', [
                    ...net.vswitches,
                    { mode: 'create', zoneId, cidr: `192.168.${net.vswitches.length}.0/24` },
                  ]);
                }}
              >
                {t('wizard.addVswitch')}
              </Button>
            ) : (
              <Typography.Text type="secondary">{t('wizard.vswitchMax')}</Typography.Text>
            )
          }
        </Field>
      </FieldGroup>
    </Form.Item>
  );
}

/** M24: the recommended Pod and Service CIDRs for this VPC, and how many hosts and pods fit. */
function Recommendation({ takenFromVpc, vpcCidr }: { takenFromVpc: readonly TakenCidr[]; vpcCidr?: string }) {
  const { t } = useI18n();
  const w = useWizard();
  const net = w.draft.network;
  const taken: TakenCidr[] = [
    ...takenFromVpc,
    ...net.vswitches.flatMap((v, i) =>
      v.mode === 'create' ? [{ cidr: v.cidr, label: `vSwitch ${i}` }] : [],
    ),
  ];
  const rec = recommendNetwork({ vpcCidr, taken, nodeIpCount: net.nodeIpCount ?? 64, plugin: net.plugin });
  if (!rec) return <Alert type="warning" showIcon message={t('wizard.noRecommendation')} />;
  const text =
    net.plugin === 'flannel'
      ? t('wizard.recommendFlannel', {
          pod: rec.podCidr ?? '',
          service: rec.serviceCidr,
          hosts: rec.maxNodes ?? 0,
          pods: rec.podsPerNode ?? 0,
        })
      : t('wizard.recommendTerway', { service: rec.serviceCidr });
  return (
    <Alert
      type="info"
      showIcon
      message={text}
      action={
        <Button
          size="small"
          onClick={() =>
            w.update(
              (d) => ({
                ...d,
                network: {
                  ...d.network,
                  serviceCidr: rec.serviceCidr,
                  podCidr: rec.podCidr ?? d.network.podCidr,
                },
              }),
              'network.podCidr',
            )
          }
        >
          {t('wizard.useRecommendation')}
        </Button>
      }
    />
  );
}

function NetworkPlugin() {
  const { t } = useI18n();
  const w = useWizard();
  const net = w.draft.network;
  const vpcId = net.vpc.mode === 'existing' ? net.vpc.vpcId : null;
  const vpcs = useVpcs(w.draft.regionId);
  const vswitches = useVSwitches(w.draft.regionId, vpcId);
  const vpcCidr = net.vpc.mode === 'create' ? net.vpc.cidr : vpcs.data?.find((v) => v.id === vpcId)?.cidr;
  const takenFromVpc = (vswitches.data ?? []).map((v) => ({ cidr: v.cidr, label: `vSwitch ${v.id}` }));
  const capacity =
    net.plugin === 'flannel' && net.podCidr ? flannelCapacity(net.podCidr, net.nodeIpCount ?? 0) : null;
  const services = serviceCapacity(net.serviceCidr);
  const setPlugin = (plugin: 'flannel' | 'terway') =>
    w.update(
      (d) => ({
        ...d,
        network: {
          ...d.network,
          plugin,
          nodeIpCount: plugin === 'flannel' ? 64 : null,
          podCidr: plugin === 'flannel' ? (d.network.podCidr ?? '172.20.0.0/16') : null,
          terwayMode: plugin === 'terway' ? 'shared-eni' : null,
        },
      }),
      'network.plugin',
    );
  return (
    <>
      <RadioField
        path="network.plugin"
        label="field.plugin"
        help={<span style={{ whiteSpace: 'pre-line' }}>{t('help.plugin')}</span>}
        choices={[
          { value: 'flannel', label: { text: 'Flannel' } },
          { value: 'terway', label: { text: 'Terway' } },
        ]}
        onChange={setPlugin}
      />
      {net.plugin === 'flannel' ? (
        <>
          <SelectField
            path="network.nodeIpCount"
            label="field.nodeIpCount"
            help="help.nodeIpCount"
            choices={NODE_IP_COUNTS.map((n) => ({ value: n, label: { text: String(n) } }))}
          />
          <TextField
            path="network.podCidr"
            label="field.podCidr"
            help={
              <>
                <div>{t('help.podCidr')}</div>
                {capacity && (
                  <Typography.Text type="success">
                    {t('wizard.capacity', { hosts: capacity.maxNodes, pods: capacity.podsPerNode })}
                  </Typography.Text>
                )}
              </>
            }
          />
        </>
      ) : (
        <CheckField
          path="network.terwayMode"
          label="field.terwayMode"
          text="opt.exclusiveEni"
          help="help.terwayMode"
          value={net.terwayMode === 'exclusive-eni'}
          onChange={(on) => w.set('network.terwayMode', on ? 'exclusive-eni' : 'shared-eni')}
        />
      )}
      <TextField
        path="network.serviceCidr"
        label="field.serviceCidr"
        help={
          <>
            <div>{t('help.serviceCidr')}</div>
            {services !== null && (
              <Typography.Text type="success">{t('wizard.services', { n: services })}</Typography.Text>
            )}
          </>
        }
      />
      <Form.Item wrapperCol={{ offset: 5, span: 16 }}>
        <Recommendation takenFromVpc={takenFromVpc} vpcCidr={vpcCidr} />
      </Form.Item>
    </>
  );
}

function Vpc() {
  const w = useWizard();
  const net = w.draft.network;
  const vpcs = useVpcs(w.draft.regionId);
  const setMode = (mode: 'create' | 'existing') =>
    w.update(
      (d) => ({
        ...d,
        network: {
          ...d.network,
          vpc: mode === 'create' ? { mode, cidr: '192.168.0.0/16' } : { mode, vpcId: '', kind: 'normal' },
          vswitches:
            mode === 'create'
              ? [
                  {
                    mode: 'create',
                    zoneId: d.network.vswitches[0]?.mode === 'create' ? d.network.vswitches[0].zoneId : '',
                    cidr: '192.168.0.0/24',
                  },
                ]
              : [],
          securityGroup: mode === 'create' ? { mode: 'create', type: 'normal' } : d.network.securityGroup,
        },
      }),
      'network.vpc',
    );
  return (
    <>
      <RadioField
        path="network.vpc"
        label="field.vpc"
        help="help.vpc"
        value={net.vpc.mode}
        onChange={setMode}
        choices={[
          { value: 'create', label: 'opt.vpcCreate' },
          { value: 'existing', label: 'opt.vpcExisting' },
        ]}
      />
      {net.vpc.mode === 'create' ? (
        <TextField path="network.vpc.cidr" label="field.vpcCidr" />
      ) : (
        <>
          <SelectField
            path="network.vpc.vpcId"
            label="field.vpcId"
            loading={vpcs.isPending}
            choices={(vpcs.data ?? []).map((v) => ({
              value: v.id,
              label: { text: `${v.name || v.id} (${v.cidr})` },
            }))}
            onChange={(id) =>
              w.update(
                (d) => ({
                  ...d,
                  network: {
                    ...d.network,
                    vpc: { mode: 'existing', vpcId: id ?? '', kind: 'normal' },
                    vswitches: [],
                  },
                }),
                'network.vpc.vpcId',
              )
            }
          />
          <RadioField
            path="network.vpc.kind"
            label="field.vpcKind"
            choices={[
              { value: 'normal', label: 'opt.vpcNormal' },
              { value: 'shared', label: 'opt.vpcShared' },
            ]}
          />
        </>
      )}
    </>
  );
}

function SecurityGroup() {
  const w = useWizard();
  const net = w.draft.network;
  const vpcId = net.vpc.mode === 'existing' ? net.vpc.vpcId : null;
  const groups = useSecurityGroups(w.draft.regionId, vpcId);
  const sg = net.securityGroup;
  const value = sg.mode === 'existing' ? 'existing' : sg.type;
  return (
    <>
      <RadioField
        path="network.securityGroup"
        label="field.securityGroup"
        value={value}
        onChange={(v) =>
          w.set(
            'network.securityGroup',
            v === 'existing' ? { mode: 'existing', securityGroupId: '' } : { mode: 'create', type: v },
          )
        }
        choices={[
          { value: 'normal', label: 'opt.sgNormal' },
          { value: 'enterprise', label: 'opt.sgEnterprise' },
          { value: 'existing', label: 'opt.sgExisting' },
        ]}
      />
      {sg.mode === 'existing' && (
        <SelectField
          path="network.securityGroup.securityGroupId"
          label="field.securityGroupId"
          choices={(groups.data ?? []).map((g) => ({
            value: g.id,
            label: { text: `${g.name || g.id} (${g.type})` },
          }))}
        />
      )}
    </>
  );
}

function Tags() {
  const { t } = useI18n();
  const w = useWizard();
  const tags = w.draft.tags;
  return (
    <Field
      path="tags"
      label="field.tags"
      help={<span style={{ whiteSpace: 'pre-line' }}>{t('help.tags')}</span>}
    >
      {(id, label) => (
        <FieldGroup id={id} label={label}>
          <Space direction="vertical">
            {tags.map((tag, i) => (
              <Space key={i} align="start">
                <Field path={`tags[${i}].key`} label="field.tagKey">
                  {(id) => (
                    <Input
                      id={id}
                      value={tag.key}
                      onChange={(e) => w.set(`tags[${i}].key`, e.target.value)}
                    />
                  )}
                </Field>
                <Field path={`tags[${i}].value`} label="field.tagValue">
                  {(id) => (
                    <Input
                      id={id}
                      value={tag.value}
                      onChange={(e) => w.set(`tags[${i}].value`, e.target.value)}
                    />
                  )}
                </Field>
                <Button
                  onClick={() =>
                    w.set(
                      'tags',
                      tags.filter((_x, j) => j !== i),
                    )
                  }
                >
                  {t('common.remove')}
                </Button>
              </Space>
            ))}
            <Button onClick={() => w.set('tags', [...tags, { key: '', value: '' }])}>
              {t('common.add')}
            </Button>
          </Space>
        </FieldGroup>
      )}
    </Field>
  );
}

export function StepCluster() {
  const { t } = useI18n();
  const w = useWizard();
  const d: ClusterSpec = w.draft;
  const regions = useRegions();
  const versions = useVersions();
  const runtimes = runtimesFor(d.kubernetesVersion);
  const label = (k: string) => t(`opt.${k}` as TextKey);
  return (
    <>
      <TextField path="name" label="field.name" help="help.name" required />
      <RadioField
        path="edition"
        label="field.edition"
        help="help.edition"
        choices={CLUSTER_EDITIONS.map((e) => ({ value: e, label: `opt.${e}` as TextKey }))}
      />
      <SelectField
        path="regionId"
        label="field.regionId"
        loading={regions.isPending}
        choices={(regions.data ?? []).map((r) => ({
          value: r.regionId,
          label: { text: `${r.localName} (${r.regionId})` },
        }))}
        onChange={(regionId) => {
          const zone = regions.data?.find((r) => r.regionId === regionId)?.zones[0] ?? '';
          w.update(
            (x) => ({
              ...x,
              regionId: regionId ?? '',
              network: {
                ...x.network,
                vpc:
                  x.network.vpc.mode === 'existing'
                    ? { mode: 'create', cidr: '192.168.0.0/16' }
                    : x.network.vpc,
                vswitches: [{ mode: 'create', zoneId: zone, cidr: '192.168.0.0/24' }],
              },
            }),
            'regionId',
          );
        }}
      />
      <TextField path="resourceGroupId" label="field.resourceGroupId" placeholder={t('help.resourceGroup')} />
      <SelectField
        path="kubernetesVersion"
        label="field.kubernetesVersion"
        help="help.kubernetesVersion"
        loading={versions.isPending}
        choices={(versions.data ?? []).map((v) => ({ value: v.version, label: { text: v.version } }))}
      />
      <SelectField
        path="runtime"
        label="field.runtime"
        help="help.runtime"
        choices={runtimes.map((r) => ({ value: r.name, label: { text: `${label(r.name)} ${r.version}` } }))}
      />
      <Vpc />
      <VSwitches />
      <NetworkPlugin />
      <CheckField path="network.snat" label="field.snat" text="opt.snat" help="help.snat" />
      <SelectField
        path="network.apiServer.slbSpec"
        label="field.apiServer"
        help="help.apiServer"
        choices={SLB_SPECS.map((s) => ({ value: s, label: { text: s } }))}
      />
      <CheckField
        path="network.apiServer.publicAccess"
        label="field.publicAccess"
        text="opt.publicAccess"
        help="help.publicAccess"
      />
      <CheckField path="network.sshPublicAccess" label="field.sshPublicAccess" text="opt.sshPublicAccess" />
      <TagsField path="network.rdsInstanceIds" label="field.rds" help="help.rds" placeholder="rm-…" />
      <SecurityGroup />
      <CheckField
        path="deletionProtection"
        label="field.deletionProtection"
        text="opt.deletionProtection"
        help="help.deletionProtection"
      />
      <Divider titlePlacement="start">{t('wizard.advanced')}</Divider>
      <SelectField
        path="timeZone"
        label="field.timeZone"
        help="help.timeZone"
        choices={TIME_ZONES.map((z) => ({ value: z, label: { text: z } }))}
      />
      <RadioField
        path="kubeProxyMode"
        label="field.kubeProxyMode"
        help={<span style={{ whiteSpace: 'pre-line' }}>{t('help.kubeProxyMode')}</span>}
        choices={KUBE_PROXY_MODES.map((m) => ({
          value: m,
          label: { text: m === 'ipvs' ? 'IPVS' : 'iptables' },
        }))}
      />
      <Tags />
      <TextField path="clusterDomain" label="field.clusterDomain" help="help.clusterDomain" />
      <TagsField path="certSans" label="field.certSans" help="help.certSans" />
      <CheckField
        path="serviceAccountTokenProjection.enabled"
        label="field.saProjection"
        text="opt.saProjection"
        help="help.saProjection"
      />
      {d.serviceAccountTokenProjection.enabled && (
        <>
          <TextField path="serviceAccountTokenProjection.issuer" label="field.saIssuer" />
          <TagsField path="serviceAccountTokenProjection.audiences" label="field.saAudiences" />
        </>
      )}
      <CheckField
        path="secretEncryption"
        label="field.secretEncryption"
        text="opt.kmsKey"
        help="help.secretEncryption"
        value={d.secretEncryption !== null}
        onChange={(on) => w.set('secretEncryption', on ? { kmsKeyId: '' } : null)}
      />
      {d.secretEncryption !== null && <TextField path="secretEncryption.kmsKeyId" label="field.kmsKeyId" />}
      <CheckField path="disableRollback" label="field.disableRollback" text="opt.disableRollback" />
    </>
  );
}
