/**
 * `npm run bench:latency [-- --cells N --probes P --seconds S --flush-ms F --batch-target-ms M]`
 *
 * End-to-end latency with the daemon as its own process, at 0, 50% and 90% of the PM load it can
 * sustain (measured first in the same run):
 *
 * - record → dashboard: a complaint is posted; the time until a dashboard WebSocket client receives
 *   the delta that carries it (coalesced every `dashboard.flushIntervalMs`, set by --flush-ms);
 * - record → ticket: a critical `cell_unavailable` alarm on a healthy cell is posted; the time until
 *   the ticket it opens reaches a webhook receiver (detectors → incident → ticket → outbox → push).
 *
 * Background load is PM NDJSON for the province's cells, paced by a token bucket, two requests in
 * flight. Prints p50 / p99 per level.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { toInventoryCsv } from '../src/inventory/inventory-csv.js';
import { generateNetwork } from '../src/simulator/inventory-generator.js';

const { values } = parseArgs({
  options: {
    cells: { type: 'string', default: '20000' },
    probes: { type: 'string', default: '60' },
    seconds: { type: 'string', default: '12' },
    'flush-ms': { type: 'string', default: '50' },
    /** pipeline.batchTargetMs for the daemon (default: the daemon's own). */
    'batch-target-ms': { type: 'string' },
  },
});
const CELLS = Number(values.cells);
const PROBES = Number(values.probes);
const SECONDS = Number(values.seconds);
const ROOT = join(import.meta.dirname, '..');
const BATCH = 1000;
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- the network, the ticketing receiver, the daemon --------------------------------------------

const network = generateNetwork({ cells: CELLS, seed: 5 });
const dir = mkdtempSync(join(tmpdir(), 'nocwatch-bench-latency-'));
writeFileSync(join(dir, 'inventory.csv'), toInventoryCsv(network.cells));

const ticketSeen = new Map<string, number>();
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const at = performance.now();
    try {
      const t = JSON.parse(Buffer.concat(chunks).toString()) as { incidentId?: string; cells?: string[] };
      for (const c of t.cells ?? []) if (!ticketSeen.has(c)) ticketSeen.set(c, at);
    } catch { /* not ours */ }
    res.writeHead(200).end('{}');
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;

