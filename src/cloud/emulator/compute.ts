// Emulated ECS: key pairs and instances with stock per zone, pay-as-you-go and subscription billing,
// the vCPU quota, deletion protection (M48), re-imaging (M40) and the Pending → Starting → Running life.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { findInstanceType } from '../../domain/catalogue/index.js';
import type { Disk, Instance, InstanceStatus, IssuedKeyPair, KeyPair, Provider, Tag } from '../provider.js';
import { isSoldOut } from './faults.js';
import { returnAddress, takeAddress, type VSwitchAttrs } from './network.js';
import { cloudId } from './random.js';
import { retime, statusAt, type Row } from './records.js';
import {
  checkCreateOptions,
  readOne,
  checkName,
  createOnce,
  fail,
  insertRow,
  markDeleted,
  quotaLimit,
  requirePayAsYouGo,
  requireRegion,
  type Session,
  type WriteScope,
} from './session.js';
import { baseStock, IMAGES, idPrefixOf, subscriptionFeeCny } from './world.js';

interface KeyPairAttrs {
  fingerprint: string;
}

export interface InstanceAttrs {
  zoneId: string;
  vpcId: string;
  vswitchId: string;
  securityGroupIds: string[];
  instanceType: string;
  imageId: string;
  privateIp: string;
  name: string;
  hostName: string;
  chargeType: 'PostPaid' | 'PrePaid';
  expiresAt: number | null;
  deletionProtection: boolean;
  keyPairName: string | null;
  passwordSet: boolean;
  systemDisk: Disk;
  dataDisks: Disk[];
  /** Plain text, as given; the emulator reads it to boot Kuberack workers. */
  userData: string;
  vcpu: number;
}

const DISK_CATEGORIES = ['cloud_essd', 'cloud_ssd', 'cloud_efficiency', 'cloud_auto', 'cloud_essd_entry'];
const SUBSCRIPTION_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60];
const MONTH_MS = 30 * 24 * 3600 * 1000;

function toKeyPair(row: Row<KeyPairAttrs>): KeyPair {
  return { name: row.name ?? '', fingerprint: row.attrs.fingerprint, tags: row.tags };
}

export function toInstance(row: Row<InstanceAttrs>, now: number): Instance {
  const a = row.attrs;
  const t = findInstanceType(a.instanceType);
  return {
    id: row.id,
    regionId: row.regionId,
    zoneId: a.zoneId,
    vpcId: a.vpcId,
    vswitchId: a.vswitchId,
    securityGroupIds: a.securityGroupIds,
    instanceType: a.instanceType,
    imageId: a.imageId,
    status: statusAt(row, now) as InstanceStatus,
    privateIp: a.privateIp,
    name: a.name,
    hostName: a.hostName,
    chargeType: a.chargeType,
    expiresAt: a.expiresAt,
    deletionProtection: a.deletionProtection,
    keyPairName: a.keyPairName,
    systemDisk: a.systemDisk,
    dataDisks: a.dataDisks,
    gpu: { amount: t?.accelerator.count ?? 0, spec: t?.accelerator.model ?? t?.accelerator.modelHint ?? '' },
    createdAt: row.createdAt,
    tags: row.tags,
  };
}

function checkDisk(d: Disk, field: string, min: number, max: number): void {
  if (!DISK_CATEGORIES.includes(d.category))
    fail(
      `InvalidDiskCategory.ValueNotSupported`,
      `The ${field} category ${String(d.category)} is not supported.`,
    );
  if (!Number.isInteger(d.sizeGiB) || d.sizeGiB < min || d.sizeGiB > max)
    fail(`Invalid${field}Size.ValueNotSupported`, `The ${field} size must be ${min} to ${max} GiB.`);
}

