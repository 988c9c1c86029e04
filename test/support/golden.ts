// Golden files for rendered artefacts: compared byte for byte; `UPDATE_GOLDEN=1` rewrites them on purpose.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';

const ROOT = join(import.meta.dirname, '..', 'fixtures');

/** Asserts `actual` equals the golden file `fixtures/<name>` (written first when UPDATE_GOLDEN=1). */
export function expectGolden(name: string, actual: string): void {
  const path = join(ROOT, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
  }
  if (!existsSync(path))
    throw new Error(`no golden file ${name}: run the test with UPDATE_GOLDEN=1 and review it`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
