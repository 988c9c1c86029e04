// Emulated look-ups and smaller services: regions, zones, stock, images, account facts and quota
// tickets, the tag sweep, RDS whitelists, KMS keys and log projects.
import { randomUUID } from 'node:crypto';
import {
  isQuotaName,
  validateQuotaIncreaseRequest,
  type AccountFacts,
  type QuotaIncreaseRequest,
  type QuotaName,
} from '../../domain/limits/index.js';
import { renderProblem } from '../../domain/messages/index.js';
import { parseCidr, parseIpv4 } from '../../domain/net/index.js';
import type {
  KmsKey,
  LogProject,
  Provider,
  RdsWhitelist,
  ResourceKind,
  TaggedResource,
} from '../provider.js';
import { GLOBAL } from './access.js';
import { isSoldOut } from './faults.js';
import { allLive, statusAt, type Records, type Row } from './records.js';
import {
  checkCreateOptions,
  createOnce,
  fail,
  markDeleted,
  requireRegion,
  type AccountState,
  type Session,
} from './session.js';
import { IMAGES, REGIONS, stockOf, zonesOf } from './world.js';

interface RdsAttrs {
  whitelists: Record<string, string[]>;
}

export interface QuotaRequestRow {
  id: string;
  account_id: string;
  quota: string;
  requested_limit: number;
  reason: string;
  state: string;
}

export function toQuotaRequest(r: QuotaRequestRow): QuotaIncreaseRequest {
  return {
    id: r.id,
    quota: r.quota as QuotaName,
    requestedLimit: Number(r.requested_limit),
    reason: r.reason,
    state: r.state as QuotaIncreaseRequest['state'],
  };
}

const RESOURCE_KINDS: readonly string[] = [
  'vpc',
  'vswitch',
  'security-group',
  'nat-gateway',
  'eip',
  'snat-entry',
  'route-entry',
  'ram-user',
  'ram-policy',
  'ram-access-key',
  'slb',
  'key-pair',
  'instance',
  'log-project',
];

/** What the account uses, in the scope of each quota (the region, one VPC, one route table). */
async function usage(
  r: Records,
  regionId: string,
  scope: { vpcId?: string; routeTableId?: string },
): Promise<AccountFacts['usage']> {
  return {
    'vpc.vpcs-per-region': await r.count('vpc', regionId),
    'vpc.vswitches-per-vpc': scope.vpcId ? await r.count('vswitch', regionId, scope.vpcId) : 0,
    'vpc.nat-gateways-per-vpc': scope.vpcId ? (await r.referrers(scope.vpcId, 'nat-gateway')).length : 0,
    'vpc.route-entries-per-table': scope.routeTableId
      ? await r.count('route-entry', regionId, scope.routeTableId)
      : 0,
    'vpc.eips': await r.count('eip', null),
    'ecs.security-groups': await r.count('security-group', regionId),
    'ecs.key-pairs': await r.count('key-pair', regionId),
    'ecs.postpaid-vcpus': await r.sumUnits('instance', regionId),
    'slb.postpaid-instances': await r.count('slb', null),
    'ram.users': await r.count('ram-user', GLOBAL),
  };
}

export function factsOf(account: AccountState): Omit<AccountFacts, 'usage'> {
  return {
    balanceCny: account.balanceCents / 100,
    realNameVerified: account.realName,
    quotas: account.quotas,
    allowlists: account.allowlists,
    resourceGroupIds: account.resourceGroups,
  };
}

function checkWhitelistEntry(ip: string): void {
  if (parseIpv4(ip) === null && parseCidr(ip) === null)
    fail(
      'InvalidSecurityIPList.Format',
      `The whitelist entry ${ip.slice(0, 40)} is not an IPv4 address or CIDR block.`,
    );
}

function toLogProject(row: Row<unknown>): LogProject {
  return { name: row.name ?? '', status: 'Normal', tags: row.tags };
}

export type ServiceOps = Pick<
  Provider,
  | 'describeRegions'
  | 'describeZones'
  | 'describeInstanceTypeStock'
  | 'describeImages'
  | 'describeAccount'
  | 'accountFacts'
  | 'listResourcesByTag'
  | 'requestQuotaIncrease'
  | 'listQuotaIncreases'
  | 'modifyRdsWhitelist'
  | 'getRdsWhitelist'
  | 'getKmsKey'
  | 'createLogProject'
  | 'getLogProject'
  | 'deleteLogProject'
>;

