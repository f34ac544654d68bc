import { describe, expect, it } from 'vitest';
import { evaluationTiles } from '../../src/dashboard/evaluation-tiles.js';
import type { ProcessKpis } from '../../src/evaluation/evaluation.js';

const none = { median: null, p90: null, n: 0 };
const kpis = (p: Partial<ProcessKpis> = {}): ProcessKpis => ({
  tickets: 0, ticketsWithComplaints: 0, proactiveRatio: null, timeToDetectS: none, timeToAcknowledgeS: none, timeToResolveS: none,
  slaAttainment: { respond: null, onsite: null, resolve: null }, slaOverall: null, verificationPassRate: null, reopenRate: null,
  repeatComplaintRate: null, complaints: 0, complaintsPer10kSubscribers: null,
  callbacks: { due: 0, done: 0, reachRate: null, satisfactionRate: null, meanScore: null }, dissatisfiedCustomers: 0, ...p,
});

describe('evaluation tiles', () => {
  it('shows ratios as percent and durations as minutes, with their evidence', () => {
    const t = evaluationTiles(kpis({
      ticketsWithComplaints: 8, proactiveRatio: 0.625, timeToDetectS: { median: 390, p90: 900, n: 12 },
      timeToResolveS: { median: 7200, p90: 14_400, n: 9 }, slaAttainment: { respond: 1, onsite: 0.9, resolve: 0.75 }, slaOverall: 0.88,
      verificationPassRate: 0.9, reopenRate: 0.1, repeatComplaintRate: 0.042, complaints: 120,
      callbacks: { due: 10, done: 8, reachRate: 0.8, satisfactionRate: 0.875, meanScore: 4.1 },
    }), 7);
    expect(t.proactiveRatio).toEqual({ value: 62.5, note: '8 tickets drew complaints · last 7d' });
    expect(t.timeToDetectMin).toEqual({ value: 6.5, note: 'median · p90 15 min · n=12' });
    expect(t.timeToResolveMin.value).toBe(120);
    expect(t.slaAttainment).toEqual({ value: 88, note: 'respond 100% · onsite 90% · resolve 75%' });
    expect(t.repeatComplaintRate.value).toBe(4.2);
    expect(t.callbackSatisfaction).toEqual({ value: 87.5, note: '8/10 callbacks · reached 80%' });
  });

  it('leaves a KPI without evidence empty, not zero', () => {
    const t = evaluationTiles(kpis(), 7);
    expect(t.proactiveRatio.value).toBeNull();
    expect(t.timeToDetectMin).toEqual({ value: null, note: 'no sample yet · last 7d' });
    expect(t.callbackSatisfaction.value).toBeNull();
  });

  it('counts read as words: one ticket, thousands separated', () => {
    const t = evaluationTiles(kpis({ ticketsWithComplaints: 1, complaints: 1884, callbacks: { due: 1, done: 0, reachRate: null, satisfactionRate: null, meanScore: null } }), 7);
    expect(t.proactiveRatio.note).toBe('1 ticket drew complaints · last 7d');
    expect(t.repeatComplaintRate.note).toBe('1,884 complaints · last 7d');
    expect(t.callbackSatisfaction.note).toBe('0/1 callback · reached —');
  });
});
