// Step 3, 组件配置 (M54–M60): Ingress (its dashboard needs the log service), storage plugin,
// monitoring, alerting, log service, control-plane logs and the workflow engine.
import { Checkbox, Radio } from 'antd';
import { CONTROL_PLANE_LOG_COMPONENTS } from '../../../src/domain/index.js';
import { useI18n } from '../i18n/locale.js';
import { CheckField, Field, FieldGroup, RadioField, TextField } from './controls.js';
import { useWizard } from './wizard-context.js';

export function StepComponents() {
  const { t } = useI18n();
  const w = useWizard();
  const c = w.draft.components;
  const project = c.logService.project;
  return (
    <>
      <CheckField
        path="components.ingress.enabled"
        label="field.ingress"
        text="opt.ingress"
        help="help.ingress"
      />
      {c.ingress.enabled && (
        <CheckField
          path="components.ingress.dashboard"
          label="field.ingressDashboard"
          text="opt.ingressDashboard"
          help="help.ingressDashboard"
        />
      )}
      <RadioField
        path="components.storagePlugin"
        label="field.storagePlugin"
        help="help.storagePlugin"
        choices={[
          { value: 'flexvolume', label: { text: 'Flexvolume' } },
          { value: 'csi', label: { text: 'CSI' } },
        ]}
      />
      <CheckField
        path="components.monitoring.cloudMonitorAgent"
        label="field.monitoring"
        text="opt.cloudMonitor"
        help="help.monitoring"
      />
      <CheckField path="components.monitoring.prometheus" label="field.prometheus" text="opt.prometheus" />
      <CheckField path="components.alerting.defaultRules" label="field.alerting" text="opt.alerting" />
      <CheckField
        path="components.logService.enabled"
        label="field.logService"
        text="opt.logService"
        help="help.logService"
      />
      {c.logService.enabled && (
        <>
          <Field path="components.logService.project" label="field.logProject">
            {(id, label) => (
              <Radio.Group
                id={id}
                aria-label={label}
                value={project.mode}
                onChange={(e) =>
                  w.set(
                    'components.logService.project',
                    e.target.value === 'existing' ? { mode: 'existing', name: '' } : { mode: 'create' },
                  )
                }
                options={[
                  { value: 'create', label: t('opt.projectCreate') },
                  { value: 'existing', label: t('opt.projectExisting') },
                ]}
              />
            )}
          </Field>
          {project.mode === 'existing' && (
            <TextField path="components.logService.project.name" label="field.logProjectName" />
          )}
          <CheckField path="components.logService.nodeProblemDetector" label="field.npd" text="opt.npd" />
        </>
      )}
      <CheckField
        path="components.controlPlaneLogs.enabled"
        label="field.controlPlaneLogs"
        text="opt.enable"
        help="help.controlPlaneLogs"
      />
      {c.controlPlaneLogs.enabled && (
        <Field path="components.controlPlaneLogs.components" label="field.controlPlaneLogComponents">
          {(id, label) => (
            <SelectMany
              id={id}
              label={label}
              value={[...c.controlPlaneLogs.components]}
              onChange={(v) => w.set('components.controlPlaneLogs.components', v)}
            />
          )}
        </Field>
      )}
      <CheckField
        path="components.workflowEngine"
        label="field.workflowEngine"
        text="opt.workflowEngine"
        help="help.workflowEngine"
      />
    </>
  );
}

function SelectMany({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: string[];
  onChange: (v: string[]) => void;
}) {
  return (
    <FieldGroup id={id} label={label}>
      <Checkbox.Group value={value} onChange={onChange} options={[...CONTROL_PLANE_LOG_COMPONENTS]} />
    </FieldGroup>
  );
}
