// A tiny benchmark harness: warm up, time many runs with the monotonic clock, report percentiles.
// Results are for docs/performance.md; nothing here asserts a time.

export interface BenchResult {
  readonly name: string;
  readonly runs: number;
  readonly meanMicros: number;
  readonly p50Micros: number;
  readonly p99Micros: number;
  readonly opsPerSecond: number;
}

export function bench(name: string, fn: () => unknown, runs = 20_000, warmup = 2_000): BenchResult {
  for (let i = 0; i < warmup; i++) fn();
  const samples = new Float64Array(runs);
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples[i] = Number(process.hrtime.bigint() - start) / 1000;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / runs;
  const at = (q: number) => sorted[Math.min(runs - 1, Math.floor(q * runs))] ?? 0;
  return { name, runs, meanMicros: mean, p50Micros: at(0.5), p99Micros: at(0.99), opsPerSecond: 1e6 / mean };
}

export function report(results: readonly BenchResult[]): string {
  const lines = [
    '| benchmark | runs | mean µs | p50 µs | p99 µs | ops/s |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.name} | ${r.runs} | ${r.meanMicros.toFixed(1)} | ${r.p50Micros.toFixed(1)} | ${r.p99Micros.toFixed(1)} | ${Math.round(r.opsPerSecond)} |`,
    );
  }
  return lines.join('\n');
}
