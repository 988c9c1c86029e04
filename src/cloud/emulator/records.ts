// Rows of the emulated cloud and the queries on them, inside one transaction that holds the account's
// lock. A resource's state is the last timeline entry whose time has come; gone rows stay as tombstones.
import type { Queryable } from '../../store/db.js';
import { OWNER_CLUSTER_TAG, OWNER_STEP_TAG, type ResourceKind, type Tag } from '../provider.js';

export type EmuKind = ResourceKind | 'rds-instance' | 'kms-key';

export interface TimelineEntry {
  readonly status: string;
  readonly at: number;
}

export interface Row<A = Record<string, unknown>> {
  id: string;
  accountId: string;
  regionId: string;
  kind: EmuKind;
  parentId: string | null;
  name: string | null;
  clientToken: string | null;
  requestHash: string | null;
  ownerCluster: string | null;
  ownerStep: string | null;
  tags: Tag[];
  timeline: TimelineEntry[];
  attrs: A;
  /** Ids of the resources this one uses (security groups, next hop, bound instance …). */
  refs: string[];
  /** Quota units it consumes: vCPUs for a pay-as-you-go instance, otherwise 0. */
  units: number;
  createdAt: number;
  goneAt: number | null;
}

interface DbRow {
  id: string;
  account_id: string;
  region_id: string;
  kind: string;
  parent_id: string | null;
  name: string | null;
  client_token: string | null;
  request_hash: string | null;
  owner_cluster: string | null;
  owner_step: string | null;
  tags: string;
  timeline: string;
  attrs: string;
  refs: string;
  units: number;
  created_at: number;
  gone_at: number | null;
}

/** The refs each row had when read, so an update rewrites the link table only when they changed. */
const loadedRefs = new WeakMap<object, string>();

function fromDb<A>(r: DbRow): Row<A> {
  return {
    id: r.id,
    accountId: r.account_id,
    regionId: r.region_id,
    kind: r.kind as EmuKind,
    parentId: r.parent_id,
    name: r.name,
    clientToken: r.client_token,
    requestHash: r.request_hash,
    ownerCluster: r.owner_cluster,
    ownerStep: r.owner_step,
    tags: JSON.parse(r.tags) as Tag[],
    timeline: JSON.parse(r.timeline) as TimelineEntry[],
    attrs: JSON.parse(r.attrs) as A,
    refs: JSON.parse(r.refs) as string[],
    units: Number(r.units),
    createdAt: Number(r.created_at),
    goneAt: r.gone_at === null ? null : Number(r.gone_at),
  };
}

function load<A>(r: DbRow): Row<A> {
  const row = fromDb<A>(r);
  loadedRefs.set(row, r.refs);
  return row;
}

/** The status at `now`: the last timeline entry that has started. */
export function statusAt(row: Pick<Row, 'timeline'>, now: number): string {
  let status = row.timeline[0]?.status ?? 'Unknown';
  for (const e of row.timeline) if (e.at <= now) status = e.status;
  return status;
}

export function isGone(row: Pick<Row, 'goneAt'>, now: number): boolean {
  return row.goneAt !== null && row.goneAt <= now;
}

/** Replaces the future of a timeline: entries not yet reached are dropped, then `next` appended. */
export function retime(row: Row<unknown>, now: number, next: readonly TimelineEntry[]): void {
  row.timeline = [...row.timeline.filter((e) => e.at <= now), ...next];
}

const COLUMNS =
  'id, account_id, region_id, kind, parent_id, name, client_token, request_hash, owner_cluster, owner_step, tags, timeline, attrs, refs, units, created_at, gone_at';

export class Records {
  constructor(
    readonly q: Queryable,
    readonly accountId: string,
    readonly now: number,
  ) {}

  /** A live (not gone) resource of this account. */
  async get<A>(kind: EmuKind, id: string): Promise<Row<A> | undefined> {
    const r = await this.q.one<DbRow>(
      `SELECT ${COLUMNS} FROM emu_resources WHERE id = $1 AND account_id = $2 AND kind = $3`,
      [id, this.accountId, kind],
    );
    if (!r) return undefined;
    const row = load<A>(r);
    return isGone(row, this.now) ? undefined : row;
  }

  /** The resource a client token created, gone or not. */
  async byToken<A>(kind: EmuKind, token: string): Promise<Row<A> | undefined> {
    const r = await this.q.one<DbRow>(
      `SELECT ${COLUMNS} FROM emu_resources WHERE account_id = $1 AND kind = $2 AND client_token = $3`,
      [this.accountId, kind, token],
    );
    return r ? load<A>(r) : undefined;
  }

  /** The WHERE clause for live resources of a kind, in a region (null: any), under a parent. */
  private live(
    kind: EmuKind,
    regionId: string | null,
    parentId?: string,
  ): { sql: string; params: (string | number)[] } {
    const params: (string | number)[] = [this.accountId, kind, this.now];
    let sql = ' WHERE account_id = $1 AND kind = $2 AND (gone_at IS NULL OR gone_at > $3)';
    if (regionId !== null) {
      params.push(regionId);
      sql += ` AND region_id = $${params.length}`;
    }
    if (parentId !== undefined) {
      params.push(parentId);
      sql += ` AND parent_id = $${params.length}`;
    }
    return { sql, params };
  }

