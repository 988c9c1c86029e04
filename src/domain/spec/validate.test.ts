// Tests for validateClusterSpec as a whole: the baseline validates, every independent mistake is
// reported in one call, and (fast-check) no input at all makes it throw or report nonsense.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../messages/index.js';
import type { Problem } from '../problems.js';
import {
  allFacts,
  baseline,
  check,
  pairs,
  PRIVATE_API,
  recorded,
  set,
  spec,
  unrendered,
  usePassword,
  type Json,
  type JsonObject,
} from './spec-fixtures.js';
import { validateClusterSpec } from './validate.js';

describe('the baseline', () => {
  it('M15–M60 baseline: the minimal valid input validates', () => {
    const result = check(baseline());
    expect(result.ok).toBe(true);
    expect(result.problems).toEqual([]);
    expect(pairs(result.warnings)).toEqual([PRIVATE_API]);
  });

  it('M15–M60 baseline: it also validates against full, consistent facts', () => {
    expect(pairs(check(baseline(), allFacts()).problems)).toEqual([]);
  });

  it('M15–M60 baseline: each call gets a fresh copy', () => {
    const a = baseline();
    set('name', 'changed')(a);
    expect(baseline().name).toBe('gpu-cluster');
  });

  it('M15–M60 baseline: the normalised spec validates again to itself', () => {
    const first = check(spec(usePassword('Abcdef1!')), allFacts());
    const again = check(JSON.parse(JSON.stringify(first.spec)) as unknown, allFacts());
    expect(again.ok).toBe(true);
    expect(again.spec).toEqual(first.spec);
  });
});

describe('all problems at once', () => {
  it('M15–M60 all at once: a spec with many independent mistakes reports every one in one call', () => {
    const input = spec(
      set('name', '-gpu'),
      set('edition', 'ultimate'),
      set('regionId', 'mars-north-1'),
      set('resourceGroupId', 'rg-missing'),
      set('kubernetesVersion', '1.17.0'),
      set('deletionProtecton', true),
      set('timeZone', 'Mars/Base'),
      set('tags', [{ key: 'aliyun-x', value: 'v' }]),
      set('clusterDomain', 'a.b.c'),
      set('certSans', ['foo..bar']),
      set('network.podCidr', '8.8.0.0/16'),
      set('network.serviceCidr', '172.21.0.0/25'),
      set('network.sshPublicAccess', true),
      set('network.rdsInstanceIds', ['db-1']),
      set('workers.instances.count', 0),
      set('workers.instances.instanceTypes', ['ecs.gn5i-c2g1.large']),
      set('workers.instances.systemDisk', { sizeGiB: 460, performanceLevel: 'PL2' }),
      set('workers.os', 'centos-8'),
      usePassword('short', 'other'),
      set('workers.nodeName', { prefix: 'gpu', ipDigits: 4 }),
      set('workers.taints', [{ key: 'gpu', effect: 'Never' }]),
      set('components.ingress.dashboard', true),
      set('components.logService.enabled', false),
      set('components.workflowEngine', true),
    );
    const result = check(input, allFacts({ stock: undefined }));
    expect(result.ok).toBe(false);
    expect(pairs(result.problems)).toEqual(
      [
        'name SPEC_NAME_LEADING_HYPHEN',
        'edition SPEC_ENUM',
        'regionId SPEC_REGION_UNKNOWN',
        'resourceGroupId SPEC_RESOURCE_GROUP_UNKNOWN',
        'kubernetesVersion SPEC_VERSION_UNSUPPORTED',
        'deletionProtecton SPEC_UNKNOWN_FIELD',
        'timeZone SPEC_TIME_ZONE_INVALID',
        'tags[0].key SPEC_TAG_KEY_RESERVED',
        'clusterDomain SPEC_CLUSTER_DOMAIN_INVALID',
        'certSans[0] SPEC_SAN_INVALID',
        'network.podCidr NET_CIDR_NOT_PRIVATE',
        'network.serviceCidr NET_CIDR_PREFIX_RANGE',
        'network.sshPublicAccess SPEC_SSH_NEEDS_PUBLIC_ACCESS',
        'network.rdsInstanceIds[0] SPEC_RDS_ID_INVALID',
        'workers.instances.count SPEC_OUT_OF_RANGE',
        'workers.instances.instanceTypes[0] SPEC_INSTANCE_TYPE_TOO_SMALL',
        'workers.instances.systemDisk.performanceLevel SPEC_DISK_LEVEL_SIZE',
        'workers.os SPEC_OS_CENTOS_8_UNSUPPORTED',
        'workers.login.password SPEC_PASSWORD_LENGTH',
        'workers.login.password SPEC_PASSWORD_WEAK',
        'workers.login.passwordConfirm SPEC_PASSWORD_MISMATCH',
        'workers.nodeName.ipDigits SPEC_OUT_OF_RANGE',
        'workers.taints[0].effect SPEC_ENUM',
        'components.ingress.dashboard SPEC_INGRESS_DASHBOARD_NEEDS_LOG_SERVICE',
        'components.workflowEngine SPEC_WORKFLOW_ENGINE_NOT_ALLOWED',
      ].sort(),
    );
  });
});

