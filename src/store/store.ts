/**
 * The durable state of nocwatch, one sub-store per feature. `openSqliteStore` is the real one
 * (SQLite file under the data dir); `createMemoryStore` is the in-memory fake for tests.
 * `transaction` makes a group of writes atomic: everything in it commits together or not at all.
 */
import { z } from 'zod';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from './database.js';
import { MemoryCellStore, SqliteCellStore, type CellStore } from './cell-store.js';
import { MemoryCheckpointStore, SqliteCheckpointStore, type CheckpointStore } from './checkpoint-store.js';
import { MemoryComplaintStore, SqliteComplaintStore, type ComplaintStore } from './complaint-store.js';
import { MemoryIncidentStore, SqliteIncidentStore, type IncidentStore } from './incident-store.js';
import { MemoryMetaStore, SqliteMetaStore, type MetaStore } from './meta-store.js';
import { MemoryProcessedFileStore, SqliteProcessedFileStore, type ProcessedFileStore } from './processed-file-store.js';
import { MemoryRejectStore, SqliteRejectStore, type RejectStore } from './reject-store.js';
import { MemoryTicketStore, SqliteTicketStore, type TicketStore } from '../tickets/ticket-store.js';
import { MemoryCallbackStore, type CallbackStore } from '../tickets/callback-store.js';
import { SqliteCallbackStore } from '../tickets/sqlite-callback-store.js';
import { MemoryOutboxStore, type OutboxStore } from '../outputs/ticketing/outbox-store.js';
import { SqliteOutboxStore } from '../outputs/ticketing/sqlite-outbox-store.js';

export const storeConfigSchema = z.strictObject({
  /** File name under the data dir. */
  file: z.string().min(1).default('nocwatch.db'),
  /** `full` adds an fsync per commit to survive power loss; `normal` survives process crashes. */
  synchronous: z.enum(['normal', 'full']).default('normal'),
  /** Rejected records kept for `GET /api/v1/rejects`. */
  keepRejects: z.number().int().min(10).max(1_000_000).default(1000),
});
export type StoreConfig = z.infer<typeof storeConfigSchema>;

export interface Store {
  readonly complaints: ComplaintStore;
  readonly incidents: IncidentStore;
  readonly rejects: RejectStore;
  readonly checkpoints: CheckpointStore;
  readonly cells: CellStore;
  readonly meta: MetaStore;
  /** PM XML files already taken in (collectors/pm-xml). */
  readonly processedFiles: ProcessedFileStore;
  readonly tickets: TicketStore;
  /** Ticket versions waiting for (or done with) delivery to the ticketing system. */
  readonly outbox: OutboxStore;
  /** Callback tasks after verified fixes, and the dissatisfied-customer pool. */
  readonly callbacks: CallbackStore;
  /** Runs `fn` atomically; nested calls join the outer transaction. */
  transaction<T>(fn: () => T): T;
  /** A cheap check that the store answers (for /readyz). */
  healthy(): boolean;
  close(): void;
}

export class SqliteStore implements Store {
  readonly complaints: ComplaintStore;
  readonly incidents: IncidentStore;
  readonly rejects: RejectStore;
  readonly checkpoints: CheckpointStore;
  readonly cells: CellStore;
  readonly meta: MetaStore;
  readonly processedFiles: ProcessedFileStore;
  readonly tickets: TicketStore;
  readonly outbox: OutboxStore;
  readonly callbacks: CallbackStore;

  /**
   * `checkpointDir`: where checkpoint files go (under the data dir; a temp dir for in-memory
   * databases, which `close` removes with the database: `ownsCheckpointDir`).
   */
  constructor(readonly db: Db, config: StoreConfig, readonly checkpointDir: string, private readonly ownsCheckpointDir = false) {
    this.complaints = new SqliteComplaintStore(db);
    this.incidents = new SqliteIncidentStore(db);
    this.rejects = new SqliteRejectStore(db, config.keepRejects);
    this.checkpoints = new SqliteCheckpointStore(db, checkpointDir);
    this.cells = new SqliteCellStore(db);
    this.meta = new SqliteMetaStore(db);
    this.processedFiles = new SqliteProcessedFileStore(db);
    this.tickets = new SqliteTicketStore(db);
    this.outbox = new SqliteOutboxStore(db);
    this.callbacks = new SqliteCallbackStore(db);
  }

  transaction<T>(fn: () => T): T {
    // better-sqlite3 turns a nested transaction into a savepoint, which is what we want.
    return this.db.transaction(fn)();
  }

  healthy(): boolean {
    try {
      return this.db.open && this.db.prepare('SELECT 1 AS ok').get() !== undefined;
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
    if (this.ownsCheckpointDir) rmSync(this.checkpointDir, { recursive: true, force: true });
  }
}

export function openSqliteStore(dataDir: string, config: StoreConfig = storeConfigSchema.parse({})): SqliteStore {
  const path = dataDir === ':memory:' ? ':memory:' : join(dataDir, config.file);
  // An in-memory database (tests) keeps its checkpoint files in a temp dir of its own, gone with it.
  const inMemory = dataDir === ':memory:';
  const checkpointDir = inMemory ? mkdtempSync(join(tmpdir(), 'nocwatch-checkpoints-')) : join(dataDir, 'checkpoints');
  return new SqliteStore(openDatabase(path, { synchronous: config.synchronous }), config, checkpointDir, inMemory);
}

/** The in-memory fake. Transactions are not rolled back: tests using it do not rely on rollback. */
export function createMemoryStore(config: StoreConfig = storeConfigSchema.parse({})): Store {
  let open = true;
  return {
    complaints: new MemoryComplaintStore(),
    incidents: new MemoryIncidentStore(),
    rejects: new MemoryRejectStore(config.keepRejects),
    checkpoints: new MemoryCheckpointStore(),
    cells: new MemoryCellStore(),
    meta: new MemoryMetaStore(),
    processedFiles: new MemoryProcessedFileStore(),
    tickets: new MemoryTicketStore(),
    outbox: new MemoryOutboxStore(),
    callbacks: new MemoryCallbackStore(),
    transaction: <T>(fn: () => T): T => fn(),
    healthy: () => open,
    close: () => {
      open = false;
    },
  };
}
