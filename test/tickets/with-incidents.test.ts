/**
 * The ticket stage behind the real incident stage: anomalies become a confirmed incident, the
 * incident a proactive ticket in the right department; complaints join it; recovery resolves,
 * verifies and closes it.
 */
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../src/model/index.js';
import { ticketsConfigSchema } from '../../src/tickets/config.js';
import { TicketEngine } from '../../src/tickets/ticket-engine.js';
import { T0, anomaly, cellsOf, complaint, engine as incidentEngine, firing, resolved } from '../incidents/fixtures.js';
import { CellMap, ComplaintMap } from './fixtures.js';

const at = (m: number) => T0 + m * MINUTE;

function pair() {
  const incidents = incidentEngine();
  const complaints = new ComplaintMap();
  const cells = new CellMap();
  const tickets = new TicketEngine({ config: ticketsConfigSchema.parse({}), cellHealth: cells, complaints, system: 'webhook' });
  /** One pipeline step: incidents advance, their changes go to tickets. */
  const step = (now: number) => {
    incidents.advance(now);
    tickets.onIncidentChanges(incidents.takeChanges(), now);
    tickets.advance(now);
    return tickets.takeChanges();
  };
  return { incidents, tickets, complaints, cells, step };
}

describe('tickets from real incidents', () => {
  it('a site outage seen by alarms and PM opens one proactive maintenance ticket; complaints join it; recovery verifies and closes it', () => {
    const { incidents, tickets, complaints, cells, step } = pair();
    const evidence = cellsOf('S1').flatMap((cellId, i) => [
      anomaly({ cellId, signal: 'availability', at: i }),
      anomaly({ cellId, source: 'alarm', signal: 'cell_unavailable', at: i }),
    ]);
    for (const c of cellsOf('S1')) cells.status.set(c, 'outage');
    incidents.onTransitions(evidence.map((a) => firing(a)), at(3));
    const opened = step(at(3)).filter((c) => c.type === 'opened');
    expect(opened).toHaveLength(1);
    const t = opened[0]!.ticket;
    expect(t).toMatchObject({ department: 'maintenance', proactive: true, state: 'open', cells: cellsOf('S1') });

    // Customers call 20 minutes later: their complaints join the same ticket, still proactive.
    for (const k of [1, 2]) {
      const c = complaint({ at: 20 + k, location: { cellId: 'S1-1' } });
      complaints.byId.set(c.complaintId, c);
      incidents.onComplaint(c, at(20 + k));
    }
    step(at(25));
    expect(tickets.get(t.id)).toMatchObject({ proactive: true, complaintIds: expect.arrayContaining([expect.any(String), expect.any(String)]) });
    expect(tickets.get(t.id)!.complaintIds).toHaveLength(2);

    // The network recovers: the incident resolves after its hold time, the ticket verifies and closes.
    cells.status.clear();
    incidents.onTransitions(evidence.map((a) => resolved(a, at(90))), at(90));
    let m = 90;
    while (tickets.get(t.id)!.state !== 'resolved' && m < 300) step(at((m += 5)));
    expect(tickets.get(t.id)!.state).toBe('resolved');
    while (tickets.get(t.id)!.state === 'resolved' && m < 600) step(at((m += 5)));
    expect(tickets.get(t.id)!.state).toBe('verified');
    step(at(m) + 25 * HOUR);
    expect(tickets.get(t.id)).toMatchObject({ state: 'closed', verification: { passed: 1, failed: 0 } });
    expect([...tickets.live()]).toHaveLength(1);
  });

  it('interference goes to optimisation', () => {
    const { incidents, step } = pair();
    const evidence = cellsOf('S4').flatMap((cellId, i) => [
      anomaly({ cellId, signal: 'erab_drop_rate', hint: 'interference', severity: 'major', at: i }),
      anomaly({ cellId, source: 'signaling', signal: 'volte_call_drop', hint: 'interference', severity: 'major', at: i }),
    ]);
    incidents.onTransitions(evidence.map((a) => firing(a)), at(5));
    const opened = [...step(at(5)), ...step(at(30))].filter((c) => c.type === 'opened');
    expect(opened.map((c) => [c.ticket.category, c.ticket.department])).toEqual([['interference', 'optimization']]);
  });
});