/** A spec that sets every field, so a mutation can reach every reader and rule. */
function fullSpec(): JsonObject {
  return spec(
    set('edition', 'pro'),
    set('resourceGroupId', 'rg-aek2default'),
    set('kubernetesVersion', '1.34.1-aliyun.1'),
    set('runtime', 'containerd'),
    set('deletionProtection', true),
    set('timeZone', 'Asia/Shanghai'),
    set('kubeProxyMode', 'iptables'),
    set('tags', [{ key: 'team', value: 'ml' }]),
    set('clusterDomain', 'cluster.local'),
    set('certSans', ['10.0.0.1', 'api.example.com']),
    set('serviceAccountTokenProjection', {
      enabled: true,
      issuer: 'https://issuer.example.com',
      audiences: ['a'],
    }),
    set('secretEncryption', { kmsKeyId: 'key-hzz62f1cb66fa42qo0000' }),
    set('disableRollback', false),
    set('network.nodeIpCount', 64),
    set('network.snat', true),
    set('network.apiServer', { slbSpec: 'slb.s2.small', publicAccess: true }),
    set('network.sshPublicAccess', true),
    set('network.rdsInstanceIds', ['rm-bp1hangzhou']),
    set('network.securityGroup', { mode: 'create', type: 'enterprise' }),
    set('workers.instances.billing', {
      type: 'subscription',
      period: 1,
      periodUnit: 'year',
      autoRenew: true,
    }),
    set('workers.instances.systemDisk', {
      category: 'essd',
      sizeGiB: 120,
      performanceLevel: 'PL1',
      backup: true,
    }),
    set('workers.instances.dataDisks', [
      { category: 'essd', sizeGiB: 500, performanceLevel: 'PL2', encrypted: true },
    ]),
    set('workers.os', 'aliyun-linux-2'),
    set('workers.hardening', 'cis'),
    set('workers.customImageId', 'm-alinux2'),
    set('workers.instanceProtection', true),
    set('workers.userData', '#!/bin/sh\necho hi'),
    set('workers.nodeName', { prefix: 'gpu', ipDigits: 6, suffix: 'node' }),
    set('workers.cpuPolicy', 'static'),
    set('workers.taints', [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }]),
    set('components', {
      ingress: { enabled: true, dashboard: true },
      storagePlugin: 'csi',
      monitoring: { cloudMonitorAgent: true, prometheus: true },
      alerting: { defaultRules: true },
      logService: {
        enabled: true,
        project: { mode: 'existing', name: 'k8s-log-project' },
        nodeProblemDetector: true,
      },
      controlPlaneLogs: { enabled: true, components: ['apiserver'] },
      workflowEngine: false,
    }),
  );
}

/** Every path of a JSON value: `a`, `a.b`, `a.b[0]`, … */
function pathsOf(value: Json, prefix = ''): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => [`${prefix}[${i}]`, ...pathsOf(v, `${prefix}[${i}]`)]);
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => {
      const p = prefix === '' ? k : `${prefix}.${k}`;
      return [p, ...pathsOf(v, p)];
    });
  }
  return [];
}

const fullFacts = allFacts({
  account: {
    allowlists: { exclusiveEni: true, customImage: true, workflowEngine: true },
    resourceGroupIds: ['rg-aek2default'],
  },
});

/** JSON values that break careless code: keys that shadow Object.prototype, braces, huge text. */
const tricky = fc.constantFrom<Json>(
  { toString: false },
  { valueOf: 1, toString: 'x' },
  JSON.parse('{"__proto__": {"toString": false}}') as Json,
  ['{value}'],
  '{value}',
  'x'.repeat(100_000),
  -0,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
);

/** Invariants every result must keep, whatever the input. */
function expectSaneResult(problems: readonly Problem[], ok: boolean): void {
  expect(ok).toBe(problems.length === 0);
  for (const p of problems) {
    expect(catalogue[p.code], p.code).toBeDefined();
    // An unknown field's name is the user's own text, so only its ending is predictable.
    if (p.code === 'SPEC_UNKNOWN_FIELD') expect(p.path.endsWith(String(p.params.field))).toBe(true);
    else expect(p.path).toMatch(/^(|[A-Za-z]+(\[\d+\])*(\.[A-Za-z]+(\[\d+\])*)*)$/);
  }
}

describe('never throws', () => {
  it('M15–M60 robustness: the full spec used by the properties validates', () => {
    const result = check(fullSpec(), fullFacts);
    expect(pairs(result.problems)).toEqual([]);
  });

  it('M15–M60 robustness: any value at all as the spec never throws and always answers', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = validateClusterSpec(input);
        expectSaneResult(result.problems, result.ok);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('M15–M60 robustness: any JSON value at any path of a full spec never throws, repeats or leaves a placeholder', () => {
    const paths = pathsOf(fullSpec());
    fc.assert(
      fc.property(
        fc.constantFrom(...paths),
        fc.oneof(fc.jsonValue(), fc.anything(), tricky),
        (path, value) => {
          const input = fullSpec();
          set(path, value as Json)(input);
          const result = validateClusterSpec(input, fullFacts);
          expectSaneResult(result.problems, result.ok);
          const keys = result.problems.map((p) => JSON.stringify(p));
          expect(new Set(keys).size, keys.join('\n')).toBe(keys.length);
          expect(unrendered([...result.problems, ...result.warnings])).toEqual([]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('M15–M60 robustness: several random edits at once never throw', () => {
    const paths = pathsOf(fullSpec());
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...paths), fc.oneof(fc.jsonValue(), tricky)), { maxLength: 8 }),
        (edits) => {
          const input = fullSpec();
          for (const [path, value] of edits) {
            try {
              set(path, value as Json)(input);
            } catch {
              // an earlier edit replaced a parent with a scalar: this path no longer exists
            }
          }
          const result = validateClusterSpec(input, fullFacts);
          expectSaneResult(result.problems, result.ok);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('messages of this file', () => {
  it('M15–M60 every problem and warning produced above renders in en and zh-CN', () => {
    expect(recorded.length).toBeGreaterThan(20);
    expect(unrendered(recorded)).toEqual([]);
  });
});
