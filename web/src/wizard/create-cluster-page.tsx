// The creation wizard (M15–M61): 集群配置 → Worker配置 → 组件配置 → 确认配置. The draft is validated
// on every change with the same validateClusterSpec the API runs; problems show at their field once
// the field is touched or its step is left; the server's dry run adds the problems only facts reveal.
import { Alert, App as AntApp, Button, Card, Form, Space, Steps } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { validateClusterSpec, type ClusterSpec, type SpecFacts } from '../../../src/domain/index.js';
import { useInstanceTypes, useRegions } from '../api/catalogue.js';
import { ApiError, type ApiProblem } from '../api/client.js';
import { useCreateCluster, useDryRun } from '../api/clusters.js';
import type { DryRun } from '../api/types.js';
import { useI18n } from '../i18n/locale.js';
import { browserTimeZone, initialDraft, setIn } from './draft.js';
import { fieldFor, stepOf, WIZARD_STEPS, type WizardStep } from './fields.js';
import { problemText } from './problem-text.js';
import { StepCluster } from './step-cluster.js';
import { StepComponents } from './step-components.js';
import { StepConfirm } from './step-confirm.js';
import { StepWorkers } from './step-workers.js';
import { WizardContext, type WizardState } from './wizard-context.js';

const NEXT_LABEL = {
  cluster: 'wizard.next.workers',
  workers: 'wizard.next.components',
  components: 'wizard.next.confirm',
} as const;

