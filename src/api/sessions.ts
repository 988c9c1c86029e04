// Console sign-in: password logins that open a session (an HttpOnly, SameSite=Strict cookie whose
// token is stored only as a hash), a CSRF token per session for every non-GET call, and throttling.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../store/db.js';
import { audit } from './audit.js';
import { checkPassword, hashPassword } from './auth.js';
import type { Principal } from './auth.js';
import { HttpError, invalidBody, objectBody, type Reply, type Request, type Router } from './http.js';
import { problem, unknownFieldProblems } from '../domain/problems.js';

export const SESSION_COOKIE = 'kuberack_session';
export const CSRF_HEADER = 'x-csrf-token';
/** A session ends this long after sign-in, however active it is. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** Failed sign-ins per user name within the window before further tries are refused. */
export const LOGIN_FAILURES_ALLOWED = 5;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The session's CSRF token, derived from its secret token: the same in every tab for the session's
 * life, and out of reach of another site, which can neither read the HttpOnly cookie nor our replies.
 */
const csrfOf = (token: string) => createHmac('sha256', token).update('kuberack-csrf').digest('base64url');

interface SessionUser {
  readonly name: string;
  readonly tenantId: string;
  readonly tenantName: string;
}

/** The value of one cookie in a Cookie header; undefined when absent. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function equalText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

let dummy: string | undefined;
/** A password hash no password matches, for unknown users. */
function dummyHash(): string {
  return (dummy ??= hashPassword(randomBytes(16).toString('hex')));
}

function signedOut(): HttpError {
  return new HttpError(401, 'API_UNAUTHORIZED', { scheme: 'console session' });
}

