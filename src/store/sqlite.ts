// SQLite adapter (better-sqlite3, synchronous underneath): the embedded default database. One
// connection per process; an async mutex keeps statements out of another caller's open transaction.
import Database from 'better-sqlite3';
import type { Db, Queryable, SqlParams, SqlValue } from './db.js';

/** Rewrites `$n` placeholders to `?` and orders the values to match (a `$n` may repeat). */
export function toSqlite(sql: string, params: SqlParams): { sql: string; values: SqlValue[] } {
  const values: SqlValue[] = [];
  const text = sql.replace(/\$(\d+)/g, (_m, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= params.length) throw new RangeError(`placeholder $${n} has no value`);
    const v = params[i] ?? null;
    values.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    return '?';
  });
  return { sql: text, values };
}

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  lock<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.tail.then(fn);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}

class SqliteQueries implements Queryable {
  readonly dialect = 'sqlite' as const;
  private readonly cache = new Map<string, { sql: string; stmt: Database.Statement }>();

  constructor(protected readonly conn: Database.Database) {}

  private prepare(sql: string, params: SqlParams): { stmt: Database.Statement; values: SqlValue[] } {
    const t = toSqlite(sql, params);
    let hit = this.cache.get(sql);
    if (!hit) {
      hit = { sql: t.sql, stmt: this.conn.prepare(t.sql) };
      if (this.cache.size > 500) this.cache.clear();
      this.cache.set(sql, hit);
    }
    return { stmt: hit.stmt, values: t.values };
  }

  allNow<T>(sql: string, params: SqlParams = []): T[] {
    const { stmt, values } = this.prepare(sql, params);
    return stmt.reader ? (stmt.all(...values) as T[]) : (stmt.run(...values), []);
  }

  runNow(sql: string, params: SqlParams = []): number {
    const { stmt, values } = this.prepare(sql, params);
    return stmt.run(...values).changes;
  }

  // async, so a failing statement rejects the promise instead of throwing at the call.
  async all<T extends object>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.allNow<T>(sql, params);
  }
  async one<T extends object>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return this.allNow<T>(sql, params)[0];
  }
  async run(sql: string, params?: SqlParams): Promise<number> {
    return this.runNow(sql, params);
  }
  async exec(sql: string): Promise<void> {
    this.conn.exec(sql);
  }
}

class SqliteDb extends SqliteQueries implements Db {
  private readonly mutex = new Mutex();
  private readonly inner: SqliteQueries;

  constructor(conn: Database.Database) {
    super(conn);
    this.inner = new SqliteQueries(conn);
  }

  override all<T extends object>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.mutex.lock(() => this.inner.allNow<T>(sql, params));
  }
  override one<T extends object>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return this.mutex.lock(() => this.inner.allNow<T>(sql, params)[0]);
  }
  override run(sql: string, params?: SqlParams): Promise<number> {
    return this.mutex.lock(() => this.inner.runNow(sql, params));
  }
  override exec(sql: string): Promise<void> {
    return this.mutex.lock(() => this.inner.exec(sql));
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.mutex.lock(async () => {
      this.conn.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.inner);
        this.conn.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.conn.inTransaction) this.conn.exec('ROLLBACK');
        throw error;
      }
    });
  }

  close(): Promise<void> {
    return this.mutex.lock(() => {
      this.conn.close();
    });
  }
}

/** Opens (creating if needed) a SQLite database file, or `:memory:`. */
export function openSqlite(path: string): Db {
  const conn = new Database(path);
  conn.pragma('journal_mode = WAL');
  conn.pragma('busy_timeout = 5000');
  conn.pragma('foreign_keys = ON');
  conn.pragma('synchronous = NORMAL');
  return new SqliteDb(conn);
}
