// Tests for reading untrusted input into a ClusterSpec (M15–M60 shape): unknown fields with their
// path, wrong types, wrong roots, arrays for objects, huge strings and lists, and the defaults.
import { describe, expect, it } from 'vitest';
import { SPEC_DEFAULTS } from './defaults.js';
import {
  baseline,
  check,
  pairs,
  recorded,
  row,
  set,
  spec,
  table,
  unrendered,
  type Case,
  type Json,
} from './spec-fixtures.js';

function runCase(c: Case): void {
  const result = check(c.input, c.facts);
  expect(pairs(result.problems)).toEqual([...c.problems].sort());
  expect(result.ok).toBe(c.problems.length === 0);
}

describe('unknown fields', () => {
  it.each(
    table([
      row('M32 shape: the typo deletionProtecton is reported at its path', set('deletionProtecton', true), [
        'deletionProtecton SPEC_UNKNOWN_FIELD',
      ]),
      row(
        'M21 shape: a typo inside the VPC is reported at its path',
        set('network.vpc.cidrr', '10.0.0.0/8'),
        ['network.vpc.cidrr SPEC_UNKNOWN_FIELD'],
      ),
      row(
        'M22 shape: a typo inside a vSwitch is reported with its index',
        set('network.vswitches[0].zone', 'x'),
        ['network.vswitches[0].zone SPEC_UNKNOWN_FIELD'],
      ),
      row(
        'M44 shape: a typo inside the system disk is reported',
        set('workers.instances.systemDisk', { sizeGB: 100 }),
        ['workers.instances.systemDisk.sizeGB SPEC_UNKNOWN_FIELD'],
      ),
      row('M35 shape: a typo inside a tag is reported', set('tags', [{ key: 'k', val: 'v' }]), [
        'tags[0].val SPEC_UNKNOWN_FIELD',
      ]),
      row(
        'M53 shape: a typo inside a taint is reported',
        set('workers.taints', [{ key: 'k', efect: 'NoSchedule' }]),
        ['workers.taints[0].efect SPEC_UNKNOWN_FIELD'],
      ),
      row(
        'M54 shape: a typo inside a component is reported',
        set('components.ingress', { dashbaord: true }),
        ['components.ingress.dashbaord SPEC_UNKNOWN_FIELD'],
      ),
      row(
        'M15 shape: a __proto__ key is just an unknown field',
        (input) => {
          Object.defineProperty(input, '__proto__', { value: { name: 'x' }, enumerable: true });
        },
        ['__proto__ SPEC_UNKNOWN_FIELD'],
      ),
      row('M15 shape: a constructor key is just an unknown field', set('constructor', 'x'), [
        'constructor SPEC_UNKNOWN_FIELD',
      ]),
      row(
        'M15 shape: several unknown fields are all reported',
        [set('foo', 1), set('network.bar', 2), set('workers.baz', 3)],
        ['foo SPEC_UNKNOWN_FIELD', 'network.bar SPEC_UNKNOWN_FIELD', 'workers.baz SPEC_UNKNOWN_FIELD'],
      ),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M32 shape: the unknown field names itself in its params', () => {
    expect(check(spec(set('deletionProtecton', true))).problems).toEqual([
      { path: 'deletionProtecton', code: 'SPEC_UNKNOWN_FIELD', params: { field: 'deletionProtecton' } },
    ]);
  });

  it('M15 shape: JSON.parse input with a __proto__ key is read safely', () => {
    const input = JSON.parse(
      `{"__proto__": {"polluted": true}, ${JSON.stringify(baseline()).slice(1)}`,
    ) as unknown;
    const result = check(input);
    expect(pairs(result.problems)).toEqual(['__proto__ SPEC_UNKNOWN_FIELD']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('wrong types', () => {
  it.each(
    table([
      row('M15 shape: a numeric name is a type error', set('name', 5), ['name SPEC_TYPE']),
      row('M17 shape: a list as region is a type error', set('regionId', ['cn-hangzhou']), [
        'regionId SPEC_TYPE',
      ]),
      row('M16 shape: a number as edition is refused', set('edition', 1), ['edition SPEC_ENUM']),
      row('M32 shape: a string for a boolean is a type error', set('deletionProtection', 'true'), [
        'deletionProtection SPEC_TYPE',
      ]),
      row('M35 shape: a string for a list is a type error', set('tags', 'team=ml'), ['tags SPEC_TYPE']),
      row('M37 shape: a SAN that is not a string is a type error', set('certSans', [1]), [
        'certSans[0] SPEC_TYPE',
      ]),
      row('M24 shape: a numeric string for an integer is a type error', set('network.nodeIpCount', '64'), [
        'network.nodeIpCount SPEC_TYPE',
      ]),
      row('M43 shape: a numeric string count is a type error', set('workers.instances.count', '3'), [
        'workers.instances.count SPEC_TYPE',
      ]),
      row('M43 shape: NaN-like values are type errors', set('workers.instances.count', 'NaN'), [
        'workers.instances.count SPEC_TYPE',
      ]),
      row(
        'M42 shape: a string for the type list is a type error',
        set('workers.instances.instanceTypes', 'ecs.gn7i-c8g1.2xlarge'),
        ['workers.instances.instanceTypes SPEC_TYPE'],
      ),
      row(
        'M22 shape: an object for the vSwitch list is a type error',
        set('network.vswitches', { zoneId: 'cn-hangzhou-i' }),
        ['network.vswitches SPEC_TYPE'],
      ),
    ]),
  )('%s', (_name, c) => runCase(c));
});

describe('wrong roots and arrays where objects are expected', () => {
  it('M15 shape: validateClusterSpec(null) reports the spec itself as required', () => {
    const result = check(null);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toEqual({ path: '', code: 'SPEC_REQUIRED', params: {} });
  });

  it('M15 shape: validateClusterSpec(undefined) reports the spec itself as required', () => {
    expect(check(undefined).problems[0]).toEqual({ path: '', code: 'SPEC_REQUIRED', params: {} });
  });

  it.each<[string, unknown]>([
    ['an array', []],
    ['a string', 'name: gpu'],
    ['a number', 42],
    ['a boolean', true],
  ])('M15 shape: %s as the spec is a type error at the root', (_kind, input) => {
    const result = check(input);
    expect(result.problems[0]).toEqual({ path: '', code: 'SPEC_TYPE', params: { expected: 'object' } });
    expect(result.ok).toBe(false);
  });

  // Besides the type error, only "required" below the broken object may follow (the reader
  // goes on with defaults); nothing unrelated is reported.
  it.each<[string, string, Json]>([
    ['M21 shape: an array as network is a type error', 'network', []],
    ['M21 shape: an array as VPC is a type error', 'network.vpc', []],
    ['M29 shape: an array as API server is a type error', 'network.apiServer', [true]],
    ['M40 shape: an array as instances is a type error', 'workers.instances', ['i-1']],
    ['M47 shape: an array as login is a type error', 'workers.login', ['my-key']],
    ['M54 shape: an array as components is a type error', 'components', []],
    ['M35 shape: an array as a tag is a type error', 'tags[0]', ['k', 'v']],
    ['M39 shape: a string as secret encryption is a type error', 'secretEncryption', 'key-1'],
  ])('%s', (_name, path, value) => {
    const result = check(spec(set(path, value)));
    expect(result.problems[0]).toEqual({ path, code: 'SPEC_TYPE', params: { expected: 'object' } });
    for (const p of result.problems.slice(1)) {
      expect(p.code).toBe('SPEC_REQUIRED');
      expect(p.path.startsWith(`${path}.`)).toBe(true);
    }
  });
});

describe('hostile values', () => {
  it.each<[string, string, Json]>([
    ['M16 shape: an object whose toString is not a function, as edition', 'edition', { toString: false }],
    ['M20 shape: an object with valueOf and toString, as runtime', 'runtime', { valueOf: 1, toString: 'x' }],
    ['M53 shape: an object as a taint effect', 'workers.taints[0].effect', { toString: false }],
    [
      'M59 shape: an object as a control-plane component',
      'components.controlPlaneLogs.components[0]',
      { toString: null },
    ],
  ])('%s is refused without throwing', (_name, path, value) => {
    const input = spec(set(path, value));
    if (path.startsWith('workers.taints')) set('workers.taints[0].key', 'gpu')(input);
    const result = check(input);
    expect(result.problems).toContainEqual(expect.objectContaining({ path, code: 'SPEC_ENUM' }));
    expect(result.problems.find((p) => p.path === path)?.params.value).toBe('object');
  });
});

describe('huge input', () => {
  it.each(
    table([
      row('M15 shape: a 1 MB name is refused as too long, not scanned', set('name', 'x'.repeat(1_000_000)), [
        'name SPEC_TOO_LONG',
      ]),
      row('M17 shape: a huge region is refused as too long', set('regionId', 'r'.repeat(100_000)), [
        'regionId SPEC_TOO_LONG',
      ]),
      row('M35 shape: a huge tag key is refused as too long', set('tags', [{ key: 'k'.repeat(100_000) }]), [
        'tags[0].key SPEC_TOO_LONG',
      ]),
      row(
        'M35 shape: 100 000 tags are refused as too many',
        set(
          'tags',
          Array.from({ length: 100_000 }, (): Json => ({ key: 'k' })),
        ),
        ['tags SPEC_TOO_MANY'],
      ),
      row(
        'M37 shape: 100 000 SANs are refused as too many',
        set(
          'certSans',
          Array.from({ length: 100_000 }, () => 'a.b'),
        ),
        ['certSans SPEC_TOO_MANY'],
      ),
      row(
        'M47 shape: a huge password is refused as too long',
        set('workers.login', { password: 'x'.repeat(100_000), passwordConfirm: 'x' }),
        ['workers.login.password SPEC_TOO_LONG'],
      ),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M15 shape: the too-long refusal gives the limit', () => {
    expect(check(spec(set('name', 'x'.repeat(2000)))).problems[0]?.params).toEqual({ max: 1024 });
  });

  it('M15 shape: a deeply nested unknown value is reported once at its top', () => {
    let deep: Json = 'x';
    for (let i = 0; i < 5000; i++) deep = { a: deep };
    const result = check(spec(set('network.vpc.extra', deep)));
    expect(pairs(result.problems)).toEqual(['network.vpc.extra SPEC_UNKNOWN_FIELD']);
  });
});

describe('defaults', () => {
  it('M15–M60 defaults: the minimal input is filled in with the documented defaults', () => {
    const s = check(spec()).spec;
    expect({
      edition: s.edition,
      runtime: s.runtime,
      deletionProtection: s.deletionProtection,
      timeZone: s.timeZone,
      kubeProxyMode: s.kubeProxyMode,
      clusterDomain: s.clusterDomain,
      serviceCidr: s.network.serviceCidr,
      snat: s.network.snat,
      slbSpec: s.network.apiServer.slbSpec,
      publicAccess: s.network.apiServer.publicAccess,
      sshPublicAccess: s.network.sshPublicAccess,
      securityGroup: s.network.securityGroup,
      billing: s.workers.instances.mode === 'create' ? s.workers.instances.billing : null,
      systemDisk: s.workers.instances.mode === 'create' ? s.workers.instances.systemDisk : null,
      os: s.workers.os,
      hardening: s.workers.hardening,
      instanceProtection: s.workers.instanceProtection,
      nodeName: s.workers.nodeName,
      taints: s.workers.taints,
      secretEncryption: s.secretEncryption,
      disableRollback: s.disableRollback,
      tokenProjection: s.serviceAccountTokenProjection,
    }).toEqual({
      edition: SPEC_DEFAULTS.edition,
      runtime: SPEC_DEFAULTS.runtime,
      deletionProtection: false,
      timeZone: SPEC_DEFAULTS.timeZone,
      kubeProxyMode: SPEC_DEFAULTS.kubeProxyMode,
      clusterDomain: 'cluster.local',
      serviceCidr: '172.21.0.0/20',
      snat: true,
      slbSpec: 'slb.s1.small',
      publicAccess: false,
      sshPublicAccess: false,
      securityGroup: { mode: 'create', type: 'normal' },
      billing: { type: 'pay-as-you-go' },
      systemDisk: SPEC_DEFAULTS.systemDisk,
      os: 'aliyun-linux-2',
      hardening: 'none',
      instanceProtection: true,
      nodeName: null,
      taints: [],
      secretEncryption: null,
      disableRollback: false,
      tokenProjection: {
        enabled: false,
        issuer: 'https://kubernetes.default.svc',
        audiences: ['https://kubernetes.default.svc'],
      },
    });
  });

  it('M51 defaults: a node name pattern without digits gets 5 and no suffix', () => {
    expect(check(spec(set('workers.nodeName', { prefix: 'gpu' }))).spec.workers.nodeName).toEqual({
      prefix: 'gpu',
      ipDigits: 5,
      suffix: '',
    });
  });

  it('M15–M60 defaults: null means "use the default" for optional fields', () => {
    const result = check(
      spec(
        set('edition', null),
        set('timeZone', null),
        set('tags', null),
        set('network.snat', null),
        set('workers.os', null),
        set('components', null),
      ),
    );
    expect(result.ok).toBe(true);
    expect([
      result.spec.edition,
      result.spec.timeZone,
      result.spec.network.snat,
      result.spec.workers.os,
    ]).toEqual(['standard', 'Asia/Shanghai', true, 'aliyun-linux-2']);
  });

  it('M15–M60 defaults: parsing does not change the input', () => {
    const input = spec();
    const copy = JSON.parse(JSON.stringify(input)) as unknown;
    check(input);
    expect(input).toEqual(copy);
  });
});

describe('messages of this file', () => {
  it('M15–M60 every problem produced above renders in en and zh-CN', () => {
    expect(unrendered(recorded)).toEqual([]);
  });
});
