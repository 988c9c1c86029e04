// Storage plugin (M55): Alibaba Cloud CSI (disk, NAS and OSS volumes; node DaemonSet, controller
// Deployment, CSIDriver objects, a default ESSD StorageClass) or the older Flexvolume DaemonSet.
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { ICSIDriver } from 'kubernetes-models/storage.k8s.io/v1/CSIDriver';
import type { IStorageClass } from 'kubernetes-models/storage.k8s.io/v1/StorageClass';
import { ackRegistry, type AddonContext, type AddonManifest } from './types.js';

/** Tags of kubernetes-sigs/alibaba-cloud-csi-driver's chart (values.yaml). */
export const CSI_IMAGES = {
  plugin: 'acs/csi-plugin:v1.33.1-67e8986-aliyun',
  registrar: 'acs/csi-node-driver-registrar:v2.9.0-d48d2e0-aliyun',
  provisioner: 'acs/csi-provisioner:v5.0.3-aliyun',
  attacher: 'acs/csi-attacher:v4.8.1-aliyun',
  resizer: 'acs/csi-resizer:v1.11.2-aliyun',
} as const;
export const FLEXVOLUME_IMAGE = 'acs/flexvolume:v1.14.8.109-649dc5a-aliyun';

/**
 * The cluster's RAM access key (M6) as a Secret the control plane creates; it is a secret, so it
 * is not part of these manifests (their digests are recorded and shown).
 */
export const CLOUD_CREDENTIALS_SECRET = 'kuberack-cloud-credentials';

const DRIVERS = ['disk', 'nas', 'oss'] as const;
const NS = 'kube-system';

function credentialsEnv(): NonNullable<IContainer['env']> {
  const ref = (key: string) => ({ secretKeyRef: { name: CLOUD_CREDENTIALS_SECRET, key } });
  return [
    { name: 'ACCESS_KEY_ID', valueFrom: ref('access-key-id') },
    { name: 'ACCESS_KEY_SECRET', valueFrom: ref('access-key-secret') },
  ];
}

