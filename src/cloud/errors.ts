// Cloud errors as the engine sees them: the provider's own code and message, plus one category from
// a closed set that decides the engine's action (retryability as data, docs/provider-contract.md).

/**
 * transient: retry with backoff and jitter · already-exists: adopt by tag or name · not-found: done when
 * deleting, missing input otherwise · permanent: fail the step and roll back · unknown: retry a few times.
 */
export type CloudErrorCategory = 'transient' | 'already-exists' | 'not-found' | 'permanent' | 'unknown';

export class CloudError extends Error {
  readonly code: string;
  readonly category: CloudErrorCategory;
  readonly httpStatus: number;
  readonly requestId: string;
  /** Set on throttling when the cloud says how long to wait. */
  readonly retryAfterMs: number | null;

  constructor(
    code: string,
    message: string,
    options: {
      httpStatus?: number;
      requestId?: string;
      category?: CloudErrorCategory;
      retryAfterMs?: number | null;
    } = {},
  ) {
    super(`${code}: ${message}`);
    this.name = 'CloudError';
    this.code = code;
    this.category = options.category ?? categorize(code, options.httpStatus ?? 400);
    this.httpStatus = options.httpStatus ?? 400;
    this.requestId = options.requestId ?? '';
    this.retryAfterMs = options.retryAfterMs ?? null;
  }

  get retryable(): boolean {
    return this.category === 'transient' || this.category === 'unknown';
  }
}

export function isCloudError(error: unknown): error is CloudError {
  return error instanceof CloudError;
}

// Codes the public cloud answers while a resource or its parent is busy: waiting and retrying helps.
const BUSY = [
  /Throttling/,
  /^ServiceUnavailable$/,
  /^InternalError$/,
  /^IdempotentProcessing$/,
  /^Incorrect\w*Status/,
  /^Incorret\w*Status/,
  /^TaskConflict$/,
  /^OperationConflict$/,
  /^OperationFailed\.TokenIsProcessing$/,
  /^DependencyViolation/,
  /^VswitchStatusError$/,
  /^ServiceIsConfiguring$/,
  /^SystemBusy$/,
  /^OperationBusy$/,
];

/** The category of a cloud error code (Alibaba Cloud's codes; other providers map theirs first). */
export function categorize(code: string, httpStatus: number): CloudErrorCategory {
  if (BUSY.some((re) => re.test(code))) return 'transient';
  if (/NotFound|NotExist|^Forbidden\.KeyNotFound$/.test(code)) return 'not-found';
  if (/AlreadyExist|Duplicate|^EntityAlreadyExists/.test(code)) return 'already-exists';
  if (httpStatus >= 500) return 'unknown';
  return 'permanent';
}
