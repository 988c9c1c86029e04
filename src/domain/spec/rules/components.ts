// Rules of step 3's components (M54–M60): Ingress dashboard and event centre need the log
// service, log project names, control-plane logs, and the allow-listed workflow engine.
import type { Rule } from './context.js';

/** Log Service project names: 3–63 lowercase letters, digits and hyphens, alphanumeric at both ends. */
export const LOG_PROJECT_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export const componentsRule: Rule = ({ spec, facts, reader, problems }) => {
  const c = spec.components;
  const log = c.logService;
  if (c.ingress.dashboard && !c.ingress.enabled) {
    problems.add('components.ingress.dashboard', 'SPEC_INGRESS_DASHBOARD_NEEDS_INGRESS');
  }
  if (c.ingress.dashboard && !log.enabled) {
    problems.add('components.ingress.dashboard', 'SPEC_INGRESS_DASHBOARD_NEEDS_LOG_SERVICE');
  }
  if (log.nodeProblemDetector && !log.enabled) {
    problems.add('components.logService.nodeProblemDetector', 'SPEC_NPD_NEEDS_LOG_SERVICE');
  }
  const path = 'components.logService.project.name';
  if (log.enabled && log.project.mode === 'existing' && !reader.broken(path)) {
    if (!LOG_PROJECT_NAME.test(log.project.name))
      problems.add(path, 'SPEC_LOG_PROJECT_INVALID', { value: log.project.name });
    else if (facts.logProjects && !facts.logProjects.includes(log.project.name)) {
      problems.add(path, 'SPEC_LOG_PROJECT_UNKNOWN', { value: log.project.name });
    }
  }
  if (c.controlPlaneLogs.enabled) {
    if (!log.enabled)
      problems.add('components.controlPlaneLogs.enabled', 'SPEC_CONTROL_PLANE_LOGS_NEED_LOG_SERVICE');
    const componentsPath = 'components.controlPlaneLogs.components';
    if (c.controlPlaneLogs.components.length === 0 && !reader.broken(componentsPath)) {
      problems.add(componentsPath, 'SPEC_CONTROL_PLANE_LOGS_COMPONENTS');
    }
  }
  if (c.workflowEngine && facts.account && !facts.account.allowlists.workflowEngine) {
    problems.add('components.workflowEngine', 'SPEC_WORKFLOW_ENGINE_NOT_ALLOWED');
  }
};

export const componentRules: readonly Rule[] = [componentsRule];
