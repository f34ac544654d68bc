/**
 * `npm run bench:tickets` — figures for the ticket stage and the ticketing outbox:
 *  1. the stage: opening tickets, `advance` with many live tickets (SLA, audit, verification),
 *     ticketing-system events per second;
 *  2. the outbox: SQLite enqueue rate inside transactions, and end-to-end delivery to a loopback
 *     webhook through the worker (p-queue, signing, idempotency keys).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Incident } from '../src/model/index.js';
import { ticketsConfigSchema } from '../src/tickets/config.js';
import { TicketEngine, ticketIdFor } from '../src/tickets/ticket-engine.js';
import { ticketingConfigSchema } from '../src/outputs/ticketing/config.js';
import { DeliveryWorker } from '../src/outputs/ticketing/delivery-worker.js';
import { SqliteOutboxStore } from '../src/outputs/ticketing/sqlite-outbox-store.js';
import { openDatabase } from '../src/store/database.js';

const T0 = Date.UTC(2026, 10, 23);
const H = 3_600_000;
const N = Number(process.env.BENCH_TICKETS ?? 5000);
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

function incident(i: number): Incident {
  const cats = ['outage', 'degradation', 'congestion', 'interference', 'coverage', 'transport'] as const;
  return {
    id: `INC-${i}`, state: 'open', severity: 'major', openedAt: T0 - 600_000, detectedAt: T0, resolvedAt: null,
    rootCause: { objectType: 'cell', objectId: `C-${i}`, category: cats[i % cats.length] },
    cells: [`C-${i}-1`, `C-${i}-2`, `C-${i}-3`], region: `R-${i % 14}`, anomalies: [], complaintIds: [], ticketId: null,
    triage: { class: i % 3 === 0 ? 'must_solve' : 'routine', score: 60, reasons: ['bench'] },
    confidence: 1, feeds: ['pm'], reopenCount: 0, version: 1, updatedAt: T0,
  };
}

function benchStage(): void {
  const engine = new TicketEngine({ config: ticketsConfigSchema.parse({}), cellHealth: { cellStatus: () => 'normal' }, system: 'webhook' });
  let t = performance.now();
  for (let i = 0; i < N; i++) engine.onIncidentChanges([{ type: 'opened', incident: incident(i) }], T0 + i);
  const opened = engine.takeChanges().length;
  const openMs = performance.now() - t;
  console.log(`stage: opened ${fmt(opened)} tickets in ${fmt(openMs)} ms (${fmt(opened / (openMs / 1000))}/s)`);

  // A minute-by-minute watermark over two days: SLA breaches and audit flags happen along the way.
  t = performance.now();
  let steps = 0;
  for (let m = 1; m <= 48 * 60; m++, steps++) engine.advance(T0 + m * 60_000);
  const advMs = performance.now() - t;
  const changes = engine.takeChanges().length;
  console.log(`stage: advance with ${fmt(N)} live tickets: ${fmt((advMs * 1000) / steps)} µs per call (${steps} calls, ${fmt(changes)} breach/audit versions)`);

  // Half are acknowledged and resolved through the ticketing system and their incidents recover;
  // then verification runs in advance().
  t = performance.now();
  for (let i = 0; i < N; i += 2) {
    engine.onTicketEvent(ticketIdFor(`INC-${i}`), { type: 'acknowledged', at: T0 + 48 * H }, T0 + 48 * H);
    engine.onTicketEvent(ticketIdFor(`INC-${i}`), { type: 'resolved', at: T0 + 49 * H }, T0 + 49 * H);
  }
  const evMs = performance.now() - t;
  console.log(`stage: ${fmt(N)} ticketing events in ${fmt(evMs)} ms (${fmt(N / (evMs / 1000))}/s)`);
  for (let i = 0; i < N; i += 2) {
    engine.onIncidentChanges([{ type: 'resolved', incident: { ...incident(i), state: 'resolved', resolvedAt: T0 + 49 * H } }], T0 + 49 * H);
  }
  engine.takeChanges();
  t = performance.now();
  for (let m = 0; m < 180; m++) engine.advance(T0 + 49 * H + m * 60_000);
  const verMs = performance.now() - t;
  const verified = engine.takeChanges().filter((c) => c.type === 'verified').length;
  console.log(`stage: advance while ${fmt(N / 2)} tickets verify: ${fmt((verMs * 1000) / 180)} µs per call; ${fmt(verified)} verified`);
}

async function benchOutbox(): Promise<void> {
  const db = openDatabase(':memory:');
  const outbox = new SqliteOutboxStore(db);
  const entries = Math.min(N, 3000);
  const engine = new TicketEngine({ config: ticketsConfigSchema.parse({}), cellHealth: { cellStatus: () => 'normal' }, system: 'webhook' });
  for (let i = 0; i < entries; i++) engine.onIncidentChanges([{ type: 'opened', incident: incident(i) }], T0);
  const changes = engine.takeChanges();
  let t = performance.now();
  for (let i = 0; i < changes.length; i += 100) db.transaction(() => { for (const c of changes.slice(i, i + 100)) outbox.enqueue(c, Date.now()); })();
  const enqMs = performance.now() - t;
  console.log(`outbox: enqueued ${fmt(entries)} versions in ${fmt(enqMs)} ms (${fmt(entries / (enqMs / 1000))}/s, batches of 100)`);

  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => { received += 1; res.writeHead(200).end(); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  for (const concurrency of [1, 8]) {
    const before = received;
    const o = new SqliteOutboxStore(openDatabase(':memory:'));
    for (const c of changes) o.enqueue(c, Date.now());
    const w = new DeliveryWorker({
      outbox: o,
      config: ticketingConfigSchema.parse({ target: { kind: 'webhook', url }, secret: 'bench-secret-0123456789', concurrency, ratePerSecond: 10_000 }),
    });
    t = performance.now();
    while (o.counts().delivered < entries) await w.runOnce();
    const ms = performance.now() - t;
    console.log(`outbox: delivered ${fmt(received - before)} signed versions to a loopback webhook, concurrency ${concurrency}: ${fmt((entries / ms) * 1000)}/s`);
  }
  server.close();
}

benchStage();
await benchOutbox();