writeFileSync(join(dir, 'nocwatch.yaml'), JSON.stringify({
  dashboard: { flushIntervalMs: Number(values['flush-ms']) },
  ticketing: { target: { kind: 'webhook', url: `${receiverUrl}/tickets` }, concurrency: 8, ratePerSecond: 1000, pollMs: 1000 },
  // The load walks event time forward far faster than the wall clock.
  pipeline: { queueLimit: 2_000_000, maxFutureS: 0, ...(values['batch-target-ms'] !== undefined ? { batchTargetMs: Number(values['batch-target-ms']) } : {}) },
}));
const daemon: ChildProcess = spawn(process.execPath, [join(ROOT, 'dist', 'main.js'), 'run', '--port', '0', '--config', join(dir, 'nocwatch.yaml'),
  '--data-dir', join(dir, 'data'), '--inventory', join(dir, 'inventory.csv'), '--no-simulator'], { cwd: ROOT, env: { ...process.env, NOCWATCH_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve, reject) => {
  daemon.on('exit', (c) => reject(new Error(`daemon exited ${c}`)));
  let buf = '';
  daemon.stdout!.on('data', (c: Buffer) => {
    buf += c.toString();
    const m = /nocwatch listening on (http:\/\/[^\s)"]+)/.exec(buf);
    if (m) resolve(m[1]!);
  });
});

// ---- load ---------------------------------------------------------------------------------------

let eventTime = Date.UTC(2026, 10, 23, 0, 0);
let cursor = 0;
const kpis = (i: number) => ({ availability: 100, rrc_setup_success_rate: 99 + ((i * 7) % 10) / 10, erab_drop_rate: 0.3, prb_dl_utilization: 40 + (i % 30), dl_user_throughput_mbps: 30 + (i % 13) });
/** The next batch of PM records, walking the cells period by period. */
function pmBatch(): string {
  const lines: string[] = [];
  for (let k = 0; k < BATCH; k++) {
    if (cursor === CELLS) {
      cursor = 0;
      eventTime += 900_000;
    }
    const c = network.cells[cursor]!;
    lines.push(JSON.stringify({ cellId: c.cellId, time: eventTime + 900_000, period: 900, kpis: kpis(cursor), attempts: { rrc_setup_success_rate: 1200 } }));
    cursor++;
  }
  return lines.join('\n');
}
async function postPm(body: string): Promise<void> {
  for (;;) {
    const res = await fetch(`${url}/api/v1/ingest/pm`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
    const out = (await res.json()) as { rejected?: unknown[] };
    if (res.status === 202) {
      if (out.rejected?.length) throw new Error(`PM rejected: ${JSON.stringify(out.rejected[0])}`);
      return;
    }
    if (res.status !== 503) throw new Error(`ingest answered ${res.status}`);
    await sleep(50);
  }
}

/** Runs PM load at `ratePerS` (Infinity: as fast as it goes) until `stop()`; returns records sent. */
function load(ratePerS: number): { stop: () => Promise<number> } {
  let running = true;
  let sent = 0;
  const started = performance.now();
  const worker = async () => {
    while (running) {
      if (ratePerS !== Infinity) {
        const due = started + ((sent + BATCH) / ratePerS) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        if (!running) break;
      }
      sent += BATCH;
      await postPm(pmBatch());
    }
  };
  const workers = ratePerS === 0 ? [] : [worker(), worker()];
  return { stop: async () => { running = false; await Promise.all(workers); return sent; } };
}

async function drained(): Promise<void> {
  for (;;) {
    const s = (await (await fetch(`${url}/api/v1/status`)).json()) as { pending: number };
    if (s.pending === 0) return;
    await sleep(20);
  }
}

// ---- probes -------------------------------------------------------------------------------------

const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`);
const complaintSeen = new Map<string, number>();
ws.on('message', (data) => {
  const at = performance.now();
  const m = JSON.parse(data.toString()) as { complaints?: { id: string }[] };
  for (const c of m.complaints ?? []) if (!complaintSeen.has(c.id)) complaintSeen.set(c.id, at);
});
await new Promise((r) => ws.once('open', r));

async function check(res: Promise<Response>): Promise<void> {
  const r = await res;
  const out = (await r.json()) as { accepted: number; rejected: unknown[] };
  if (r.status !== 202 || out.accepted !== 1) throw new Error(`probe refused: ${r.status} ${JSON.stringify(out)}`);
}

let probeCell = CELLS - 1;
let probeN = 0;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function probe(): Promise<{ ws: number[]; ticket: number[] }> {
  const wsLat: number[] = [];
  const tkLat: number[] = [];
  const pending: Promise<void>[] = [];
  for (let i = 0; i < PROBES; i++) {
    const id = `LAT-C-${probeN++}`;
    const cell = network.cells[probeCell--]!.cellId;
    const sentAt = performance.now();
    await check(fetch(`${url}/api/v1/ingest/complaints`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({
      complaintId: id, channel: 'app', receivedAt: eventTime, customer: { id: `cust-${id}`, class: 'regular' }, category: 'other', location: { cellId: cell } }) }));
    const alarmAt = performance.now();
    await check(fetch(`${url}/api/v1/ingest/alarms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({
      alarmId: `LAT-A-${id}`, objectType: 'cell', objectId: cell, severity: 'critical', probableCause: 'cell_unavailable', eventTime: eventTime + 60_000 }) }));
    pending.push((async () => {
      const deadline = performance.now() + 30_000;
      while ((!complaintSeen.has(id) || !ticketSeen.has(cell)) && performance.now() < deadline) await sleep(2);
      if (complaintSeen.has(id)) wsLat.push(complaintSeen.get(id)! - sentAt);
      if (ticketSeen.has(cell)) tkLat.push(ticketSeen.get(cell)! - alarmAt);
    })());
    await sleep(1000 * SECONDS / PROBES);
  }
  await Promise.all(pending);
  return { ws: wsLat, ticket: tkLat };
}

// ---- run ----------------------------------------------------------------------------------------

console.log(`latency: ${fmt(CELLS)} cells, ${PROBES} probes per level, dashboard flush every ${values['flush-ms']} ms`);
// Warm-up: one pass over every cell, so per-series state exists before anything is timed.
for (let i = 0; i < Math.ceil(CELLS / BATCH); i++) await postPm(pmBatch());
await drained();

const maxRun = load(Infinity);
const t0 = performance.now();
await sleep(8000);
const maxSent = await maxRun.stop();
await drained();
const maxRate = maxSent / ((performance.now() - t0) / 1000);
console.log(`maximum sustained PM load: ${fmt(maxRate)} records/s (${fmt(maxRate * 5)} KPI samples/s), queue drained`);

for (const level of [0, 0.5, 0.9]) {
  const bg = load(level * maxRate);
  await sleep(1000);
  const r = await probe();
  const sent = await bg.stop();
  await drained();
  console.log(`load ${fmt(level * 100)}% (${fmt(level * maxRate)} records/s, ${fmt(sent)} sent): ` +
    `record → dashboard p50 ${fmt(pct(r.ws, 50))} ms, p99 ${fmt(pct(r.ws, 99))} ms (${r.ws.length}/${PROBES}); ` +
    `record → ticket at the receiver p50 ${fmt(pct(r.ticket, 50))} ms, p99 ${fmt(pct(r.ticket, 99))} ms (${r.ticket.length}/${PROBES})`);
}

ws.close();
daemon.kill('SIGTERM');
await new Promise((r) => daemon.on('exit', r));
receiver.close();
rmSync(dir, { recursive: true, force: true });
