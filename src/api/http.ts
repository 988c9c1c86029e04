// A small HTTP toolkit on node:http: routes with path parameters, bounded JSON bodies, request ids,
// and errors as RFC 9457 problem+json. HTTP statuses are decided here and nowhere else.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CloudError } from '../cloud/errors.js';
import { KuberackError } from '../domain/errors.js';
import { renderMessage, renderProblem } from '../domain/messages/index.js';
import { problem, type Params, type Problem } from '../domain/problems.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface Request {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: IncomingMessage['headers'];
  readonly requestId: string;
  /** The path exactly as the request line sent it (what signatures cover). */
  readonly rawPath: string;
  /** Query parameters, decoded once. */
  readonly rawQuery: Readonly<Record<string, string>>;
  /** The body's bytes (at most MAX_BODY_BYTES). */
  rawBody(): Promise<Buffer>;
  /** The parsed JSON body; `undefined` when there is none. */
  body(): Promise<unknown>;
}

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Bytes sent as they are (static files), instead of `body` as JSON. */
  readonly raw?: Buffer;
}

export type Handler = (req: Request) => Promise<Reply>;

interface Route {
  readonly method: string;
  readonly path: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: Handler;
}

/** An error the API answers with a 4xx: a catalogued code, its parameters, and any field problems. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly params: Params = {},
    readonly problems: readonly Problem[] = [],
  ) {
    super(`${status} ${code}`);
  }
}

/** A 422 listing every field problem of a request body at once. */
export function invalidBody(problems: readonly Problem[]): HttpError {
  return new HttpError(422, 'API_INVALID_BODY', { count: problems.length }, problems);
}

/** A JSON body that must be an object: the object, or a 422 with FIELD_TYPE at the root. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body === 'object' && body !== null && !Array.isArray(body))
    return body as Record<string, unknown>;
  throw invalidBody([problem('', 'FIELD_TYPE', { expected: 'object' })]);
}

const STATUS_OF_CATEGORY: Readonly<Record<CloudError['category'], number>> = {
  'not-found': 404,
  'already-exists': 409,
  permanent: 400,
  transient: 503,
  unknown: 502,
};

export class Router {
  private readonly routes: Route[] = [];

  /** `path` like `/v1/things/{id}`; a parameter matches one path segment, `{*rest}` the rest of the path. */
  on(method: string, path: string, handler: Handler): this {
    const names: string[] = [];
    const source = path.replace(/\{(\*?)(\w+)\}/g, (_m, star: string, name: string) => {
      names.push(name);
      return star ? '(.*)' : '([^/]+)';
    });
    this.routes.push({ method, path, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  /** Every route as `METHOD /path/{param}`, in the order registered (for the OpenAPI document's test). */
  list(): string[] {
    return this.routes.map((r) => `${r.method} ${r.path}`);
  }

  /** The node:http listener. Never lets an exception escape; unexpected ones are a logged 500. */
  listener(
    log: (line: string) => void = () => undefined,
  ): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
      const requestId = randomUUID();
      this.handle(req, requestId)
        .catch((error: unknown) => errorReply(error, requestId, log))
        .then((reply) => send(res, reply, requestId))
        .catch(() => res.destroy());
    };
  }

  private async handle(req: IncomingMessage, requestId: string): Promise<Reply> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(url.pathname);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1] ?? '')));
      let raw: Promise<Buffer> | undefined;
      const rawBody = () => (raw ??= readBody(req));
      return route.handler({
        method,
        path: url.pathname,
        query: url.searchParams,
        params,
        headers: req.headers,
        requestId,
        rawPath: (req.url ?? '/').split('?')[0] ?? '/',
        rawQuery: Object.fromEntries(url.searchParams.entries()),
        rawBody,
        body: async () => parseJson(req, await rawBody()),
      });
    }
    if (pathMatched) throw new HttpError(405, 'API_METHOD_NOT_ALLOWED', { method, path: url.pathname });
    throw new HttpError(404, 'API_NOT_FOUND', { path: url.pathname });
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'API_BODY_TOO_LARGE', { limit: MAX_BODY_BYTES });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseJson(req: IncomingMessage, body: Buffer): unknown {
  if (body.length === 0) return undefined;
  const type = String(req.headers['content-type'] ?? 'application/json');
  if (!/^application\/(.+\+)?json\b/.test(type)) throw new HttpError(415, 'API_UNSUPPORTED_MEDIA_TYPE');
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'API_BODY_NOT_JSON');
  }
}

/** 422 for field problems; 404, 409 by the code's meaning; otherwise 400. */
function statusOf(e: KuberackError): number {
  if (e.problems.length > 0) return 422;
  if (/_NOT_FOUND$/.test(e.code)) return 404;
  if (/_BUSY$|_PROTECTED$|_TAKEN$|_SUBSCRIPTION_NODES$/.test(e.code)) return 409;
  return 400;
}

/** The problem+json reply for an error; anything not known to be the caller's fault is a logged 500. */
export function errorReply(error: unknown, requestId: string, log: (line: string) => void): Reply {
  if (error instanceof HttpError) return problemReply(error.status, error.code, error.params, error.problems);
  if (error instanceof KuberackError)
    return problemReply(statusOf(error), error.code, error.params, error.problems);
  if (error instanceof CloudError)
    return problemReply(
      STATUS_OF_CATEGORY[error.category],
      'CLOUD_REQUEST_FAILED',
      { cloudCode: error.code, cloudMessage: error.message.slice(error.code.length + 2) },
      [],
      { cloudCode: error.code, retryable: error.retryable },
    );
  log(
    `request ${requestId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return problemReply(500, 'API_INTERNAL', { requestId });
}

/** RFC 9457 body: `detail` in English, `detailZh` in Chinese, and each field problem with both messages. */
function problemReply(
  status: number,
  code: string,
  params: Params = {},
  problems: readonly Problem[] = [],
  extra: Record<string, unknown> = {},
): Reply {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: {
      type: `https://kuberack.dev/errors/${code}`,
      title: code,
      status,
      code,
      detail: renderMessage(code, params, 'en'),
      detailZh: renderMessage(code, params, 'zh-CN'),
      params,
      ...extra,
      problems: problems.map((p) => ({
        path: p.path,
        code: p.code,
        params: p.params,
        message: renderProblem(p, 'en'),
        messageZh: renderProblem(p, 'zh-CN'),
      })),
    },
  };
}

function send(res: ServerResponse, reply: Reply, requestId: string): void {
  const headers: Record<string, string> = {
    'x-request-id': requestId,
    'cache-control': 'no-store',
    ...reply.headers,
  };
  if (reply.raw !== undefined) {
    res.writeHead(reply.status, headers).end(reply.raw);
    return;
  }
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers['content-type'] ??= 'application/json';
  res.writeHead(reply.status, headers).end(text);
}
