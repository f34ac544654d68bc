/** Named binary checkpoints (detector state), replaced atomically on each save. */
import type { Db } from './database.js';

export interface Checkpoint {
  data: Uint8Array;
  /** Wall time of the save (epoch ms). */
  savedAt: number;
}

export interface CheckpointStore {
  save(name: string, data: Uint8Array, savedAt: number): void;
  load(name: string): Checkpoint | undefined;
}

export class SqliteCheckpointStore implements CheckpointStore {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      save: db.prepare(
        `INSERT INTO checkpoints (name, saved_at, data) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET saved_at = excluded.saved_at, data = excluded.data`,
      ),
      load: db.prepare('SELECT saved_at, data FROM checkpoints WHERE name = ?'),
    };
  }

  save(name: string, data: Uint8Array, savedAt: number): void {
    this.stmts.save.run(name, savedAt, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }

  load(name: string): Checkpoint | undefined {
    const r = this.stmts.load.get(name) as { saved_at: number; data: Buffer } | undefined;
    return r && { data: new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength), savedAt: r.saved_at };
  }
}

export class MemoryCheckpointStore implements CheckpointStore {
  private readonly byName = new Map<string, Checkpoint>();

  save(name: string, data: Uint8Array, savedAt: number): void {
    this.byName.set(name, { data: data.slice(), savedAt });
  }

  load(name: string): Checkpoint | undefined {
    const c = this.byName.get(name);
    return c && { data: c.data.slice(), savedAt: c.savedAt };
  }
}
