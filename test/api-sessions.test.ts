// Console sign-in against a real server (issue 8): hashed passwords, an HttpOnly SameSite cookie,
// CSRF on every change, throttled guessing, tenant isolation, sign-out; and the console's static files.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator } from '../src/api/auth.js';
import { Router } from '../src/api/http.js';
import { consoleRoutes } from '../src/api/console.js';
import { LOGIN_FAILURES_ALLOWED } from '../src/api/sessions.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exampleSpec } from './support/engine-world.js';
import { startTestServer, type TestServer } from './support/test-server.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const PASSWORD = 'correct horse battery staple';
let t: TestServer;
let url: string;
const seen: string[] = [];
const logs: string[] = [];

interface Reply {
  status: number;
  headers: Headers;
  body: Json;
}

async function http(
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const r = await fetch(`${url}${path}`, {
    method,
    redirect: 'manual',
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await r.text();
  const headers: string[] = [];
  r.headers.forEach((v, k) => headers.push(`${k}: ${v}`));
  seen.push(text, ...headers);
  let body: Json = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: r.status, headers: r.headers, body };
}

async function signIn(username = 'admin', password = PASSWORD): Promise<{ cookie: string; csrf: string }> {
  const r = await http('POST', '/v1/session', { body: { username, password } });
  expect(r.status).toBe(200);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, csrf: String(r.body.csrfToken) };
}

beforeAll(async () => {
  t = await startTestServer(
    { accessKeyId: 'KRSESSIONADMIN01', accessKeySecret: 'session-admin-secret-0123456789' },
    { adminPassword: PASSWORD, keyPair: 'my-key', log: (l) => logs.push(l) },
  );
  url = t.server.url;
});

afterAll(async () => {
  await t.stop();
});

