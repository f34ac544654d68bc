/**
 * Customer follow-up after a verified fix: one row per complainant of a verified ticket (whether or
 * not drawn for a callback), the callback results, and the dissatisfied-customer pool. Interface
 * and in-memory fake here; SQLite in sqlite-callback-store.ts.
 */
import type { CustomerClass, Department, TriageClass } from '../model/index.js';
import { decodeCursor, encodeCursor, type Page } from '../store/page.js';

export type { Page };

export type CallbackReason = 'vip' | 'enterprise' | 'sample';
export type CallbackState = 'pending' | 'done' | 'not_selected';

export interface CallbackResult {
  at: number;
  reached: boolean;
  satisfied: boolean | null;
  score: number | null;
  note: string | null;
}

/** One complainant of a verified ticket. */
export interface CallbackTask {
  complaintId: string;
  customerId: string;
  customerClass: CustomerClass;
  ticketId: string;
  region: string | null;
  department: Department;
  class: TriageClass;
  /** Event time the ticket was verified: the follow-up period starts here. */
  verifiedAt: number;
  /** Why this complainant is called back; null when not drawn. */
  reason: CallbackReason | null;
  state: CallbackState;
  result: CallbackResult | null;
}

export type DissatisfiedReason = 'unsatisfied' | 'complained_again';

export interface DissatisfiedEntry {
  customerId: string;
  complaintId: string;
  ticketId: string;
  reason: DissatisfiedReason;
  /** Event time: the callback's time, or the new complaint's receive time. */
  at: number;
  /** The new complaint, for `complained_again`. */
  newComplaintId: string | null;
  region: string | null;
  department: Department;
  class: TriageClass;
}

export interface CallbackStore {
  /** Adds a task unless the complaint already has one (a re-verified ticket keeps its first). */
  addTask(task: CallbackTask): boolean;
  getTask(complaintId: string): CallbackTask | undefined;
  /** Records a callback's result (the task becomes `done`). */
  recordResult(complaintId: string, result: CallbackResult): void;
  /** Tasks of a customer whose ticket was verified within [from, to]. */
  tasksOfCustomer(customerId: string, from: number, to: number): CallbackTask[];
  /** Called-back tasks (pending or done), newest verification first. */
  listTasks(q: { state?: 'pending' | 'done'; limit: number; cursor?: string | null }): Page<CallbackTask>;
  /** Every task verified within [from, to] (for evaluation). */
  tasksBetween(from: number, to: number): CallbackTask[];
  /** Adds a pool entry; the same (customer, complaint, reason, new complaint) only once. */
  addDissatisfied(entry: DissatisfiedEntry): boolean;
  listDissatisfied(q: { limit: number; cursor?: string | null }): Page<DissatisfiedEntry>;
  dissatisfiedBetween(from: number, to: number): DissatisfiedEntry[];
  counts(): { pending: number; done: number; dissatisfiedCustomers: number };
}

const dissKey = (e: DissatisfiedEntry) => `${e.customerId}\u0000${e.complaintId}\u0000${e.reason}\u0000${e.newComplaintId ?? ''}`;

/** Pages newest first through items sorted by descending sequence. */
function page<T>(rows: { seq: number; v: T }[], limit: number, cursor?: string | null): Page<T> {
  const before = cursor ? decodeCursor(cursor).key : Infinity;
  const sel = rows.filter((r) => r.seq < before).sort((a, b) => b.seq - a.seq).slice(0, limit + 1);
  const items = sel.slice(0, limit);
  return { items: items.map((r) => structuredClone(r.v)), nextCursor: sel.length > limit ? encodeCursor({ key: items[items.length - 1].seq, id: '' }) : null };
}

export class MemoryCallbackStore implements CallbackStore {
  private readonly tasks = new Map<string, { seq: number; v: CallbackTask }>();
  private readonly pool = new Map<string, { seq: number; v: DissatisfiedEntry }>();
  private seq = 0;

  addTask(task: CallbackTask): boolean {
    if (this.tasks.has(task.complaintId)) return false;
    this.tasks.set(task.complaintId, { seq: ++this.seq, v: structuredClone(task) });
    return true;
  }

  getTask(complaintId: string): CallbackTask | undefined {
    const r = this.tasks.get(complaintId);
    return r ? structuredClone(r.v) : undefined;
  }

  recordResult(complaintId: string, result: CallbackResult): void {
    const r = this.tasks.get(complaintId);
    if (r) Object.assign(r.v, { state: 'done', result: { ...result } });
  }

  tasksOfCustomer(customerId: string, from: number, to: number): CallbackTask[] {
    return [...this.tasks.values()]
      .map((r) => r.v)
      .filter((t) => t.customerId === customerId && t.verifiedAt >= from && t.verifiedAt <= to)
      .map((t) => structuredClone(t));
  }

  listTasks(q: { state?: 'pending' | 'done'; limit: number; cursor?: string | null }): Page<CallbackTask> {
    const rows = [...this.tasks.values()].filter((r) => r.v.state !== 'not_selected' && (!q.state || r.v.state === q.state));
    return page(rows, q.limit, q.cursor);
  }

  tasksBetween(from: number, to: number): CallbackTask[] {
    return [...this.tasks.values()].map((r) => r.v).filter((t) => t.verifiedAt >= from && t.verifiedAt <= to).map((t) => structuredClone(t));
  }

  addDissatisfied(entry: DissatisfiedEntry): boolean {
    const k = dissKey(entry);
    if (this.pool.has(k)) return false;
    this.pool.set(k, { seq: ++this.seq, v: structuredClone(entry) });
    return true;
  }

  listDissatisfied(q: { limit: number; cursor?: string | null }): Page<DissatisfiedEntry> {
    return page([...this.pool.values()], q.limit, q.cursor);
  }

  dissatisfiedBetween(from: number, to: number): DissatisfiedEntry[] {
    return [...this.pool.values()].map((r) => r.v).filter((e) => e.at >= from && e.at <= to).map((e) => structuredClone(e));
  }

  counts(): { pending: number; done: number; dissatisfiedCustomers: number } {
    let pending = 0;
    let done = 0;
    for (const { v } of this.tasks.values()) {
      if (v.state === 'pending') pending += 1;
      else if (v.state === 'done') done += 1;
    }
    return { pending, done, dissatisfiedCustomers: new Set([...this.pool.values()].map((r) => r.v.customerId)).size };
  }
}
