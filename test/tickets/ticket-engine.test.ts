import { describe, expect, it } from 'vitest';
import type { TicketChange } from '../../src/pipeline/stages.js';
import { ticketIdFor } from '../../src/tickets/ticket-engine.js';
import { change, engine, H, incident, MIN, T0 } from './fixtures.js';

const TID = ticketIdFor('INC-1');

describe('TicketEngine: opening', () => {
  it('opens a proactive ticket as soon as a confirmed incident is not deferred', () => {
    const { e } = engine();
    e.onIncidentChanges([change('opened', incident())], T0);
    const [c] = e.takeChanges();
    expect(c.type).toBe('opened');
    expect(c.ticket).toMatchObject({
      id: 'TKT-1', incidentId: 'INC-1', state: 'open', class: 'must_solve', department: 'maintenance',
      proactive: true, createdAt: T0, version: 1,
      // A site outage: the service is down, so the must_solve clocks are minutes and hours.
      sla: { respondBy: T0 + 30 * MIN, onsiteBy: T0 + 4 * H, resolveBy: T0 + 8 * H, breached: [] },
    });
  });

  it.each([
    { category: 'outage', respond: 30 * MIN, onsite: 4 * H, resolve: 8 * H },
    { category: 'transport', respond: 30 * MIN, onsite: 4 * H, resolve: 8 * H },
    { category: 'core', respond: 30 * MIN, onsite: 4 * H, resolve: 8 * H },
    { category: 'interference', respond: 2 * H, onsite: 24 * H, resolve: 48 * H },
    { category: 'congestion', respond: 2 * H, onsite: 24 * H, resolve: 48 * H },
  ] as const)('a must_solve $category ticket runs on its clocks', ({ category, respond, onsite, resolve }) => {
    const { e } = engine();
    e.onIncidentChanges([change('opened', incident({ category }))], T0);
    expect(e.get(TID)!.sla).toMatchObject({ respondBy: T0 + respond, onsiteBy: T0 + onsite, resolveBy: T0 + resolve });
  });

  it('opens nothing for deferred or unconfirmed incidents, and opens later when triage raises the class', () => {
    const { e, complaints } = engine({ minConfidence: 0.5 });
    e.onIncidentChanges([change('opened', incident({ cls: 'defer' }))], T0);
    e.onIncidentChanges([change('updated', incident({ confidence: 0.3 }))], T0 + MIN);
    expect(e.takeChanges()).toEqual([]);
    complaints.add('C-1', T0 + 2 * MIN);
    e.onIncidentChanges([change('updated', incident({ cls: 'routine', complaintIds: ['C-1'] }))], T0 + 3 * MIN);
    const [c] = e.takeChanges();
    expect(c.ticket).toMatchObject({ class: 'routine', proactive: false, complaintIds: ['C-1'], firstComplaintAt: T0 + 2 * MIN });
  });

  it('a complaint from before the problem began (linked within the lead tolerance) leaves the ticket proactive; one since it does not', () => {
    // The incident's evidence starts 10 min before T0 (openedAt); a complaint 3 min before that is context, not a customer first.
    const { e, complaints } = engine();
    complaints.add('C-early', T0 - 13 * MIN);
    e.onIncidentChanges([change('opened', incident({ complaintIds: ['C-early'] }))], T0);
    const [opened] = e.takeChanges();
    expect(opened.ticket).toMatchObject({ proactive: true, firstComplaintAt: T0 - 13 * MIN });
    // Before the ticket but after the start: reactive, on opening…
    const other = engine();
    other.complaints.add('C-after-start', T0 - 5 * MIN);
    other.e.onIncidentChanges([change('opened', incident({ complaintIds: ['C-after-start'] }))], T0);
    expect(other.e.takeChanges()[0].ticket.proactive).toBe(false);
    // …and later complaints after the ticket keep it proactive.
    complaints.add('C-late', T0 + 20 * MIN);
    e.onIncidentChanges([change('updated', incident({ complaintIds: ['C-early', 'C-late'] }))], T0 + 21 * MIN);
    expect(e.takeChanges()[0].ticket).toMatchObject({ proactive: true, complaintIds: ['C-early', 'C-late'] });
  });

  it('attaches later complaints to the same ticket and lets them raise the class (tighter SLA)', () => {
    const { e, complaints } = engine();
    e.onIncidentChanges([change('opened', incident({ cls: 'routine', category: 'interference' }))], T0);
    complaints.add('C-7', T0 + 30 * MIN, 'vip_gold');
    e.onIncidentChanges([change('updated', incident({ cls: 'must_solve', category: 'interference', complaintIds: ['C-7'] }))], T0 + 31 * MIN);
    const changes = e.takeChanges();
    expect(changes.map((c) => c.type)).toEqual(['opened', 'updated']);
    const t = changes[1].ticket;
    expect(t).toMatchObject({ id: TID, version: 2, class: 'must_solve', complaintIds: ['C-7'], proactive: true, department: 'optimization' });
    expect(t.sla.respondBy).toBe(T0 + 2 * H);
    expect(t.priority).toBe(2);
  });
});

