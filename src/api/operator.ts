// The operator's API for the embedded cloud (issue 3): inventory, accounts (balance, real-name,
// quotas, allow-lists), fault injection and quota-increase tickets. Guarded by the operator token.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { CloudEmulator } from '../cloud/emulator/index.js';
import { isQuotaName } from '../domain/limits/index.js';
import { problem, unknownFieldProblems, type Problem } from '../domain/problems.js';
import { HttpError, invalidBody, type Request, type Router } from './http.js';

/** Constant-time comparison of a bearer token with the operator token. */
export function checkBearer(req: Request, token: string): void {
  const header = String(req.headers.authorization ?? '');
  const given = /^Bearer (.+)$/.exec(header)?.[1] ?? '';
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  if (given === '' || !timingSafeEqual(a, b))
    throw new HttpError(401, 'API_UNAUTHORIZED', { scheme: 'Bearer operator token' });
}

type Json = Record<string, unknown>;

function objectBody(body: unknown, problems: Problem[]): Json {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    problems.push(problem('', 'FIELD_TYPE', { expected: 'object' }));
    return {};
  }
  return body as Json;
}

function unknownFields(body: Json, allowed: readonly string[], problems: Problem[], prefix = ''): void {
  problems.push(...unknownFieldProblems(body, allowed, prefix));
}

function rate(body: Json, key: string, problems: Problem[]): number | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1))
    problems.push(problem(key, 'FIELD_RANGE', { min: 0, max: 1 }));
  return typeof v === 'number' ? v : undefined;
}

/** The account settings an operator may change; every problem is reported at once. */
export function readAccountSettings(body: unknown): {
  balanceCny?: number;
  realNameVerified?: boolean;
  quotas?: Record<string, number>;
  allowlists?: { exclusiveEni?: boolean; customImage?: boolean; workflowEngine?: boolean };
  accessKeySecret?: string;
} {
  const problems: Problem[] = [];
  const b = objectBody(body, problems);
  unknownFields(b, ['balanceCny', 'realNameVerified', 'quotas', 'allowlists', 'accessKeySecret'], problems);
  const out: ReturnType<typeof readAccountSettings> = {};
  if (b.balanceCny !== undefined) {
    if (
      typeof b.balanceCny !== 'number' ||
      !Number.isFinite(b.balanceCny) ||
      b.balanceCny < 0 ||
      b.balanceCny > 1e12
    )
      problems.push(problem('balanceCny', 'FIELD_RANGE', { min: 0, max: 1e12 }));
    else out.balanceCny = b.balanceCny;
  }
  if (b.realNameVerified !== undefined) {
    if (typeof b.realNameVerified !== 'boolean')
      problems.push(problem('realNameVerified', 'FIELD_TYPE', { expected: 'boolean' }));
    else out.realNameVerified = b.realNameVerified;
  }
  if (b.quotas !== undefined) {
    const q = objectBody(b.quotas, problems);
    out.quotas = {};
    for (const [name, limit] of Object.entries(q)) {
      if (!isQuotaName(name))
        problems.push(problem(`quotas.${name.slice(0, 64)}`, 'FIELD_UNKNOWN', { field: name.slice(0, 64) }));
      else if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0)
        problems.push(problem(`quotas.${name}`, 'FIELD_RANGE', { min: 0, max: Number.MAX_SAFE_INTEGER }));
      else out.quotas[name] = limit;
    }
  }
  if (b.allowlists !== undefined) {
    const a = objectBody(b.allowlists, problems);
    unknownFields(a, ['exclusiveEni', 'customImage', 'workflowEngine'], problems, 'allowlists.');
    out.allowlists = {};
    for (const k of ['exclusiveEni', 'customImage', 'workflowEngine'] as const) {
      if (a[k] === undefined) continue;
      if (typeof a[k] !== 'boolean')
        problems.push(problem(`allowlists.${k}`, 'FIELD_TYPE', { expected: 'boolean' }));
      else out.allowlists[k] = a[k];
    }
  }
  if (b.accessKeySecret !== undefined) {
    if (typeof b.accessKeySecret !== 'string' || !/^[A-Za-z0-9]{16,64}$/.test(b.accessKeySecret))
      problems.push(problem('accessKeySecret', 'FIELD_PATTERN', { format: '16–64 letters and digits' }));
    else out.accessKeySecret = b.accessKeySecret;
  }
  if (problems.length > 0) throw invalidBody(problems);
  return out;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function readFaults(body: unknown): Parameters<CloudEmulator['setFaults']>[1] {
  const problems: Problem[] = [];
  const b = objectBody(body, problems);
  unknownFields(b, ['seed', 'throttlingRate', 'transientRate', 'failures', 'soldOut'], problems);
  const out: Mutable<Parameters<CloudEmulator['setFaults']>[1]> = {
    seed: typeof b.seed === 'string' ? b.seed : '',
    throttlingRate: rate(b, 'throttlingRate', problems) ?? 0,
    transientRate: rate(b, 'transientRate', problems) ?? 0,
  };
  if (b.seed !== undefined && typeof b.seed !== 'string')
    problems.push(problem('seed', 'FIELD_TYPE', { expected: 'string' }));
  if (b.failures !== undefined) {
    if (!Array.isArray(b.failures)) problems.push(problem('failures', 'FIELD_TYPE', { expected: 'array' }));
    else
      out.failures = b.failures.map((f: unknown, i) => {
        const o = objectBody(f, problems);
        const ok =
          typeof o.action === 'string' &&
          typeof o.code === 'string' &&
          /^[A-Za-z][\w.]*$/.test(o.code) &&
          Number.isSafeInteger(o.remaining) &&
          (o.remaining as number) >= -1;
        if (!ok)
          problems.push(
            problem(`failures.${i}`, 'FIELD_PATTERN', { format: '{action, code, remaining ≥ -1}' }),
          );
        return { action: String(o.action), code: String(o.code), remaining: Number(o.remaining) };
      });
  }
  if (b.soldOut !== undefined) {
    if (!Array.isArray(b.soldOut)) problems.push(problem('soldOut', 'FIELD_TYPE', { expected: 'array' }));
    else
      out.soldOut = b.soldOut.map((f: unknown) => {
        const o = objectBody(f, problems);
        const str = (v: unknown) => (typeof v === 'string' ? v : null);
        return { instanceType: str(o.instanceType), zoneId: str(o.zoneId) };
      });
  }
  if (problems.length > 0) throw invalidBody(problems);
  return out;
}

