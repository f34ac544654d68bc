/**
 * `nocwatch score-series --input FILE.csv --output OUT.csv [--direction both|up|down]`: runs the KPI
 * baseline the daemon uses for every (cell, KPI) series over one CSV of `timestamp,value` rows and
 * writes `timestamp,value,anomaly_score` (0..1), one row per input row. Each row's score uses only
 * the rows before it (no look-ahead); every file starts from a fresh detector; the parameters are the
 * daemon's defaults (`detectors.baseline`), the same for every file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BadDirection, KpiBaselines } from '../detectors/kpi-baseline.js';
import { detectorsConfigSchema, type BaselineConfig } from '../detectors/config.js';

export type ScoreDirection = 'both' | 'up' | 'down';

/** Maps the detector's onset evidence (−log10 tail probability) onto 0..1 without saturating. */
export function scoreToUnit(evidence: number): number {
  return evidence > 0 ? evidence / (evidence + 5) : 0;
}

/** Parses a CSV timestamp: RFC 3339 with or without offset (none = UTC), a space for the `T`, or epoch ms. */
export function parseCsvTime(s: string): number {
  const v = s.trim();
  if (/^\d{10,}$/.test(v)) return Number(v);
  const iso = v.replace(' ', 'T');
  const withZone = /(?:[Zz]|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`;
  return Date.parse(withZone);
}

/** Scores one series, oldest row first: the per-row anomaly score in 0..1. */
export function scoreSeries(times: readonly number[], values: readonly number[], opts: { direction?: ScoreDirection; baseline?: BaselineConfig } = {}): Float64Array {
  const cfg = opts.baseline ?? detectorsConfigSchema.parse({}).baseline;
  const dir = opts.direction === 'up' ? BadDirection.Up : opts.direction === 'down' ? BadDirection.Down : BadDirection.Both;
  const model = new KpiBaselines(cfg, 0, 1);
  const series = model.add();
  const out = new Float64Array(times.length);
  for (let i = 0; i < times.length; i++) {
    const v = values[i];
    // A missing value is no sample: score 0 and learn nothing.
    if (!Number.isFinite(v) || !Number.isFinite(times[i])) continue;
    out[i] = scoreToUnit(model.update(series, times[i], v, NaN, dir).onset);
  }
  return out;
}

/** Reads `timestamp,value` rows (header required); returns the raw timestamp text too, to echo it back. */
export function readSeriesCsv(text: string): { stamps: string[]; times: number[]; values: number[]; raw: string[] } {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const ti = header.indexOf('timestamp');
  const vi = header.indexOf('value');
  if (ti < 0 || vi < 0) throw new Error('the CSV needs a header with the columns timestamp and value');
  const stamps: string[] = [];
  const times: number[] = [];
  const values: number[] = [];
  const raw: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const cols = line.split(',');
    const t = parseCsvTime(cols[ti] ?? '');
    if (!Number.isFinite(t)) throw new Error(`line ${i + 1}: timestamp ${JSON.stringify(cols[ti])} is not a time`);
    stamps.push((cols[ti] ?? '').trim());
    times.push(t);
    values.push(Number(cols[vi]));
    raw.push((cols[vi] ?? '').trim());
  }
  return { stamps, times, values, raw };
}

export async function scoreSeriesCommand(argv: string[]): Promise<number> {
  const { values: opts } = parseArgs({
    args: argv,
    options: {
      input: { type: 'string' },
      output: { type: 'string' },
      direction: { type: 'string', default: 'both' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const usage = 'usage: nocwatch score-series --input FILE.csv --output OUT.csv [--direction both|up|down]';
  if (opts.help) {
    console.log(usage);
    return 0;
  }
  if (!opts.input || !opts.output || !['both', 'up', 'down'].includes(opts.direction ?? '')) {
    console.error(usage);
    return 2;
  }
  let csv: ReturnType<typeof readSeriesCsv>;
  try {
    csv = readSeriesCsv(readFileSync(opts.input, 'utf8'));
  } catch (e) {
    console.error(`nocwatch score-series: ${opts.input}: ${(e as Error).message}`);
    return 1;
  }
  const scores = scoreSeries(csv.times, csv.values, { direction: opts.direction as ScoreDirection });
  const rows = csv.stamps.map((s, i) => `${s},${csv.raw[i]},${scores[i]}`);
  writeFileSync(opts.output, `timestamp,value,anomaly_score\n${rows.join('\n')}${rows.length ? '\n' : ''}`);
  return 0;
}
