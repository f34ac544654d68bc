/**
 * Verification while another fault is open: a cell whose abnormality belongs to another open
 * incident, rooted elsewhere (a core fault across the region, a transport node, a site losing
 * power), neither passes nor fails a ticket's fix: verification is held until that fault is over,
 * then the window starts again. What is the ticket's own, or unexplained, still reopens it.
 */
import { describe, expect, it } from 'vitest';
import type { Incident, IncidentAnomaly } from '../../src/model/index.js';
import { ticketIdFor } from '../../src/tickets/ticket-engine.js';
import { change, engine, H, incident, MIN, T0 } from './fixtures.js';

const TID = ticketIdFor('INC-1');
const WINDOW = { verification: { windowS: 2 * 3600, maxWaitS: 6 * 3600, closeAfterS: 86400 } };

/** An active anomaly of an incident, at a cell or (no cell) on its object. */
function evidence(p: Partial<IncidentAnomaly>): IncidentAnomaly {
  return {
    id: `a-${p.cellId ?? p.objectId}-${p.signal ?? 'attach'}`, source: 'signaling', objectType: 'cell', objectId: p.cellId ?? 'C-1',
    signal: 'attach', score: 5, startedAt: T0 + 80 * MIN, ...p,
  };
}

/** Another open incident, with active evidence. */
function other(id: string, rootCause: Incident['rootCause'], anomalies: IncidentAnomaly[], over: Partial<Incident> = {}): Incident {
  return incident({ id, rootCause, anomalies, cells: ['C-1', 'C-2', 'C-9'], openedAt: T0 + 80 * MIN, detectedAt: T0 + 82 * MIN, ...over });
}

const core = (anomalies = [evidence({ cellId: 'C-1' }), evidence({ cellId: 'C-9' })], over: Partial<Incident> = {}) =>
  other('INC-core', { objectType: 'core', objectId: 'MME-CS-01', category: 'core' }, anomalies, over);

/** An interference ticket on cell C-1 (cells C-1, C-2), fixed at T0 + 1 h: its cells look normal from then. */
function fixed(ticketRoot: Partial<Incident> = {}) {
  const env = engine(WINDOW);
  const mine = incident({ category: 'interference', cls: 'routine', rootCause: { objectType: 'cell', objectId: 'C-1', category: 'interference' }, ...ticketRoot });
  env.e.onIncidentChanges([change('opened', mine)], T0);
  env.e.onIncidentChanges([change('resolved', { ...mine, state: 'resolved', resolvedAt: T0 + H })], T0 + H);
  env.e.advance(T0 + H);
  env.e.takeChanges();
  return env;
}

/** …and at T0 + 90 min cell C-1 goes bad with the given incidents open. */
function fixedThenBad(ticketRoot: Partial<Incident>, open: Incident[]) {
  const env = fixed(ticketRoot);
  env.cells.status.set('C-1', 'anomalous');
  env.e.onIncidentChanges(open.map((inc) => change('opened', inc)), T0 + 90 * MIN);
  env.e.advance(T0 + 90 * MIN);
  return env;
}

