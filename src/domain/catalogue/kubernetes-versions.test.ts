// Tests for the Kubernetes version catalogue (M19) and runtime compatibility (M20).
import { describe, expect, it } from 'vitest';
import {
  compareKubernetesVersions,
  DEFAULT_KUBERNETES_VERSION,
  findKubernetesVersion,
  KUBERACK_KUBERNETES_VERSIONS,
  runtimeAllowedFor,
  runtimesFor,
} from './kubernetes-versions.js';

describe('Kubernetes versions', () => {
  it('M19 offers the seed versions (deprecated, still creatable) and current minors', () => {
    expect(KUBERACK_KUBERNETES_VERSIONS.map((v) => v.version)).toEqual([
      '1.34.1-aliyun.1',
      '1.33.3-aliyun.1',
      '1.32.7-aliyun.1',
      '1.31.9-aliyun.1',
      '1.18.8-aliyun.1',
      '1.16.9-aliyun.1',
    ]);
    for (const seed of ['1.18.8-aliyun.1', '1.16.9-aliyun.1']) {
      expect(findKubernetesVersion(seed)).toMatchObject({ creatable: true, deprecated: true });
    }
    expect(findKubernetesVersion('1.34.1-aliyun.1')).toMatchObject({
      minor: '1.34',
      creatable: true,
      deprecated: false,
    });
  });

  it('M19 the default is the newest version', () => {
    expect(DEFAULT_KUBERNETES_VERSION).toBe('1.34.1-aliyun.1');
    for (const v of KUBERACK_KUBERNETES_VERSIONS) {
      expect(compareKubernetesVersions(DEFAULT_KUBERNETES_VERSION, v.version)).toBeGreaterThanOrEqual(0);
    }
  });

  it('M19 unknown versions are not found', () => {
    expect(findKubernetesVersion('1.20.4-aliyun.1')).toBeUndefined();
    expect(runtimesFor('1.20.4-aliyun.1')).toEqual([]);
  });

  it.each([
    { a: '1.16.9-aliyun.1', b: '1.18.8-aliyun.1', sign: -1 },
    { a: '1.9.0', b: '1.10.0', sign: -1 },
    { a: '1.34.1-aliyun.1', b: '1.34.1-aliyun.1', sign: 0 },
    { a: '1.34.1-aliyun.2', b: '1.34.1-aliyun.1', sign: 1 },
    { a: '1.32.7-aliyun.1', b: '1.32', sign: 1 },
    { a: 'v1.31.9', b: '1.31.9', sign: 0 },
    { a: 'latest', b: '1.16.9-aliyun.1', sign: -1 },
  ])('M19 compare $a with $b → $sign', ({ a, b, sign }) => {
    expect(Math.sign(compareKubernetesVersions(a, b))).toBe(sign);
    expect(Math.sign(compareKubernetesVersions(b, a))).toBe(-sign || 0);
  });

  it.each([
    { version: '1.16.9-aliyun.1', runtimes: ['containerd', 'docker', 'sandboxed'] },
    { version: '1.18.8-aliyun.1', runtimes: ['containerd', 'docker', 'sandboxed'] },
    { version: '1.31.9-aliyun.1', runtimes: ['containerd'] },
    { version: '1.34.1-aliyun.1', runtimes: ['containerd'] },
  ])('M20 $version offers $runtimes', ({ version, runtimes }) => {
    expect(runtimesFor(version).map((r) => r.name)).toEqual(runtimes);
    for (const r of runtimesFor(version)) expect(r.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.each([
    { runtime: 'docker', version: '1.22.15-aliyun.1', ok: true },
    { runtime: 'docker', version: '1.23.0', ok: false },
    { runtime: 'sandboxed', version: '1.24.6-aliyun.1', ok: true },
    { runtime: 'sandboxed', version: '1.25.0', ok: false },
    { runtime: 'containerd', version: '1.34.1-aliyun.1', ok: true },
    { runtime: 'docker', version: 'not-a-version', ok: false },
  ] as const)('M20 $runtime with $version allowed: $ok', ({ runtime, version, ok }) => {
    expect(runtimeAllowedFor(runtime, version)).toBe(ok);
  });

  it('M20 every offered runtime obeys the compatibility rule, containerd first', () => {
    for (const v of KUBERACK_KUBERNETES_VERSIONS) {
      expect(v.runtimes[0]?.name, v.version).toBe('containerd');
      for (const r of v.runtimes)
        expect(runtimeAllowedFor(r.name, v.version), `${v.version} ${r.name}`).toBe(true);
    }
  });
});
