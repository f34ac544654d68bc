/**
 * The traffic curve and its noise, checked statistically: homes peak in the evening, offices on
 * weekday mornings and afternoons, scenic spots at weekends; a quiet night-time cell's success rate
 * scatters far more than a busy-hour one, around the same true value.
 */
import { describe, expect, it } from 'vitest';
import { AREA_CLASSES } from '../../src/model/index.js';
import { profileLoad, TrafficModel } from '../../src/simulator/traffic-model.js';
import { HOUR, runSim, T0, tOf } from './sim-fixture.js';

function stats(xs: number[]): { mean: number; sd: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
  return { mean, sd };
}

describe('traffic curve', () => {
  it.each([
    ['residential', 1, 21, 4, 8],
    ['core_business', 2, 10.5, 3, 10],
    ['transport_hub', 3, 8, 3, 6],
  ] as const)('%s on weekday %i: busy at %f h, quiet at %f h (ratio > %i)', (area, dow, busy, quiet, ratio) => {
    expect(profileLoad(area, dow, busy) / profileLoad(area, dow, quiet)).toBeGreaterThan(ratio);
  });

  it('follows the week: offices empty at weekends, scenic spots fill', () => {
    expect(profileLoad('core_business', 2, 10.5)).toBeGreaterThan(2 * profileLoad('core_business', 0, 10.5));
    expect(profileLoad('government', 3, 15)).toBeGreaterThan(3 * profileLoad('government', 6, 15));
    expect(profileLoad('scenic', 6, 11)).toBeGreaterThan(1.8 * profileLoad('scenic', 2, 11));
  });

  it('runs on local time: Hunan`s 21:00 is 13:00 UTC', () => {
    const m = new TrafficModel(480);
    const res = AREA_CLASSES.indexOf('residential');
    const tue21 = Date.UTC(2026, 10, 24, 13); // Tuesday 21:00 in UTC+8
    expect(m.dayOfWeek(tue21)).toBe(2);
    expect(m.localHour(tue21)).toBeCloseTo(21, 5);
    expect(m.load(res, tue21)).toBeGreaterThan(5 * m.load(res, tue21 - 17 * HOUR));
  });
});

describe('PM noise', () => {
  // 400 cells over a weekday: night (02–05 local) against busy hours (19–22 local).
  const { records } = runSim({ cells: 400, seed: 21, hours: 24 });
  const hourOf = (t: number) => ((t - T0) / HOUR) % 24;
  const byCell = new Map<string, { night: Record<string, number>[]; busy: Record<string, number>[] }>();
  const attempts = { night: [] as number[], busy: [] as number[] };
  for (const r of records.pm) {
    const h = hourOf(tOf(r));
    const slot = h > 2 && h <= 5 ? 'night' : h > 19 && h <= 22 ? 'busy' : null;
    if (!slot) continue;
    const k = r.kpis as Record<string, number>;
    if (k.rrc_setup_success_rate == null || k.dl_user_throughput_mbps == null) continue;
    const entry = byCell.get(r.cellId as string) ?? { night: [], busy: [] };
    entry[slot].push({ rrc: k.rrc_setup_success_rate, tp: k.dl_user_throughput_mbps });
    byCell.set(r.cellId as string, entry);
    attempts[slot].push((r.attempts as Record<string, number>).rrc_setup_success_rate);
  }

  it('traffic is several times lower at night', () => {
    expect(stats(attempts.busy).mean).toBeGreaterThan(4 * stats(attempts.night).mean);
  });

  it('a success rate scatters more at night, around the same true value', () => {
    // Per cell: the scatter of its own samples in each slot, so cells' different baselines do not count.
    const sdNight: number[] = [];
    const sdBusy: number[] = [];
    const meanNight: number[] = [];
    const meanBusy: number[] = [];
    for (const { night, busy } of byCell.values()) {
      if (night.length < 8 || busy.length < 8) continue;
      sdNight.push(stats(night.map((x) => x.rrc)).sd);
      sdBusy.push(stats(busy.map((x) => x.rrc)).sd);
      meanNight.push(stats(night.map((x) => x.rrc)).mean);
      meanBusy.push(stats(busy.map((x) => x.rrc)).mean);
    }
    expect(sdNight.length).toBeGreaterThan(100);
    expect(stats(sdNight).mean).toBeGreaterThan(2 * stats(sdBusy).mean);
    // Unbiased: the noise is around the cell's true rate, not below it.
    expect(Math.abs(stats(meanNight).mean - stats(meanBusy).mean)).toBeLessThan(0.3);
    expect(stats(meanBusy).mean).toBeGreaterThan(98.5);
  });

  it('throughput is noisier at night and lower at the busy hour', () => {
    // Noise as the scatter of log changes between consecutive periods: the curve's own trend cancels.
    const jitter = (xs: number[]) => stats(xs.slice(1).map((x, i) => Math.log(x / xs[i]))).sd;
    const night: number[] = [];
    const busy: number[] = [];
    const ratio: number[] = [];
    for (const s of byCell.values()) {
      if (s.night.length < 8 || s.busy.length < 8) continue;
      night.push(jitter(s.night.map((x) => x.tp)));
      busy.push(jitter(s.busy.map((x) => x.tp)));
      ratio.push(stats(s.busy.map((x) => x.tp)).mean / stats(s.night.map((x) => x.tp)).mean);
    }
    expect(stats(night).mean).toBeGreaterThan(1.5 * stats(busy).mean);
    expect(stats(ratio).mean).toBeLessThan(0.95);
  });
});
