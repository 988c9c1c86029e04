// Tests of the dry run's cost estimate (M66): every charged resource of the plan is an item, the
// total is their sum, subscriptions are cheaper per month, and workers scale the total linearly.
import { describe, expect, it } from 'vitest';
import { hourlyPriceCny, SLB_HOURLY_CNY } from '../catalogue/prices.js';
import { validateClusterSpec } from '../spec/validate.js';
import { estimateCost } from './cost.js';
import { planCluster } from './plan.js';

function costOf(workers: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const result = validateClusterSpec({
    name: 'gpu-demo',
    regionId: 'cn-hangzhou',
    network: { vswitches: [{ zoneId: 'cn-hangzhou-i', cidr: '192.168.0.0/24' }], podCidr: '172.20.0.0/16' },
    workers: {
      instances: { instanceTypes: ['ecs.gn7i-c8g1.2xlarge'], count: 2, ...workers },
      login: { keyPair: { name: 'my-key' } },
    },
    ...extra,
  });
  expect(result.problems).toEqual([]);
  if (!result.ok) throw new Error('invalid spec');
  return estimateCost(planCluster(result.spec, { clusterId: 'c-cost' }));
}

describe('estimateCost', () => {
  it('M66: prices every worker, its disks, the API server SLB, the NAT gateway and its EIP', () => {
    const c = costOf();
    const whats = c.items.map((i) => `${i.key} ${i.what}`);
    expect(whats.filter((w) => w.includes('ecs.gn7i-c8g1.2xlarge'))).toHaveLength(2);
    expect(whats.some((w) => w.startsWith('slb/api-server slb.'))).toBe(true);
    expect(whats.some((w) => w.startsWith('nat-gateway NAT gateway'))).toBe(true);
    expect(whats.some((w) => /^ecs-instance\/worker-1 essd PL\d \d+ GiB$/.test(w))).toBe(true);
    const sum = c.items.reduce((n, i) => n + i.monthlyCny, 0);
    expect(c.monthlyCny).toBeCloseTo(sum, 1);
    expect(c.hourlyCny * 720).toBeCloseTo(c.monthlyCny, -1);
    expect(c.currency).toBe('CNY');
    expect(c.excluded.length).toBeGreaterThan(0);
    const worker = c.items.find((i) => i.what === 'ecs.gn7i-c8g1.2xlarge');
    expect(worker?.monthlyCny).toBeCloseTo(hourlyPriceCny('ecs.gn7i-c8g1.2xlarge') * 720, 1);
    expect(SLB_HOURLY_CNY['slb.s1.small']).toBeGreaterThan(0);
  });

  it('M66: each added worker adds the same amount', () => {
    const two = costOf({ count: 2 }).monthlyCny;
    const three = costOf({ count: 3 }).monthlyCny;
    const four = costOf({ count: 4 }).monthlyCny;
    expect(four - three).toBeCloseTo(three - two, 1);
    expect(three - two).toBeGreaterThan(1000);
  });

  it('M14 M66: a subscription worker costs less a month and is not in the hourly figure', () => {
    const payg = costOf();
    const sub = costOf({ billing: { type: 'subscription', period: 1, periodUnit: 'month' } });
    expect(sub.monthlyCny).toBeLessThan(payg.monthlyCny);
    expect(sub.hourlyCny).toBeLessThan(payg.hourlyCny / 2);
    expect(sub.items.filter((i) => i.what.endsWith('(subscription)'))).toHaveLength(2);
  });

  it('M44 M66: a faster ESSD level costs more', () => {
    const pl1 = costOf({ systemDisk: { category: 'essd', sizeGiB: 500, performanceLevel: 'PL1' } });
    const pl2 = costOf({ systemDisk: { category: 'essd', sizeGiB: 500, performanceLevel: 'PL2' } });
    expect(pl2.monthlyCny - pl1.monthlyCny).toBeCloseTo(2 * 500 * (2 - 1), 1);
  });
});
