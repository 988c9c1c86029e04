// The embedded cloud: the default provider of Kuberack. Holds the shared context (database, clock,
// latency model, fault dice), hands out one Provider per access key, and offers the operator's commands.
import { createHash } from 'node:crypto';
import {
  applyApprovedIncreases,
  decideQuotaIncrease,
  isQuotaName,
  type QuotaIncreaseRequest,
  type QuotaOverrides,
} from '../../domain/limits/index.js';
import { forUpdate, type Db } from '../../store/db.js';
import { migrate } from '../../store/migrate.js';
import { CloudError } from '../errors.js';
import type { Provider, Tag } from '../provider.js';
import { accessOps } from './access.js';
import { balancerOps } from './balancer.js';
import { bootedNodes, markBootReported, type BootedNode } from './boot.js';
import { computeOps } from './compute.js';
import { FaultDice, NO_FAULTS, type FaultConfig } from './faults.js';
import { LatencyModel } from './latency.js';
import { networkOps } from './network.js';
import { randomDigits, randomText } from './random.js';
import { allLive, Records, statusAt } from './records.js';
import { EMULATOR_MIGRATIONS } from './schema.js';
import { serviceOps, toQuotaRequest, type QuotaRequestRow } from './services.js';
import {
  ACCOUNT_COLUMNS,
  accountFromDb,
  Session,
  type AccountState,
  type Allowlists,
  type EmulatorContext,
} from './session.js';
import { isRegion } from './world.js';

export interface EmulatorOptions {
  readonly db: Db;
  /** 1 = the public cloud's speed; 100 = a hundred times faster; Infinity = no waiting. */
  readonly timeScale?: number;
  /** Epoch milliseconds; tests pass a controllable clock. */
  readonly now?: () => number;
  /** Seeds the latency draws. */
  readonly seed?: string;
}

export interface AccountSettings {
  readonly accessKeyId: string;
  /** Only used when the account is created; stored as a hash. */
  readonly accessKeySecret?: string;
  readonly balanceCny?: number;
  readonly realNameVerified?: boolean;
  /** Merged into the current overrides. */
  readonly quotas?: QuotaOverrides;
  readonly allowlists?: Partial<Allowlists>;
  readonly resourceGroups?: readonly string[];
}

/** One emulated resource as the operator's inventory lists it. */
export interface InventoryItem {
  readonly id: string;
  readonly kind: string;
  readonly accountId: string;
  readonly regionId: string;
  readonly name: string | null;
  readonly status: string;
  readonly ownerCluster: string | null;
  readonly ownerStep: string | null;
  readonly tags: readonly Tag[];
}

const NO_ALLOWLISTS: Allowlists = { exclusiveEni: false, customImage: false, workflowEngine: false };

export class CloudEmulator {
  readonly ctx: EmulatorContext;

  constructor(options: EmulatorOptions) {
    this.ctx = {
      db: options.db,
      now: options.now ?? (() => Date.now()),
      latency: new LatencyModel(options.timeScale ?? 1, options.seed ?? ''),
      dice: new FaultDice(),
    };
  }

  /** Creates the emulator's tables if needed. */
  async init(): Promise<void> {
    await migrate(this.ctx.db, 'emulator', EMULATOR_MIGRATIONS);
  }

  /** The cloud as one account sees it. Unknown keys answer `InvalidAccessKeyId.NotFound` on every call. */
  provider(accessKeyId: string): Provider {
    const session = new Session(this.ctx, accessKeyId);
    return {
      name: 'emulator',
      ...serviceOps(session),
      ...networkOps(session),
      ...computeOps(session),
      ...accessOps(session),
      ...balancerOps(session),
    };
  }

  // ---- operator commands -------------------------------------------------------------------------

  async account(accessKeyId: string): Promise<AccountState | undefined> {
    const row = await this.ctx.db.one<Parameters<typeof accountFromDb>[0]>(
      `SELECT ${ACCOUNT_COLUMNS} FROM emu_accounts WHERE access_key_id = $1`,
      [accessKeyId],
    );
    return row ? accountFromDb(row) : undefined;
  }