export function serviceOps(session: Session): ServiceOps {
  return {
    describeRegions: () => session.read('DescribeRegions', () => Promise.resolve([...REGIONS])),
    describeZones: (regionId) =>
      session.read('DescribeZones', () => {
        requireRegion(regionId);
        return Promise.resolve(zonesOf(regionId));
      }),
    describeInstanceTypeStock: (regionId, zoneId) =>
      session.read('DescribeAvailableResource', (_r, account) => {
        requireRegion(regionId);
        return Promise.resolve(
          stockOf(regionId, zoneId).map((e) =>
            isSoldOut(account.faults, e.instanceType, e.zoneId) ? { ...e, status: 'sold-out' as const } : e,
          ),
        );
      }),
    describeImages: (regionId) =>
      session.read('DescribeImages', () => {
        requireRegion(regionId);
        return Promise.resolve([...IMAGES]);
      }),
    describeAccount: () =>
      session.read('QueryAccountBalance', (_r, a) =>
        Promise.resolve({
          accountId: a.accountId,
          balanceCny: a.balanceCents / 100,
          realNameVerified: a.realName,
        }),
      ),
    accountFacts: (regionId, scope = {}) =>
      session.read('DescribeAccountAttributes', async (r, account) => {
        requireRegion(regionId);
        return { ...factsOf(account), usage: await usage(r, regionId, scope) };
      }),
    listResourcesByTag: (regionId, tag) =>
      session.read('ListTagResources', async (r, account) => {
        const rows = await allLive(r.q, r.now, account.accountId);
        return rows
          .filter((row) => RESOURCE_KINDS.includes(row.kind))
          .filter((row) => row.regionId === regionId || row.regionId === GLOBAL)
          .filter((row) => row.tags.some((t) => t.key === tag.key && t.value === tag.value))
          .map((row): TaggedResource => ({
            kind: row.kind as ResourceKind,
            id:
              row.kind === 'key-pair' ||
              row.kind.startsWith('ram-user') ||
              row.kind === 'ram-policy' ||
              row.kind === 'log-project'
                ? (row.name ?? row.id)
                : row.id,
            regionId: row.regionId,
            tags: row.tags,
          }));
      }),
    requestQuotaIncrease: (req) =>
      session.write('CreateQuotaApplication', async (s) => {
        if (!isQuotaName(req.quota))
          fail('QUOTA.NOT_FOUND', `There is no quota named ${String(req.quota)}.`, 404);
        const problems = validateQuotaIncreaseRequest(req, s.account);
        if (problems[0]) fail('QUOTA.INVALID_APPLY', renderProblem(problems[0], 'en'));
        const request: QuotaIncreaseRequest = {
          id: `qa-${randomUUID().slice(0, 18)}`,
          quota: req.quota,
          requestedLimit: req.requestedLimit,
          reason: req.reason,
          state: 'pending',
        };
        await s.q.run(
          `INSERT INTO emu_quota_requests (id, account_id, quota, requested_limit, reason, state, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            request.id,
            s.account.accountId,
            request.quota,
            request.requestedLimit,
            request.reason,
            'pending',
            s.now,
          ],
        );
        return request;
      }),
    listQuotaIncreases: () =>
      session.read('ListQuotaApplications', async (r, account) =>
        (
          await r.q.all<QuotaRequestRow>(
            'SELECT * FROM emu_quota_requests WHERE account_id = $1 ORDER BY created_at, id',
            [account.accountId],
          )
        ).map(toQuotaRequest),
      ),
    modifyRdsWhitelist: (regionId, req) =>
      session.write('ModifySecurityIps', async (s) => {
        const rds = await s.r.get<RdsAttrs>('rds-instance', req.rdsInstanceId);
        if (!rds || rds.regionId !== regionId)
          fail('InvalidDBInstanceId.NotFound', `The RDS instance ${req.rdsInstanceId} does not exist.`, 404);
        if (!/^[a-z][a-z0-9_]{1,119}$/.test(req.groupName))
          fail('InvalidDBInstanceIPArrayName.Format', 'The whitelist group name is malformed.');
        req.ips.forEach(checkWhitelistEntry);
        const current = rds.attrs.whitelists[req.groupName] ?? [];
        const next =
          req.mode === 'cover'
            ? [...new Set(req.ips)]
            : req.mode === 'append'
              ? [...new Set([...current, ...req.ips])]
              : current.filter((ip) => !req.ips.includes(ip));
        if (next.length > 1000)
          fail('InvalidSecurityIPList.Duplicate', 'A whitelist group holds at most 1,000 entries.');
        rds.attrs.whitelists = { ...rds.attrs.whitelists, [req.groupName]: next };
        await s.r.update(rds);
      }),
    getRdsWhitelist: (regionId, rdsInstanceId, groupName) =>
      session.read('DescribeDBInstanceIPArrayList', async (r): Promise<RdsWhitelist | null> => {
        const rds = await r.get<RdsAttrs>('rds-instance', rdsInstanceId);
        if (!rds || rds.regionId !== regionId) return null;
        const ips = rds.attrs.whitelists[groupName];
        return ips ? { rdsInstanceId, groupName, ips } : null;
      }),
    getKmsKey: (regionId, keyId) =>
      session.read('DescribeKey', async (r): Promise<KmsKey | null> => {
        const key = await r.get('kms-key', keyId);
        return key && key.regionId === regionId
          ? { keyId, state: statusAt(key, r.now) as KmsKey['state'] }
          : null;
      }),
    createLogProject: (req, opts) =>
      session.write('CreateProject', async (s) => {
        checkCreateOptions(opts);
        const row = await createOnce<Record<string, never>>(s, 'log-project', opts, req, async () => {
          requireRegion(req.regionId);
          if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(req.name))
            fail('ProjectNameInvalid', 'A project name is 3 to 63 lower-case letters, digits and hyphens.');
          if (await s.r.byName('log-project', req.regionId, req.name))
            fail('ProjectAlreadyExist', `The log project ${req.name} already exists.`, 409);
          return {
            kind: 'log-project',
            id: `sls-${randomUUID()}`,
            regionId: req.regionId,
            name: req.name,
            timeline: [{ status: 'Normal', at: s.now }],
            attrs: {},
          };
        });
        return toLogProject(row);
      }),
    getLogProject: (regionId, name) =>
      session.read('GetProject', async (r) => {
        const row = await r.byName('log-project', regionId, name);
        return row ? toLogProject(row) : null;
      }),
    deleteLogProject: (regionId, name) =>
      session.write('DeleteProject', async (s) => {
        const row = await s.r.byName('log-project', regionId, name);
        if (!row) fail('ProjectNotExist', `The log project ${name} does not exist.`, 404);
        await markDeleted(s, row, 0);
      }),
  };
}
