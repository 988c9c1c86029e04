// Quota-increase requests (M13): a user asks for a higher limit through a ticket, an operator approves
// or rejects it, and approved requests become the account's quota overrides. Pure state, no I/O.
import { problem, type Problem } from '../problems.js';
import type { AccountFacts } from './account.js';
import { effectiveQuota, type QuotaName, type QuotaOverrides } from './quotas.js';

export type QuotaIncreaseState = 'pending' | 'approved' | 'rejected';

export interface QuotaIncreaseRequest {
  readonly id: string;
  readonly quota: QuotaName;
  /** The new limit asked for (not the amount to add). */
  readonly requestedLimit: number;
  readonly reason: string;
  readonly state: QuotaIncreaseState;
}

/** Problems with a new request, paths relative to the request (`requestedLimit`, `reason`). */
export function validateQuotaIncreaseRequest(
  request: Pick<QuotaIncreaseRequest, 'quota' | 'requestedLimit' | 'reason'>,
  account: Pick<AccountFacts, 'quotas'>,
): Problem[] {
  const problems: Problem[] = [];
  const current = effectiveQuota(request.quota, account.quotas);
  if (!Number.isSafeInteger(request.requestedLimit) || request.requestedLimit <= current) {
    problems.push(
      problem('requestedLimit', 'QUOTA_INCREASE_NOT_AN_INCREASE', {
        quota: request.quota,
        current,
        requested: Number.isFinite(request.requestedLimit)
          ? request.requestedLimit
          : String(request.requestedLimit),
      }),
    );
  }
  if (request.reason.trim() === '') {
    problems.push(problem('reason', 'QUOTA_INCREASE_REASON_REQUIRED', { quota: request.quota }));
  }
  return problems;
}

export type QuotaIncreaseDecision =
  | { readonly ok: true; readonly request: QuotaIncreaseRequest }
  | { readonly ok: false; readonly problem: Problem };

/** An operator's decision; only a pending request can be decided, and only once. */
export function decideQuotaIncrease(
  request: QuotaIncreaseRequest,
  decision: 'approved' | 'rejected',
): QuotaIncreaseDecision {
  if (request.state !== 'pending') {
    return {
      ok: false,
      problem: problem('state', 'QUOTA_INCREASE_NOT_PENDING', { id: request.id, state: request.state }),
    };
  }
  return { ok: true, request: { ...request, state: decision } };
}

/**
 * The account's quota overrides once every approved request applies. A request never lowers a limit:
 * the result is the highest of the current effective limit and every approved `requestedLimit`.
 */
export function applyApprovedIncreases(
  account: Pick<AccountFacts, 'quotas'>,
  requests: readonly QuotaIncreaseRequest[],
): QuotaOverrides {
  const result: QuotaOverrides = { ...account.quotas };
  for (const r of requests) {
    if (r.state !== 'approved' || !Number.isFinite(r.requestedLimit)) continue;
    const current = effectiveQuota(r.quota, result);
    if (r.requestedLimit > current) result[r.quota] = r.requestedLimit;
  }
  return result;
}
