// Step 2, Worker配置 (M40–M53): new or existing instances, billing, GPU instance types with their
// accelerators and stock in the chosen zones (M42), count, disks with ESSD levels by size (M44), OS
// and hardening, login, and the advanced options with the node-name preview (M51).
import {
  Alert,
  Button,
  Checkbox,
  Divider,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import {
  CPU_POLICIES,
  DISK_CATEGORIES,
  ESSD_PERFORMANCE_LEVELS,
  nodeName,
  OS_HARDENINGS,
  SPEC_LIMITS as L,
  TAINT_EFFECTS,
  type DataDisk,
  type Disk,
  type EssdPerformanceLevel,
  type NewInstances,
  type VSwitchChoice,
} from '../../../src/domain/index.js';
import { useImages, useInstanceTypes, useKeyPair } from '../api/catalogue.js';
import type { InstanceTypeOffer } from '../api/types.js';
import { useI18n } from '../i18n/locale.js';
import type { TextKey } from '../i18n/texts.js';
import {
  CheckField,
  Field,
  FieldGroup,
  NumberField,
  RadioField,
  SelectField,
  TagsField,
  TextField,
} from './controls.js';
import { SAMPLE_NODE_IP } from './draft.js';
import { useWizard } from './wizard-context.js';

/** M44: PL2 needs more than 460 GiB, PL3 more than 1260 GiB. */
export function levelsFor(sizeGiB: number): EssdPerformanceLevel[] {
  return ESSD_PERFORMANCE_LEVELS.filter(
    (l) => (l !== 'PL2' || sizeGiB >= L.essdPl2MinGiB) && (l !== 'PL3' || sizeGiB >= L.essdPl3MinGiB),
  );
}

/** The zones the chosen new vSwitches are in (existing ones are resolved by the server). */
function chosenZones(vswitches: readonly VSwitchChoice[]): string[] {
  return vswitches.flatMap((v) => (v.mode === 'create' && v.zoneId ? [v.zoneId] : []));
}

function gpuText(t: InstanceTypeOffer): string {
  const a = t.accelerator;
  return `${a.model ?? a.modelHint ?? a.description} × ${a.count}${a.memoryGiB ? ` · ${a.memoryGiB} GiB` : ''}`;
}

function InstanceTypes({ inst }: { inst: NewInstances }) {
  const { t } = useI18n();
  const w = useWizard();
  const offers = useInstanceTypes(w.draft.regionId);
  const zones = chosenZones(w.draft.network.vswitches);
  const list = offers.data ?? [];
  const stockText = (o: InstanceTypeOffer) => {
    if (zones.length === 0)
      return o.inStock.length > 0
        ? t('wizard.stockIn', { zones: o.inStock.join(', ') })
        : t('wizard.soldOut');
    const here = zones.filter((z) => o.inStock.includes(z));
    return here.length > 0 ? t('wizard.stockIn', { zones: here.join(', ') }) : t('wizard.soldOut');
  };
  const selectedSoldOut =
    zones.length > 0 &&
    inst.instanceTypes.length > 0 &&
    !inst.instanceTypes.some((id) => list.find((o) => o.id === id)?.inStock.some((z) => zones.includes(z)));
  const elsewhere = [
    ...new Set(list.filter((o) => inst.instanceTypes.includes(o.id)).flatMap((o) => o.inStock)),
  ].sort();
  const set = (ids: string[]) => w.set('workers.instances.instanceTypes', ids);
  return (
    <>
      <Field
        path="workers.instances.instanceTypes"
        label="field.instanceTypes"
        help="help.instanceTypes"
        required
      >
        {(id) => (
          <Select<string[]>
            id={id}
            mode="multiple"
            style={{ maxWidth: 640 }}
            loading={offers.isPending}
            value={[...inst.instanceTypes]}
            onChange={set}
            showSearch={{ optionFilterProp: 'label' }}
            options={list.map((o) => ({ value: o.id, label: `${o.id} · ${gpuText(o)} · ${stockText(o)}` }))}
          />
        )}
      </Field>
      {selectedSoldOut && (
        <Form.Item wrapperCol={{ offset: 5, span: 16 }}>
          <Alert
            type="warning"
            showIcon
            message={t('wizard.noStockHint', { zones: elsewhere.length ? elsewhere.join(', ') : '—' })}
          />
        </Form.Item>
      )}
      <Form.Item wrapperCol={{ offset: 5, span: 18 }}>
        <Table<InstanceTypeOffer>
          size="small"
          rowKey="id"
          aria-label={t('wizard.instanceTypeTable')}
          pagination={{ pageSize: 8, size: 'small' }}
          dataSource={list}
          loading={offers.isPending}
          rowSelection={{
            selectedRowKeys: [...inst.instanceTypes],
            onChange: (keys) => set(keys.map(String)),
            // antd would name these "Select row 3" and "Select all", in English only.
            getCheckboxProps: (o) => ({ 'aria-label': o.id }),
            getTitleCheckboxProps: () => ({ 'aria-label': t('wizard.selectAllTypes') }),
          }}
          columns={[
            { title: t('wizard.colType'), dataIndex: 'id' },
            { title: t('wizard.colFamily'), dataIndex: 'family' },
            { title: 'vCPU', dataIndex: 'vcpu' },
            { title: t('wizard.colMemory'), dataIndex: 'memoryGiB', render: (m: number) => `${m} GiB` },
            {
              title: t('wizard.colGpu'),
              key: 'gpu',
              render: (_v, o) => o.accelerator.model ?? o.accelerator.modelHint ?? o.accelerator.description,
            },
            { title: t('wizard.colGpuCount'), key: 'count', render: (_v, o) => o.accelerator.count },
            {
              title: t('wizard.colGpuMemory'),
              key: 'mem',
              render: (_v, o) => (o.accelerator.memoryGiB ? `${o.accelerator.memoryGiB} GiB` : '—'),
            },
            {
              title: t('wizard.colStock'),
              key: 'stock',
              render: (_v, o) => {
                const ok =
                  zones.length === 0 ? o.inStock.length > 0 : zones.some((z) => o.inStock.includes(z));
                return <Tag color={ok ? 'green' : 'default'}>{stockText(o)}</Tag>;
              },
            },
          ]}
        />
      </Form.Item>
      <Form.Item label={t('field.selected')}>
        {inst.instanceTypes.length === 0 ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          inst.instanceTypes.map((id) => {
            const o = list.find((x) => x.id === id);
            return <Tag key={id}>{o ? `${id} (${gpuText(o)})` : id}</Tag>;
          })
        )}
      </Form.Item>
    </>
  );
}

