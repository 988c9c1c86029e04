// Tests for the SPEC_* messages (M15–M60): every code has English and Chinese text with the same
// placeholders, a small corpus of bad specs reaches every code, and each renders fully in both.
import { describe, expect, it } from 'vitest';
import { catalogue, renderProblem } from '../messages/index.js';
import { specMessages } from '../messages/spec.js';
import {
  allFacts,
  check,
  existingVpcFacts,
  set,
  spec,
  unrendered,
  useExistingInstances,
  useExistingVpc,
  usePassword,
  useTerway,
  type Edit,
} from './spec-fixtures.js';
import type { SpecFacts } from './facts.js';

const placeholders = (template: string): string[] =>
  [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''))].sort();

describe('the SPEC_ catalogue', () => {
  it.each(Object.entries(specMessages))(
    'M15–M60 %s has non-empty en and zh text with the same placeholders',
    (code, t) => {
      expect(code).toMatch(/^SPEC_[A-Z0-9_]+$/);
      expect(t.en.trim()).not.toBe('');
      expect(t.zh.trim()).not.toBe('');
      expect(t.zh).toMatch(/\p{Script=Han}/u);
      expect(placeholders(t.zh)).toEqual(placeholders(t.en));
    },
  );

  it('M15–M60 every SPEC_ message is in the merged catalogue unchanged', () => {
    for (const [code, t] of Object.entries(specMessages)) expect(catalogue[code]).toBe(t);
  });
});

const noStock: SpecFacts = allFacts({ stock: undefined });

/** A few bad specs that, together, produce every SPEC_ code. */
const corpus: readonly (readonly [readonly Edit[], SpecFacts?])[] = [
  [
    [
      set('name', '-gpu'),
      set('edition', 'ultimate'),
      set('regionId', 'mars-north-1'),
      set('resourceGroupId', 'rg-missing'),
      set('kubernetesVersion', '1.17.0'),
      set('deletionProtecton', true),
      set('timeZone', 'Mars/Base'),
      set('tags', [
        { key: 'aliyun-x', value: 'https://x' },
        { key: '', value: 'v'.repeat(129) },
        { key: 'k'.repeat(65) },
        { key: 'aliyun-x' },
      ]),
      set('clusterDomain', 'a.b.c'),
      set('certSans', ['foo..bar', 'foo..bar']),
      set('serviceAccountTokenProjection', { enabled: true, issuer: 'http://x', audiences: [] }),
      set('secretEncryption', { kmsKeyId: 'key-missing' }),
      set('network.sshPublicAccess', true),
      set('network.snat', false),
      set('network.rdsInstanceIds', ['db-1', 'rm-bp1nowhere', 'rm-2zebeijing', 'rm-2zebeijing']),
      set('network.securityGroup', { securityGroupId: 'sg-1' }),
      set('workers.instances.count', 0),
      set('workers.instances.instanceTypes', ['ecs.gn5i-c2g1.large', 'ecs.g7.large']),
      set('workers.instances.systemDisk', { sizeGiB: 39, performanceLevel: 'PL2' }),
      set('workers.instances.dataDisks', [{ category: 'ssd', performanceLevel: 'PL1' }]),
      set('workers.instances.billing', { type: 'subscription', period: 4, periodUnit: 'month' }),
      set('workers.os', 'centos-8'),
      usePassword('short 密', 'other'),
      set('workers.userData', 'x'.repeat(20_000)),
      set('workers.customImageId', 'm-gone'),
      set('workers.nodeName', { prefix: 'Bad', ipDigits: 5, suffix: 'x'.repeat(250) }),
      set('workers.taints', [{ key: 'bad key', value: '-x' }, { key: 'bad key' }]),
      set('components.ingress', { enabled: false, dashboard: true }),
      set('components.logService', { enabled: false, nodeProblemDetector: true }),
      set('components.controlPlaneLogs', { enabled: true, components: [] }),
      set('components.workflowEngine', true),
    ],
    allFacts(),
  ],
  [
    [
      set('name', 'a b'.repeat(30)),
      set('regionId', 'r'.repeat(100)),
      set(
        'certSans',
        Array.from({ length: 51 }, () => 'a.b'),
      ),
      set('network.vswitches', [
        { zoneId: 'cn-beijing-a', cidr: '192.168.0.0/24' },
        { zoneId: 'cn-beijing-a', cidr: '192.168.1.0/24' },
        { vswitchId: 'vsw-i' },
      ]),
      set('network.vpc.kind', 'normal'),
      set('network.nodeIpCount', 1_000_000),
      set('workers.login', { keyPair: { name: '1bad' } }),
      set('workers.instances.instanceIds', ['i-1']),
      set('workers.nodeName', { prefix: 'gpu', ipDigits: 5 }),
      set('network.vswitches[0].cidr', '192.168.0.0/16'),
      set(
        'tags',
        Array.from({ length: 21 }, (_, i) => ({ key: `k${i}` })),
      ),
    ],
    noStock,
  ],
  [
    [
      useExistingVpc,
      set('network.vpc.kind', 'shared'),
      set('network.vswitches[0].vswitchId', 'vsw-gone'),
      set('network.securityGroup', { securityGroupId: 'sg-gone' }),
      useTerway,
      set('network.terwayMode', 'exclusive-eni'),
      useExistingInstances('i-bp1unknown1', 'i-2zebeijing01', 'i-bp1taken001', 'i-bp1othervpc', 'bad'),
      set('workers.hardening', 'mlps'),
      usePassword('Abcdef1!'),
      set('workers.login.keyPair', { name: 'my-key' }),
      set('components.logService.project', { name: 'k8s-log-gone' }),
    ],
    allFacts({ vpc: existingVpcFacts({ regionId: 'cn-beijing' }) }),
  ],
  [
    [
      useExistingVpc,
      useExistingInstances(),
      set('workers.login', { keyPair: { mode: 'create', name: 'my-key' } }),
    ],
    allFacts(),
  ],
  [[set('workers.instances.instanceTypes', [])]],
  [
    [
      set('workers.login', { keyPair: { name: 'gone-key' } }),
      set('workers.os', 'centos-7'),
      set('workers.hardening', 'cis'),
    ],
    allFacts(),
  ],
  [
    [
      set('components.logService.project', { name: 'Bad_Name' }),
      set('workers.customImageId', 'm-ubuntu'),
      set('runtime', 'docker'),
    ],
    allFacts(),
  ],
  [[set('network.vswitches', [])]],
  [
    [useExistingVpc],
    allFacts({ stock: { 'cn-hangzhou-i': [], 'cn-hangzhou-h': ['ecs.gn7i-c8g1.2xlarge'] } }),
  ],
  [[set('name', 'x'.repeat(2000))]],
  [
    [
      set('name', 5),
      set('regionId', undefined),
      set('serviceAccountTokenProjection', { enabled: true, audiences: [' '] }),
    ],
  ],
  [
    [
      useExistingVpc,
      set('network.vpc.kind', 'shared'),
      set('network.vswitches[0]', { zoneId: 'cn-beijing-a', cidr: '192.168.9.0/24' }),
    ],
    noStock,
  ],
  [[useExistingInstances('i-bp1free0001')]],
];

