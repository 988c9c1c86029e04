// Runs every benchmark and prints Markdown tables for docs/performance.md, with the machine.
import { cpus, totalmem } from 'node:os';
import { run as runSpec } from './spec.bench.js';

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`Node ${process.version}, ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB\n`);
console.log(runSpec());
