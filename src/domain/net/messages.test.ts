// Tests that every net code has English and Chinese messages with the same placeholders, and that
// each placeholder is filled by the params the rules actually emit.
import { describe, expect, it } from 'vitest';
import { netMessages } from '../messages/net.js';
import type { Problem } from '../problems.js';
import {
  checkNodeIpCount,
  checkPodCidr,
  checkServiceCidr,
  checkVpcCidr,
  checkVswitchCidr,
  NET_CODES,
} from './rules.js';

const placeholders = (template: string): string[] =>
  [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

/** A spread of bad inputs that together emit every code. */
function sampleProblems(): Problem[] {
  const taken = [{ cidr: '172.16.0.0/16', label: 'VPC' }];
  return [
    ...checkVpcCidr('a', 'nope'),
    ...checkVpcCidr('a', '8.8.8.1/30'),
    ...checkVswitchCidr('b', '10.0.0.0/24', '192.168.0.0/16', [
      { cidr: '10.0.0.0/16', label: 'vSwitch vsw-1' },
    ]),
    ...checkPodCidr('c', '172.16.0.0/25', 64, taken),
    ...checkServiceCidr('d', '172.16.0.0/20', taken),
    ...checkNodeIpCount('e', 100),
  ];
}

describe('net messages', () => {
  it('M21–M27 every emitted code has a message, and every message an emitted code', () => {
    expect(Object.keys(netMessages).sort()).toEqual([...NET_CODES].sort());
    expect([...new Set(sampleProblems().map((p) => p.code))].sort()).toEqual([...NET_CODES].sort());
  });

  it.each(Object.entries(netMessages))('M21–M27 %s has the same placeholders in en and zh', (_code, t) => {
    expect(t.en).not.toBe('');
    expect(t.zh).not.toBe('');
    expect(placeholders(t.zh)).toEqual(placeholders(t.en));
  });

  it('M21–M27 every placeholder is filled by the params the rules emit', () => {
    for (const p of sampleProblems()) {
      const template = netMessages[p.code];
      expect(template).toBeDefined();
      for (const name of placeholders(template?.en ?? '')) expect(p.params).toHaveProperty(name);
    }
  });
});
