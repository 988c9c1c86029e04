// Tests for the components of a ClusterSpec (M54–M60): Ingress and its dashboard, storage,
// monitoring and alerting, the log service with its project and node-problem-detector,
// control-plane logs and the allow-listed workflow engine.
import { describe, expect, it } from 'vitest';
import { allFacts, check, recorded, row, set, spec, table, unrendered, runCase } from './spec-fixtures.js';

const facts = allFacts();
const C = 'components';
const logOff = set(`${C}.logService.enabled`, false);

describe('M54 Ingress', () => {
  it.each(
    table([
      row('M54 Ingress: the dashboard with the log service is allowed', set(`${C}.ingress.dashboard`, true)),
      row(
        'M54 Ingress: the dashboard without the log service is refused',
        [set(`${C}.ingress.dashboard`, true), logOff],
        [`${C}.ingress.dashboard SPEC_INGRESS_DASHBOARD_NEEDS_LOG_SERVICE`],
      ),
      row(
        'M54 Ingress: the dashboard without Ingress is refused',
        [set(`${C}.ingress.dashboard`, true), set(`${C}.ingress.enabled`, false)],
        [`${C}.ingress.dashboard SPEC_INGRESS_DASHBOARD_NEEDS_INGRESS`],
      ),
      row('M54 Ingress: Ingress off without the dashboard is allowed', set(`${C}.ingress.enabled`, false)),
      row('M54 Ingress: a string flag is a type error', set(`${C}.ingress.dashboard`, 'true'), [
        `${C}.ingress.dashboard SPEC_TYPE`,
      ]),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M54 Ingress: installed by default, without the dashboard', () => {
    expect(check(spec()).spec.components.ingress).toEqual({ enabled: true, dashboard: false });
  });
});

describe('M55 storage, M56 monitoring, M57 alerting', () => {
  it.each(
    table([
      row('M55 storage: Flexvolume is allowed', set(`${C}.storagePlugin`, 'flexvolume')),
      row('M55 storage: CSI is allowed', set(`${C}.storagePlugin`, 'csi')),
      row('M55 storage: an unknown plugin is refused', set(`${C}.storagePlugin`, 'nfs'), [
        `${C}.storagePlugin SPEC_ENUM`,
      ]),
      row(
        'M56 monitoring: both agents off is allowed',
        set(`${C}.monitoring`, { cloudMonitorAgent: false, prometheus: false }),
      ),
      row('M56 monitoring: an unknown field is refused', set(`${C}.monitoring`, { grafana: true }), [
        `${C}.monitoring.grafana SPEC_UNKNOWN_FIELD`,
      ]),
      row('M57 alerting: the default rules are allowed', set(`${C}.alerting.defaultRules`, true)),
      row('M57 alerting: a number is a type error', set(`${C}.alerting.defaultRules`, 1), [
        `${C}.alerting.defaultRules SPEC_TYPE`,
      ]),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M55 M56 M57 defaults: CSI, both monitors on, no default alert rules', () => {
    const c = check(spec()).spec.components;
    expect([c.storagePlugin, c.monitoring, c.alerting]).toEqual([
      'csi',
      { cloudMonitorAgent: true, prometheus: true },
      { defaultRules: false },
    ]);
  });
});

describe('M58 log service', () => {
  const project = (v: unknown) => set(`${C}.logService.project`, v as never);
  it.each(
    table([
      row('M58 log service: a new project is the default', set(`${C}.logService`, { enabled: true })),
      row(
        'M58 log service: an existing project of the account is allowed',
        project({ name: 'k8s-log-project' }),
        [],
        { facts },
      ),
      row(
        'M58 log service: an unknown existing project is refused',
        project({ name: 'k8s-log-gone' }),
        [`${C}.logService.project.name SPEC_LOG_PROJECT_UNKNOWN`],
        { facts },
      ),
      row('M58 log service: an uppercase project name is refused', project({ name: 'My-Logs' }), [
        `${C}.logService.project.name SPEC_LOG_PROJECT_INVALID`,
      ]),
      row('M58 log service: a two-character project name is refused', project({ name: 'ab' }), [
        `${C}.logService.project.name SPEC_LOG_PROJECT_INVALID`,
      ]),
      row('M58 log service: a project name ending in a hyphen is refused', project({ name: 'logs-' }), [
        `${C}.logService.project.name SPEC_LOG_PROJECT_INVALID`,
      ]),
      row(
        'M58 log service: an existing project without a name is reported once',
        project({ mode: 'existing' }),
        [`${C}.logService.project.name SPEC_REQUIRED`],
      ),
      row('M58 NPD: on with the log service is allowed', set(`${C}.logService.nodeProblemDetector`, true)),
      row(
        'M58 NPD: on without the log service is refused',
        [logOff, set(`${C}.logService.nodeProblemDetector`, true)],
        [`${C}.logService.nodeProblemDetector SPEC_NPD_NEEDS_LOG_SERVICE`],
      ),
      row('M58 NPD: turning the log service off alone is allowed (NPD then defaults off)', logOff),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M58 NPD: on by default with the log service, off by default without it', () => {
    expect(check(spec()).spec.components.logService.nodeProblemDetector).toBe(true);
    expect(check(spec(logOff)).spec.components.logService.nodeProblemDetector).toBe(false);
  });
});

describe('M59 control-plane logs', () => {
  it.each(
    table([
      row(
        'M59 control-plane logs: on with the log service is allowed',
        set(`${C}.controlPlaneLogs.enabled`, true),
      ),
      row(
        'M59 control-plane logs: a subset of components is allowed',
        set(`${C}.controlPlaneLogs`, { enabled: true, components: ['apiserver'] }),
      ),
      row(
        'M59 control-plane logs: on without the log service is refused',
        [logOff, set(`${C}.controlPlaneLogs.enabled`, true)],
        [`${C}.controlPlaneLogs.enabled SPEC_CONTROL_PLANE_LOGS_NEED_LOG_SERVICE`],
      ),
      row(
        'M59 control-plane logs: no component is refused',
        set(`${C}.controlPlaneLogs`, { enabled: true, components: [] }),
        [`${C}.controlPlaneLogs.components SPEC_CONTROL_PLANE_LOGS_COMPONENTS`],
      ),
      row(
        'M59 control-plane logs: an unknown component is refused',
        set(`${C}.controlPlaneLogs`, { enabled: true, components: ['etcd'] }),
        [`${C}.controlPlaneLogs.components[0] SPEC_ENUM`],
      ),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M59 control-plane logs: off by default, every component when on', () => {
    expect(check(spec()).spec.components.controlPlaneLogs).toEqual({
      enabled: false,
      components: ['apiserver', 'kcm', 'scheduler', 'ccm', 'controlplane-events'],
    });
  });
});

describe('M60 workflow engine', () => {
  const allowed = allFacts({
    account: {
      allowlists: { exclusiveEni: false, customImage: false, workflowEngine: true },
      resourceGroupIds: [],
    },
  });
  it.each(
    table([
      row('M60 workflow engine: allowed for an allow-listed account', set(`${C}.workflowEngine`, true), [], {
        facts: allowed,
      }),
      row(
        'M60 workflow engine: refused for other accounts',
        set(`${C}.workflowEngine`, true),
        [`${C}.workflowEngine SPEC_WORKFLOW_ENGINE_NOT_ALLOWED`],
        { facts },
      ),
      row('M60 workflow engine: off needs no allow-list', set(`${C}.workflowEngine`, false), [], { facts }),
    ]),
  )('%s', (_name, c) => runCase(c));
});

describe('messages of this file', () => {
  it('M54–M60 every problem and warning produced above renders in en and zh-CN', () => {
    expect(recorded.length).toBeGreaterThan(10);
    expect(unrendered(recorded)).toEqual([]);
  });
});