function corpusProblems() {
  return corpus.flatMap(([edits, facts]) => {
    const result = check(spec(...edits), facts);
    return [...result.problems, ...result.warnings];
  });
}

describe('every code is reachable and renders', () => {
  const problems = corpusProblems();

  it('M15–M60 the corpus produces every SPEC_ code, and every code it produces has a message', () => {
    const produced = new Set(problems.map((p) => p.code));
    const missing = Object.keys(specMessages).filter((code) => !produced.has(code));
    expect(missing).toEqual([]);
    expect([...produced].filter((code) => catalogue[code] === undefined)).toEqual([]);
  });

  it('M15–M60 every produced problem renders in en and zh-CN with every placeholder filled', () => {
    expect(unrendered(problems)).toEqual([]);
  });

  it('M15–M60 lists render with the language separator', () => {
    const p = {
      path: 'runtime',
      code: 'SPEC_RUNTIME_UNSUPPORTED',
      params: { runtime: 'docker', version: '1.34', allowed: ['containerd', 'sandboxed'] },
    };
    expect(renderProblem(p, 'en')).toBe(
      'Container runtime docker is not available with Kubernetes 1.34; choose one of: containerd, sandboxed.',
    );
    expect(renderProblem(p, 'zh-CN')).toBe(
      'Kubernetes 1.34 不支持容器运行时 docker，请选择：containerd、sandboxed。',
    );
  });

  it('M15–M60 user text with braces is shown as given, not rendered again', () => {
    const p = {
      path: 'edition',
      code: 'SPEC_ENUM',
      params: { value: '{allowed}', allowed: ['standard', 'pro'] },
    };
    expect(renderProblem(p, 'en')).toBe('"{allowed}" is not one of: standard, pro.');
  });
});
