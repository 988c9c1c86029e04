// The console's one fetch wrapper: the session cookie goes along, every non-GET call carries the
// CSRF token, and problem+json answers become an ApiError with every field problem. Messages are
// the server's, which renders both languages from the domain's catalogue, so the sign-in page does
// not load the catalogue itself (the wizard does, for its own checks).
import type { Locale, Params, Problem } from '../../../src/domain/index.js';

/** A field problem as the API sends it: the domain's problem plus both rendered messages. */
export interface ApiProblem extends Problem {
  readonly message?: string;
  readonly messageZh?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly params: Params,
    readonly problems: readonly ApiProblem[],
    readonly requestId: string | null,
    readonly detail: { readonly en: string; readonly zh: string },
  ) {
    super(`${status} ${code}`);
    this.name = 'ApiError';
  }

  /** The error's message in the console's language, as the server rendered it from the catalogue. */
  text(locale: Locale): string {
    return (locale === 'zh-CN' ? this.detail.zh : this.detail.en) || this.detail.en || this.code;
  }
}

/** A problem's message in the console's language, as the server rendered it. */
export function problemText(p: ApiProblem, locale: Locale): string {
  return (locale === 'zh-CN' ? p.messageZh : p.message) ?? p.message ?? p.code;
}

let csrfToken: string | null = null;

/** The session's CSRF token (from sign-in or GET /v1/session); null when signed out. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function toApiError(status: number, body: unknown, requestId: string | null): ApiError {
  const b = asRecord(body);
  const problems = Array.isArray(b.problems)
    ? b.problems.map((raw) => {
        const p = asRecord(raw);
        return {
          path: typeof p.path === 'string' ? p.path : '',
          code: typeof p.code === 'string' ? p.code : 'API_INTERNAL',
          params: asRecord(p.params) as Params,
          message: typeof p.message === 'string' ? p.message : undefined,
          messageZh: typeof p.messageZh === 'string' ? p.messageZh : undefined,
        };
      })
    : [];
  return new ApiError(
    status,
    typeof b.code === 'string' ? b.code : `HTTP_${status}`,
    asRecord(b.params) as Params,
    problems,
    typeof b.requestId === 'string' ? b.requestId : requestId,
    {
      en: typeof b.detail === 'string' ? b.detail : '',
      zh: typeof b.detailZh === 'string' ? b.detailZh : '',
    },
  );
}

/** One API call; resolves with the parsed JSON body (undefined for 204), rejects with ApiError. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (!SAFE.has(method) && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'CONSOLE_NETWORK', {}, [], null, {
      en: 'The server cannot be reached.',
      zh: '无法连接服务器。',
    });
  }
  const text = res.status === 204 ? '' : await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    json = undefined;
  }
  if (!res.ok) throw toApiError(res.status, json, res.headers.get('x-request-id'));
  return json as T;
}
