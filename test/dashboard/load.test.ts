/**
 * WebSocket load and slow-client behaviour against a real listening server: 50 clients through a
 * 300-cell transport outage end with the same state, and a client that never reads costs the daemon
 * a bounded number of bytes before it is dropped.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { IncidentChange, TicketChange } from '../../src/pipeline/stages.js';
import {
  T0, TestClient, anomaly, comparable, complaint, fakeWorld, firing, incident, makeCells, outcome, resolved, startServer, ticket,
  type TestServer,
} from './fixtures.js';

let server: TestServer | null = null;
const sockets: Socket[] = [];
const clients: TestClient[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = null;
});

/** A client that completes the WebSocket upgrade and then never reads another byte. */
function stalledClient(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => {
      s.write(
        `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
      s.once('data', (chunk) => {
        if (!chunk.toString().startsWith('HTTP/1.1 101')) reject(new Error(`upgrade refused: ${chunk.toString()}`));
        s.pause(); // never read again: the kernel buffers fill, then the server's
        resolve(s);
      });
    });
    s.on('error', () => {});
    sockets.push(s);
  });
}

/** Transitions that turn cells C-0…C-(n−1) anomalous, and back. */
function storms(n: number) {
  const fire = [];
  const clear = [];
  for (let i = 0; i < n; i++) (fire.push(firing(anomaly(`C-${i}`))), clear.push(resolved(anomaly(`C-${i}`))));
  return [fire, clear] as const;
}

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('dashboard under load', () => {
  it('50 clients through a 300-cell transport outage receive the same final state', async () => {
    const cells = makeCells(3_000).map((c, i) => (i < 300 ? { ...c, transportId: 'TR-OUT' } : c));
    const world = fakeWorld(cells);
    server = await startServer(world.sources, { slowClientBytes: 256 * 1024 });
    const hub = server.hub;
    const conns = await Promise.all(Array.from({ length: 50 }, () => TestClient.connect(server!.wsUrl)));
    clients.push(...conns);
    await Promise.all(conns.map((c) => c.until((x) => x.state.seq >= 0)));
    await stalledClient(server.port);

    const outCells = cells.slice(0, 300).map((c) => c.cellId);
    let inc = incident('INC-TR', [], { rootCause: { objectType: 'transport', objectId: 'TR-OUT', category: 'transport' } });
    let tk = ticket('TKT-TR', 'INC-TR');
    const complaintIds: string[] = [];
    // The outage spreads over 10 batches: cells lose availability, the incident grows, complaints arrive.
    for (let b = 0; b < 10; b++) {
      const batchCells = outCells.slice(b * 30, (b + 1) * 30);
      const wm = T0 + b * 60_000;
      const changes: IncidentChange[] = [];
      const ticketChanges: TicketChange[] = [];
      inc = { ...inc, cells: [...inc.cells, ...batchCells], version: inc.version + 1, updatedAt: wm, ticketId: b >= 1 ? 'TKT-TR' : null };
      const kc = complaint(`K-${b}`, batchCells[0]!, b % 3 === 0 ? 'vip_gold' : 'regular', wm);
      complaintIds.push(kc.complaintId);
      inc = { ...inc, complaintIds: [...complaintIds] };
      changes.push({ type: b === 0 ? 'opened' : 'updated', incident: inc });
      if (b === 1) ticketChanges.push({ type: 'opened', ticket: tk });
      if (b === 6) ticketChanges.push({ type: 'state', ticket: (tk = { ...tk, state: 'in_progress', version: 2, updatedAt: wm }) });
      if (b === 8) ticketChanges.push({ type: 'sla_breach', ticket: (tk = { ...tk, sla: { ...tk.sla, breached: ['respond'] }, version: 3, updatedAt: wm }) });
      hub.onBatch(outcome({
        watermark: wm,
        transitions: batchCells.map((c) => firing(anomaly(c, { id: `avail:${c}`, signal: 'availability', hint: 'outage' }), wm)),
        incidentChanges: changes,
        ticketChanges,
        complaints: [{ complaint: kc, link: { complaintId: kc.complaintId, incidentId: 'INC-TR', confidence: 0.9, reason: 'same cell' } }],
      }));
      if (b % 2 === 1) hub.flush();
      // Five clients drop out mid-outage and come back with their resume point.
      if (b === 4) {
        for (const c of conns.slice(0, 5)) await c.close();
      }
      if (b === 7) {
        for (let i = 0; i < 5; i++) {
          const old = conns[i]!;
          // The state carries over, as in the page; the replay is applied to it.
          const again = await TestClient.connect(`${server.wsUrl}?epoch=${old.state.epoch}&since=${old.state.seq}`, { state: old.state });
          conns[i] = again;
          clients.push(again);
        }
      }
      await tick();
    }
    // Recovery begins: 100 cells come back.
    hub.onBatch(outcome({ watermark: T0 + 11 * 60_000, transitions: outCells.slice(0, 100).map((c) => resolved(anomaly(c, { id: `avail:${c}`, signal: 'availability', hint: 'outage' }))) }));
    hub.flush();
    const final = hub.lastSeq;
    await Promise.all(conns.map((c) => c.until((x) => x.state.seq === final)));
    const fresh = await TestClient.connect(server.wsUrl);
    clients.push(fresh);
    await fresh.until((x) => x.state.seq === final);

    const expected = comparable(fresh.state);
    for (const c of conns) expect(comparable(c.state)).toEqual(expected);
    expect(conns.every((c) => c.gaps === 0)).toBe(true);
    // All 300 cells still belong to the open transport incident, drawn as outage.
    expect(fresh.state.counters).toMatchObject({ outage: 300, openIncidents: 1 });
    const item = fresh.state.incidents.get('INC-TR')!;
    expect(item).toMatchObject({ cellCount: 300, complaints: 10, vipComplaints: 4, ticket: { state: 'in_progress', breached: ['respond'] } });
    // The stalled client never cost more than the slow-client threshold.
    expect(hub.bufferedBytes()).toBeLessThanOrEqual(256 * 1024);
    // The resumed clients got replays, not snapshots.
    expect(conns.slice(0, 5).every((c) => c.messages.every((m) => m.type === 'delta'))).toBe(true);
  });

  it('memory stays bounded with a stalled client, which is dropped; healthy clients miss nothing', async () => {
    const world = fakeWorld(makeCells(10_000));
    const slowClientBytes = 256 * 1024;
    server = await startServer(world.sources, { slowClientBytes, slowClientMaxMs: 1_000 });
    const hub = server.hub;
    const healthy = await TestClient.connect(server.wsUrl);
    clients.push(healthy);
    await healthy.until((x) => x.state.seq >= 0);
    await stalledClient(server.port);
    expect(hub.clientCount).toBe(2);

    // Storms flipping all 10,000 cells (~70 kB per delta) until the kernel's socket buffers are full
    // and the hub has skipped the stalled client for 20 more deltas.
    let maxBuffered = 0;
    let maxMessage = 0;
    const sent = () => healthy.messages.reduce((n, m) => Math.max(n, JSON.stringify(m).length), 0);
    const [fire, clear] = storms(10_000);
    let skippedFor = 0;
    let rounds = 0;
    for (; rounds < 400 && skippedFor < 20; rounds++) {
      const round = rounds;
      if (hub.bufferedBytes() > slowClientBytes) skippedFor++;
      hub.onBatch(outcome({ watermark: T0 + round, transitions: round % 2 === 0 ? fire : clear }));
      hub.flush();
      maxBuffered = Math.max(maxBuffered, hub.bufferedBytes());
      await tick(2);
    }
    maxMessage = sent();
    await healthy.until((x) => x.state.seq === hub.lastSeq, 10_000);
    expect(healthy.gaps).toBe(0);
    // What the stalled client costs the hub never exceeds the threshold plus one message (and pings).
    expect(skippedFor).toBe(20);
    expect(maxBuffered).toBeLessThanOrEqual(slowClientBytes + maxMessage + 1024);
    // Stuck longer than slowClientMaxMs: dropped on a later flush.
    const deadline = Date.now() + 5_000;
    while (hub.clientCount > 1 && Date.now() < deadline) {
      hub.flush();
      await tick(100);
    }
    expect(hub.clientCount).toBe(1);
    expect(hub.bufferedBytes()).toBe(0);
    console.log(`stalled client: max hub buffered ${(maxBuffered / 1024).toFixed(0)} KiB (threshold ${slowClientBytes / 1024} KiB, largest delta ${(maxMessage / 1024).toFixed(0)} KiB, ${rounds} deltas, ${((rounds * maxMessage) / 1e6).toFixed(1)} MB in all)`);
  });

  it('a slow client that drains gets a fresh snapshot and catches up', async () => {
    const world = fakeWorld(makeCells(10_000));
    server = await startServer(world.sources, { slowClientBytes: 64 * 1024, slowClientMaxMs: 60_000 });
    const hub = server.hub;
    const slow = await TestClient.connect(server.wsUrl);
    clients.push(slow);
    await slow.until((x) => x.state.seq >= 0);
    // Stop reading: the socket's buffers fill and the hub starts skipping it.
    (slow.ws as unknown as { _socket: Socket })._socket.pause();
    const [fire, clear] = storms(10_000);
    for (let round = 0; round < 300 && hub.bufferedBytes() <= 64 * 1024; round++) {
      hub.onBatch(outcome({ watermark: T0 + round, transitions: round % 2 === 0 ? fire : clear }));
      hub.flush();
      await tick(2);
    }
    expect(hub.bufferedBytes()).toBeGreaterThan(64 * 1024);
    hub.onBatch(outcome({ transitions: [firing(anomaly('C-1', { id: 'other' }))] }));
    hub.flush();
    // Reading again: once drained, the next flush sends a snapshot, and the client is current.
    (slow.ws as unknown as { _socket: Socket })._socket.resume();
    const deadline = Date.now() + 10_000;
    while (slow.state.seq !== hub.lastSeq && Date.now() < deadline) {
      hub.flush();
      await tick(20);
    }
    expect(slow.state.seq).toBe(hub.lastSeq);
    expect(slow.messages.filter((m) => m.type === 'snapshot').length).toBe(2);
    expect(slow.state.status[1]).not.toBe(0);
  });
});
