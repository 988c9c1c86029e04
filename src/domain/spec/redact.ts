// Secrets stay secret: a copy of a spec with every secret field (SECRET_PATHS) replaced by a
// fixed marker, for responses, logs, events and stored plans.
import type { ClusterSpec } from './types.js';

export const REDACTED = '******';

export function redactSpec(spec: ClusterSpec): ClusterSpec {
  const login = spec.workers.login;
  if (login.type !== 'password') return spec;
  return {
    ...spec,
    workers: { ...spec.workers, login: { ...login, password: REDACTED, passwordConfirm: REDACTED } },
  };
}
