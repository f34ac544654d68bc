import { describe, expect, it } from 'vitest';
import { isActive, nextState, type TicketInput } from '../../src/tickets/state-machine.js';
import type { TicketState } from '../../src/model/index.js';

describe('ticket state machine', () => {
  // [from, input, expected outcome (null = refused with 409)]
  const table: [TicketState, TicketInput, TicketState | 'same' | null][] = [
    ['open', 'acknowledged', 'acknowledged'],
    ['open', 'dispatched', 'in_progress'],
    ['open', 'onsite', 'in_progress'],
    ['open', 'resolved', 'resolved'],
    ['open', 'rejected', 'same'],
    ['open', 'comment', 'same'],
    ['open', 'network_recovered', 'resolved'],
    ['open', 'verify_passed', null],
    ['open', 'close_due', null],
    ['acknowledged', 'acknowledged', 'same'],
    ['acknowledged', 'dispatched', 'in_progress'],
    ['acknowledged', 'rejected', 'open'],
    ['acknowledged', 'resolved', 'resolved'],
    ['in_progress', 'onsite', 'same'],
    ['in_progress', 'acknowledged', 'same'],
    ['in_progress', 'resolved', 'resolved'],
    ['in_progress', 'rejected', 'open'],
    ['in_progress', 'relapse', 'same'],
    ['resolved', 'verify_passed', 'verified'],
    ['resolved', 'relapse', 'reopened'],
    ['resolved', 'rejected', 'reopened'],
    ['resolved', 'resolved', 'same'],
    ['resolved', 'acknowledged', null],
    ['resolved', 'dispatched', null],
    ['verified', 'close_due', 'closed'],
    ['verified', 'relapse', 'reopened'],
    ['verified', 'acknowledged', null],
    ['verified', 'rejected', null],
    ['reopened', 'acknowledged', 'acknowledged'],
    ['reopened', 'onsite', 'in_progress'],
    ['reopened', 'network_recovered', 'resolved'],
    ['reopened', 'resolved', 'resolved'],
    ['closed', 'relapse', 'reopened'],
    ['closed', 'comment', 'same'],
    ['closed', 'acknowledged', null],
    ['closed', 'onsite', null],
    ['closed', 'verify_passed', null],
    ['open', 'merged', 'closed'],
    ['resolved', 'merged', 'closed'],
    ['verified', 'merged', 'closed'],
    ['closed', 'merged', 'same'],
  ];
  it.each(table)('%s + %s → %s', (from, input, expected) => {
    expect(nextState(from, input)).toBe(expected);
  });

  it('SLA clocks and the audit apply to working states only', () => {
    expect(['open', 'acknowledged', 'in_progress', 'reopened'].every((s) => isActive(s as TicketState))).toBe(true);
    expect(['resolved', 'verified', 'closed'].some((s) => isActive(s as TicketState))).toBe(false);
  });
});
