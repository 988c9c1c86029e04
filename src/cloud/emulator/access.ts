// Emulated RAM (global, not regional): users, custom policies and their attachments, access keys whose
// secret is shown once; deletes refuse while something still depends on the entity, as RAM does.
import { createHash } from 'node:crypto';
import type { AccessKey, IssuedAccessKey, Provider, RamPolicy, RamUser } from '../provider.js';
import { randomDigits, randomText } from './random.js';
import type { Row } from './records.js';
import {
  checkCreateOptions,
  fail,
  insertRow,
  markDeleted,
  quotaLimit,
  type Session,
  type WriteScope,
} from './session.js';

/** RAM has no regions; its rows use this region id. */
export const GLOBAL = 'global';

interface UserAttrs {
  comments: string;
}
interface PolicyAttrs {
  document: string;
  attachedUsers: string[];
}
interface AccessKeyAttrs {
  userName: string;
  secretSha256: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function toUser(row: Row<UserAttrs>): RamUser {
  return { id: row.id, name: row.name ?? '', comments: row.attrs.comments, tags: row.tags };
}
function toPolicy(row: Row<PolicyAttrs>): RamPolicy {
  return {
    name: row.name ?? '',
    document: row.attrs.document,
    attachedUsers: row.attrs.attachedUsers,
    tags: row.tags,
  };
}
function toKey(row: Row<AccessKeyAttrs>): AccessKey {
  return { id: row.id, userName: row.attrs.userName, status: 'Active' };
}

function checkRamName(kind: 'User' | 'Policy', name: string): void {
  const max = kind === 'User' ? 64 : 128;
  if (typeof name !== 'string' || !new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${max - 1}}$`).test(name))
    fail(`InvalidParameter.${kind}Name.InvalidChars`, `The ${kind.toLowerCase()} name is malformed.`);
}

async function userOrFail(s: { r: WriteScope['r'] }, name: string): Promise<Row<UserAttrs>> {
  const user = await s.r.byName<UserAttrs>('ram-user', GLOBAL, name);
  if (!user) fail('EntityNotExist.User', `The user ${name} does not exist.`, 404);
  return user;
}

async function policyOrFail(s: WriteScope, name: string): Promise<Row<PolicyAttrs>> {
  const policy = await s.r.byName<PolicyAttrs>('ram-policy', GLOBAL, name);
  if (!policy) fail('EntityNotExist.Policy', `The policy ${name} does not exist.`, 404);
  return policy;
}

export type AccessOps = Pick<
  Provider,
  | 'createRamUser'
  | 'getRamUser'
  | 'deleteRamUser'
  | 'createRamPolicy'
  | 'getRamPolicy'
  | 'deleteRamPolicy'
  | 'attachPolicyToUser'
  | 'detachPolicyFromUser'
  | 'createAccessKey'
  | 'listAccessKeys'
  | 'deleteAccessKey'
>;

export function accessOps(session: Session): AccessOps {
  return {
    createRamUser: (req, opts) =>
      session.write('CreateUser', async (s) => {
        checkCreateOptions(opts);
        checkRamName('User', req.name);
        if (typeof req.comments !== 'string' || req.comments.length > 128)
          fail('InvalidParameter.Comments.Length', 'Comments are at most 128 characters.');
        if (await s.r.byName('ram-user', GLOBAL, req.name))
          fail('EntityAlreadyExists.User', `The user ${req.name} already exists.`, 409);
        if ((await s.r.count('ram-user', GLOBAL)) >= quotaLimit(s.account, 'ram.users'))
          fail('LimitExceeded.User', 'The number of RAM users has reached the quota.', 409);
        const row = await insertRow<UserAttrs>(
          s,
          {
            kind: 'ram-user',
            id: randomDigits(16),
            regionId: GLOBAL,
            name: req.name,
            timeline: [{ status: 'Active', at: s.now }],
            attrs: { comments: req.comments },
          },
          opts.tags,
        );
        return toUser(row);
      }),
    getRamUser: (name) =>
      session.read('GetUser', async (r) => {
        const row = await r.byName<UserAttrs>('ram-user', GLOBAL, name);
        return row ? toUser(row) : null;
      }),
    deleteRamUser: (name) =>
      session.write('DeleteUser', async (s) => {
        const user = await userOrFail(s, name);
        if ((await s.r.count('ram-access-key', GLOBAL, user.id)) > 0)
          fail('DeleteConflict.User.AccessKey', `The user ${name} still has access keys.`, 409);
        if ((await s.r.referrers(user.id, 'ram-policy')).length > 0)
          fail('DeleteConflict.User.Policy', `The user ${name} still has policies attached.`, 409);
        await markDeleted(s, user, 0);
      }),
    createRamPolicy: (req, opts) =>
      session.write('CreatePolicy', async (s) => {
        checkCreateOptions(opts);
        checkRamName('Policy', req.name);
        if (typeof req.document !== 'string' || req.document.length > 6144)
          fail(
            'InvalidParameter.PolicyDocument.Length',
            'The policy document is longer than 6,144 characters.',
          );
        try {
          const doc = JSON.parse(req.document) as { Version?: unknown; Statement?: unknown };
          if (doc.Version !== '1' || !Array.isArray(doc.Statement) || doc.Statement.length === 0)
            throw new Error();
        } catch {
          fail('InvalidParameter.PolicyDocument.Format', 'The policy document is not a valid RAM policy.');
        }
        if (await s.r.byName('ram-policy', GLOBAL, req.name))
          fail('EntityAlreadyExists.Policy', `The policy ${req.name} already exists.`, 409);
        if ((await s.r.count('ram-policy', GLOBAL)) >= 1500)
          fail('LimitExceeded.Policy', 'The number of custom policies has reached the quota.', 409);
        const row = await insertRow<PolicyAttrs>(
          s,
          {
            kind: 'ram-policy',
            id: `policy-${randomText('0123456789abcdef', 16)}`,
            regionId: GLOBAL,
            name: req.name,
            timeline: [{ status: 'Active', at: s.now }],
            attrs: { document: req.document, attachedUsers: [] },
          },
          opts.tags,
        );
        return toPolicy(row);
      }),
    getRamPolicy: (name) =>
      session.read('GetPolicy', async (r) => {
        const row = await r.byName<PolicyAttrs>('ram-policy', GLOBAL, name);
        return row ? toPolicy(row) : null;
      }),
    deleteRamPolicy: (name) =>
      session.write('DeletePolicy', async (s) => {
        const policy = await policyOrFail(s, name);
        if (policy.attrs.attachedUsers.length > 0)
          fail('DeleteConflict.Policy.User', `The policy ${name} is still attached to a user.`, 409);
        await markDeleted(s, policy, 0);
      }),
    attachPolicyToUser: (req) =>
      session.write('AttachPolicyToUser', async (s) => {
        const policy = await policyOrFail(s, req.policyName);
        const user = await userOrFail(s, req.userName);
        if (policy.attrs.attachedUsers.includes(req.userName)) return;
        const attached = await s.r.referrers(user.id, 'ram-policy');
        if (attached.length >= 10)
          fail('LimitExceeded.User.Policy', 'A user has at most 10 custom policies.', 409);
        policy.attrs.attachedUsers = [...policy.attrs.attachedUsers, req.userName];
        policy.refs = [...policy.refs, user.id];
        await s.r.update(policy);
      }),
    detachPolicyFromUser: (req) =>
      session.write('DetachPolicyFromUser', async (s) => {
        const policy = await policyOrFail(s, req.policyName);
        if (!policy.attrs.attachedUsers.includes(req.userName))
          fail(
            'EntityNotExist.User.Policy',
            `The policy ${req.policyName} is not attached to ${req.userName}.`,
            404,
          );
        const user = await userOrFail(s, req.userName);
        policy.attrs.attachedUsers = policy.attrs.attachedUsers.filter((u) => u !== req.userName);
        policy.refs = policy.refs.filter((id) => id !== user.id);
        await s.r.update(policy);
      }),
    createAccessKey: (userName) =>
      session.write('CreateAccessKey', async (s): Promise<IssuedAccessKey> => {
        const user = await userOrFail(s, userName);
        if ((await s.r.count('ram-access-key', GLOBAL, user.id)) >= 2)
          fail('LimitExceeded.User.AccessKey', `The user ${userName} already has two access keys.`, 409);
        const secret = randomText(ALNUM, 30);
        const row = await insertRow<AccessKeyAttrs>(
          s,
          {
            kind: 'ram-access-key',
            id: `LTAI${randomText(ALNUM, 20)}`,
            regionId: GLOBAL,
            parentId: user.id,
            timeline: [{ status: 'Active', at: s.now }],
            attrs: { userName, secretSha256: createHash('sha256').update(secret).digest('hex') },
          },
          user.tags,
        );
        return { ...toKey(row), secret };
      }),
    listAccessKeys: (userName) =>
      session.read('ListAccessKeys', async (r) => {
        const user = await userOrFail({ r }, userName);
        return (await r.list<AccessKeyAttrs>('ram-access-key', GLOBAL, user.id)).map(toKey);
      }),
    deleteAccessKey: (req) =>
      session.write('DeleteAccessKey', async (s) => {
        const key = await s.r.get<AccessKeyAttrs>('ram-access-key', req.accessKeyId);
        if (!key || key.attrs.userName !== req.userName)
          fail('EntityNotExist.User.AccessKey', `The access key ${req.accessKeyId} does not exist.`, 404);
        await markDeleted(s, key, 0);
      }),
  };
}
