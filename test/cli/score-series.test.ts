import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvTime, scoreSeries, scoreSeriesCommand } from '../../src/cli/score-series.js';

/** A daily sine with noise, 5-minute rows for 10 days, and a drop at row `at`. */
function series(at: number, drop: number): { t: number[]; v: number[]; csv: string } {
  const t: number[] = [];
  const v: number[] = [];
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
  for (let i = 0; i < 2880; i++) {
    t.push(Date.UTC(2024, 0, 1) + i * 300_000);
    v.push(50 + 20 * Math.sin((2 * Math.PI * i) / 288) + 2 * rnd() - (i >= at && i < at + 24 ? drop : 0));
  }
  const csv = `timestamp,value\n${t.map((x, i) => `${new Date(x).toISOString().slice(0, 19).replace('T', ' ')},${v[i]}`).join('\n')}\n`;
  return { t, v, csv };
}

describe('score-series', () => {
  it('scores the onset of a drop far above anything in the normal days, in 0..1', () => {
    const { t, v } = series(2500, 25);
    const s = scoreSeries(t, v);
    const normalMax = Math.max(...s.slice(600, 2490));
    const onset = Math.max(...s.slice(2500, 2503));
    expect(onset).toBeGreaterThan(0.5);
    expect(onset).toBeGreaterThan(normalMax + 0.2);
    expect(Math.min(...s)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...s)).toBeLessThan(1);
  });

  it('never looks ahead: a row scores the same whatever comes after it', () => {
    const a = series(2500, 25);
    const b = series(2600, 40);
    const sa = scoreSeries(a.t, a.v);
    const sb = scoreSeries(b.t, b.v);
    expect(Array.from(sa.slice(0, 2500))).toEqual(Array.from(sb.slice(0, 2500)));
  });

  it('--direction up ignores drops', () => {
    const { t, v } = series(2500, 25);
    const s = scoreSeries(t, v, { direction: 'up' });
    expect(Math.max(...s.slice(2500, 2524))).toBeLessThan(0.2);
  });

  it('reads a CSV and writes one row per input row with timestamp, value, anomaly_score', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'score-series-'));
    const { csv } = series(2500, 25);
    writeFileSync(join(dir, 'in.csv'), csv);
    expect(await scoreSeriesCommand(['--input', join(dir, 'in.csv'), '--output', join(dir, 'out.csv')])).toBe(0);
    const out = readFileSync(join(dir, 'out.csv'), 'utf8').trim().split('\n');
    expect(out[0]).toBe('timestamp,value,anomaly_score');
    expect(out).toHaveLength(2881);
    expect(out[1].split(',').slice(0, 2)).toEqual(csv.split('\n')[1].split(','));
    expect(await scoreSeriesCommand(['--input', join(dir, 'in.csv')])).toBe(2);
    writeFileSync(join(dir, 'bad.csv'), 'time,val\n1,2\n');
    expect(await scoreSeriesCommand(['--input', join(dir, 'bad.csv'), '--output', join(dir, 'o2.csv')])).toBe(1);
  });

  it('reads timestamps with or without an offset, or epoch ms', () => {
    expect(parseCsvTime('2014-04-01 00:05:00')).toBe(Date.UTC(2014, 3, 1, 0, 5));
    expect(parseCsvTime('2014-04-01T08:05:00+08:00')).toBe(Date.UTC(2014, 3, 1, 0, 5));
    expect(parseCsvTime('1396310700000')).toBe(Date.UTC(2014, 3, 1, 0, 5));
  });
});
