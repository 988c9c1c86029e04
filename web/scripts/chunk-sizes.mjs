// Chunk sizes of the built console (web/dist): every chunk's minified and gzip bytes, and what the
// first page needs: the entry's static imports plus the chunks a page's lazy import pulls in.
// Usage: node web/scripts/chunk-sizes.mjs [page …]   (page: login-page, cluster-list-page, …)
/* global console, process */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = join(import.meta.dirname, '..', 'dist');
const assets = join(dist, 'assets');
const files = readdirSync(assets).filter((f) => f.endsWith('.js'));
const size = new Map(
  files.map((f) => {
    const bytes = readFileSync(join(assets, f));
    return [f, { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }];
  }),
);
/** Chunks a chunk imports statically (`import … from "./x.js"` and bare `import "./x.js"`). */
function staticImports(file) {
  const code = readFileSync(join(assets, file), 'utf8');
  const found = new Set();
  for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([\w.-]+\.js)["']/g))
    found.add(m[1]);
  return [...found];
}
function closure(start) {
  const seen = new Set();
  const todo = [...start];
  while (todo.length) {
    const f = todo.pop();
    if (seen.has(f)) continue;
    seen.add(f);
    todo.push(...staticImports(f));
  }
  return seen;
}
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const entry = [...html.matchAll(/assets\/([\w.-]+\.js)/g)].map((m) => m[1]);
const kb = (n) => (n / 1000).toFixed(1);
const sum = (set, k) => [...set].reduce((n, f) => n + (size.get(f)?.[k] ?? 0), 0);
const rows = [...size].sort((a, b) => b[1].gzip - a[1].gzip);
console.log('chunk\tmin kB\tgzip kB');
for (const [f, s] of rows) console.log(`${f}\t${kb(s.min)}\t${kb(s.gzip)}`);
const base = closure(entry);
console.log(`\nentry (index.html): ${[...base].join(', ')}: ${kb(sum(base, 'gzip'))} kB gzip`);
for (const page of process.argv.slice(2)) {
  const chunk = files.find((f) => f.startsWith(`${page}-`));
  if (!chunk) throw new Error(`no chunk for ${page}`);
  const all = closure([...base, chunk]);
  const extra = [...all].filter((f) => !base.has(f));
  console.log(
    `${page}: entry + ${extra.join(', ')}: ${kb(sum(all, 'gzip'))} kB gzip, ${kb(sum(all, 'min'))} kB min`,
  );
}
