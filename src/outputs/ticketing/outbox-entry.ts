/**
 * One ticket version waiting for (or done with) delivery to the ticketing system. The pipeline
 * enqueues an entry for every ticket change in the same store transaction that persists the ticket,
 * so a version is never lost between the two; the delivery worker then pushes it exactly once.
 */
import type { Ticket } from '../../model/index.js';
import type { TicketChange } from '../../pipeline/stages.js';

export const OUTBOX_STATES = ['pending', 'retrying', 'delivered', 'dead'] as const;
/** `pending`: not tried yet; `retrying`: failed in a way a retry can fix; `dead`: refused for good (4xx). */
export type OutboxState = (typeof OUTBOX_STATES)[number];

export interface OutboxEntry {
  /** `<ticketId>:<version>` — also the `Idempotency-Key` header. */
  key: string;
  ticketId: string;
  version: number;
  change: TicketChange['type'];
  note: string | null;
  /** The ticket as it was at this version. */
  ticket: Ticket;
  state: OutboxState;
  attempts: number;
  /** Wall-clock ms before which the entry is not tried (backoff, Retry-After). */
  nextAttemptAt: number;
  /** Wall-clock ms of enqueueing and of delivery. */
  enqueuedAt: number;
  deliveredAt: number | null;
  /** HTTP status of the last attempt (null: network error or timeout). */
  lastStatus: number | null;
  lastError: string | null;
}

export function outboxKey(ticketId: string, version: number): string {
  return `${ticketId}:${version}`;
}

/** A fresh entry for a ticket change. */
export function newOutboxEntry(change: TicketChange, now: number): OutboxEntry {
  const t = change.ticket;
  return {
    key: outboxKey(t.id, t.version),
    ticketId: t.id,
    version: t.version,
    change: change.type,
    note: change.note ?? null,
    ticket: t,
    state: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    enqueuedAt: now,
    deliveredAt: null,
    lastStatus: null,
    lastError: null,
  };
}

/** The ticket's `external.pushState` for the state of its newest outbox entry. */
export function pushStateOf(state: OutboxState): Ticket['external']['pushState'] {
  return state === 'dead' ? 'dead_letter' : state;
}
