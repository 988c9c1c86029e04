// Code ↔ doc both ways: docs/errors.md lists exactly the catalogue's codes, each with both
// languages, and every code raised in src/ has a message.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderErrorsDoc } from '../scripts/errors-doc.js';
import { catalogue } from '../src/domain/messages/index.js';

const ROOT = resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

describe('docs/errors.md', () => {
  it('is up to date with the message catalogue (run `npm run docs:errors`)', () => {
    expect(readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8')).toBe(renderErrorsDoc());
  });

  it('lists every catalogue code, and documents no code the catalogue lacks', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8');
    const documented = new Set([...doc.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]));
    expect([...documented].sort()).toEqual(Object.keys(catalogue).sort());
  });

  it('every code thrown or reported in src/ has a message in both languages', () => {
    const raised = new Set<string>();
    const pattern =
      /(?:KuberackError\(|\.(?:add|fail)\([^,]+,\s*|problem\([^,]+,\s*|code:\s*)'([A-Z][A-Z0-9]*_[A-Z0-9_]+)'/g;
    for (const file of sources(join(ROOT, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(pattern)) if (m[1]) raised.add(m[1]);
    }
    const missing = [...raised].filter((c) => !catalogue[c]?.en || !catalogue[c]?.zh);
    expect(missing).toEqual([]);
    expect(raised.size).toBeGreaterThan(50);
  });
});