describe('verification behind the real incident stage', () => {
  it.each([
    { name: 'at once', firstCells: null },
    // The first cells wait in the incident stage for the region-wide picture (signalingHoldMinutes):
    // nothing open explains S4-1 for ten minutes.
    { name: 'the ticket\'s cell first, most of the region ten minutes later', firstCells: ['S4-1', 'S1-1'] },
  ])('a region-wide core fault ($name) while a cell\'s fix is verified holds the ticket, not reopened; it verifies after the fault', ({ firstCells }) => {
    const { incidents, tickets, cells, step } = pair();
    // Interference on one cell: an optimisation ticket; the fix works at 60 min.
    const own = [
      anomaly({ cellId: 'S4-1', signal: 'erab_drop_rate', hint: 'interference', severity: 'major' }),
      anomaly({ cellId: 'S4-1', source: 'signaling', signal: 'volte_call_drop', hint: 'interference', severity: 'major' }),
    ];
    cells.status.set('S4-1', 'anomalous');
    incidents.onTransitions(own.map((a) => firing(a)), at(5));
    const opened = [...step(at(5)), ...step(at(30))].filter((c) => c.type === 'opened');
    expect(opened.map((c) => c.ticket.department)).toEqual(['optimization']);
    const id = opened[0]!.ticket.id;
    cells.status.clear();
    incidents.onTransitions(own.map((a) => resolved(a, at(60))), at(60));
    let m = 60;
    while (tickets.get(id)!.state !== 'resolved' && m < 300) step(at((m += 5)));
    step(at((m += 5)));
    expect(tickets.get(id)!.verification?.normalSince).not.toBeNull();

    // 30 min into verification the region's MME fails attaches at every cell, S4-1 among them.
    const coreCells = [...cellsOf('S1'), ...cellsOf('S2'), ...cellsOf('S4'), ...cellsOf('S7'), 'S8-1', 'S9-1'];
    const coreFault = coreCells.map((cellId) => anomaly({ cellId, source: 'signaling', signal: 'attach', hint: 'degradation', severity: 'major', at: m + 15 }));
    const first = coreFault.filter((a) => firstCells?.includes(a.cellId!));
    for (const a of first) cells.status.set(a.cellId!, 'anomalous');
    incidents.onTransitions(first.map((a) => firing(a)), at(m + 20));
    step(at(m + 20));
    step(at(m + 25));
    expect(tickets.get(id)!.state).toBe('resolved');
    for (const c of coreCells) cells.status.set(c, 'anomalous');
    incidents.onTransitions(coreFault.filter((a) => !first.includes(a)).map((a) => firing(a)), at(m + 30));
    step(at(m + 30));
    // The incident stage sees a core fault of the region (confirmed or not yet: it owns those cells' evidence).
    const coreIncident = [...incidents.live()].find((i) => i.state === 'open')!;
    expect(coreIncident.rootCause).toMatchObject({ objectType: 'region', objectId: 'R1', category: 'core' });
    expect(tickets.get(id)).toMatchObject({ state: 'resolved', reopenCount: 0, verification: { heldBy: coreIncident.id } });
    for (let k = 35; k <= 120; k += 5) step(at(m + k));
    expect(tickets.get(id)!.state).toBe('resolved');

    // The core recovers at +120 min: its incident resolves, the cell's window starts again and passes.
    cells.status.clear();
    incidents.onTransitions(coreFault.map((a) => resolved(a, at(m + 120))), at(m + 120));
    let k = 120;
    while (tickets.get(id)!.state === 'resolved' && k < 600) step(at(m + (k += 5)));
    expect(tickets.get(id)).toMatchObject({ state: 'verified', reopenCount: 0, verification: { passed: 1, failed: 0 } });
    // Two hours of normal cells after the core fault, not before it.
    expect(tickets.get(id)!.times!.verifiedAt! - at(m + 120)).toBeGreaterThanOrEqual(2 * HOUR);
  });
});
