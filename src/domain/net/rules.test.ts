// Tests for the network field rules (M21–M27): each rule with passing and failing values, checking
// codes, params and that the caller's path is kept.
import { describe, expect, it } from 'vitest';
import {
  checkNodeIpCount,
  checkPodCidr,
  checkServiceCidr,
  checkVpcCidr,
  checkVswitchCidr,
  DEFAULT_NODE_IP_COUNT,
  NODE_IP_COUNTS,
  type TakenCidr,
} from './rules.js';

const codes = (problems: readonly { code: string }[]): string[] => problems.map((p) => p.code);

describe('checkVpcCidr', () => {
  it.each(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '192.168.10.0/24', '10.1.2.16/28'])(
    'M21 VPC CIDR %s is accepted',
    (value) => {
      expect(checkVpcCidr('network.vpc.cidr', value)).toEqual([]);
    },
  );

  it.each([
    ['10.0.0.0/33', ['NET_CIDR_INVALID']],
    ['', ['NET_CIDR_INVALID']],
    ['10.0.0.1/8', ['NET_CIDR_NOT_CANONICAL']],
    ['8.8.0.0/16', ['NET_CIDR_NOT_PRIVATE']],
    ['10.0.0.0/29', ['NET_CIDR_PREFIX_RANGE']],
    ['0.0.0.0/0', ['NET_CIDR_NOT_PRIVATE', 'NET_CIDR_PREFIX_RANGE']],
    ['8.8.8.1/30', ['NET_CIDR_NOT_CANONICAL', 'NET_CIDR_NOT_PRIVATE', 'NET_CIDR_PREFIX_RANGE']],
  ])('M21 VPC CIDR %j is refused with %j', (value, expected) => {
    expect(codes(checkVpcCidr('network.vpc.cidr', value))).toEqual(expected);
  });

  it('M21 problems carry the path and params', () => {
    expect(checkVpcCidr('network.vpc.cidr', '10.0.0.1/8')).toEqual([
      {
        path: 'network.vpc.cidr',
        code: 'NET_CIDR_NOT_CANONICAL',
        params: { value: '10.0.0.1/8', canonical: '10.0.0.0/8' },
      },
    ]);
    expect(checkVpcCidr('p', '10.0.0.0/29')[0]?.params).toEqual({
      value: '10.0.0.0/29',
      min: 8,
      max: 28,
      prefix: 29,
    });
    expect(checkVpcCidr('p', 'x')[0]?.params).toEqual({ value: 'x' });
  });
});

describe('checkVswitchCidr', () => {
  const siblings: TakenCidr[] = [{ cidr: '192.168.1.0/24', label: 'vSwitch vsw-1' }];

  it('M22 a vSwitch inside the VPC, clear of its siblings, is accepted', () => {
    expect(
      checkVswitchCidr('network.vswitches[1].cidr', '192.168.2.0/24', '192.168.0.0/16', siblings),
    ).toEqual([]);
    expect(checkVswitchCidr('p', '192.168.2.0/29', '192.168.0.0/16', [])).toEqual([]);
  });

  it('M22 a vSwitch outside the VPC is refused', () => {
    expect(checkVswitchCidr('network.vswitches[0].cidr', '10.0.0.0/24', '192.168.0.0/16', [])).toEqual([
      {
        path: 'network.vswitches[0].cidr',
        code: 'NET_CIDR_OUTSIDE_VPC',
        params: { value: '10.0.0.0/24', vpc: '192.168.0.0/16' },
      },
    ]);
  });

  it('M22 a vSwitch overlapping a sibling is refused, naming the sibling', () => {
    expect(checkVswitchCidr('p', '192.168.0.0/23', '192.168.0.0/16', siblings)).toEqual([
      {
        path: 'p',
        code: 'NET_CIDR_OVERLAP',
        params: { value: '192.168.0.0/23', other: '192.168.1.0/24', otherLabel: 'vSwitch vsw-1' },
      },
    ]);
  });

  it.each([
    ['192.168.0.0/15', ['NET_CIDR_PREFIX_RANGE', 'NET_CIDR_OUTSIDE_VPC']],
    ['192.168.0.0/30', ['NET_CIDR_PREFIX_RANGE']],
    ['192.168.2.1/24', ['NET_CIDR_NOT_CANONICAL']],
    ['192.168.2.0', ['NET_CIDR_INVALID']],
  ])('M22 vSwitch CIDR %j is refused with %j', (value, expected) => {
    expect(codes(checkVswitchCidr('p', value, '192.168.0.0/16', []))).toEqual(expected);
  });

  it('M22 containment is not checked while the VPC CIDR is unknown', () => {
    expect(checkVswitchCidr('p', '10.0.0.0/24', undefined, [])).toEqual([]);
  });
});

