// First start (issue 8's start-up contract): a default tenant on the default emulator account, its
// `admin` user (console password from KUBERACK_BOOTSTRAP_ADMIN_PASSWORD) and an access key, given by
// KUBERACK_BOOTSTRAP_ACCESS_KEY_ID/_SECRET or generated, printed once and kept in the data directory.
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
  const issued = await db.transaction(async (q) => {
    if (await q.one('SELECT id FROM tenants LIMIT 1')) return null;
    const { tenantId, userId } = await auth.createTenant(
      q,
      'default',
      config.emulatorAccessKeyId,
      env.KUBERACK_BOOTSTRAP_ADMIN_PASSWORD,
    );
    return auth.issueAccessKey(q, tenantId, userId, given);
  });
  if (!issued || given) return;
  const file = join(config.dataDir, 'admin-access-key.json');
  writeFileSync(file, `${JSON.stringify({ accessKeyId: issued.id, accessKeySecret: issued.secret })}\n`, {
    mode: 0o600,
  });
  out(`created the default tenant; admin access key ${issued.id} (secret shown once): ${issued.secret}`);
  out(`  also saved to ${file} (mode 0600)`);
}