function DiskEditor({ path, disk, data }: { path: string; disk: Disk | DataDisk; data: boolean }) {
  const { t } = useI18n();
  const w = useWizard();
  const levels = levelsFor(disk.sizeGiB);
  const setDisk = (patch: Partial<DataDisk>) => {
    const next = { ...disk, ...patch };
    if (next.category !== 'essd') next.performanceLevel = null;
    else if (next.performanceLevel === null || !levelsFor(next.sizeGiB).includes(next.performanceLevel))
      next.performanceLevel = levelsFor(next.sizeGiB).includes(disk.performanceLevel ?? 'PL1')
        ? (disk.performanceLevel ?? 'PL1')
        : 'PL1';
    w.set(path, next);
  };
  return (
    <Space align="start" wrap>
      <Field path={`${path}.category`} label={data ? 'field.dataDiskCategory' : 'field.systemDisk'}>
        {(id) => (
          <Select
            id={id}
            style={{ width: 150 }}
            value={disk.category}
            onChange={(category) => setDisk({ category })}
            options={DISK_CATEGORIES.map((c) => ({ value: c, label: t(`opt.disk.${c}` as TextKey) }))}
          />
        )}
      </Field>
      <Field path={`${path}.sizeGiB`} label={data ? 'field.dataDiskSize' : 'field.systemDiskSize'}>
        {(id) => (
          <InputNumber
            id={id}
            addonAfter="GiB"
            value={disk.sizeGiB}
            onChange={(v) => setDisk({ sizeGiB: typeof v === 'number' ? v : 0 })}
          />
        )}
      </Field>
      {disk.category === 'essd' && (
        <Field path={`${path}.performanceLevel`} label="field.performanceLevel" help="help.performanceLevel">
          {(id) => (
            <Select
              id={id}
              style={{ width: 120 }}
              value={disk.performanceLevel ?? undefined}
              onChange={(performanceLevel) => setDisk({ performanceLevel })}
              options={ESSD_PERFORMANCE_LEVELS.map((l) => ({
                value: l,
                label: l,
                disabled: !levels.includes(l),
              }))}
            />
          )}
        </Field>
      )}
      <Checkbox checked={disk.backup} onChange={(e) => setDisk({ backup: e.target.checked })}>
        {t('opt.diskBackup')}
      </Checkbox>
      {data && (
        <Checkbox
          checked={(disk as DataDisk).encrypted}
          onChange={(e) => setDisk({ encrypted: e.target.checked })}
        >
          {t('opt.diskEncrypted')}
        </Checkbox>
      )}
    </Space>
  );
}

