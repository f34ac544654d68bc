/**
 * The ticketing outbox in SQLite. It shares the daemon's database (and so the pipeline's
 * transaction: a ticket and its outbox entry commit together). Schema: the `0006-ticketing-outbox` migration (src/store/migrations.ts).
 */
import type { Statement } from 'better-sqlite3';
import type { Db as Database } from '../../store/database.js';
import type { TicketChange } from '../../pipeline/stages.js';
import { newOutboxEntry, type OutboxEntry, type OutboxState } from './outbox-entry.js';
import { emptyCounts, type OutboxListQuery, type OutboxPage, type OutboxStore } from './outbox-store.js';
import { decodeCursor, encodeCursor } from '../../store/page.js';

/** Named migrations for the store's migration list (applied once each, in order). */

interface Row {
  seq: number;
  key: string;
  ticket_id: string;
  version: number;
  change: string;
  note: string | null;
  ticket_json: string;
  state: string;
  attempts: number;
  next_attempt_at: number;
  enqueued_at: number;
  delivered_at: number | null;
  last_status: number | null;
  last_error: string | null;
}

function toEntry(r: Row): OutboxEntry {
  return {
    key: r.key,
    ticketId: r.ticket_id,
    version: r.version,
    change: r.change as OutboxEntry['change'],
    note: r.note,
    ticket: JSON.parse(r.ticket_json),
    state: r.state as OutboxState,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    enqueuedAt: r.enqueued_at,
    deliveredAt: r.delivered_at,
    lastStatus: r.last_status,
    lastError: r.last_error,
  };
}

export class SqliteOutboxStore implements OutboxStore {
  private readonly s: Record<string, Statement>;

  constructor(private readonly db: Database) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      insert: p(`INSERT OR IGNORE INTO ticketing_outbox
        (key, ticket_id, version, change, note, ticket_json, state, attempts, next_attempt_at, enqueued_at)
        VALUES (@key, @ticketId, @version, @change, @note, @ticket, 'pending', 0, @nextAttemptAt, @enqueuedAt)`),
      // Per ticket only its oldest waiting version: versions of one ticket go out in order.
      due: p(`SELECT o.* FROM ticketing_outbox o
        WHERE o.state IN ('pending', 'retrying') AND o.next_attempt_at <= ?
          AND o.version = (SELECT MIN(i.version) FROM ticketing_outbox i
                           WHERE i.ticket_id = o.ticket_id AND i.state IN ('pending', 'retrying'))
        ORDER BY o.next_attempt_at, o.seq LIMIT ?`),
      nextDue: p(`SELECT MIN(next_attempt_at) AS t FROM ticketing_outbox WHERE state IN ('pending', 'retrying')`),
      attempt: p(`UPDATE ticketing_outbox SET attempts = attempts + 1 WHERE key = ?`),
      delivered: p(`UPDATE ticketing_outbox SET state = 'delivered', delivered_at = ?,
        last_status = ?, last_error = NULL WHERE key = ?`),
      retry: p(`UPDATE ticketing_outbox SET state = 'retrying', next_attempt_at = ?,
        last_status = ?, last_error = ? WHERE key = ?`),
      dead: p(`UPDATE ticketing_outbox SET state = 'dead', last_status = ?, last_error = ?
        WHERE key = ?`),
      requeue: p(`UPDATE ticketing_outbox SET state = 'retrying', next_attempt_at = ? WHERE key = ? AND state = 'dead'`),
      get: p(`SELECT * FROM ticketing_outbox WHERE key = ?`),
      latest: p(`SELECT * FROM ticketing_outbox WHERE ticket_id = ? ORDER BY version DESC LIMIT 1`),
      counts: p(`SELECT state, COUNT(*) AS n FROM ticketing_outbox GROUP BY state`),
      ref: p(`SELECT ref FROM ticketing_refs WHERE ticket_id = ? AND system = ?`),
      setRef: p(`INSERT INTO ticketing_refs (ticket_id, system, ref) VALUES (?, ?, ?)
        ON CONFLICT (ticket_id, system) DO UPDATE SET ref = excluded.ref`),
    };
  }

  enqueue(change: TicketChange, now: number): void {
    const e = newOutboxEntry(change, now);
    this.s.insert.run({
      key: e.key, ticketId: e.ticketId, version: e.version, change: e.change, note: e.note,
      ticket: JSON.stringify(e.ticket), nextAttemptAt: e.nextAttemptAt, enqueuedAt: e.enqueuedAt,
    });
  }

  due(now: number, limit: number, busy: ReadonlySet<string> = new Set()): OutboxEntry[] {
    const rows = this.s.due.all(now, limit + busy.size) as Row[];
    return rows.filter((r) => !busy.has(r.ticket_id)).slice(0, limit).map(toEntry);
  }

  nextDueAt(): number | null {
    return (this.s.nextDue.get() as { t: number | null }).t;
  }

  markAttempt(key: string): void {
    this.s.attempt.run(key);
  }

  markDelivered(key: string, now: number, status: number): void {
    this.s.delivered.run(now, status, key);
  }

  markRetry(key: string, nextAttemptAt: number, status: number | null, error: string): void {
    this.s.retry.run(nextAttemptAt, status, error, key);
  }

  markDead(key: string, _now: number, status: number | null, error: string): void {
    this.s.dead.run(status, error, key);
  }

  requeue(key: string, now: number): boolean {
    return this.s.requeue.run(now, key).changes > 0;
  }

  get(key: string): OutboxEntry | undefined {
    const r = this.s.get.get(key) as Row | undefined;
    return r ? toEntry(r) : undefined;
  }

  list(q: OutboxListQuery): OutboxPage {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.cursor) { where.push('seq < ?'); args.push(decodeCursor(q.cursor).key); }
    if (q.state) { where.push('state = ?'); args.push(q.state); }
    if (q.ticketId) { where.push('ticket_id = ?'); args.push(q.ticketId); }
    const sql = `SELECT * FROM ticketing_outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, q.limit + 1) as Row[];
    const page = rows.slice(0, q.limit);
    return { items: page.map(toEntry), nextCursor: rows.length > q.limit ? encodeCursor({ key: page[page.length - 1].seq, id: '' }) : null };
  }

  counts(): Record<OutboxState, number> {
    const c = emptyCounts();
    for (const r of this.s.counts.all() as { state: OutboxState; n: number }[]) c[r.state] = r.n;
    return c;
  }

  latest(ticketId: string): OutboxEntry | undefined {
    const r = this.s.latest.get(ticketId) as Row | undefined;
    return r ? toEntry(r) : undefined;
  }

  externalRef(ticketId: string, system: string): string | null {
    return (this.s.ref.get(ticketId, system) as { ref: string } | undefined)?.ref ?? null;
  }

  setExternalRef(ticketId: string, system: string, ref: string): void {
    this.s.setRef.run(ticketId, system, ref);
  }
}
