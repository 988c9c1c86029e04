// Fault injection of the emulated cloud, set per account by an operator or a test: throttling and
// transient-error rates, scripted failures of one action, stock-outs. Deterministic under a seed.
import { CloudError } from '../errors.js';
import { hash01 } from './random.js';

export interface ScriptedFailure {
  /** The cloud action, e.g. `CreateNatGateway`, `RunInstances`; `*` matches every write. */
  readonly action: string;
  /** The error code to answer, e.g. `QuotaExceeded.Eip`; its category follows the code. */
  readonly code: string;
  /** How many more times to fail; -1 = always. */
  readonly remaining: number;
}

export interface FaultConfig {
  readonly seed: string;
  /** Share of calls (0–1) answered `Throttling.User`. */
  readonly throttlingRate: number;
  /** Share of calls (0–1) answered `ServiceUnavailable`. */
  readonly transientRate: number;
  readonly failures: readonly ScriptedFailure[];
  /** Instance types (or every type, when null) sold out in a zone (or every zone, when null). */
  readonly soldOut: readonly { readonly instanceType: string | null; readonly zoneId: string | null }[];
}

export const NO_FAULTS: FaultConfig = {
  seed: '',
  throttlingRate: 0,
  transientRate: 0,
  failures: [],
  soldOut: [],
};

export function parseFaults(json: string): FaultConfig {
  const f = JSON.parse(json) as Partial<FaultConfig>;
  return { ...NO_FAULTS, ...f };
}

export function isSoldOut(f: FaultConfig, instanceType: string, zoneId: string): boolean {
  return f.soldOut.some(
    (s) =>
      (s.instanceType === null || s.instanceType === instanceType) &&
      (s.zoneId === null || s.zoneId === zoneId),
  );
}

/** Decides, per call, whether a random fault hits; counts calls per account and action for determinism. */
export class FaultDice {
  private readonly counters = new Map<string, number>();

  /** Throws the random fault for this call, if any. Scripted failures are handled by the caller. */
  roll(accountId: string, action: string, f: FaultConfig, requestId: string): void {
    if (f.throttlingRate <= 0 && f.transientRate <= 0) return;
    const key = `${accountId}:${action}`;
    const n = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, n);
    // The account id is random: the draw depends on the seed, the action and the call's number only.
    const draw = hash01(`${f.seed}:${action}:${n}`);
    if (draw < f.throttlingRate)
      throw new CloudError('Throttling.User', 'Request was denied due to user flow control.', {
        httpStatus: 400,
        requestId,
        retryAfterMs: 200,
      });
    if (draw < f.throttlingRate + f.transientRate)
      throw new CloudError(
        'ServiceUnavailable',
        'The request has failed due to a temporary failure of the server.',
        {
          httpStatus: 503,
          requestId,
        },
      );
  }
}
