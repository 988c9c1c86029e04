// The store's query layer, run twice: on SQLite and on a real PostgreSQL (test/support/postgres.ts).
// Plus unit cases of the SQLite placeholder rewrite.
import { describe, expect, it } from 'vitest';
import { forUpdate, isUniqueViolation } from '../src/store/db.js';
import type { Db } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import type { Migration } from '../src/store/migrate.js';
import { openDatabase } from '../src/store/open.js';
import { toSqlite } from '../src/store/sqlite.js';
import { describeEachDatabase } from './support/postgres.js';

interface Item {
  id: number;
  name: string;
  label: string | null;
  n: number | null;
  flag: boolean | number;
}

const ITEMS = `CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  label TEXT,
  n BIGINT,
  flag BOOLEAN NOT NULL
)`;

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describeEachDatabase('store query layer', (open) => {
  let db: Db;

  it('opens and creates a table', async () => {
    db = await open();
    await db.exec(ITEMS);
    const insert = 'INSERT INTO items (id, name, label, n, flag) VALUES ($1, $2, $3, $4, $5)';
    expect(await db.run(insert, [1, 'a', 'x', 2 ** 40, true])).toBe(1);
    expect(await db.run(insert, [2, 'b', null, null, false])).toBe(1);
    expect(await db.run(insert, [3, 'c', 'c', 7, true])).toBe(1);
  });

  it('binds $n placeholders, a repeated $1 included', async () => {
    const rows = await db.all<Item>('SELECT id FROM items WHERE name = $1 AND label = $1 ORDER BY id', ['c']);
    expect(rows).toEqual([{ id: 3 }]);
    const row = await db.one<Item>('SELECT id, name FROM items WHERE id = $2 OR name = $1', ['zzz', 2]);
    expect(row).toEqual({ id: 2, name: 'b' });
    expect(await db.one('SELECT id FROM items WHERE id = $1', [99])).toBeUndefined();
  });

  it('binds booleans', async () => {
    const yes = await db.all<Item>('SELECT id, flag FROM items WHERE flag = $1 ORDER BY id', [true]);
    expect(yes.map((r) => r.id)).toEqual([1, 3]);
    // PostgreSQL reads back true; SQLite stores booleans as 1.
    expect(yes.every((r) => Boolean(r.flag))).toBe(true);
    const no = await db.all<Item>('SELECT id FROM items WHERE flag = $1', [false]);
    expect(no).toEqual([{ id: 2 }]);
  });

  it('returns BIGINT columns and COUNT(*) as JS numbers', async () => {
    const row = await db.one<Item>('SELECT n FROM items WHERE id = $1', [1]);
    expect(row?.n).toBe(2 ** 40);
    expect(typeof row?.n).toBe('number');
    const count = await db.one<{ c: number }>('SELECT COUNT(*) AS c FROM items');
    expect(count).toEqual({ c: 3 });
    if (db.dialect === 'postgres') {
      // Past 2^53 a number would lose digits: the query fails rather than return a wrong value.
      await expect(db.one('SELECT 9007199254740993::BIGINT AS big')).rejects.toThrow(RangeError);
      expect(await db.one('SELECT 1 AS one')).toEqual({ one: 1 }); // the pool is still usable
    }
  });

  it('stores and reads NULLs', async () => {
    expect(await db.one('SELECT label, n FROM items WHERE id = $1', [2])).toEqual({ label: null, n: null });
    expect(await db.all('SELECT id FROM items WHERE label IS NULL')).toEqual([{ id: 2 }]);
  });

  it('run returns the number of rows changed', async () => {
    expect(await db.run('UPDATE items SET label = $1 WHERE flag = $2', ['on', true])).toBe(2);
    expect(await db.run('DELETE FROM items WHERE id = $1', [99])).toBe(0);
  });

  it('exec runs several statements', async () => {
    await db.exec(`CREATE TABLE multi (id INTEGER PRIMARY KEY);
      INSERT INTO multi (id) VALUES (1);
      INSERT INTO multi (id) VALUES (2);`);
    expect(await db.all('SELECT id FROM multi ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('a transaction commits what its function wrote and returns its result', async () => {
    await db.exec('CREATE TABLE tx_commit (id INTEGER PRIMARY KEY)');
    const result = await db.transaction(async (tx) => {
      await tx.run('INSERT INTO tx_commit (id) VALUES ($1)', [1]);
      await tx.run('INSERT INTO tx_commit (id) VALUES ($1)', [2]);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await db.all('SELECT id FROM tx_commit ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('a transaction whose function throws leaves nothing behind', async () => {
    await db.exec('CREATE TABLE tx_rollback (id INTEGER PRIMARY KEY)');
    const error = await caught(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO tx_rollback (id) VALUES ($1)', [1]);
        throw new Error('boom');
      }),
    );
    expect(error).toEqual(new Error('boom'));
    expect(await db.all('SELECT id FROM tx_rollback')).toEqual([]);
    // The database is usable afterwards.
    await db.transaction((tx) => tx.run('INSERT INTO tx_rollback (id) VALUES ($1)', [2]));
    expect(await db.all('SELECT id FROM tx_rollback')).toEqual([{ id: 2 }]);
  });

  it('isUniqueViolation recognises a duplicate primary key, and only that', async () => {
    const dup = await caught(
      db.run('INSERT INTO items (id, name, flag) VALUES ($1, $2, $3)', [1, 'again', false]),
    );
    expect(isUniqueViolation(dup)).toBe(true);
    const inTx = await caught(
      db.transaction((tx) =>
        tx.run('INSERT INTO items (id, name, flag) VALUES ($1, $2, $3)', [3, 'x', true]),
      ),
    );
    expect(isUniqueViolation(inTx)).toBe(true);
    const notNull = await caught(db.run('INSERT INTO items (id, flag) VALUES ($1, $2)', [50, true]));
    expect(isUniqueViolation(notNull)).toBe(false);
    expect(isUniqueViolation(new Error('x'))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });

  it('forUpdate makes concurrent read-modify-write transactions lose no update', async () => {
    await db.exec('CREATE TABLE counters (id TEXT PRIMARY KEY, n BIGINT NOT NULL)');
    await db.run('INSERT INTO counters (id, n) VALUES ($1, $2)', ['c', 0]);
    const bump = () =>
      db.transaction(async (tx) => {
        const row = await tx.one<{ n: number }>(`SELECT n FROM counters WHERE id = $1${forUpdate(tx)}`, [
          'c',
        ]);
        await new Promise((resolve) => setTimeout(resolve, 2));
        await tx.run('UPDATE counters SET n = $1 WHERE id = $2', [(row?.n ?? 0) + 1, 'c']);
      });
    await Promise.all(Array.from({ length: 8 }, bump));
    expect(await db.one('SELECT n FROM counters WHERE id = $1', ['c'])).toEqual({ n: 8 });
  });

  it('on PostgreSQL a serialization failure (40001) re-runs the whole transaction', async () => {
    if (db.dialect !== 'postgres') return;
    await db.exec('CREATE TABLE retried (id INTEGER PRIMARY KEY)');
    let attempts = 0;
    await db.transaction(async (tx) => {
      attempts++;
      await tx.run('INSERT INTO retried (id) VALUES ($1)', [1]);
      if (attempts === 1) throw Object.assign(new Error('could not serialize'), { code: '40001' });
    });
    expect(attempts).toBe(2);
    expect(await db.all('SELECT id FROM retried')).toEqual([{ id: 1 }]);
  });

  const steps: Migration[] = [
    { id: '0001-a', sql: 'CREATE TABLE mig_a (id INTEGER PRIMARY KEY)' },
    { id: '0002-b', sql: 'CREATE TABLE mig_b (id INTEGER PRIMARY KEY); INSERT INTO mig_b (id) VALUES (1)' },
  ];

  it('migrate applies each step once; a second call applies nothing', async () => {
    expect(await migrate(db, 'one', steps)).toEqual(['0001-a', '0002-b']);
    expect(await migrate(db, 'one', steps)).toEqual([]);
    const more = [...steps, { id: '0003-c', sql: 'INSERT INTO mig_b (id) VALUES (2)' }];
    expect(await migrate(db, 'one', more)).toEqual(['0003-c']);
    expect(await db.all('SELECT id FROM mig_b ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
    await expect(migrate(db, 'dup', [steps[0]!, steps[0]!])).rejects.toThrow(/duplicate migration id/);
  });

  it('two processes migrating a fresh database at once apply every step exactly once', async () => {
    await db.exec('DROP TABLE IF EXISTS schema_migrations'); // no ledger yet, as on a fresh database
    const race = steps.map((m) => ({ id: m.id, sql: m.sql.replace(/mig_/g, 'race_') }));
    // SQLite allows one connection per process (src/store/sqlite.ts), so there the "two processes"
    // share it; PostgreSQL gets two separate pools.
    const other = db.dialect === 'postgres' ? await open() : db;
    const [a, b] = await Promise.all([migrate(db, 'race', race), migrate(other, 'race', race)]);
    expect([...a, ...b].sort()).toEqual(['0001-a', '0002-b']);
    expect(await db.all('SELECT id FROM race_b')).toEqual([{ id: 1 }]);
    const ledger = await db.all('SELECT id FROM schema_migrations WHERE set_name = $1 ORDER BY id', ['race']);
    expect(ledger).toEqual([{ id: '0001-a' }, { id: '0002-b' }]);
  });
});

describe('toSqlite: $n placeholders to ?', () => {
  it('rewrites placeholders in order and repeats values for a repeated $n', () => {
    expect(toSqlite('SELECT * FROM t WHERE a = $2 AND b = $1 OR c = $2', ['x', 'y'])).toEqual({
      sql: 'SELECT * FROM t WHERE a = ? AND b = ? OR c = ?',
      values: ['y', 'x', 'y'],
    });
  });

  it('turns booleans into 1 and 0 and keeps NULL', () => {
    expect(toSqlite('VALUES ($1, $2, $3)', [true, false, null]).values).toEqual([1, 0, null]);
  });

  it('reads $10 as the tenth value, not $1 followed by 0', () => {
    const params = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(toSqlite('SELECT $10, $1', params)).toEqual({ sql: 'SELECT ?, ?', values: [10, 1] });
  });

  it('refuses a placeholder without a value', () => {
    expect(() => toSqlite('SELECT $2', ['only one'])).toThrow(RangeError);
    expect(() => toSqlite('SELECT $0', ['x'])).toThrow(RangeError);
  });

  it('leaves SQL without placeholders alone', () => {
    expect(toSqlite('SELECT 1', [])).toEqual({ sql: 'SELECT 1', values: [] });
  });
});

describe('openDatabase', () => {
  it('refuses to guess when neither a URL nor a SQLite path is given', () => {
    expect(() => openDatabase({})).toThrow(/no database configured/);
  });

  it('refuses a URL that is not PostgreSQL instead of silently using SQLite', () => {
    expect(() => openDatabase({ url: 'mysql://u:secret@h/db', sqlitePath: 'x.db' })).toThrow(/unsupported/);
    expect(() => openDatabase({ url: 'mysql://u:secret@h/db' })).not.toThrow(/secret/);
  });

  it('opens PostgreSQL for postgres:// and postgresql:// URLs without connecting yet', async () => {
    for (const url of ['postgres://u@127.0.0.1:1/db', 'postgresql://u@127.0.0.1:1/db']) {
      const db = openDatabase({ url });
      expect(db.dialect).toBe('postgres');
      await db.close();
    }
  });
});
