/** The last N rejected records with their reasons (`GET /api/v1/rejects`). */
import type { Db } from './database.js';

export interface RejectEntry {
  /** Wall time the record was rejected (epoch ms). */
  at: number;
  feed: string;
  index: number;
  error: string;
  /** The record as received, truncated. */
  record: string | null;
}

export interface RejectStore {
  add(entries: readonly RejectEntry[]): void;
  /** Newest first. */
  list(limit: number): RejectEntry[];
}

const MAX_RECORD_CHARS = 2000;

/** Shortened JSON of a rejected record, so a huge bad record cannot fill the store. */
export function rejectSnippet(record: unknown): string | null {
  let s: string | undefined;
  try {
    s = JSON.stringify(record);
  } catch {
    return null;
  }
  if (s === undefined) return null;
  return s.length > MAX_RECORD_CHARS ? `${s.slice(0, MAX_RECORD_CHARS)}…` : s;
}

export class SqliteRejectStore implements RejectStore {
  private readonly stmts;
  private sinceTrim = 0;

  constructor(db: Db, private readonly keep: number) {
    this.stmts = {
      insert: db.prepare('INSERT INTO rejects (at, feed, idx, error, record) VALUES (?, ?, ?, ?, ?)'),
      trim: db.prepare('DELETE FROM rejects WHERE id <= (SELECT max(id) FROM rejects) - ?'),
      list: db.prepare('SELECT at, feed, idx AS "index", error, record FROM rejects ORDER BY id DESC LIMIT ?'),
    };
  }

  add(entries: readonly RejectEntry[]): void {
    for (const e of entries) this.stmts.insert.run(e.at, e.feed, e.index, e.error, e.record);
    this.sinceTrim += entries.length;
    // Trimming on every insert would double the write cost; every few hundred keeps the table near N.
    if (this.sinceTrim >= Math.min(500, this.keep)) {
      this.stmts.trim.run(this.keep);
      this.sinceTrim = 0;
    }
  }

  list(limit: number): RejectEntry[] {
    return this.stmts.list.all(Math.min(limit, this.keep)) as RejectEntry[];
  }
}

export class MemoryRejectStore implements RejectStore {
  private entries: RejectEntry[] = [];

  constructor(private readonly keep: number) {}

  add(entries: readonly RejectEntry[]): void {
    this.entries.push(...entries);
    if (this.entries.length > this.keep) this.entries = this.entries.slice(-this.keep);
  }

  list(limit: number): RejectEntry[] {
    return this.entries.slice(-limit).reverse();
  }
}