function checkPassword(p: string): void {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[()`~!@#$%^&*_\-+=|{}[\]:;'<>,.?/]/].filter((re) =>
    re.test(p),
  );
  if (p.length < 8 || p.length > 30 || classes.length < 3)
    fail('InvalidPassword.Malformed', 'The password must be 8 to 30 characters of at least three kinds.');
}

async function instanceOrFail(s: WriteScope, regionId: string, id: string): Promise<Row<InstanceAttrs>> {
  const row = await s.r.get<InstanceAttrs>('instance', id);
  if (!row || row.regionId !== regionId)
    fail('InvalidInstanceId.NotFound', `The instance ${id} does not exist.`, 404);
  return row;
}

async function charge(s: WriteScope, feeCny: number): Promise<void> {
  const cents = Math.round(feeCny * 100);
  if (s.account.balanceCents < cents)
    fail(
      'InvalidAccountStatus.NotEnoughBalance',
      `The fee of ${feeCny} CNY exceeds the account balance.`,
      403,
    );
  await s.q.run('UPDATE emu_accounts SET balance_cents = balance_cents - $1 WHERE account_id = $2', [
    cents,
    s.account.accountId,
  ]);
}

export type ComputeOps = Pick<
  Provider,
  | 'createKeyPair'
  | 'getKeyPair'
  | 'deleteKeyPair'
  | 'runInstance'
  | 'getInstance'
  | 'describeInstances'
  | 'modifyInstance'
  | 'stopInstance'
  | 'startInstance'
  | 'replaceSystemDisk'
  | 'convertToSubscription'
  | 'deleteInstance'
>;

export function computeOps(session: Session): ComputeOps {
  const lat = session.ctx.latency;
  return {
    // ---- key pairs (no client token on the public cloud: a second create says it exists) -----------
    createKeyPair: (req, opts) =>
      session.write('CreateKeyPair', async (s): Promise<IssuedKeyPair> => {
        requireRegion(req.regionId);
        checkCreateOptions(opts);
        if (
          typeof req.name !== 'string' ||
          !/^[A-Za-z\p{Script=Han}][\w.:\p{Script=Han}-]{1,127}$/u.test(req.name)
        )
          fail('InvalidKeyPairName.Malformed', 'The key pair name is malformed.');
        if (await s.r.byName('key-pair', req.regionId, req.name))
          fail('KeyPair.AlreadyExist', `The key pair ${req.name} already exists.`);
        if ((await s.r.count('key-pair', req.regionId)) >= quotaLimit(s.account, 'ecs.key-pairs'))
          fail('QuotaExceed.KeyPair', 'The number of key pairs in this region has reached the quota.', 403);
        const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        const der = publicKey.export({ type: 'spki', format: 'der' });
        const fingerprint = (createHash('md5').update(der).digest('hex').match(/../g) ?? []).join(':');
        const row = await insertRow<KeyPairAttrs>(
          s,
          {
            kind: 'key-pair',
            id: cloudId('kp', idPrefixOf(req.regionId)),
            regionId: req.regionId,
            name: req.name,
            timeline: [{ status: 'Available', at: s.now }],
            attrs: { fingerprint },
          },
          opts.tags,
        );
        return {
          ...toKeyPair(row),
          privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
        };
      }),
    getKeyPair: (regionId, name) =>
      session.read('DescribeKeyPairs', async (r) => {
        const row = await r.byName<KeyPairAttrs>('key-pair', regionId, name);
        return row ? toKeyPair(row) : null;
      }),
    deleteKeyPair: (regionId, name) =>
      session.write('DeleteKeyPairs', async (s) => {
        const row = await s.r.byName('key-pair', regionId, name);
        if (!row) fail('InvalidKeyPair.NotFound', `The key pair ${name} does not exist.`, 404);
        const [user] = await s.r.referrers(row.id, 'instance');
        if (user)
          fail(
            'InvalidParameter.KeypairAlreadyAttachedInstance',
            `The key pair ${name} is used by instance ${user.id}.`,
          );
        await markDeleted(s, row, 0);
      }),

    // ---- instances ---------------------------------------------------------------------------------
    runInstance: (req, opts) =>
      session.write('RunInstances', async (s) => {
        const row = await createOnce<InstanceAttrs>(
          s,
          'instance',
          opts,
          { ...req, password: req.password ? createHash('sha256').update(req.password).digest('hex') : null },
          async () => {
            requireRegion(req.regionId);
            checkName('InstanceName', req.name);
            const t = findInstanceType(req.instanceType);
            if (!t)
              fail(
                'InvalidInstanceType.ValueNotSupported',
                `The instance type ${req.instanceType} is not offered.`,
              );
            const vsw = await s.r.get<VSwitchAttrs>('vswitch', req.vswitchId);
            if (!vsw || vsw.regionId !== req.regionId)
              fail('InvalidVSwitchId.NotFound', `The vSwitch ${req.vswitchId} does not exist.`, 404);
            if (statusAt(vsw, s.now) !== 'Available')
              fail('IncorrectVSwitchStatus', `The vSwitch ${vsw.id} is not available.`);
            if (req.securityGroupIds.length < 1 || req.securityGroupIds.length > 5)
              fail('InvalidParameter.SecurityGroupIds', 'An instance needs 1 to 5 security groups.');
            for (const id of req.securityGroupIds) {
              const sg = await s.r.get<{ vpcId: string }>('security-group', id);
              if (!sg)
                fail('InvalidSecurityGroupId.NotFound', `The security group ${id} does not exist.`, 404);
              if (sg.attrs.vpcId !== vsw.attrs.vpcId)
                fail(
                  'InvalidParameter.Mismatch',
                  `The security group ${id} and the vSwitch are in different VPCs.`,
                );
            }
            if (!IMAGES.some((i) => i.imageId === req.imageId))
              fail('InvalidImageId.NotFound', `The image ${req.imageId} does not exist.`, 404);
            checkDisk(req.systemDisk, 'SystemDisk', 20, 2048);
            if (req.dataDisks.length > 16)
              fail('InvalidDataDiskCount.Exceeded', 'An instance has at most 16 data disks.');
            req.dataDisks.forEach((d) => checkDisk(d, 'DataDisk', 20, 32768));
            if (req.keyPairName && req.password)
              fail('InvalidParameter.Conflict', 'Give either KeyPairName or Password, not both.');
            const keyPair = req.keyPairName
              ? await s.r.byName('key-pair', req.regionId, req.keyPairName)
              : undefined;
            if (req.keyPairName && !keyPair)
              fail('InvalidKeyPairName.NotFound', `The key pair ${req.keyPairName} does not exist.`, 404);
            if (req.password) checkPassword(req.password);
            if (Buffer.byteLength(req.userData, 'utf8') > 32 * 1024)
              fail('InvalidUserData.SizeExceeded', 'User data is larger than 32 KiB.');
            if (!baseStock(t, vsw.attrs.zoneId) || isSoldOut(s.account.faults, t.id, vsw.attrs.zoneId))
              fail(
                'OperationDenied.NoStock',
                `The instance type ${t.id} is out of stock in ${vsw.attrs.zoneId}.`,
                403,
              );
            let expiresAt: number | null = null;
            if (req.chargeType === 'PostPaid') {
              requirePayAsYouGo(s.account);
              if (
                (await s.r.sumUnits('instance', req.regionId)) + t.vcpu >
                quotaLimit(s.account, 'ecs.postpaid-vcpus')
              )
                fail(
                  'QuotaExceed.ElasticQuota',
                  'The pay-as-you-go vCPUs of this region would exceed the quota.',
                  403,
                );
            } else if (req.chargeType === 'PrePaid') {
              const months = req.period?.months ?? 0;
              if (!SUBSCRIPTION_MONTHS.includes(months))
                fail('InvalidPeriod.ValueNotSupported', `A subscription of ${months} months is not offered.`);
              if (req.deletionProtection)
                fail(
                  'InvalidParameter.DeletionProtection',
                  'Deletion protection is for pay-as-you-go instances only.',
                );
              await charge(s, subscriptionFeeCny(t.id, months));
              expiresAt = s.now + months * MONTH_MS;
            } else {
              fail(
                'InvalidInstanceChargeType.ValueNotSupported',
                `The charge type ${String(req.chargeType)} is not supported.`,
              );
            }
            const privateIp = takeAddress(vsw);
            await s.r.update(vsw);
            const id = cloudId('i', idPrefixOf(req.regionId));
            const pending = lat.delayMs('instance.pending', id);
            const starting =
              lat.delayMs('instance.starting', id) +
              (t.category === 'fpga' || t.accelerator.count > 0 ? lat.delayMs('instance.gpu', id) : 0);
            return {
              kind: 'instance',
              id,
              regionId: req.regionId,
              name: req.name,
              parentId: vsw.id,
              refs: [...req.securityGroupIds, ...(keyPair ? [keyPair.id] : [])],
              units: req.chargeType === 'PostPaid' ? t.vcpu : 0,
              timeline: [
                { status: 'Pending', at: s.now },
                { status: 'Starting', at: s.now + pending },
                { status: 'Running', at: s.now + pending + starting },
              ],
              attrs: {
                zoneId: vsw.attrs.zoneId,
                vpcId: vsw.attrs.vpcId,
                vswitchId: vsw.id,
                securityGroupIds: [...req.securityGroupIds],
                instanceType: t.id,
                imageId: req.imageId,
                privateIp,
                name: req.name,
                hostName: req.hostName ?? `iZ${id.slice(2)}Z`,
                chargeType: req.chargeType,
                expiresAt,
                deletionProtection: req.deletionProtection,
                keyPairName: req.keyPairName ?? null,
                passwordSet: Boolean(req.password),
                systemDisk: { ...req.systemDisk },
                dataDisks: req.dataDisks.map((d) => ({ ...d })),
                userData: req.userData,
                vcpu: t.vcpu,
              },
            };
          },
        );
        return toInstance(row, s.now);
      }),
    getInstance: (regionId, id) =>
      readOne(session, 'DescribeInstances', 'instance', regionId, id, toInstance),
    describeInstances: (regionId, filter = {}) =>
      session.read('DescribeInstances', async (r) =>
        (await r.list<InstanceAttrs>('instance', regionId))
          .filter((i) => filter.vpcId === undefined || i.attrs.vpcId === filter.vpcId)
          .filter(
            (i) =>
              !filter.tag ||
              i.tags.some((t: Tag) => t.key === filter.tag?.key && t.value === filter.tag.value),
          )
          .map((i) => toInstance(i, r.now)),
      ),
    modifyInstance: (regionId, id, changes) =>
      session.write('ModifyInstanceAttribute', async (s) => {
        const row = await instanceOrFail(s, regionId, id);
        const status = statusAt(row, s.now);
        const a = row.attrs;
        if (
          changes.userData !== undefined ||
          changes.keyPairName !== undefined ||
          changes.password !== undefined
        ) {
          if (status !== 'Stopped')
            fail(
              'IncorrectInstanceStatus',
              `The instance ${id} must be Stopped to change user data or login.`,
              403,
            );
        }
        if (changes.deletionProtection !== undefined) {
          if (changes.deletionProtection && a.chargeType === 'PrePaid')
            fail(
              'InvalidParameter.DeletionProtection',
              'Deletion protection is for pay-as-you-go instances only.',
            );
          a.deletionProtection = changes.deletionProtection;
        }
        if (changes.userData !== undefined) {
          if (Buffer.byteLength(changes.userData, 'utf8') > 32 * 1024)
            fail('InvalidUserData.SizeExceeded', 'User data is larger than 32 KiB.');
          a.userData = changes.userData;
        }
        if (changes.securityGroupIds !== undefined) {
          for (const sgId of changes.securityGroupIds) {
            const sg = await s.r.get<{ vpcId: string }>('security-group', sgId);
            if (!sg || sg.attrs.vpcId !== a.vpcId)
              fail(
                'InvalidSecurityGroupId.NotFound',
                `The security group ${sgId} is not in the instance's VPC.`,
                404,
              );
          }
          a.securityGroupIds = [...changes.securityGroupIds];
        }
        if (changes.keyPairName !== undefined) {
          if (changes.keyPairName !== null && !(await s.r.byName('key-pair', regionId, changes.keyPairName)))
            fail('InvalidKeyPairName.NotFound', `The key pair ${changes.keyPairName} does not exist.`, 404);
          a.keyPairName = changes.keyPairName;
        }
        if (changes.password !== undefined && changes.password !== null) {
          checkPassword(changes.password);
          a.passwordSet = true;
        }
        if (changes.removeTags !== undefined) {
          const gone = new Set(changes.removeTags);
          row.tags = row.tags.filter((t) => !gone.has(t.key));
        }
        if (changes.tags !== undefined) {
          const keys = new Set(changes.tags.map((t) => t.key));
          row.tags = [...row.tags.filter((t) => !keys.has(t.key)), ...changes.tags.map((t) => ({ ...t }))];
          if (row.tags.length > 20) fail('InvalidParameter.TagCount', 'At most 20 tags per resource.');
        }
        const keyPair = a.keyPairName ? await s.r.byName('key-pair', regionId, a.keyPairName) : undefined;
        row.refs = [...a.securityGroupIds, ...(keyPair ? [keyPair.id] : [])];
        await s.r.update(row);
      }),
    stopInstance: (regionId, id) =>
      session.write('StopInstances', async (s) => {
        const row = await instanceOrFail(s, regionId, id);
        const status = statusAt(row, s.now);
        if (status === 'Stopped' || status === 'Stopping') return;
        if (status !== 'Running') fail('IncorrectInstanceStatus', `The instance ${id} is ${status}.`, 403);
        retime(row, s.now, [
          { status: 'Stopping', at: s.now },
          { status: 'Stopped', at: s.now + lat.delayMs('instance.stopping', `${id}:${s.now}`) },
        ]);
        await s.r.update(row);
      }),
    startInstance: (regionId, id) =>
      session.write('StartInstances', async (s) => {
        const row = await instanceOrFail(s, regionId, id);
        const status = statusAt(row, s.now);
        if (status === 'Running' || status === 'Starting') return;
        if (status !== 'Stopped') fail('IncorrectInstanceStatus', `The instance ${id} is ${status}.`, 403);
        retime(row, s.now, [
          { status: 'Starting', at: s.now },
          { status: 'Running', at: s.now + lat.delayMs('instance.starting-again', `${id}:${s.now}`) },
        ]);
        await s.r.update(row);
      }),
    replaceSystemDisk: (regionId, id, imageId) =>
      session.write('ReplaceSystemDisk', async (s) => {
        const row = await instanceOrFail(s, regionId, id);
        const status = statusAt(row, s.now);
        if (status !== 'Stopped')
          fail('IncorrectInstanceStatus', `The instance ${id} must be Stopped, not ${status}.`, 403);
        if (!IMAGES.some((i) => i.imageId === imageId))
          fail('InvalidImageId.NotFound', `The image ${imageId} does not exist.`, 404);
        row.attrs.imageId = imageId;
        await s.r.update(row);
      }),
    convertToSubscription: (regionId, instanceIds, period) =>
      session.write('ModifyInstanceChargeType', async (s) => {
        if (instanceIds.length < 1 || instanceIds.length > 20)
          fail('InvalidParameter.InstanceIds', 'Give 1 to 20 instance ids.');
        if (!SUBSCRIPTION_MONTHS.includes(period.months))
          fail(
            'InvalidPeriod.ValueNotSupported',
            `A subscription of ${period.months} months is not offered.`,
          );
        const rows = [];
        // An id listed twice is converted (and charged) once.
        for (const id of new Set(instanceIds)) {
          const row = await instanceOrFail(s, regionId, id);
          if (row.attrs.chargeType === 'PrePaid')
            fail('InvalidChargeType.ValueNotSupported', `The instance ${id} is already a subscription.`, 403);
          const status = statusAt(row, s.now);
          if (status !== 'Running' && status !== 'Stopped')
            fail('IncorrectInstanceStatus', `The instance ${id} is ${status}.`, 403);
          rows.push(row);
        }
        const fee =
          Math.round(
            rows.reduce((n, r) => n + subscriptionFeeCny(r.attrs.instanceType, period.months), 0) * 100,
          ) / 100;
        await charge(s, fee);
        for (const row of rows) {
          row.attrs.chargeType = 'PrePaid';
          row.attrs.expiresAt = s.now + period.months * MONTH_MS;
          row.attrs.deletionProtection = false;
          row.units = 0;
          await s.r.update(row);
        }
        return { feeCny: fee };
      }),
    deleteInstance: (regionId, id, options = {}) =>
      session.write('DeleteInstance', async (s) => {
        const row = await instanceOrFail(s, regionId, id);
        const a = row.attrs;
        if (a.deletionProtection)
          fail(
            'InvalidOperation.DeletionProtection',
            `The instance ${id} has deletion protection on; turn it off first.`,
            403,
          );
        if (a.chargeType === 'PrePaid' && (a.expiresAt ?? 0) > s.now)
          fail('ChargeTypeViolation', `The subscription instance ${id} has not expired.`, 403);
        const status = statusAt(row, s.now);
        if (status === 'Pending' || status === 'Starting')
          fail('IncorrectInstanceStatus.Initializing', `The instance ${id} is still ${status}.`, 403);
        if (status === 'Running' && !options.force)
          fail(
            'IncorrectInstanceStatus',
            `The instance ${id} is Running; stop it or delete with force.`,
            403,
          );
        const [route] = await s.r.referrers(id, 'route-entry');
        if (route)
          fail('DependencyViolation.RouteEntry', `The route entry ${route.id} still points at ${id}.`);
        await returnAddress(s, a.vswitchId, a.privateIp);
        await markDeleted(s, row, lat.delayMs('instance.delete', id));
      }),
  };
}