describe('TicketEngine: a complaint storm', () => {
  it('pushes joining complaints as at most one version per 5 minutes, and none is lost', () => {
    const { e, complaints } = engine();
    e.onIncidentChanges([change('opened', incident())], T0);
    const ids: string[] = [];
    for (let m = 1; m <= 20; m++) {
      ids.push(`C-${m}`);
      complaints.add(`C-${m}`, T0 + m * MIN);
      e.onIncidentChanges([change('updated', incident({ complaintIds: [...ids] }))], T0 + m * MIN);
      e.advance(T0 + m * MIN);
    }
    e.advance(T0 + 30 * MIN);
    const updates = e.takeChanges().filter((c) => c.type === 'updated');
    // The ticket went out when it opened; the complaints follow 5, 10, 15 and 20 minutes later.
    expect(updates.map((c) => (c.ticket.updatedAt - T0) / MIN)).toEqual([5, 10, 15, 20]);
    expect(updates.at(-1)!.ticket.complaintIds).toEqual(ids);
    // Every attachment is in some version's note.
    const noted = updates.flatMap((c) => c.note!.match(/C-\d+/g) ?? []);
    expect(new Set(noted)).toEqual(new Set(ids));
  });

  it('a class raise goes out at once, with the complaints that waited', () => {
    const { e, complaints } = engine();
    e.onIncidentChanges([change('opened', incident({ cls: 'routine', category: 'interference' }))], T0);
    complaints.add('C-1', T0 + MIN);
    complaints.add('C-2', T0 + 2 * MIN);
    e.onIncidentChanges([change('updated', incident({ cls: 'routine', category: 'interference', complaintIds: ['C-1'] }))], T0 + MIN);
    e.onIncidentChanges([change('updated', incident({ cls: 'routine', category: 'interference', complaintIds: ['C-1', 'C-2'] }))], T0 + 2 * MIN);
    e.onIncidentChanges([change('updated', incident({ cls: 'must_solve', category: 'interference', complaintIds: ['C-1', 'C-2'] }))], T0 + 3 * MIN);
    const updates = e.takeChanges().filter((c) => c.type === 'updated');
    expect(updates).toHaveLength(1);
    expect(updates[0].note).toMatch(/C-1.*C-2.*class raised/);
    expect(updates[0].ticket).toMatchObject({ class: 'must_solve', updatedAt: T0 + 3 * MIN, complaintIds: ['C-1', 'C-2'] });
  });
});

