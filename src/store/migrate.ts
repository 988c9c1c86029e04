// Schema migrations: each component owns a named, append-only list of SQL steps; `migrate` applies
// the missing ones in order, once, even when several processes start at the same time.
import type { Db } from './db.js';

export interface Migration {
  /** Sortable and never reused, e.g. `0001-resources`. */
  readonly id: string;
  /** Statements without parameters, in SQL both dialects accept. */
  readonly sql: string;
}

const LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  set_name TEXT NOT NULL,
  id TEXT NOT NULL,
  applied_at BIGINT NOT NULL,
  PRIMARY KEY (set_name, id)
)`;

/** Applies the migrations of `setName` not yet applied; returns the ids it applied. */
export async function migrate(db: Db, setName: string, migrations: readonly Migration[]): Promise<string[]> {
  const ids = migrations.map((m) => m.id);
  if (new Set(ids).size !== ids.length) throw new Error(`duplicate migration id in ${setName}`);
  if (db.dialect === 'postgres') {
    // Two processes creating the ledger table at once can still collide; a session lock orders them.
    await db.transaction(async (tx) => {
      await tx.one('SELECT pg_advisory_xact_lock(hashtext($1))', ['kuberack.schema_migrations']);
      await tx.exec(LEDGER);
    });
  } else {
    await db.exec(LEDGER);
  }
  return db.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.one('SELECT pg_advisory_xact_lock(hashtext($1))', [setName]);
    const done = new Set(
      (await tx.all<{ id: string }>('SELECT id FROM schema_migrations WHERE set_name = $1', [setName])).map(
        (r) => r.id,
      ),
    );
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      await tx.exec(m.sql);
      await tx.run('INSERT INTO schema_migrations (set_name, id, applied_at) VALUES ($1, $2, $3)', [
        setName,
        m.id,
        Date.now(),
      ]);
      applied.push(m.id);
    }
    return applied;
  });
}