  /** Live resources of a kind, in a region (null: any region; RAM is global), optionally under a parent. */
  async list<A>(kind: EmuKind, regionId: string | null, parentId?: string): Promise<Row<A>[]> {
    const w = this.live(kind, regionId, parentId);
    const rows = await this.q.all<DbRow>(
      `SELECT ${COLUMNS} FROM emu_resources${w.sql} ORDER BY created_at, id`,
      w.params,
    );
    return rows.map((r) => load<A>(r));
  }

  async byName<A>(kind: EmuKind, regionId: string, name: string): Promise<Row<A> | undefined> {
    const r = await this.q.one<DbRow>(
      `SELECT ${COLUMNS} FROM emu_resources WHERE account_id = $1 AND kind = $2 AND region_id = $3
        AND name = $4 AND (gone_at IS NULL OR gone_at > $5) ORDER BY created_at DESC LIMIT 1`,
      [this.accountId, kind, regionId, name, this.now],
    );
    return r ? load<A>(r) : undefined;
  }

  /** Live resources of several kinds whose parent is `parentId` (dependency checks). */
  async children(parentId: string): Promise<Row[]> {
    const rows = await this.q.all<DbRow>(
      `SELECT ${COLUMNS} FROM emu_resources WHERE parent_id = $1 AND account_id = $2
        AND (gone_at IS NULL OR gone_at > $3)`,
      [parentId, this.accountId, this.now],
    );
    return rows.map((r) => load(r));
  }

  async count(kind: EmuKind, regionId: string | null, parentId?: string): Promise<number> {
    const w = this.live(kind, regionId, parentId);
    return Number(
      (await this.q.one<{ n: number | string }>(`SELECT COUNT(*) AS n FROM emu_resources${w.sql}`, w.params))
        ?.n ?? 0,
    );
  }

  async insert(row: Row<unknown>): Promise<void> {
    await this.q.run(
      `INSERT INTO emu_resources (${COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        row.id,
        row.accountId,
        row.regionId,
        row.kind,
        row.parentId,
        row.name,
        row.clientToken,
        row.requestHash,
        row.ownerCluster,
        row.ownerStep,
        JSON.stringify(row.tags),
        JSON.stringify(row.timeline),
        JSON.stringify(row.attrs),
        JSON.stringify(row.refs),
        row.units,
        row.createdAt,
        row.goneAt,
      ],
    );
    await this.link(row);
  }

  async update(row: Row<unknown>): Promise<void> {
    const refs = JSON.stringify(row.refs);
    // The owner columns follow the tags, so re-tagging (adoption, detaching) shows in the inventory.
    row.ownerCluster = row.tags.find((t) => t.key === OWNER_CLUSTER_TAG)?.value ?? null;
    row.ownerStep = row.tags.find((t) => t.key === OWNER_STEP_TAG)?.value ?? null;
    await this.q.run(
      `UPDATE emu_resources SET tags = $1, timeline = $2, attrs = $3, gone_at = $4, name = $5, refs = $6, units = $7,
         owner_cluster = $9, owner_step = $10 WHERE id = $8`,
      [
        JSON.stringify(row.tags),
        JSON.stringify(row.timeline),
        JSON.stringify(row.attrs),
        row.goneAt,
        row.name,
        refs,
        row.units,
        row.id,
        row.ownerCluster,
        row.ownerStep,
      ],
    );
    if (loadedRefs.get(row) !== refs) {
      await this.q.run('DELETE FROM emu_refs WHERE from_id = $1', [row.id]);
      await this.link(row);
    }
  }

  private async link(row: Row<unknown>): Promise<void> {
    for (const to of new Set(row.refs))
      await this.q.run('INSERT INTO emu_refs (from_id, to_id) VALUES ($1, $2)', [row.id, to]);
    loadedRefs.set(row, JSON.stringify(row.refs));
  }

  /** Live resources of `kind` that use the resource `id` (its referrers). */
  async referrers<A>(id: string, kind: EmuKind): Promise<Row<A>[]> {
    const cols = COLUMNS.split(', ')
      .map((c) => `r.${c}`)
      .join(', ');
    const rows = await this.q.all<DbRow>(
      `SELECT ${cols} FROM emu_refs f JOIN emu_resources r ON r.id = f.from_id
       WHERE f.to_id = $1 AND r.kind = $2 AND r.account_id = $3 AND (r.gone_at IS NULL OR r.gone_at > $4)
       ORDER BY r.created_at, r.id`,
      [id, kind, this.accountId, this.now],
    );
    return rows.map((r) => load<A>(r));
  }

  /** The quota units live resources of a kind use in a region. */
  async sumUnits(kind: EmuKind, regionId: string): Promise<number> {
    const w = this.live(kind, regionId);
    const r = await this.q.one<{ n: number | string | null }>(
      `SELECT SUM(units) AS n FROM emu_resources${w.sql}`,
      w.params,
    );
    return Number(r?.n ?? 0);
  }
}

/** Every live resource, of every account or one, of every kind or one (inventory, boot scan). */
export async function allLive(q: Queryable, now: number, accountId?: string, kind?: EmuKind): Promise<Row[]> {
  const params: (string | number)[] = [now];
  let sql = `SELECT ${COLUMNS} FROM emu_resources WHERE (gone_at IS NULL OR gone_at > $1)`;
  if (accountId !== undefined) {
    params.push(accountId);
    sql += ` AND account_id = $${params.length}`;
  }
  if (kind !== undefined) {
    params.push(kind);
    sql += ` AND kind = $${params.length}`;
  }
  return (await q.all<DbRow>(`${sql} ORDER BY created_at, id`, params)).map((r) => load(r));
}
