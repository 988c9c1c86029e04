// Runs the benchmarks and prints Markdown tables for docs/performance.md, with the machine.
// `npm run bench` runs all; `npm run bench -- emulator` runs the ones whose name is given.
import { cpus, totalmem } from 'node:os';
import { run as runApi } from './api.bench.js';
import { run as runEmulator } from './emulator.bench.js';
import { run as runEngine } from './engine.bench.js';
import { run as runSpec } from './spec.bench.js';

const BENCHES: Record<string, () => string | Promise<string>> = {
  spec: runSpec,
  emulator: runEmulator,
  engine: runEngine,
  api: runApi,
};
const wanted = process.argv.slice(2);

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`Node ${process.version}, ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB\n`);
for (const [name, run] of Object.entries(BENCHES)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(await run());
  console.log();
}
