/** Durable incidents, stored as JSON documents with indexed columns for the API's filters. */
import type { Incident, IncidentState } from '../model/index.js';
import type { Db } from './database.js';
import { afterCursorSql, pageOf, toPage, type Page, type PageQuery } from './page.js';

export interface IncidentQuery extends PageQuery {
  state?: IncidentState;
  region?: string;
  /** openedAt ≥ since. */
  since?: number;
  /** openedAt < until. */
  until?: number;
}

export interface IncidentStore {
  upsert(incident: Incident): void;
  get(id: string): Incident | undefined;
  list(q: IncidentQuery): Page<Incident>;
  /** Open incidents plus those resolved at or after `resolvedSince` (they may still reopen). */
  live(resolvedSince: number): Incident[];
}

const cursorOf = (i: Incident) => ({ key: i.openedAt, id: i.id });

export class SqliteIncidentStore implements IncidentStore {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      upsert: db.prepare(
        `INSERT INTO incidents (id, state, region, opened_at, resolved_at, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, region = excluded.region,
           opened_at = excluded.opened_at, resolved_at = excluded.resolved_at,
           updated_at = excluded.updated_at, doc = excluded.doc`,
      ),
      get: db.prepare('SELECT doc FROM incidents WHERE id = ?'),
      live: db.prepare(`SELECT doc FROM incidents WHERE state = 'open' OR resolved_at >= ? ORDER BY opened_at`),
    };
  }

  upsert(i: Incident): void {
    this.stmts.upsert.run(i.id, i.state, i.region, i.openedAt, i.resolvedAt, i.updatedAt, JSON.stringify(i));
  }

  get(id: string): Incident | undefined {
    const r = this.stmts.get.get(id) as { doc: string } | undefined;
    return r && (JSON.parse(r.doc) as Incident);
  }

  list(q: IncidentQuery): Page<Incident> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.state !== undefined) (where.push('state = ?'), params.push(q.state));
    if (q.region !== undefined) (where.push('region = ?'), params.push(q.region));
    if (q.since !== undefined) (where.push('opened_at >= ?'), params.push(q.since));
    if (q.until !== undefined) (where.push('opened_at < ?'), params.push(q.until));
    const after = afterCursorSql('opened_at', 'id', q.cursor);
    if (after.sql) (where.push(after.sql), params.push(...after.params));
    const sql = `SELECT doc FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY opened_at DESC, id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, q.limit + 1) as { doc: string }[];
    return toPage(rows.map((r) => JSON.parse(r.doc) as Incident), q.limit, cursorOf);
  }

  live(resolvedSince: number): Incident[] {
    return (this.stmts.live.all(resolvedSince) as { doc: string }[]).map((r) => JSON.parse(r.doc) as Incident);
  }
}

export class MemoryIncidentStore implements IncidentStore {
  private readonly byId = new Map<string, Incident>();

  upsert(i: Incident): void {
    this.byId.set(i.id, structuredClone(i));
  }

  get(id: string): Incident | undefined {
    const i = this.byId.get(id);
    return i && structuredClone(i);
  }

  list(q: IncidentQuery): Page<Incident> {
    const page = pageOf(this.byId.values(), q, cursorOf, (i) =>
      (q.state === undefined || i.state === q.state) &&
      (q.region === undefined || i.region === q.region) &&
      (q.since === undefined || i.openedAt >= q.since) &&
      (q.until === undefined || i.openedAt < q.until));
    return { items: page.items.map((i) => structuredClone(i)), nextCursor: page.nextCursor };
  }

  live(resolvedSince: number): Incident[] {
    return [...this.byId.values()]
      .filter((i) => i.state === 'open' || (i.resolvedAt !== null && i.resolvedAt >= resolvedSince))
      .sort((a, b) => a.openedAt - b.openedAt)
      .map((i) => structuredClone(i));
  }
}
