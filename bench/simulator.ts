/**
 * `npm run bench:simulator [-- --cells N --hours H --seed S --ndjson]`
 *
 * Generates a simulated province's day — by default 300,000 cells, all feeds, 24 faults per day, one
 * feed at a time — and prints how fast each feed's records are generated (and, with --ndjson, serialised as the HTTP path sends
 * them), so it is clear the simulator is never the bottleneck of a throughput benchmark. Records are
 * counted and dropped, not kept.
 */
import { parseArgs } from 'node:util';
import { FEEDS, type Feed } from '../src/model/index.js';
import { generateNetwork } from '../src/simulator/inventory-generator.js';
import { createSimulation } from '../src/simulator/simulation.js';

const { values } = parseArgs({
  options: {
    cells: { type: 'string', default: '300000' },
    hours: { type: 'string', default: '24' },
    seed: { type: 'string', default: '1' },
    ndjson: { type: 'boolean', default: false },
  },
});
const cells = Number(values.cells);
const hours = Number(values.hours);
const seed = Number(values.seed);

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

const cpu0 = process.cpuUsage();
let t = performance.now();
const network = generateNetwork({ cells, seed });
const inventoryMs = performance.now() - t;
console.log(`inventory: ${fmt(cells)} cells, ${fmt(network.sites.length)} sites, ${network.transports.length} transport nodes, ` +
  `${network.districts.length} districts, ${network.regions.length} regions in ${(inventoryMs / 1000).toFixed(2)} s`);

// A Tuesday, so the day has both the office and the evening peaks.
const start = Date.UTC(2026, 10, 23, 16);
const count: Record<Feed, number> = { pm: 0, signaling: 0, dialtest: 0, alarms: 0, complaints: 0 };
const ms: Record<Feed, number> = { pm: 0, signaling: 0, dialtest: 0, alarms: 0, complaints: 0 };
const json: Record<Feed, { records: number; bytes: number; ms: number }> = {
  pm: { records: 0, bytes: 0, ms: 0 }, signaling: { records: 0, bytes: 0, ms: 0 }, dialtest: { records: 0, bytes: 0, ms: 0 },
  alarms: { records: 0, bytes: 0, ms: 0 }, complaints: { records: 0, bytes: 0, ms: 0 },
};

// One pass per feed: each feed draws from its own random streams, so alone it produces exactly the
// records it produces with the others, and its time is its own (not the others' garbage collection).
/** Generates one feed alone; returns the number of faults the run had. */
function pass(only: Feed): number {
  const feeds = Object.fromEntries(FEEDS.map((f) => [f, f === only])) as Record<Feed, boolean>;
  const sim = createSimulation({ network, seed, start, warmupMs: 0, faultsPerDay: 24, feeds });
  const t0 = performance.now();
  for (const [feed, records] of sim.generate(start + hours * 3_600_000)) {
    count[feed] += records.length;
    if (values.ndjson && json[feed].records < 500_000) {
      const j0 = performance.now();
      const text = records.map((r) => JSON.stringify(r)).join('\n');
      json[feed].ms += performance.now() - j0;
      json[feed].bytes += text.length + 1;
      json[feed].records += records.length;
    }
  }
  ms[only] = performance.now() - t0 - json[only].ms;
  return sim.faults().length;
}

let faults = 0;
const wall0 = performance.now();
for (const only of FEEDS) faults = pass(only);
const wallMs = performance.now() - wall0;
const cpu = process.cpuUsage(cpu0);

console.log(`\n${hours} simulated hours, ${faults} faults, seed ${seed}\n`);
console.log(`${'feed'.padEnd(11)} ${'records'.padStart(13)} ${'seconds'.padStart(8)} ${'records/s'.padStart(12)}${values.ndjson ? `  ${'NDJSON rec/s'.padStart(12)} ${'bytes/rec'.padStart(9)}` : ''}`);
let total = 0;
for (const feed of FEEDS) {
  total += count[feed];
  const j = json[feed];
  console.log(
    `${feed.padEnd(11)} ${fmt(count[feed]).padStart(13)} ${(ms[feed] / 1000).toFixed(1).padStart(8)} ${fmt(count[feed] / (ms[feed] / 1000)).padStart(12)}` +
    (values.ndjson ? `  ${(j.records ? fmt(j.records / (j.ms / 1000)) : '-').padStart(12)} ${(j.records ? fmt(j.bytes / j.records) : '-').padStart(9)}` : ''),
  );
}
const genMs = FEEDS.reduce((a, f) => a + ms[f], 0);
console.log(`${'all'.padEnd(11)} ${fmt(total).padStart(13)} ${(genMs / 1000).toFixed(1).padStart(8)} ${fmt(total / (genMs / 1000)).padStart(12)}`);
console.log(`\nprocess CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s for ${(wallMs / 1000).toFixed(1)} s of wall time ` +
  `(GC threads count as CPU; on a busy machine wall time is the pessimistic figure)`);
const pmRate = count.pm / (ms.pm / 1000);
console.log(`PM: ${fmt(pmRate)} records/s ${pmRate >= 500_000 ? '≥' : '<'} the 500,000/s target`);
