// First start (issue 8's start-up contract): a default tenant on the default emulator account, its
// `admin` user and its access key and console password: given by KUBERACK_BOOTSTRAP_ACCESS_KEY_ID/
// _SECRET and KUBERACK_BOOTSTRAP_ADMIN_PASSWORD, or generated, printed once and kept in the data dir.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Authenticator } from '../api/auth.js';
import type { Db } from '../store/db.js';
import type { Config } from './config.js';

export async function bootstrapTenant(
  db: Db,
  auth: Authenticator,
  config: Config,
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
): Promise<void> {
  const given =
    env.KUBERACK_BOOTSTRAP_ACCESS_KEY_ID && env.KUBERACK_BOOTSTRAP_ACCESS_KEY_SECRET
      ? { id: env.KUBERACK_BOOTSTRAP_ACCESS_KEY_ID, secret: env.KUBERACK_BOOTSTRAP_ACCESS_KEY_SECRET }
      : undefined;
  const givenPassword = env.KUBERACK_BOOTSTRAP_ADMIN_PASSWORD || undefined;
  const password = givenPassword ?? randomBytes(12).toString('base64url');
  const issued = await db.transaction(async (q) => {
    if (await q.one('SELECT id FROM tenants LIMIT 1')) return null;
    const { tenantId, userId } = await auth.createTenant(q, 'default', config.emulatorAccessKeyId, password);
    return auth.issueAccessKey(q, tenantId, userId, given);
  });
  if (!issued || (given && givenPassword)) return;
  const file = join(config.dataDir, 'admin-access-key.json');
  const saved: Record<string, string> = {};
  if (!given) {
    Object.assign(saved, { accessKeyId: issued.id, accessKeySecret: issued.secret });
    out(`created the default tenant; admin access key ${issued.id} (secret shown once): ${issued.secret}`);
  }
  if (!givenPassword) {
    saved.consolePassword = password;
    out(`console sign-in: user admin, password (shown once): ${password}`);
  }
  writeFileSync(file, `${JSON.stringify(saved)}\n`, { mode: 0o600 });
  out(`  also saved to ${file} (mode 0600)`);
}
