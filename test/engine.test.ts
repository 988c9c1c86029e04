// The provisioning engine end to end on the emulator, on SQLite and PostgreSQL: a 3-node GPU cluster
// reaches running with every node registered and its GPUs reported, the ledger matches the emulator's
// inventory exactly, and a delete leaves nothing behind (M1–M9, M32, M62, M64).
import { beforeAll, expect, it } from 'vitest';
import { OWNER_CLUSTER_TAG } from '../src/cloud/provider.js';
import { createCluster, deleteCluster, describeCluster, describeTask } from '../src/engine/clusters.js';
import { KuberackError } from '../src/domain/errors.js';
import { ACCESS_KEY, exampleSpec, makeWorld, type World } from './support/engine-world.js';
import { describeEachDatabase } from './support/postgres.js';

/** Every id or name the steps recorded (the ledger), per cluster. */
async function ledger(w: World, clusterId: string): Promise<Set<string>> {
  const rows = await w.db.all<{ memory: string }>('SELECT memory FROM steps WHERE cluster_id = $1', [
    clusterId,
  ]);
  return new Set(
    rows.flatMap((r) =>
      Object.values(JSON.parse(r.memory) as Record<string, unknown>).filter((v) => typeof v === 'string'),
    ),
  ) as Set<string>;
}

describeEachDatabase('engine: create and delete a GPU cluster', (open) => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld(await open());
  });

  it('M1 M9 M62 a 3-node A10 cluster reaches running once every node has reported its GPUs', async () => {
    const { clusterId } = await createCluster(w.engine, {
      tenantId: 't1',
      accessKeyId: ACCESS_KEY,
      spec: exampleSpec(),
    });
    expect(await w.runUntil(clusterId, ['running', 'failed'])).toBe('running');
    const view = await describeCluster(w.engine, clusterId);
    expect(view?.steps.every((s) => s.state === 'done')).toBe(true);
    const nodes = await w.db.all<{ gpu_count: number; node_name: string }>(
      'SELECT gpu_count, node_name FROM nodes WHERE cluster_id = $1 AND registered_at IS NOT NULL',
      [clusterId],
    );
    expect(nodes).toHaveLength(3);
    expect(nodes.every((n) => Number(n.gpu_count) === 1)).toBe(true);

    // The ledger and the cloud agree exactly: every owned resource recorded, nothing recorded missing.
    const owned = (await w.emulator.inventory(ACCESS_KEY)).filter((i) => i.ownerCluster === clusterId);
    const recorded = await ledger(w, clusterId);
    for (const r of owned)
      expect(recorded.has(r.id) || (r.name !== null && recorded.has(r.name)), `${r.kind} ${r.id}`).toBe(true);
    const ownedKeys = new Set(owned.flatMap((r) => [r.id, r.name ?? '']));
    const recordedIds = [...recorded].filter((v) => /^(vpc|vsw|sg|ngw|eip|snat|rte|lb|i)-/.test(v));
    for (const id of recordedIds) expect(ownedKeys.has(id), id).toBe(true);
    expect(owned.filter((i) => i.kind === 'instance')).toHaveLength(3);

    // M64: a delete releases everything, in reverse order, and the sweep finds nothing left.
    const deletion = await deleteCluster(w.engine, clusterId);
    expect(await w.runUntil(clusterId, ['deleted', 'delete_failed'])).toBe('deleted');
    expect(await describeTask(w.engine, deletion.taskId)).toMatchObject({
      state: 'succeeded',
      type: 'delete',
    });
    // M67: each release is timed from the delete, not from the step's creation.
    const task = await describeTask(w.engine, deletion.taskId);
    const released =
      (await describeCluster(w.engine, clusterId))?.steps.filter((s) => s.state === 'released') ?? [];
    expect(released.length).toBeGreaterThan(10);
    for (const s of released) {
      expect(s.startedAt, s.key).toBeGreaterThanOrEqual(task?.createdAt ?? Infinity);
      expect(s.finishedAt, s.key).toBeGreaterThanOrEqual(s.startedAt ?? Infinity);
    }
    const left = (await w.emulator.inventory(ACCESS_KEY)).filter((i) =>
      i.tags.some((t) => t.key === OWNER_CLUSTER_TAG),
    );
    expect(left).toEqual([]);
    expect(await w.db.all('SELECT name FROM secrets WHERE cluster_id = $1', [clusterId])).toEqual([]);
  });

  it('M42 M47 facts from the cloud: a missing key pair and a sold-out zone are refused with their paths', async () => {
    const spec = exampleSpec() as {
      network: { vswitches: { zoneId: string }[] };
      workers: { login: unknown };
    };
    spec.network.vswitches = [
      { ...(spec.network.vswitches[0] as object), zoneId: 'cn-hangzhou-h' } as { zoneId: string },
    ];
    spec.workers.login = { type: 'key-pair', keyPair: { mode: 'existing', name: 'no-such-key' } };
    const e = await createCluster(w.engine, { tenantId: 't1', accessKeyId: ACCESS_KEY, spec }).catch(
      (x: unknown) => x,
    );
    expect((e as KuberackError).code).toBe('ENGINE_SPEC_INVALID');
    const paths = (e as KuberackError).problems.map((p) => `${p.path} ${p.code}`);
    expect(paths.some((p) => p.startsWith('workers.login.keyPair.name'))).toBe(true);
    expect(paths.some((p) => p.startsWith('workers.instances.instanceTypes'))).toBe(true);
  });

  it('M32 deletion protection refuses the delete and keeps the cluster', async () => {
    const spec = { ...exampleSpec(), name: 'protected', deletionProtection: true };
    const { clusterId } = await createCluster(w.engine, { tenantId: 't1', accessKeyId: ACCESS_KEY, spec });
    await expect(deleteCluster(w.engine, clusterId)).rejects.toThrow(KuberackError);
    expect(await w.state(clusterId)).toBe('initial');
  });

  it('M10 a spec the account cannot pay for is refused before anything is created', async () => {
    await w.emulator.setAccount({ accessKeyId: 'PoorAccount1', balanceCny: 20 });
    await w.emulator
      .provider('PoorAccount1')
      .createKeyPair({ regionId: 'cn-hangzhou', name: 'my-key' }, { clientToken: 'poor-key', tags: [] });
    const before = (await w.emulator.inventory('PoorAccount1')).length;
    const e = await createCluster(w.engine, {
      tenantId: 't1',
      accessKeyId: 'PoorAccount1',
      spec: exampleSpec(),
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KuberackError);
    expect((e as KuberackError).code).toBe('ENGINE_PREFLIGHT_REFUSED');
    expect((e as KuberackError).problems.map((p) => p.code)).toContain('BALANCE_INSUFFICIENT');
    expect((await w.emulator.inventory('PoorAccount1')).length).toBe(before);
  });
});
