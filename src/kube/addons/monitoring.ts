// Monitoring (M56) and alerting (M57): Prometheus with node-exporter and NVIDIA's DCGM exporter on GPU
// nodes, scraped through Kubernetes service discovery; the default alert rules as a ConfigMap it loads.
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { toYaml } from '../yaml-text.js';
import type { AddonManifest } from './types.js';

export const MONITORING_IMAGES = {
  prometheus: 'quay.io/prometheus/prometheus:v2.53.2',
  nodeExporter: 'quay.io/prometheus/node-exporter:v1.8.2',
  dcgmExporter: 'nvcr.io/nvidia/k8s/dcgm-exporter:3.3.7-3.5.0-ubuntu22.04',
} as const;
export const MONITORING_NAMESPACE = 'monitoring';
const NS = MONITORING_NAMESPACE;
export const ALERT_RULES_CONFIGMAP = 'prometheus-alert-rules';

/** Scrape every pod that says `prometheus.io/scrape: "true"`, on its `prometheus.io/port`. */
function prometheusConfig(): string {
  return toYaml({
    global: { scrape_interval: '30s', evaluation_interval: '30s' },
    rule_files: ['/etc/prometheus/rules/*.yaml'],
    scrape_configs: [
      {
        job_name: 'kubernetes-pods',
        kubernetes_sd_configs: [{ role: 'pod' }],
        relabel_configs: [
          {
            source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'],
            action: 'keep',
            regex: 'true',
          },
          {
            source_labels: ['__address__', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
            action: 'replace',
            regex: '([^:]+)(?::\\d+)?;(\\d+)',
            replacement: '$1:$2',
            target_label: '__address__',
          },
          { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'node' },
          { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
          { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
        ],
      },
    ],
  });
}

function scraped(port: number): Record<string, string> {
  return { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port) };
}

export function prometheusMonitoring(): AddonManifest {
  const namespace: INamespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } };
  const account: IServiceAccount = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'prometheus', namespace: NS },
  };
  const role: IClusterRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'kuberack-prometheus' },
    rules: [
      {
        apiGroups: [''],
        resources: ['nodes', 'nodes/metrics', 'services', 'endpoints', 'pods'],
        verbs: ['get', 'list', 'watch'],
      },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ],
  };
  const binding: IClusterRoleBinding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'kuberack-prometheus' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kuberack-prometheus' },
    subjects: [{ kind: 'ServiceAccount', name: 'prometheus', namespace: NS }],
  };
  const config: IConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'prometheus-config', namespace: NS },
    data: { 'prometheus.yml': prometheusConfig() },
  };
  const promLabels = { app: 'prometheus' };
  const prometheus: IDeployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'prometheus', namespace: NS, labels: promLabels },
    spec: {
      replicas: 1,
      selector: { matchLabels: promLabels },
      template: {
        metadata: { labels: promLabels },
        spec: {
          serviceAccountName: 'prometheus',
          securityContext: { runAsNonRoot: true, runAsUser: 65534, fsGroup: 65534 },
          containers: [
            {
              name: 'prometheus',
              image: MONITORING_IMAGES.prometheus,
              args: [
                '--config.file=/etc/prometheus/prometheus.yml',
                '--storage.tsdb.path=/prometheus',
                '--storage.tsdb.retention.time=15d',
              ],
              ports: [{ name: 'web', containerPort: 9090 }],
              readinessProbe: { httpGet: { path: '/-/ready', port: 'web' }, periodSeconds: 10 },
              resources: { requests: { cpu: '200m', memory: '512Mi' }, limits: { memory: '2Gi' } },
              volumeMounts: [
                { name: 'config', mountPath: '/etc/prometheus' },
                { name: 'rules', mountPath: '/etc/prometheus/rules' },
                { name: 'data', mountPath: '/prometheus' },
              ],
            },
          ],
          volumes: [
            { name: 'config', configMap: { name: 'prometheus-config' } },
            // The default alert rules (M57) when chosen; none otherwise.
            { name: 'rules', configMap: { name: ALERT_RULES_CONFIGMAP, optional: true } },
            { name: 'data', emptyDir: {} },
          ],
        },
      },
    },
  };
  const service: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'prometheus', namespace: NS },
    spec: { selector: promLabels, ports: [{ name: 'web', port: 9090, targetPort: 'web' }] },
  };
  const exporterLabels = { app: 'node-exporter' };
  const nodeExporter: IDaemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'node-exporter', namespace: NS, labels: exporterLabels },
    spec: {
      selector: { matchLabels: exporterLabels },
      template: {
        metadata: { labels: exporterLabels, annotations: scraped(9100) },
        spec: {
          hostNetwork: true,
          hostPID: true,
          tolerations: [{ operator: 'Exists' }],
          securityContext: { runAsNonRoot: true, runAsUser: 65534 },
          containers: [
            {
              name: 'node-exporter',
              image: MONITORING_IMAGES.nodeExporter,
              args: ['--path.rootfs=/host', '--web.listen-address=:9100'],
              ports: [{ name: 'metrics', containerPort: 9100 }],
              resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '180Mi' } },
              volumeMounts: [
                { name: 'root', mountPath: '/host', readOnly: true, mountPropagation: 'HostToContainer' },
              ],
            },
          ],
          volumes: [{ name: 'root', hostPath: { path: '/' } }],
        },
      },
    },
  };
  const dcgmLabels = { app: 'dcgm-exporter' };
  const dcgm: IDaemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'dcgm-exporter', namespace: NS, labels: dcgmLabels },
    spec: {
      selector: { matchLabels: dcgmLabels },
      template: {
        metadata: { labels: dcgmLabels, annotations: scraped(9400) },
        spec: {
          nodeSelector: { 'nvidia.com/gpu.present': 'true' },
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          containers: [
            {
              name: 'dcgm-exporter',
              image: MONITORING_IMAGES.dcgmExporter,
              env: [{ name: 'DCGM_EXPORTER_KUBERNETES', value: 'true' }],
              ports: [{ name: 'metrics', containerPort: 9400 }],
              securityContext: { capabilities: { add: ['SYS_ADMIN'] } },
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
              volumeMounts: [
                { name: 'pod-resources', mountPath: '/var/lib/kubelet/pod-resources', readOnly: true },
              ],
            },
          ],
          volumes: [{ name: 'pod-resources', hostPath: { path: '/var/lib/kubelet/pod-resources' } }],
        },
      },
    },
  };
  return {
    name: 'arms-prometheus',
    objects: [namespace, account, role, binding, config, prometheus, service, nodeExporter, dcgm],
  };
}

