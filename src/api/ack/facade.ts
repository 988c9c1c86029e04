// The ACK-compatible facade (issue 8): the Container Service 2015-12-15 paths the official
// @alicloud/cs20151215 SDK calls, translated onto the same engine services as the native API; errors
// in ACK's `{code, message, requestId, status}` shape; field types as the SDK casts them.
import {
  createCluster,
  deleteCluster,
  describeCluster,
  describeTask,
  scaleOutCluster,
  setDeletionProtection,
  stepOutputs,
  type TaskView,
} from '../../engine/clusters.js';
import { issueKubeconfig, KUBECONFIG_MINUTES } from '../../engine/kubeconfig.js';
import { KuberackError } from '../../domain/errors.js';
import { renderMessage, renderProblem } from '../../domain/messages/index.js';
import { KUBERACK_KUBERNETES_VERSIONS } from '../../domain/catalogue/index.js';
import type { ResourceGraph } from '../../domain/plan/index.js';
import type { ClusterSpec } from '../../domain/spec/index.js';
import { CloudError } from '../../cloud/errors.js';
import { audit } from '../audit.js';
import type { Principal } from '../auth.js';
import { HttpError, type Reply, type Request, type Router } from '../http.js';
import { tenantOwns, type NativeApi } from '../native.js';
import { ackCreateToSpec } from './translate.js';

type Obj = Record<string, unknown>;

/** The resource types ACK's DescribeClusterResources names (ROS types) for each step kind that owns one. */
const ROS_TYPES: Readonly<Record<string, string>> = {
  vpc: 'ALIYUN::ECS::VPC',
  vswitch: 'ALIYUN::ECS::VSwitch',
  'security-group': 'ALIYUN::ECS::SecurityGroup',
  'nat-gateway': 'ALIYUN::VPC::NatGateway',
  eip: 'ALIYUN::VPC::EIP',
  'snat-entry': 'ALIYUN::ECS::SNatEntry',
  'route-entry': 'ALIYUN::ECS::Route',
  'ram-user': 'ALIYUN::RAM::User',
  'ram-policy': 'ALIYUN::RAM::ManagedPolicy',
  slb: 'ALIYUN::SLB::LoadBalancer',
  'key-pair': 'ALIYUN::ECS::SSHKeyPair',
  'log-project': 'ALIYUN::SLS::Project',
  'ecs-instance': 'ALIYUN::ECS::Instance',
  'ecs-adoption': 'ALIYUN::ECS::Instance',
};

const ROS_STATES: Readonly<Record<string, string>> = {
  applying: 'CREATE_IN_PROGRESS',
  done: 'CREATE_COMPLETE',
  failed: 'CREATE_FAILED',
  releasing: 'DELETE_IN_PROGRESS',
};

class AckError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** ISO 8601 in China Standard Time, as ACK writes `created` and `updated`. */
export function ackTime(ms: number | null): string {
  if (ms === null) return '';
  return `${new Date(ms + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '')}+08:00`;
}

function notFound(clusterId: string): AckError {
  return new AckError(404, 'ErrorClusterNotFound', `The cluster ${clusterId} was not found.`);
}

