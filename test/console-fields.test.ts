// The console's pure wizard rules (issue 6): every problem validation can report lands on a field of
// the step that shows it, so "every error at its field" holds without a browser; and the draft the
// wizard starts from is the seed's defaults and validates except for what the user must enter.
import { describe, expect, it } from 'vitest';
import { validateClusterSpec } from '../src/domain/index.js';
import { getIn, initialDraft, setIn } from '../web/src/wizard/draft.js';
import { fieldFor, pattern, stepOf } from '../web/src/wizard/fields.js';

describe('console wizard fields', () => {
  it('M15–M60: a problem belongs to the longest field path that prefixes it', () => {
    expect(fieldFor('name')).toBe('name');
    expect(fieldFor('network.vswitches[2].cidr')).toBe('network.vswitches[2].cidr');
    expect(fieldFor('workers.instances.instanceTypes[1]')).toBe('workers.instances.instanceTypes');
    expect(fieldFor('workers.instances.billing.periodUnit')).toBe('workers.instances.billing.period');
    expect(fieldFor('account.balanceCny')).toBeNull();
    expect(pattern('tags[12].key')).toBe('tags[].key');
    expect(stepOf('workers.login.password')).toBe('workers');
    expect(stepOf('components.ingress.dashboard')).toBe('components');
    expect(stepOf('')).toBe('cluster');
  });

  it('M15–M60: the wizard starts from the seed defaults; only the name, types and key pair are missing', () => {
    const d = initialDraft('cn-hangzhou', 'cn-hangzhou-i', 'Asia/Shanghai');
    expect(d.network.snat).toBe(true);
    expect(d.workers.instanceProtection).toBe(true);
    expect(d.components.ingress.enabled).toBe(true);
    expect(validateClusterSpec(d).problems.map((p) => p.path)).toEqual([
      'name',
      'workers.instances.instanceTypes',
      'workers.login.keyPair.name',
    ]);
  });

  it('M15–M60: every problem of a broken full spec is shown at a field', () => {
    let spec: unknown = initialDraft('cn-hangzhou', 'cn-hangzhou-i', 'Asia/Shanghai');
    for (const [path, value] of [
      ['network.vswitches[1]', { mode: 'create', zoneId: 'cn-hangzhou-j', cidr: '192.168.1.0/24' }],
      ['tags[0]', { key: 'team', value: 'ml' }],
      ['workers.taints[0]', { key: 'gpu', value: 'yes', effect: 'NoSchedule' }],
      ['workers.nodeName', { prefix: 'aliyun.com', ipDigits: 5, suffix: 'test' }],
      ['workers.login', { type: 'password', password: 'Abcdef12!', passwordConfirm: 'Abcdef12?' }],
      ['name', '-bad name!'],
      ['network.serviceCidr', '10.0.0.0/33'],
      ['network.vswitches[1].cidr', 'nope'],
      ['tags[0].key', 'aliyun-x'],
      ['workers.instances.systemDisk.sizeGiB', 10],
      ['workers.nodeName.ipDigits', 20],
      ['workers.taints[0].key', ''],
      ['components.ingress.dashboard', true],
      ['components.logService.enabled', false],
    ] as const)
      spec = setIn(spec, path, value);
    const { problems } = validateClusterSpec(spec);
    expect(problems.length).toBeGreaterThan(6);
    for (const p of problems) expect(fieldFor(p.path), p.path).not.toBeNull();
    expect(getIn(spec, 'workers.taints[0].key')).toBe('');
  });
});
