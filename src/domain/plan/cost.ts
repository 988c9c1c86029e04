// The dry run's estimated cost (M66): what the resources a plan creates cost per hour and per month
// at the catalogue's approximate list prices; adopted instances and usage-based fees are left out.
import {
  diskMonthlyPerGiBCny,
  EIP_HOURLY_CNY,
  HOURS_PER_MONTH,
  hourlyPriceCny,
  NAT_GATEWAY_HOURLY_CNY,
  SLB_HOURLY_CNY,
  SUBSCRIPTION_DISCOUNT,
} from '../catalogue/prices.js';
import type { DiskCategory, EssdPerformanceLevel, SlbSpec } from '../spec/types.js';
import type { Input, ResourceGraph } from './graph.js';

export interface CostItem {
  /** The plan step that creates the resource. */
  readonly key: string;
  /** What is charged, e.g. `ecs.gn7i-c8g1.2xlarge (subscription)` or `essd PL1 120 GiB`. */
  readonly what: string;
  readonly monthlyCny: number;
}

export interface CostEstimate {
  readonly currency: 'CNY';
  readonly monthlyCny: number;
  /** The pay-as-you-go part per hour (subscriptions are paid up front by the month). */
  readonly hourlyCny: number;
  readonly items: readonly CostItem[];
  /** Charges that depend on use and are not in the total. */
  readonly excluded: readonly string[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

type Obj = Readonly<Record<string, Input>>;
const obj = (v: Input | undefined): Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
const str = (v: Input | undefined): string | null => (typeof v === 'string' ? v : null);

function disks(key: string, inputs: Obj): CostItem[] {
  const all = [obj(inputs.systemDisk), ...(Array.isArray(inputs.dataDisks) ? inputs.dataDisks.map(obj) : [])];
  return all.flatMap((d) => {
    const category = str(d.category) as DiskCategory | null;
    const size = typeof d.sizeGiB === 'number' ? d.sizeGiB : 0;
    if (!category || size <= 0) return [];
    const level = category === 'essd' ? ((str(d.performanceLevel) ?? 'PL1') as EssdPerformanceLevel) : null;
    return [
      {
        key,
        what: `${category}${level ? ` ${level}` : ''} ${size} GiB`,
        monthlyCny: round2(size * diskMonthlyPerGiBCny(category, level)),
      },
    ];
  });
}

/** Pay-as-you-go items are counted for a month of 720 hours; subscriptions at their monthly fee. */
export function estimateCost(graph: ResourceGraph): CostEstimate {
  const items: CostItem[] = [];
  let hourly = 0;
  const payg = (key: string, what: string, perHour: number) => {
    hourly += perHour;
    items.push({ key, what, monthlyCny: round2(perHour * HOURS_PER_MONTH) });
  };
  for (const s of graph.steps) {
    const i = s.inputs;
    if (s.kind === 'ecs-instance') {
      const type = Array.isArray(i.instanceTypes) ? (str(i.instanceTypes[0]) ?? '') : '';
      const billing = obj(i.billing);
      if (billing.type === 'subscription')
        items.push({
          key: s.key,
          what: `${type} (subscription)`,
          monthlyCny: round2(hourlyPriceCny(type) * HOURS_PER_MONTH * SUBSCRIPTION_DISCOUNT),
        });
      else payg(s.key, type, hourlyPriceCny(type));
      for (const d of disks(s.key, i)) {
        hourly += d.monthlyCny / HOURS_PER_MONTH;
        items.push(d);
      }
    } else if (s.kind === 'slb') {
      const spec = (str(i.spec) ?? 'slb.s1.small') as SlbSpec;
      payg(s.key, spec, SLB_HOURLY_CNY[spec] ?? SLB_HOURLY_CNY['slb.s1.small']);
    } else if (s.kind === 'nat-gateway') payg(s.key, 'NAT gateway (enhanced)', NAT_GATEWAY_HOURLY_CNY);
    else if (s.kind === 'eip') payg(s.key, 'EIP (pay by traffic)', EIP_HOURLY_CNY);
  }
  const excluded = ['EIP and NAT traffic (per GB)', 'NAT capacity units', 'log storage'];
  if (graph.steps.some((s) => s.kind === 'ecs-adoption'))
    excluded.push('adopted instances (already billed to the account)');
  return {
    currency: 'CNY',
    monthlyCny: round2(items.reduce((n, x) => n + x.monthlyCny, 0)),
    hourlyCny: round2(hourly),
    items,
    excluded,
  };
}
