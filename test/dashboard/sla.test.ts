/**
 * The SLA badge: the nearest deadline a ticket still owes, named, counted down on event time; the
 * overdue one in red. The deadlines come from the server's view of a real ticket (views.ts), so
 * "met" is the ticket stage's own rule.
 */
import { describe, expect, it } from 'vitest';
import { slaView } from '../../src/dashboard/page/sla.js';
import { ticketItem } from '../../src/dashboard/views.js';
import type { Ticket } from '../../src/model/index.js';
import { T0, ticket } from './fixtures.js';

const MIN = 60_000;
const H = 60 * MIN;
/** A must-solve ticket created at T0: respond in 2 h, on site in 24 h, resolve in 48 h. */
const mustSolve = (extra: Partial<Ticket> = {}) => ticketItem(ticket('TKT-1', 'INC-1', {
  createdAt: T0, sla: { respondBy: T0 + 2 * H, onsiteBy: T0 + 24 * H, resolveBy: T0 + 48 * H, breached: [] }, ...extra,
}));
const view = (extra: Partial<Ticket>, now: number) => {
  const v = slaView(mustSolve(extra), now);
  return { cls: v.cls, text: v.text, missed: v.missed };
};

describe('the SLA badge', () => {
  it.each([
    ['just opened: the respond deadline is the nearest, 2 h away', {}, T0 + 5 * MIN, { cls: 'soon', text: 'respond in 1h 55m', missed: [] }],
    ['respond due within 30 min', {}, T0 + 100 * MIN, { cls: 'urgent', text: 'respond in 20m', missed: [] }],
    ['acknowledged: respond is met, on site is next', { state: 'acknowledged', times: { acknowledgedAt: T0 + 10 * MIN } }, T0 + H, { cls: 'ok', text: 'on site in 23h 00m', missed: [] }],
    ['respond deadline passed without a response (before the stage records it)', {}, T0 + 2 * H + 10 * MIN, { cls: 'breached', text: 'respond overdue 10m', missed: [] }],
    ['recorded respond breach, still no response', { sla: { respondBy: T0 + 2 * H, onsiteBy: T0 + 24 * H, resolveBy: T0 + 48 * H, breached: ['respond'] } }, T0 + 3 * H,
      { cls: 'breached', text: 'respond overdue 1h 00m', missed: [] }],
    ['two stages overdue: the older first, the other named', { sla: { respondBy: T0 + 2 * H, onsiteBy: T0 + 24 * H, resolveBy: T0 + 48 * H, breached: ['respond', 'onsite'] } }, T0 + 25 * H,
      { cls: 'breached', text: 'respond overdue 23h 00m (+1)', missed: [] }],
    ['responded late: on site counts down, respond stays marked as missed',
      { state: 'acknowledged', times: { acknowledgedAt: T0 + 3 * H }, sla: { respondBy: T0 + 2 * H, onsiteBy: T0 + 24 * H, resolveBy: T0 + 48 * H, breached: ['respond'] } }, T0 + 4 * H,
      { cls: 'ok', text: 'on site in 20h 00m', missed: ['respond'] }],
    ['fixed remotely: on site is met by the resolution, the state says it', { state: 'resolved', times: { resolvedAt: T0 + H } }, T0 + 2 * H, { cls: 'ok', text: 'resolved', missed: [] }],
    ['closed after a breach: done, the breach still shows', { state: 'closed', sla: { respondBy: T0 + 2 * H, onsiteBy: T0 + 24 * H, resolveBy: T0 + 48 * H, breached: ['respond'] } }, T0 + 50 * H,
      { cls: 'ok', text: 'closed', missed: ['respond'] }],
    ['reopened: resolve is owed again', { state: 'reopened', times: { acknowledgedAt: T0 + MIN, onsiteAt: T0 + H, resolvedAt: T0 + 2 * H } }, T0 + 3 * H,
      { cls: 'ok', text: 'resolve in 45h 00m', missed: [] }],
    ['in progress without recorded milestones (older tickets, other sources): the state says it responded',
      { state: 'in_progress' }, T0 + 3 * H, { cls: 'ok', text: 'on site in 21h 00m', missed: [] }],
    ['a class without SLA clocks', { class: 'defer', sla: { respondBy: null, onsiteBy: null, resolveBy: null, breached: [] } }, T0 + H, { cls: 'none', text: 'no SLA clock', missed: [] }],
  ] as [string, Partial<Ticket>, number, ReturnType<typeof view>][])('%s', (_name, extra, now, expected) => {
    expect(view(extra, now)).toEqual(expected);
  });

  it('the tooltip lists every deadline and whether it was met', () => {
    const v = slaView(mustSolve({ state: 'acknowledged', times: { acknowledgedAt: T0 + 10 * MIN } }), T0 + H);
    expect(v.title.split('\n').map((l) => l.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, 'T'))).toEqual(['respond by T, met T', 'on site by T', 'resolve by T']);
  });
});
