import { describe, expect, it } from 'vitest';
import { evaluate, type EvaluationData } from '../../src/evaluation/evaluation.js';
import type { CallbackTask, DissatisfiedEntry } from '../../src/tickets/callback-store.js';
import { ticket, T0 } from '../outputs/ticketing/helpers.js';

const M = 60_000;
const H = 60 * M;

function task(complaintId: string, over: Partial<CallbackTask> = {}): CallbackTask {
  return {
    complaintId, customerId: `cust-${complaintId}`, customerClass: 'regular', ticketId: 'TKT-1', region: 'North',
    department: 'maintenance', class: 'must_solve', verifiedAt: T0 + H, reason: 'sample', state: 'pending', result: null, ...over,
  };
}

function data(over: Partial<EvaluationData>): EvaluationData {
  return {
    from: T0 - 24 * H, to: T0 + 24 * H, tickets: [], callbacks: [], dissatisfied: [], complaints: [],
    subscribers: { total: 100_000, byRegion: new Map([['North', 60_000], ['South', 40_000]]) }, ...over,
  };
}

describe('process KPIs', () => {
  const tickets = [
    // Proactive, acknowledged after 10 min, resolved after 2 h, verified once.
    ticket('TKT-1', 5, { complaintIds: ['C-1'], proactive: true, problemStartedAt: T0 - 10 * M, detectedAt: T0,
      times: { acknowledgedAt: T0 + 10 * M, resolvedAt: T0 + 2 * H }, verification: { passed: 1, failed: 0, normalSince: null }, state: 'verified' }),
    // Reactive (complaint came first), respond SLA breached, reopened once then resolved.
    ticket('TKT-2', 9, { complaintIds: ['C-2', 'C-3'], proactive: false, region: 'South', department: 'optimization', class: 'routine',
      problemStartedAt: T0 - 30 * M, detectedAt: T0, times: { acknowledgedAt: T0 + 3 * H, resolvedAt: T0 + 6 * H },
      sla: { respondBy: T0 + 2 * H, onsiteBy: T0 + 24 * H, resolveBy: T0 + 48 * H, breached: ['respond'] },
      reopenCount: 1, verification: { passed: 1, failed: 1, normalSince: null }, state: 'verified' }),
    // Proactive, no complaints: not in the proactive ratio's base; still open.
    ticket('TKT-3', 1, { problemStartedAt: T0 - 20 * M, detectedAt: T0 }),
    // Detected at a watermark before its first evidence's time: an immediate detection.
    ticket('TKT-4', 1, { problemStartedAt: T0 + 2 * M, detectedAt: T0 }),
  ];
  const callbacks = [
    task('C-1', { state: 'done', result: { at: T0 + 2 * H, reached: true, satisfied: true, score: 5, note: null } }),
    task('C-2', { ticketId: 'TKT-2', region: 'South', department: 'optimization', class: 'routine', state: 'done',
      result: { at: T0 + 2 * H, reached: true, satisfied: false, score: 2, note: null } }),
    task('C-3', { ticketId: 'TKT-2', region: 'South', department: 'optimization', class: 'routine', state: 'done',
      result: { at: T0 + 2 * H, reached: false, satisfied: null, score: null, note: null } }),
    task('C-9', { reason: null, state: 'not_selected' }),
  ];
  const pool: DissatisfiedEntry[] = [
    { customerId: 'cust-C-2', complaintId: 'C-2', ticketId: 'TKT-2', reason: 'unsatisfied', at: T0 + 2 * H, newComplaintId: null, region: 'South', department: 'optimization', class: 'routine' },
    { customerId: 'cust-C-9', complaintId: 'C-9', ticketId: 'TKT-1', reason: 'complained_again', at: T0 + 40 * H, newComplaintId: 'C-10', region: 'North', department: 'maintenance', class: 'must_solve' },
  ];
  const complaints = [{ complaintId: 'C-1', region: 'North' }, { complaintId: 'C-2', region: 'South' }, { complaintId: 'C-3', region: 'South' }];

  it('computes the overall figures', () => {
    const r = evaluate(data({ tickets, callbacks, dissatisfied: pool, complaints }));
    expect(r.overall).toMatchObject({
      tickets: 4,
      ticketsWithComplaints: 2,
      proactiveRatio: 0.5,
      timeToDetectS: { median: 900, n: 4 },
      timeToAcknowledgeS: { median: (600 + 10_800) / 2, n: 2 },
      timeToResolveS: { median: (7200 + 21_600) / 2, n: 2 },
      slaAttainment: { respond: 0.5, onsite: 1, resolve: 1 },
      verificationPassRate: 2 / 3,
      reopenRate: 0.5,
      repeatComplaintRate: 0.25,
      complaints: 3,
      complaintsPer10kSubscribers: 0.3,
      callbacks: { due: 3, done: 3, reachRate: 2 / 3, satisfactionRate: 0.5, meanScore: 3.5 },
      // The repeat complaint came after the period; the pool counts who entered it in the period.
      dissatisfiedCustomers: 1,
    });
    expect(r.overall.timeToDetectS.p90).toBeCloseTo(1620);
    expect(r.from).toBe('2026-11-22T02:00:00.000Z');
  });

  it('groups by region, department or class, with complaints per 10k of the region’s subscribers', () => {
    const byRegion = evaluate(data({ tickets, callbacks, complaints }), 'region');
    expect(byRegion.groups.map((g) => [g.key, g.tickets, g.complaints, g.complaintsPer10kSubscribers])).toEqual([
      ['North', 3, 1, 1 / 6],
      ['South', 1, 2, 0.5],
    ]);
    const byDept = evaluate(data({ tickets }), 'department');
    expect(byDept.groups.map((g) => [g.key, g.proactiveRatio, g.slaAttainment.respond])).toEqual([
      ['maintenance', 1, 1],
      ['optimization', 0, 0],
    ]);
    expect(evaluate(data({ tickets }), 'class').groups.map((g) => g.key)).toEqual(['must_solve', 'routine']);
  });

  it('says null, not zero, when there is no evidence', () => {
    const r = evaluate(data({}));
    expect(r.overall).toMatchObject({ tickets: 0, proactiveRatio: null, verificationPassRate: null, timeToDetectS: { median: null, p90: null, n: 0 } });
  });
});
