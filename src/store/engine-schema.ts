// The engine's tables: clusters with their plan, one row per plan step (the resource ledger: state,
// cloud ids, outputs, lease), tasks and events as ACK reports them, encrypted secrets, and nodes.
import type { Migration } from './migrate.js';

export const ENGINE_MIGRATIONS: readonly Migration[] = [
  {
    id: '0001-engine',
    sql: `
CREATE TABLE clusters (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  name TEXT NOT NULL,
  region_id TEXT NOT NULL,
  access_key_id TEXT NOT NULL,
  state TEXT NOT NULL,
  spec TEXT NOT NULL,
  graph TEXT NOT NULL,
  deletion_protection INTEGER NOT NULL,
  disable_rollback INTEGER NOT NULL,
  error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX clusters_state ON clusters (state);
CREATE INDEX clusters_tenant ON clusters (tenant_id, created_at);
CREATE TABLE steps (
  cluster_id TEXT NOT NULL REFERENCES clusters (id),
  step_key TEXT NOT NULL,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  memory TEXT NOT NULL,
  outputs TEXT,
  attempts INTEGER NOT NULL,
  next_at BIGINT NOT NULL,
  lease_owner TEXT,
  lease_until BIGINT,
  waiting_for TEXT,
  error TEXT,
  started_at BIGINT,
  finished_at BIGINT,
  PRIMARY KEY (cluster_id, step_key)
);
CREATE TABLE tasks (
  id TEXT PRIMARY KEY,
  cluster_id TEXT NOT NULL REFERENCES clusters (id),
  type TEXT NOT NULL,
  state TEXT NOT NULL,
  error TEXT,
  created_at BIGINT NOT NULL,
  finished_at BIGINT
);
CREATE INDEX tasks_cluster ON tasks (cluster_id, created_at);
CREATE TABLE events (
  id TEXT PRIMARY KEY,
  cluster_id TEXT NOT NULL,
  task_id TEXT,
  at BIGINT NOT NULL,
  step_key TEXT,
  type TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX events_cluster ON events (cluster_id, id);
CREATE TABLE secrets (
  cluster_id TEXT NOT NULL,
  name TEXT NOT NULL,
  ciphertext TEXT NOT NULL,
  PRIMARY KEY (cluster_id, name)
);
CREATE TABLE nodes (
  cluster_id TEXT NOT NULL,
  step_key TEXT NOT NULL,
  token_sha256 TEXT NOT NULL UNIQUE,
  instance_id TEXT,
  node_name TEXT,
  private_ip TEXT,
  gpu_report TEXT,
  gpu_count INTEGER,
  registered_at BIGINT,
  last_seen_at BIGINT,
  PRIMARY KEY (cluster_id, step_key)
);
`,
  },
  {
    id: '0002-steps-task',
    // Steps added by a later task (a scale-out) name it, so that its rollback releases only them.
    sql: 'ALTER TABLE steps ADD COLUMN task_id TEXT',
  },
  {
    id: '0003-node-heartbeats',
    // The agent's machine facts, its heartbeat period, and the key of its identity and GPU set, so
    // that a heartbeat whose key is unchanged is one conditional UPDATE.
    sql: `
ALTER TABLE nodes ADD COLUMN node_info TEXT;
ALTER TABLE nodes ADD COLUMN heartbeat_ms BIGINT;
ALTER TABLE nodes ADD COLUMN report_key TEXT;
`,
  },
];
