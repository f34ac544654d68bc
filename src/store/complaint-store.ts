/** Durable complaints: stored before the 202, idempotent by complaintId, linked after processing. */
import type { Complaint, ComplaintLink, Triage } from '../model/index.js';
import type { Db } from './database.js';
import { afterCursorSql, pageOf, toPage, type Page, type PageQuery } from './page.js';

export interface StoredComplaint {
  complaint: Complaint;
  incidentId: string | null;
  link: ComplaintLink | null;
  triage: Triage | null;
  /** The pipeline has linked (or left unlinked) this complaint. False until then, also across a crash. */
  processed: boolean;
}

export interface ComplaintQuery extends PageQuery {
  incidentId?: string;
  customerId?: string;
  since?: number;
  until?: number;
}

export interface ComplaintStore {
  /** Stores a new complaint. Returns false (and changes nothing) when the complaintId is known. */
  insert(c: Complaint): boolean;
  get(complaintId: string): StoredComplaint | undefined;
  /** Records the processing outcome: the link (or null when unlinked) and the triage. */
  markProcessed(complaintId: string, link: ComplaintLink | null, triage: Triage | null): void;
  /** Moves a complaint to another incident (e.g. after incidents merged) or unlinks it. */
  relink(complaintId: string, link: ComplaintLink | null): void;
  list(q: ComplaintQuery): Page<StoredComplaint>;
  /** Complaints accepted but not processed yet, oldest first (re-enqueued after a restart). */
  unprocessed(limit: number): Complaint[];
  /** Processed complaints received at or after `since`, oldest first, read lazily (to rebuild memory after a restart). */
  processedSince(since: number): Iterable<StoredComplaint>;
  count(): number;
  /**
   * Received times of the processed complaints received at or after `since`, oldest first: a rolling
   * "complaints in the last 24 h" starts from these after a restart (unprocessed ones are requeued and
   * counted when they are processed).
   */
  receivedTimesSince(since: number): number[];
}

const cursorOf = (s: StoredComplaint) => ({ key: s.complaint.receivedAt, id: s.complaint.complaintId });

interface Row {
  doc: string;
  incident_id: string | null;
  link: string | null;
  triage: string | null;
  processed: number;
}

function fromRow(r: Row): StoredComplaint {
  return {
    complaint: JSON.parse(r.doc) as Complaint,
    incidentId: r.incident_id,
    link: r.link ? (JSON.parse(r.link) as ComplaintLink) : null,
    triage: r.triage ? (JSON.parse(r.triage) as Triage) : null,
    processed: r.processed === 1,
  };
}

