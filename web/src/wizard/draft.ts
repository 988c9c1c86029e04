// The wizard's state is the cluster spec itself (the JSON the API takes), so a problem's path from
// validation names the very field that shows it. Pure: defaults, path updates, and the sample IP
// used by the node-name preview.
import {
  DEFAULT_KUBERNETES_VERSION,
  recommendNetwork,
  SPEC_DEFAULTS as D,
  type ClusterSpec,
} from '../../../src/domain/index.js';

/** The browser's time zone (M33), or the regions' home zone when the browser does not say. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || D.timeZone;
  } catch {
    return D.timeZone;
  }
}

/** The seed's defaults, a new VPC with one new vSwitch, and the recommended cluster CIDRs. */
export function initialDraft(regionId: string, zoneId: string, timeZone: string): ClusterSpec {
  const vpcCidr = D.vpcCidr;
  const vswitchCidr = '192.168.0.0/24';
  const rec = recommendNetwork({
    vpcCidr,
    taken: [{ cidr: vswitchCidr, label: 'vSwitch' }],
    nodeIpCount: D.nodeIpCount,
    plugin: 'flannel',
  });
  return {
    name: '',
    edition: D.edition,
    regionId,
    resourceGroupId: null,
    kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
    runtime: D.runtime,
    deletionProtection: D.deletionProtection,
    timeZone,
    kubeProxyMode: D.kubeProxyMode,
    tags: [],
    clusterDomain: D.clusterDomain,
    certSans: [],
    serviceAccountTokenProjection: {
      enabled: false,
      issuer: D.serviceAccountIssuer,
      audiences: [...D.serviceAccountAudiences],
    },
    secretEncryption: null,
    disableRollback: false,
    network: {
      vpc: { mode: 'create', cidr: vpcCidr },
      vswitches: [{ mode: 'create', zoneId, cidr: vswitchCidr }],
      plugin: D.plugin,
      nodeIpCount: D.nodeIpCount,
      podCidr: rec?.podCidr ?? '172.20.0.0/16',
      terwayMode: null,
      serviceCidr: rec?.serviceCidr ?? D.serviceCidr,
      snat: D.snat,
      apiServer: { slbSpec: D.slbSpec, publicAccess: D.apiServerPublicAccess },
      sshPublicAccess: D.sshPublicAccess,
      rdsInstanceIds: [],
      securityGroup: { mode: 'create', type: D.securityGroupType },
    },
    workers: {
      instances: {
        mode: 'create',
        billing: { type: 'pay-as-you-go' },
        instanceTypes: [],
        count: 3,
        systemDisk: { ...D.systemDisk },
        dataDisks: [],
      },
      os: D.os,
      hardening: D.hardening,
      customImageId: null,
      login: { type: 'key-pair', keyPair: { mode: 'create', name: '' } },
      instanceProtection: D.instanceProtection,
      userData: null,
      nodeName: null,
      cpuPolicy: D.cpuPolicy,
      taints: [],
    },
    components: {
      ingress: { enabled: D.ingressEnabled, dashboard: false },
      storagePlugin: D.storagePlugin,
      monitoring: { cloudMonitorAgent: D.cloudMonitorAgent, prometheus: D.prometheus },
      alerting: { defaultRules: D.alertingDefaultRules },
      logService: {
        enabled: D.logServiceEnabled,
        project: { mode: 'create' },
        nodeProblemDetector: D.nodeProblemDetector,
      },
      controlPlaneLogs: { enabled: false, components: [...D.controlPlaneLogComponents] },
      workflowEngine: false,
    },
  };
}

/** Path segments of `a.b[2].c` → ['a', 'b', 2, 'c']. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

function setSegments(target: unknown, segs: readonly (string | number)[], value: unknown): unknown {
  const [head, ...rest] = segs;
  if (head === undefined) return value;
  if (typeof head === 'number') {
    const arr = Array.isArray(target) ? [...(target as unknown[])] : [];
    arr[head] = setSegments(arr[head], rest, value);
    return arr;
  }
  const obj =
    typeof target === 'object' && target !== null && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  obj[head] = setSegments(obj[head], rest, value);
  return obj;
}

/** A copy of `draft` with the value at `path` replaced (objects and arrays along the way are copied). */
export function setIn<T>(draft: T, path: string, value: unknown): T {
  return setSegments(draft, pathSegments(path), value) as T;
}

/** The value at `path`, or undefined. */
export function getIn(draft: unknown, path: string): unknown {
  let cur: unknown = draft;
  for (const s of pathSegments(path)) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string | number, unknown>)[s];
  }
  return cur;
}

/** The seed's node-name example uses an address ending in .0.55 (M51: aliyun.com + 00055 + test). */
export const SAMPLE_NODE_IP = '192.168.0.55';
