import { describe, expect, it } from 'vitest';
import { dashboardConfigSchema } from '../../src/dashboard/config.js';
import { DashboardState } from '../../src/dashboard/dashboard-state.js';
import { T0, complaint, fakeWorld, incident, makeCells, outcome, ticket } from './fixtures.js';

const MIN = 60_000;

describe('dashboard state', () => {
  it('KPI sparklines get a point per 15 min of event time, holding the last value sampled in it', () => {
    const world = fakeWorld(makeCells(10));
    const state = new DashboardState(dashboardConfigSchema.parse({}), world.sources, 'e');
    const tile = () => state.snapshot(0).kpis.find((k) => k.key === 'proactiveRatio')!;
    // Every 5 minutes of event time a sample with a new value.
    for (let m = 0; m <= 60; m += 5) {
      world.kpis.proactiveRatio = { value: 50 + m };
      state.apply(outcome({ watermark: T0 + m * MIN }));
      state.sampleKpis();
    }
    const t = tile();
    expect(t.t.map((x) => (x - T0) / MIN)).toEqual([0, 15, 30, 45, 60]);
    expect(t.v).toEqual([60, 75, 90, 105, 110]);
    world.kpis.proactiveRatio = { value: 111 };
    state.apply(outcome({ watermark: T0 + 65 * MIN }));
    state.sampleKpis();
    expect(tile().v.slice(-2)).toEqual([105, 111]);
    expect(tile().value).toBe(111);
  });

  it('an incident shows its ticket from the batch that opened both (before the incident names it)', () => {
    const world = fakeWorld(makeCells(10));
    const state = new DashboardState(dashboardConfigSchema.parse({}), world.sources, 'e');
    state.apply(outcome({
      incidentChanges: [{ type: 'opened', incident: incident('INC-1', ['C-1'], { ticketId: null }) }],
      ticketChanges: [{ type: 'opened', ticket: ticket('TKT-1', 'INC-1') }],
    }));
    const d = state.takeDelta()!;
    expect(d.incidents![0]!.ticket).toMatchObject({ id: 'TKT-1', state: 'open', proactive: true });
    expect(d.tickets!.counts).toEqual({ open: { maintenance: 1 } });
  });

  it('without an evaluation source the tiles say so', () => {
    const world = fakeWorld(makeCells(10));
    delete world.sources.processKpis;
    const state = new DashboardState(dashboardConfigSchema.parse({}), world.sources, 'e');
    state.sampleKpis();
    expect(state.snapshot(0).kpis.every((k) => k.value === null && k.note === 'evaluation not running')).toBe(true);
  });
});

describe('dashboard state: resolved incidents', () => {
  it('a ticket that moves on after its incident resolved updates the incident on the page', () => {
    const world = fakeWorld(makeCells(10));
    const state = new DashboardState(dashboardConfigSchema.parse({}), world.sources, 'e');
    const inc = incident('INC-1', ['C-1'], { ticketId: 'TKT-1' });
    state.apply(outcome({ incidentChanges: [{ type: 'opened', incident: inc }], ticketChanges: [{ type: 'opened', ticket: ticket('TKT-1', 'INC-1') }] }));
    state.takeDelta();
    const resolvedInc = { ...inc, state: 'resolved' as const, resolvedAt: T0 + 30 * MIN };
    world.incidents.set('INC-1', resolvedInc);
    state.apply(outcome({ incidentChanges: [{ type: 'resolved', incident: resolvedInc }], ticketChanges: [{ type: 'state', ticket: ticket('TKT-1', 'INC-1', { state: 'resolved' }) }] }));
    expect(state.takeDelta()!.incidents).toMatchObject([{ id: 'INC-1', state: 'resolved', ticket: { state: 'resolved' } }]);
    // Verified an hour later: the incident is no longer live, its ticket still changes.
    state.apply(outcome({ watermark: T0 + 90 * MIN, ticketChanges: [{ type: 'verified', ticket: ticket('TKT-1', 'INC-1', { state: 'verified' }) }] }));
    expect(state.takeDelta()!.incidents).toMatchObject([{ id: 'INC-1', state: 'resolved', ticket: { state: 'verified' } }]);
  });
});

describe('dashboard state: complaints / 24h', () => {
  it('after a restart counts the last 24 h of stored complaints, not only the ticker\'s latest 100', () => {
    const world = fakeWorld(makeCells(10));
    // 30 h of complaints, one every 6 minutes: 240 of them within the last day before T0.
    for (let k = 0; k < 300; k++) {
      const at = T0 - k * 6 * MIN - 3 * MIN;
      world.complaints.set(`C${k}`, { complaint: complaint(`C${k}`, 'C-1', 'regular', at), incidentId: null });
    }
    const state = new DashboardState(dashboardConfigSchema.parse({}), world.sources, 'e');
    expect(state.snapshot(0).complaints).toHaveLength(100);
    expect(state.snapshot(0).counters.complaintsToday).toBe(240);
    // An hour later the oldest ten have left the window and two new ones came in.
    state.apply(outcome({ watermark: T0 + 60 * MIN, complaints: [1, 2].map((k) => ({ complaint: complaint(`N${k}`, 'C-1', 'regular', T0 + 60 * MIN), link: null })) }));
    expect(state.takeDelta()!.counters!.complaintsToday).toBe(232);
  });
});