export default function CreateClusterPage() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const regions = useRegions();
  const [draft, setDraft] = useState<ClusterSpec>(() => initialDraft('cn-hangzhou', '', browserTimeZone()));
  const [step, setStep] = useState<WizardStep>('cluster');
  const [shown, setShown] = useState<ReadonlySet<WizardStep>>(new Set());
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [serverProblems, setServerProblems] = useState<readonly ApiProblem[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [dryRunResult, setDryRunResult] = useState<DryRun | null>(null);
  const [agreed, setAgreed] = useState(false);
  const offers = useInstanceTypes(draft.regionId);
  const dryRun = useDryRun();
  const create = useCreateCluster();

  // The region list arrives after the first render: default to its first region and zone.
  useEffect(() => {
    const first = regions.data?.find((r) => r.regionId === draft.regionId) ?? regions.data?.[0];
    const v0 = draft.network.vswitches[0];
    if (first && v0?.mode === 'create' && v0.zoneId === '')
      setDraft((d) =>
        setIn(setIn(d, 'regionId', first.regionId), 'network.vswitches[0].zoneId', first.zones[0] ?? ''),
      );
  }, [regions.data, draft.regionId, draft.network.vswitches]);

  const facts = useMemo<SpecFacts>(() => {
    const f: { regions?: SpecFacts['regions']; stock?: Record<string, string[]> } = {};
    if (regions.data) f.regions = regions.data.map((r) => ({ regionId: r.regionId, zoneIds: r.zones }));
    if (offers.data) {
      const stock: Record<string, string[]> = {};
      for (const o of offers.data) for (const z of o.inStock) (stock[z] ??= []).push(o.id);
      f.stock = stock;
    }
    return f;
  }, [regions.data, offers.data]);

  const result = useMemo(() => validateClusterSpec(draft, facts), [draft, facts]);
  const allProblems: readonly ApiProblem[] = useMemo(
    () => [...serverProblems, ...result.problems],
    [serverProblems, result.problems],
  );
  const visible = (path: string) =>
    shown.has(stepOf(path)) ||
    touched.has(fieldFor(path) ?? path) ||
    serverProblems.some((p) => p.path === path);

  // Functional updates: two changes in one render (a quick click after a typed value) both land.
  const change = (next: (d: ClusterSpec) => ClusterSpec, path: string) => {
    setDraft(next);
    setServerProblems([]);
    setDryRunResult(null);
    setFailure(null);
    setTouched((s) => new Set(s).add(fieldFor(path) ?? path));
  };

  const state: WizardState = {
    draft,
    set: (path, value) => change((d) => setIn(d, path, value), path),
    update: (fn, path = '') => change(fn, path),
    errorsAt: (field) => allProblems.filter((p) => fieldFor(p.path) === field && visible(p.path)),
    warningsAt: (field) => result.warnings.filter((p) => fieldFor(p.path) === field),
  };

  const index = WIZARD_STEPS.indexOf(step);
  const problemsOf = (s: WizardStep) => allProblems.filter((p) => stepOf(p.path) === s);
  const unclaimed = allProblems.filter(
    (p) => stepOf(p.path) === step && fieldFor(p.path) === null && visible(p.path),
  );

  const showProblems = (problems: readonly ApiProblem[]) => {
    const steps = new Set(problems.map((p) => stepOf(p.path)));
    setShown((s) => new Set([...s, ...steps]));
    const first = WIZARD_STEPS.find((s) => steps.has(s));
    if (first) setStep(first);
  };

  const next = async () => {
    setFailure(null);
    if (step !== 'components') {
      setShown((s) => new Set(s).add(step));
      if (problemsOf(step).length === 0) setStep(WIZARD_STEPS[index + 1] ?? step);
      return;
    }
    if (!result.ok) {
      showProblems(result.problems);
      return;
    }
    try {
      const plan = await dryRun.mutateAsync(draft);
      setDryRunResult(plan);
      setStep('confirm');
    } catch (e) {
      if (e instanceof ApiError && e.problems.length > 0) {
        setServerProblems(e.problems);
        showProblems(e.problems);
      }
      setFailure(e instanceof ApiError ? e.text(locale) : String(e));
    }
  };

  const submit = async () => {
    setFailure(null);
    try {
      const created = await create.mutateAsync(draft);
      void navigate(`/clusters/${created.clusterId}?task=${encodeURIComponent(created.taskId)}`);
    } catch (e) {
      if (e instanceof ApiError && e.problems.length > 0) {
        setServerProblems(e.problems);
        showProblems(e.problems);
      }
      setFailure(e instanceof ApiError ? e.text(locale) : String(e));
    }
  };

  return (
    <AntApp>
      <Card title={t('wizard.title')}>
        <Steps
          current={index}
          style={{ marginBottom: 24 }}
          items={WIZARD_STEPS.map((s) => ({
            title: t(`wizard.step.${s}`),
            status: s !== step && shown.has(s) && problemsOf(s).length > 0 ? 'error' : undefined,
          }))}
        />
        {failure && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={failure} />}
        {unclaimed.length > 0 && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            message={unclaimed.map((p, i) => (
              <div key={i}>
                {p.path ? `${p.path}: ` : ''}
                {problemText(p, locale)}
              </div>
            ))}
          />
        )}
        <WizardContext.Provider value={state}>
          <Form layout="horizontal" labelCol={{ span: 5 }} wrapperCol={{ span: 16 }} labelWrap>
            {step === 'cluster' && <StepCluster />}
            {step === 'workers' && <StepWorkers />}
            {step === 'components' && <StepComponents />}
            {step === 'confirm' && (
              <StepConfirm draft={draft} dryRun={dryRunResult} agreed={agreed} onAgree={setAgreed} />
            )}
          </Form>
        </WizardContext.Provider>
        <Space style={{ marginTop: 24 }}>
          {index > 0 && (
            <Button onClick={() => setStep(WIZARD_STEPS[index - 1] ?? 'cluster')}>
              {t('wizard.previous')}
            </Button>
          )}
          {step !== 'confirm' ? (
            <Button type="primary" loading={dryRun.isPending} onClick={() => void next()}>
              {t(NEXT_LABEL[step])}
            </Button>
          ) : (
            <Button
              type="primary"
              disabled={!agreed || !dryRunResult}
              loading={create.isPending}
              onClick={() => void submit()}
            >
              {t('wizard.create')}
            </Button>
          )}
          <Button onClick={() => void navigate('/clusters')}>{t('common.cancel')}</Button>
        </Space>
      </Card>
    </AntApp>
  );
}