function accountView(a: NonNullable<Awaited<ReturnType<CloudEmulator['account']>>>) {
  return {
    accountId: a.accountId,
    accessKeyId: a.accessKeyId,
    balanceCny: a.balanceCents / 100,
    realNameVerified: a.realName,
    quotas: a.quotas,
    allowlists: a.allowlists,
    faults: a.faults,
  };
}

export function operatorRoutes(router: Router, emulator: CloudEmulator, operatorToken: string): void {
  const base = '/v1/operator/emulator';
  const guarded = (fn: (req: Request) => Promise<{ status: number; body?: unknown }>) => (req: Request) => {
    checkBearer(req, operatorToken);
    return fn(req);
  };
  router
    .on(
      'GET',
      `${base}/inventory`,
      guarded(async (req) => ({
        status: 200,
        body: { items: await emulator.inventory(req.query.get('accessKeyId') ?? undefined) },
      })),
    )
    .on(
      'GET',
      `${base}/accounts/{accessKeyId}`,
      guarded(async (req) => {
        const a = await emulator.account(req.params.accessKeyId ?? '');
        if (!a) throw new HttpError(404, 'API_NOT_FOUND', { path: req.path });
        return { status: 200, body: accountView(a) };
      }),
    )
    .on(
      'PUT',
      `${base}/accounts/{accessKeyId}`,
      guarded(async (req) => {
        const settings = readAccountSettings(await req.body());
        const a = await emulator.setAccount({ accessKeyId: req.params.accessKeyId ?? '', ...settings });
        return { status: 200, body: accountView(a) };
      }),
    )
    .on(
      'PUT',
      `${base}/accounts/{accessKeyId}/faults`,
      guarded(async (req) => {
        await emulator.setFaults(req.params.accessKeyId ?? '', readFaults(await req.body()));
        return { status: 204 };
      }),
    )
    .on(
      'GET',
      `${base}/quota-requests`,
      guarded(async () => ({ status: 200, body: { items: await emulator.quotaRequests() } })),
    )
    .on(
      'POST',
      `${base}/quota-requests/{id}/decision`,
      guarded(async (req) => {
        const problems: Problem[] = [];
        const b = objectBody(await req.body(), problems);
        unknownFields(b, ['decision'], problems);
        if (b.decision !== 'approved' && b.decision !== 'rejected')
          problems.push(problem('decision', 'FIELD_PATTERN', { format: 'approved | rejected' }));
        if (problems.length > 0) throw invalidBody(problems);
        return {
          status: 200,
          body: await emulator.decideQuotaRequest(req.params.id ?? '', b.decision as 'approved'),
        };
      }),
    );
}
