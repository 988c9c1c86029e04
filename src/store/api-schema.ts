// The API's tables: tenants (each with its cloud account), users, access keys (secret sealed at
// rest), the nonces of signed requests (replay protection), the audit log of mutating calls, and
// console sessions (the token stored as a hash) with failed sign-ins for throttling.
import type { Migration } from './migrate.js';

export const API_MIGRATIONS: readonly Migration[] = [
  {
    id: '0001-tenancy',
    sql: `
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  cloud_access_key_id TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  password_hash TEXT,
  role TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, name)
);
CREATE TABLE access_keys (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  secret_sealed TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE request_nonces (
  nonce TEXT PRIMARY KEY,
  seen_at BIGINT NOT NULL
);
CREATE INDEX request_nonces_seen ON request_nonces (seen_at);
CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,
  at BIGINT NOT NULL,
  tenant_id TEXT,
  user_id TEXT,
  action TEXT NOT NULL,
  target TEXT,
  status INTEGER NOT NULL,
  request_id TEXT NOT NULL
);
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, at);
`,
  },
  {
    id: '0002-console-sessions',
    sql: `
CREATE TABLE sessions (
  token_sha256 TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE TABLE login_failures (
  username TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (username, at);
`,
  },
];
