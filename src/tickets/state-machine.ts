/**
 * The ticket life cycle as one table: from which state, on which input, to which state.
 *
 *   open → acknowledged → in_progress → resolved → verified → closed, plus reopened.
 *
 * Inputs are the ticketing system's events (`POST /api/v1/tickets/:id/events`) and the daemon's own
 * findings (the network recovered, verification passed, a relapse, the close timer, the incident
 * was merged into a bigger one whose ticket carries on the work). A pair that is
 * not in the table is an invalid transition (409). `same` means "accepted, state unchanged": a
 * repeated event from a retrying ticketing system, a comment, a late acknowledgement.
 */
import type { TicketEventType, TicketState } from '../model/index.js';

/** What the daemon itself decides about a ticket. */
export const SYSTEM_INPUTS = ['network_recovered', 'verify_passed', 'relapse', 'close_due', 'merged'] as const;
export type SystemInput = (typeof SYSTEM_INPUTS)[number];

export type TicketInput = TicketEventType | SystemInput;

/** Target state, or `same` (accepted without a state change). */
export type Outcome = TicketState | 'same';

type Row = Partial<Record<TicketInput, Outcome>>;

/** Working states: the handling side has the ticket. */
const working = (self: TicketState): Row => ({
  acknowledged: self === 'open' || self === 'reopened' ? 'acknowledged' : 'same',
  dispatched: 'in_progress',
  onsite: 'in_progress',
  resolved: 'resolved',
  // The handling team sent the work order back: it is open again for dispatch.
  rejected: self === 'open' ? 'same' : 'open',
  comment: 'same',
  network_recovered: 'resolved',
  relapse: 'same',
  merged: 'closed',
});

export const TRANSITIONS: Readonly<Record<TicketState, Row>> = {
  open: working('open'),
  acknowledged: working('acknowledged'),
  in_progress: { ...working('in_progress'), dispatched: 'same', onsite: 'same' },
  reopened: working('reopened'),
  resolved: {
    resolved: 'same',
    comment: 'same',
    // The resolution was refused (by the customer side or a checker): the work is not done.
    rejected: 'reopened',
    network_recovered: 'same',
    verify_passed: 'verified',
    relapse: 'reopened',
    merged: 'closed',
  },
  verified: {
    resolved: 'same',
    comment: 'same',
    network_recovered: 'same',
    relapse: 'reopened',
    close_due: 'closed',
    merged: 'closed',
  },
  closed: {
    comment: 'same',
    resolved: 'same',
    network_recovered: 'same',
    relapse: 'reopened',
    merged: 'same',
  },
};

/** The outcome of `input` in `state`, or `null` when the transition is not allowed. */
export function nextState(state: TicketState, input: TicketInput): Outcome | null {
  return TRANSITIONS[state][input] ?? null;
}

/** States in which the handling side still owes work (SLA clocks and the audit apply). */
export function isActive(state: TicketState): boolean {
  return state === 'open' || state === 'acknowledged' || state === 'in_progress' || state === 'reopened';
}
