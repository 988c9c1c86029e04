// The audit log of mutating calls (issue 8): who (tenant, user), what (an action name), on what
// (a cluster id or other target), how it ended (the HTTP status) and the request id; never a body.
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.js';
import type { Principal } from './auth.js';
import { errorReply, type Reply, type Request } from './http.js';

export async function audit(
  db: Db,
  who: Pick<Principal, 'tenantId' | 'userId'> | null,
  action: string,
  target: string | null,
  status: number,
  requestId: string,
): Promise<void> {
  await db.run(
    `INSERT INTO audit_log (id, at, tenant_id, user_id, action, target, status, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [randomUUID(), Date.now(), who?.tenantId ?? null, who?.userId ?? null, action, target, status, requestId],
  );
}

/**
 * Runs `fn` and records the call with the status it ended with, a failure's status included. `statusOf`
 * reads the status off a reply (the ACK facade answers errors as replies, not exceptions).
 */
export async function audited(
  db: Db,
  req: Request,
  who: Pick<Principal, 'tenantId' | 'userId'> | null,
  action: string,
  target: string | null,
  fn: () => Promise<Reply>,
): Promise<Reply> {
  let status = 500;
  try {
    const reply = await fn();
    status = reply.status;
    return reply;
  } catch (e) {
    status = errorReply(e, req.requestId, () => undefined).status;
    throw e;
  } finally {
    await audit(db, who, action, target, status, req.requestId);
  }
}
