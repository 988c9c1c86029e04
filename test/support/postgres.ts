// Test helpers for the store: a fresh PostgreSQL database per suite on the server that the global
// setup started, and describeEachDatabase to run one suite on both SQLite and PostgreSQL.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import type { Db } from '../../src/store/db.js';
import { openPostgres } from '../../src/store/postgres.js';
import { openSqlite } from '../../src/store/sqlite.js';
import type {} from './global-setup.js'; // the typed inject('postgresUrl')

/** The test server's admin URL, or null outside CI when there is none. In CI a missing server is an error. */
export function postgresUrl(): string | null {
  const url = inject('postgresUrl') ?? null;
  if (url === null && process.env.CI === 'true') {
    throw new Error(
      'no PostgreSQL server for the tests (CI=true): install PostgreSQL or set KUBERACK_TEST_DATABASE_URL',
    );
  }
  return url;
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates an empty, uniquely named database on the test server; null when there is no server. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const adminUrl = postgresUrl();
  if (adminUrl === null) return null;
  const name = `kr_test_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * Declares the suite `fn` twice: on a SQLite file in a temp directory and on a fresh PostgreSQL
 * database. `open()` returns a new handle on that suite's database (call it twice for two
 * "processes"); every handle is closed and the database deleted after the suite.
 */
export function describeEachDatabase(name: string, fn: (open: () => Promise<Db>) => void): void {
  describe(`${name} [sqlite]`, () => {
    const dir = { path: '' };
    const handles: Db[] = [];
    beforeAll(() => {
      dir.path = mkdtempSync(join(tmpdir(), 'kuberack-sqlite-'));
    });
    afterAll(async () => {
      for (const db of handles) await db.close().catch(() => undefined);
      rmSync(dir.path, { recursive: true, force: true });
    });
    fn(async () => {
      const db = openSqlite(join(dir.path, 'kuberack.db'));
      handles.push(db);
      return db;
    });
  });

  const url = postgresUrl();
  if (url === null) {
    const reason =
      'skipped: no PostgreSQL server found; install PostgreSQL or set KUBERACK_TEST_DATABASE_URL';
    describe.skip(`${name} [postgres] (${reason})`, () => fn(() => Promise.reject(new Error(reason))));
    return;
  }
  describe(`${name} [postgres]`, () => {
    let database: { url: string; drop(): Promise<void> } | null = null;
    const handles: Db[] = [];
    beforeAll(async () => {
      database = await freshPostgresDatabase();
    });
    afterAll(async () => {
      for (const db of handles) await db.close().catch(() => undefined);
      await database?.drop();
    });
    fn(async () => {
      if (database === null) throw new Error('the suite database was not created');
      const db = openPostgres(database.url);
      handles.push(db);
      return db;
    });
  });
}
