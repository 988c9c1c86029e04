// The emulated cloud's fixed geography and offer: regions and zones with the public cloud's ids,
// per-zone stock of the instance-type catalogue and images; prices come from the catalogue.
import { INSTANCE_TYPES, type InstanceType } from '../../domain/catalogue/index.js';
import type { Image, InstanceTypeStock, Region, Zone } from '../provider.js';
import { hash01 } from './random.js';

interface RegionDef {
  readonly regionId: string;
  readonly localName: string;
  /** The three characters the public cloud puts after a resource prefix in this region. */
  readonly idPrefix: string;
  readonly zones: readonly string[];
}

const REGION_DEFS: readonly RegionDef[] = [
  { regionId: 'cn-hangzhou', localName: '华东1（杭州）', idPrefix: 'bp1', zones: ['h', 'i', 'j', 'k'] },
  { regionId: 'cn-shanghai', localName: '华东2（上海）', idPrefix: 'uf6', zones: ['b', 'e', 'g', 'l'] },
  { regionId: 'cn-beijing', localName: '华北2（北京）', idPrefix: '2ze', zones: ['g', 'h', 'i'] },
  { regionId: 'cn-shenzhen', localName: '华南1（深圳）', idPrefix: 'wz9', zones: ['d', 'e'] },
];

export const REGIONS: readonly Region[] = REGION_DEFS.map((r) => ({
  regionId: r.regionId,
  localName: r.localName,
}));

export function zonesOf(regionId: string): Zone[] {
  const def = REGION_DEFS.find((r) => r.regionId === regionId);
  if (!def) return [];
  return def.zones.map((z) => ({
    regionId,
    zoneId: `${regionId}-${z}`,
    localName: `${def.localName} 可用区${z.toUpperCase()}`,
  }));
}

export function isRegion(regionId: string): boolean {
  return REGION_DEFS.some((r) => r.regionId === regionId);
}

export function idPrefixOf(regionId: string): string {
  return REGION_DEFS.find((r) => r.regionId === regionId)?.idPrefix ?? 'xx0';
}

/**
 * Stock the emulator always has or never has, whatever the hash below says, so documentation and tests
 * can rely on them: A10 (gn7i) in Hangzhou I, and none of it in Hangzhou H.
 */
const FIXED_STOCK: readonly { family: string; zoneId: string; available: boolean }[] = [
  { family: 'gn7i', zoneId: 'cn-hangzhou-i', available: true },
  { family: 'gn7i', zoneId: 'cn-hangzhou-k', available: true },
  { family: 'gn7i', zoneId: 'cn-hangzhou-h', available: false },
  { family: 'gn6i', zoneId: 'cn-hangzhou-i', available: true },
  { family: 'gn6v', zoneId: 'cn-beijing-g', available: false },
];

/** Base stock of one instance type in one zone: about one family in four is sold out somewhere. */
export function baseStock(t: InstanceType, zoneId: string): boolean {
  const fixed = FIXED_STOCK.find((f) => f.family === t.family && f.zoneId === zoneId);
  if (fixed) return fixed.available;
  return hash01(`stock:${t.family}:${zoneId}`) >= 0.25;
}

export function stockOf(regionId: string, zoneId?: string): InstanceTypeStock[] {
  const zones = zonesOf(regionId).filter((z) => zoneId === undefined || z.zoneId === zoneId);
  return zones.flatMap((z) =>
    INSTANCE_TYPES.map((t) => ({
      zoneId: z.zoneId,
      instanceType: t.id,
      status: baseStock(t, z.zoneId) ? ('available' as const) : ('sold-out' as const),
    })),
  );
}

export const IMAGES: readonly Image[] = [
  {
    imageId: 'aliyun_2_1903_x64_20G_alibase_20240628.vhd',
    osName: 'Alibaba Cloud Linux 2.1903 LTS 64位',
    platform: 'aliyun-linux-2',
    architecture: 'x86_64',
  },
  {
    imageId: 'aliyun_3_x64_20G_alibase_20240819.vhd',
    osName: 'Alibaba Cloud Linux 3.2104 LTS 64位',
    platform: 'aliyun-linux-3',
    architecture: 'x86_64',
  },
  {
    imageId: 'centos_7_9_x64_20G_alibase_20240628.vhd',
    osName: 'CentOS 7.9 64位',
    platform: 'centos-7',
    architecture: 'x86_64',
  },
];

/** Subscription fees (M14) come from the catalogue's approximate list prices. */
export { hourlyPriceCny, subscriptionFeeCny } from '../../domain/catalogue/index.js';
