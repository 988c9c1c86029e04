// Chooses the database from configuration: PostgreSQL for a `postgres://` URL, else a SQLite file.
// The SQLite path is the caller's to choose; there is no in-memory default for the product.
import type { Db } from './db.js';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';

export interface DatabaseOptions {
  /** A `postgres://` or `postgresql://` connection URL. */
  url?: string;
  /** The SQLite database file, used when no PostgreSQL URL is given. */
  sqlitePath?: string;
}

export function openDatabase(options: DatabaseOptions): Db {
  const { url, sqlitePath } = options;
  if (url !== undefined && /^postgres(ql)?:\/\//.test(url)) return openPostgres(url);
  if (url !== undefined && url !== '') {
    throw new Error(
      `unsupported database URL scheme (expected postgres:// or postgresql://): ${url.split(':')[0]}:`,
    );
  }
  if (sqlitePath === undefined || sqlitePath === '') {
    throw new Error('no database configured: give a postgres:// URL or a SQLite file path');
  }
  return openSqlite(sqlitePath);
}
