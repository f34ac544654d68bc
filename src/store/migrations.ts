/**
 * Schema migrations, applied once each in this order and recorded by name in `migrations`.
 * Never edit a migration that has shipped: append a new one with a new, unique name.
 */
export interface Migration {
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    name: '0001-complaints',
    sql: `
      CREATE TABLE complaints (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        complaint_id TEXT NOT NULL UNIQUE,
        received_at INTEGER NOT NULL,
        customer_id TEXT NOT NULL,
        cell_id TEXT,
        district TEXT,
        incident_id TEXT,
        processed INTEGER NOT NULL DEFAULT 0,
        doc TEXT NOT NULL,
        link TEXT,
        triage TEXT
      );
      CREATE INDEX complaints_received ON complaints (received_at DESC, complaint_id DESC);
      CREATE INDEX complaints_incident ON complaints (incident_id, received_at DESC);
      CREATE INDEX complaints_customer ON complaints (customer_id, received_at DESC);
      CREATE INDEX complaints_unprocessed ON complaints (seq) WHERE processed = 0;
    `,
  },
  {
    name: '0002-incidents',
    sql: `
      CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        region TEXT NOT NULL,
        opened_at INTEGER NOT NULL,
        resolved_at INTEGER,
        updated_at INTEGER NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE INDEX incidents_opened ON incidents (opened_at DESC, id DESC);
      CREATE INDEX incidents_state ON incidents (state, opened_at DESC);
      CREATE INDEX incidents_region ON incidents (region, opened_at DESC);
    `,
  },
  {
    name: '0003-rejects-checkpoints-cells-meta',
    sql: `
      CREATE TABLE rejects (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        feed TEXT NOT NULL,
        idx INTEGER NOT NULL,
        error TEXT NOT NULL,
        record TEXT
      );
      CREATE TABLE checkpoints (
        name TEXT PRIMARY KEY,
        saved_at INTEGER NOT NULL,
        data BLOB NOT NULL
      );
      CREATE TABLE cells (
        cell_id TEXT PRIMARY KEY,
        doc TEXT NOT NULL
      );
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    name: '0004-pm-xml-processed-files',
    sql: `
      CREATE TABLE processed_files (
        name TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL,
        events INTEGER NOT NULL,
        sha256 TEXT,
        reason TEXT,
        started_at INTEGER NOT NULL,
        finished_at INTEGER
      );
      CREATE INDEX processed_files_finished ON processed_files (finished_at) WHERE state != 'processing';
    `,
  },
  {
    name: '0005-tickets',
    sql: `
      CREATE TABLE tickets (
        id TEXT PRIMARY KEY,
        incident_id TEXT NOT NULL,
        state TEXT NOT NULL,
        department TEXT NOT NULL,
        class TEXT NOT NULL,
        region TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        closed_at INTEGER,
        stale INTEGER NOT NULL DEFAULT 0,
        version INTEGER NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE INDEX tickets_created ON tickets (created_at DESC, id DESC);
      CREATE INDEX tickets_state ON tickets (state, created_at DESC);
      CREATE INDEX tickets_department ON tickets (department, created_at DESC);
      CREATE INDEX tickets_incident ON tickets (incident_id);`,
  },
  {
    name: '0006-ticketing-outbox',
    sql: `
      CREATE TABLE ticketing_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        ticket_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        change TEXT NOT NULL,
        note TEXT,
        ticket_json TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        enqueued_at INTEGER NOT NULL,
        delivered_at INTEGER,
        last_status INTEGER,
        last_error TEXT
      );
      CREATE INDEX ticketing_outbox_waiting ON ticketing_outbox (state, next_attempt_at);
      CREATE INDEX ticketing_outbox_ticket ON ticketing_outbox (ticket_id, version);
      CREATE TABLE ticketing_refs (
        ticket_id TEXT NOT NULL,
        system TEXT NOT NULL,
        ref TEXT NOT NULL,
        PRIMARY KEY (ticket_id, system)
      );`,
  },
  {
    name: '0007-ticket-callbacks',
    sql: `
      CREATE TABLE ticket_callbacks (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        complaint_id TEXT NOT NULL UNIQUE,
        customer_id TEXT NOT NULL,
        ticket_id TEXT NOT NULL,
        verified_at INTEGER NOT NULL,
        state TEXT NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE INDEX ticket_callbacks_customer ON ticket_callbacks (customer_id, verified_at);
      CREATE INDEX ticket_callbacks_verified ON ticket_callbacks (verified_at);
      CREATE INDEX ticket_callbacks_state ON ticket_callbacks (state, seq);
      CREATE TABLE dissatisfied_customers (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        dedup TEXT NOT NULL UNIQUE,
        customer_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE INDEX dissatisfied_customers_at ON dissatisfied_customers (at);`,
  },
  {
    name: '0008-checkpoint-files',
    // Checkpoint bytes move to files (a province's detector state is ~1 GB); the table says which
    // file holds the last complete save. Earlier inline checkpoints are dropped: baselines relearn.
    sql: `
      DROP TABLE checkpoints;
      CREATE TABLE checkpoints (
        name TEXT PRIMARY KEY,
        saved_at INTEGER NOT NULL,
        file TEXT NOT NULL,
        bytes INTEGER NOT NULL
      );`,
  },
];