function NewInstanceFields({ inst }: { inst: NewInstances }) {
  const { t } = useI18n();
  const w = useWizard();
  const b = inst.billing;
  const periods = [
    ...L.subscriptionMonths.map((n) => ({ value: `${n}-month`, label: { text: t('wizard.months', { n }) } })),
    ...L.subscriptionYears.map((n) => ({ value: `${n}-year`, label: { text: t('wizard.years', { n }) } })),
  ];
  return (
    <>
      <RadioField
        path="workers.instances.billing.type"
        label="field.billing"
        onChange={(type) =>
          w.set(
            'workers.instances.billing',
            type === 'subscription' ? { type, period: 1, periodUnit: 'month', autoRenew: false } : { type },
          )
        }
        choices={[
          { value: 'pay-as-you-go', label: 'opt.payg' },
          { value: 'subscription', label: 'opt.subscription' },
        ]}
      />
      {b.type === 'subscription' && (
        <>
          <SelectField
            path="workers.instances.billing.period"
            label="field.period"
            value={`${b.period}-${b.periodUnit}`}
            choices={periods}
            onChange={(v) => {
              const [n, unit] = String(v).split('-');
              w.set('workers.instances.billing', { ...b, period: Number(n), periodUnit: unit });
            }}
          />
          <CheckField
            path="workers.instances.billing.autoRenew"
            label="field.autoRenew"
            text="opt.autoRenew"
          />
        </>
      )}
      <InstanceTypes inst={inst} />
      <NumberField path="workers.instances.count" label="field.count" min={1} max={L.countMax} required />
      <Form.Item label={t('field.systemDisk')} required extra={t('help.systemDisk')}>
        <DiskEditor path="workers.instances.systemDisk" disk={inst.systemDisk} data={false} />
      </Form.Item>
      <Form.Item label={t('field.dataDisks')}>
        <FieldGroup label={t('field.dataDisks')}>
          <Space direction="vertical">
            {inst.dataDisks.map((d, i) => (
              <Space key={i} align="start">
                <DiskEditor path={`workers.instances.dataDisks[${i}]`} disk={d} data />
                <Button
                  onClick={() =>
                    w.set(
                      'workers.instances.dataDisks',
                      inst.dataDisks.filter((_x, j) => j !== i),
                    )
                  }
                >
                  {t('common.remove')}
                </Button>
              </Space>
            ))}
            {inst.dataDisks.length < L.dataDisksMax && (
              <Button
                onClick={() =>
                  w.set('workers.instances.dataDisks', [
                    ...inst.dataDisks,
                    {
                      category: 'essd',
                      sizeGiB: 200,
                      performanceLevel: 'PL1',
                      backup: false,
                      encrypted: false,
                    },
                  ])
                }
              >
                {t('wizard.addDataDisk')}
              </Button>
            )}
          </Space>
        </FieldGroup>
      </Form.Item>
    </>
  );
}

