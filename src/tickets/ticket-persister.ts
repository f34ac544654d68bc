/**
 * Persists ticket versions inside the pipeline's batch transaction: the ticket document and its
 * outbox entry commit together, so no version is stored without being queued for delivery, and
 * none is delivered that was not stored.
 */
import type { BatchOutcome, BatchPersister } from '../pipeline/stages.js';
import type { Store } from '../store/store.js';

export class TicketPersister implements BatchPersister {
  constructor(
    private readonly store: Pick<Store, 'tickets' | 'outbox'>,
    /** Wall clock: when the entry was queued (delivery pacing is wall time). */
    private readonly wallClock: () => number = Date.now,
  ) {}

  persist(outcome: BatchOutcome): void {
    const now = this.wallClock();
    for (const change of outcome.ticketChanges) {
      this.store.tickets.upsert(change.ticket);
      this.store.outbox.enqueue(change, now);
    }
    // Progress without a version (the verification window's clocks): stored, not delivered. Newer
    // than any version above (taken after them), so it is written last.
    for (const t of outcome.ticketProgress ?? []) this.store.tickets.upsert(t);
  }
}
