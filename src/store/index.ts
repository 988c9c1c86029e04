// The store layer: one async query interface (db), its SQLite and PostgreSQL adapters, the choice
// between them from configuration (open), and named schema migrations (migrate).
export * from './db.js';
export * from './sqlite.js';
export * from './postgres.js';
export * from './open.js';
export * from './migrate.js';
