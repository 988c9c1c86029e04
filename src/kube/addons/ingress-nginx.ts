// The Ingress controller (M54): ingress-nginx behind a LoadBalancer Service (the cloud makes it an
// SLB), with its namespace, ServiceAccount, RBAC, ConfigMap and IngressClass `nginx` (the default).
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IIngressClass } from 'kubernetes-models/networking.k8s.io/v1/IngressClass';
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { AddonManifest } from './types.js';

export const INGRESS_NGINX_IMAGE = 'registry.k8s.io/ingress-nginx/controller:v1.11.3';
const NS = 'ingress-nginx';
const NAME = 'ingress-nginx-controller';
const LABELS = { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' };

const READ = ['get', 'list', 'watch'];

export function ingressNginx(): AddonManifest {
  const namespace: INamespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: NS, labels: LABELS },
  };
  const account: IServiceAccount = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'ingress-nginx', namespace: NS, labels: LABELS },
  };
  const clusterRole: IClusterRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'ingress-nginx', labels: LABELS },
    rules: [
      {
        apiGroups: [''],
        resources: ['configmaps', 'endpoints', 'nodes', 'pods', 'secrets', 'namespaces'],
        verbs: ['list', 'watch'],
      },
      { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
      { apiGroups: [''], resources: ['services'], verbs: READ },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingressclasses'], verbs: READ },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['list', 'watch'] },
    ],
  };
  const subjects = [{ kind: 'ServiceAccount', name: 'ingress-nginx', namespace: NS }];
  const clusterBinding: IClusterRoleBinding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'ingress-nginx', labels: LABELS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'ingress-nginx' },
    subjects,
  };
  const role: IRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'ingress-nginx', namespace: NS, labels: LABELS },
    rules: [
      { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
      { apiGroups: [''], resources: ['configmaps', 'pods', 'secrets', 'endpoints'], verbs: READ },
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        resourceNames: ['ingress-nginx-leader'],
        verbs: ['get', 'update'],
      },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    ],
  };
  const roleBinding: IRoleBinding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'ingress-nginx', namespace: NS, labels: LABELS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ingress-nginx' },
    subjects,
  };
  const config: IConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: NAME, namespace: NS, labels: LABELS },
    data: { 'allow-snippet-annotations': 'false', 'use-forwarded-headers': 'false' },
  };
  const service: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: NAME, namespace: NS, labels: LABELS },
    spec: {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      selector: LABELS,
      ports: [
        { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
        { name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' },
      ],
    },
  };
  const deployment: IDeployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: NAME, namespace: NS, labels: LABELS },
    spec: {
      replicas: 2,
      selector: { matchLabels: LABELS },
      template: {
        metadata: { labels: LABELS },
        spec: {
          serviceAccountName: 'ingress-nginx',
          terminationGracePeriodSeconds: 300,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [
            {
              name: 'controller',
              image: INGRESS_NGINX_IMAGE,
              args: [
                '/nginx-ingress-controller',
                `--publish-service=$(POD_NAMESPACE)/${NAME}`,
                '--election-id=ingress-nginx-leader',
                '--controller-class=k8s.io/ingress-nginx',
                '--ingress-class=nginx',
                `--configmap=$(POD_NAMESPACE)/${NAME}`,
              ],
              env: [
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                { name: 'LD_PRELOAD', value: '/usr/local/lib/libmimalloc.so' },
              ],
              ports: [
                { name: 'http', containerPort: 80, protocol: 'TCP' },
                { name: 'https', containerPort: 443, protocol: 'TCP' },
              ],
              livenessProbe: {
                httpGet: { path: '/healthz', port: 10254, scheme: 'HTTP' },
                initialDelaySeconds: 10,
                periodSeconds: 10,
              },
              readinessProbe: {
                httpGet: { path: '/healthz', port: 10254, scheme: 'HTTP' },
                periodSeconds: 10,
              },
              resources: { requests: { cpu: '100m', memory: '90Mi' } },
              securityContext: {
                runAsNonRoot: true,
                runAsUser: 101,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
              },
            },
          ],
        },
      },
    },
  };
  const ingressClass: IIngressClass = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: {
      name: 'nginx',
      labels: LABELS,
      annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' },
    },
    spec: { controller: 'k8s.io/ingress-nginx' },
  };
  return {
    name: 'nginx-ingress-controller',
    objects: [
      namespace,
      account,
      clusterRole,
      clusterBinding,
      role,
      roleBinding,
      config,
      service,
      deployment,
      ingressClass,
    ],
  };
}
