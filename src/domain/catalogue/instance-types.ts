// Catalogue of Alibaba Cloud heterogeneous-compute instance types (GPU, vGPU slice, FPGA) as pure data,
// with the accelerator's model, count and memory shown to users (mission M42).
//
// Source: the instance tables summarised in the project's GPU-stack reference (§1.2), which copy
// Alibaba Cloud's ECS documentation. Ids are `ecs.<family><size>`, e.g. `ecs.gn7i-c8g1.2xlarge`.
// Where Alibaba's tables name no GPU model (gn7, gn7e, gn8v and their bare-metal twins, some
// Blackwell bare metal), `model` is null and `modelHint` carries the community name, unverified: the
// node agent reads the real model from nvidia-smi.
//
// ENI limits are NOT in that source. They come from one approximation rule by vCPU count
// (`approximateEniLimits`) and must be refreshed from the provider's DescribeInstanceTypes
// (`EniQuantity`, `EniPrivateIpAddressQuantity`) when a live catalogue is available.

export type InstanceCategory = 'gpu' | 'vgpu' | 'fpga';
export type AcceleratorVendor = 'nvidia' | 'xilinx';

export interface Accelerator {
  readonly vendor: AcceleratorVendor;
  /** Model as Alibaba names it, e.g. `NVIDIA A10`; null where Alibaba's tables do not name it. */
  readonly model: string | null;
  /** Community name, unverified, e.g. `A100-SXM4-40GB`; only where `model` is null. */
  readonly modelHint?: string;
  /** Devices per instance; a fraction for a vGPU slice (1/6 of an A10). */
  readonly count: number;
  /** Memory per device in GiB; for a vGPU slice, the slice's share. 0 where the source gives none. */
  readonly memoryGiB: number;
}

export interface InstanceType {
  /** `ecs.<family><size>`, e.g. `ecs.gn7i-c8g1.2xlarge`. */
  readonly id: string;
  /** e.g. `gn7i`, `ebmgn7i`, `vgn7i-vws`, `f3`. */
  readonly family: string;
  readonly category: InstanceCategory;
  /** Accelerator architecture in lower case, e.g. `ampere`, `hopper`, `ultrascale-plus`. */
  readonly generation: string;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly accelerator: Accelerator;
  /** Approximation, see `approximateEniLimits`. */
  readonly eniQuantity: number;
  /** Private IPv4 addresses per ENI; approximation, see `approximateEniLimits`. */
  readonly eniPrivateIpQuantity: number;
  readonly bareMetal: boolean;
}

/**
 * The one rule used for ENI limits until the provider's DescribeInstanceTypes refreshes them:
 * ≤2 vCPU: 2 ENIs × 6 IPs; ≤4: 3 × 10; ≤8: 4 × 10; ≤16: 8 × 20; more: 8 × 30; bare metal: 32 × 15.
 */
export function approximateEniLimits(
  vcpu: number,
  bareMetal: boolean,
): { eniQuantity: number; eniPrivateIpQuantity: number } {
  if (bareMetal) return { eniQuantity: 32, eniPrivateIpQuantity: 15 };
  if (vcpu <= 2) return { eniQuantity: 2, eniPrivateIpQuantity: 6 };
  if (vcpu <= 4) return { eniQuantity: 3, eniPrivateIpQuantity: 10 };
  if (vcpu <= 8) return { eniQuantity: 4, eniPrivateIpQuantity: 10 };
  if (vcpu <= 16) return { eniQuantity: 8, eniPrivateIpQuantity: 20 };
  return { eniQuantity: 8, eniPrivateIpQuantity: 30 };
}

/** What every size of one family shares. */
interface FamilySpec {
  readonly family: string;
  readonly category: InstanceCategory;
  readonly generation: string;
  readonly vendor: AcceleratorVendor;
  readonly model: string | null;
  readonly modelHint?: string;
  /** Per whole device; a vGPU slice gets `memoryGiB × count`. */
  readonly deviceMemoryGiB: number;
  readonly bareMetal?: boolean;
}

/** `[size suffix appended to the family, vCPU, memory GiB, accelerator count]`. */
type SizeRow = readonly [size: string, vcpu: number, memoryGiB: number, count: number];

