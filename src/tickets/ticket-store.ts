/**
 * Durable tickets: JSON documents with indexed columns for the API's filters. The pipeline's
 * ticket persister writes every version (with its outbox entry) in the batch's transaction.
 */
import type { Department, Ticket, TicketState } from '../model/index.js';
import type { Db } from '../store/database.js';
import { afterCursorSql, pageOf, toPage, type Page, type PageQuery } from '../store/page.js';

export interface TicketQuery extends PageQuery {
  state?: TicketState;
  department?: Department;
  /** createdAt ≥ since. */
  since?: number;
  /** createdAt < until. */
  until?: number;
  stale?: boolean;
}

export interface TicketStore {
  upsert(ticket: Ticket): void;
  get(id: string): Ticket | undefined;
  /** Newest first (by createdAt). */
  list(q: TicketQuery): Page<Ticket>;
  /** Tickets not closed, plus those closed at or after `closedSince` (a relapse may reopen them). */
  live(closedSince: number): Ticket[];
  /** Every ticket created in [from, to) (for evaluation). */
  createdBetween(from: number, to: number): Ticket[];
}

const cursorOf = (t: Ticket) => ({ key: t.createdAt, id: t.id });

export class SqliteTicketStore implements TicketStore {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      upsert: db.prepare(
        `INSERT INTO tickets (id, incident_id, state, department, class, region, created_at, updated_at, closed_at, stale, version, doc)
         VALUES (@id, @incidentId, @state, @department, @class, @region, @createdAt, @updatedAt, @closedAt, @stale, @version, @doc)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, department = excluded.department, class = excluded.class,
           region = excluded.region, updated_at = excluded.updated_at, closed_at = excluded.closed_at,
           stale = excluded.stale, version = excluded.version, doc = excluded.doc
         WHERE excluded.version >= tickets.version`,
      ),
      get: db.prepare('SELECT doc FROM tickets WHERE id = ?'),
      live: db.prepare(`SELECT doc FROM tickets WHERE state <> 'closed' OR closed_at >= ? ORDER BY created_at`),
      between: db.prepare('SELECT doc FROM tickets WHERE created_at >= ? AND created_at < ?'),
    };
  }

  upsert(t: Ticket): void {
    this.stmts.upsert.run({
      id: t.id, incidentId: t.incidentId, state: t.state, department: t.department, class: t.class,
      region: t.region ?? null, createdAt: t.createdAt, updatedAt: t.updatedAt, closedAt: t.times?.closedAt ?? null,
      stale: t.stale ? 1 : 0, version: t.version, doc: JSON.stringify(t),
    });
  }

  get(id: string): Ticket | undefined {
    const r = this.stmts.get.get(id) as { doc: string } | undefined;
    return r && (JSON.parse(r.doc) as Ticket);
  }

  list(q: TicketQuery): Page<Ticket> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.state !== undefined) (where.push('state = ?'), params.push(q.state));
    if (q.department !== undefined) (where.push('department = ?'), params.push(q.department));
    if (q.since !== undefined) (where.push('created_at >= ?'), params.push(q.since));
    if (q.until !== undefined) (where.push('created_at < ?'), params.push(q.until));
    if (q.stale !== undefined) (where.push('stale = ?'), params.push(q.stale ? 1 : 0));
    const after = afterCursorSql('created_at', 'id', q.cursor);
    if (after.sql) (where.push(after.sql), params.push(...after.params));
    const sql = `SELECT doc FROM tickets ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at DESC, id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, q.limit + 1) as { doc: string }[];
    return toPage(rows.map((r) => JSON.parse(r.doc) as Ticket), q.limit, cursorOf);
  }

  live(closedSince: number): Ticket[] {
    return (this.stmts.live.all(closedSince) as { doc: string }[]).map((r) => JSON.parse(r.doc) as Ticket);
  }

  createdBetween(from: number, to: number): Ticket[] {
    return (this.stmts.between.all(from, to) as { doc: string }[]).map((r) => JSON.parse(r.doc) as Ticket);
  }
}

export class MemoryTicketStore implements TicketStore {
  private readonly byId = new Map<string, Ticket>();

  upsert(t: Ticket): void {
    const cur = this.byId.get(t.id);
    if (!cur || t.version >= cur.version) this.byId.set(t.id, structuredClone(t));
  }

  get(id: string): Ticket | undefined {
    const t = this.byId.get(id);
    return t && structuredClone(t);
  }

  list(q: TicketQuery): Page<Ticket> {
    const page = pageOf(this.byId.values(), q, cursorOf, (t) =>
      (q.state === undefined || t.state === q.state) &&
      (q.department === undefined || t.department === q.department) &&
      (q.since === undefined || t.createdAt >= q.since) &&
      (q.until === undefined || t.createdAt < q.until) &&
      (q.stale === undefined || (t.stale ?? false) === q.stale));
    return { items: page.items.map((t) => structuredClone(t)), nextCursor: page.nextCursor };
  }

  live(closedSince: number): Ticket[] {
    return [...this.byId.values()]
      .filter((t) => t.state !== 'closed' || (t.times?.closedAt ?? 0) >= closedSince)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((t) => structuredClone(t));
  }

  createdBetween(from: number, to: number): Ticket[] {
    return [...this.byId.values()].filter((t) => t.createdAt >= from && t.createdAt < to).map((t) => structuredClone(t));
  }
}