function errorBody(e: unknown, requestId: string, log: (line: string) => void): Reply {
  let status = 500;
  let code = 'InternalError';
  let message = 'Something went wrong on our side.';
  if (e instanceof AckError) ({ status, code, message } = e);
  else if (e instanceof HttpError && e.status === 401)
    [status, code, message] = [
      401,
      'SignatureDoesNotMatch',
      'The request signature does not conform to Alibaba Cloud standards.',
    ];
  else if (e instanceof HttpError) [status, code, message] = [e.status, 'InvalidParameter', e.code];
  else if (e instanceof KuberackError) {
    status = /_NOT_FOUND$/.test(e.code) ? 404 : /_BUSY$|_PROTECTED$/.test(e.code) ? 409 : 400;
    code =
      e.code === 'ENGINE_CLUSTER_NOT_FOUND'
        ? 'ErrorClusterNotFound'
        : e.code === 'ENGINE_DELETION_PROTECTED'
          ? 'ErrorClusterDeletionProtection'
          : e.problems.length > 0
            ? 'InvalidParameter'
            : e.code;
    message =
      e.problems.length > 0
        ? e.problems.map((p) => `${p.path}: ${renderProblem(p, 'en')}`).join('; ')
        : renderMessage(e.code, e.params, 'en');
  } else if (e instanceof CloudError) [status, code, message] = [e.retryable ? 503 : 400, e.code, e.message];
  else log(`ACK request ${requestId} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return { status, body: { code, message, requestId, status }, headers: { 'x-acs-request-id': requestId } };
}

function taskState(t: TaskView): string {
  return t.state === 'succeeded' ? 'success' : t.state === 'running' ? 'running' : 'fail';
}

export function ackRoutes(router: Router, api: NativeApi): void {
  const ack =
    (fn: (req: Request, p: Principal) => Promise<Obj | Obj[]>) =>
    async (req: Request): Promise<Reply> => {
      let who: Principal | null = null;
      let reply: Reply;
      try {
        who = await api.auth.verify(req, await req.rawBody());
        const body = await fn(req, who);
        reply = { status: 200, body, headers: { 'x-acs-request-id': req.requestId } };
      } catch (e) {
        reply = errorBody(e, req.requestId, api.log ?? (() => undefined));
      }
      // Calls that change something are audited like the native API's, by the SDK's action name.
      if (who !== null && req.method !== 'GET') {
        const action = /^[A-Za-z]{1,64}$/.exec(String(req.headers['x-acs-action'] ?? ''))?.[0];
        await audit(
          api.db,
          who,
          `ack.${action ?? req.method}`,
          req.params.id ?? null,
          reply.status,
          req.requestId,
        );
      }
      return reply;
    };
  /** The caller's cluster, or ErrorClusterNotFound; a deleted one counts only for its tasks. */
  const own = async (p: Principal, id: string, deletedToo = false) => {
    if (!(await tenantOwns(api.db, p, id, deletedToo))) throw notFound(id);
  };

  router
    .on(
      'POST',
      '/clusters',
      ack(async (req, p) => {
        const spec = ackCreateToSpec(await req.body());
        const r = await createCluster(api.engine, {
          tenantId: p.tenantId,
          accessKeyId: p.cloudAccessKeyId,
          spec,
        });
        return { cluster_id: r.clusterId, request_id: req.requestId, task_id: r.taskId };
      }),
    )
    .on(
      'GET',
      '/clusters/{id}',
      ack(async (req, p) => {
        const id = req.params.id ?? '';
        await own(p, id);
        const view = await describeCluster(api.engine, id);
        if (!view) throw notFound(id);
        const row = await api.db.one<{ spec: string }>('SELECT spec FROM clusters WHERE id = $1', [id]);
        const spec = JSON.parse(row?.spec ?? '{}') as ClusterSpec;
        const out = (key: string) => stepOutputs(api.db, id, key);
        const vpc =
          spec.network.vpc.mode === 'existing'
            ? spec.network.vpc.vpcId
            : (((await out('vpc')).id as string | undefined) ?? '');
        const vswitches = await api.db.all<{ outputs: string | null }>(
          `SELECT outputs FROM steps WHERE cluster_id = $1 AND kind = 'vswitch'`,
          [id],
        );
        const slb = await out('slb/api-server');
        const eip = await out('eip/api-server');
        const size = await api.db.one<{ n: number }>(
          `SELECT COUNT(*) AS n FROM nodes WHERE cluster_id = $1 AND registered_at IS NOT NULL`,
          [id],
        );
        return {
          cluster_id: id,
          name: view.name,
          region_id: view.regionId,
          state:
            view.state === 'rollback' ? 'failed' : view.state === 'scale_rollback' ? 'scaling' : view.state,
          cluster_type: 'ManagedKubernetes',
          profile: 'Default',
          cluster_spec: spec.edition === 'pro' ? 'ack.pro.small' : 'ack.standard',
          current_version: spec.kubernetesVersion,
          init_version: spec.kubernetesVersion,
          created: ackTime(view.createdAt),
          updated: ackTime(view.updatedAt),
          size: Number(size?.n ?? 0),
          vpc_id: vpc,
          vswitch_ids: [
            ...spec.network.vswitches.flatMap((v) => (v.mode === 'existing' ? [v.vswitchId] : [])),
            ...vswitches.flatMap((v) => {
              const o = JSON.parse(v.outputs ?? '{}') as Obj;
              return typeof o.id === 'string' ? [o.id] : [];
            }),
          ],
          security_group_id:
            spec.network.securityGroup.mode === 'existing'
              ? spec.network.securityGroup.securityGroupId
              : ((await out('security-group')).id ?? ''),
          container_cidr: spec.network.podCidr ?? '',
          service_cidr: spec.network.serviceCidr,
          proxy_mode: spec.kubeProxyMode,
          timezone: spec.timeZone,
          cluster_domain: spec.clusterDomain,
          deletion_protection: view.deletionProtection,
          tags: spec.tags.map((t) => ({ key: t.key, value: t.value })),
          extra_sans: [...spec.certSans],
          master_url: JSON.stringify({
            api_server_endpoint: eip.ip ? `https://${String(eip.ip)}:6443` : '',
            intranet_api_server_endpoint: slb.address ? `https://${String(slb.address)}:6443` : '',
          }),
          meta_data: JSON.stringify({
            Capabilities: { NodeCIDRMask: String(32 - Math.log2(spec.network.nodeIpCount ?? 64)) },
          }),
        };
      }),
    )
    .on(
      'GET',
      '/api/v1/clusters',
      ack(async (req, p) => {
        const page = Math.max(1, Number(req.query.get('page_number') ?? 1) || 1);
        const size = Math.min(100, Math.max(1, Number(req.query.get('page_size') ?? 10) || 10));
        const rows = await api.db.all<{
          id: string;
          name: string;
          region_id: string;
          state: string;
          created_at: number;
          updated_at: number;
        }>(
          `SELECT id, name, region_id, state, created_at, updated_at FROM clusters WHERE tenant_id = $1 AND state <> 'deleted' ORDER BY created_at, id`,
          [p.tenantId],
        );
        return {
          clusters: rows.slice((page - 1) * size, page * size).map((r) => ({
            cluster_id: r.id,
            name: r.name,
            region_id: r.region_id,
            state: r.state,
            cluster_type: 'ManagedKubernetes',
            created: ackTime(Number(r.created_at)),
            updated: ackTime(Number(r.updated_at)),
          })),
          page_info: { page_number: page, page_size: size, total_count: rows.length },
        };
      }),
    )
    .on(
      'GET',
      '/clusters/{id}/nodes',
      ack(async (req, p) => {
        const id = req.params.id ?? '';
        await own(p, id);
        // Readiness from the agent's heartbeats (src/domain/node/readiness.ts), as the native API shows it.
        const rows = (await api.registry.list(id)).filter((n) => n.instanceId !== null);
        const types = new Map(
          (
            await api.db.all<{ step_key: string; outputs: string | null }>(
              `SELECT step_key, outputs FROM steps WHERE cluster_id = $1 AND kind IN ('ecs-instance', 'ecs-adoption')`,
              [id],
            )
          ).map((s) => [s.step_key, String((JSON.parse(s.outputs ?? '{}') as Obj).instanceType ?? '')]),
        );
        return {
          nodes: rows.map((n) => ({
            instance_id: n.instanceId,
            instance_name: n.nodeName,
            node_name: n.nodeName,
            host_name: n.node?.hostname ?? n.nodeName,
            ip_address: n.privateIp ? [n.privateIp] : [],
            instance_role: 'Worker',
            instance_type: types.get(n.step) ?? '',
            instance_status: 'Running',
            state: 'running',
            node_status: n.status,
            creation_time: ackTime(n.registeredAt),
            is_aliyun_node: true,
            source: 'ess',
          })),
          page: { page_number: 1, page_size: rows.length, total_count: rows.length },
        };
      }),
    )
    .on(
      'POST',
      '/clusters/{id}/nodepools',
      ack(async (req, p) => {
        const id = req.params.id ?? '';
        await own(p, id);
        const b = (await req.body()) as Obj | undefined;
        const info = (b?.nodepool_info ?? {}) as Obj;
        const group = (b?.scaling_group ?? {}) as Obj;
        const name = info.name;
        const r = await scaleOutCluster(api.engine, id, {
          name,
          instanceTypes: group.instance_types,
          count: group.desired_size ?? b?.count,
        });
        return { nodepool_id: `np-${String(name)}`, request_id: req.requestId, task_id: r.taskId };
      }),
    )
    .on(
      'GET',
      '/clusters/{id}/nodepools',
      ack(async (req, p) => {
        const id = req.params.id ?? '';
        await own(p, id);
        const c = await api.db.one<{
          graph: string;
          region_id: string;
          state: string;
          created_at: number;
          updated_at: number;
        }>('SELECT graph, region_id, state, created_at, updated_at FROM clusters WHERE id = $1', [id]);
        const graph = JSON.parse(c?.graph ?? '{"steps":[]}') as ResourceGraph;
        const registered = new Set(
          (
            await api.db.all<{ step_key: string }>(
              'SELECT step_key FROM nodes WHERE cluster_id = $1 AND registered_at IS NOT NULL',
              [id],
            )
          ).map((n) => n.step_key),
        );
        // A pool is the cluster's own workers (`worker-N`, the default pool) or a scale-out's `<pool>-N`.
        const pools = new Map<string, { types: unknown; nodes: string[] }>();
        for (const s of graph.steps.filter((x) => x.kind === 'ecs-instance' || x.kind === 'ecs-adoption')) {
          const node = s.key.slice(s.key.indexOf('/') + 1);
          const pool =
            /^worker-\d+$/.test(node) || s.kind === 'ecs-adoption'
              ? 'default-nodepool'
              : node.replace(/-\d+$/, '');
          const entry = pools.get(pool) ?? { types: s.inputs.instanceTypes ?? [], nodes: [] };
          entry.nodes.push(s.key);
          pools.set(pool, entry);
        }
        const name = req.query.get('NodepoolName');
        return {
          nodepools: [...pools.entries()]
            .filter(([pool]) => !name || pool === name)
            .map(([pool, e]) => {
              const healthy = e.nodes.filter((n) => registered.has(n)).length;
              return {
                nodepool_info: {
                  nodepool_id: `np-${pool}`,
                  name: pool,
                  type: 'ess',
                  is_default: pool === 'default-nodepool',
                  region_id: c?.region_id ?? '',
                  created: ackTime(Number(c?.created_at ?? 0)),
                  updated: ackTime(Number(c?.updated_at ?? 0)),
                },
                scaling_group: { desired_size: e.nodes.length, instance_types: e.types },
                status: {
                  state: healthy === e.nodes.length ? 'active' : 'scaling',
                  total_nodes: e.nodes.length,
                  healthy_nodes: healthy,
                  serving_nodes: healthy,
                  initial_nodes: e.nodes.length - healthy,
                  failed_nodes: 0,
                  offline_nodes: 0,
                  removing_nodes: 0,
                },
              };
            }),
        };
      }),
    )
    .on(
      'GET',
      '/api/v1/metadata/versions',
      ack(async (req, p) => {
        const mode = req.query.get('Mode');
        const wanted = req.query.get('KubernetesVersion');
        const runtime = req.query.get('runtime');
        const region = req.query.get('Region') ?? 'cn-hangzhou';
        const images = await api.engine.options
          .provider(p.cloudAccessKeyId)
          .describeImages(region)
          .catch(() => []);
        return KUBERACK_KUBERNETES_VERSIONS.filter((v) =>
          mode === 'creatable' || mode === 'supported' ? v.creatable && !v.deprecated : true,
        )
          .filter((v) => !wanted || v.version === wanted)
          .filter((v) => !runtime || v.runtimes.some((r) => r.name === runtime))
          .map((v) => ({
            version: v.version,
            creatable: v.creatable && !v.deprecated,
            upgradable_versions: [],
            runtimes: v.runtimes.map((r) => ({ name: r.name, version: r.version })),
            images: images.map((i) => ({
              image_id: i.imageId,
              image_name: i.osName,
              platform: i.platform,
              os_type: 'Linux',
              image_type: i.platform === 'centos-7' ? 'CentOS' : 'AliyunLinux',
              image_category: 'system',
              architecture: i.architecture,
            })),
            capabilities: {},
            meta_data: {},
          }));
      }),
    )
    .on(
      'GET',
      '/clusters/{id}/resources',
      ack(async (req, p) => {
        const id = req.params.id ?? '';
        await own(p, id);
        const graph = JSON.parse(
          (await api.db.one<{ graph: string }>('SELECT graph FROM clusters WHERE id = $1', [id]))?.graph ??
            '{"steps":[]}',
        ) as ResourceGraph;
        const rows = await api.db.all<{
          step_key: string;
          kind: string;
          state: string;
          memory: string;
          started_at: number | null;
        }>(
          'SELECT step_key, kind, state, memory, started_at FROM steps WHERE cluster_id = $1 ORDER BY step_key',
          [id],
        );
        return rows.flatMap((r) => {
          const type = ROS_TYPES[r.kind];
          const memory = JSON.parse(r.memory) as Obj;
          const instance = memory.id ?? memory.name;
          const state = ROS_STATES[r.state];
          if (!type || typeof instance !== 'string' || !state) return [];
          const step = graph.steps.find((s) => s.key === r.step_key);
          return [
            {
              cluster_id: id,
              resource_type: type,
              instance_id: instance,
              resource_info: JSON.stringify({ step: r.step_key }),
              state,
              auto_create: step?.releaseOnDelete === false ? 0 : 1,
              created: ackTime(r.started_at === null ? null : Number(r.started_at)),
              creator_type: 'user',
              delete_behavior: { delete_by_default: step?.releaseOnDelete !== false, changeable: false },
              dependencies: [],
            },
          ];
        });
      }),
    )
    .on(
      'GET',
      '/clusters/{id}/events',
      ack(async (req, p) => {
        const id = req.params.id ?? '';
        await own(p, id);
        const page = Math.max(1, Number(req.query.get('page_number') ?? 1) || 1);
        const size = Math.min(100, Math.max(1, Number(req.query.get('page_size') ?? 50) || 50));
        let rows = await api.db.all<{
          id: string;
          at: number;
          step_key: string | null;
          type: string;
          data: string;
        }>('SELECT id, at, step_key, type, data FROM events WHERE cluster_id = $1 ORDER BY id', [id]);
        const taskId = req.query.get('task_id');
        if (taskId) {
          // Events belong to a task by time: from its start until it finished.
          const t = await describeTask(api.engine, taskId);
          rows = t
            ? rows.filter((e) => Number(e.at) >= t.createdAt && Number(e.at) <= (t.finishedAt ?? Infinity))
            : [];
        }
        return {
          events: rows.slice((page - 1) * size, page * size).map((e) => ({
            event_id: e.id,
            type: e.type,
            source: 'kuberack',
            subject: e.step_key ?? id,
            time: ackTime(Number(e.at)),
            cluster_id: id,
            data: {
              level: /failed|retry/.test(e.type) ? 'Warning' : 'Normal',
              reason: e.type,
              message: e.data,
            },
          })),
          page_info: { page_number: page, page_size: size, total_count: rows.length },
        };
      }),
    )
    .on(
      'GET',
      '/tasks/{id}',
      ack(async (req, p) => {
        const t = await describeTask(api.engine, req.params.id ?? '');
        const missing = new AckError(404, 'ErrorTaskNotFound', 'The task was not found.');
        if (!t) throw missing;
        await own(p, t.clusterId, true).catch(() => Promise.reject(missing));
        return {
          task_id: t.id,
          cluster_id: t.clusterId,
          task_type:
            t.type === 'create'
              ? 'cluster_create'
              : t.type === 'delete'
                ? 'cluster_delete'
                : 'cluster_scaleout',
          state: taskState(t),
          created: ackTime(t.createdAt),
          updated: ackTime(t.finishedAt ?? t.createdAt),
          current_stage: t.currentStage ?? '',
          stages: t.stages.map((s) => ({
            state: s.state,
            message: `${s.stage}: ${s.finished}/${s.steps}`,
            start_time: ackTime(s.startedAt),
            end_time: ackTime(s.finishedAt),
          })),
          target: { id: t.clusterId, type: 'cluster' },
          ...(t.error
            ? { error: { code: String(t.error.cloudCode ?? t.error.code), message: JSON.stringify(t.error) } }
            : {}),
        };
      }),
    )
    .on(
      'PUT',
      '/api/v2/clusters/{id}',
      ack(async (req, p) => {
        // ModifyCluster: deletion protection (M32) is what a Kuberack cluster can change after creation.
        const id = req.params.id ?? '';
        await own(p, id);
        const body = await req.body();
        const b =
          typeof body === 'object' && body !== null && !Array.isArray(body)
            ? (body as Record<string, unknown>)
            : {};
        const unsupported = Object.keys(b).filter((k) => k !== 'deletion_protection');
        if (unsupported.length > 0)
          throw new AckError(
            400,
            'InvalidParameter',
            `Kuberack can modify only deletion_protection; not supported: ${unsupported.map((k) => k.slice(0, 64)).join(', ')}.`,
          );
        if (typeof b.deletion_protection !== 'boolean')
          throw new AckError(400, 'InvalidParameter', 'deletion_protection must be true or false.');
        if (!(await setDeletionProtection(api.engine, id, b.deletion_protection))) throw notFound(id);
        return { cluster_id: id, request_id: req.requestId, task_id: '' };
      }),
    )
    .on(
      'DELETE',
      '/clusters/{id}',
      ack(async (req, p) => {
        const id = req.params.id ?? '';
        await own(p, id);
        const r = await deleteCluster(api.engine, id);
        return { cluster_id: id, request_id: req.requestId, task_id: r.taskId };
      }),
    )
    .on(
      'GET',
      '/k8s/{id}/user_config',
      ack(async (req, p) => {
        const id = req.params.id ?? '';
        await own(p, id);
        const minutes = Number(req.query.get('TemporaryDurationMinutes') ?? KUBECONFIG_MINUTES.default);
        if (
          !Number.isInteger(minutes) ||
          minutes < KUBECONFIG_MINUTES.min ||
          minutes > KUBECONFIG_MINUTES.max
        )
          throw new AckError(
            400,
            'InvalidParameter',
            `TemporaryDurationMinutes must be ${KUBECONFIG_MINUTES.min} to ${KUBECONFIG_MINUTES.max}.`,
          );
        const internal = req.query.get('PrivateIpAddress') === 'true';
        const issued = await issueKubeconfig(
          api.engine,
          id,
          { id: p.userId, name: 'kuberack' },
          { endpoint: internal ? 'internal' : 'public', minutes },
        ).catch((e: unknown) => {
          // No public endpoint: fall back to the internal one, as ACK does for private clusters.
          if (!internal && e instanceof KuberackError && e.code === 'KUBE_INVALID_INPUT')
            return issueKubeconfig(
              api.engine,
              id,
              { id: p.userId, name: 'kuberack' },
              { endpoint: 'internal', minutes },
            );
          throw e;
        });
        return {
          config: issued.kubeconfig,
          expiration: new Date(issued.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        };
      }),
    );
}
