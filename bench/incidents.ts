/**
 * `npm run bench:incidents`: the incident stage under a burst. A transport node behind which 300
 * cells go down at once delivers all their anomalies in one batch (PM availability, missing data, cell
 * alarms, the node's own alarm) followed by the complaints it causes; the stage must still open exactly
 * one transport incident, and keep up. Also: the same burst without the node's alarm (grouping from
 * the cells alone), steady traffic of unrelated cell anomalies, and the hotline lookup latency.
 *
 * Options: --cells N (inventory size, default 60000), --bursts N (default 10).
 */
import { incidentsConfigSchema } from '../src/incidents/config.js';
import { IncidentEngine } from '../src/incidents/incident-engine.js';
import { KnownIssues } from '../src/incidents/known-issues.js';
import { Inventory } from '../src/inventory/inventory.js';
import type { Anomaly, AnomalyTransition, AreaClass, Cell, Complaint } from '../src/model/index.js';
import { MINUTE } from '../src/model/index.js';
import { triageConfigSchema } from '../src/triage/config.js';
import { uniforms } from '../src/simulator/prng.js';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const CELLS = arg('cells', 60_000);
const BURSTS = arg('bursts', 10);
const SITES_PER_TRANSPORT = 100;
const T0 = Date.UTC(2026, 10, 23, 0, 0, 0);
const AREAS: AreaClass[] = ['residential', 'residential', 'core_business', 'industrial', 'rural', 'hospital', 'campus'];

const rand = uniforms(42);

/** A grid of 3-sector sites ~500 m apart, 100 sites per transport node, 10 districts per region. */
function inventory(cells: number): Inventory {
  const out: Cell[] = [];
  const sites = Math.ceil(cells / 3);
  const side = Math.ceil(Math.sqrt(sites));
  for (let s = 0; s < sites; s++) {
    const tr = Math.floor(s / SITES_PER_TRANSPORT);
    const region = `R${Math.floor(tr / 50)}`;
    const lat = 28 + Math.floor(s / side) * 0.0045;
    const lon = 112 + (s % side) * 0.0051;
    for (let k = 1; k <= 3; k++) {
      out.push({
        cellId: `C${s}-${k}`, siteId: `S${s}`, transportId: `TR${tr}`, region, district: `${region}-D${tr % 10}`,
        lat, lon, technology: 'LTE', areaClass: AREAS[s % AREAS.length]!, subscribers: 200 + Math.floor(rand() * 1500),
      });
    }
  }
  return new Inventory(out);
}

let seq = 0;
function fire(p: Pick<Anomaly, 'source' | 'objectType' | 'objectId' | 'signal' | 'hint' | 'severity'> & { cellId?: string }, start: number): AnomalyTransition {
  const a: Anomaly = {
    id: `${p.source}:${p.objectId}:${p.signal}:${start}:${seq++}`, ...p, score: 8, state: 'firing',
    startedAt: start, firingAt: start + MINUTE, updatedAt: start + MINUTE, evidence: {},
  };
  return { from: 'pending', to: 'firing', at: start + MINUTE, anomaly: a };
}

function burst(inv: Inventory, transportId: string, start: number, withNodeAlarm: boolean): AnomalyTransition[] {
  const out: AnomalyTransition[] = [];
  if (withNodeAlarm) out.push(fire({ source: 'alarm', objectType: 'transport', objectId: transportId, signal: 'link_down', hint: 'transport', severity: 'critical' }, start));
  for (const siteId of inv.transport(transportId)!.siteIds) {
    for (const cellId of inv.site(siteId)!.cellIds) {
      const t = start + Math.floor(rand() * 3 * MINUTE);
      out.push(fire({ source: 'pm', objectType: 'cell', objectId: cellId, cellId, signal: 'availability', hint: 'outage', severity: 'critical' }, t));
      out.push(fire({ source: 'missing_data', objectType: 'cell', objectId: cellId, cellId, signal: 'no_data', hint: 'outage', severity: 'major' }, t));
      out.push(fire({ source: 'alarm', objectType: 'cell', objectId: cellId, cellId, signal: 'cell_unavailable', hint: 'outage', severity: 'critical' }, t));
    }
  }
  return out;
}

