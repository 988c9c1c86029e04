// The emulated cloud's tables, in the same database as everything else, so a restart keeps the cloud
// as it was. One generic resource table: kind-specific attributes are JSON, states are a timeline, and
// emu_refs indexes which resource uses which (the dependency checks of deletes).
import type { Migration } from '../../store/migrate.js';

export const EMULATOR_MIGRATIONS: readonly Migration[] = [
  {
    id: '0001-emulator',
    sql: `
CREATE TABLE emu_accounts (
  account_id TEXT PRIMARY KEY,
  access_key_id TEXT NOT NULL UNIQUE,
  secret_sha256 TEXT NOT NULL,
  balance_cents BIGINT NOT NULL,
  real_name INTEGER NOT NULL,
  quotas TEXT NOT NULL,
  allowlists TEXT NOT NULL,
  resource_groups TEXT NOT NULL,
  faults TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE emu_resources (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES emu_accounts (account_id),
  region_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  parent_id TEXT,
  name TEXT,
  client_token TEXT,
  request_hash TEXT,
  owner_cluster TEXT,
  owner_step TEXT,
  tags TEXT NOT NULL,
  timeline TEXT NOT NULL,
  attrs TEXT NOT NULL,
  refs TEXT NOT NULL,
  units BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  gone_at BIGINT
);
CREATE TABLE emu_refs (
  from_id TEXT NOT NULL,
  to_id TEXT NOT NULL,
  PRIMARY KEY (to_id, from_id)
);
CREATE INDEX emu_refs_from ON emu_refs (from_id);
CREATE UNIQUE INDEX emu_resources_token ON emu_resources (account_id, kind, client_token)
  WHERE client_token IS NOT NULL;
CREATE INDEX emu_resources_kind ON emu_resources (account_id, kind, region_id, gone_at);
CREATE INDEX emu_resources_parent ON emu_resources (parent_id);
CREATE INDEX emu_resources_owner ON emu_resources (account_id, owner_cluster);
CREATE INDEX emu_resources_name ON emu_resources (account_id, kind, name);
CREATE TABLE emu_quota_requests (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES emu_accounts (account_id),
  quota TEXT NOT NULL,
  requested_limit BIGINT NOT NULL,
  reason TEXT NOT NULL,
  state TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  decided_at BIGINT
);
`,
  },
];
