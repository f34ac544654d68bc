/**
 * `npm run bench:scenario [-- --scenario FILE --warmup D --days D --cells N --seed S --faults-per-day N --json
 *   --truth FILE --incidents FILE --complaints FILE --findings FILE]`
 *
 * The `nocwatch simulate` + `nocwatch evaluate` pair in one process, for quick iterations on detector
 * and incident rules: the simulated network's records go straight into an in-process daemon (the same
 * ingest, pipeline, detectors, incidents, triage and tickets; the in-memory store instead of SQLite;
 * no HTTP between them), then the run is scored from the daemon's own API (fastify inject) exactly as
 * `nocwatch evaluate` scores it. Event time is the same as `simulate` would use (the scored days start
 * at the network's local midnight), so the figures match a daemon run up to batching.
 *
 * It also prints the detector findings that fired in the scored days per 1,000 cell-days — on a
 * fault-free run (`--faults-per-day 0`, no scenario) every one of them is spurious.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildApp } from '../src/app.js';
import { defaultStart } from '../src/cli/simulate.js';
import { loadConfig, parseYaml } from '../src/config/load.js';
import { cellsUnder } from '../src/inventory/topology.js';
import { isoTime } from '../src/model/index.js';
import { parseGroundTruth } from '../src/simulator/ground-truth.js';
import { generateNetwork } from '../src/simulator/inventory-generator.js';
import { PM_PERIOD_MS } from '../src/simulator/network-simulator.js';
import { parseScenario } from '../src/simulator/scenario.js';
import { ApiReader } from '../src/simulator/scoring/api-reader.js';
import { findingDelays, formatFindingDelays, type FiringFinding } from '../src/simulator/scoring/finding-delay.js';
import { failedThresholds, formatReport } from '../src/simulator/scoring/report.js';
import { DEFAULT_SCORE_OPTIONS, scoreRun } from '../src/simulator/scoring/score.js';
import { createSimulation } from '../src/simulator/simulation.js';
import { createMemoryStore } from '../src/store/store.js';
import { silentLogger } from '../src/telemetry/logger.js';

const DAY = 86_400_000;
const { values } = parseArgs({
  options: {
    scenario: { type: 'string' },
    warmup: { type: 'string', default: '1' },
    days: { type: 'string', default: '1' },
    cells: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
    'faults-per-day': { type: 'string' },
    config: { type: 'string' },
    start: { type: 'string' },
    json: { type: 'boolean', default: false },
    truth: { type: 'string' },
    incidents: { type: 'string' },
    complaints: { type: 'string' },
    findings: { type: 'string' },
  },
});

const days = Number(values.days);
const warmup = Number(values.warmup);
const seed = Number(values.seed);
const scenario = values.scenario ? parseScenario(parseYaml(readFileSync(values.scenario, 'utf8'), values.scenario)) : null;
const faultsPerDay = values['faults-per-day'] !== undefined ? Number(values['faults-per-day']) : scenario ? 0 : 24;
const network = generateNetwork({ cells: Number(values.cells), seed });
const start = values.start ? Date.parse(values.start) : defaultStart(Date.now(), days, warmup);
const sim = createSimulation({ network, seed, start, warmupMs: warmup * DAY, scenario, scenarioSource: values.scenario, faultsPerDay });
const until = sim.scoreFrom + Math.round((days * DAY) / PM_PERIOD_MS) * PM_PERIOD_MS;

// The daemon's configuration (config/nocwatch.yaml unless --config), without its built-in simulator.
const { config } = loadConfig({ file: values.config, cli: { simulator: false } });
const app = await buildApp({ config, store: createMemoryStore(), logger: silentLogger() });
await app.start();
app.store.transaction(() => app.store.cells.upsert(network.cells));
app.inventory.upsert(network.cells);

const firingAt = async (): Promise<number> => {
  let n = 0;
  for (const v of (await app.metrics.detectorAnomalies.get()).values) if (v.labels.state === 'firing') n += v.value;
  return n;
};

// Every finding that fires in the scored days: for --findings (what the "per 1,000 cell-days" figure
// counts) and for each fault's time to its first finding.
const findings: object[] = [];
const fired: FiringFinding[] = [];
app.pipeline.addListener({
  onBatch: (o) => {
    for (const t of o.transitions) {
      if (t.to !== 'firing' || t.from === 'firing' || t.at < sim.scoreFrom) continue;
      const a = t.anomaly;
      fired.push({ at: t.at, objectType: a.objectType, objectId: a.objectId, cellId: a.cellId, cells: cellsUnder(app.inventory, a.objectType, a.objectId), source: a.source, signal: a.signal });
      if (values.findings) {
        findings.push({
          at: isoTime(t.at), startedAt: isoTime(a.startedAt), source: a.source, object: `${a.objectType}:${a.objectId}`,
          signal: a.signal, hint: a.hint, severity: a.severity, score: a.score, evidence: { ...a.evidence },
        });
      }
    }
  },
});

const wall = Date.now();
let records = 0;
let firingAtScoreFrom: number | null = null;
for (const [feed, recs] of sim.generate(until)) {
  if (recs.length === 0) continue;
  if (firingAtScoreFrom === null && sim.time >= sim.scoreFrom) {
    await app.pipeline.whenIdle();
    firingAtScoreFrom = await firingAt();
  }
  for (let i = 0; i < recs.length; i += 5000) {
    const slice = recs.slice(i, i + 5000);
    while (app.pipeline.capacityLeft < slice.length) await app.pipeline.whenIdle();
    const r = app.ingest.accept(feed, slice, 'bench');
    if (r.rejected.length > 0) throw new Error(`${feed}: ${r.rejected.length} records rejected, first: ${JSON.stringify(r.rejected[0])}`);
    records += slice.length;
  }
}
await app.pipeline.whenIdle();
const elapsed = Date.now() - wall;
const firingScored = (await firingAt()) - (firingAtScoreFrom ?? 0);

const truthJson = sim.truth();
if (values.truth) writeFileSync(values.truth, JSON.stringify(truthJson, null, 1));
const truth = parseGroundTruth(truthJson);
const inject: typeof fetch = async (url) => {
  const res = await app.server.inject({ method: 'GET', url: String(url).replace('http://in-process', '') });
  return new Response(res.body, { status: res.statusCode, headers: { 'content-type': 'application/json' } });
};
const reader = new ApiReader({ target: 'http://in-process', fetch: inject });
const data = await reader.readAll();
if (values.incidents) writeFileSync(values.incidents, JSON.stringify(await reader.list('/api/v1/incidents?state=all'), null, 1));
if (values.findings) writeFileSync(values.findings, JSON.stringify(findings, null, 1));
if (values.complaints) writeFileSync(values.complaints, JSON.stringify(await reader.list('/api/v1/complaints'), null, 1));
const score = scoreRun(truth, data.incidents, data.complaints, data.tickets, DEFAULT_SCORE_OPTIONS);
const delays = findingDelays(truth.faults.filter((f) => f.start <= until - DEFAULT_SCORE_OPTIONS.tooRecentMs), fired, PM_PERIOD_MS);
const twoPeriods = delays.filter((d) => d.withinTwoPeriods === true).length;
const networkFaults = delays.filter((d) => d.withinTwoPeriods !== null).length;
const fromStart = delays.filter((d) => d.fromStart === true).length;
const cellDays = network.cells.length * days;
const summary = {
  records, seconds: elapsed / 1000, cells: network.cells.length, scoredDays: days,
  firingInScoredDays: firingScored, firingPer1000CellDays: (1000 * firingScored) / cellDays,
  findingDelays: delays, networkFaults, foundWithinTwoPmPeriods: twoPeriods, foundWithinTwoPmPeriodsFromStart: fromStart,
};
if (values.json) console.log(JSON.stringify({ ...summary, score, failed: failedThresholds(score, {}) }, null, 2));
else {
  process.stdout.write(formatReport(score, {}, { from: truth.scoreFrom, until: truth.until }));
  console.log(
    `\n${records.toLocaleString('en-US')} records in ${(elapsed / 1000).toFixed(1)} s; ` +
    `${firingScored} detector findings fired in the ${days} scored day(s) = ` +
    `${summary.firingPer1000CellDays.toFixed(2)} per 1,000 cell-days (${network.cells.length} cells)`,
  );
  if (delays.length > 0) process.stdout.write(`\n${formatFindingDelays(delays)}`);
}
await app.stop();