describe('console sessions', () => {
  it('signs in with the admin password and sets an HttpOnly, SameSite=Strict session cookie', async () => {
    const r = await http('POST', '/v1/session', { body: { username: 'admin', password: PASSWORD } });
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ name: 'admin', tenantName: 'default' });
    expect(r.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^kuberack_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    // Only a hash of the token is stored.
    const token = cookie.split(';')[0]!.split('=')[1]!;
    const rows = await t.server.db.all<{ token_sha256: string }>('SELECT token_sha256 FROM sessions');
    expect(rows.some((row) => row.token_sha256 === token)).toBe(false);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('a wrong password or unknown user is 401 API_LOGIN_FAILED; a bad body is 422 with every problem', async () => {
    const wrong = await http('POST', '/v1/session', { body: { username: 'admin', password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('API_LOGIN_FAILED');
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const unknown = await http('POST', '/v1/session', { body: { username: 'nobody', password: 'nope' } });
    expect(unknown.status).toBe(401);
    expect(unknown.body.detail).toBe(wrong.body.detail);
    const bad = await http('POST', '/v1/session', { body: { username: 7, extra: true } });
    expect(bad.status).toBe(422);
    expect(bad.body.problems.map((p: Json) => `${p.path}:${p.code}`).sort()).toEqual([
      'extra:FIELD_UNKNOWN',
      'password:FIELD_REQUIRED',
      'username:FIELD_TYPE',
    ]);
  });

  it('throttles guessing: after the allowed failures even the right password is refused for a while', async () => {
    for (let i = 0; i < LOGIN_FAILURES_ALLOWED; i++)
      expect(
        (await http('POST', '/v1/session', { body: { username: 'guessed', password: `x${i}` } })).status,
      ).toBe(401);
    const r = await http('POST', '/v1/session', { body: { username: 'guessed', password: 'x' } });
    expect(r.status).toBe(429);
    expect(r.body.code).toBe('API_LOGIN_THROTTLED');
    expect(r.body.detailZh).toContain('分钟');
  });

  it('M66 M62: a session reads like a signature; changes need the CSRF token', async () => {
    const { cookie, csrf } = await signIn();
    const me = await http('GET', '/v1/session', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body.csrfToken).toBe(csrf);
    expect((await http('GET', '/v1/clusters', { headers: { cookie } })).status).toBe(200);
    expect((await http('GET', '/v1/catalogue/regions', { headers: { cookie } })).status).toBe(200);
    const body = { spec: { ...exampleSpec(), name: 'from-console' }, dryRun: true };
    const noCsrf = await http('POST', '/v1/clusters', { headers: { cookie }, body });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.code).toBe('API_CSRF_REQUIRED');
    const wrongCsrf = await http('POST', '/v1/clusters', {
      headers: { cookie, 'x-csrf-token': `${csrf}x` },
      body,
    });
    expect(wrongCsrf.status).toBe(403);
    const ok = await http('POST', '/v1/clusters', { headers: { cookie, 'x-csrf-token': csrf }, body });
    expect(ok.status).toBe(200);
    expect(ok.body.plan ?? ok.body).toBeTruthy();
    expect(await t.server.db.all('SELECT id FROM clusters')).toEqual([]);
  });

  it('a forged or missing cookie is 401, and signing out ends the session', async () => {
    expect(
      (await http('GET', '/v1/clusters', { headers: { cookie: 'kuberack_session=forged' } })).status,
    ).toBe(401);
    expect((await http('GET', '/v1/session')).status).toBe(401);
    const { cookie, csrf } = await signIn();
    expect((await http('DELETE', '/v1/session', { headers: { cookie } })).status).toBe(403);
    const out = await http('DELETE', '/v1/session', { headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await http('GET', '/v1/clusters', { headers: { cookie } })).status).toBe(401);
  });

  it("isolates tenants: another tenant's session sees none of this tenant's clusters", async () => {
    const mine = await signIn();
    const auth = new Authenticator(t.server.db, t.server.runtime.box);
    await t.server.emulator.setAccount({ accessKeyId: 'SessionOther01', balanceCny: 10_000 });
    await t.server.db.transaction((q) => auth.createTenant(q, 'other', 'SessionOther01', 'other-password-1'));
    const created = await http('POST', '/v1/clusters', {
      headers: { cookie: mine.cookie, 'x-csrf-token': mine.csrf },
      body: { spec: { ...exampleSpec(), name: 'mine' } },
    });
    expect(created.status).toBe(202);
    const id = String(created.body.clusterId ?? created.body.id);
    // Two users are called admin now: the tenant must be named.
    expect(
      (await http('POST', '/v1/session', { body: { username: 'admin', password: 'other-password-1' } }))
        .status,
    ).toBe(401);
    const r = await http('POST', '/v1/session', {
      body: { username: 'admin', password: 'other-password-1', tenant: 'other' },
    });
    expect(r.status).toBe(200);
    const theirs = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await http('GET', `/v1/clusters/${id}`, { headers: { cookie: theirs } })).status).toBe(404);
    const list = await http('GET', '/v1/clusters', { headers: { cookie: theirs } });
    expect(JSON.stringify(list.body)).not.toContain(id);
  });

  it('sign-ins (failed ones too) and sign-outs are in the audit log, without the password', async () => {
    const rows = await t.server.db.all<{
      action: string;
      status: number;
      target: string;
      tenant_id: string | null;
    }>("SELECT action, status, target, tenant_id FROM audit_log WHERE action LIKE 'session.%'");
    expect(rows.some((r) => r.action === 'session.login' && r.status === 200 && r.tenant_id !== null)).toBe(
      true,
    );
    expect(rows.some((r) => r.action === 'session.login' && r.status === 401 && r.target === 'admin')).toBe(
      true,
    );
    expect(rows.some((r) => r.action === 'session.login' && r.status === 429)).toBe(true);
    expect(rows.some((r) => r.action === 'session.logout' && r.status === 204)).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
  });

  it('never returns or logs the password', () => {
    for (const text of [...seen, ...logs]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain('other-password-1');
    }
  });
});

describe('the console files', () => {
  let dir: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kuberack-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Kuberack</title>');
    writeFileSync(
      join(dir, 'assets', 'index-abc123.js'),
      `console.log(${JSON.stringify('x'.repeat(4096))});`,
    );
    writeFileSync(join(dir, '..', 'kuberack-console-secret.txt'), 'outside');
    const router = new Router();
    consoleRoutes(router, dir);
    server = createServer(router.listener());
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((ok) => server.close(() => ok()));
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(dir, '..', 'kuberack-console-secret.txt'), { force: true });
  });

  it('redirects / to the console and serves index.html for client-side routes, with strict headers', async () => {
    const root = await fetch(`${base}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/console/');
    for (const path of ['/console/', '/console/clusters/c-1/nodes']) {
      const r = await fetch(`${base}${path}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/html');
      expect(r.headers.get('cache-control')).toBe('no-cache');
      expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(await r.text()).toContain('<title>Kuberack</title>');
    }
  });

  it('serves hashed assets as immutable, gzipped when asked', async () => {
    const r = await fetch(`${base}/console/assets/index-abc123.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-encoding')).toBe('gzip');
    expect(r.headers.get('cache-control')).toContain('immutable');
    expect(await r.text()).toContain('xxxx');
    expect((await fetch(`${base}/console/assets/missing.js`)).status).toBe(404);
  });

  it('never serves a file outside the build', async () => {
    for (const path of [
      '/console/%2e%2e/kuberack-console-secret.txt',
      '/console/..%2Fkuberack-console-secret.txt',
    ]) {
      const r = await fetch(`${base}${path}`);
      expect(await r.text()).not.toContain('outside');
    }
  });

  it('says how to build the console when it is not built', async () => {
    const router = new Router();
    consoleRoutes(router, join(dir, 'nothing-here'));
    const s = createServer(router.listener());
    await new Promise<void>((ok) => s.listen(0, '127.0.0.1', () => ok()));
    const r = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/console/`);
    await new Promise<void>((ok) => s.close(() => ok()));
    expect(r.status).toBe(503);
    expect(((await r.json()) as Json).code).toBe('API_CONSOLE_NOT_BUILT');
  });
});
