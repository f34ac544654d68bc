/**
 * `npm run bench:evaluation [-- --cells 300000 --complaints 50000 --tickets 3000 --runs 5]`: what one
 * recomputation of the process-KPI gauges costs (`RollingEvaluation`: the window's tickets,
 * complaints, callbacks and subscribers read from a SQLite store and the inventory, then `evaluate`
 * by department), split by part. It runs on the event loop: while it runs, the API and ingest wait.
 * This is why the gauges are recomputed at most every `evaluation.refreshS`, not on every scrape.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { collectEvaluationData } from '../src/evaluation/evaluation-source.js';
import { evaluate } from '../src/evaluation/evaluation.js';
import { Inventory } from '../src/inventory/inventory.js';
import type { Cell, Complaint, Ticket } from '../src/model/index.js';
import { openSqliteStore } from '../src/store/store.js';

const { values: opts } = parseArgs({
  options: {
    cells: { type: 'string', default: '2000' }, complaints: { type: 'string', default: '5000' },
    tickets: { type: 'string', default: '500' }, runs: { type: 'string', default: '5' },
  },
});
const CELLS = Number(opts.cells);
const COMPLAINTS = Number(opts.complaints);
const TICKETS = Number(opts.tickets);
const DAY = 86_400_000;
const H = 3_600_000;
const T = Date.UTC(2026, 10, 23);

const cells: Cell[] = [];
for (let i = 0; i < CELLS; i++) {
  cells.push({
    cellId: `C-${i}`, siteId: `S-${Math.floor(i / 3)}`, transportId: `TR-${Math.floor(i / 90)}`, region: `R-${i % 14}`,
    district: `D-${i % 140}`, lat: 28 + (i % 1000) / 1000, lon: 112 + Math.floor(i / 1000) / 1000, technology: 'LTE',
    areaClass: 'residential', subscribers: 300,
  });
}
const inventory = new Inventory(cells);
const dir = mkdtempSync(join(tmpdir(), 'nocwatch-bench-evaluation-'));
const store = openSqliteStore(dir);
const departments = ['maintenance', 'optimization', 'construction'] as const;
store.transaction(() => {
  for (let i = 0; i < COMPLAINTS; i++) {
    const c: Complaint = {
      complaintId: `CP-${i}`, channel: 'hotline', receivedAt: T - 7 * DAY + Math.floor((i * 7 * DAY) / COMPLAINTS),
      customer: { id: `cust-${i}`, class: 'regular' }, category: 'no_data', location: { cellId: `C-${(i * 7919) % CELLS}` },
    };
    store.complaints.insert(c);
  }
  // Tickets as they are stored: three cells, a few complaints, a dozen notes, verified.
  for (let i = 0; i < TICKETS; i++) {
    const at = T - 7 * DAY + Math.floor((i * 7 * DAY) / TICKETS);
    const t: Ticket = {
      id: `TKT-${i}`, incidentId: `INC-${i}`, complaintIds: [`CP-${i}`, `CP-${i + 1}`], department: departments[i % 3]!,
      class: i % 3 === 0 ? 'must_solve' : 'routine', state: 'verified', proactive: i % 2 === 0, createdAt: at, updatedAt: at + 3 * H,
      sla: { respondBy: at + 8 * H, onsiteBy: at + 72 * H, resolveBy: at + 168 * H, breached: [] },
      external: { system: 'webhook', key: null, pushState: 'delivered' }, version: 12, priority: 3,
      cells: [`C-${i}`, `C-${i + 1}`, `C-${i + 2}`], region: `R-${i % 14}`, district: `D-${i % 140}`, category: 'interference',
      routing: ['root cause interference → optimization'], reasons: ['area: residential'], problemStartedAt: at - 600_000, detectedAt: at,
      times: { acknowledgedAt: at + 600_000, resolvedAt: at + H, verifiedAt: at + 3 * H },
      verification: { passed: 1, failed: 0, normalSince: null }, reopenCount: 0, lastActivityAt: at + H,
      notes: Array.from({ length: 12 }, (_, k) => ({ at: at + k * 60_000, text: `note ${k}: 1 complaint(s) attached: CP-${i + k}` })),
    };
    store.tickets.upsert(t);
  }
});

const ms = (n: number) => `${n.toFixed(1)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const parts = { tickets: [] as number[], complaints: [] as number[], subscribers: [] as number[], evaluate: [] as number[], total: [] as number[] };
for (let r = 0; r < Number(opts.runs); r++) {
  const from = T - 7 * DAY;
  let t0 = performance.now();
  store.tickets.createdBetween(from, T + 1);
  parts.tickets.push(performance.now() - t0);
  t0 = performance.now();
  let subscribers = 0;
  for (const c of inventory.allCells()) subscribers += c.subscribers;
  if (subscribers === 0) throw new Error('no subscribers');
  parts.subscribers.push(performance.now() - t0);
  t0 = performance.now();
  const data = collectEvaluationData({ store, topology: inventory, repeatWindowDays: 30 }, from, T + 1);
  const collect = performance.now() - t0;
  t0 = performance.now();
  evaluate(data, 'department');
  parts.evaluate.push(performance.now() - t0);
  // What collecting costs beyond the tickets and the subscribers: reading and placing the complaints.
  parts.complaints.push(Math.max(0, collect - parts.tickets.at(-1)! - parts.subscribers.at(-1)!));
  parts.total.push(collect + parts.evaluate.at(-1)!);
}
console.log(`one recomputation of the process-KPI gauges: ${CELLS.toLocaleString('en-US')} cells, ${COMPLAINTS.toLocaleString('en-US')} complaints and ${TICKETS.toLocaleString('en-US')} tickets in the 7-day window (median of ${opts.runs})`);
console.log(`  total ${ms(median(parts.total))} (worst ${ms(Math.max(...parts.total))}): tickets ${ms(median(parts.tickets))}, complaints ${ms(median(parts.complaints))}, subscribers ${ms(median(parts.subscribers))}, evaluate ${ms(median(parts.evaluate))}`);
store.close();
rmSync(dir, { recursive: true, force: true });
