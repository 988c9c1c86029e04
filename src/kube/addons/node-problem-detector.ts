// node-problem-detector (M58): a DaemonSet that turns kernel and runtime problems (GPU Xid errors
// appear in the kernel log) into node conditions and events, with the RBAC it needs.
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { AddonManifest } from './types.js';

export const NPD_IMAGE = 'registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.19';
const NAME = 'node-problem-detector';
const NS = 'kube-system';

export function nodeProblemDetector(): AddonManifest {
  const labels = { app: NAME };
  const account: IServiceAccount = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: NAME, namespace: NS },
  };
  const role: IClusterRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: NAME },
    rules: [
      { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
      { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
    ],
  };
  const binding: IClusterRoleBinding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: NAME },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NAME },
    subjects: [{ kind: 'ServiceAccount', name: NAME, namespace: NS }],
  };
  const daemonSet: IDaemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: NAME, namespace: NS, labels },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: NAME,
          priorityClassName: 'system-node-critical',
          hostNetwork: true,
          tolerations: [
            { operator: 'Exists', effect: 'NoSchedule' },
            { operator: 'Exists', effect: 'NoExecute' },
          ],
          containers: [
            {
              name: NAME,
              image: NPD_IMAGE,
              command: [
                '/node-problem-detector',
                '--logtostderr',
                '--config.system-log-monitor=/config/kernel-monitor.json,/config/systemd-monitor.json',
              ],
              env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
              securityContext: { privileged: true },
              resources: {
                requests: { cpu: '20m', memory: '20Mi' },
                limits: { cpu: '200m', memory: '100Mi' },
              },
              volumeMounts: [
                { name: 'log', mountPath: '/var/log', readOnly: true },
                { name: 'kmsg', mountPath: '/dev/kmsg', readOnly: true },
                { name: 'localtime', mountPath: '/etc/localtime', readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'log', hostPath: { path: '/var/log/' } },
            { name: 'kmsg', hostPath: { path: '/dev/kmsg' } },
            { name: 'localtime', hostPath: { path: '/etc/localtime', type: 'FileOrCreate' } },
          ],
        },
      },
    },
  };
  return { name: 'ack-node-problem-detector', objects: [account, role, binding, daemonSet] };
}
