// When the agent reports next: its interval with a little jitter while the server answers, and
// jittered exponential backoff (capped) while it does not, so thousands of agents never beat in step.

/** Longest wait between attempts while the server fails. */
export const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * Delay before the next report. `failures` counts consecutive failed attempts (0 after a success).
 * Success: interval × [0.9, 1.1). Failure n: uniform in [d/2, d) with d = min(cap, interval × 2^(n−1)),
 * where the cap is MAX_BACKOFF_MS (or the interval, if longer).
 */
export function nextDelayMs(failures: number, intervalMs: number, random: () => number): number {
  const r = Math.min(Math.max(random(), 0), 0.999_999);
  if (failures <= 0) return Math.round(intervalMs * (0.9 + 0.2 * r));
  const cap = Math.max(MAX_BACKOFF_MS, intervalMs);
  const d = Math.min(cap, intervalMs * 2 ** Math.min(failures - 1, 30));
  return Math.round(d / 2 + (d / 2) * r);
}
