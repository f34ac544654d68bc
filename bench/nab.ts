/**
 * `npm run bench:nab -- --nab-dir ../shared/data/nab [--out DIR] [--python] [--verbose] [--set key=value]`
 *
 * Scores every file of the NAB development subset with the KPI baseline (`scoreSeries`, the code
 * `nocwatch score-series` and the daemon run), fresh state per file, one parameter set, no look-ahead,
 * nothing that reads the labels, then prints NAB's standard / low-FP / low-FN scores with a faithful
 * port of ../shared/tools/nab-score.py. `--out DIR` also writes NAB result files
 * (DIR/nocwatch/<category>/nocwatch_<file>.csv) and `--python` cross-checks them with the Python scorer.
 * `--set baseline.tailQuantile=0.95` (repeatable) changes a parameter for every file: a tuning aid.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readSeriesCsv, scoreSeries } from '../src/cli/score-series.js';
import { detectorsConfigSchema } from '../src/detectors/config.js';
import { oracleRaw, scoreProfile, type CostMatrix, type ScoredFile } from './nab-scorer.js';

const { values: opts } = parseArgs({
  options: {
    'nab-dir': { type: 'string', default: '../shared/data/nab' },
    out: { type: 'string' },
    python: { type: 'boolean', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
    set: { type: 'string', multiple: true, default: [] },
  },
});

const nabDir = resolve(opts['nab-dir']!);
const raw: Record<string, Record<string, unknown>> = { baseline: {} };
for (const kv of opts.set!) {
  const [path, value] = kv.split('=');
  const [section, key] = path.split('.');
  (raw[section] ??= {})[key] = value === '' ? [] : value.includes(',') || key === 'scales' ? value.split(',').map(Number) : /^[\d.e+-]+$/.test(value) ? Number(value) : value === 'true' ? true : value === 'false' ? false : value;
}
const baseline = detectorsConfigSchema.parse(raw).baseline;

const windows = JSON.parse(readFileSync(join(nabDir, 'labels/combined_windows.json'), 'utf8')) as Record<string, [string, string][]>;
const profiles = JSON.parse(readFileSync(join(nabDir, 'config/profiles.json'), 'utf8')) as Record<string, { CostMatrix: CostMatrix }>;

const started = performance.now();
const files: ScoredFile[] = [];
let rows = 0;
for (const rel of Object.keys(windows).sort()) {
  const csv = readSeriesCsv(readFileSync(join(nabDir, 'data', rel), 'utf8'));
  const scores = scoreSeries(csv.times, csv.values, { baseline });
  rows += scores.length;
  files.push({ name: rel, timestamps: csv.stamps, scores, windows: windows[rel] });
  if (opts.out) {
    const [category, file] = rel.split('/');
    const target = join(opts.out, 'nocwatch', category, `nocwatch_${file}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, `timestamp,value,anomaly_score\n${csv.stamps.map((s, i) => `${s},${csv.raw[i]},${scores[i]}`).join('\n')}\n`);
  }
}
const elapsed = performance.now() - started;

const results = Object.entries(profiles).map(([name, p]) => scoreProfile(name, files, p.CostMatrix));
if (opts.verbose) {
  for (const [name, r] of results[0].perFile) {
    console.log(`${name.padEnd(56)} ${r.detected}/${r.windows} windows  tp ${r.tp.toFixed(2)}  fp rows ${r.fpRows} (${r.fp.toFixed(2)})`);
  }
  console.log(`per-file best thresholds would reach ${oracleRaw(files, profiles.standard.CostMatrix).toFixed(2)} (standard, files with windows)`);
}
console.log(`NAB development subset: ${files.length} files, ${rows} rows scored in ${(elapsed / 1000).toFixed(2)} s`);
for (const r of results) console.log(`  ${r.profile.padEnd(20)} ${r.score.toFixed(2)}  (threshold ${r.threshold.toFixed(4)})`);
if (opts.python && opts.out) {
  console.log('cross-check with ../shared/tools/nab-score.py:');
  console.log(execFileSync('python3', [join(nabDir, '../../tools/nab-score.py'), nabDir, opts.out, 'nocwatch'], { encoding: 'utf8' }).trimEnd());
}
