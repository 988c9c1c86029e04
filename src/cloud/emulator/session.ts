// One account's view of the emulated cloud: every operation runs through `read` or `write`, which
// check the access key, inject faults, and (for writes) hold the account's lock in one transaction.
import { createHash, randomUUID } from 'node:crypto';
import type { QuotaName, QuotaOverrides } from '../../domain/limits/index.js';
import { effectiveQuota } from '../../domain/limits/index.js';
import { forUpdate, isUniqueViolation, type Db, type Queryable } from '../../store/db.js';
import { CloudError } from '../errors.js';
import { OWNER_CLUSTER_TAG, OWNER_STEP_TAG, type CreateOptions, type Tag } from '../provider.js';
import { parseFaults, type FaultConfig, type FaultDice } from './faults.js';
import type { LatencyModel, LatencyPhase } from './latency.js';
import { Records, type EmuKind, type Row, type TimelineEntry } from './records.js';
import { isRegion, zonesOf } from './world.js';

export interface Allowlists {
  readonly exclusiveEni: boolean;
  readonly customImage: boolean;
  readonly workflowEngine: boolean;
}

export interface AccountState {
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly balanceCents: number;
  readonly realName: boolean;
  readonly quotas: QuotaOverrides;
  readonly allowlists: Allowlists;
  readonly resourceGroups: readonly string[];
  readonly faults: FaultConfig;
}

interface AccountDbRow {
  account_id: string;
  access_key_id: string;
  balance_cents: number;
  real_name: number;
  quotas: string;
  allowlists: string;
  resource_groups: string;
  faults: string;
}

export const ACCOUNT_COLUMNS =
  'account_id, access_key_id, balance_cents, real_name, quotas, allowlists, resource_groups, faults';

export function accountFromDb(r: AccountDbRow): AccountState {
  return {
    accountId: r.account_id,
    accessKeyId: r.access_key_id,
    balanceCents: Number(r.balance_cents),
    realName: Number(r.real_name) === 1,
    quotas: JSON.parse(r.quotas) as QuotaOverrides,
    allowlists: JSON.parse(r.allowlists) as Allowlists,
    resourceGroups: JSON.parse(r.resource_groups) as string[],
    faults: parseFaults(r.faults),
  };
}

/** What the emulator shares with every session. */
export interface EmulatorContext {
  readonly db: Db;
  readonly now: () => number;
  readonly latency: LatencyModel;
  readonly dice: FaultDice;
}

/** What one write sees: the rows, the account (locked), the time, and the request id. */
export interface WriteScope {
  readonly r: Records;
  readonly account: AccountState;
  readonly now: number;
  readonly requestId: string;
  readonly q: Queryable;
}

export function fail(code: string, message: string, httpStatus = 400): never {
  throw new CloudError(code, message, { httpStatus });
}