describe('TicketEngine: SLA clocks on event time', () => {
  it('records a breach at the deadline, escalates and pushes it as an update', () => {
    const { e } = engine();
    e.onIncidentChanges([change('opened', incident({ category: 'degradation' }))], T0);
    e.advance(T0 + 2 * H);
    expect(e.takeChanges().map((c) => c.type)).toEqual(['opened']);
    e.advance(T0 + 2 * H + 1);
    const [b] = e.takeChanges();
    expect(b.type).toBe('sla_breach');
    expect(b.ticket.sla.breached).toEqual(['respond']);
    expect(b.ticket.breaches).toEqual([{ stage: 'respond', at: T0 + 2 * H }]);
    expect(b.ticket.priority).toBe(1);
    expect(b.note).toContain('2026-11-23T04:00:00.000Z');
  });

  it('gives the same breaches whatever the batching of the watermark (a replay is identical)', () => {
    const run = (steps: number[]) => {
      const { e } = engine();
      e.onIncidentChanges([change('opened', incident({ category: 'degradation' }))], T0);
      e.onTicketEvent(TID, { type: 'acknowledged', at: T0 + 3 * H }, T0 + 3 * H);
      for (const s of steps) e.advance(s);
      return e.get(TID)!.breaches;
    };
    const fine = run(Array.from({ length: 60 }, (_, i) => T0 + i * H));
    const coarse = run([T0 + 100 * H]);
    expect(fine).toEqual([
      { stage: 'respond', at: T0 + 2 * H },
      { stage: 'onsite', at: T0 + 24 * H },
      { stage: 'resolve', at: T0 + 48 * H },
    ]);
    expect(coarse).toEqual(fine);
  });

  it('a late milestone stamped past a deadline that the watermark has not reached is a breach already', () => {
    const { e } = engine();
    e.onIncidentChanges([change('opened', incident({ category: 'degradation' }))], T0);
    const t = e.onTicketEvent(TID, { type: 'acknowledged', at: T0 + 5 * H }, T0 + H);
    expect(t.breaches).toEqual([{ stage: 'respond', at: T0 + 2 * H }]);
  });

  it('milestones met in time stop their clocks', () => {
    const { e } = engine();
    e.onIncidentChanges([change('opened', incident({ category: 'degradation' }))], T0);
    e.onTicketEvent(TID, { type: 'acknowledged', at: T0 + H }, T0 + H);
    e.onTicketEvent(TID, { type: 'onsite', at: T0 + 5 * H }, T0 + 5 * H);
    e.onTicketEvent(TID, { type: 'resolved', at: T0 + 6 * H }, T0 + 6 * H);
    e.advance(T0 + 100 * H);
    expect(e.get(TID)!.sla.breached).toEqual([]);
  });
});

describe('TicketEngine: the ticketing system drives the state', () => {
  it('follows acknowledged → dispatched → onsite → resolved, and ignores a repeated event', () => {
    const { e } = engine();
    e.onIncidentChanges([change('opened', incident())], T0);
    expect(e.onTicketEvent(TID, { type: 'acknowledged', at: T0 + MIN }, T0 + MIN).state).toBe('acknowledged');
    const again = e.onTicketEvent(TID, { type: 'acknowledged', at: T0 + 2 * MIN }, T0 + 2 * MIN);
    expect(again.version).toBe(2);
    expect(again.times?.acknowledgedAt).toBe(T0 + MIN);
    expect(e.onTicketEvent(TID, { type: 'dispatched', at: T0 + 3 * MIN }, T0 + 3 * MIN).state).toBe('in_progress');
    expect(e.onTicketEvent(TID, { type: 'onsite', at: T0 + H }, T0 + H).times?.onsiteAt).toBe(T0 + H);
    const r = e.onTicketEvent(TID, { type: 'resolved', at: T0 + 2 * H, note: 'replaced PSU' }, T0 + 2 * H);
    expect(r.state).toBe('resolved');
    expect(r.notes?.at(-1)?.text).toContain('replaced PSU');
    expect(e.takeChanges().map((c) => c.type)).toEqual(['opened', 'state', 'state', 'updated', 'state']);
  });

  it('refuses an event the state does not allow, and an unknown ticket', () => {
    const { e } = engine();
    e.onIncidentChanges([change('opened', incident())], T0);
    e.onTicketEvent(TID, { type: 'resolved', at: T0 + H }, T0 + H);
    expect(() => e.onTicketEvent(TID, { type: 'acknowledged', at: T0 + H }, T0 + H)).toThrow(
      expect.objectContaining({ status: 409, code: 'NOCWATCH_ERR_TICKET_TRANSITION' }),
    );
    expect(() => e.onTicketEvent('TKT-nope', { type: 'comment', at: T0 }, T0)).toThrow(expect.objectContaining({ status: 404 }));
  });
});