/** M57: the default alert-rule template, in Prometheus's rule-file format. */
export function defaultAlertRules(): AddonManifest {
  const rules = {
    groups: [
      {
        name: 'kuberack-gpu',
        rules: [
          {
            alert: 'GpuXidErrors',
            expr: 'increase(DCGM_FI_DEV_XID_ERRORS[10m]) > 0',
            labels: { severity: 'critical' },
            annotations: { summary: 'GPU {{ $labels.gpu }} on {{ $labels.node }} reported an Xid error' },
          },
          {
            alert: 'GpuTooHot',
            expr: 'DCGM_FI_DEV_GPU_TEMP > 85',
            for: '5m',
            labels: { severity: 'warning' },
            annotations: { summary: 'GPU {{ $labels.gpu }} on {{ $labels.node }} is above 85 °C' },
          },
        ],
      },
      {
        name: 'kuberack-node',
        rules: [
          {
            alert: 'NodeFilesystemAlmostFull',
            expr: 'node_filesystem_avail_bytes{fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes < 0.1',
            for: '10m',
            labels: { severity: 'warning' },
            annotations: { summary: '{{ $labels.mountpoint }} on {{ $labels.node }} has less than 10% free' },
          },
          {
            alert: 'NodeMemoryPressure',
            expr: 'node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes < 0.05',
            for: '5m',
            labels: { severity: 'warning' },
            annotations: { summary: '{{ $labels.node }} has less than 5% memory available' },
          },
        ],
      },
    ],
  };
  const configMap: IConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: ALERT_RULES_CONFIGMAP, namespace: NS },
    data: { 'kuberack-default.yaml': toYaml(rules) },
  };
  // The namespace too: the rules may be chosen without Prometheus (applying it twice changes nothing).
  const namespace: INamespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } };
  return { name: 'alert-rules', objects: [namespace, configMap] };
}
