import { describe, expect, it } from 'vitest';
import { dashboardKpis } from '../../src/evaluation/dashboard-kpis.js';
import { evaluationConfigSchema } from '../../src/evaluation/config.js';
import type { EvaluationData } from '../../src/evaluation/evaluation.js';
import { RollingEvaluation } from '../../src/evaluation/rolling-evaluation.js';
import { ticket, T0 } from '../outputs/ticketing/helpers.js';

const DAY = 86_400_000;

describe('rolling evaluation', () => {
  it('covers the window up to the watermark, recomputes at most every refreshS, and feeds the dashboard tiles', () => {
    let wall = 0;
    const periods: [number, number][] = [];
    const tickets = [
      ticket('TKT-1', 3, { state: 'verified', complaintIds: ['C-1'], proactive: true, problemStartedAt: T0 - 300_000, detectedAt: T0, times: { acknowledgedAt: T0 + 60_000, resolvedAt: T0 + 3_600_000 } }),
      ticket('TKT-2', 3, { complaintIds: ['C-2'], proactive: false, sla: { respondBy: T0, onsiteBy: null, resolveBy: null, breached: ['respond'] } }),
    ];
    const data = (from: number, to: number): EvaluationData => {
      periods.push([from, to]);
      return { from, to, tickets, callbacks: [], dissatisfied: [], complaints: [], subscribers: { total: 0, byRegion: new Map() } };
    };
    let wm: number | null = null;
    const r = new RollingEvaluation({ config: evaluationConfigSchema.parse({ windowDays: 7, refreshS: 30 }), data, watermark: () => wm, wallClock: () => wall });
    expect(r.report()).toBeNull();
    wm = T0 + DAY;
    const first = r.report()!;
    expect(periods).toEqual([[T0 + DAY - 7 * DAY, T0 + DAY + 1]]);
    wall = 29_000;
    expect(r.report()).toBe(first);
    wall = 30_000;
    r.report();
    expect(periods).toHaveLength(2);

    expect(dashboardKpis(first)).toMatchObject({
      proactiveRatio: { value: 50, note: '2 tickets with complaints' },
      timeToDetectMin: { value: 5 },
      timeToResolveMin: { value: 60 },
      // respond met once (TKT-1), missed once (TKT-2); the other stages of TKT-1 met by its resolution.
      slaAttainment: { value: 75 },
      verificationPassRate: { value: null },
    });
    expect(dashboardKpis(null)).toEqual({});
  });
});
