/**
 * `npm run bench:province [-- --cells N --periods P --history-days D --concurrency C]`
 *
 * A province on one machine, measured: the built daemon runs as its own process (one core for it,
 * one for this client) with the simulator's inventory; this script posts PM NDJSON over loopback HTTP
 * period by period and waits until the daemon reports `pending: 0` — every record through the
 * detectors, incidents and store. It prints:
 *
 * - ingest throughput: KPI samples/s and records/s per 15-minute period, the time one period of the
 *   province takes, and the ratio to a JSON.parse-only pass over the same bytes in this process;
 * - memory: the daemon's RSS and bytes per KPI series with every series live;
 * - restart: SIGTERM (drain + checkpoint), start again, the time until the daemon listens with its
 *   checkpoint restored, and the anomalies and incidents the next periods open (a burst of false
 *   alarms would show here).
 *
 * `--kpis` pads each record with vendor KPIs up to that many (default 10: 300,000 cells → 3 million
 * series). `--history-days` first feeds that much history (at full speed, not timed) so baselines are learnt
 * and a restart has something to lose; detectors open nothing before two days of history.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { toInventoryCsv } from '../src/inventory/inventory-csv.js';
import { generateNetwork } from '../src/simulator/inventory-generator.js';
import { createSimulation } from '../src/simulator/simulation.js';

const { values } = parseArgs({
  options: {
    cells: { type: 'string', default: '300000' },
    periods: { type: 'string', default: '4' },
    'history-days': { type: 'string', default: '0' },
    concurrency: { type: 'string', default: '2' },
    batch: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '7' },
    /** KPIs per record: the simulator's 8–9 are padded with vendor KPIs up to this many. */
    kpis: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
  },
});
const CELLS = Number(values.cells);
const PERIODS = Number(values.periods);
const HISTORY_DAYS = Number(values['history-days']);
const CONCURRENCY = Number(values.concurrency);
const BATCH = Number(values.batch);
const PERIOD_MS = 900_000;
const KPIS = Number(values.kpis);
/** Vendor KPIs an operator adds (config catalogue or unknown names: detected with a default baseline). */
const VENDOR_KPIS = ['cqi_average', 'ul_interference_dbm', 'rrc_connected_users_avg', 'pdcp_dl_volume_gb'];
const ROOT = join(import.meta.dirname, '..');

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

// ---- the network and its PM --------------------------------------------------------------------

const network = generateNetwork({ cells: CELLS, seed: Number(values.seed) });
const dir = mkdtempSync(join(tmpdir(), 'nocwatch-bench-province-'));
const inventoryFile = join(dir, 'inventory.csv');
writeFileSync(inventoryFile, toInventoryCsv(network.cells));
const start = Date.UTC(2026, 10, 16, 16); // a Monday midnight, local UTC+8
const historyEnd = start + HISTORY_DAYS * 86_400_000;
const sim = createSimulation({
  network, seed: Number(values.seed), start, warmupMs: historyEnd - start, faultsPerDay: 0,
  feeds: { pm: true, signaling: false, dialtest: false, alarms: false, complaints: false }, pmCounters: false,
});
const periods = sim.generate(historyEnd + (PERIODS + 2) * PERIOD_MS);

/** The next period's PM records as NDJSON request bodies, with their record and KPI-sample counts. */
function nextPeriod(): { bodies: string[]; records: number; samples: number; bytes: number; t: number } | null {
  const records: Record<string, unknown>[] = [];
  let t = 0;
  for (;;) {
    const n = periods.next();
    if (n.done) break;
    const [feed, recs] = n.value;
    if (feed !== 'pm' || recs.length === 0) continue;
    records.push(...(recs as Record<string, unknown>[]));
    t = Date.parse(String((recs[0] as { time: string }).time));
    if (records.length >= CELLS) break;
  }
  if (records.length === 0) return null;
  let samples = 0;
  const bodies: string[] = [];
  let bytes = 0;
  for (let i = 0; i < records.length; i += BATCH) {
    const slice = records.slice(i, i + BATCH);
    for (const r of slice) {
      const k = r.kpis as Record<string, number>;
      for (let v = 0; Object.keys(k).length < KPIS && v < VENDOR_KPIS.length; v++) k[VENDOR_KPIS[v]!] = 10 + ((i + v * 7) % 13);
      samples += Object.keys(k).length;
    }
    const body = slice.map((r) => JSON.stringify(r)).join('\n');
    bytes += body.length;
    bodies.push(body);
  }
  return { bodies, records: records.length, samples, bytes, t };
}