export class Sessions {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = () => Date.now(),
    /** Adds `Secure` to the cookie (set when the console is served over HTTPS). */
    private readonly secureCookie = false,
  ) {}

  /** Whether the request carries a session cookie (and no signature, which always wins). */
  carriesSession(req: Request): boolean {
    return !req.headers.authorization && cookieValue(req.headers.cookie, SESSION_COOKIE) !== undefined;
  }

  /** The caller of a session request; non-GET requests must echo the session's CSRF token. */
  async principal(req: Request): Promise<Principal> {
    const token = cookieValue(req.headers.cookie, SESSION_COOKIE) ?? '';
    const row = await this.db.one<{
      user_id: string;
      tenant_id: string;
      expires_at: number;
      cloud: string;
    }>(
      `SELECT s.user_id, s.tenant_id, s.expires_at, t.cloud_access_key_id AS cloud
       FROM sessions s JOIN tenants t ON t.id = s.tenant_id WHERE s.token_sha256 = $1`,
      [sha256(token)],
    );
    if (!row || row.expires_at <= this.now()) throw signedOut();
    if (!SAFE_METHODS.has(req.method)) {
      const csrf = String(req.headers[CSRF_HEADER] ?? '');
      if (!csrf || !equalText(csrf, csrfOf(token)))
        throw new HttpError(403, 'API_CSRF_REQUIRED', { header: 'X-CSRF-Token' });
    }
    return {
      tenantId: row.tenant_id,
      userId: row.user_id,
      accessKeyId: `session:${row.user_id}`,
      cloudAccessKeyId: row.cloud,
    };
  }

  /** Checks the password; on success a new session (token and CSRF token returned once). */
  async login(
    username: string,
    password: string,
    tenantName: string | undefined,
  ): Promise<{ token: string; csrfToken: string; userId: string; user: SessionUser }> {
    const now = this.now();
    const failures = await this.db.one<{ n: number }>(
      'SELECT COUNT(*) AS n FROM login_failures WHERE username = $1 AND at > $2',
      [username, now - LOGIN_WINDOW_MS],
    );
    if (Number(failures?.n ?? 0) >= LOGIN_FAILURES_ALLOWED)
      throw new HttpError(429, 'API_LOGIN_THROTTLED', { minutes: LOGIN_WINDOW_MS / 60_000 });
    const users = await this.db.all<{
      id: string;
      tenant_id: string;
      tenant_name: string;
      password_hash: string | null;
    }>(
      `SELECT u.id, u.tenant_id, t.name AS tenant_name, u.password_hash FROM users u
       JOIN tenants t ON t.id = u.tenant_id
       WHERE u.name = $1 AND ($2 = '' OR t.name = $2) ORDER BY t.created_at`,
      [username, tenantName ?? ''],
    );
    // A user name in several tenants needs the tenant; without it, the sign-in fails like a bad password.
    const user = users.length === 1 ? users[0] : undefined;
    // The same scrypt work whether or not the user exists, so timing does not tell user names apart.
    const matches = checkPassword(password, user?.password_hash ?? dummyHash());
    if (!user?.password_hash || !matches) {
      await this.db.run('INSERT INTO login_failures (username, at) VALUES ($1, $2)', [username, now]);
      if (Math.random() < 0.05)
        await this.db.run('DELETE FROM login_failures WHERE at < $1', [now - LOGIN_WINDOW_MS]);
      throw new HttpError(401, 'API_LOGIN_FAILED');
    }
    const token = randomBytes(32).toString('base64url');
    await this.db.transaction(async (q) => {
      await q.run('DELETE FROM sessions WHERE expires_at <= $1', [now]);
      await q.run(
        `INSERT INTO sessions (token_sha256, user_id, tenant_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [sha256(token), user.id, user.tenant_id, now, now + SESSION_TTL_MS],
      );
      await q.run('DELETE FROM login_failures WHERE username = $1', [username]);
    });
    return {
      token,
      csrfToken: csrfOf(token),
      userId: user.id,
      user: { name: username, tenantId: user.tenant_id, tenantName: user.tenant_name },
    };
  }

  /** The signed-in user of a session, with its CSRF token (for a page that reloaded). */
  async current(req: Request): Promise<{ csrfToken: string; user: SessionUser }> {
    const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (!token) throw signedOut();
    const row = await this.db.one<{
      name: string;
      tenant_id: string;
      tenant_name: string;
      expires_at: number;
    }>(
      `SELECT u.name, s.tenant_id, t.name AS tenant_name, s.expires_at FROM sessions s
       JOIN users u ON u.id = s.user_id JOIN tenants t ON t.id = s.tenant_id WHERE s.token_sha256 = $1`,
      [sha256(token)],
    );
    if (!row || row.expires_at <= this.now()) throw signedOut();
    return {
      csrfToken: csrfOf(token),
      user: { name: row.name, tenantId: row.tenant_id, tenantName: row.tenant_name },
    };
  }

  /** Ends the session; returns who it was. */
  async logout(req: Request): Promise<Principal> {
    const who = await this.principal(req);
    const token = cookieValue(req.headers.cookie, SESSION_COOKIE) ?? '';
    await this.db.run('DELETE FROM sessions WHERE token_sha256 = $1', [sha256(token)]);
    return who;
  }

  cookie(token: string, maxAgeMs: number): string {
    const secure = this.secureCookie ? '; Secure' : '';
    return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(maxAgeMs / 1000)}${secure}`;
  }
}

function readLogin(body: unknown): { username: string; password: string; tenant: string | undefined } {
  const b = objectBody(body);
  const problems = unknownFieldProblems(b, ['username', 'password', 'tenant']);
  const text = (k: string, required: boolean): string | undefined => {
    const v = b[k];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v.length === 0 || v.length > 256) {
      problems.push(problem(k, v === undefined ? 'FIELD_REQUIRED' : 'FIELD_TYPE', { expected: 'string' }));
      return undefined;
    }
    return v;
  };
  const username = text('username', true);
  const password = text('password', true);
  const tenant = text('tenant', false);
  if (problems.length > 0 || username === undefined || password === undefined) throw invalidBody(problems);
  return { username, password, tenant };
}

/**
 * POST /v1/session (sign in), GET (who am I, with the CSRF token), DELETE (sign out). Sign-ins, the
 * failed ones too, and sign-outs go to the audit log.
 */
export function sessionRoutes(router: Router, sessions: Sessions, db: Db): void {
  router
    .on('POST', '/v1/session', async (req): Promise<Reply> => {
      const { username, password, tenant } = readLogin(await req.body());
      const target = username.slice(0, 64);
      let s: Awaited<ReturnType<Sessions['login']>>;
      try {
        s = await sessions.login(username, password, tenant);
      } catch (e) {
        if (e instanceof HttpError) await audit(db, null, 'session.login', target, e.status, req.requestId);
        throw e;
      }
      await audit(
        db,
        { tenantId: s.user.tenantId, userId: s.userId },
        'session.login',
        target,
        200,
        req.requestId,
      );
      return {
        status: 200,
        headers: { 'set-cookie': sessions.cookie(s.token, SESSION_TTL_MS) },
        body: { user: s.user, csrfToken: s.csrfToken },
      };
    })
    .on('GET', '/v1/session', async (req) => ({ status: 200, body: await sessions.current(req) }))
    .on('DELETE', '/v1/session', async (req) => {
      const who = await sessions.logout(req);
      await audit(db, who, 'session.logout', null, 204, req.requestId);
      return { status: 204, headers: { 'set-cookie': sessions.cookie('', 0) } };
    });
}