export class SqliteComplaintStore implements ComplaintStore {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO complaints (complaint_id, received_at, customer_id, cell_id, district, doc)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (complaint_id) DO NOTHING`,
      ),
      get: db.prepare('SELECT doc, incident_id, link, triage, processed FROM complaints WHERE complaint_id = ?'),
      processed: db.prepare(
        'UPDATE complaints SET processed = 1, incident_id = ?, link = ?, triage = ? WHERE complaint_id = ?',
      ),
      relink: db.prepare('UPDATE complaints SET incident_id = ?, link = ? WHERE complaint_id = ?'),
      unprocessed: db.prepare('SELECT doc FROM complaints WHERE processed = 0 ORDER BY seq LIMIT ?'),
      processedSince: db.prepare(
        'SELECT doc, incident_id, link, triage, processed FROM complaints WHERE received_at >= ? AND processed = 1 ORDER BY received_at, complaint_id',
      ),
      count: db.prepare('SELECT count(*) AS n FROM complaints'),
      receivedSince: db.prepare('SELECT received_at AS t FROM complaints WHERE received_at >= ? AND processed = 1 ORDER BY received_at').pluck(),
    };
  }

  insert(c: Complaint): boolean {
    const r = this.stmts.insert.run(
      c.complaintId, c.receivedAt, c.customer.id, c.location.cellId ?? null, c.location.district ?? null,
      JSON.stringify(c),
    );
    return r.changes === 1;
  }

  get(id: string): StoredComplaint | undefined {
    const r = this.stmts.get.get(id) as Row | undefined;
    return r && fromRow(r);
  }

  markProcessed(id: string, link: ComplaintLink | null, triage: Triage | null): void {
    this.stmts.processed.run(link?.incidentId ?? null, link ? JSON.stringify(link) : null, triage ? JSON.stringify(triage) : null, id);
  }

  relink(id: string, link: ComplaintLink | null): void {
    this.stmts.relink.run(link?.incidentId ?? null, link ? JSON.stringify(link) : null, id);
  }

  list(q: ComplaintQuery): Page<StoredComplaint> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.incidentId !== undefined) (where.push('incident_id = ?'), params.push(q.incidentId));
    if (q.customerId !== undefined) (where.push('customer_id = ?'), params.push(q.customerId));
    if (q.since !== undefined) (where.push('received_at >= ?'), params.push(q.since));
    if (q.until !== undefined) (where.push('received_at < ?'), params.push(q.until));
    const after = afterCursorSql('received_at', 'complaint_id', q.cursor);
    if (after.sql) (where.push(after.sql), params.push(...after.params));
    const sql = `SELECT doc, incident_id, link, triage, processed FROM complaints
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY received_at DESC, complaint_id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, q.limit + 1) as Row[];
    return toPage(rows.map(fromRow), q.limit, cursorOf);
  }

  unprocessed(limit: number): Complaint[] {
    return (this.stmts.unprocessed.all(limit) as { doc: string }[]).map((r) => JSON.parse(r.doc) as Complaint);
  }

  *processedSince(since: number): Iterable<StoredComplaint> {
    for (const r of this.stmts.processedSince.iterate(since) as Iterable<Row>) yield fromRow(r);
  }

  count(): number {
    return (this.stmts.count.get() as { n: number }).n;
  }

  receivedTimesSince(since: number): number[] {
    return this.stmts.receivedSince.all(since) as number[];
  }
}

/** In-memory fake with the same behaviour, for tests. */
export class MemoryComplaintStore implements ComplaintStore {
  private readonly byId = new Map<string, StoredComplaint>();

  insert(c: Complaint): boolean {
    if (this.byId.has(c.complaintId)) return false;
    this.byId.set(c.complaintId, { complaint: structuredClone(c), incidentId: null, link: null, triage: null, processed: false });
    return true;
  }

  get(id: string): StoredComplaint | undefined {
    const s = this.byId.get(id);
    return s && structuredClone(s);
  }

  markProcessed(id: string, link: ComplaintLink | null, triage: Triage | null): void {
    const s = this.byId.get(id);
    if (!s) return;
    Object.assign(s, { processed: true, link: structuredClone(link), incidentId: link?.incidentId ?? null, triage: structuredClone(triage) });
  }

  relink(id: string, link: ComplaintLink | null): void {
    const s = this.byId.get(id);
    if (s) Object.assign(s, { link: structuredClone(link), incidentId: link?.incidentId ?? null });
  }

  list(q: ComplaintQuery): Page<StoredComplaint> {
    const page = pageOf(this.byId.values(), q, cursorOf, (s) =>
      (q.incidentId === undefined || s.incidentId === q.incidentId) &&
      (q.customerId === undefined || s.complaint.customer.id === q.customerId) &&
      (q.since === undefined || s.complaint.receivedAt >= q.since) &&
      (q.until === undefined || s.complaint.receivedAt < q.until));
    return { items: page.items.map((s) => structuredClone(s)), nextCursor: page.nextCursor };
  }

  unprocessed(limit: number): Complaint[] {
    const out: Complaint[] = [];
    for (const s of this.byId.values()) {
      if (out.length >= limit) break;
      if (!s.processed) out.push(structuredClone(s.complaint));
    }
    return out;
  }

  processedSince(since: number): Iterable<StoredComplaint> {
    return [...this.byId.values()]
      .filter((s) => s.processed && s.complaint.receivedAt >= since)
      .sort((a, b) => a.complaint.receivedAt - b.complaint.receivedAt || (a.complaint.complaintId < b.complaint.complaintId ? -1 : 1))
      .map((s) => structuredClone(s));
  }

  count(): number {
    return this.byId.size;
  }

  receivedTimesSince(since: number): number[] {
    const out: number[] = [];
    for (const s of this.byId.values()) if (s.processed && s.complaint.receivedAt >= since) out.push(s.complaint.receivedAt);
    return out.sort((a, b) => a - b);
  }
}
