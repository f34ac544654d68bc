/**
 * Callbacks and the dissatisfied-customer pool. When a ticket is verified, every complainant gets a
 * follow-up row: VIP and enterprise complainants are always called back, the rest by a
 * deterministic sample (the same complaint is drawn or not on every run). Callback results come in
 * on `POST /api/v1/callbacks`; a customer reached and still unsatisfied, or who complains again
 * within the repeat window after the fix, joins the pool.
 *
 * Fed by the pipeline after each committed batch (verified ticket changes, new complaints). A crash
 * between the commit and this listener loses nothing: `reconcile` re-creates missing rows from the
 * verified tickets at start (rows are keyed by complaint, so it is idempotent).
 */
import { createHash } from 'node:crypto';
import type { Complaint, Ticket } from '../model/index.js';
import { DAY } from '../model/index.js';
import type { BatchOutcome, PipelineListener } from '../pipeline/stages.js';
import type { CallbackReason, CallbackStore, CallbackTask, DissatisfiedEntry } from './callback-store.js';
import type { TicketsConfig } from './config.js';
import { NotFoundError } from '../errors.js';
import type { ComplaintLookup } from './ticket-engine.js';

/** A callback result as posted (times already parsed to epoch ms). */
export interface CallbackInput {
  complaintId: string;
  at: number;
  reached: boolean;
  satisfied?: boolean | null;
  score?: number | null;
  note?: string | null;
}

export interface CallbackServiceDeps {
  store: CallbackStore;
  complaints: ComplaintLookup;
  config: TicketsConfig['callbacks'];
  /** Where a listener's failure is reported (it must never throw into the pipeline). */
  onError?: (err: unknown) => void;
}

/** Deterministic draw in [0, 1) for a complaint: the same salt and id always give the same number. */
export function sampleDraw(salt: string, complaintId: string): number {
  return createHash('sha256').update(`${salt}\u0000${complaintId}`).digest().readUInt32BE(0) / 2 ** 32;
}

export function callbackReason(c: Complaint, config: TicketsConfig['callbacks']): CallbackReason | null {
  if (c.customer.class.startsWith('vip_')) return 'vip';
  if (c.customer.class === 'enterprise') return 'enterprise';
  return sampleDraw(config.sampleSalt, c.complaintId) < config.sampleRate ? 'sample' : null;
}

export class CallbackService implements PipelineListener {
  constructor(private readonly deps: CallbackServiceDeps) {}

  onBatch(outcome: BatchOutcome): void {
    try {
      for (const ch of outcome.ticketChanges) if (ch.type === 'verified') this.onVerified(ch.ticket);
      for (const { complaint } of outcome.complaints) this.onComplaint(complaint);
    } catch (err) {
      this.deps.onError?.(err);
    }
  }

  /** Re-creates follow-up rows for verified tickets whose rows a crash lost. */
  reconcile(tickets: Iterable<Readonly<Ticket>>): void {
    for (const t of tickets) if (t.times?.verifiedAt != null) this.onVerified(t);
  }

  /** Creates the follow-up rows of a verified ticket; returns the tasks drawn for a callback. */
  onVerified(t: Readonly<Ticket>): CallbackTask[] {
    const drawn: CallbackTask[] = [];
    const verifiedAt = t.times?.verifiedAt ?? t.updatedAt;
    for (const id of t.complaintIds) {
      const c = this.deps.complaints.complaint(id);
      if (!c) continue;
      const reason = callbackReason(c, this.deps.config);
      const task: CallbackTask = {
        complaintId: id, customerId: c.customer.id, customerClass: c.customer.class, ticketId: t.id,
        region: t.region ?? null, department: t.department, class: t.class, verifiedAt,
        reason, state: reason ? 'pending' : 'not_selected', result: null,
      };
      if (this.deps.store.addTask(task) && reason) drawn.push(task);
    }
    return drawn;
  }

  /** A new complaint from a customer whose earlier complaint's fix was verified recently. */
  onComplaint(c: Complaint): void {
    const window = this.deps.config.repeatWindowDays * DAY;
    for (const task of this.deps.store.tasksOfCustomer(c.customer.id, c.receivedAt - window, c.receivedAt)) {
      if (task.complaintId === c.complaintId) continue;
      this.pool(task, 'complained_again', c.receivedAt, c.complaintId);
    }
  }

  /** Records a callback's outcome; throws 404 when the complaint has no follow-up row. */
  record(input: CallbackInput): CallbackTask {
    const task = this.deps.store.getTask(input.complaintId);
    if (!task) {
      throw new NotFoundError(`no callback task for complaint ${input.complaintId} (its ticket is not verified yet)`);
    }
    const result = {
      at: input.at, reached: input.reached, satisfied: input.reached ? (input.satisfied ?? null) : null,
      score: input.score ?? null, note: input.note ?? null,
    };
    this.deps.store.recordResult(task.complaintId, result);
    if (result.reached && result.satisfied === false) this.pool(task, 'unsatisfied', input.at, null);
    return { ...task, state: 'done', result };
  }

  private pool(task: CallbackTask, reason: DissatisfiedEntry['reason'], at: number, newComplaintId: string | null): void {
    this.deps.store.addDissatisfied({
      customerId: task.customerId, complaintId: task.complaintId, ticketId: task.ticketId, reason, at, newComplaintId,
      region: task.region, department: task.department, class: task.class,
    });
  }
}
