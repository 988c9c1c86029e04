// Tests for capacity arithmetic: Flannel slices and pods per node, Terway ENI pods per node in both
// modes, and usable Service IPs.
import { describe, expect, it } from 'vitest';
import { flannelCapacity, serviceCapacity, terwayPodsPerNode } from './capacity.js';

describe('flannelCapacity', () => {
  it.each([
    ['172.16.0.0/16', 64, 1024, 61],
    ['172.16.0.0/16', 256, 256, 253],
    ['172.16.0.0/16', 16, 4096, 13],
    ['10.0.0.0/8', 128, 131072, 125],
    ['192.168.0.0/24', 64, 4, 61],
    ['192.168.0.0/28', 64, 0, 61],
  ])('M24 %s with %d IPs per node holds %d nodes of %d pods', (cidr, ips, maxNodes, podsPerNode) => {
    expect(flannelCapacity(cidr, ips)).toEqual({ maxNodes, podsPerNode });
  });

  it.each([
    ['not-a-cidr', 64],
    ['172.16.0.0/16', 100],
    ['172.16.0.0/16', 2],
    ['172.16.0.0/16', 0],
    ['172.16.0.0/16', Number.NaN],
  ])('M24 %s with %d IPs per node has no capacity', (cidr, ips) => {
    expect(flannelCapacity(cidr, ips)).toBeNull();
  });
});

describe('terwayPodsPerNode', () => {
  it.each([
    [{ eniQuantity: 4, eniPrivateIpQuantity: 15 }, 'shared-eni', 42],
    [{ eniQuantity: 8, eniPrivateIpQuantity: 20 }, 'shared-eni', 133],
    [{ eniQuantity: 4, eniPrivateIpQuantity: 15 }, 'exclusive-eni', 3],
    [{ eniQuantity: 1, eniPrivateIpQuantity: 10 }, 'shared-eni', 0],
    [{ eniQuantity: 1, eniPrivateIpQuantity: 10 }, 'exclusive-eni', 0],
    [{ eniQuantity: 0, eniPrivateIpQuantity: 0 }, 'shared-eni', 0],
    [{ eniQuantity: 0, eniPrivateIpQuantity: 0 }, 'exclusive-eni', 0],
    [{ eniQuantity: Number.NaN, eniPrivateIpQuantity: 10 }, 'shared-eni', 0],
  ] as const)('M26 %o in %s mode holds %d pods', (limits, mode, pods) => {
    expect(terwayPodsPerNode(limits, mode)).toBe(pods);
  });
});

describe('serviceCapacity', () => {
  it.each([
    ['192.168.0.0/16', 65534],
    ['172.21.0.0/20', 4094],
    ['10.0.0.0/24', 254],
    ['10.0.0.0/32', 0],
  ])('M27 %s has %d usable service IPs', (cidr, n) => {
    expect(serviceCapacity(cidr)).toBe(n);
  });

  it('M27 a malformed Service CIDR has no capacity', () => {
    expect(serviceCapacity('10.0.0.0/33')).toBeNull();
  });
});