function Login() {
  const { t } = useI18n();
  const w = useWizard();
  const login = w.draft.workers.login;
  const name = login.type === 'key-pair' ? login.keyPair.name : '';
  const mode = login.type === 'key-pair' ? login.keyPair.mode : 'create';
  const lookup = useKeyPair(w.draft.regionId, mode === 'existing' ? name : '');
  return (
    <>
      <RadioField
        path="workers.login.type"
        label="field.login"
        onChange={(type) =>
          w.set(
            'workers.login',
            type === 'password'
              ? { type, password: '', passwordConfirm: '' }
              : { type, keyPair: { mode: 'create', name: '' } },
          )
        }
        choices={[
          { value: 'key-pair', label: 'opt.loginKey' },
          { value: 'password', label: 'opt.loginPassword' },
        ]}
      />
      {login.type === 'key-pair' ? (
        <>
          <RadioField
            path="workers.login.keyPair.mode"
            label="field.keyPairMode"
            choices={[
              { value: 'create', label: 'opt.keyPairCreate' },
              { value: 'existing', label: 'opt.keyPairExisting' },
            ]}
          />
          <TextField
            path="workers.login.keyPair.name"
            label="field.keyPair"
            help={
              mode === 'existing' && name !== '' && lookup.data
                ? lookup.data.length > 0
                  ? t('wizard.keyPairFound', { fingerprint: lookup.data[0]?.fingerprint ?? '' })
                  : t('wizard.keyPairMissing')
                : mode === 'create'
                  ? 'help.keyPairCreate'
                  : undefined
            }
          />
        </>
      ) : (
        <>
          <TextField path="workers.login.password" label="field.password" password help="help.password" />
          <TextField path="workers.login.passwordConfirm" label="field.passwordConfirm" password />
        </>
      )}
    </>
  );
}

function NodeNames() {
  const { t } = useI18n();
  const w = useWizard();
  const pattern = w.draft.workers.nodeName;
  return (
    <>
      <CheckField
        path="workers.nodeName"
        label="field.nodeName"
        text="opt.nodeName"
        help={<span style={{ whiteSpace: 'pre-line' }}>{t('help.nodeName')}</span>}
        value={pattern !== null}
        onChange={(on) =>
          w.set('workers.nodeName', on ? { prefix: 'aliyun.com', ipDigits: 5, suffix: 'test' } : null)
        }
      />
      {pattern && (
        <>
          <TextField path="workers.nodeName.prefix" label="field.nodeNamePrefix" />
          <NumberField
            path="workers.nodeName.ipDigits"
            label="field.nodeNameDigits"
            min={L.nodeNameIpDigitsMin}
            max={L.nodeNameIpDigitsMax}
          />
          <TextField path="workers.nodeName.suffix" label="field.nodeNameSuffix" />
          <Form.Item label={t('field.nodeNamePreview')}>
            <Typography.Text code data-testid="node-name-preview">
              {nodeName(pattern, SAMPLE_NODE_IP) ?? '—'}
            </Typography.Text>
            <Typography.Text type="secondary">
              {' '}
              {t('wizard.nodeNameSample', { ip: SAMPLE_NODE_IP })}
            </Typography.Text>
          </Form.Item>
        </>
      )}
    </>
  );
}

function Taints() {
  const { t } = useI18n();
  const w = useWizard();
  const taints = w.draft.workers.taints;
  return (
    <Field path="workers.taints" label="field.taints" help="help.taints">
      {(id, label) => (
        <FieldGroup id={id} label={label}>
          <Space direction="vertical">
            {taints.map((taint, i) => (
              <Space key={i} align="start">
                <Field path={`workers.taints[${i}].key`} label="field.taintKey">
                  {(id) => (
                    <Input
                      id={id}
                      value={taint.key}
                      onChange={(e) => w.set(`workers.taints[${i}].key`, e.target.value)}
                    />
                  )}
                </Field>
                <Field path={`workers.taints[${i}].value`} label="field.taintValue">
                  {(id) => (
                    <Input
                      id={id}
                      value={taint.value}
                      onChange={(e) => w.set(`workers.taints[${i}].value`, e.target.value)}
                    />
                  )}
                </Field>
                <Field path={`workers.taints[${i}].effect`} label="field.taintEffect">
                  {(id) => (
                    <Select
                      id={id}
                      style={{ width: 170 }}
                      value={taint.effect}
                      onChange={(v) => w.set(`workers.taints[${i}].effect`, v)}
                      options={TAINT_EFFECTS.map((e) => ({ value: e, label: e }))}
                    />
                  )}
                </Field>
                <Button
                  onClick={() =>
                    w.set(
                      'workers.taints',
                      taints.filter((_x, j) => j !== i),
                    )
                  }
                >
                  {t('common.remove')}
                </Button>
              </Space>
            ))}
            <Button
              onClick={() =>
                w.set('workers.taints', [...taints, { key: '', value: '', effect: 'NoSchedule' }])
              }
            >
              {t('common.add')}
            </Button>
          </Space>
        </FieldGroup>
      )}
    </Field>
  );
}

