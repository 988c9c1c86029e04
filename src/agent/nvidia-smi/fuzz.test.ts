// Property tests: the readers never throw and always return a report the server accepts, for
// arbitrary strings and for arbitrary mutations (cuts, copies, edits, new values) of real fixtures.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateGpuReport } from '../../domain/gpu/index.js';
import type { GpuReport } from '../../domain/gpu/index.js';
import { parseQueryGpuCsv } from './parse-csv.js';
import { mergeMigList, parseNvidiaSmiList } from './parse-list.js';
import { parseNvidiaSmiXml } from './parse-xml.js';

const root = new URL('../../../test/fixtures/nvidia-smi/', import.meta.url);
const load = (folder: string, suffix: string): string[] =>
  readdirSync(new URL(`${folder}/`, root))
    .filter((f) => f.endsWith(suffix))
    .map((f) => readFileSync(new URL(`${folder}/${f}`, root), 'utf8'));

const XML = load('xml', '.xml');
const CSV = load('query-gpu-csv', '.query-gpu.csv');
const LISTS = load('query-gpu-csv', '.L.txt');

function expectAccepted(report: GpuReport): void {
  const result = validateGpuReport(report);
  expect(result.ok, JSON.stringify(result.ok ? '' : result.problems.slice(0, 3))).toBe(true);
}

const INTERESTING = [
  '',
  ' ',
  'N/A',
  '[N/A]',
  'None',
  'Yes',
  'Enabled',
  '-1',
  '0',
  '1e309',
  '99999999999999999999 MiB',
  '81920 MiB',
  'NaN W',
  '\n 42 \n C',
  'GPU-00000000-0000-0000-0000-000000000000',
  '0000:04:00.0',
  '<![CDATA[x]]>',
  '&amp;',
  '\u0000',
  '漢字',
];

type Edit =
  | { kind: 'delete-lines'; at: number; count: number }
  | { kind: 'duplicate-lines'; at: number; count: number }
  | { kind: 'swap-lines'; at: number; other: number }
  | { kind: 'replace-value'; at: number; value: string }
  | { kind: 'insert'; at: number; value: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'drop-leaf'; at: number }
  | { kind: 'rename-leaf'; at: number; name: string };

const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const value = fc.oneof(fc.constantFrom(...INTERESTING), fc.string({ maxLength: 20 }));
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant('delete-lines' as const),
    at: position,
    count: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({
    kind: fc.constant('duplicate-lines' as const),
    at: position,
    count: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({ kind: fc.constant('swap-lines' as const), at: position, other: position }),
  fc.record({ kind: fc.constant('replace-value' as const), at: position, value }),
  fc.record({ kind: fc.constant('replace-value' as const), at: position, value }),
  fc.record({ kind: fc.constant('insert' as const), at: position, value: fc.string({ maxLength: 30 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
);

/** Applies one edit to the lines of a document; values are edited between `>` and `<` (or `, `). */
function apply(doc: string, e: Edit): string {
  const lines = doc.split('\n');
  const i = Math.floor(e.at * lines.length);
  switch (e.kind) {
    case 'delete-lines':
      lines.splice(i, e.count);
      return lines.join('\n');
    case 'duplicate-lines':
      lines.splice(i, 0, ...lines.slice(i, i + e.count));
      return lines.join('\n');
    case 'swap-lines': {
      const j = Math.floor(e.other * lines.length);
      const a = lines[i] ?? '';
      lines[i] = lines[j] ?? '';
      lines[j] = a;
      return lines.join('\n');
    }
    case 'replace-value':
      lines[i] = (lines[i] ?? '')
        .replace(/>([^<]*)</, () => `>${e.value}<`)
        .replace(/, [^,]*/, () => `, ${e.value}`);
      return lines.join('\n');
    case 'insert': {
      const at = Math.floor(e.at * doc.length);
      return doc.slice(0, at) + e.value + doc.slice(at);
    }
    case 'truncate':
      return doc.slice(0, Math.floor(e.at * doc.length));
    case 'drop-leaf':
      return editLeaf(lines, e.at, () => '');
    case 'rename-leaf':
      return editLeaf(lines, e.at, (indent, _name, body) => `${indent}<${e.name}>${body}</${e.name}>`);
  }
}

const LEAF = /^(\s*)<([A-Za-z_]\w*)>([^<]*)<\/\2>\s*$/;

/** Drops or renames the first one-line element at or after `at`, keeping the XML well-formed. */
function editLeaf(
  lines: string[],
  at: number,
  replace: (indent: string, name: string, body: string) => string,
): string {
  const start = Math.floor(at * lines.length);
  const i = lines.findIndex((l, n) => n >= start && LEAF.test(l));
  const m = i < 0 ? null : LEAF.exec(lines[i] ?? '');
  if (m !== null) lines[i] = replace(m[1] ?? '', m[2] ?? '', m[3] ?? '');
  return lines.join('\n');
}

function mutated(docs: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...docs), fc.array(edit, { minLength: 1, maxLength: 6 }))
    .map(([doc, edits]) => edits.reduce(apply, doc));
}

describe('M62 parsers are total', () => {
  it('parseNvidiaSmiXml never throws and its report always validates, for arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('<', '<a>', '<nvidia_smi_log>')),
        (s) => {
          expectAccepted(parseNvidiaSmiXml(s));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('parseNvidiaSmiXml never throws and its report always validates, for mutated fixtures', () => {
    fc.assert(
      fc.property(mutated(XML), (doc) => {
        expectAccepted(parseNvidiaSmiXml(doc));
      }),
      { numRuns: 400 },
    );
  });

  it('edits that keep the XML well-formed (new values, dropped or renamed elements) yield GPUs or a named error', () => {
    const valueEdit: fc.Arbitrary<Edit> = fc.oneof(
      fc.record({ kind: fc.constant('replace-value' as const), at: position, value }),
      fc.record({ kind: fc.constant('drop-leaf' as const), at: position }),
      fc.record({
        kind: fc.constant('rename-leaf' as const),
        at: position,
        name: fc.constantFrom('x', 'gpu', 'uuid', 'pid'),
      }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...XML),
        fc.array(valueEdit, { minLength: 1, maxLength: 20 }),
        (doc, edits) => {
          const report = parseNvidiaSmiXml(edits.reduce(apply, doc));
          expectAccepted(report);
          expect(report.gpus.length === 1 || report.error !== undefined).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('parseQueryGpuCsv never throws and its report always validates', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), mutated(CSV)), (s) => {
        expectAccepted(parseQueryGpuCsv(s));
      }),
      { numRuns: 400 },
    );
  });

  it('parseNvidiaSmiList and mergeMigList never throw and keep the report valid', () => {
    const report = parseQueryGpuCsv(CSV[0] ?? '');
    fc.assert(
      fc.property(fc.oneof(fc.string(), mutated(LISTS)), (s) => {
        expectAccepted(mergeMigList(report, parseNvidiaSmiList(s)));
      }),
      { numRuns: 400 },
    );
  });
});
