/**
 * A ticket describes its incident as the incident is now, not as it was when the ticket opened: a
 * core incident opens on its element's alarm with no region yet and gets one when the region's cells
 * report the fault; a root is re-diagnosed; the district is learnt. Each such change is a new ticket
 * version (pushed to the ticketing system); an update that changes none of it makes none.
 */
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/model/index.js';
import { ticketIdFor } from '../../src/tickets/ticket-engine.js';
import { change, engine, incident, MIN, T0 } from './fixtures.js';

const TID = ticketIdFor('INC-1');
const coreAlarm = (): Partial<Incident> & { category: 'core' } => ({
  region: '', district: undefined, cells: [], category: 'core', rootCause: { objectType: 'core', objectId: 'MME-CS-01', category: 'core' },
});

describe('TicketEngine: the ticket keeps describing its incident', () => {
  const cases: {
    name: string;
    opened: Partial<Incident> & { category?: Incident['rootCause']['category'] };
    update: Partial<Incident>;
    /** Versions the update makes at once (before any coalesced one falls due). */
    versions: number;
    ticket: Record<string, unknown>;
    note?: RegExp;
  }[] = [
    {
      name: 'a core incident that learns its region: the ticket gets it at once',
      opened: coreAlarm(),
      update: { ...coreAlarm(), region: 'Changsha', cells: ['CS-1', 'CS-2'] },
      versions: 1,
      ticket: { region: 'Changsha', cells: ['CS-1', 'CS-2'], rootCause: { objectType: 'core', objectId: 'MME-CS-01', category: 'core' } },
      note: /region: Changsha \(was unknown\)/,
    },
    {
      name: 'a core incident rooted at its region names the failing element',
      opened: { region: 'Changsha', cells: ['CS-1'], rootCause: { objectType: 'region', objectId: 'Changsha', category: 'core' } },
      update: { region: 'Changsha', cells: ['CS-1'], rootCause: { objectType: 'core', objectId: 'MME-CS-01', category: 'core' } },
      versions: 1,
      ticket: { category: 'core', rootCause: { objectType: 'core', objectId: 'MME-CS-01', category: 'core' } },
      note: /root cause: core MME-CS-01 \(core\), was region Changsha \(core\); department stays maintenance/,
    },
    {
      name: 'a site outage re-rooted at its transport node: category and root follow, the department stays',
      opened: { category: 'outage' },
      update: { rootCause: { objectType: 'transport', objectId: 'TR-1', category: 'transport' } },
      versions: 1,
      ticket: { category: 'transport', department: 'maintenance', rootCause: { objectType: 'transport', objectId: 'TR-1', category: 'transport' } },
      note: /root cause: transport TR-1/,
    },
    {
      name: 'the district learnt later',
      opened: { district: undefined },
      update: { district: 'Yuelu' },
      versions: 1,
      ticket: { district: 'Yuelu' },
      note: /district: Yuelu \(was unknown\)/,
    },
    {
      name: 'an update that changes nothing the ticket copies makes no version',
      opened: {},
      update: { confidence: 0.95, anomalies: [] },
      versions: 0,
      ticket: { region: 'North', district: 'Hill', category: 'outage' },
    },
    {
      name: 'earlier evidence moves the start back: it rides on the next version, not one of its own',
      opened: {},
      update: { openedAt: T0 - 40 * MIN },
      versions: 0,
      ticket: { problemStartedAt: T0 - 40 * MIN },
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const { e } = engine();
      const { category, ...opened } = c.opened;
      e.onIncidentChanges([change('opened', incident({ category, ...opened }))], T0);
      e.takeChanges();
      e.onIncidentChanges([change('updated', incident({ category, ...opened, ...c.update, version: 2 }))], T0 + MIN);
      const pushed = e.takeChanges();
      expect(pushed).toHaveLength(c.versions);
      if (c.note) expect(pushed[0]!.note).toMatch(c.note);
      expect(e.get(TID)).toMatchObject(c.ticket);
      if (c.versions > 0) expect(pushed[0]!.ticket).toMatchObject({ version: 2, ...c.ticket });
    });
  }

  it('a coalesced change is pushed when its interval is over, with the ticket as the incident has it', () => {
    const { e } = engine();
    e.onIncidentChanges([change('opened', incident())], T0);
    e.onIncidentChanges([change('updated', incident({ openedAt: T0 - 40 * MIN, version: 2 }))], T0 + MIN);
    e.advance(T0 + 5 * MIN);
    const [, later] = e.takeChanges();
    expect(later).toMatchObject({ type: 'updated', ticket: { version: 2, problemStartedAt: T0 - 40 * MIN } });
    expect(later!.note).toMatch(/problem started at 2026-11-23T01:20:00.000Z/);
  });
});
