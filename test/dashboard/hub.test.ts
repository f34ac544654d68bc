import { afterEach, describe, expect, it } from 'vitest';
import { STATUS_ANOMALOUS, STATUS_NORMAL, STATUS_OUTAGE } from '../../src/dashboard/protocol.js';
import {
  T0, TestClient, anomaly, comparable, complaint, fakeWorld, firing, incident, makeCells, outcome, resolved, startServer, ticket,
  type TestServer,
} from './fixtures.js';

let server: TestServer | null = null;
const clients: TestClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = null;
});

async function connect(url: string): Promise<TestClient> {
  const c = await TestClient.connect(url);
  clients.push(c);
  return c;
}

describe('dashboard hub', () => {
  it('coalesces a storm of 10,000 cell changes into one message', async () => {
    const world = fakeWorld(makeCells(12_000));
    server = await startServer(world.sources);
    const c = await connect(server.wsUrl);
    await c.until((x) => x.state.seq >= 0);
    expect(c.messages).toHaveLength(1);
    expect(c.messages[0]!.type).toBe('snapshot');

    // 10,000 cells go anomalous over 20 batches within one flush interval.
    for (let b = 0; b < 20; b++) {
      const transitions = [];
      for (let i = b * 500; i < (b + 1) * 500; i++) transitions.push(firing(anomaly(`C-${i}`)));
      server.hub.onBatch(outcome({ transitions, watermark: T0 + b }));
    }
    server.hub.flush();
    await c.until((x) => x.messages.length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(c.messages).toHaveLength(2);
    const delta = c.messages[1]!;
    expect(delta.type).toBe('delta');
    expect(delta.type === 'delta' && delta.cells!.length).toBe(20_000);
    expect(c.state.nonNormal()).toHaveLength(10_000);
    expect(c.state.status[9_999]).toBe(STATUS_ANOMALOUS);
    expect(c.state.status[10_000]).toBe(STATUS_NORMAL);
    expect(c.state.counters.anomalous).toBe(10_000);
  });

  it('sends only cells whose colour changed, and an outage incident beats anomalous', async () => {
    const world = fakeWorld(makeCells(30));
    server = await startServer(world.sources);
    const c = await connect(server.wsUrl);
    await c.until((x) => x.state.seq >= 0);
    // Fires and resolves within the same interval: the colour never changed, nothing to send for it.
    server.hub.onBatch(outcome({ transitions: [firing(anomaly('C-1')), resolved(anomaly('C-1')), firing(anomaly('C-2'))] }));
    server.hub.onBatch(outcome({ incidentChanges: [{ type: 'opened', incident: incident('INC-1', ['C-2', 'C-3']) }] }));
    server.hub.flush();
    await c.until((x) => x.state.seq >= 1);
    const d = c.messages[1]!;
    expect(d.type === 'delta' && d.cells).toEqual([2, STATUS_OUTAGE, 3, STATUS_OUTAGE]);
    expect([...c.state.incidents.keys()]).toEqual(['INC-1']);
    // Resolving the incident leaves C-2 anomalous (its own anomaly still fires) and C-3 normal.
    server.hub.onBatch(outcome({ incidentChanges: [{ type: 'resolved', incident: incident('INC-1', ['C-2', 'C-3'], { state: 'resolved', resolvedAt: T0 + 1 }) }] }));
    server.hub.flush();
    await c.until((x) => x.state.seq >= 2);
    expect(c.state.status[2]).toBe(STATUS_ANOMALOUS);
    expect(c.state.status[3]).toBe(STATUS_NORMAL);
    expect(c.state.incidents.size).toBe(0);
  });

  it('a ticket refused by the ticketing system after the batch shows as a dead letter', async () => {
    const world = fakeWorld(makeCells(30));
    let dead = 0;
    const pushStates = new Map<string, 'dead_letter'>();
    world.sources.tickets = {
      ...world.sources.tickets!, deadLetters: () => dead, pushState: (id) => pushStates.get(id),
    };
    world.incidents.set('INC-1', incident('INC-1', ['C-1'], { ticketId: 'TKT-1' }));
    world.tickets.set('TKT-1', ticket('TKT-1', 'INC-1'));
    server = await startServer(world.sources);
    const c = await connect(server.wsUrl);
    await c.until((x) => x.state.seq >= 0);
    expect(c.state.tickets.deadLetters).toBe(0);
    expect(c.state.incidents.get('INC-1')!.ticket!.pushState).toBe('delivered');
    // The outbox worker gives up on it (no pipeline batch involved); the next KPI sample notices.
    dead = 1;
    pushStates.set('TKT-1', 'dead_letter');
    server.hub['state'].sampleKpis();
    server.hub.flush();
    await c.until((x) => x.state.tickets.deadLetters === 1);
    expect(c.state.tickets.attention.map((t) => [t.id, t.pushState])).toEqual([['TKT-1', 'dead_letter']]);
    expect(c.state.incidents.get('INC-1')!.ticket!.pushState).toBe('dead_letter');
  });

  it("resends a large incident's cells only when they change", async () => {
    const world = fakeWorld(makeCells(3000));
    server = await startServer(world.sources);
    const c = await connect(server.wsUrl);
    await c.until((x) => x.state.seq >= 0);
    const cells = Array.from({ length: 2000 }, (_, i) => `C-${i}`);
    const deltaIncident = (seq: number) => {
      const m = c.messages.find((x) => x.type === 'delta' && x.seq === seq);
      return m?.type === 'delta' ? m.incidents![0]! : undefined;
    };
    const step = async (inc: ReturnType<typeof incident>, seq: number) => {
      server!.hub.onBatch(outcome({ incidentChanges: [{ type: 'updated', incident: inc }] }));
      server!.hub.flush();
      await c.until((x) => x.state.seq >= seq);
    };
    await step(incident('INC-BIG', cells), 1);
    expect(deltaIncident(1)!.cellIdx).toHaveLength(2000);
    // A new complaint, same cells: the 2,000 indexes are not sent again, the client keeps them.
    await step(incident('INC-BIG', cells, { complaintIds: ['K-1'], version: 2 }), 2);
    expect(deltaIncident(2)!.cellIdx).toBeUndefined();
    expect(c.state.incidents.get('INC-BIG')).toMatchObject({ complaints: 1, cellCount: 2000 });
    expect(c.state.incidents.get('INC-BIG')!.cellIdx).toHaveLength(2000);
    // One cell more: sent in full.
    await step(incident('INC-BIG', [...cells, 'C-2500'], { version: 3 }), 3);
    expect(deltaIncident(3)!.cellIdx).toHaveLength(2001);
    expect(c.state.incidents.get('INC-BIG')!.cellIdx).toContain(2500);
  });

  it('a site alarm colours every cell of the site; its clear restores them', async () => {
    const world = fakeWorld(makeCells(30));
    server = await startServer(world.sources);
    const c = await connect(server.wsUrl);
    await c.until((x) => x.state.seq >= 0);
    // makeCells puts 3 cells per site: S-2 holds C-6, C-7, C-8.
    const siteAlarm = anomaly('S-2', { id: 'alarm:S-2', source: 'alarm', objectType: 'site', objectId: 'S-2', cellId: undefined, signal: 'site_down', hint: 'outage' });
    server.hub.onBatch(outcome({ transitions: [firing(siteAlarm)] }));
    server.hub.flush();
    await c.until((x) => x.state.seq >= 1);
    expect(c.state.nonNormal()).toEqual([6, 7, 8]);
    expect(c.state.status[7]).toBe(STATUS_OUTAGE);
    server.hub.onBatch(outcome({ transitions: [resolved(siteAlarm)] }));
    server.hub.flush();
    await c.until((x) => x.state.seq >= 2);
    expect(c.state.nonNormal()).toEqual([]);
  });

  it('numbers every message; a reconnecting client gets exactly what it missed', async () => {
    const world = fakeWorld(makeCells(100));
    server = await startServer(world.sources);
    const a = await connect(server.wsUrl);
    await a.until((x) => x.state.seq >= 0);
    const epoch = a.state.epoch!;
    for (let i = 0; i < 3; i++) {
      server.hub.onBatch(outcome({ transitions: [firing(anomaly(`C-${i}`))] }));
      server.hub.flush();
    }
    await a.until((x) => x.state.seq === 3);
    expect(a.messages.map((m) => (m.type === 'delta' ? m.seq : m.type))).toEqual(['snapshot', 1, 2, 3]);
    await a.close();

    // While away: two more deltas.
    server.hub.onBatch(outcome({ transitions: [firing(anomaly('C-10'))] }));
    server.hub.flush();
    server.hub.onBatch(outcome({ complaints: [{ complaint: complaint('K-1', 'C-10', 'vip_gold'), link: null }] }));
    server.hub.flush();

    const resumed = await TestClient.connect(`${server.wsUrl}?epoch=${epoch}&since=3`, { state: a.state });
    clients.push(resumed);
    // It replays seq 4 and 5 only (no snapshot).
    await resumed.until((x) => x.messages.length >= 2);
    expect(resumed.messages.map((m) => m.type)).toEqual(['delta', 'delta']);
    expect(resumed.messages.map((m) => (m as { seq: number }).seq)).toEqual([4, 5]);
    const fresh = await connect(server.wsUrl);
    await fresh.until((x) => x.state.seq === 5);
    expect(resumed.gaps).toBe(0);
    expect(comparable(resumed.state)).toEqual(comparable(fresh.state));
    expect(resumed.state.complaints.map((c) => c.id)).toEqual(['K-1']);

    // Up to date already: a 'resumed' message and nothing else.
    const same = await connect(`${server.wsUrl}?epoch=${epoch}&since=5`);
    await same.until((x) => x.messages.length >= 1);
    expect(same.messages[0]).toEqual({ type: 'resumed', epoch, seq: 5 });
    // Another epoch (the daemon restarted): a snapshot.
    const other = await connect(`${server.wsUrl}?epoch=deadbeef&since=5`);
    await other.until((x) => x.messages.length >= 1);
    expect(other.messages[0]!.type).toBe('snapshot');
  });

  it('sends a snapshot when the missed deltas are no longer kept', async () => {
    const world = fakeWorld(makeCells(100));
    server = await startServer(world.sources, { resumeMessages: 2 });
    const a = await connect(server.wsUrl);
    await a.until((x) => x.state.seq >= 0);
    const epoch = a.state.epoch!;
    for (let i = 0; i < 5; i++) {
      server.hub.onBatch(outcome({ transitions: [firing(anomaly(`C-${i}`))] }));
      server.hub.flush();
    }
    const late = await connect(`${server.wsUrl}?epoch=${epoch}&since=1`);
    await late.until((x) => x.messages.length >= 1);
    expect(late.messages[0]!.type).toBe('snapshot');
    expect(late.state.seq).toBe(5);
    expect(late.state.nonNormal()).toEqual([0, 1, 2, 3, 4]);
  });

  it('snapshot carries incidents (severe first), tickets by state and department, VIP complainants, KPI tiles', async () => {
    const world = fakeWorld(makeCells(60));
    world.complaints.set('K-1', { complaint: complaint('K-1', 'C-1', 'vip_diamond'), incidentId: 'INC-2' });
    world.complaints.set('K-2', { complaint: complaint('K-2', 'C-1', 'regular'), incidentId: 'INC-2' });
    world.incidents.set('INC-1', incident('INC-1', ['C-10'], { severity: 'minor', detectedAt: T0 + 9 * 60_000 }));
    world.incidents.set('INC-2', incident('INC-2', ['C-1', 'C-2'], { severity: 'critical', complaintIds: ['K-1', 'K-2'], ticketId: 'TKT-2' }));
    world.tickets.set('TKT-2', ticket('TKT-2', 'INC-2', { sla: { respondBy: T0, onsiteBy: T0, resolveBy: T0, breached: ['respond'] } }));
    world.tickets.set('TKT-3', ticket('TKT-3', 'INC-9', { department: 'optimization', state: 'in_progress', external: { system: 'webhook', key: null, pushState: 'dead_letter' } }));
    world.kpis.proactiveRatio = { value: 75, note: '4 tickets' };
    server = await startServer(world.sources);
    const c = await connect(server.wsUrl);
    await c.until((x) => x.state.seq >= 0);
    const s = c.messages[0]!;
    if (s.type !== 'snapshot') throw new Error('expected a snapshot');
    expect(s.incidents.map((i) => i.id)).toEqual(['INC-2', 'INC-1']);
    expect(s.incidents[0]).toMatchObject({ complaints: 2, vipComplaints: 1, cellCount: 2, cellIdx: [1, 2], ticket: { id: 'TKT-2', breached: ['respond'] } });
    expect(s.tickets.counts).toEqual({ open: { maintenance: 1 }, in_progress: { optimization: 1 } });
    expect(s.tickets.breached).toBe(1);
    expect(s.tickets.attention.map((t) => t.id).sort()).toEqual(['TKT-2', 'TKT-3']);
    expect(s.kpis.find((k) => k.key === 'proactiveRatio')).toMatchObject({ value: 75, note: '4 tickets' });
    expect(s.counters).toMatchObject({ cells: 60, outage: 3, openIncidents: 2 });
  });
});
