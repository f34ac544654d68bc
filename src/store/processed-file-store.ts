/**
 * What the PM XML collector has done with each file name, so no file is processed twice — also
 * across a restart. A file is `processing` from its first event on (with the number of events
 * accepted so far, to resume after a crash), then `done` or `failed`.
 */
import type { Db } from './database.js';

export type ProcessedFileState = 'processing' | 'done' | 'failed';

export interface ProcessedFile {
  /** File name in the watched directory (the record's key). */
  name: string;
  state: ProcessedFileState;
  /** Size and mtime (epoch ms) of the file when it was picked up: tell a re-delivery from the same file. */
  size: number;
  mtimeMs: number;
  /** Events accepted into the pipeline so far. */
  events: number;
  /** SHA-256 of the (uncompressed) XML, once read through. */
  sha256: string | null;
  /** Why it failed. */
  reason: string | null;
  /** Wall times (epoch ms). */
  startedAt: number;
  finishedAt: number | null;
}

export interface ProcessedFileStore {
  get(name: string): ProcessedFile | undefined;
  /** Starts (or restarts) a file: state `processing`, 0 events. */
  begin(name: string, size: number, mtimeMs: number, at: number): void;
  /** Records how many events of a `processing` file have been accepted. */
  progress(name: string, events: number): void;
  finish(name: string, state: 'done' | 'failed', at: number, details: { events: number; sha256: string | null; reason: string | null }): void;
  /** Deletes records of files finished before `before` (wall ms); returns how many. */
  prune(before: number): number;
}

interface Row {
  name: string;
  state: ProcessedFileState;
  size: number;
  mtime_ms: number;
  events: number;
  sha256: string | null;
  reason: string | null;
  started_at: number;
  finished_at: number | null;
}

export class SqliteProcessedFileStore implements ProcessedFileStore {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      get: db.prepare('SELECT * FROM processed_files WHERE name = ?'),
      begin: db.prepare(
        `INSERT INTO processed_files (name, state, size, mtime_ms, events, sha256, reason, started_at, finished_at)
         VALUES (?, 'processing', ?, ?, 0, NULL, NULL, ?, NULL)
         ON CONFLICT (name) DO UPDATE SET state = 'processing', size = excluded.size, mtime_ms = excluded.mtime_ms,
           events = 0, sha256 = NULL, reason = NULL, started_at = excluded.started_at, finished_at = NULL`,
      ),
      progress: db.prepare("UPDATE processed_files SET events = ? WHERE name = ? AND state = 'processing'"),
      finish: db.prepare('UPDATE processed_files SET state = ?, events = ?, sha256 = ?, reason = ?, finished_at = ? WHERE name = ?'),
      prune: db.prepare("DELETE FROM processed_files WHERE state != 'processing' AND finished_at < ?"),
    };
  }

  get(name: string): ProcessedFile | undefined {
    const r = this.stmts.get.get(name) as Row | undefined;
    return r && {
      name: r.name, state: r.state, size: r.size, mtimeMs: r.mtime_ms, events: r.events, sha256: r.sha256,
      reason: r.reason, startedAt: r.started_at, finishedAt: r.finished_at,
    };
  }

  begin(name: string, size: number, mtimeMs: number, at: number): void {
    this.stmts.begin.run(name, size, mtimeMs, at);
  }

  progress(name: string, events: number): void {
    this.stmts.progress.run(events, name);
  }

  finish(name: string, state: 'done' | 'failed', at: number, d: { events: number; sha256: string | null; reason: string | null }): void {
    this.stmts.finish.run(state, d.events, d.sha256, d.reason, at, name);
  }

  prune(before: number): number {
    return this.stmts.prune.run(before).changes;
  }
}

export class MemoryProcessedFileStore implements ProcessedFileStore {
  private readonly byName = new Map<string, ProcessedFile>();

  get(name: string): ProcessedFile | undefined {
    const f = this.byName.get(name);
    return f && { ...f };
  }

  begin(name: string, size: number, mtimeMs: number, at: number): void {
    this.byName.set(name, { name, state: 'processing', size, mtimeMs, events: 0, sha256: null, reason: null, startedAt: at, finishedAt: null });
  }

  progress(name: string, events: number): void {
    const f = this.byName.get(name);
    if (f?.state === 'processing') f.events = events;
  }

  finish(name: string, state: 'done' | 'failed', at: number, d: { events: number; sha256: string | null; reason: string | null }): void {
    const f = this.byName.get(name);
    if (f) Object.assign(f, { state, finishedAt: at, ...d });
  }

  prune(before: number): number {
    let n = 0;
    for (const [name, f] of this.byName) {
      if (f.state !== 'processing' && f.finishedAt !== null && f.finishedAt < before) {
        this.byName.delete(name);
        n++;
      }
    }
    return n;
  }
}