/** A stable hash of a request, so the same client token with other parameters is refused. */
export function requestHash(request: unknown): string {
  const stable = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(stable)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, stable((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(stable(request)))
    .digest('hex')
    .slice(0, 32);
}

export class Session {
  constructor(
    readonly ctx: EmulatorContext,
    readonly accessKeyId: string,
  ) {}

  private async account(q: Queryable, lock: boolean): Promise<AccountState> {
    const row = await q.one<AccountDbRow>(
      `SELECT ${ACCOUNT_COLUMNS} FROM emu_accounts WHERE access_key_id = $1${lock ? forUpdate(q) : ''}`,
      [this.accessKeyId],
    );
    if (!row) fail('InvalidAccessKeyId.NotFound', `Specified access key is not found.`, 404);
    return accountFromDb(row);
  }

  /** Scripted failures are consumed (and persisted) before anything else happens; `*` is every write. */
  /**
   * Scripted failures are consumed under the account's lock, so two concurrent calls cannot use up one
   * `remaining: 1` failure twice; then the random faults roll.
   */
  private async injectFaults(
    action: string,
    account: AccountState,
    requestId: string,
    write: boolean,
  ): Promise<void> {
    const matches = (s: FaultConfig['failures'][number]) =>
      (s.action === action || (write && s.action === '*')) && s.remaining !== 0;
    if (account.faults.failures.some(matches)) {
      const scripted = await this.ctx.db.transaction(async (q) => {
        const f = (await this.account(q, true)).faults;
        const i = f.failures.findIndex(matches);
        const hit = f.failures[i];
        if (!hit) return undefined;
        const failures = f.failures.map((s, j) =>
          j === i && s.remaining > 0 ? { ...s, remaining: s.remaining - 1 } : s,
        );
        await q.run('UPDATE emu_accounts SET faults = $1 WHERE account_id = $2', [
          JSON.stringify({ ...f, failures }),
          account.accountId,
        ]);
        return hit;
      });
      if (scripted)
        throw new CloudError(scripted.code, `Injected failure of ${action}.`, {
          httpStatus: /^(ServiceUnavailable|InternalError)$/.test(scripted.code) ? 503 : 400,
          requestId,
        });
    }
    const f = account.faults;
    this.ctx.dice.roll(account.accountId, action, f, requestId);
  }

  async read<T>(action: string, fn: (r: Records, account: AccountState) => Promise<T>): Promise<T> {
    const requestId = randomUUID().toUpperCase();
    const account = await this.account(this.ctx.db, false);
    await this.injectFaults(action, account, requestId, false);
    return fn(new Records(this.ctx.db, account.accountId, this.ctx.now()), account);
  }

  /**
   * One write: all of it or nothing. A concurrent create with the same client token loses the race on
   * the unique index and is re-run, which then finds and returns the winner's resource.
   */
  async write<T>(action: string, fn: (s: WriteScope) => Promise<T>): Promise<T> {
    const requestId = randomUUID().toUpperCase();
    await this.injectFaults(action, await this.account(this.ctx.db, false), requestId, true);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.ctx.db.transaction(async (q) => {
          const account = await this.account(q, true);
          const now = this.ctx.now();
          return fn({ r: new Records(q, account.accountId, now), account, now, requestId, q });
        });
      } catch (error) {
        if (attempt < 2 && isUniqueViolation(error)) continue;
        throw error;
      }
    }
  }
}

/** One resource of a kind by id in a region, shown through `view`; null when absent or gone. */
export function readOne<A, T>(
  session: Session,
  action: string,
  kind: EmuKind,
  regionId: string,
  id: string,
  view: (row: Row<A>, now: number) => T,
): Promise<T | null> {
  return session.read(action, async (r) => {
    const row = await r.get<A>(kind, id);
    return row && row.regionId === regionId ? view(row, r.now) : null;
  });
}

// ---- checks shared by the operations --------------------------------------------------------------

export function requireRegion(regionId: string): void {
  if (typeof regionId !== 'string' || regionId === '') fail('MissingParameter', 'RegionId is mandatory.');
  if (!isRegion(regionId)) fail('InvalidRegionId.NotFound', `The region ${regionId} does not exist.`, 404);
}

export function requireZone(regionId: string, zoneId: string): void {
  if (!zonesOf(regionId).some((z) => z.zoneId === zoneId))
    fail('InvalidZoneId.NotFound', `The zone ${zoneId} does not exist in ${regionId}.`, 404);
}

/** Names: 2–128 characters, starting with a letter or Chinese character, no `http://` or `https://`. */
export function checkName(field: string, name: string, optional = false): void {
  if (optional && name === '') return;
  if (
    typeof name !== 'string' ||
    !/^[\p{L}][\p{L}\p{N}._:-]{1,127}$/u.test(name) ||
    /^https?:\/\//.test(name)
  )
    fail(`InvalidParameter.${field}`, `The ${field} "${String(name).slice(0, 40)}" is malformed.`);
}

export function checkCreateOptions(opts: CreateOptions): void {
  const t = opts.clientToken;
  if (typeof t !== 'string' || t === '' || t.length > 64 || !/^[\x21-\x7e]+$/.test(t))
    fail('InvalidParameter.ClientToken', 'ClientToken must be 1 to 64 printable ASCII characters.');
  if (opts.tags.length > 20) fail('InvalidParameter.TagCount', 'At most 20 tags per resource.');
  const keys = new Set<string>();
  for (const tag of opts.tags) {
    if (
      tag.key === '' ||
      tag.key.length > 128 ||
      /^(aliyun|acs:)/i.test(tag.key) ||
      /^https?:\/\//.test(tag.key)
    )
      fail('InvalidTagKey.Malformed', `The tag key "${tag.key.slice(0, 40)}" is malformed.`);
    if (tag.value.length > 128 || /^(aliyun|acs:)/i.test(tag.value))
      fail('InvalidTagValue.Malformed', `The tag value for "${tag.key.slice(0, 40)}" is malformed.`);
    if (keys.has(tag.key)) fail('InvalidParameter.TagDuplicated', `The tag key "${tag.key}" is repeated.`);
    keys.add(tag.key);
  }
}

