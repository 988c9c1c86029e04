// Who is calling: ACS3-HMAC-SHA256 signed requests verified against the caller's access key (sealed
// at rest), with the date checked for skew and the nonce for replay; tenants, users and access keys.
import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import { isUniqueViolation, type Db, type Queryable } from '../store/db.js';
import type { SecretBox } from '../store/secret-box.js';
import { parseAuthorization, sha256Hex, signature, signaturesEqual, signedHeaderMap } from './acs3.js';
import { HttpError, type Request } from './http.js';
import type { Sessions } from './sessions.js';

/** Requests dated further than this from the server's clock are refused (and nonces kept this long). */
export const MAX_SKEW_MS = 15 * 60 * 1000;

export interface Principal {
  readonly tenantId: string;
  readonly userId: string;
  readonly accessKeyId: string;
  /** The tenant's account at the cloud provider (the emulator's access key id). */
  readonly cloudAccessKeyId: string;
}

const REQUIRED = ['host', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'];

function unauthorized(reason: string): HttpError {
  return new HttpError(401, 'API_UNAUTHORIZED', { scheme: `ACS3-HMAC-SHA256 signed request: ${reason}` });
}

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64url')}$${scryptSync(password, salt, 32).toString('base64url')}`;
}

export function checkPassword(password: string, stored: string): boolean {
  const [kind, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const got = scryptSync(password, Buffer.from(salt, 'base64url'), expected.length);
  return timingSafeEqual(expected, got);
}

export class Authenticator {
  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly now: () => number = () => Date.now(),
    /** Console sessions; when given, a request with a session cookie and no signature is accepted. */
    private readonly sessions?: Sessions,
  ) {}

  /**
   * Verifies the request's signature over its raw path, query, signed headers and body; or, for
   * the console, its session cookie (and CSRF token when it changes something).
   */
  async verify(req: Request, rawBody: Buffer): Promise<Principal> {
    if (this.sessions?.carriesSession(req)) return this.sessions.principal(req);
    const auth = parseAuthorization(String(req.headers.authorization ?? ''));
    if (!auth) throw unauthorized('missing or malformed Authorization header');
    for (const h of REQUIRED) if (!auth.signedHeaders.includes(h)) throw unauthorized(`${h} must be signed`);
    const signed = signedHeaderMap(
      Object.fromEntries(auth.signedHeaders.map((h) => [h, req.headers[h] as string | string[] | undefined])),
    );
    if (signed.size !== auth.signedHeaders.length) throw unauthorized('a signed header is missing');
    const payloadHash = String(req.headers['x-acs-content-sha256'] ?? '');
    if (payloadHash !== sha256Hex(rawBody))
      throw unauthorized('x-acs-content-sha256 does not match the body');
    const date = Date.parse(String(req.headers['x-acs-date'] ?? ''));
    if (!Number.isFinite(date) || Math.abs(this.now() - date) > MAX_SKEW_MS)
      throw unauthorized('x-acs-date is missing or more than 15 minutes from the server clock');
    const key = await this.db.one<{
      user_id: string;
      tenant_id: string;
      secret_sealed: string;
      cloud: string;
    }>(
      `SELECT k.user_id, k.tenant_id, k.secret_sealed, t.cloud_access_key_id AS cloud FROM access_keys k
       JOIN tenants t ON t.id = k.tenant_id WHERE k.id = $1 AND k.status = 'active'`,
      [auth.accessKeyId],
    );
    // The same answer for an unknown key and a wrong signature, so keys cannot be probed.
    if (!key) throw unauthorized('the signature does not match');
    const secret = this.box.open(key.secret_sealed, `access-key/${auth.accessKeyId}`);
    const expected = signature(secret, {
      method: req.method,
      path: req.rawPath,
      query: req.rawQuery,
      headers: signed,
      payloadHash,
    });
    if (!signaturesEqual(expected, auth.signature)) throw unauthorized('the signature does not match');
    await this.useNonce(String(req.headers['x-acs-signature-nonce']));
    return {
      tenantId: key.tenant_id,
      userId: key.user_id,
      accessKeyId: auth.accessKeyId,
      cloudAccessKeyId: key.cloud,
    };
  }

  /** A nonce is good once within the skew window; older ones are forgotten. */
  private async useNonce(nonce: string): Promise<void> {
    if (nonce.length < 8 || nonce.length > 128)
      throw unauthorized('x-acs-signature-nonce must be 8 to 128 characters');
    const now = this.now();
    try {
      await this.db.run('INSERT INTO request_nonces (nonce, seen_at) VALUES ($1, $2)', [nonce, now]);
    } catch (e) {
      if (isUniqueViolation(e)) throw unauthorized('the nonce was already used (replay)');
      throw e;
    }
    if (Math.random() < 0.01)
      await this.db.run('DELETE FROM request_nonces WHERE seen_at < $1', [now - 2 * MAX_SKEW_MS]);
  }

  /** A new access key for a user; the secret is returned here once and stored only sealed. */
  async issueAccessKey(
    q: Queryable,
    tenantId: string,
    userId: string,
    given?: { id: string; secret: string },
  ): Promise<{ id: string; secret: string }> {
    const id = given?.id ?? `KR${randomBytes(12).toString('hex').toUpperCase()}`;
    const secret = given?.secret ?? randomBytes(24).toString('base64url');
    await q.run(
      `INSERT INTO access_keys (id, user_id, tenant_id, secret_sealed, status, created_at) VALUES ($1, $2, $3, $4, 'active', $5)`,
      [id, userId, tenantId, this.box.seal(secret, `access-key/${id}`), this.now()],
    );
    return { id, secret };
  }

  /** Creates a tenant with its admin user; the caller issues the user's first access key. */
  async createTenant(
    q: Queryable,
    name: string,
    cloudAccessKeyId: string,
    adminPassword?: string,
  ): Promise<{ tenantId: string; userId: string }> {
    const tenantId = `t-${randomUUID()}`;
    const userId = `u-${randomUUID()}`;
    const now = this.now();
    await q.run('INSERT INTO tenants (id, name, cloud_access_key_id, created_at) VALUES ($1, $2, $3, $4)', [
      tenantId,
      name,
      cloudAccessKeyId,
      now,
    ]);
    await q.run(
      `INSERT INTO users (id, tenant_id, name, password_hash, role, created_at) VALUES ($1, $2, 'admin', $3, 'admin', $4)`,
      [userId, tenantId, adminPassword ? hashPassword(adminPassword) : null, now],
    );
    return { tenantId, userId };
  }
}