function roundGiB(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function family(spec: FamilySpec, rows: readonly SizeRow[]): InstanceType[] {
  return rows.map(([size, vcpu, memoryGiB, count]) => {
    const bareMetal = spec.bareMetal ?? false;
    const accelerator: Accelerator = {
      vendor: spec.vendor,
      model: spec.model,
      ...(spec.modelHint === undefined ? {} : { modelHint: spec.modelHint }),
      count,
      memoryGiB: spec.category === 'vgpu' ? roundGiB(spec.deviceMemoryGiB * count) : spec.deviceMemoryGiB,
    };
    return {
      id: `ecs.${spec.family}${size}`,
      family: spec.family,
      category: spec.category,
      generation: spec.generation,
      vcpu,
      memoryGiB,
      accelerator,
      ...approximateEniLimits(vcpu, bareMetal),
      bareMetal,
    };
  });
}

const nvidia = { category: 'gpu', vendor: 'nvidia' } as const;
const A10 = { ...nvidia, generation: 'ampere', model: 'NVIDIA A10', deviceMemoryGiB: 24 } as const;
const A30 = { ...nvidia, generation: 'ampere', model: 'NVIDIA A30', deviceMemoryGiB: 24 } as const;
const A100_40 = {
  ...nvidia,
  generation: 'ampere',
  model: null,
  modelHint: 'A100-SXM4-40GB',
  deviceMemoryGiB: 40,
} as const;
const A100_80 = {
  ...nvidia,
  generation: 'ampere',
  model: null,
  modelHint: 'A100 80GB',
  deviceMemoryGiB: 80,
} as const;
const H20 = { ...nvidia, generation: 'hopper', model: null, modelHint: 'H20', deviceMemoryGiB: 96 } as const;
const L20 = { ...nvidia, generation: 'ada', model: 'NVIDIA L20', deviceMemoryGiB: 48 } as const;
const T4 = { ...nvidia, generation: 'turing', model: 'NVIDIA T4', deviceMemoryGiB: 16 } as const;
const V100_32 = { ...nvidia, generation: 'volta', model: 'NVIDIA V100 SXM2', deviceMemoryGiB: 32 } as const;
const V100_16 = { ...nvidia, generation: 'volta', model: 'NVIDIA V100 SXM2', deviceMemoryGiB: 16 } as const;
const P4 = { ...nvidia, generation: 'pascal', model: 'NVIDIA P4', deviceMemoryGiB: 8 } as const;
const P100 = { ...nvidia, generation: 'pascal', model: 'NVIDIA P100', deviceMemoryGiB: 16 } as const;

function bareMetal(name: string, gpu: Omit<FamilySpec, 'family'>, size: SizeRow): InstanceType[] {
  return family({ ...gpu, family: name, bareMetal: true }, [size]);
}

export const INSTANCE_TYPES: readonly InstanceType[] = [
  ...family({ ...H20, family: 'gn8v' }, [
    ['.4xlarge', 16, 96, 1],
    ['.6xlarge', 24, 128, 1],
    ['-2x.8xlarge', 32, 192, 2],
    ['-4x.8xlarge', 32, 384, 4],
    ['-2x.12xlarge', 48, 256, 2],
    ['-8x.16xlarge', 64, 768, 8],
    ['-4x.24xlarge', 96, 512, 4],
    ['-8x.48xlarge', 192, 1024, 8],
  ]),
  // Confidential computing (TDX + GPU): the source says "same shapes" as gn8v for these four sizes.
  ...family({ ...H20, family: 'gn8v-tee' }, [
    ['.4xlarge', 16, 96, 1],
    ['.6xlarge', 24, 128, 1],
    ['-8x.16xlarge', 64, 768, 8],
    ['-8x.48xlarge', 192, 1024, 8],
  ]),
  ...family({ ...L20, family: 'gn8is' }, [
    ['.2xlarge', 8, 64, 1],
    ['.4xlarge', 16, 128, 1],
    ['-2x.8xlarge', 32, 256, 2],
    ['-4x.16xlarge', 64, 512, 4],
    ['-8x.32xlarge', 128, 1024, 8],
  ]),
  ...family({ ...A100_80, family: 'gn7e' }, [
    ['-c16g1.4xlarge', 16, 125, 1],
    ['-c16g1.8xlarge', 32, 250, 2],
    ['-c16g1.16xlarge', 64, 500, 4],
    ['-c16g1.32xlarge', 128, 1000, 8],
  ]),
  ...family({ ...A10, family: 'gn7i' }, [
    ['-c8g1.2xlarge', 8, 30, 1],
    ['-c16g1.4xlarge', 16, 60, 1],
    ['-c32g1.8xlarge', 32, 188, 1],
    ['-c32g1.16xlarge', 64, 376, 2],
    ['-c32g1.32xlarge', 128, 752, 4],
    ['-c48g1.12xlarge', 48, 310, 1],
    ['-c56g1.14xlarge', 56, 346, 1],
    ['-2x.8xlarge', 32, 128, 2],
    ['-4x.8xlarge', 32, 128, 4],
    ['-4x.16xlarge', 64, 256, 4],
    ['-8x.16xlarge', 64, 256, 8],
    ['-8x.32xlarge', 128, 512, 8],
  ]),
  ...family({ ...A30, family: 'gn7s' }, [
    ['-c8g1.2xlarge', 8, 60, 1],
    ['-c16g1.4xlarge', 16, 120, 1],
    ['-c32g1.8xlarge', 32, 250, 1],
    ['-c32g1.16xlarge', 64, 500, 2],
    ['-c32g1.32xlarge', 128, 1000, 4],
    ['-c48g1.12xlarge', 48, 380, 1],
    ['-c56g1.14xlarge', 56, 440, 1],
  ]),
  ...family({ ...A100_40, family: 'gn7' }, [
    ['-c12g1.3xlarge', 12, 94, 1],
    ['-c13g1.13xlarge', 52, 378, 4],
    ['-c13g1.26xlarge', 104, 756, 8],
  ]),
  ...family({ ...T4, family: 'gn6i' }, [
    ['-c4g1.xlarge', 4, 15, 1],
    ['-c8g1.2xlarge', 8, 31, 1],
    ['-c16g1.4xlarge', 16, 62, 1],
    ['-c24g1.6xlarge', 24, 93, 1],
    ['-c40g1.10xlarge', 40, 155, 1],
    ['-c24g1.12xlarge', 48, 186, 2],
    ['-c24g1.24xlarge', 96, 372, 4],
  ]),
  ...family({ ...V100_32, family: 'gn6e' }, [
    ['-c12g1.3xlarge', 12, 92, 1],
    ['-c12g1.6xlarge', 24, 184, 2],
    ['-c12g1.12xlarge', 48, 368, 4],
    ['-c12g1.24xlarge', 96, 736, 8],
  ]),
  ...family({ ...V100_16, family: 'gn6v' }, [
    ['-c8g1.2xlarge', 8, 32, 1],
    ['-c8g1.4xlarge', 16, 64, 2],
    ['-c8g1.8xlarge', 32, 128, 4],
    ['-c8g1.16xlarge', 64, 256, 8],
    ['-c10g1.20xlarge', 82, 336, 8],
  ]),
  ...family({ ...P4, family: 'gn5i' }, [
    ['-c2g1.large', 2, 8, 1],
    ['-c4g1.xlarge', 4, 16, 1],
    ['-c8g1.2xlarge', 8, 32, 1],
    ['-c16g1.4xlarge', 16, 64, 1],
    ['-c16g1.8xlarge', 32, 128, 2],
    ['-c28g1.14xlarge', 56, 224, 2],
  ]),
  ...family({ ...P100, family: 'gn5' }, [
    ['-c4g1.xlarge', 4, 30, 1],
    ['-c8g1.2xlarge', 8, 60, 1],
    ['-c4g1.2xlarge', 8, 60, 2],
    ['-c8g1.4xlarge', 16, 120, 2],
    ['-c28g1.7xlarge', 28, 112, 1],
    ['-c8g1.8xlarge', 32, 240, 4],
    ['-c28g1.14xlarge', 56, 224, 2],
    ['-c8g1.14xlarge', 54, 480, 8],
  ]),
  ...bareMetal(
    'ebmgn9g',
    { ...nvidia, generation: 'blackwell', model: null, modelHint: 'Blackwell PRO', deviceMemoryGiB: 48 },
    ['.64xlarge', 256, 2304, 8],
  ),
  ...bareMetal('ebmgn9ge', { ...nvidia, generation: 'blackwell', model: null, deviceMemoryGiB: 72 }, [
    '.64xlarge',
    256,
    2304,
    8,
  ]),
  ...bareMetal('ebmgn9gc', { ...nvidia, generation: 'blackwell', model: null, deviceMemoryGiB: 72 }, [
    '.64xlarge',
    256,
    1536,
    8,
  ]),
  ...bareMetal('ebmgn8v', H20, ['.48xlarge', 192, 1024, 8]),
  ...bareMetal('ebmgn8ia', L20, ['.64xlarge', 256, 1536, 4]),
  ...bareMetal('ebmgn8is', L20, ['.32xlarge', 128, 1024, 8]),
  ...bareMetal('ebmgn7e', A100_80, ['.32xlarge', 128, 1024, 8]),
  ...bareMetal('ebmgn7i', A10, ['.32xlarge', 128, 768, 4]),
  ...bareMetal('ebmgn7', A100_40, ['.26xlarge', 104, 768, 8]),
  ...bareMetal('ebmgn6e', V100_32, ['.24xlarge', 96, 768, 8]),
  ...bareMetal('ebmgn6v', V100_16, ['.24xlarge', 96, 384, 8]),
  ...bareMetal('ebmgn6i', T4, ['.24xlarge', 96, 384, 4]),
  // GRID vGPU slices of an A10 (need the GRID driver); memory is the slice's share of 24 GiB.
  ...family({ ...A10, category: 'vgpu', family: 'vgn7i-vws' }, [
    ['-m4.xlarge', 4, 30, 1 / 6],
    ['-m8.2xlarge', 10, 62, 1 / 3],
    ['-m12.3xlarge', 14, 93, 1 / 2],
    ['-m24.7xlarge', 30, 186, 1],
  ]),
  // Xilinx Virtex UltraScale+ VU9P FPGA; the source gives no on-board memory figure (0 = unknown).
  ...family(
    {
      family: 'f3',
      category: 'fpga',
      generation: 'ultrascale-plus',
      vendor: 'xilinx',
      model: 'Xilinx VU9P',
      deviceMemoryGiB: 0,
    },
    [
      ['-c4f1.xlarge', 4, 16, 1],
      ['-c8f1.2xlarge', 8, 32, 1],
      ['-c16f1.4xlarge', 16, 64, 1],
      ['-c16f1.8xlarge', 32, 128, 2],
      ['-c16f1.16xlarge', 64, 256, 4],
      ['-c22f1.22xlarge', 88, 336, 4],
    ],
  ),
];

const BY_ID: ReadonlyMap<string, InstanceType> = new Map(INSTANCE_TYPES.map((t) => [t.id, t]));

/** Looks an instance type up by its exact id, e.g. `ecs.gn7i-c8g1.2xlarge`. */
export function findInstanceType(id: string): InstanceType | undefined {
  return BY_ID.get(id);
}

/** ACK's minimum for a worker node (limits page): at least 4 vCPU and 8 GiB of memory. */
export const WORKER_NODE_MINIMUM = { vcpu: 4, memoryGiB: 8 } as const;

export function meetsWorkerNodeMinimum(t: Pick<InstanceType, 'vcpu' | 'memoryGiB'>): boolean {
  return t.vcpu >= WORKER_NODE_MINIMUM.vcpu && t.memoryGiB >= WORKER_NODE_MINIMUM.memoryGiB;
}

/** `1`, `8`, or a small fraction such as `1/6`; otherwise the decimal. */
function formatCount(count: number): string {
  if (Number.isInteger(count)) return String(count);
  for (let d = 2; d <= 64; d++) {
    const n = count * d;
    if (Math.abs(n - Math.round(n)) < 1e-9) return `${Math.round(n)}/${d}`;
  }
  return String(count);
}

function formatGiB(n: number): string {
  return `${Number.isInteger(n) ? n : Number(n.toFixed(2))} GiB`;
}

const VENDOR_NAME: Readonly<Record<AcceleratorVendor, string>> = { nvidia: 'NVIDIA', xilinx: 'Xilinx' };

/**
 * One line for users, e.g. `1 × NVIDIA A10 24 GiB`, `1/6 × NVIDIA A10 vGPU 4 GiB`,
 * `8 × NVIDIA GPU 96 GiB (model not named by Alibaba; likely H20)`, `1 × Xilinx VU9P FPGA`.
 */
export function describeAccelerator(t: Pick<InstanceType, 'category' | 'accelerator'>): string {
  const a = t.accelerator;
  const kind = t.category === 'fpga' ? 'FPGA' : 'GPU';
  let name = a.model ?? `${VENDOR_NAME[a.vendor]} ${kind}`;
  if (t.category === 'vgpu') name += ' vGPU';
  else if (t.category === 'fpga' && a.model !== null) name += ' FPGA';
  const memory = a.memoryGiB > 0 ? ` ${formatGiB(a.memoryGiB)}` : '';
  let text = `${formatCount(a.count)} × ${name}${memory}`;
  if (a.model === null) {
    text +=
      a.modelHint === undefined
        ? ' (model not named by Alibaba)'
        : ` (model not named by Alibaba; likely ${a.modelHint})`;
  }
  return text;
}
