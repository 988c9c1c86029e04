// The one query layer of Kuberack: a small async interface that SQLite and PostgreSQL both implement.
// SQL is written once, with PostgreSQL-style `$1` placeholders; adapters translate where needed.

export type SqlValue = string | number | boolean | null;
export type SqlParams = readonly SqlValue[];
export type Dialect = 'sqlite' | 'postgres';

/** Something queries can run on: the database itself, or one open transaction. */
export interface Queryable {
  readonly dialect: Dialect;
  /** Every row the statement returns. BIGINT columns come back as JS numbers. */
  all<T extends object>(sql: string, params?: SqlParams): Promise<T[]>;
  /** The first row, or undefined. */
  one<T extends object>(sql: string, params?: SqlParams): Promise<T | undefined>;
  /** Runs a statement and returns the number of rows it changed. */
  run(sql: string, params?: SqlParams): Promise<number>;
  /** Runs one or more statements without parameters (schema changes). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. On
   * PostgreSQL a serialization failure or deadlock retries the whole function (it must be safe to
   * re-run); on SQLite transactions of one process never interleave.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `FOR UPDATE` where the dialect has row locks; SQLite's write transactions already exclude others. */
export function forUpdate(q: Queryable): string {
  return q.dialect === 'postgres' ? ' FOR UPDATE' : '';
}

/** True when the error is a unique-constraint violation, in either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