function complaintsFor(inv: Inventory, transportId: string, start: number, n: number): Complaint[] {
  const cells = inv.transport(transportId)!.siteIds.flatMap((s) => [...inv.site(s)!.cellIds]);
  const out: Complaint[] = [];
  for (let i = 0; i < n; i++) {
    const cell = inv.cell(cells[Math.floor(rand() * cells.length)]!)!;
    const kind = i % 3;
    out.push({
      complaintId: `B-${transportId}-${i}`, channel: 'hotline', receivedAt: start + (10 + i * 0.2) * MINUTE,
      customer: { id: `cust-${Math.floor(rand() * 1e7)}`, class: rand() < 0.05 ? 'vip_gold' : 'regular' },
      category: rand() < 0.5 ? 'no_data' : 'no_coverage',
      location: kind === 0 ? { cellId: cell.cellId } : kind === 1 ? { lat: cell.lat + 0.001, lon: cell.lon } : { district: cell.district },
    });
  }
  return out;
}

const ms = (ns: bigint) => Number(ns) / 1e6;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

function main(): void {
  const t0 = process.hrtime.bigint();
  const inv = inventory(CELLS);
  console.log(`inventory: ${inv.size} cells, ${Math.ceil(inv.size / 3 / SITES_PER_TRANSPORT)} transport nodes (built in ${ms(process.hrtime.bigint() - t0).toFixed(0)} ms)`);
  const config = incidentsConfigSchema.parse({});
  const engine = new IncidentEngine({ config, triage: triageConfigSchema.parse({}), topology: inv });

  // Background: 300 unrelated single-cell incidents across the network (three hours before the
  // bursts, so not part of them), so the indices are not empty.
  const background: AnomalyTransition[] = [];
  for (let i = 0; i < 300; i++) {
    const cellId = `C${Math.floor(rand() * (inv.size / 3))}-${1 + (i % 3)}`;
    background.push(fire({ source: 'pm', objectType: 'cell', objectId: cellId, cellId, signal: 'erab_drop_rate', hint: 'interference', severity: 'major' }, T0 - 180 * MINUTE));
  }
  engine.onTransitions(background, T0 - 179 * MINUTE);
  engine.takeChanges();

  const rows: string[] = [];
  let failures = 0;
  const transports = [...new Set([...inv.allCells()].map((c) => c.transportId))];
  const check = (label: string, transportId: string, ok: boolean) => {
    if (!ok) {
      failures++;
      console.log(`  INCORRECT (${label}, ${transportId}): ${JSON.stringify([...engine.live()].filter((i) => i.state === 'open' && i.cells.some((c) => inv.cell(c)?.transportId === transportId)).map((i) => `${i.rootCause.objectType}:${i.rootCause.objectId}`))}`);
    }
  };
  const perResolve: number[] = [];
  for (const withAlarm of [true, false]) {
    const perBatch: number[] = [];
    const perComplaint: number[] = [];
    let anomalies = 0;
    for (let b = 0; b < BURSTS; b++) {
      const tr = transports[2 * b + (withAlarm ? 1 : 2)]!;
      const start = T0 + (b + (withAlarm ? 0 : BURSTS)) * 6 * 60 * MINUTE;
      const transitions = burst(inv, tr, start, withAlarm);
      anomalies += transitions.length;
      const s = process.hrtime.bigint();
      engine.onTransitions(transitions, start + 4 * MINUTE);
      engine.advance(start + 4 * MINUTE);
      const changes = engine.takeChanges();
      perBatch.push(ms(process.hrtime.bigint() - s));
      const opened = changes.filter((c) => c.type === 'opened');
      const ok = opened.length === 1 && opened[0]!.incident.rootCause.objectType === 'transport' && opened[0]!.incident.rootCause.objectId === tr && opened[0]!.incident.cells.length === 300;
      check(withAlarm ? 'alarm' : 'cells only', tr, ok);
      const cs = complaintsFor(inv, tr, start, 200);
      let linked = 0;
      const c0 = process.hrtime.bigint();
      for (const c of cs) if (engine.onComplaint(c, c.receivedAt)?.incidentId === opened[0]?.incident.id) linked++;
      engine.takeChanges();
      perComplaint.push(ms(process.hrtime.bigint() - c0) / cs.length);
      if (linked < cs.length * 0.9) {
        failures++;
        console.log(`  only ${linked}/${cs.length} burst complaints linked to the transport incident`);
      }
      // Two hours later the node is back: every anomaly of the burst resolves in one batch.
      const end = start + 120 * MINUTE;
      const r0 = process.hrtime.bigint();
      engine.onTransitions(transitions.map((f) => ({ ...f, from: 'firing', to: 'resolved', at: end, anomaly: { ...f.anomaly, state: 'resolved', resolvedAt: end } })), end);
      engine.advance(end + 20 * MINUTE);
      const resolved = engine.takeChanges().filter((c) => c.type === 'resolved' && c.incident.rootCause.objectType === 'transport');
      perResolve.push(ms(process.hrtime.bigint() - r0));
      if (resolved.length !== 1 || resolved[0]!.incident.id !== opened[0]?.incident.id) {
        failures++;
        console.log(`  the transport incident of ${tr} did not resolve after its anomalies did`);
      }
    }
    const total = perBatch.reduce((a, b) => a + b, 0);
    rows.push(`| 300-cell transport burst, ${withAlarm ? 'with the node alarm' : 'cells only (no node alarm)'} | ${anomalies / BURSTS} | ${pct(perBatch, 0.5).toFixed(1)} ms | ${pct(perBatch, 1).toFixed(1)} ms | ${Math.round(anomalies / (total / 1000)).toLocaleString('en-US')} | ${(pct(perComplaint, 0.5) * 1000).toFixed(0)} µs |`);
  }

  rows.push(`| a burst ends: its 900 anomalies resolve in one batch, incident resolves after the hold | 900 | ${pct(perResolve, 0.5).toFixed(1)} ms | ${pct(perResolve, 1).toFixed(1)} ms | ${Math.round(900 / (pct(perResolve, 0.5) / 1000)).toLocaleString('en-US')} | |`);
  let t = T0 + 2 * BURSTS * 6 * 60 * MINUTE;

  // Steady traffic: unrelated cell anomalies, firing then resolving, in batches of 500.
  const steady: AnomalyTransition[] = [];
  t += 24 * 60 * MINUTE;
  for (let i = 0; i < 50_000; i++) {
    const cellId = `C${Math.floor(rand() * (inv.size / 3))}-${1 + (i % 3)}`;
    const tr = fire({ source: 'pm', objectType: 'cell', objectId: cellId, cellId, signal: 'erab_drop_rate', hint: 'degradation', severity: 'major' }, t);
    steady.push(tr, { ...tr, from: 'firing', to: 'resolved', at: t + 20 * MINUTE, anomaly: { ...tr.anomaly, state: 'resolved', resolvedAt: t + 20 * MINUTE } });
    t += 3000;
  }
  const s = process.hrtime.bigint();
  for (let i = 0; i < steady.length; i += 500) {
    const batch = steady.slice(i, i + 500);
    const now = batch[batch.length - 1]!.at;
    engine.onTransitions(batch, now);
    engine.advance(now);
    engine.takeChanges();
  }
  const steadyMs = ms(process.hrtime.bigint() - s);
  rows.push(`| steady: 50,000 unrelated cell anomalies fired and resolved, batches of 500 | 500 | ${(steadyMs / (steady.length / 500)).toFixed(1)} ms (mean) | | ${Math.round(steady.length / (steadyMs / 1000)).toLocaleString('en-US')} | |`);

  // Hotline lookups against the live state.
  const hotline = new KnownIssues({ incidents: engine, topology: inv, linking: config.linking, hotline: config.hotline });
  const lookups: number[] = [];
  const cellsArr = [...inv.allCells()];
  for (let i = 0; i < 3000; i++) {
    const c = cellsArr[Math.floor(rand() * cellsArr.length)]!;
    const area = i % 3 === 0 ? c.cellId : i % 3 === 1 ? c.district : `${c.lat + 0.001},${c.lon}`;
    const q = process.hrtime.bigint();
    hotline.answer(hotline.resolveArea(area)!);
    lookups.push(ms(process.hrtime.bigint() - q));
  }

  console.log(`\n| workload | transitions per batch | time per batch (median) | worst batch | anomalies/s | per complaint (median) |`);
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
  console.log(`\nknown-issues lookup (cell / district / lat,lon mixed, ${lookups.length} calls): median ${(pct(lookups, 0.5) * 1000).toFixed(0)} µs, p99 ${(pct(lookups, 0.99) * 1000).toFixed(0)} µs, max ${pct(lookups, 1).toFixed(2)} ms`);
  console.log(`live incidents held: ${engine.sizes.live}; heap used ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
  console.log(failures === 0 ? `\ncorrect: every burst opened exactly one transport incident over its 300 cells, and its complaints linked to it` : `\n${failures} INCORRECT result(s)`);
  process.exitCode = failures === 0 ? 0 : 1;
}

main();
