// Which wizard step and which form field show a problem: every field is named by its spec path
// (indices written `[]`), and a problem belongs to the longest field path that prefixes its own.
// Pure, so the rule "every error at its field" is tested without a browser.

export const WIZARD_STEPS = ['cluster', 'workers', 'components', 'confirm'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

/** Every field the wizard renders, by spec path. */
export const FIELD_PATHS: readonly string[] = [
  'name',
  'edition',
  'regionId',
  'resourceGroupId',
  'kubernetesVersion',
  'runtime',
  'deletionProtection',
  'timeZone',
  'kubeProxyMode',
  'tags',
  'tags[].key',
  'tags[].value',
  'clusterDomain',
  'certSans',
  'serviceAccountTokenProjection.enabled',
  'serviceAccountTokenProjection.issuer',
  'serviceAccountTokenProjection.audiences',
  'secretEncryption',
  'secretEncryption.kmsKeyId',
  'disableRollback',
  'network.vpc',
  'network.vpc.cidr',
  'network.vpc.vpcId',
  'network.vpc.kind',
  'network.vswitches',
  'network.vswitches[]',
  'network.vswitches[].zoneId',
  'network.vswitches[].cidr',
  'network.vswitches[].vswitchId',
  'network.plugin',
  'network.nodeIpCount',
  'network.podCidr',
  'network.terwayMode',
  'network.serviceCidr',
  'network.snat',
  'network.apiServer.slbSpec',
  'network.apiServer.publicAccess',
  'network.sshPublicAccess',
  'network.rdsInstanceIds',
  'network.securityGroup',
  'network.securityGroup.type',
  'network.securityGroup.securityGroupId',
  'workers.instances',
  'workers.instances.instanceIds',
  'workers.instances.billing.type',
  'workers.instances.billing.period',
  'workers.instances.billing.autoRenew',
  'workers.instances.instanceTypes',
  'workers.instances.count',
  'workers.instances.systemDisk.category',
  'workers.instances.systemDisk.sizeGiB',
  'workers.instances.systemDisk.performanceLevel',
  'workers.instances.systemDisk.backup',
  'workers.instances.dataDisks',
  'workers.instances.dataDisks[]',
  'workers.instances.dataDisks[].category',
  'workers.instances.dataDisks[].sizeGiB',
  'workers.instances.dataDisks[].performanceLevel',
  'workers.os',
  'workers.hardening',
  'workers.customImageId',
  'workers.login',
  'workers.login.type',
  'workers.login.keyPair',
  'workers.login.keyPair.mode',
  'workers.login.keyPair.name',
  'workers.login.password',
  'workers.login.passwordConfirm',
  'workers.instanceProtection',
  'workers.userData',
  'workers.nodeName',
  'workers.nodeName.prefix',
  'workers.nodeName.ipDigits',
  'workers.nodeName.suffix',
  'workers.cpuPolicy',
  'workers.taints',
  'workers.taints[]',
  'workers.taints[].key',
  'workers.taints[].value',
  'workers.taints[].effect',
  'components.ingress.enabled',
  'components.ingress.dashboard',
  'components.storagePlugin',
  'components.monitoring.cloudMonitorAgent',
  'components.monitoring.prometheus',
  'components.alerting.defaultRules',
  'components.logService.enabled',
  'components.logService.project',
  'components.logService.project.name',
  'components.logService.nodeProblemDetector',
  'components.controlPlaneLogs.enabled',
  'components.controlPlaneLogs.components',
  'components.workflowEngine',
];

const KNOWN = new Set(FIELD_PATHS);

/** `a[3].b` → `a[].b`. */
export function pattern(path: string): string {
  return path.replace(/\[\d+\]/g, '[]');
}

/** Prefixes of a path at segment boundaries, longest first: `a.b[0].c`, `a.b[0]`, `a.b`, `a`. */
function prefixes(path: string): string[] {
  const out = [path];
  for (let i = path.length - 1; i > 0; i--)
    if (path[i] === '.' || path[i] === '[') out.push(path.slice(0, i));
  return out;
}

/** The field (its concrete path) that shows a problem at `path`; null when no field claims it. */
export function fieldFor(path: string): string | null {
  // Subscription units are chosen together with the period.
  const p = path === 'workers.instances.billing.periodUnit' ? 'workers.instances.billing.period' : path;
  for (const candidate of prefixes(p)) if (KNOWN.has(pattern(candidate))) return candidate;
  return null;
}

/** The step whose page holds the field of `path`; whole-spec problems belong to the first step. */
export function stepOf(path: string): WizardStep {
  if (path === 'workers' || path.startsWith('workers.')) return 'workers';
  if (path === 'components' || path.startsWith('components.')) return 'components';
  return 'cluster';
}
