// Tests for the cluster fields of a ClusterSpec (M15–M20, M32–M39): each rule with a passing and a
// failing row, each row one edit of the valid baseline, checking the exact (path, code) pairs.
import { describe, expect, it } from 'vitest';
import type { KubernetesVersion } from '../catalogue/kubernetes-versions.js';
import { DEFAULT_KUBERNETES_VERSION } from '../catalogue/kubernetes-versions.js';
import {
  allFacts,
  check,
  pairs,
  PRIVATE_API,
  recorded,
  row,
  set,
  spec,
  unrendered,
  unset,
  table,
  type Json,
  runCase,
} from './spec-fixtures.js';

const facts = allFacts();
const tags = (...list: { key?: string; value?: string }[]): Json => list as Json;
const distinctTags = (n: number): Json => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: 'v' }));

describe('M15 cluster name', () => {
  it.each(
    table([
      row('M15 name: Chinese characters are allowed', set('name', '深度学习-集群1')),
      row('M15 name: letters, digits and inner or trailing hyphens are allowed', set('name', 'GPU-01-')),
      row('M15 name: 63 characters are allowed', set('name', 'a'.repeat(63))),
      row('M15 name: 63 Chinese characters count as 63, not as bytes', set('name', '集'.repeat(63))),
      row('M15 name: 64 characters are refused', set('name', 'a'.repeat(64)), ['name SPEC_NAME_LENGTH']),
      row('M15 name: empty is refused', set('name', ''), ['name SPEC_NAME_LENGTH']),
      row('M15 name: missing is required', unset('name'), ['name SPEC_REQUIRED']),
      row('M15 name: underscore and space are refused', set('name', 'gpu_cluster 1'), [
        'name SPEC_NAME_CHARS',
      ]),
      row('M15 name: an emoji is refused', set('name', 'gpu😀'), ['name SPEC_NAME_CHARS']),
      row('M15 name: full-width digits are refused', set('name', 'gpu１'), ['name SPEC_NAME_CHARS']),
      row('M15 name: a leading hyphen is refused', set('name', '-gpu'), ['name SPEC_NAME_LEADING_HYPHEN']),
      row('M15 name: a number is a type error', set('name', 42), ['name SPEC_TYPE']),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M15 name: the refused characters are listed once each', () => {
    const result = check(spec(set('name', 'a_b_c d')));
    expect(result.problems[0]?.params).toEqual({ chars: ['_', ' '] });
  });

  it('M15 name: the length is reported in characters', () => {
    const result = check(spec(set('name', '集'.repeat(64))));
    expect(result.problems[0]?.params).toEqual({ min: 1, max: 63, length: 64 });
  });
});

describe('M16 edition', () => {
  it.each(
    table([
      row('M16 edition: standard is allowed', set('edition', 'standard')),
      row('M16 edition: pro is allowed', set('edition', 'pro')),
      row('M16 edition: enterprise is not an edition', set('edition', 'enterprise'), ['edition SPEC_ENUM']),
      row('M16 edition: case matters', set('edition', 'Pro'), ['edition SPEC_ENUM']),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M16 edition: standard is the default', () => {
    expect(check(spec()).spec.edition).toBe('standard');
  });
});

describe('M17 region and M18 resource group', () => {
  it.each(
    table([
      row(
        'M17 region: a region from the provider list is allowed',
        [set('regionId', 'cn-beijing'), set('network.vswitches[0].zoneId', 'cn-beijing-a')],
        [],
        { facts: allFacts({ stock: undefined }) },
      ),
      row('M17 region: a region not in the provider list is refused', set('regionId', 'mars-north-1'), [
        'regionId SPEC_REGION_UNKNOWN',
      ]),
      row('M17 region: empty is required', set('regionId', ''), ['regionId SPEC_REQUIRED']),
      row('M17 region: missing is required', unset('regionId'), ['regionId SPEC_REQUIRED']),
      row('M18 resource group: one of the account is allowed', set('resourceGroupId', 'rg-aek2default')),
      row('M18 resource group: one the account lacks is refused', set('resourceGroupId', 'rg-aek2missing'), [
        'resourceGroupId SPEC_RESOURCE_GROUP_UNKNOWN',
      ]),
      row('M18 resource group: empty means the default group', set('resourceGroupId', '')),
      row(
        'M18 resource group: an unknown group is reported even when the region is missing',
        [unset('regionId'), set('resourceGroupId', 'rg-aek2missing')],
        ['regionId SPEC_REQUIRED', 'resourceGroupId SPEC_RESOURCE_GROUP_UNKNOWN'],
      ),
    ]),
  )('%s', (_name, c) => runCase({ ...c, facts: c.facts ?? facts }));

  it('M17 region: without the provider list any region is accepted (checked later)', () => {
    expect(check(spec(set('regionId', 'mars-north-1'))).ok).toBe(true);
  });

  it('M18 resource group: without account facts any group is accepted (checked later)', () => {
    expect(check(spec(set('resourceGroupId', 'rg-anything'))).ok).toBe(true);
  });

  it('M17 region: the refusal lists the allowed regions', () => {
    const result = check(spec(set('regionId', 'mars-north-1')), facts);
    expect(result.problems.find((p) => p.code === 'SPEC_REGION_UNKNOWN')?.params).toEqual({
      value: 'mars-north-1',
      allowed: ['cn-hangzhou', 'cn-beijing'],
    });
  });
});

describe('M19 Kubernetes version and M20 runtime', () => {
  const closed: KubernetesVersion = {
    version: '1.30.1-aliyun.1',
    minor: '1.30',
    creatable: false,
    deprecated: true,
    runtimes: [{ name: 'containerd', version: '1.6.36' }],
  };

  it.each(
    table([
      row('M19 version: the newest offered version is allowed', set('kubernetesVersion', '1.34.1-aliyun.1')),
      row('M19 version: the seed 1.18.8-aliyun.1 is allowed', set('kubernetesVersion', '1.18.8-aliyun.1')),
      row('M19 version: the seed 1.16.9-aliyun.1 is allowed', set('kubernetesVersion', '1.16.9-aliyun.1')),
      row('M19 version: an unsupported version is refused', set('kubernetesVersion', '1.17.0'), [
        'kubernetesVersion SPEC_VERSION_UNSUPPORTED',
      ]),
      row('M19 version: a minor alone is not a version', set('kubernetesVersion', '1.34'), [
        'kubernetesVersion SPEC_VERSION_UNSUPPORTED',
      ]),
      row('M19 version: a version no longer creatable is refused', set('kubernetesVersion', closed.version), [
        'kubernetesVersion SPEC_VERSION_UNSUPPORTED',
      ]),
      row('M20 runtime: containerd with 1.34 is allowed', [
        set('runtime', 'containerd'),
        set('kubernetesVersion', '1.34.1-aliyun.1'),
      ]),
      row(
        'M20 runtime: docker with 1.34 is refused',
        [set('runtime', 'docker'), set('kubernetesVersion', '1.34.1-aliyun.1')],
        ['runtime SPEC_RUNTIME_UNSUPPORTED'],
      ),
      row('M20 runtime: docker with 1.18.8-aliyun.1 is allowed', [
        set('runtime', 'docker'),
        set('kubernetesVersion', '1.18.8-aliyun.1'),
      ]),
      row('M20 runtime: the secure sandbox with 1.18.8-aliyun.1 is allowed', [
        set('runtime', 'sandboxed'),
        set('kubernetesVersion', '1.18.8-aliyun.1'),
      ]),
      row(
        'M20 runtime: the secure sandbox with 1.31 is refused',
        [set('runtime', 'sandboxed'), set('kubernetesVersion', '1.31.9-aliyun.1')],
        ['runtime SPEC_RUNTIME_UNSUPPORTED'],
      ),
      row('M20 runtime: an unknown runtime is refused', set('runtime', 'cri-o'), ['runtime SPEC_ENUM']),
    ]),
  )('%s', (_name, c) =>
    runCase({ ...c, facts: allFacts({ kubernetesVersions: [...facts.kubernetesVersions!, closed] }) }),
  );

  it('M19 version: the newest creatable version is the default', () => {
    expect(check(spec()).spec.kubernetesVersion).toBe(DEFAULT_KUBERNETES_VERSION);
    expect(check(spec()).spec.kubernetesVersion).toBe('1.34.1-aliyun.1');
  });

  it('M19 version: the refusal lists the creatable versions, newest first', () => {
    const result = check(spec(set('kubernetesVersion', '1.17.0')));
    expect(result.problems[0]?.params.allowed).toEqual([
      '1.34.1-aliyun.1',
      '1.33.3-aliyun.1',
      '1.32.7-aliyun.1',
      '1.31.9-aliyun.1',
      '1.18.8-aliyun.1',
      '1.16.9-aliyun.1',
    ]);
  });

  it('M20 runtime: the refusal names the runtimes the version allows', () => {
    const result = check(spec(set('runtime', 'docker'), set('kubernetesVersion', '1.34.1-aliyun.1')));
    expect(result.problems[0]?.params).toEqual({
      runtime: 'docker',
      version: '1.34.1-aliyun.1',
      allowed: ['containerd'],
    });
  });
});

describe('M32 deletion protection, M33 time zone, M34 kube-proxy', () => {
  it.each(
    table([
      row('M32 deletion protection: true is allowed', set('deletionProtection', true)),
      row('M32 deletion protection: false is allowed', set('deletionProtection', false)),
      row('M32 deletion protection: a string is a type error', set('deletionProtection', 'yes'), [
        'deletionProtection SPEC_TYPE',
      ]),
      row('M32 deletion protection: a number is a type error', set('deletionProtection', 1), [
        'deletionProtection SPEC_TYPE',
      ]),
      row('M33 time zone: Asia/Shanghai is valid', set('timeZone', 'Asia/Shanghai')),
      row('M33 time zone: UTC is valid', set('timeZone', 'UTC')),
      row(
        'M33 time zone: America/Argentina/Buenos_Aires is valid',
        set('timeZone', 'America/Argentina/Buenos_Aires'),
      ),
      row('M33 time zone: an unknown zone is invalid', set('timeZone', 'Mars/Olympus_Mons'), [
        'timeZone SPEC_TIME_ZONE_INVALID',
      ]),
      row('M33 time zone: a path is invalid', set('timeZone', '../../etc/passwd'), [
        'timeZone SPEC_TIME_ZONE_INVALID',
      ]),
      row('M33 time zone: empty is invalid', set('timeZone', ''), ['timeZone SPEC_TIME_ZONE_INVALID']),
      row('M34 kube-proxy: iptables is allowed', set('kubeProxyMode', 'iptables')),
      row('M34 kube-proxy: ipvs is allowed', set('kubeProxyMode', 'ipvs')),
      row('M34 kube-proxy: nftables is refused', set('kubeProxyMode', 'nftables'), [
        'kubeProxyMode SPEC_ENUM',
      ]),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M32 deletion protection: the type error says a boolean is expected', () => {
    expect(check(spec(set('deletionProtection', 'yes'))).problems[0]?.params).toEqual({
      expected: 'boolean',
    });
  });

  it('M32 M33 M34 defaults: protection off, Asia/Shanghai, ipvs', () => {
    const s = check(spec()).spec;
    expect([s.deletionProtection, s.timeZone, s.kubeProxyMode]).toEqual([false, 'Asia/Shanghai', 'ipvs']);
  });
});

describe('M35 tags', () => {
  it.each(
    table([
      row(
        'M35 tags: a key with a value and a key alone are allowed',
        set('tags', tags({ key: 'team', value: 'ml' }, { key: 'env' })),
      ),
      row(
        'M35 tags: a reserved word inside a key is allowed',
        set('tags', tags({ key: 'my-aliyun-http://', value: 'x' })),
      ),
      row(
        'M35 tags: a URL inside a value is allowed',
        set('tags', tags({ key: 'doc', value: 'see https://x' })),
      ),
      row('M35 tags: a 64-character key is allowed', set('tags', tags({ key: 'k'.repeat(64) }))),
      row('M35 tags: a 65-character key is refused', set('tags', tags({ key: 'k'.repeat(65) })), [
        'tags[0].key SPEC_TAG_KEY_TOO_LONG',
      ]),
      row(
        'M35 tags: a 128-character value is allowed',
        set('tags', tags({ key: 'k', value: 'v'.repeat(128) })),
      ),
      row(
        'M35 tags: a 129-character value is refused',
        set('tags', tags({ key: 'k', value: 'v'.repeat(129) })),
        ['tags[0].value SPEC_TAG_VALUE_TOO_LONG'],
      ),
      row('M35 tags: an empty key is refused', set('tags', tags({ key: ' ', value: 'v' })), [
        'tags[0].key SPEC_TAG_KEY_REQUIRED',
      ]),
      row('M35 tags: a missing key is required', set('tags', tags({ value: 'v' })), [
        'tags[0].key SPEC_REQUIRED',
      ]),
      row('M35 tags: an http:// value is refused', set('tags', tags({ key: 'k', value: 'http://x' })), [
        'tags[0].value SPEC_TAG_VALUE_RESERVED',
      ]),
      row(
        'M35 tags: an HTTPS:// value is refused (case-insensitive)',
        set('tags', tags({ key: 'k', value: 'HTTPS://x' })),
        ['tags[0].value SPEC_TAG_VALUE_RESERVED'],
      ),
      row('M35 tags: 20 distinct keys are allowed', set('tags', distinctTags(20))),
      row('M35 tags: 21 distinct keys are refused', set('tags', distinctTags(21)), [
        'tags SPEC_TAGS_TOO_MANY',
      ]),
      row(
        'M35 tags: 21 entries with 20 distinct keys are allowed (the repeat overwrites)',
        set('tags', [...(distinctTags(20) as Json[]), { key: 'k0', value: 'again' }]),
        [],
        { warnings: ['tags[20].key SPEC_TAG_KEY_REPEATED', PRIVATE_API] },
      ),
      row('M35 tags: an object instead of a list is a type error', set('tags', { team: 'ml' }), [
        'tags SPEC_TYPE',
      ]),
    ]),
  )('%s', (_name, c) => runCase(c));

  it.each([
    'aliyun',
    'aliyun-x',
    'Aliyun:x',
    'ALIYUN',
    'acs:x',
    'ACS:x',
    'http://x',
    'HTTP://x',
    'https://x',
    'Https://x',
  ])('M35 tags: key %j has a reserved prefix (case-insensitive) and is refused', (key) => {
    const result = check(spec(set('tags', tags({ key, value: 'v' }))));
    expect(pairs(result.problems)).toEqual(['tags[0].key SPEC_TAG_KEY_RESERVED']);
  });

  it('M35 tags: a repeated key overwrites the earlier value, keeps its position, and warns', () => {
    const result = check(
      spec(
        set(
          'tags',
          tags({ key: 'team', value: 'a' }, { key: 'env', value: 'dev' }, { key: 'team', value: 'b' }),
        ),
      ),
    );
    expect(result.ok).toBe(true);
    expect(result.spec.tags).toEqual([
      { key: 'team', value: 'b' },
      { key: 'env', value: 'dev' },
    ]);
    expect(result.warnings).toContainEqual({
      path: 'tags[2].key',
      code: 'SPEC_TAG_KEY_REPEATED',
      params: { key: 'team', first: 1 },
    });
  });

  it('M35 tags: the count refusal counts distinct keys', () => {
    const result = check(spec(set('tags', distinctTags(25))));
    expect(result.problems[0]?.params).toEqual({ max: 20, count: 25 });
  });
});

describe('M36 cluster local domain', () => {
  const part63 = 'a'.repeat(63);
  it.each(
    table([
      row('M36 domain: cluster.local is allowed', set('clusterDomain', 'cluster.local')),
      row(
        'M36 domain: two custom parts of letters and digits are allowed',
        set('clusterDomain', 'Gpu2.Internal'),
      ),
      row('M36 domain: 63-character parts are allowed', set('clusterDomain', `${part63}.${part63}`)),
      row('M36 domain: a 64-character part is refused', set('clusterDomain', `${part63}a.local`), [
        'clusterDomain SPEC_CLUSTER_DOMAIN_INVALID',
      ]),
      row('M36 domain: three parts are refused', set('clusterDomain', 'a.b.c'), [
        'clusterDomain SPEC_CLUSTER_DOMAIN_INVALID',
      ]),
      row('M36 domain: one part is refused', set('clusterDomain', 'local'), [
        'clusterDomain SPEC_CLUSTER_DOMAIN_INVALID',
      ]),
      row('M36 domain: an underscore is refused', set('clusterDomain', 'clu_ster.local'), [
        'clusterDomain SPEC_CLUSTER_DOMAIN_INVALID',
      ]),
      row('M36 domain: a hyphen is refused', set('clusterDomain', 'my-cluster.local'), [
        'clusterDomain SPEC_CLUSTER_DOMAIN_INVALID',
      ]),
      row('M36 domain: an empty part is refused', set('clusterDomain', '.local'), [
        'clusterDomain SPEC_CLUSTER_DOMAIN_INVALID',
      ]),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M36 domain: cluster.local is the default', () => {
    expect(check(spec()).spec.clusterDomain).toBe('cluster.local');
  });
});

describe('M37 certificate SANs', () => {
  it.each(
    table([
      row(
        'M37 SANs: IPv4, IPv6, DNS and wildcard names are allowed',
        set('certSans', ['10.0.0.1', '2001:db8::1', 'api.example.com', '*.example.com', 'localhost']),
      ),
      row('M37 SANs: an IPv4-mapped IPv6 address is allowed', set('certSans', ['::ffff:10.0.0.1'])),
      row('M37 SANs: foo..bar is refused', set('certSans', ['foo..bar']), ['certSans[0] SPEC_SAN_INVALID']),
      row('M37 SANs: -x.com is refused', set('certSans', ['ok.com', '-x.com']), [
        'certSans[1] SPEC_SAN_INVALID',
      ]),
      row('M37 SANs: an underscore is refused', set('certSans', ['my_host.com']), [
        'certSans[0] SPEC_SAN_INVALID',
      ]),
      row('M37 SANs: a URL is refused', set('certSans', ['https://api.example.com']), [
        'certSans[0] SPEC_SAN_INVALID',
      ]),
      row('M37 SANs: 999.1.1.1 is neither an IPv4 address nor a DNS name', set('certSans', ['999.1.1.1']), [
        'certSans[0] SPEC_SAN_INVALID',
      ]),
      row('M37 SANs: a bare wildcard is refused', set('certSans', ['*']), ['certSans[0] SPEC_SAN_INVALID']),
      row('M37 SANs: an empty string is refused', set('certSans', ['']), ['certSans[0] SPEC_SAN_INVALID']),
      row('M37 SANs: a broken IPv6 literal is refused', set('certSans', ['2001:db8:::1:']), [
        'certSans[0] SPEC_SAN_INVALID',
      ]),
      row(
        'M37 SANs: more than 50 are refused',
        set(
          'certSans',
          Array.from({ length: 51 }, (_, i) => `h${i}.example.com`),
        ),
        ['certSans SPEC_TOO_MANY'],
      ),
      row('M37 SANs: a repeated SAN only warns', set('certSans', ['10.0.0.1', '10.0.0.1']), [], {
        warnings: ['certSans[1] SPEC_SAN_REPEATED', PRIVATE_API],
      }),
    ]),
  )('%s', (_name, c) => runCase(c));
});

describe('M38 service account token volume projection', () => {
  const sa = (v: Json): Json => ({ enabled: true, ...(v as object) });
  it.each(
    table([
      row(
        'M38 token projection: on with the default issuer and audience is allowed',
        set('serviceAccountTokenProjection', sa({})),
      ),
      row(
        'M38 token projection: a custom https issuer and audiences are allowed',
        set(
          'serviceAccountTokenProjection',
          sa({ issuer: 'https://oidc.example.com/c1', audiences: ['sts.aliyuncs.com', 'vault'] }),
        ),
      ),
      row(
        'M38 token projection: an http issuer is refused',
        set('serviceAccountTokenProjection', sa({ issuer: 'http://kubernetes.default.svc' })),
        ['serviceAccountTokenProjection.issuer SPEC_SA_ISSUER_INVALID'],
      ),
      row(
        'M38 token projection: an issuer with a query is refused',
        set('serviceAccountTokenProjection', sa({ issuer: 'https://x/?a=b' })),
        ['serviceAccountTokenProjection.issuer SPEC_SA_ISSUER_INVALID'],
      ),
      row(
        'M38 token projection: no audience is refused',
        set('serviceAccountTokenProjection', sa({ audiences: [] })),
        ['serviceAccountTokenProjection.audiences SPEC_SA_AUDIENCES_REQUIRED'],
      ),
      row(
        'M38 token projection: an audience with a comma is refused',
        set('serviceAccountTokenProjection', sa({ audiences: ['a,b'] })),
        ['serviceAccountTokenProjection.audiences[0] SPEC_SA_AUDIENCE_INVALID'],
      ),
      row(
        'M38 token projection: a blank audience is refused',
        set('serviceAccountTokenProjection', sa({ audiences: ['ok', ' '] })),
        ['serviceAccountTokenProjection.audiences[1] SPEC_SA_AUDIENCE_INVALID'],
      ),
      row(
        'M38 token projection: off, the issuer is not checked',
        set('serviceAccountTokenProjection', { enabled: false, issuer: 'http://x' }),
      ),
    ]),
  )('%s', (_name, c) => runCase(c));
});

describe('M39 Secret encryption with KMS', () => {
  const key = 'key-hzz62f1cb66fa42qo0000';
  it.each(
    table([
      row(
        'M39 KMS: pro with a known key is allowed',
        [set('edition', 'pro'), set('secretEncryption', { kmsKeyId: key })],
        [],
        { facts },
      ),
      row(
        'M39 KMS: the standard edition is refused',
        set('secretEncryption', { kmsKeyId: key }),
        ['secretEncryption SPEC_KMS_REQUIRES_PRO'],
        {
          facts,
        },
      ),
      row(
        'M39 KMS: an unknown key is refused',
        [set('edition', 'pro'), set('secretEncryption', { kmsKeyId: 'key-missing' })],
        ['secretEncryption.kmsKeyId SPEC_KMS_KEY_UNKNOWN'],
        { facts },
      ),
      row(
        'M39 KMS: a missing key id is reported once',
        [set('edition', 'pro'), set('secretEncryption', {})],
        ['secretEncryption.kmsKeyId SPEC_REQUIRED'],
      ),
      row('M39 KMS: null means off', set('secretEncryption', null)),
    ]),
  )('%s', (_name, c) => runCase(c));

  it('M39 KMS: without the account keys any key id is accepted (checked later)', () => {
    expect(check(spec(set('edition', 'pro'), set('secretEncryption', { kmsKeyId: 'key-any' }))).ok).toBe(
      true,
    );
  });
});

describe('messages of this file', () => {
  it('M15–M39 every problem and warning produced above renders in en and zh-CN', () => {
    expect(recorded.length).toBeGreaterThan(50);
    expect(unrendered(recorded)).toEqual([]);
  });
});