describe('verification while another fault is open', () => {
  const cases: { name: string; ticketRoot?: Partial<Incident>; open: Incident[]; expect: 'held' | 'relapse'; heldBy?: string }[] = [
    { name: 'a region-wide core fault failing attaches at the cell', open: [core()], expect: 'held', heldBy: 'INC-core' },
    {
      name: 'a transport node down above the cell (its alarm covers the cells behind it)',
      open: [other('INC-tr', { objectType: 'transport', objectId: 'TR-1', category: 'transport' }, [evidence({ source: 'alarm', objectType: 'transport', objectId: 'TR-1', cellId: undefined, signal: 'link_down' })])],
      expect: 'held', heldBy: 'INC-tr',
    },
    {
      name: 'the site losing power under an optimised cell',
      open: [other('INC-site', { objectType: 'site', objectId: 'SITE-1', category: 'outage' }, [evidence({ source: 'pm', cellId: 'C-1', signal: 'availability' })])],
      expect: 'held', heldBy: 'INC-site',
    },
    {
      name: 'a core ticket, and a core incident of another region',
      ticketRoot: { region: 'North', rootCause: { objectType: 'core', objectId: 'MME-CS-01', category: 'core' } },
      open: [other('INC-core-s', { objectType: 'region', objectId: 'South', category: 'core' }, [evidence({ cellId: 'C-1' })], { region: 'South' })],
      expect: 'held', heldBy: 'INC-core-s',
    },
    { name: 'nothing open explains the cell: its own problem may be back', open: [], expect: 'relapse' },
    {
      name: 'a new incident at the ticket\'s own root is its problem back',
      open: [other('INC-again', { objectType: 'cell', objectId: 'C-1', category: 'interference' }, [evidence({ source: 'pm', cellId: 'C-1', signal: 'erab_drop_rate' })])],
      expect: 'relapse',
    },
    {
      name: 'the core fault and the ticket\'s own problem at the same cell',
      open: [core(), other('INC-again', { objectType: 'cell', objectId: 'C-1', category: 'interference' }, [evidence({ source: 'pm', cellId: 'C-1', signal: 'erab_drop_rate' })])],
      expect: 'relapse',
    },
    {
      name: 'the core incident is open but its evidence at this cell is over: something else is wrong there',
      open: [core([evidence({ cellId: 'C-1', resolvedAt: T0 + 85 * MIN }), evidence({ cellId: 'C-9' })])],
      expect: 'relapse',
    },
    {
      name: 'a complaint cluster explains nothing (its cause is unknown)',
      open: [other('INC-cl', { objectType: 'district', objectId: 'Hill', category: 'unknown' }, [evidence({ source: 'complaints', cellId: 'C-1', signal: 'complaint_spike' })])],
      expect: 'relapse',
    },
    {
      name: 'a core ticket, and the core failing again in its region under a new incident',
      ticketRoot: { region: 'North', rootCause: { objectType: 'core', objectId: 'MME-CS-01', category: 'core' } },
      open: [other('INC-core-2', { objectType: 'region', objectId: 'North', category: 'core' }, [evidence({ cellId: 'C-1' })])],
      expect: 'relapse',
    },
  ];

  for (const c of cases) {
    it(`${c.expect === 'held' ? 'held' : 'reopened'}: ${c.name}`, () => {
      const { e } = fixedThenBad(c.ticketRoot ?? {}, c.open);
      // Past the grace for a bad cell nothing explains.
      e.advance(T0 + 105 * MIN);
      const changes = e.takeChanges().filter((ch) => ch.ticket.id === TID);
      const t = e.get(TID)!;
      if (c.expect === 'held') {
        expect(t).toMatchObject({ state: 'resolved', reopenCount: 0, verification: { failed: 0, heldBy: c.heldBy } });
        expect(changes.map((ch) => ch.type)).toEqual(['updated']);
        expect(changes[0]!.note).toMatch(new RegExp(`verification held: cells C-1 not normal with ${c.heldBy}`));
      } else {
        expect(t).toMatchObject({ state: 'reopened', reopenCount: 1, verification: { failed: 1 } });
        expect(changes.at(-1)!.note).toBe('relapse during verification: cells C-1 not normal');
      }
    });
  }

  it('says so once per other fault, however often its evidence at the cell comes and goes', () => {
    const { e, cells } = fixedThenBad({}, [core()]);
    for (let m = 95; m <= 150; m += 5) {
      cells.status.set('C-1', m % 10 === 0 ? 'normal' : 'anomalous');
      e.advance(T0 + m * MIN);
    }
    expect(e.takeChanges().filter((ch) => ch.ticket.id === TID).map((ch) => ch.type)).toEqual(['updated']);
    expect(e.get(TID)!.state).toBe('resolved');
  });

  it('once the other fault is over, the window starts again from when the cells are normal', () => {
    const { e, cells } = fixedThenBad({}, [core()]);
    // The core fault lasts until T0 + 3 h: past the window counted from the fix (T0 + 1 h → 3 h).
    e.advance(T0 + 150 * MIN);
    e.advance(T0 + 3 * H);
    cells.status.clear();
    e.onIncidentChanges([change('resolved', core([], { state: 'resolved', resolvedAt: T0 + 3 * H }))], T0 + 3 * H);
    e.advance(T0 + 3 * H);
    e.advance(T0 + 4 * H);
    expect(e.get(TID)!.state).toBe('resolved');
    e.advance(T0 + 5 * H);
    expect(e.get(TID)).toMatchObject({ state: 'verified', reopenCount: 0, verification: { passed: 1, failed: 0, heldBy: null } });
  });

  it('after the other fault, the ticket\'s own cells still bad reopen it once the grace is over', () => {
    const { e, cells } = fixedThenBad({}, [core()]);
    e.onIncidentChanges([change('resolved', core([], { state: 'resolved', resolvedAt: T0 + 2 * H }))], T0 + 2 * H);
    e.advance(T0 + 2 * H);
    e.advance(T0 + 2 * H + 14 * MIN);
    expect(e.get(TID)!.state).toBe('resolved');
    e.advance(T0 + 2 * H + 15 * MIN);
    expect(e.get(TID)!.state).toBe('reopened');
    expect(cells.status.get('C-1')).toBe('anomalous');
  });

  it('the maximum wait does not run out while another fault holds the cells', () => {
    // Resolved by the ticketing system while the cells were still bad: never looked fixed.
    const { e, cells } = engine(WINDOW);
    e.onIncidentChanges([change('opened', incident({ category: 'interference', rootCause: { objectType: 'cell', objectId: 'C-1', category: 'interference' } }))], T0);
    cells.status.set('C-1', 'anomalous');
    e.onIncidentChanges([change('opened', core())], T0 + 30 * MIN);
    e.onIncidentChanges([change('resolved', incident({ state: 'resolved', resolvedAt: T0 + H, category: 'interference', rootCause: { objectType: 'cell', objectId: 'C-1', category: 'interference' } }))], T0 + H);
    for (let h = 1; h <= 10; h++) e.advance(T0 + h * H);
    expect(e.get(TID)).toMatchObject({ state: 'resolved', verification: { heldBy: 'INC-core', normalSince: null } });
  });

  it.each([
    { restored: [core()], state: 'resolved' },
    { restored: [], state: 'reopened' },
  ])('after a restart with the open incidents restored ($restored.length), the ticket is $state', ({ restored, state }) => {
    const stored = fixed().e.get(TID)!;
    const { e, cells } = engine(WINDOW);
    e.restore([stored], restored);
    cells.status.set('C-1', 'anomalous');
    e.advance(T0 + 2 * H);
    e.advance(T0 + 2 * H + 15 * MIN);
    expect(e.get(TID)!.state).toBe(state);
  });

  const grace: { name: string; after10min: 'explained' | 'normal' | 'still unexplained'; state: string; verifiedAt?: number }[] = [
    { name: 'a core fault\'s first cell, unexplained until the incident stage opens the core incident, is held', after10min: 'explained', state: 'resolved' },
    { name: 'a cell bad for ten minutes that nothing explains, then normal again, is no relapse; the window starts again', after10min: 'normal', state: 'verified', verifiedAt: T0 + 100 * MIN + 2 * H },
    { name: 'a cell bad for the whole grace with nothing explaining it is a relapse', after10min: 'still unexplained', state: 'reopened' },
  ];
  for (const g of grace) {
    it(g.name, () => {
      const { e, cells } = fixed();
      cells.status.set('C-1', 'anomalous');
      e.advance(T0 + 90 * MIN);
      if (g.after10min === 'explained') e.onIncidentChanges([change('opened', core())], T0 + 100 * MIN);
      if (g.after10min === 'normal') cells.status.clear();
      e.advance(T0 + 100 * MIN);
      e.advance(T0 + 105 * MIN);
      for (let m = 110; m <= 300; m += 10) e.advance(T0 + m * MIN);
      const t = e.get(TID)!;
      expect(t.state).toBe(g.state);
      if (g.verifiedAt) expect(t.times?.verifiedAt).toBe(g.verifiedAt);
    });
  }
});
