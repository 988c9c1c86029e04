// The native API described as OpenAPI 3.1, served at GET /v1/openapi.json; a test checks that every
// `/v1` route the server registers is described here and nothing else is.
const problem = {
  description: 'problem+json with every field problem, in English and Chinese',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};
const json = (description: string) => ({
  description,
  content: { 'application/json': { schema: { type: 'object' } } },
});
const id = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const query = (name: string, description: string) => ({
  name,
  in: 'query',
  required: false,
  schema: { type: 'string' },
  description,
});
const op = (summary: string, ok: string, extra: Record<string, unknown> = {}) => ({
  summary,
  responses: { '200': json(ok), '4XX': problem },
  ...extra,
});

export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Kuberack native API',
    version: '0.1.0',
    description:
      'Managed GPU Kubernetes clusters. Every call except node reports, sign-in and this document is signed with ACS3-HMAC-SHA256, as the Alibaba Cloud SDKs sign, or made from a console session.',
  },
  components: {
    securitySchemes: {
      acs3: { type: 'apiKey', in: 'header', name: 'Authorization' },
      node: { type: 'http', scheme: 'bearer' },
      session: {
        type: 'apiKey',
        in: 'cookie',
        name: 'kuberack_session',
        description: 'The console session; calls other than GET also need the X-CSRF-Token header',
      },
    },
    schemas: {
      Problem: {
        type: 'object',
        properties: {
          code: { type: 'string' },
          detail: { type: 'string' },
          detailZh: { type: 'string' },
          problems: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                path: { type: 'string' },
                code: { type: 'string' },
                message: { type: 'string' },
                messageZh: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
  security: [{ acs3: [] }, { session: [] }],
  paths: {
    '/v1/clusters': {
      post: op(
        'Create a cluster from a spec, or plan it (dryRun: plan, quota headroom, refusals, estimated cost — M66)',
        'the plan (dry run)',
        {
          responses: {
            '200': json('the plan (dry run)'),
            '202': json('{clusterId, taskId}'),
            '4XX': problem,
          },
        },
      ),
      get: op('List the tenant’s clusters', '{items, nextPageToken}', {
        parameters: [query('pageSize', '1–100'), query('pageToken', 'from the previous page')],
      }),
    },
    '/v1/clusters/{id}': {
      get: op(
        'A cluster: version, deletion protection, latest task, every step with its stage, dependencies and timings, and the critical path (M67)',
        'the cluster',
        { parameters: [id('id')] },
      ),
      patch: op(
        'Turn deletion protection on or off (M32): body {deletionProtection: boolean}',
        'the cluster',
        {
          parameters: [id('id')],
        },
      ),
      delete: op('Delete a cluster and release everything it created', '{taskId}', {
        parameters: [id('id')],
        responses: { '202': json('{taskId}'), '4XX': problem },
      }),
    },
    '/v1/clusters/{id}/node-pools': {
      post: op('Scale out with a node pool of GPU workers (M65)', '{taskId, steps}', {
        parameters: [id('id')],
        responses: { '202': json('{taskId, steps}'), '4XX': problem },
      }),
    },
    '/v1/clusters/{id}/nodes': {
      get: op('Nodes with readiness, GPUs, labels and capacity (M62)', '{items}', { parameters: [id('id')] }),
    },
    '/v1/clusters/{id}/nodes/{node}': {
      get: op(
        'One node by instance id or node name: readiness, facts, GPUs, labels, capacity (M62)',
        'the node',
        {
          parameters: [id('id'), id('node')],
        },
      ),
    },
    '/v1/clusters/{id}/nodes/{instanceId}/subscription': {
      post: op('Convert a pay-as-you-go node to subscription (M14)', '{feeCny}', {
        parameters: [id('id'), id('instanceId')],
      }),
    },
    '/v1/clusters/{id}/events': {
      get: op('Events of a cluster (M67)', '{items}', { parameters: [id('id')] }),
    },
    '/v1/clusters/{id}/kubeconfig': {
      get: op('Issue a kubeconfig (M63)', '{kubeconfig, expiresAt, endpoint}', {
        parameters: [id('id'), query('endpoint', 'internal | public'), query('minutes', '15–4320')],
      }),
    },
    '/v1/tasks/{id}': { get: op('A task with its stages (M9, M67)', 'the task', { parameters: [id('id')] }) },
    '/v1/node-reports': {
      post: op(
        'A node agent registers or heartbeats with its facts and GPU report; 400 lists every problem, 401 NODE_TOKEN_UNKNOWN tells it to stop',
        '{clusterId, registered, changed}',
        { security: [{ node: [] }] },
      ),
    },
    '/v1/catalogue/regions': { get: op('Regions and their zones', '{items}') },
    '/v1/catalogue/instance-types': {
      get: op('Instance types with accelerators and stock per zone (M42)', '{items}', {
        parameters: [
          query('regionId', 'required'),
          query('zoneId', 'one zone'),
          query('category', 'gpu | vgpu | fpga'),
        ],
      }),
    },
    '/v1/catalogue/kubernetes-versions': {
      get: op('Creatable Kubernetes versions with runtimes (M19)', '{items}'),
    },
    '/v1/catalogue/images': {
      get: op('Images of a region', '{items}', { parameters: [query('regionId', 'required')] }),
    },
    '/v1/catalogue/vpcs': {
      get: op('VPCs of a region', '{items}', { parameters: [query('regionId', 'required')] }),
    },
    '/v1/catalogue/vswitches': {
      get: op('vSwitches of a region or VPC', '{items}', {
        parameters: [query('regionId', 'required'), query('vpcId', 'one VPC')],
      }),
    },
    '/v1/catalogue/security-groups': {
      get: op('Security groups of a region or VPC', '{items}', {
        parameters: [query('regionId', 'required'), query('vpcId', 'one VPC')],
      }),
    },
    '/v1/catalogue/key-pairs': {
      get: op('Whether a key pair exists', '{items}', {
        parameters: [query('regionId', 'required'), query('name', 'required')],
      }),
    },
    '/v1/network/recommendation': {
      get: op('Pod and Service CIDRs that avoid the VPC’s blocks (M24)', '{items}', {
        parameters: [
          query('plugin', 'flannel | terway'),
          query('nodeIpCount', '16–256'),
          query('regionId', 'with vpcId'),
          query('vpcId', 'the VPC'),
        ],
      }),
    },
    '/v1/quotas': {
      get: op('Quotas with their limits and use (M13)', '{balanceCny, realNameVerified, items}', {
        parameters: [query('regionId', 'required'), query('vpcId', 'scope'), query('routeTableId', 'scope')],
      }),
    },
    '/v1/quota-requests': {
      get: op('Quota tickets (M13)', '{items}'),
      post: op('Ask for a higher limit (M13)', 'the ticket', {
        responses: { '201': json('the ticket'), '4XX': problem },
      }),
    },
    '/v1/session': {
      post: op(
        'Console sign-in: sets the session cookie; returns the user and a CSRF token',
        '{user, csrfToken}',
        {
          security: [],
        },
      ),
      get: op('The signed-in console user and the session CSRF token', '{user, csrfToken}', {
        security: [{ session: [] }],
      }),
      delete: op('Console sign-out', 'nothing', {
        security: [{ session: [] }],
        responses: { '204': { description: 'signed out' }, '4XX': problem },
      }),
    },
    '/v1/openapi.json': { get: op('This document', 'OpenAPI 3.1', { security: [] }) },
  },
} as const;