  /** Creates the account (1,000 CNY, real-name verified, seed quotas) or changes the settings given. */
  async setAccount(settings: AccountSettings): Promise<AccountState> {
    if (!/^[A-Za-z0-9]{4,64}$/.test(settings.accessKeyId))
      throw new CloudError('InvalidParameter.AccessKeyId', 'An access key id is 4 to 64 letters and digits.');
    if (
      settings.balanceCny !== undefined &&
      !(Number.isFinite(settings.balanceCny) && settings.balanceCny >= 0)
    )
      throw new CloudError('InvalidParameter.Balance', 'The balance must be a non-negative number of CNY.');
    for (const [name, limit] of Object.entries(settings.quotas ?? {}))
      if (!isQuotaName(name) || !Number.isSafeInteger(limit) || limit < 0)
        throw new CloudError('InvalidParameter.Quota', `The quota ${name}=${String(limit)} is not valid.`);
    await this.ctx.db.transaction(async (q) => {
      const current = await q.one<Parameters<typeof accountFromDb>[0]>(
        `SELECT ${ACCOUNT_COLUMNS} FROM emu_accounts WHERE access_key_id = $1${forUpdate(q)}`,
        [settings.accessKeyId],
      );
      const a = current ? accountFromDb(current) : undefined;
      const balance = Math.round((settings.balanceCny ?? (a ? a.balanceCents / 100 : 1000)) * 100);
      const realName = settings.realNameVerified ?? a?.realName ?? true;
      const quotas = { ...(a?.quotas ?? {}), ...(settings.quotas ?? {}) };
      const allowlists = { ...(a?.allowlists ?? NO_ALLOWLISTS), ...(settings.allowlists ?? {}) };
      const groups = settings.resourceGroups ?? a?.resourceGroups ?? [];
      if (a) {
        await q.run(
          `UPDATE emu_accounts SET balance_cents = $1, real_name = $2, quotas = $3, allowlists = $4, resource_groups = $5
           WHERE account_id = $6`,
          [
            balance,
            realName ? 1 : 0,
            JSON.stringify(quotas),
            JSON.stringify(allowlists),
            JSON.stringify(groups),
            a.accountId,
          ],
        );
      } else {
        const secret = settings.accessKeySecret ?? randomText('abcdefghijklmnopqrstuvwxyz0123456789', 30);
        await q.run(
          `INSERT INTO emu_accounts (account_id, access_key_id, secret_sha256, balance_cents, real_name, quotas,
             allowlists, resource_groups, faults, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            randomDigits(16),
            settings.accessKeyId,
            createHash('sha256').update(secret).digest('hex'),
            balance,
            realName ? 1 : 0,
            JSON.stringify(quotas),
            JSON.stringify(allowlists),
            JSON.stringify(groups),
            JSON.stringify(NO_FAULTS),
            this.ctx.now(),
          ],
        );
      }
    });
    return (await this.account(settings.accessKeyId)) as AccountState;
  }

  /** Replaces the account's fault injection (throttling, transient errors, scripted failures, stock-outs). */
  async setFaults(accessKeyId: string, faults: Partial<FaultConfig>): Promise<void> {
    const rate = (x: number | undefined) => x === undefined || (x >= 0 && x <= 1);
    if (!rate(faults.throttlingRate) || !rate(faults.transientRate))
      throw new CloudError('InvalidParameter.FaultRate', 'Fault rates are between 0 and 1.');
    const n = await this.ctx.db.run('UPDATE emu_accounts SET faults = $1 WHERE access_key_id = $2', [
      JSON.stringify({ ...NO_FAULTS, ...faults }),
      accessKeyId,
    ]);
    if (n === 0)
      throw new CloudError('InvalidAccessKeyId.NotFound', `No account has access key ${accessKeyId}.`, {
        httpStatus: 404,
      });
  }

  async quotaRequests(
    state?: QuotaIncreaseRequest['state'],
  ): Promise<(QuotaIncreaseRequest & { accountId: string })[]> {
    const rows = await this.ctx.db.all<QuotaRequestRow>(
      `SELECT * FROM emu_quota_requests${state ? ' WHERE state = $1' : ''} ORDER BY created_at, id`,
      state ? [state] : [],
    );
    return rows.map((r) => ({ ...toQuotaRequest(r), accountId: r.account_id }));
  }

  /** Approves (the new limit becomes the account's override) or rejects a pending request, once. */
  async decideQuotaRequest(id: string, decision: 'approved' | 'rejected'): Promise<QuotaIncreaseRequest> {
    return this.ctx.db.transaction(async (q) => {
      const row = await q.one<QuotaRequestRow>(
        `SELECT * FROM emu_quota_requests WHERE id = $1${forUpdate(q)}`,
        [id],
      );
      if (!row)
        throw new CloudError('QUOTA.APPLICATION_NOT_FOUND', `There is no quota request ${id}.`, {
          httpStatus: 404,
        });
      const d = decideQuotaIncrease(toQuotaRequest(row), decision);
      if (!d.ok)
        throw new CloudError('QUOTA.APPLICATION_DECIDED', `The request ${id} is already ${row.state}.`);
      await q.run('UPDATE emu_quota_requests SET state = $1, decided_at = $2 WHERE id = $3', [
        decision,
        this.ctx.now(),
        id,
      ]);
      if (decision === 'approved') {
        const acct = await q.one<{ quotas: string }>(
          `SELECT quotas FROM emu_accounts WHERE account_id = $1${forUpdate(q)}`,
          [row.account_id],
        );
        // A request never lowers a limit, e.g. one the operator raised while it was pending.
        const quotas = applyApprovedIncreases(
          { quotas: JSON.parse(acct?.quotas ?? '{}') as QuotaOverrides },
          [d.request],
        );
        await q.run('UPDATE emu_accounts SET quotas = $1 WHERE account_id = $2', [
          JSON.stringify(quotas),
          row.account_id,
        ]);
      }
      return d.request;
    });
  }

  /** Puts an RDS instance or a KMS key into an account, for plans that refer to them (M30, M39). */
  async seed(
    accessKeyId: string,
    kind: 'rds-instance' | 'kms-key',
    regionId: string,
    id: string,
    state = 'Enabled',
  ): Promise<void> {
    const a = await this.account(accessKeyId);
    if (!a)
      throw new CloudError('InvalidAccessKeyId.NotFound', `No account has access key ${accessKeyId}.`, {
        httpStatus: 404,
      });
    if (!isRegion(regionId))
      throw new CloudError('InvalidRegionId.NotFound', `No region ${regionId}.`, { httpStatus: 404 });
    const now = this.ctx.now();
    await new Records(this.ctx.db, a.accountId, now).insert({
      id,
      accountId: a.accountId,
      regionId,
      kind,
      parentId: null,
      name: id,
      clientToken: null,
      requestHash: null,
      ownerCluster: null,
      ownerStep: null,
      tags: [],
      timeline: [{ status: kind === 'kms-key' ? state : 'Running', at: now }],
      attrs: kind === 'rds-instance' ? { whitelists: {} } : {},
      refs: [],
      units: 0,
      createdAt: now,
      goneAt: null,
    });
  }

  /** Every live emulated resource, optionally of one account, with its owner tags and state now. */
  async inventory(accessKeyId?: string): Promise<InventoryItem[]> {
    let accountId: string | undefined;
    if (accessKeyId !== undefined) {
      accountId = (await this.account(accessKeyId))?.accountId;
      if (accountId === undefined) return [];
    }
    const now = this.ctx.now();
    return (await allLive(this.ctx.db, now, accountId)).map((r) => ({
      id: r.id,
      kind: r.kind,
      accountId: r.accountId,
      regionId: r.regionId,
      name: r.name,
      status: statusAt(r, now),
      ownerCluster: r.ownerCluster,
      ownerStep: r.ownerStep,
      tags: r.tags,
    }));
  }

  /** Workers whose modelled boot has finished: not registered yet (`new`) or all running (see boot.ts). */
  bootedNodes(which: 'new' | 'all' = 'new'): Promise<BootedNode[]> {
    return bootedNodes(this.ctx.db, this.ctx.now(), this.ctx.latency, which);
  }

  /** Records that a booted worker registered (or was refused), so it is not reported again. */
  markBootReported(accountId: string, instanceId: string): Promise<void> {
    return markBootReported(this.ctx.db, accountId, instanceId, this.ctx.now());
  }

  /** Removes tombstones of resources gone before `before` (client tokens of those are forgotten). */
  async purgeTombstones(before: number): Promise<number> {
    return this.ctx.db.run('DELETE FROM emu_resources WHERE gone_at IS NOT NULL AND gone_at < $1', [before]);
  }
}
