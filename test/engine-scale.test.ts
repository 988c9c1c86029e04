// Scale out (M65): a node pool of T4 workers joins a running A10 cluster; a bad request is refused
// with every problem; a failed scale-out releases only the pool and the cluster keeps running.
import { beforeAll, expect, it } from 'vitest';
import { OWNER_CLUSTER_TAG } from '../src/cloud/provider.js';
import { createCluster, deleteCluster, describeTask, scaleOutCluster } from '../src/engine/clusters.js';
import type { KuberackError } from '../src/domain/errors.js';
import { ACCESS_KEY, exampleSpec, makeWorld, type World } from './support/engine-world.js';
import { describeEachDatabase } from './support/postgres.js';

async function instancesOf(w: World, clusterId: string) {
  return (await w.emulator.inventory(ACCESS_KEY)).filter(
    (r) => r.kind === 'instance' && r.ownerCluster === clusterId,
  );
}

describeEachDatabase('engine: scale out with a node pool', (open) => {
  let w: World;
  let clusterId: string;
  beforeAll(async () => {
    w = await makeWorld(await open());
    clusterId = (
      await createCluster(w.engine, { tenantId: 't', accessKeyId: ACCESS_KEY, spec: exampleSpec() })
    ).clusterId;
    expect(await w.runUntil(clusterId, ['running', 'failed'])).toBe('running');
  });

  it('M65 a pool of two T4 workers joins the running A10 cluster, each with its GPU and Pod CIDR block', async () => {
    const { taskId, steps } = await scaleOutCluster(w.engine, clusterId, {
      name: 't4',
      instanceTypes: ['ecs.gn6i-c4g1.xlarge'],
      count: 2,
    });
    expect(steps).toEqual([
      'ecs-instance/t4-1',
      'route-entry/t4-1',
      'node-ready/t4-1',
      'ecs-instance/t4-2',
      'route-entry/t4-2',
      'node-ready/t4-2',
    ]);
    expect(await w.state(clusterId)).toBe('scaling');
    expect(await w.runUntil(clusterId, ['running', 'scale_rollback'])).toBe('running');
    expect(await describeTask(w.engine, taskId)).toMatchObject({ type: 'scale-out', state: 'succeeded' });
    const nodes = await w.db.all<{ step_key: string; gpu_report: string }>(
      'SELECT step_key, gpu_report FROM nodes WHERE cluster_id = $1 AND registered_at IS NOT NULL ORDER BY step_key',
      [clusterId],
    );
    expect(nodes).toHaveLength(5);
    const t4 = nodes.filter((n) => n.step_key.includes('t4'));
    for (const n of t4)
      expect((JSON.parse(n.gpu_report) as { gpus: { product: string }[] }).gpus[0]?.product).toBe('Tesla T4');
    const pods = await w.db.all<{ outputs: string }>(
      `SELECT outputs FROM steps WHERE cluster_id = $1 AND step_key IN ('ecs-instance/t4-1', 'ecs-instance/t4-2') ORDER BY step_key`,
      [clusterId],
    );
    expect(pods.map((p) => (JSON.parse(p.outputs) as { podCidr: string }).podCidr)).toEqual([
      '172.20.0.192/26',
      '172.20.1.0/26',
    ]);
    expect(await instancesOf(w, clusterId)).toHaveLength(5);
  });

  it('M65 a bad node pool is refused with every problem at once, and nothing changes', async () => {
    const e = await scaleOutCluster(w.engine, clusterId, {
      name: 'T4!',
      instanceTypes: ['ecs.nope'],
      count: 0,
      x: 1,
    }).catch((x: unknown) => x);
    expect((e as KuberackError).code).toBe('ENGINE_NODE_POOL_INVALID');
    expect((e as KuberackError).problems.map((p) => p.path).sort()).toEqual([
      'count',
      'instanceTypes.0',
      'name',
      'x',
    ]);
    const taken = await scaleOutCluster(w.engine, clusterId, {
      name: 't4',
      instanceTypes: ['ecs.gn6i-c4g1.xlarge'],
      count: 1,
    }).catch((x: unknown) => x);
    expect((taken as KuberackError).problems.map((p) => p.code)).toEqual(['NODE_POOL_NAME_TAKEN']);
    expect(await w.state(clusterId)).toBe('running');
  });

  it('M65 a scale-out that fails for good releases only its own nodes; the cluster keeps running', async () => {
    await w.emulator.setFaults(ACCESS_KEY, {
      // The instances are made, then their routes are refused: the rollback must release the instances.
      failures: [{ action: 'CreateRouteEntry', code: 'QuotaExceeded', remaining: -1 }],
    });
    const { taskId } = await scaleOutCluster(w.engine, clusterId, {
      name: 'more',
      instanceTypes: ['ecs.gn6i-c4g1.xlarge'],
      count: 2,
    });
    expect(await w.runUntil(clusterId, ['running'])).toBe('running');
    await w.emulator.setFaults(ACCESS_KEY, {});
    const task = await describeTask(w.engine, taskId);
    expect(task).toMatchObject({ type: 'scale-out', state: 'failed' });
    expect(task?.error).toMatchObject({ code: 'ENGINE_STEP_FAILED', cloudCode: 'QuotaExceeded' });
    expect(await instancesOf(w, clusterId)).toHaveLength(5);
    const left = await w.db.all<{ step_key: string }>(
      `SELECT step_key FROM steps WHERE cluster_id = $1 AND step_key LIKE '%more-%'`,
      [clusterId],
    );
    expect(left).toEqual([]);

    // The same pool again, now that the cloud has capacity: new creates, not replays of the released ones.
    const again = await scaleOutCluster(w.engine, clusterId, {
      name: 'more',
      instanceTypes: ['ecs.gn6i-c4g1.xlarge'],
      count: 2,
    });
    expect(await w.runUntil(clusterId, ['running', 'scale_rollback'])).toBe('running');
    expect(await describeTask(w.engine, again.taskId)).toMatchObject({ state: 'succeeded' });
    expect(await instancesOf(w, clusterId)).toHaveLength(7);
  });

  it('M64 delete after scale-out releases every node, the pool’s too', async () => {
    await deleteCluster(w.engine, clusterId);
    expect(await w.runUntil(clusterId, ['deleted', 'delete_failed'])).toBe('deleted');
    const left = (await w.emulator.inventory(ACCESS_KEY)).filter((r) =>
      r.tags.some((t) => t.key === OWNER_CLUSTER_TAG),
    );
    expect(left).toEqual([]);
  });
});
