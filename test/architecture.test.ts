// The layer import rule of docs/ARCHITECTURE.md, checked by machine: every relative import in
// src/ and web/src must go to an allowed layer, and src/domain must not import node: modules.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** layer → the layers it may import (itself included). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  domain: ['domain'],
  kube: ['kube', 'domain'],
  cloud: ['cloud', 'domain', 'store'],
  store: ['store', 'domain'],
  engine: ['engine', 'domain', 'kube', 'cloud', 'store'],
  'control-plane': ['control-plane', 'domain', 'store'],
  api: ['api', 'engine', 'domain', 'kube', 'cloud', 'store'],
  agent: ['agent', 'domain'],
  cli: ['cli', 'api', 'domain', 'agent', 'main'],
  main: ['main', 'api', 'engine', 'control-plane', 'domain', 'kube', 'cloud', 'store', 'agent'],
  web: ['web', 'domain'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

function layerOf(file: string): string | null {
  const rel = relative(ROOT, file).split('\\').join('/');
  if (rel.startsWith('web/src/')) return 'web';
  const m = /^src\/([^/]+)\//.exec(rel);
  return m ? (m[1] ?? null) : null;
}

/** Module specifiers of static imports, re-exports and dynamic imports. */
export function importsOf(source: string): string[] {
  const specs: string[] = [];
  const patterns = [
    /\bfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s+['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const p of patterns) for (const m of source.matchAll(p)) if (m[1]) specs.push(m[1]);
  return specs;
}

interface Violation {
  file: string;
  specifier: string;
  reason: string;
}

function violations(): Violation[] {
  const found: Violation[] = [];
  const files = [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'web', 'src'))];
  for (const file of files) {
    const layer = layerOf(file);
    if (layer === null) continue;
    const allowed = ALLOWED[layer];
    const isTest = /\.test\.tsx?$/.test(file);
    const rel = relative(ROOT, file);
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      if (
        specifier.startsWith('node:') ||
        ['fs', 'path', 'crypto', 'child_process', 'os', 'http'].includes(specifier)
      ) {
        if (layer === 'domain' && !isTest) found.push({ file: rel, specifier, reason: 'src/domain is pure' });
        continue;
      }
      if (!specifier.startsWith('.')) continue; // a library
      const target = layerOf(resolve(dirname(file), specifier));
      if (allowed === undefined) found.push({ file: rel, specifier, reason: `unknown layer ${layer}` });
      else if (target === null || !allowed.includes(target)) {
        found.push({ file: rel, specifier, reason: `${layer} may not import ${target ?? 'outside src'}` });
      }
    }
  }
  return found;
}

describe('architecture: the import rule', () => {
  it('every import goes to an allowed layer and src/domain has no node: imports', () => {
    expect(violations()).toEqual([]);
  });

  it('the checker itself catches a forbidden import', () => {
    expect(
      importsOf(`import x from 'node:fs';\nexport { y } from '../engine/run.js';\nawait import('./z.js');`),
    ).toEqual(['node:fs', '../engine/run.js', './z.js']);
  });

  it('every layer index says what it is for in a two-line header', () => {
    for (const layer of ['domain', 'kube']) {
      const text = readFileSync(join(ROOT, 'src', layer, 'index.ts'), 'utf8').split('\n');
      expect(text[0]?.startsWith('//'), `src/${layer}/index.ts line 1`).toBe(true);
      expect(text[1]?.startsWith('//'), `src/${layer}/index.ts line 2`).toBe(true);
    }
  });
});
