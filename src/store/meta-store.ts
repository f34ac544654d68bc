/** Small named values that must survive a restart (the watermark, id sequences, the simulator's clock). */
import type { Db } from './database.js';

export interface MetaStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

export class SqliteMetaStore implements MetaStore {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      get: db.prepare('SELECT value FROM meta WHERE key = ?'),
      set: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
  }

  get(key: string): string | undefined {
    return (this.stmts.get.get(key) as { value: string } | undefined)?.value;
  }

  set(key: string, value: string): void {
    this.stmts.set.run(key, value);
  }
}

export class MemoryMetaStore implements MetaStore {
  private readonly values = new Map<string, string>();

  get(key: string): string | undefined {
    return this.values.get(key);
  }

  set(key: string, value: string): void {
    this.values.set(key, value);
  }
}
