// Bad input never breaks the APIs (issue 8): thousands of random and mutated create bodies, signed, sent
// to the native API and the ACK facade: never a 5xx, and never a cluster made from an invalid spec.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedRequest, type Credentials } from '../src/api/client.js';
import type { RunningServer } from '../src/main/server.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { exampleSpec } from './support/engine-world.js';

const ADMIN: Credentials = {
  accessKeyId: 'KRFUZZ000000001',
  accessKeySecret: 'fuzz-secret-0123456789abcdef',
};
let server: RunningServer;

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer(ADMIN, { keyPair: 'my-key' });
  server = test.server;
  // The engine must not turn anything accepted into a cluster while we count: stop it.
  await server.runtime.engine.stop();
});

afterAll(async () => {
  await test.stop();
});

/** The example spec with one field somewhere replaced by a random value (or removed). */
const mutated = fc
  .tuple(
    fc.array(
      fc.constantFrom(
        'name',
        'regionId',
        'network',
        'workers',
        'vpc',
        'cidr',
        'instances',
        'count',
        'podCidr',
        'serviceCidr',
        'login',
        'tags',
        'x',
      ),
      { minLength: 1, maxLength: 3 },
    ),
    fc.anything(),
  )
  .map(([path, value]) => {
    const spec = exampleSpec() as Record<string, unknown>;
    let node: Record<string, unknown> = spec;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (typeof next !== 'object' || next === null) break;
      node = next as Record<string, unknown>;
    }
    const last = path[path.length - 1] ?? 'name';
    if (value === undefined) delete node[last];
    else node[last] = value;
    return spec;
  });

async function clusters(): Promise<number> {
  return Number((await server.db.one<{ n: number }>('SELECT COUNT(*) AS n FROM clusters'))?.n);
}

describe('API fuzz', { timeout: 300_000 }, () => {
  it('native API: random bodies and mutated specs never give a 5xx', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.anything(),
          fc.record({ spec: fc.oneof(fc.anything(), mutated) }),
          fc.record({ spec: mutated, dryRun: fc.boolean() }),
        ),
        async (body) => {
          const r = await signedRequest(
            server.url,
            ADMIN,
            'POST',
            '/v1/clusters',
            body === undefined ? null : body,
          );
          expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBeLessThan(500);
          if (r.status === 422)
            expect((r.body as { problems: unknown[] }).problems.length).toBeGreaterThan(0);
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        },
      ),
      { numRuns: 1000 },
    );
    // Both outcomes really happened: refusals, and specs that survived their mutation.
    expect(statuses.get(422) ?? 0).toBeGreaterThan(100);
    expect((statuses.get(200) ?? 0) + (statuses.get(202) ?? 0)).toBeGreaterThan(0);
  });

  it('ACK facade: random CreateCluster bodies never give a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.anything(),
          fc.dictionary(
            fc.constantFrom(
              'name',
              'region_id',
              'cluster_type',
              'vpcid',
              'vswitch_ids',
              'zone_ids',
              'container_cidr',
              'service_cidr',
              'node_cidr_mask',
              'worker_instance_types',
              'num_of_nodes',
              'key_pair',
              'login_password',
              'tags',
              'nodepools',
              'addons',
              'instances',
              'runtime',
            ),
            fc.anything(),
          ),
        ),
        async (body) => {
          const r = await signedRequest(
            server.url,
            ADMIN,
            'POST',
            '/clusters',
            body === undefined ? null : body,
          );
          expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBeLessThan(500);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('no cluster was made from an invalid spec', async () => {
    // Every accepted body above was a valid spec; count them against what the validator says.
    const rows = await server.db.all<{ spec: string }>('SELECT spec FROM clusters');
    const { validateClusterSpec } = await import('../src/domain/spec/index.js');
    for (const r of rows) expect(validateClusterSpec(JSON.parse(r.spec)).ok).toBe(true);
    expect(await clusters()).toBe(rows.length);
  });
});
