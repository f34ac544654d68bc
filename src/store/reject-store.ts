/** The last N rejected records with their reasons (`GET /api/v1/rejects`). */
import type { Db } from './database.js';
import { decodeCursor, pageOf, toPage, type Page, type PageQuery } from './page.js';

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
  /** Newest first, in the order they were rejected (wall time can step back), paged. */
  list(q: PageQuery): Page<RejectEntry>;
}

/** A reject with its insertion sequence number, which orders the list and makes the cursor. */
type Sequenced = RejectEntry & { seq: number };

const cursorOf = (r: Sequenced) => ({ key: r.seq, id: '' });

function pageWithoutSeq(page: Page<Sequenced>): Page<RejectEntry> {
  return { items: page.items.map(({ seq: _seq, ...entry }) => entry), nextCursor: page.nextCursor };
}

const MAX_RECORD_CHARS = 2000;

/**
 * A record that could not be parsed, standing in its batch as the text it was received as (a
 * broken NDJSON line), so its reject shows what was sent rather than nothing.
 */
export class UnparsedText {
  constructor(readonly text: string) {}
}

/** Shortened JSON of a rejected record (or the text of an unparsed one), so a huge bad record cannot fill the store. */
export function rejectSnippet(record: unknown): string | null {
  if (record instanceof UnparsedText) return rejectText(record.text);
  let s: string | undefined;
  try {
    s = JSON.stringify(record);
  } catch {
    return null;
  }
  if (s === undefined) return null;
  return rejectText(s);
}

/** A rejected record's text as received (e.g. a line-protocol line), shortened as `rejectSnippet` does. */
export function rejectText(text: string): string {
  return text.length > MAX_RECORD_CHARS ? `${text.slice(0, MAX_RECORD_CHARS)}…` : text;
}

export class SqliteRejectStore implements RejectStore {
  private readonly stmts;
  private sinceTrim = 0;

  constructor(db: Db, private readonly keep: number) {
    this.stmts = {
      insert: db.prepare('INSERT INTO rejects (at, feed, idx, error, record) VALUES (?, ?, ?, ?, ?)'),
      trim: db.prepare('DELETE FROM rejects WHERE id <= (SELECT max(id) FROM rejects) - ?'),
      // Only the last `keep` ids count, also between the trims that let the table run a little over.
      list: db.prepare(
        `SELECT id AS seq, at, feed, idx AS "index", error, record FROM rejects
         WHERE id > (SELECT coalesce(max(id), 0) FROM rejects) - ? AND id < ? ORDER BY id DESC LIMIT ?`,
      ),
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

  list(q: PageQuery): Page<RejectEntry> {
    const before = q.cursor ? decodeCursor(q.cursor).key : Number.MAX_SAFE_INTEGER;
    const rows = this.stmts.list.all(this.keep, before, q.limit + 1) as Sequenced[];
    return pageWithoutSeq(toPage(rows, q.limit, cursorOf));
  }
}

export class MemoryRejectStore implements RejectStore {
  private entries: Sequenced[] = [];
  private seq = 0;

  constructor(private readonly keep: number) {}

  add(entries: readonly RejectEntry[]): void {
    for (const e of entries) this.entries.push({ ...e, seq: ++this.seq });
    if (this.entries.length > this.keep) this.entries = this.entries.slice(-this.keep);
  }

  list(q: PageQuery): Page<RejectEntry> {
    return pageWithoutSeq(pageOf(this.entries, q, cursorOf, () => true));
  }
}