function rbac(name: string, account: string): [IServiceAccount, IClusterRole, IClusterRoleBinding] {
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: account, namespace: NS } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name },
      rules: [
        {
          apiGroups: [''],
          resources: ['persistentvolumes'],
          verbs: ['get', 'list', 'watch', 'create', 'delete', 'patch', 'update'],
        },
        { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch', 'update'] },
        { apiGroups: [''], resources: ['persistentvolumeclaims/status'], verbs: ['patch', 'update'] },
        { apiGroups: [''], resources: ['nodes', 'pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'list', 'watch', 'patch', 'update'] },
        {
          apiGroups: ['storage.k8s.io'],
          resources: ['storageclasses', 'csinodes'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['storage.k8s.io'],
          resources: ['volumeattachments'],
          verbs: ['get', 'list', 'watch', 'patch', 'update'],
        },
        { apiGroups: ['storage.k8s.io'], resources: ['volumeattachments/status'], verbs: ['patch'] },
        {
          apiGroups: ['coordination.k8s.io'],
          resources: ['leases'],
          verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name: account, namespace: NS }],
    },
  ];
}

export function csiPlugin(ctx: AddonContext): AddonManifest {
  const image = (path: string) => `${ackRegistry(ctx.regionId)}/${path}`;
  const socketDir = (d: string) => `/var/lib/kubelet/csi-plugins/${d}plugin.csi.alibabacloud.com`;
  const drivers: ICSIDriver[] = DRIVERS.map((d) => ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'CSIDriver',
    metadata: { name: `${d}plugin.csi.alibabacloud.com` },
    spec: { attachRequired: d === 'disk', podInfoOnMount: true },
  }));
  const labels = { app: 'csi-plugin' };
  const node: IDaemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'csi-plugin', namespace: NS, labels },
    spec: {
      selector: { matchLabels: labels },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '20%' } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'alicloud-csi-node',
          priorityClassName: 'system-node-critical',
          hostNetwork: true,
          hostPID: true,
          tolerations: [{ operator: 'Exists' }],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [
            ...DRIVERS.map((d): IContainer => ({
              name: `${d}-driver-registrar`,
              image: image(CSI_IMAGES.registrar),
              args: [
                '--v=5',
                '--csi-address=/csi/csi.sock',
                `--kubelet-registration-path=${socketDir(d)}/csi.sock`,
              ],
              resources: {
                requests: { cpu: '10m', memory: '16Mi' },
                limits: { cpu: '500m', memory: '1024Mi' },
              },
              volumeMounts: [
                { name: `${d}-plugin-dir`, mountPath: '/csi' },
                { name: 'registration-dir', mountPath: '/registration' },
              ],
            })),
            {
              name: 'csi-plugin',
              image: image(CSI_IMAGES.plugin),
              args: [
                '--endpoint=unix://csi/driverplugin.csi.alibabacloud.com-replace/csi.sock',
                '--v=2',
                '--driver=disk,nas,oss',
              ],
              env: [
                { name: 'KUBE_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                { name: 'SERVICE_TYPE', value: 'plugin' },
                ...credentialsEnv(),
              ],
              securityContext: { privileged: true, allowPrivilegeEscalation: true },
              ports: [{ name: 'healthz', containerPort: 11260 }],
              livenessProbe: {
                httpGet: { path: '/healthz', port: 'healthz' },
                initialDelaySeconds: 10,
                periodSeconds: 30,
                failureThreshold: 5,
              },
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { cpu: '500m', memory: '1024Mi' },
              },
              volumeMounts: [
                { name: 'kubelet-dir', mountPath: '/var/lib/kubelet/', mountPropagation: 'Bidirectional' },
                ...DRIVERS.map((d) => ({
                  name: `${d}-plugin-dir`,
                  mountPath: `/csi/${d}plugin.csi.alibabacloud.com`,
                })),
                { name: 'etc', mountPath: '/host/etc' },
                { name: 'host-log', mountPath: '/var/log/' },
                { name: 'host-dev', mountPath: '/dev', mountPropagation: 'HostToContainer' },
              ],
            },
          ],
          volumes: [
            {
              name: 'registration-dir',
              hostPath: { path: '/var/lib/kubelet/plugins_registry', type: 'DirectoryOrCreate' },
            },
            { name: 'kubelet-dir', hostPath: { path: '/var/lib/kubelet', type: 'Directory' } },
            ...DRIVERS.map((d) => ({
              name: `${d}-plugin-dir`,
              hostPath: { path: socketDir(d), type: 'DirectoryOrCreate' as const },
            })),
            { name: 'etc', hostPath: { path: '/etc' } },
            { name: 'host-log', hostPath: { path: '/var/log/' } },
            { name: 'host-dev', hostPath: { path: '/dev' } },
          ],
        },
      },
    },
  };
  const controllerLabels = { app: 'csi-provisioner' };
  const sidecar = (name: string, path: string, driver: string, extra: string[] = []): IContainer => ({
    name: `${driver}-${name}`,
    image: image(path),
    args: [`--csi-address=/csi/${driver}/csi.sock`, '--leader-election=true', '--v=2', ...extra],
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '500m', memory: '1024Mi' } },
    volumeMounts: [{ name: `${driver}-provisioner-dir`, mountPath: `/csi/${driver}` }],
  });
  const controller: IDeployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'csi-provisioner', namespace: NS, labels: controllerLabels },
    spec: {
      replicas: 2,
      selector: { matchLabels: controllerLabels },
      template: {
        metadata: { labels: controllerLabels },
        spec: {
          serviceAccountName: 'alicloud-csi-provisioner',
          priorityClassName: 'system-cluster-critical',
          hostNetwork: true,
          tolerations: [
            { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
          ],
          containers: [
            sidecar('provisioner', CSI_IMAGES.provisioner, 'disk', [
              '--feature-gates=Topology=true',
              '--extra-create-metadata=true',
            ]),
            sidecar('attacher', CSI_IMAGES.attacher, 'disk'),
            sidecar('resizer', CSI_IMAGES.resizer, 'disk'),
            sidecar('provisioner', CSI_IMAGES.provisioner, 'nas', ['--extra-create-metadata=true']),
            {
              name: 'csi-provisioner',
              image: image(CSI_IMAGES.plugin),
              args: [
                '--endpoint=unix://csi/driverplugin.csi.alibabacloud.com-replace/csi.sock',
                '--v=2',
                '--driver=disk,nas',
              ],
              env: [{ name: 'SERVICE_TYPE', value: 'provisioner' }, ...credentialsEnv()],
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { cpu: '500m', memory: '1024Mi' },
              },
              volumeMounts: [
                { name: 'disk-provisioner-dir', mountPath: '/csi/diskplugin.csi.alibabacloud.com' },
                { name: 'nas-provisioner-dir', mountPath: '/csi/nasplugin.csi.alibabacloud.com' },
              ],
            },
          ],
          volumes: [
            { name: 'disk-provisioner-dir', emptyDir: {} },
            { name: 'nas-provisioner-dir', emptyDir: {} },
          ],
        },
      },
    },
  };
  const essd: IStorageClass = {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: 'alicloud-disk-essd',
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
    },
    provisioner: 'diskplugin.csi.alibabacloud.com',
    parameters: { type: 'cloud_essd', fstype: 'ext4' },
    reclaimPolicy: 'Delete',
    allowVolumeExpansion: true,
    volumeBindingMode: 'WaitForFirstConsumer',
  };
  return {
    name: 'csi-plugin',
    objects: [
      ...rbac('alicloud-csi-node', 'alicloud-csi-node'),
      ...rbac('alicloud-csi-provisioner', 'alicloud-csi-provisioner'),
      ...drivers,
      node,
      controller,
      essd,
    ],
  };
}

/** Flexvolume (M55, the older choice): one privileged DaemonSet that installs the drivers on each node. */
export function flexvolume(ctx: AddonContext): AddonManifest {
  const labels = { name: 'acs-flexvolume' };
  const daemonSet: IDaemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'flexvolume', namespace: NS, labels },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          hostPID: true,
          hostNetwork: true,
          priorityClassName: 'system-node-critical',
          tolerations: [{ operator: 'Exists' }],
          containers: [
            {
              name: 'acs-flexvolume',
              image: `${ackRegistry(ctx.regionId)}/${FLEXVOLUME_IMAGE}`,
              securityContext: { privileged: true },
              env: [
                { name: 'ACS_DISK', value: 'true' },
                { name: 'ACS_NAS', value: 'true' },
                { name: 'ACS_OSS', value: 'true' },
                ...credentialsEnv(),
              ],
              resources: {
                requests: { cpu: '100m', memory: '100Mi' },
                limits: { cpu: '1000m', memory: '1024Mi' },
              },
              volumeMounts: [
                { name: 'usrdir', mountPath: '/host/usr/' },
                { name: 'etcdir', mountPath: '/host/etc/' },
                { name: 'logdir', mountPath: '/var/log/alicloud/' },
              ],
            },
          ],
          volumes: [
            { name: 'usrdir', hostPath: { path: '/usr/' } },
            { name: 'etcdir', hostPath: { path: '/etc/' } },
            { name: 'logdir', hostPath: { path: '/var/log/alicloud/' } },
          ],
        },
      },
    },
  };
  return { name: 'flexvolume', objects: [daemonSet] };
}