describe('checkPodCidr', () => {
  const taken: TakenCidr[] = [
    { cidr: '192.168.0.0/16', label: 'VPC' },
    { cidr: '172.20.0.0/16', label: 'cluster c-abc pod CIDR' },
    { cidr: '172.21.0.0/20', label: 'Service CIDR' },
  ];

  it.each(['172.16.0.0/16', '10.0.0.0/8', '172.22.0.0/20', '10.8.0.0/14'])(
    'M25 pod CIDR %s is accepted',
    (value) => {
      expect(checkPodCidr('network.podCidr', value, 64, taken)).toEqual([]);
    },
  );

  it('M25 pod CIDR overlapping the VPC is refused', () => {
    expect(checkPodCidr('network.podCidr', '192.168.128.0/17', 64, taken)).toEqual([
      {
        path: 'network.podCidr',
        code: 'NET_CIDR_OVERLAP',
        params: { value: '192.168.128.0/17', other: '192.168.0.0/16', otherLabel: 'VPC' },
      },
    ]);
  });

  it("M25 pod CIDR overlapping an existing cluster's CIDRs gives one problem per overlap", () => {
    const problems = checkPodCidr('p', '172.20.0.0/15', 64, taken);
    expect(problems.map((p) => p.params['otherLabel'])).toEqual(['cluster c-abc pod CIDR', 'Service CIDR']);
  });

  it.each([
    ['172.16.0.0/25', 16, ['NET_CIDR_PREFIX_RANGE', 'NET_POD_CIDR_TOO_SMALL']],
    ['172.16.0.0/7', 64, ['NET_CIDR_NOT_CANONICAL', 'NET_CIDR_NOT_PRIVATE', 'NET_CIDR_PREFIX_RANGE']],
    ['8.0.0.0/16', 64, ['NET_CIDR_NOT_PRIVATE']],
    ['172.16.0.1/16', 64, ['NET_CIDR_NOT_CANONICAL']],
    ['pods', 64, ['NET_CIDR_INVALID']],
  ])('M25 pod CIDR %j (%d IPs per node) is refused with %j', (value, ips, expected) => {
    expect(codes(checkPodCidr('p', value, ips, []))).toEqual(expected);
  });

  it('M24 a pod CIDR must hold at least 16 nodes at the node IP count', () => {
    expect(checkPodCidr('p', '172.16.0.0/22', 64, [])).toEqual([]);
    expect(checkPodCidr('p', '172.16.0.0/22', 128, [])).toEqual([
      {
        path: 'p',
        code: 'NET_POD_CIDR_TOO_SMALL',
        params: { value: '172.16.0.0/22', nodes: 8, minNodes: 16 },
      },
    ]);
    expect(checkPodCidr('p', '172.16.0.0/24', 16, [])).toEqual([]);
  });

  it('M24 the room check is left to checkNodeIpCount when the count itself is invalid', () => {
    expect(checkPodCidr('p', '172.16.0.0/24', 100, [])).toEqual([]);
  });

  it('M25 malformed taken entries are ignored', () => {
    expect(checkPodCidr('p', '172.16.0.0/16', 64, [{ cidr: 'garbage', label: 'x' }])).toEqual([]);
  });
});

describe('checkServiceCidr', () => {
  const taken: TakenCidr[] = [
    { cidr: '10.0.0.0/8', label: 'VPC' },
    { cidr: '172.16.0.0/16', label: 'Pod CIDR' },
  ];

  it.each(['192.168.0.0/16', '192.168.0.0/24', '172.21.0.0/20', '172.31.255.0/24'])(
    'M27 Service CIDR %s is accepted',
    (value) => {
      expect(checkServiceCidr('network.serviceCidr', value, taken)).toEqual([]);
    },
  );

  it.each([
    ['10.96.0.0/12', ['NET_CIDR_PREFIX_RANGE', 'NET_CIDR_OVERLAP']],
    ['172.16.4.0/22', ['NET_CIDR_OVERLAP']],
    ['172.32.0.0/20', ['NET_CIDR_NOT_PRIVATE']],
    ['192.168.0.0/25', ['NET_CIDR_PREFIX_RANGE']],
    ['192.168.0.0/15', ['NET_CIDR_NOT_PRIVATE', 'NET_CIDR_PREFIX_RANGE']],
    ['192.168.0.5/24', ['NET_CIDR_NOT_CANONICAL']],
    ['192.168.0.0/-', ['NET_CIDR_INVALID']],
  ])('M27 Service CIDR %j is refused with %j', (value, expected) => {
    expect(codes(checkServiceCidr('p', value, taken))).toEqual(expected);
  });

  it('M27 Service CIDR overlapping the pod CIDR names it', () => {
    expect(checkServiceCidr('p', '172.16.4.0/22', taken)[0]?.params).toEqual({
      value: '172.16.4.0/22',
      other: '172.16.0.0/16',
      otherLabel: 'Pod CIDR',
    });
  });
});

describe('checkNodeIpCount', () => {
  it.each([...NODE_IP_COUNTS])('M24 node IP count %d is accepted', (n) => {
    expect(checkNodeIpCount('network.nodeIpCount', n)).toEqual([]);
  });

  it('M24 the default node IP count is 64', () => {
    expect(DEFAULT_NODE_IP_COUNT).toBe(64);
  });

  it.each([0, 8, 100, 512, 64.5, Number.NaN])('M24 node IP count %d is refused', (n) => {
    expect(checkNodeIpCount('network.nodeIpCount', n)).toEqual([
      {
        path: 'network.nodeIpCount',
        code: 'NET_NODE_IP_COUNT',
        params: { value: n, allowed: ['16', '32', '64', '128', '256'] },
      },
    ]);
  });
});