describe('TicketEngine: verification, relapse and closure', () => {
  const resolvedTicket = () => {
    const env = engine({ verification: { windowS: 7200, maxWaitS: 6 * 3600, closeAfterS: 86400 } });
    env.e.onIncidentChanges([change('opened', incident())], T0);
    env.e.onIncidentChanges([change('resolved', incident({ state: 'resolved', resolvedAt: T0 + H }))], T0 + H);
    env.e.takeChanges();
    return env;
  };

  it('verifies only after the cells stayed normal for the window, then closes after the close delay', () => {
    const { e } = resolvedTicket();
    expect(e.get(TID)!.state).toBe('resolved');
    e.advance(T0 + H);
    e.advance(T0 + 2 * H);
    expect(e.get(TID)!.state).toBe('resolved');
    e.advance(T0 + 3 * H);
    expect(e.get(TID)!.state).toBe('verified');
    e.advance(T0 + 26 * H);
    expect(e.get(TID)!.state).toBe('verified');
    e.advance(T0 + 27 * H);
    const t = e.get(TID)!;
    expect(t.state).toBe('closed');
    expect(t.verification).toMatchObject({ passed: 1, failed: 0 });
    expect(e.takeChanges().map((c) => c.type)).toEqual(['verified', 'closed']);
  });

  it('a restart in the middle of the verification window resumes it: its clocks are stored without a new version', () => {
    const { e } = resolvedTicket();
    e.advance(T0 + H);
    e.advance(T0 + 2 * H);
    // The window's progress is handed over to be stored, and no version was made for it.
    expect(e.takeChanges()).toEqual([]);
    const stored = e.takeProgress();
    expect(stored.map((t) => [t.id, t.verification?.normalSince])).toEqual([[TID, T0 + H]]);
    expect(e.takeProgress()).toEqual([]);
    // The process restarts from the stored ticket: verified when the window that began at +1 h ends.
    const after = engine().e;
    after.restore(stored);
    after.advance(T0 + 3 * H);
    expect(after.get(TID)!.state).toBe('verified');
  });

  it('reopens the same ticket when the cells go bad again during verification', () => {
    const { e, cells } = resolvedTicket();
    e.advance(T0 + H);
    cells.status.set('C-2', 'anomalous');
    e.advance(T0 + 2 * H);
    // Nothing open explains the cell: a relapse once that has lasted the grace (15 min).
    expect(e.get(TID)!.state).toBe('resolved');
    e.advance(T0 + 2 * H + 15 * MIN);
    const [c] = e.takeChanges();
    expect(c.type).toBe('reopened');
    expect(c.ticket).toMatchObject({ id: TID, state: 'reopened', reopenCount: 1, verification: { passed: 0, failed: 1 } });
    expect(c.note).toContain('C-2');
    // The network recovers again: resolved, and this time verified.
    cells.status.clear();
    e.onIncidentChanges([change('resolved', incident({ state: 'resolved', resolvedAt: T0 + 3 * H }))], T0 + 3 * H);
    e.advance(T0 + 3 * H);
    e.advance(T0 + 5 * H);
    expect(e.get(TID)).toMatchObject({ state: 'verified', verification: { passed: 1, failed: 1 } });
  });

  it('reopens a verified or closed ticket when its incident reopens, never a new ticket', () => {
    const { e } = resolvedTicket();
    e.advance(T0 + H);
    e.advance(T0 + 3 * H);
    e.advance(T0 + 30 * H);
    expect(e.get(TID)!.state).toBe('closed');
    e.onIncidentChanges([change('reopened', incident({ reopenCount: 1 }))], T0 + 31 * H);
    const changes = e.takeChanges();
    expect(changes.map((c) => c.type)).toEqual(['verified', 'closed', 'reopened']);
    expect(changes[2].ticket).toMatchObject({ id: TID, state: 'reopened', reopenCount: 1 });
    expect([...e.live()]).toHaveLength(1);
  });

  it('reopens a resolution the network never confirms within the maximum wait', () => {
    const { e, cells } = engine({ verification: { windowS: 3600, maxWaitS: 4 * 3600 } });
    e.onIncidentChanges([change('opened', incident())], T0);
    cells.status.set('C-1', 'outage');
    e.onTicketEvent(TID, { type: 'resolved', at: T0 + H }, T0 + H);
    e.advance(T0 + 5 * H);
    expect(e.get(TID)!.state).toBe('resolved');
    e.advance(T0 + 5 * H + 1);
    expect(e.get(TID)!.state).toBe('reopened');
  });
});

