// The agent's main loop: register (the first report), then heartbeat every interval; back off with
// jitter while the server fails, never exit on server errors, stop only when the token is revoked.
import type { SendOutcome } from './client.js';
import { nextDelayMs } from './backoff.js';

export const AGENT_EXIT = { ok: 0, usage: 2, revoked: 3 } as const;

/** The body sent to the server; built afresh before every report (fresh GPU readings). */
export interface ReportSummary {
  readonly nodeName: string;
  readonly gpuCount: number;
  readonly error: string | null;
}

export interface AgentLoop {
  readonly intervalMs: number;
  /** Builds the next report (runs discovery); never throws. */
  readonly build: () => Promise<{ body: unknown; summary: ReportSummary }>;
  readonly send: (body: unknown) => Promise<SendOutcome>;
  /** Resolves after `ms`, or early when `signal` aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random: () => number;
  readonly log: (line: string) => void;
  readonly signal: AbortSignal;
}

function describe(s: ReportSummary): string {
  const gpus = `${s.gpuCount} GPU(s)`;
  return s.error === null ? `${s.nodeName} with ${gpus}` : `${s.nodeName} with ${gpus} (${s.error})`;
}

/** Runs until `signal` aborts (exit 0) or the server says the token is unknown (exit 3). */
export async function runAgentLoop(a: AgentLoop): Promise<number> {
  let failures = 0;
  let registered = false;
  while (!a.signal.aborted) {
    const { body, summary } = await a.build();
    if (a.signal.aborted) break;
    const outcome = await a.send(body);
    switch (outcome.kind) {
      case 'accepted':
        if (!registered) a.log(`registered as ${describe(summary)}`);
        else if (outcome.changed) a.log(`report changed: ${describe(summary)}`);
        if (failures > 0) a.log(`the server accepts reports again after ${failures} failed attempt(s)`);
        registered = true;
        failures = 0;
        break;
      case 'revoked':
        a.log(
          `the server does not know this node's token (HTTP ${outcome.status}): revoked, or the cluster was deleted; stopping`,
        );
        return AGENT_EXIT.revoked;
      case 'refused':
        failures += 1;
        a.log(`the server refused the report (HTTP ${outcome.status}):\n  ${outcome.problems.join('\n  ')}`);
        break;
      case 'retry':
        failures += 1;
        if (failures === 1 || Number.isInteger(Math.log2(failures))) {
          a.log(`report failed (attempt ${failures}): ${outcome.reason}; retrying with backoff`);
        }
        break;
    }
    await a.sleep(nextDelayMs(failures, a.intervalMs, a.random), a.signal);
  }
  return AGENT_EXIT.ok;
}
