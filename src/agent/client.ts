// The agent's side of `POST /v1/node-reports`: sends one report with the node token and sorts the
// answer into accepted, revoked (stop), refused (a bad report) or retry. Never puts the token in text.

export type SendOutcome =
  | { readonly kind: 'accepted'; readonly registered: boolean; readonly changed: boolean }
  | { readonly kind: 'revoked'; readonly status: number }
  | { readonly kind: 'refused'; readonly status: number; readonly problems: readonly string[] }
  | { readonly kind: 'retry'; readonly reason: string };

export type Fetch = typeof fetch;

/** The server's code that means the token is gone (revoked, or its cluster deleted). */
export const TOKEN_UNKNOWN_CODE = 'NODE_TOKEN_UNKNOWN';

type Json = Record<string, unknown>;

async function jsonOf(res: Response): Promise<Json> {
  try {
    const v: unknown = await res.json();
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
  } catch {
    return {};
  }
}

function problemLines(body: Json): string[] {
  const list = Array.isArray(body.problems) ? (body.problems as Json[]) : [];
  return list
    .slice(0, 50)
    .map((p) => `${String(p.path ?? '')}: ${String(p.message ?? p.code ?? '')} [${String(p.code ?? '')}]`);
}

export async function sendReport(
  server: string,
  token: string,
  report: unknown,
  options: { fetch?: Fetch; timeoutMs?: number } = {},
): Promise<SendOutcome> {
  const doFetch = options.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(`${server}/v1/node-reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(report),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (e) {
    const cause = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    return { kind: 'retry', reason: `cannot reach ${server}: ${cause.split(token).join('***')}` };
  }
  const body = await jsonOf(res);
  if (res.ok)
    return { kind: 'accepted', registered: body.registered === true, changed: body.changed === true };
  if ((res.status === 401 || res.status === 403) && body.code === TOKEN_UNKNOWN_CODE) {
    return { kind: 'revoked', status: res.status };
  }
  if (res.status === 400 && Array.isArray(body.problems)) {
    return { kind: 'refused', status: res.status, problems: problemLines(body) };
  }
  const code = typeof body.code === 'string' ? ` ${body.code}` : '';
  return { kind: 'retry', reason: `the server answered ${res.status}${code}` };
}
