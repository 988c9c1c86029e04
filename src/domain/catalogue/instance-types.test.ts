// Sanity tests for the instance-type catalogue (M42): ids, accelerator data and a few rows checked
// against the GPU-stack reference table, plus the ENI approximation rule.
import { describe, expect, it } from 'vitest';
import {
  approximateEniLimits,
  describeAccelerator,
  findInstanceType,
  INSTANCE_TYPES,
  meetsWorkerNodeMinimum,
} from './instance-types.js';

describe('instance-type catalogue', () => {
  it('M42 every id has the form ecs.<family><size>', () => {
    for (const t of INSTANCE_TYPES) {
      expect(t.id).toMatch(/^ecs\.[a-z0-9-]+\.[a-z0-9]+$/);
      expect(t.id.startsWith(`ecs.${t.family}`)).toBe(true);
    }
  });

  it('M42 ids are unique', () => {
    const ids = INSTANCE_TYPES.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('M42 holds every family of the reference table', () => {
    const families = new Set(INSTANCE_TYPES.map((t) => t.family));
    for (const f of [
      'gn8v',
      'gn8v-tee',
      'gn8is',
      'gn7e',
      'gn7i',
      'gn7s',
      'gn7',
      'gn6i',
      'gn6e',
      'gn6v',
      'gn5i',
      'gn5',
      'ebmgn9g',
      'ebmgn9ge',
      'ebmgn9gc',
      'ebmgn8v',
      'ebmgn8ia',
      'ebmgn8is',
      'ebmgn7e',
      'ebmgn7i',
      'ebmgn7',
      'ebmgn6e',
      'ebmgn6v',
      'ebmgn6i',
      'vgn7i-vws',
      'f3',
    ]) {
      expect(families.has(f), f).toBe(true);
    }
    expect(INSTANCE_TYPES).toHaveLength(95);
  });

  it('M42 every GPU type has at least one whole GPU; vGPU types a slice of at most one', () => {
    for (const t of INSTANCE_TYPES) {
      if (t.category === 'vgpu') {
        expect(t.accelerator.count, t.id).toBeGreaterThan(0);
        expect(t.accelerator.count, t.id).toBeLessThanOrEqual(1);
      } else {
        expect(Number.isInteger(t.accelerator.count), t.id).toBe(true);
        expect(t.accelerator.count, t.id).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('M42 a -Nx size carries N accelerators', () => {
    for (const t of INSTANCE_TYPES) {
      const m = /-(\d+)x\./.exec(t.id);
      if (m) expect(t.accelerator.count, t.id).toBe(Number(m[1]));
    }
  });

  it('M42 categories, vendors and bare-metal flags agree with the family prefix', () => {
    for (const t of INSTANCE_TYPES) {
      expect(t.bareMetal, t.id).toBe(t.family.startsWith('ebm'));
      if (t.family.startsWith('vgn')) expect(t.category, t.id).toBe('vgpu');
      else if (t.family.startsWith('f'))
        expect([t.category, t.accelerator.vendor], t.id).toEqual(['fpga', 'xilinx']);
      else expect([t.category, t.accelerator.vendor], t.id).toEqual(['gpu', 'nvidia']);
    }
  });

  it('M42 gn7i types carry an NVIDIA A10 with 24 GiB', () => {
    const gn7i = INSTANCE_TYPES.filter((t) => t.family === 'gn7i');
    expect(gn7i).toHaveLength(12);
    for (const t of gn7i) {
      expect(t.accelerator.model).toBe('NVIDIA A10');
      expect(t.accelerator.memoryGiB).toBe(24);
      expect(t.generation).toBe('ampere');
    }
  });

  it('M42 unnamed models are null with a hint, never guessed into model', () => {
    for (const family of ['gn7', 'gn7e', 'gn8v', 'ebmgn7', 'ebmgn7e', 'ebmgn8v']) {
      for (const t of INSTANCE_TYPES.filter((x) => x.family === family)) {
        expect(t.accelerator.model, t.id).toBeNull();
        expect(t.accelerator.modelHint, t.id).toBeTruthy();
      }
    }
    for (const t of INSTANCE_TYPES) {
      if (t.accelerator.model !== null) expect(t.accelerator.modelHint, t.id).toBeUndefined();
    }
  });

  it.each([
    { id: 'ecs.gn7i-c8g1.2xlarge', vcpu: 8, memoryGiB: 30, count: 1, gpuGiB: 24 },
    { id: 'ecs.gn7i-c32g1.8xlarge', vcpu: 32, memoryGiB: 188, count: 1, gpuGiB: 24 },
    { id: 'ecs.gn8v-4x.8xlarge', vcpu: 32, memoryGiB: 384, count: 4, gpuGiB: 96 },
    { id: 'ecs.gn8is-8x.32xlarge', vcpu: 128, memoryGiB: 1024, count: 8, gpuGiB: 48 },
    { id: 'ecs.gn7e-c16g1.4xlarge', vcpu: 16, memoryGiB: 125, count: 1, gpuGiB: 80 },
    { id: 'ecs.gn7-c13g1.26xlarge', vcpu: 104, memoryGiB: 756, count: 8, gpuGiB: 40 },
    { id: 'ecs.gn6i-c4g1.xlarge', vcpu: 4, memoryGiB: 15, count: 1, gpuGiB: 16 },
    { id: 'ecs.gn6v-c10g1.20xlarge', vcpu: 82, memoryGiB: 336, count: 8, gpuGiB: 16 },
    { id: 'ecs.gn5-c8g1.14xlarge', vcpu: 54, memoryGiB: 480, count: 8, gpuGiB: 16 },
    { id: 'ecs.gn5i-c2g1.large', vcpu: 2, memoryGiB: 8, count: 1, gpuGiB: 8 },
    { id: 'ecs.ebmgn7.26xlarge', vcpu: 104, memoryGiB: 768, count: 8, gpuGiB: 40 },
    { id: 'ecs.ebmgn9g.64xlarge', vcpu: 256, memoryGiB: 2304, count: 8, gpuGiB: 48 },
    { id: 'ecs.vgn7i-vws-m8.2xlarge', vcpu: 10, memoryGiB: 62, count: 1 / 3, gpuGiB: 8 },
    { id: 'ecs.vgn7i-vws-m24.7xlarge', vcpu: 30, memoryGiB: 186, count: 1, gpuGiB: 24 },
    { id: 'ecs.f3-c22f1.22xlarge', vcpu: 88, memoryGiB: 336, count: 4, gpuGiB: 0 },
  ])('M42 $id matches the reference table', ({ id, vcpu, memoryGiB, count, gpuGiB }) => {
    const t = findInstanceType(id);
    expect(t).toBeDefined();
    expect(t?.vcpu).toBe(vcpu);
    expect(t?.memoryGiB).toBe(memoryGiB);
    expect(t?.accelerator.count).toBe(count);
    expect(t?.accelerator.memoryGiB).toBe(gpuGiB);
  });

  it('M42 unknown ids are not found', () => {
    expect(findInstanceType('ecs.gn7i-c8g1.3xlarge')).toBeUndefined();
    expect(findInstanceType('gn7i-c8g1.2xlarge')).toBeUndefined();
  });

  it.each([
    { id: 'ecs.gn7i-c8g1.2xlarge', text: '1 × NVIDIA A10 24 GiB' },
    { id: 'ecs.gn6v-c8g1.16xlarge', text: '8 × NVIDIA V100 SXM2 16 GiB' },
    { id: 'ecs.vgn7i-vws-m4.xlarge', text: '1/6 × NVIDIA A10 vGPU 4 GiB' },
    { id: 'ecs.gn8v-8x.48xlarge', text: '8 × NVIDIA GPU 96 GiB (model not named by Alibaba; likely H20)' },
    { id: 'ecs.ebmgn9ge.64xlarge', text: '8 × NVIDIA GPU 72 GiB (model not named by Alibaba)' },
    { id: 'ecs.f3-c16f1.8xlarge', text: '2 × Xilinx VU9P FPGA' },
  ])('M42 describes the accelerator of $id as "$text"', ({ id, text }) => {
    const t = findInstanceType(id);
    if (!t) throw new Error(`missing ${id}`);
    expect(describeAccelerator(t)).toBe(text);
  });

  it.each([
    { vcpu: 2, bareMetal: false, eni: 2, ips: 6 },
    { vcpu: 4, bareMetal: false, eni: 3, ips: 10 },
    { vcpu: 8, bareMetal: false, eni: 4, ips: 10 },
    { vcpu: 16, bareMetal: false, eni: 8, ips: 20 },
    { vcpu: 32, bareMetal: false, eni: 8, ips: 30 },
    { vcpu: 192, bareMetal: false, eni: 8, ips: 30 },
    { vcpu: 104, bareMetal: true, eni: 32, ips: 15 },
  ])(
    'ENI approximation: $vcpu vCPU (bare metal $bareMetal) → $eni × $ips',
    ({ vcpu, bareMetal, eni, ips }) => {
      expect(approximateEniLimits(vcpu, bareMetal)).toEqual({ eniQuantity: eni, eniPrivateIpQuantity: ips });
    },
  );

  it('every catalogue row follows the ENI rule', () => {
    for (const t of INSTANCE_TYPES) {
      expect({ eniQuantity: t.eniQuantity, eniPrivateIpQuantity: t.eniPrivateIpQuantity }, t.id).toEqual(
        approximateEniLimits(t.vcpu, t.bareMetal),
      );
    }
  });

  it.each([
    { id: 'ecs.gn6i-c4g1.xlarge', ok: true },
    { id: 'ecs.gn5i-c2g1.large', ok: false },
  ])('worker minimum (4 vCPU, 8 GiB): $id → $ok', ({ id, ok }) => {
    const t = findInstanceType(id);
    if (!t) throw new Error(`missing ${id}`);
    expect(meetsWorkerNodeMinimum(t)).toBe(ok);
  });
});
