// PostgreSQL adapter (node-postgres pool): the database for several Kuberack processes at once.
// `$1` placeholders are native; BIGINT comes back as a JS number; transactions retry on conflict.
import pg from 'pg';
import type { PoolClient, QueryResultRow } from 'pg';
import type { Db, Queryable, SqlParams } from './db.js';

/** serialization_failure and deadlock_detected: the transaction lost a race and may run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;
const INT8_OID = 20;

/** BIGINT as a JS number; a value past 2^53 would silently lose digits, so the query fails instead. */
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`BIGINT ${text} does not fit a JS number`);
  return n;
}

/** Type parsers for this pool only (the global pg.types stays untouched). */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? parseInt8
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

type Client = pg.Pool | PoolClient;

class PgQueries implements Queryable {
  readonly dialect = 'postgres' as const;
  constructor(private readonly client: () => Client) {}

  async all<T extends object>(sql: string, params: SqlParams = []): Promise<T[]> {
    const result = await this.client().query<QueryResultRow>(sql, [...params]);
    return result.rows as T[];
  }
  async one<T extends object>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }
  async run(sql: string, params: SqlParams = []): Promise<number> {
    return (await this.client().query(sql, [...params])).rowCount ?? 0;
  }
  async exec(sql: string): Promise<void> {
    await this.client().query(sql);
  }
}

function isRetryable(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && RETRYABLE.has(code);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class PgDb extends PgQueries implements Db {
  constructor(private readonly pool: pg.Pool) {
    super(() => pool);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(fn);
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
        await sleep(Math.random() * 20 * 2 ** attempt);
      }
    }
  }

  private async attempt<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let open = true;
    let broken: Error | undefined;
    const tx = new PgQueries(() => {
      if (!open) throw new Error('transaction already finished: use the Queryable only inside its function');
      return client;
    });
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e));
      });
      throw error;
    } finally {
      open = false;
      // A client whose ROLLBACK failed is in an unknown state: the pool discards it.
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Opens a pool on a `postgres://` URL; `max` caps its connections (default 10). */
export function openPostgres(url: string, options: { max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types });
  // An idle connection that drops (server restart, network) must not crash the process; the next
  // query that needs one gets a fresh connection or its own error.
  pool.on('error', () => {});
  return new PgDb(pool);
}
