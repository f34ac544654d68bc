/**
 * `npm run bench:formats`: how fast the real feed formats parse.
 *  - 3GPP PM XML: a generated ~50 MB measCollecFile (both counter layouts, and gzip), parsed from
 *    disk into PmEvents with the default KPI formulas, in MB/s of XML, with the peak RSS.
 *  - InfluxDB line protocol: Telegraf-style `pm` lines, parsed in fields/s.
 * Targets: PM XML ≥ 50 MB/s, line protocol ≥ 500k fields/s.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, createReadStream, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { compileKpiFormulas } from '../src/collectors/kpi-formulas.js';
import { parseLineProtocol } from '../src/collectors/line-protocol/parse-line-protocol.js';
import { LdnMapper, ldnMappingConfigSchema } from '../src/collectors/pm-xml/ldn-mapper.js';
import { openPmXmlStream, readPmXml } from '../src/collectors/pm-xml/read-pm-xml-file.js';
import { writePmXmlFile } from './pm-xml-generator.js';

const MB = 1e6;
const sizeMb = Number(process.env.BENCH_PM_XML_MB ?? 50);
/** The machine is shared: each figure is the best of this many runs. */
const RUNS = 3;

/** The old-generation heap the parsing child gets: parsing a 50 MB file must fit in it. */
const HEAP_CAP_MB = 32;

/** Peak RSS of a fresh process that parses `path` (or only loads the parser without one), heap capped. */
function childPeakRss(path?: string): number {
  const out = execFileSync(process.execPath, [`--max-old-space-size=${HEAP_CAP_MB}`, '--import', 'tsx', join(import.meta.dirname, 'pm-xml-parse-once.ts'), ...(path ? [path] : [])], { encoding: 'utf8' });
  return (JSON.parse(out.trim().split('\n').pop()!) as { maxRssBytes: number }).maxRssBytes;
}

/** Best of RUNS: throughput by wall time, and by this process's CPU time. */
async function parseFile(path: string, xmlBytes: number): Promise<{ mbps: number; cpuMbps: number; events: number; seconds: number }> {
  const formulas = compileKpiFormulas();
  let best = { mbps: 0, cpuMbps: 0, events: 0, seconds: Infinity };
  for (let run = 0; run < RUNS; run++) {
    const ldnMapper = new LdnMapper(ldnMappingConfigSchema.parse({}));
    let events = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await readPmXml(openPmXmlStream(path), { formulas, ldnMapper, chunkEvents: 2000, maxBytes: 4e9 }, async (evs) => {
      events += evs.length;
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    if (seconds < best.seconds) best = { mbps: xmlBytes / MB / seconds, cpuMbps: xmlBytes / MB / ((cpu.user + cpu.system) / 1e6), events, seconds };
  }
  return best;
}

const dir = mkdtempSync(join(tmpdir(), 'nocwatch-bench-formats-'));
try {
  console.log(`PM XML (${sizeMb} MB generated measCollecFile, default KPI formulas, read from disk, best of ${RUNS})`);
  const baseline = childPeakRss();
  for (const layout of ['r', 'measResults'] as const) {
    const path = join(dir, `bench-${layout}.xml`);
    const gen = writePmXmlFile(path, sizeMb * MB, layout);
    const r = await parseFile(path, gen.bytes);
    console.log(`  ${layout.padEnd(11)} ${(gen.bytes / MB).toFixed(1)} MB, ${gen.cells} cells, ${gen.values} values → ${r.events} events in ${r.seconds.toFixed(2)} s = ${r.mbps.toFixed(1)} MB/s (${r.cpuMbps.toFixed(1)} MB/s of CPU time)`);
    if (layout === 'r') {
      await pipeline(createReadStream(path), createGzip(), createWriteStream(`${path}.gz`));
      const g = await parseFile(`${path}.gz`, gen.bytes);
      console.log(`  r + gzip    ${(gen.bytes / MB).toFixed(1)} MB of XML → ${g.events} events in ${g.seconds.toFixed(2)} s = ${g.mbps.toFixed(1)} MB/s of XML (${g.cpuMbps.toFixed(1)} MB/s of CPU time)`);
    }
    const rss = childPeakRss(path);
    console.log(`  ${layout.padEnd(11)} parses with the V8 heap capped at ${HEAP_CAP_MB} MB; peak RSS ${(rss / MB).toFixed(0)} MB (loading the parser alone: ${(baseline / MB).toFixed(0)} MB)`);
    rmSync(path, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log('InfluxDB line protocol (Telegraf-style pm lines, 9 fields each)');
const lines: string[] = [];
const N = 200_000;
for (let i = 0; i < N; i++) {
  lines.push(
    `pm,cell=CS-${String(i % 20000).padStart(5, '0')}-${(i % 3) + 1},region=Changsha rrc_setup_success_rate=99.${i % 10},erab_drop_rate=0.35,prb_dl_utilization=61.2,` +
      `dl_user_throughput_mbps=34.1,availability=100,handover_success_rate=98.7,volte_call_drop_rate=0.2,attempts_rrc_setup_success_rate=${1000 + (i % 900)}i ${1700000000 + i}000000000`,
  );
}
const body = lines.join('\n');
const fields = N * 8;
let best = Infinity;
let bestCpu = Infinity;
for (let run = 0; run < 5; run++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = parseLineProtocol(body, 'ns');
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  if (r.points.length !== N || r.errors.length) throw new Error('line protocol bench: unexpected parse result');
  best = Math.min(best, s);
  bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1e6);
}
console.log(`  ${N} lines, ${(body.length / MB).toFixed(1)} MB, ${fields} fields: best of 5 ${best.toFixed(3)} s = ${(fields / best / 1000).toFixed(0)}k fields/s (${(N / best / 1000).toFixed(0)}k lines/s; ${(fields / bestCpu / 1000).toFixed(0)}k fields/s of CPU time)`);
