/**
 * `npm run bench:detectors [-- --cells 2000 --days 3]`: samples per second through the whole detector
 * stage (observe + advance + takeTransitions) on one core, with a realistic mix — PM with 10 KPIs every
 * 15 minutes (6 of them rates with attempts; the uplink noise floor with its shift rule), signaling for 10 procedures every 5 minutes, and a
 * trickle of alarms, dial tests and complaints — and the bytes of state per KPI series.
 *
 * Events are generated one 5-minute slice at a time outside the timer, so only the stage is timed.
 * The last day is reported separately: by then every series is past its warm-up.
 */
import { parseArgs } from 'node:util';
import { Detectors } from '../src/detectors/detectors.js';
import { detectorsConfig } from '../src/detectors/config.js';
import { SIGNALING_PROCEDURES, type NetworkEvent } from '../src/model/index.js';
import { DAY, MIN, PM_PERIOD_MS, T0, network, pmEvent, rng, signalingEvent } from '../test/detectors/network.js';

const { values: opts } = parseArgs({ options: { cells: { type: 'string', default: '2000' }, days: { type: 'string', default: '3' } } });
const districts = Math.max(1, Math.round(Number(opts.cells) / 60));
const inventory = network(districts, 20);
const cells = [...inventory.allCells()].map((c) => c.cellId);
const days = Number(opts.days);
const det = new Detectors(detectorsConfig(), inventory);
const r = rng(1);

let samples = 0;
let elapsedNs = 0n;
let lastDaySamples = 0;
let lastDayNs = 0n;
let transitions = 0;
const heapBefore = process.memoryUsage();

for (let t = T0 + 5 * MIN; t <= T0 + days * DAY; t += 5 * MIN) {
  const batch: NetworkEvent[] = [];
  let n = 0;
  for (const c of cells) {
    for (const p of SIGNALING_PROCEDURES) batch.push(signalingEvent(c, t, r, 0.01, p));
    n += SIGNALING_PROCEDURES.length;
  }
  if ((t - T0) % PM_PERIOD_MS === 0) {
    for (const c of cells) {
      const ev = pmEvent(c, t, r);
      ev.kpis.erab_setup_success_rate = 99.5;
      ev.kpis.volte_call_drop_rate = 0.2;
      ev.kpis.nr_qos_flow_setup_success_rate = 99.7;
      ev.kpis.ul_interference_dbm = Math.round((-117 + 0.3 * (r() + r() + r() - 1.5)) * 10) / 10;
      batch.push(ev);
      n += Object.keys(ev.kpis).length;
    }
  }
  // A trickle of the other feeds: an alarm, a few dial tests and complaints per slice.
  const k = Math.floor(r() * cells.length);
  batch.push({ kind: 'alarm', t, alarmId: `A${t}`, objectType: 'cell', objectId: cells[k], severity: r() < 0.5 ? 'minor' : 'cleared', probableCause: 'rf_unit_fault' });
  for (let j = 0; j < 5; j++) batch.push({ kind: 'dialtest', t, testId: `D${t}-${j}`, probeId: `P${j}`, service: 'voice', cellId: cells[(k + j) % cells.length], success: r() > 0.03 });
  batch.push({
    kind: 'complaint', t,
    complaint: { complaintId: `C${t}`, channel: 'hotline', receivedAt: t, customer: { id: 'u', class: 'regular' }, category: 'slow_data', location: { cellId: cells[(k * 7) % cells.length] } },
  });
  n += 7;

  const started = process.hrtime.bigint();
  for (const ev of batch) det.observe(ev);
  det.advance(t - 10 * MIN);
  transitions += det.takeTransitions().length;
  const ns = process.hrtime.bigint() - started;

  samples += n;
  elapsedNs += ns;
  if (t > T0 + (days - 1) * DAY) {
    lastDaySamples += n;
    lastDayNs += ns;
  }
}

const heapAfter = process.memoryUsage();
const stats = det.stats();
const perSec = (s: number, ns: bigint) => Math.round(s / (Number(ns) / 1e9));
const bytes = stats.bytesPerSeries;
console.log(`detector stage: ${cells.length} cells, ${stats.kpiSeries} KPI and signaling series, ${days} days of event time`);
console.log(`  samples/s (all days)       ${perSec(samples, elapsedNs).toLocaleString('en')}   (${samples.toLocaleString('en')} samples in ${(Number(elapsedNs) / 1e9).toFixed(2)} s)`);
console.log(`  samples/s (last day, warm) ${perSec(lastDaySamples, lastDayNs).toLocaleString('en')}`);
console.log(`  transitions                ${transitions}`);
console.log(`  bytes per KPI series       ${bytes.detector} detector state + ${bytes.history} for the 24 h ring = ${bytes.detector + bytes.history}`);
console.log(`  typed-array memory         ${((heapAfter.arrayBuffers - heapBefore.arrayBuffers) / stats.kpiSeries).toFixed(0)} bytes per series allocated (capacity doubling included)`);
console.log(`  checkpoint                 ${(det.checkpoint().byteLength / 1e6).toFixed(1)} MB`);