// ---- the daemon ---------------------------------------------------------------------------------

interface Daemon { proc: ChildProcess; url: string; log: string[] }

function startDaemon(): Promise<Daemon & { startMs: number; restored: Record<string, unknown> }> {
  const t0 = performance.now();
  const flags = (process.env.BENCH_DAEMON_FLAGS ?? '').split(' ').filter(Boolean); // e.g. --cpu-prof
  const proc = spawn(process.execPath, ['--max-old-space-size=8192', ...flags, join(ROOT, 'dist', 'main.js'), 'run', '--port', '0',
    '--data-dir', join(dir, 'data'), '--inventory', inventoryFile, '--no-simulator'], {
    cwd: ROOT, env: { ...process.env, NOCWATCH_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const log: string[] = [];
  let restored: Record<string, unknown> = {};
  return new Promise((resolve, reject) => {
    proc.on('exit', (code) => reject(new Error(`daemon exited with ${code}:\n${log.slice(-20).join('')}`)));
    proc.stdout!.on('data', (c: Buffer) => {
      const text = c.toString();
      log.push(text);
      for (const line of text.split('\n')) {
        if (line.includes('"state restored"')) restored = JSON.parse(line) as Record<string, unknown>;
        const m = /nocwatch listening on (http:\/\/[^\s)"]+)/.exec(line);
        if (m) resolve({ proc, url: m[1]!, log, startMs: performance.now() - t0, restored });
      }
    });
  });
}

async function stopDaemon(d: Daemon): Promise<number> {
  const t0 = performance.now();
  d.proc.removeAllListeners('exit');
  const done = new Promise((r) => d.proc.on('exit', r));
  d.proc.kill('SIGTERM');
  await done;
  return performance.now() - t0;
}

async function status(d: Daemon): Promise<{ pending: number }> {
  return (await (await fetch(`${d.url}/api/v1/status`)).json()) as { pending: number };
}

async function metric(d: Daemon, name: string): Promise<number> {
  const text = await (await fetch(`${d.url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '{')) sum += Number(line.split(' ').pop());
  return sum;
}

async function incidentsCount(d: Daemon): Promise<number> {
  let n = 0;
  let cursor: string | null = null;
  do {
    const page = (await (await fetch(`${d.url}/api/v1/incidents?state=all&limit=10000${cursor ? `&cursor=${cursor}` : ''}`)).json()) as { items: unknown[]; nextCursor: string | null };
    n += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return n;
}

/** Posts the bodies with `CONCURRENCY` requests in flight, honouring 503 + Retry-After. */
async function post(d: Daemon, bodies: string[]): Promise<number> {
  let next = 0;
  let waited = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      for (;;) {
        const res = await fetch(`${d.url}/api/v1/ingest/pm`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
        if (res.status === 503) {
          waited++;
          await res.arrayBuffer();
          await new Promise((r) => setTimeout(r, 200));
          continue;
        }
        const out = (await res.json()) as { accepted: number; rejected: unknown[] };
        if (res.status !== 202 || out.rejected.length > 0) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(out).slice(0, 300)}`);
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return waited;
}

async function drained(d: Daemon): Promise<void> {
  for (;;) {
    if ((await status(d)).pending === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** JSON.parse alone over the same NDJSON, in this process: the practical ceiling. */
function parseOnlyRate(bodies: string[], records: number): number {
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    let n = 0;
    for (const b of bodies) for (const line of b.split('\n')) if (JSON.parse(line)) n++;
    if (n !== records) throw new Error('parse-only pass miscounted');
    best = Math.max(best, records / ((performance.now() - t0) / 1000));
  }
  return best;
}

// ---- run ----------------------------------------------------------------------------------------

console.log(`province: ${fmt(CELLS)} cells, ${fmt(network.sites.length)} sites; ${PERIODS} timed PM periods after ${HISTORY_DAYS} day(s) of history; ` +
  `${CONCURRENCY} requests in flight of ${fmt(BATCH)} records`);
let daemon = await startDaemon();
const rssIdle = await metric(daemon, 'nocwatch_process_resident_memory_bytes');

if (HISTORY_DAYS > 0) {
  const t0 = performance.now();
  let recs = 0;
  for (let t = start; t < historyEnd; t += PERIOD_MS) {
    const p = nextPeriod();
    if (!p) break;
    await post(daemon, p.bodies);
    recs += p.records;
  }
  await drained(daemon);
  console.log(`history: ${fmt(recs)} PM records in ${fmt((performance.now() - t0) / 1000, 1)} s (not timed below)`);
}

const rows: string[] = [];
let ceiling = 0;
let last = { samples: 0, seconds: 0 };
for (let i = 0; i < PERIODS; i++) {
  const p = nextPeriod();
  if (!p) break;
  if (i === 0) ceiling = parseOnlyRate(p.bodies, p.records);
  const t0 = performance.now();
  const waited = await post(daemon, p.bodies);
  await drained(daemon);
  const seconds = (performance.now() - t0) / 1000;
  last = { samples: p.samples, seconds };
  rows.push(`  period ${new Date(p.t).toISOString()}  ${fmt(p.records)} records, ${fmt(p.samples)} KPI samples, ${fmt(p.bytes / 1e6, 0)} MB  ` +
    `in ${fmt(seconds, 1)} s  → ${fmt(p.samples / seconds)} samples/s, ${fmt(p.records / seconds)} records/s, ${fmt((p.records / seconds) / ceiling * 100, 0)}% of parse-only` +
    (waited ? `  (${waited} × 503 waited out)` : ''));
  console.log(rows[rows.length - 1]);
}
const rss = await metric(daemon, 'nocwatch_process_resident_memory_bytes');
const heap = await metric(daemon, 'nocwatch_nodejs_heap_size_used_bytes');
const series = CELLS * (last.samples / CELLS);
console.log(`\ningest: JSON.parse alone: ${fmt(ceiling)} records/s (${fmt(ceiling * last.samples / CELLS)} samples/s) in this process`);
console.log(`ingest: one 15-minute period of the province (${fmt(last.samples)} samples) processed in ${fmt(last.seconds, 1)} s (aim: < 30 s)`);
console.log(`memory: RSS ${fmt(rss / 2 ** 20)} MiB with ${fmt(series)} KPI series live (idle daemon: ${fmt(rssIdle / 2 ** 20)} MiB; heap used ${fmt(heap / 2 ** 20)} MiB)`);
console.log(`memory: ${fmt(rss / series)} bytes per series all-in (aim ≤ 1024), ${fmt((rss - rssIdle) / series)} above the idle daemon`);

// ---- restart ------------------------------------------------------------------------------------

const anomaliesBefore = await metric(daemon, 'nocwatch_detector_anomalies_total');
const incidentsBefore = await incidentsCount(daemon);
const stopMs = await stopDaemon(daemon);
daemon = await startDaemon();
console.log(`restart: SIGTERM → exit (drain + checkpoint) ${fmt(stopMs)} ms; start → listening with state restored ${fmt(daemon.startMs)} ms ` +
  `(checkpoint ${fmt(Number(daemon.restored.checkpointBytes ?? 0) / 2 ** 20, 1)} MiB, ${daemon.restored.incidents ?? 0} live incidents)`);
for (let i = 0; i < 2; i++) {
  const p = nextPeriod();
  if (!p) break;
  await post(daemon, p.bodies);
}
await drained(daemon);
const anomaliesAfter = await metric(daemon, 'nocwatch_detector_anomalies_total');
const incidentsAfter = await incidentsCount(daemon);
console.log(`restart: two periods after the restart opened ${fmt(anomaliesAfter)} anomalies (metric since restart) and ${incidentsAfter - incidentsBefore} incidents ` +
  `(before the restart: ${fmt(anomaliesBefore)} anomalies, ${incidentsBefore} incidents over the whole run)`);
await stopDaemon(daemon);
if (!values.keep) rmSync(dir, { recursive: true, force: true });
else console.log(`data kept in ${dir}`);
