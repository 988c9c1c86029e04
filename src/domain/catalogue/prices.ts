// Approximate list prices in CNY, for the dry run's cost estimate (M66) and the emulator's fees
// (M14). Planning figures, not quotes: real prices vary by region, date and discount.
import type { DiskCategory, EssdPerformanceLevel, SlbSpec } from '../spec/types.js';
import { findInstanceType } from './instance-types.js';

export const HOURS_PER_MONTH = 720;

/** A month of subscription costs about 70 % of a month of pay-as-you-go. */
export const SUBSCRIPTION_DISCOUNT = 0.7;

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Pay-as-you-go instance price per hour: from vCPU, memory and accelerators; 1 for an unknown type. */
export function hourlyPriceCny(instanceType: string): number {
  const t = findInstanceType(instanceType);
  if (!t) return 1;
  const perAccelerator = t.accelerator.memoryGiB >= 80 ? 28 : t.accelerator.memoryGiB >= 32 ? 16 : 9;
  return round2(t.vcpu * 0.12 + t.memoryGiB * 0.02 + t.accelerator.count * perAccelerator);
}

export function subscriptionFeeCny(instanceType: string, months: number): number {
  return round2(hourlyPriceCny(instanceType) * HOURS_PER_MONTH * months * SUBSCRIPTION_DISCOUNT);
}

/** Per GiB and month; ESSD by performance level. */
export function diskMonthlyPerGiBCny(category: DiskCategory, level: EssdPerformanceLevel | null): number {
  if (category === 'ssd') return 1;
  if (category === 'ultra') return 0.35;
  return { PL0: 0.5, PL1: 1, PL2: 2, PL3: 4 }[level ?? 'PL1'];
}

/** A pay-by-specification CLB: instance fee plus the specification's fee, per hour. */
export const SLB_HOURLY_CNY: Readonly<Record<SlbSpec, number>> = {
  'slb.s1.small': 0.09,
  'slb.s2.small': 0.16,
  'slb.s2.medium': 0.3,
  'slb.s3.small': 0.37,
  'slb.s3.medium': 0.72,
  'slb.s3.large': 1.42,
};

/** An enhanced NAT gateway's instance fee per hour (capacity units are charged by use, not estimated). */
export const NAT_GATEWAY_HOURLY_CNY = 0.2;

/** A pay-by-traffic EIP's configuration fee per hour (traffic is charged per GB, not estimated). */
export const EIP_HOURLY_CNY = 0.02;