export function StepWorkers() {
  const { t } = useI18n();
  const w = useWizard();
  const wk = w.draft.workers;
  const images = useImages(w.draft.regionId);
  const inst = wk.instances;
  return (
    <>
      <RadioField
        path="workers.instances"
        label="field.workerInstances"
        value={inst.mode}
        onChange={(mode) =>
          w.set(
            'workers.instances',
            mode === 'existing'
              ? { mode, instanceIds: [] }
              : {
                  mode,
                  billing: { type: 'pay-as-you-go' },
                  instanceTypes: [],
                  count: 3,
                  systemDisk: { category: 'essd', sizeGiB: 120, performanceLevel: 'PL1', backup: false },
                  dataDisks: [],
                },
          )
        }
        choices={[
          { value: 'create', label: 'opt.instancesCreate' },
          { value: 'existing', label: 'opt.instancesExisting' },
        ]}
      />
      {inst.mode === 'create' ? (
        <NewInstanceFields inst={inst} />
      ) : (
        <TagsField
          path="workers.instances.instanceIds"
          label="field.instanceIds"
          help="help.instanceIds"
          placeholder="i-…"
        />
      )}
      <SelectField
        path="workers.os"
        label="field.os"
        help="help.os"
        onChange={(os) =>
          w.update(
            (d) => ({
              ...d,
              workers: {
                ...d.workers,
                os: os === 'centos-7' ? 'centos-7' : 'aliyun-linux-2',
                hardening: os === 'centos-7' ? 'none' : d.workers.hardening,
              },
            }),
            'workers.os',
          )
        }
        choices={[
          { value: 'aliyun-linux-2', label: { text: 'Alibaba Cloud Linux 2.x' } },
          { value: 'centos-7', label: { text: 'CentOS 7.x' } },
        ]}
      />
      {wk.os === 'aliyun-linux-2' && (
        <RadioField
          path="workers.hardening"
          label="field.hardening"
          help={wk.hardening === 'mlps' ? 'help.mlps' : 'help.hardening'}
          choices={OS_HARDENINGS.map((h) => ({ value: h, label: `opt.hardening.${h}` as TextKey }))}
        />
      )}
      <Login />
      <Divider titlePlacement="start">{t('wizard.advanced')}</Divider>
      <CheckField
        path="workers.instanceProtection"
        label="field.instanceProtection"
        text="opt.instanceProtection"
        help="help.instanceProtection"
      />
      <TextField path="workers.userData" label="field.userData" help="help.userData" multiline />
      <SelectField
        path="workers.customImageId"
        label="field.customImage"
        help="help.customImage"
        allowClear
        loading={images.isPending}
        choices={(images.data ?? []).map((i) => ({
          value: i.imageId,
          label: { text: `${i.osName} (${i.imageId})` },
        }))}
      />
      <NodeNames />
      <RadioField
        path="workers.cpuPolicy"
        label="field.cpuPolicy"
        help={<span style={{ whiteSpace: 'pre-line' }}>{t('help.cpuPolicy')}</span>}
        choices={CPU_POLICIES.map((p) => ({ value: p, label: { text: p } }))}
      />
      <Taints />
    </>
  );
}
