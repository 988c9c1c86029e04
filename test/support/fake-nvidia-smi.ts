// A fake `nvidia-smi` for agent tests: a shell script in a temp directory (put it first on PATH) that
// prints fixture files per mode (-q -x, --query-gpu, -L), or hangs, prints garbage, or exits 9.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export type FakeBehaviour =
  | { readonly kind: 'fixture'; readonly xml?: string; readonly csv?: string; readonly list?: string }
  | { readonly kind: 'hang' }
  | { readonly kind: 'garbage' }
  | { readonly kind: 'exit'; readonly code: number };

export interface FakeNvidiaSmi {
  /** The directory holding `nvidia-smi`. */
  readonly dir: string;
  /** PATH with the fake first. */
  readonly path: string;
  remove(): void;
}

function quote(path: string): string {
  return `'${path.replace(/'/g, `'\\''`)}'`;
}

function script(b: FakeBehaviour): string {
  const lines = ['#!/bin/sh'];
  if (b.kind === 'hang') lines.push('exec sleep 600');
  else if (b.kind === 'garbage') lines.push('echo "<nvidia_smi_log><gpu>%%% not xml, not csv"', 'exit 0');
  else if (b.kind === 'exit') {
    lines.push(
      'echo "NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver." >&2',
      `exit ${b.code}`,
    );
  } else {
    const show = (file: string | undefined) =>
      file ? `cat ${quote(file)}; exit 0` : 'echo "not in this fake" >&2; exit 2';
    lines.push(
      'case "$1" in',
      `  -q) ${show(b.xml)} ;;`,
      `  --query-gpu=*) ${show(b.csv)} ;;`,
      `  -L) ${show(b.list)} ;;`,
      'esac',
      'exit 2',
    );
  }
  return `${lines.join('\n')}\n`;
}

export function fakeNvidiaSmi(behaviour: FakeBehaviour): FakeNvidiaSmi {
  const root = mkdtempSync(join(tmpdir(), 'kuberack-fake-smi-'));
  const dir = join(root, 'bin');
  mkdirSync(dir);
  const file = join(dir, 'nvidia-smi');
  writeFileSync(file, script(behaviour));
  chmodSync(file, 0o755);
  return {
    dir,
    path: `${dir}${delimiter}${process.env.PATH ?? ''}`,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
