// M42: the product name nvidia-smi reports for each instance type's GPUs (node labels, emulator).
import { describe, expect, it } from 'vitest';
import { nvidiaProduct } from './gpu-product.js';
import { findInstanceType, INSTANCE_TYPES } from './instance-types.js';

const product = (id: string) => {
  const t = findInstanceType(id);
  if (!t) throw new Error(`${id} is not in the catalogue`);
  return nvidiaProduct(t);
};

describe('nvidiaProduct', () => {
  it('M42: the names nvidia-smi prints, `Tesla …` for older boards', () => {
    expect(product('ecs.gn7i-c8g1.2xlarge')).toEqual({ name: 'NVIDIA A10', named: true });
    expect(product('ecs.gn8is.2xlarge')).toEqual({ name: 'NVIDIA L20', named: true });
    expect(product('ecs.gn6i-c4g1.xlarge')).toEqual({ name: 'Tesla T4', named: true });
    expect(product('ecs.gn5i-c2g1.large')).toEqual({ name: 'Tesla P4', named: true });
    expect(product('ecs.gn6e-c12g1.3xlarge')).toEqual({ name: 'Tesla V100-SXM2-32GB', named: true });
    expect(product('ecs.gn6v-c8g1.2xlarge')).toEqual({ name: 'Tesla V100-SXM2-16GB', named: true });
    expect(product('ecs.gn5-c4g1.xlarge')).toEqual({ name: 'Tesla P100-PCIE-16GB', named: true });
  });

  it('M42: a vGPU slice is the board with its frame buffer; FPGA has none', () => {
    expect(product('ecs.vgn7i-vws-m4.xlarge')).toEqual({ name: 'NVIDIA A10-4Q', named: true });
    expect(product('ecs.f3-c4f1.xlarge')).toBeNull();
  });

  it('M42: where Alibaba names no model, the hint is marked as not named', () => {
    expect(product('ecs.gn7-c12g1.3xlarge')).toEqual({ name: 'NVIDIA A100-SXM4-40GB', named: false });
    expect(product('ecs.gn7e-c16g1.4xlarge')).toEqual({ name: 'NVIDIA A100-SXM4-80GB', named: false });
    expect(product('ecs.gn8v.4xlarge')).toEqual({ name: 'NVIDIA H20', named: false });
    expect(product('ecs.ebmgn9ge.64xlarge')).toEqual({ name: 'NVIDIA GPU', named: false });
  });

  it('M42: every NVIDIA type has a name, named exactly when the catalogue has a model', () => {
    for (const t of INSTANCE_TYPES) {
      const p = nvidiaProduct(t);
      if (t.accelerator.vendor !== 'nvidia') expect(p, t.id).toBeNull();
      else
        expect(p, t.id).toEqual({
          name: expect.stringMatching(/^(NVIDIA|Tesla) /),
          named: t.accelerator.model !== null,
        });
    }
  });
});
