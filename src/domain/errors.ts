// The one error shape used across layers: a stable code, its parameters, and whether retrying
// can help (retryability is data, not a class). HTTP status is decided only in src/api.
import type { Params, Problem } from './problems.js';

export class KuberackError extends Error {
  readonly code: string;
  readonly params: Params;
  readonly retryable: boolean;
  readonly problems: readonly Problem[];

  constructor(
    code: string,
    params: Params = {},
    options: { retryable?: boolean; cause?: unknown; problems?: readonly Problem[] } = {},
  ) {
    super(code, { cause: options.cause });
    this.name = 'KuberackError';
    this.code = code;
    this.params = params;
    this.retryable = options.retryable ?? false;
    this.problems = options.problems ?? [];
  }
}
