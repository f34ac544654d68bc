/** Callback tasks and the dissatisfied-customer pool in SQLite. Schema: the `0007-ticket-callbacks` migration. */
import type { Statement } from 'better-sqlite3';
import type { Db as Database } from '../store/database.js';
import type {
  CallbackResult, CallbackStore, CallbackTask, DissatisfiedEntry, Page,
} from './callback-store.js';
import { decodeCursor, encodeCursor } from '../store/page.js';


type Doc = { seq: number; doc: string };

function pageOf<T>(rows: Doc[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return {
    items: items.map((r) => JSON.parse(r.doc) as T),
    nextCursor: rows.length > limit ? encodeCursor({ key: items[items.length - 1].seq, id: '' }) : null,
  };
}

export class SqliteCallbackStore implements CallbackStore {
  private readonly s: Record<string, Statement>;

  constructor(db: Database) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      add: p(`INSERT OR IGNORE INTO ticket_callbacks (complaint_id, customer_id, ticket_id, verified_at, state, doc)
        VALUES (?, ?, ?, ?, ?, ?)`),
      get: p(`SELECT doc FROM ticket_callbacks WHERE complaint_id = ?`),
      update: p(`UPDATE ticket_callbacks SET state = ?, doc = ? WHERE complaint_id = ?`),
      ofCustomer: p(`SELECT doc FROM ticket_callbacks WHERE customer_id = ? AND verified_at BETWEEN ? AND ?`),
      list: p(`SELECT seq, doc FROM ticket_callbacks WHERE seq < ? AND state IN (?, ?) ORDER BY seq DESC LIMIT ?`),
      between: p(`SELECT doc FROM ticket_callbacks WHERE verified_at BETWEEN ? AND ?`),
      addDiss: p(`INSERT OR IGNORE INTO dissatisfied_customers (dedup, customer_id, at, doc) VALUES (?, ?, ?, ?)`),
      listDiss: p(`SELECT seq, doc FROM dissatisfied_customers WHERE seq < ? ORDER BY seq DESC LIMIT ?`),
      dissBetween: p(`SELECT doc FROM dissatisfied_customers WHERE at BETWEEN ? AND ?`),
      counts: p(`SELECT state, COUNT(*) AS n FROM ticket_callbacks WHERE state IN ('pending', 'done') GROUP BY state`),
      dissCount: p(`SELECT COUNT(DISTINCT customer_id) AS n FROM dissatisfied_customers`),
    };
  }

  addTask(task: CallbackTask): boolean {
    return this.s.add.run(task.complaintId, task.customerId, task.ticketId, task.verifiedAt, task.state, JSON.stringify(task)).changes > 0;
  }

  getTask(complaintId: string): CallbackTask | undefined {
    const r = this.s.get.get(complaintId) as { doc: string } | undefined;
    return r ? JSON.parse(r.doc) : undefined;
  }

  recordResult(complaintId: string, result: CallbackResult): void {
    const task = this.getTask(complaintId);
    if (!task) return;
    const done: CallbackTask = { ...task, state: 'done', result };
    this.s.update.run('done', JSON.stringify(done), complaintId);
  }

  tasksOfCustomer(customerId: string, from: number, to: number): CallbackTask[] {
    return (this.s.ofCustomer.all(customerId, from, to) as { doc: string }[]).map((r) => JSON.parse(r.doc));
  }

  listTasks(q: { state?: 'pending' | 'done'; limit: number; cursor?: string | null }): Page<CallbackTask> {
    const before = q.cursor ? decodeCursor(q.cursor).key : Number.MAX_SAFE_INTEGER;
    const [a, b] = q.state ? [q.state, q.state] : ['pending', 'done'];
    return pageOf(this.s.list.all(before, a, b, q.limit + 1) as Doc[], q.limit);
  }

  tasksBetween(from: number, to: number): CallbackTask[] {
    return (this.s.between.all(from, to) as { doc: string }[]).map((r) => JSON.parse(r.doc));
  }

  addDissatisfied(e: DissatisfiedEntry): boolean {
    const dedup = [e.customerId, e.complaintId, e.reason, e.newComplaintId ?? ''].join('\u0000');
    return this.s.addDiss.run(dedup, e.customerId, e.at, JSON.stringify(e)).changes > 0;
  }

  listDissatisfied(q: { limit: number; cursor?: string | null }): Page<DissatisfiedEntry> {
    const before = q.cursor ? decodeCursor(q.cursor).key : Number.MAX_SAFE_INTEGER;
    return pageOf(this.s.listDiss.all(before, q.limit + 1) as Doc[], q.limit);
  }

  dissatisfiedBetween(from: number, to: number): DissatisfiedEntry[] {
    return (this.s.dissBetween.all(from, to) as { doc: string }[]).map((r) => JSON.parse(r.doc));
  }

  counts(): { pending: number; done: number; dissatisfiedCustomers: number } {
    const c = { pending: 0, done: 0, dissatisfiedCustomers: 0 };
    for (const r of this.s.counts.all() as { state: 'pending' | 'done'; n: number }[]) c[r.state] = r.n;
    c.dissatisfiedCustomers = (this.s.dissCount.get() as { n: number }).n;
    return c;
  }
}
