/**
 * The durable ticketing outbox: the store's `outbox` sub-store. The SQLite implementation is in
 * sqlite-outbox-store.ts; the in-memory fake here serves tests and the contract both must meet.
 */
import type { TicketChange } from '../../pipeline/stages.js';
import { newOutboxEntry, OUTBOX_STATES, type OutboxEntry, type OutboxState } from './outbox-entry.js';
import { decodeCursor, encodeCursor, type Page } from '../../store/page.js';

export interface OutboxListQuery {
  state?: OutboxState;
  ticketId?: string;
  limit: number;
  /** From the previous page's `nextCursor`. */
  cursor?: string | null;
}

export type OutboxPage = Page<OutboxEntry>;

export interface OutboxStore {
  /** Adds the version a change produced; a version already enqueued is left as it is. */
  enqueue(change: TicketChange, now: number): void;
  /**
   * Entries due at wall time `now`, oldest first: per ticket only its oldest undelivered version, so
   * versions of one ticket go out in order. Tickets in `busy` (being delivered) are skipped.
   */
  due(now: number, limit: number, busy?: ReadonlySet<string>): OutboxEntry[];
  /** Wall time of the earliest waiting entry, or null when nothing waits. */
  nextDueAt(): number | null;
  /**
   * Counts an attempt before its request goes out, so after a crash mid-request the next attempt
   * knows an earlier one may have reached the system.
   */
  markAttempt(key: string): void;
  markDelivered(key: string, now: number, status: number): void;
  markRetry(key: string, nextAttemptAt: number, status: number | null, error: string): void;
  markDead(key: string, now: number, status: number | null, error: string): void;
  /** Puts a dead entry back in line (an operator fixed the cause). False when it is not dead. */
  requeue(key: string, now: number): boolean;
  get(key: string): OutboxEntry | undefined;
  /** Newest first. */
  list(query: OutboxListQuery): OutboxPage;
  counts(): Record<OutboxState, number>;
  /** The newest entry of a ticket (its push state on the API). */
  latest(ticketId: string): OutboxEntry | undefined;
  /** The ticketing system's own id for a ticket (ServiceNow sys_id, Jira key), once known. */
  externalRef(ticketId: string, system: string): string | null;
  setExternalRef(ticketId: string, system: string, ref: string): void;
}

/** A count of zero for every outbox state. */
export function emptyCounts(): Record<OutboxState, number> {
  return Object.fromEntries(OUTBOX_STATES.map((s) => [s, 0])) as Record<OutboxState, number>;
}

const WAITING: ReadonlySet<OutboxState> = new Set(['pending', 'retrying']);
export const isWaiting = (s: OutboxState): boolean => WAITING.has(s);

/** In-memory outbox with the same behaviour as the SQLite one. */
export class MemoryOutboxStore implements OutboxStore {
  private readonly entries: { seq: number; e: OutboxEntry }[] = [];
  private readonly byKey = new Map<string, { seq: number; e: OutboxEntry }>();
  private readonly refs = new Map<string, string>();
  private seq = 0;

  enqueue(change: TicketChange, now: number): void {
    const e = newOutboxEntry(change, now);
    if (this.byKey.has(e.key)) return;
    const row = { seq: ++this.seq, e: structuredClone(e) };
    this.entries.push(row);
    this.byKey.set(e.key, row);
  }

  due(now: number, limit: number, busy: ReadonlySet<string> = new Set()): OutboxEntry[] {
    const head = new Map<string, { seq: number; e: OutboxEntry }>();
    for (const row of this.entries) {
      if (!isWaiting(row.e.state)) continue;
      const cur = head.get(row.e.ticketId);
      if (!cur || row.e.version < cur.e.version) head.set(row.e.ticketId, row);
    }
    return [...head.values()]
      .filter((r) => r.e.nextAttemptAt <= now && !busy.has(r.e.ticketId))
      .sort((a, b) => a.e.nextAttemptAt - b.e.nextAttemptAt || a.seq - b.seq)
      .slice(0, limit)
      .map((r) => structuredClone(r.e));
  }

  nextDueAt(): number | null {
    let min: number | null = null;
    for (const { e } of this.entries) if (isWaiting(e.state) && (min == null || e.nextAttemptAt < min)) min = e.nextAttemptAt;
    return min;
  }

  markAttempt(key: string): void {
    this.update(key, (e) => { e.attempts += 1; });
  }

  markDelivered(key: string, now: number, status: number): void {
    this.update(key, (e) => Object.assign(e, { state: 'delivered', deliveredAt: now, lastStatus: status, lastError: null }));
  }

  markRetry(key: string, nextAttemptAt: number, status: number | null, error: string): void {
    this.update(key, (e) => Object.assign(e, { state: 'retrying', nextAttemptAt, lastStatus: status, lastError: error }));
  }

  markDead(key: string, _now: number, status: number | null, error: string): void {
    this.update(key, (e) => Object.assign(e, { state: 'dead', lastStatus: status, lastError: error }));
  }

  requeue(key: string, now: number): boolean {
    const row = this.byKey.get(key);
    if (!row || row.e.state !== 'dead') return false;
    Object.assign(row.e, { state: 'retrying', nextAttemptAt: now });
    return true;
  }

  get(key: string): OutboxEntry | undefined {
    const row = this.byKey.get(key);
    return row ? structuredClone(row.e) : undefined;
  }

  list(q: OutboxListQuery): OutboxPage {
    const before = q.cursor ? decodeCursor(q.cursor).key : Infinity;
    const rows = this.entries
      .filter((r) => r.seq < before && (!q.state || r.e.state === q.state) && (!q.ticketId || r.e.ticketId === q.ticketId))
      .sort((a, b) => b.seq - a.seq)
      .slice(0, q.limit + 1);
    const more = rows.length > q.limit;
    const page = rows.slice(0, q.limit);
    return { items: page.map((r) => structuredClone(r.e)), nextCursor: more ? encodeCursor({ key: page[page.length - 1].seq, id: '' }) : null };
  }

  counts(): Record<OutboxState, number> {
    const c = emptyCounts();
    for (const { e } of this.entries) c[e.state] += 1;
    return c;
  }

  latest(ticketId: string): OutboxEntry | undefined {
    let best: OutboxEntry | undefined;
    for (const { e } of this.entries) if (e.ticketId === ticketId && (!best || e.version > best.version)) best = e;
    return best ? structuredClone(best) : undefined;
  }

  externalRef(ticketId: string, system: string): string | null {
    return this.refs.get(`${system}\u0000${ticketId}`) ?? null;
  }

  setExternalRef(ticketId: string, system: string, ref: string): void {
    this.refs.set(`${system}\u0000${ticketId}`, ref);
  }

  private update(key: string, fn: (e: OutboxEntry) => void): void {
    const row = this.byKey.get(key);
    if (row) fn(row.e);
  }
}