export function quotaLimit(account: AccountState, name: QuotaName): number {
  return effectiveQuota(name, account.quotas);
}

/** Refuses pay-as-you-go creation below 100 CNY or without real-name verification (M10). */
export function requirePayAsYouGo(account: AccountState): void {
  if (!account.realName)
    fail(
      'InvalidAccountStatus.NotRealNameAuthenticated',
      'Your account has not passed real-name verification.',
      403,
    );
  if (account.balanceCents < 100_00)
    fail(
      'InvalidAccountStatus.NotEnoughBalance',
      'Your account balance is below 100 CNY, the minimum for pay-as-you-go resources.',
      403,
    );
}

export interface NewRow<A> {
  readonly kind: EmuKind;
  readonly id: string;
  readonly regionId: string;
  readonly parentId?: string | null;
  readonly name?: string | null;
  readonly timeline: readonly TimelineEntry[];
  readonly attrs: A;
  readonly refs?: readonly string[];
  readonly units?: number;
}

/**
 * The idempotent create: an earlier resource with the same client token is returned as it is (same
 * request) or refused (other parameters); otherwise `build` checks the request and makes the row.
 */
export async function createOnce<A>(
  s: WriteScope,
  kind: EmuKind,
  opts: CreateOptions,
  request: unknown,
  build: () => Promise<NewRow<A>>,
): Promise<Row<A>> {
  checkCreateOptions(opts);
  const hash = requestHash(request);
  const earlier = await s.r.byToken<A>(kind, opts.clientToken);
  if (earlier) {
    if (earlier.requestHash !== hash)
      fail('IdempotentParameterMismatch', 'The same ClientToken was used with other parameters.', 403);
    return earlier;
  }
  return insertRow(s, await build(), opts.tags, { clientToken: opts.clientToken, requestHash: hash });
}

/** Inserts a new row; sub-resources such as access keys have no client token. */
export async function insertRow<A>(
  s: WriteScope,
  n: NewRow<A>,
  tags: readonly Tag[] = [],
  token: { clientToken: string; requestHash: string } | null = null,
): Promise<Row<A>> {
  const row: Row<A> = {
    id: n.id,
    accountId: s.account.accountId,
    regionId: n.regionId,
    kind: n.kind,
    parentId: n.parentId ?? null,
    name: n.name ?? null,
    clientToken: token?.clientToken ?? null,
    requestHash: token?.requestHash ?? null,
    ownerCluster: tags.find((t) => t.key === OWNER_CLUSTER_TAG)?.value ?? null,
    ownerStep: tags.find((t) => t.key === OWNER_STEP_TAG)?.value ?? null,
    tags: tags.map((t) => ({ key: t.key, value: t.value })),
    timeline: [...n.timeline],
    attrs: n.attrs,
    refs: [...(n.refs ?? [])],
    units: n.units ?? 0,
    createdAt: s.now,
    goneAt: null,
  };
  await s.r.insert(row);
  return row;
}

/** A resource born in `from` that reaches `to` after the modelled latency of `phase`. */
export function becomes(
  s: WriteScope,
  lat: LatencyModel,
  from: string,
  to: string,
  phase: LatencyPhase,
  key: string,
): TimelineEntry[] {
  return [
    { status: from, at: s.now },
    { status: to, at: s.now + lat.delayMs(phase, key) },
  ];
}

/** Starts an asynchronous delete: `Deleting` now, gone after `delayMs` (at once when 0). */
export async function markDeleted(
  s: WriteScope,
  row: Row<unknown>,
  delayMs: number,
  status = 'Deleting',
): Promise<void> {
  row.timeline = [...row.timeline.filter((e) => e.at <= s.now), { status, at: s.now }];
  row.goneAt = s.now + delayMs;
  await s.r.update(row);
}