describe('TicketEngine: audit', () => {
  it('flags a ticket with no progress past its class limit once, and clears it on activity', () => {
    const { e } = engine();
    e.onIncidentChanges([change('opened', incident({ cls: 'routine', category: 'interference' }))], T0);
    e.onTicketEvent(TID, { type: 'acknowledged', at: T0 + H }, T0 + H);
    e.advance(T0 + 25 * H);
    expect(e.get(TID)!.stale).toBe(false);
    e.advance(T0 + 25 * H + 1);
    e.advance(T0 + 26 * H);
    const flagged: TicketChange[] = e.takeChanges().filter((c) => c.note?.startsWith('audit'));
    expect(flagged).toHaveLength(1);
    expect(flagged[0].ticket.stale).toBe(true);
    expect(e.onTicketEvent(TID, { type: 'comment', at: T0 + 27 * H, note: 'waiting for parts' }, T0 + 27 * H).stale).toBe(false);
  });
});

describe('TicketEngine: confirmation and merged incidents', () => {
  it('waits for the incident stage to confirm an incident', () => {
    const { e } = engine();
    e.onIncidentChanges([change('opened', { ...incident(), confirmed: false } as never)], T0);
    expect(e.takeChanges()).toEqual([]);
    e.onIncidentChanges([change('updated', { ...incident(), confirmed: true } as never)], T0 + 5 * MIN);
    expect(e.takeChanges()[0].ticket).toMatchObject({ state: 'open', createdAt: T0 + 5 * MIN });
  });

  it('closes the ticket of an incident merged into a bigger one, whose ticket carries on (and stays proactive)', () => {
    const { e, complaints } = engine();
    e.onIncidentChanges([change('opened', incident({ id: 'INC-cell', cells: ['C-1'], category: 'degradation' }))], T0);
    complaints.add('C-5', T0 + 20 * MIN);
    const site = { ...incident({ id: 'INC-site', complaintIds: ['C-5'], detectedAt: T0 + 30 * MIN }), absorbed: ['INC-cell'] };
    const victim = { ...incident({ id: 'INC-cell', cells: ['C-1'], category: 'degradation', state: 'resolved', resolvedAt: T0 + 30 * MIN }), mergedInto: 'INC-site' };
    e.onIncidentChanges([change('opened', site as never), change('resolved', victim as never)], T0 + 30 * MIN);
    const [opened, closed] = e.takeChanges().slice(1);
    expect(opened.ticket).toMatchObject({
      id: 'TKT-site', state: 'open', mergedFrom: ['TKT-cell'], firstTicketAt: T0, proactive: true, complaintIds: ['C-5'],
    });
    expect(closed.type).toBe('closed');
    expect(closed.ticket).toMatchObject({ id: 'TKT-cell', state: 'closed' });
    expect(closed.note).toContain('TKT-site');
  });
});

describe('TicketEngine: restore', () => {
  it('continues from stored tickets: same ids, versions go on, routing remembers earlier tickets', () => {
    const first = engine();
    first.e.onIncidentChanges([change('opened', incident())], T0);
    const stored = first.e.takeChanges().map((c) => c.ticket);
    const second = engine();
    second.e.restore(stored);
    second.e.onTicketEvent(TID, { type: 'acknowledged', at: T0 + MIN }, T0 + MIN);
    expect(second.e.takeChanges()[0].ticket).toMatchObject({ id: TID, version: 2, state: 'acknowledged' });
  });
});
