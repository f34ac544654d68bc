import { describe, expect, it } from 'vitest';
import { BadDirection, KpiBaselines } from '../../src/detectors/kpi-baseline.js';
import { detectorsConfigSchema, type BaselineConfig } from '../../src/detectors/config.js';
import { traffic } from './network.js';

const PM = 900_000;
const DAY = 86_400_000;

/** A seeded N(0,1) stream (Box–Muller over a small LCG). */
function gaussian(seed: number): () => number {
  let s = seed;
  const u = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) + 0.5) / 0x80000000;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

const baseline = (over: Partial<BaselineConfig> = {}): BaselineConfig => detectorsConfigSchema.parse({ baseline: over }).baseline;
/** The tail fit as it was before the slow tail and its warm-up restart. */
const FAST_TAIL = { tailAlpha: 0.05, tailWarmupWeight: 65535 };

/** Samples of white noise, past the first 1,000, whose calibrated score reaches 3. */
function noiseCrossings(cfg: BaselineConfig): number {
  let crossings = 0;
  for (let rep = 0; rep < 10; rep++) {
    const g = gaussian(1000 + rep);
    const m = new KpiBaselines(cfg, 0, 1);
    const s = m.add();
    for (let i = 0; i < 20_000; i++) if (m.update(s, i * 300_000, 50 + 5 * g(), NaN, BadDirection.Both).score >= 3 && i >= 1000) crossings++;
  }
  return crossings;
}

/** Median score of an 8σ rise after `days` of a daily-profile KPI (15-minute samples), over 20 seeds. */
function deviationScore(cfg: BaselineConfig, days: number): number {
  const scores: number[] = [];
  for (let rep = 0; rep < 20; rep++) {
    const g = gaussian(77 + rep);
    const m = new KpiBaselines(cfg, 0, 1);
    const s = m.add();
    const n = (days * DAY) / PM;
    const level = (t: number) => 30 + 15 * Math.sin((2 * Math.PI * (t % DAY)) / DAY);
    for (let i = 0; i < n; i++) m.update(s, i * PM, level(i * PM) + 4 * g(), NaN, BadDirection.Up);
    const e = m.expectedAt(s, n * PM);
    scores.push(m.update(s, n * PM, e.expected + 8 * e.sigma, NaN, BadDirection.Up).score);
  }
  return scores.sort((a, b) => a - b)[10];
}

describe('KPI baseline: tail calibration', () => {
  it('white noise reaches score 3 less often than with the fast tail fit (a steadier fit is not caught low)', () => {
    const slow = noiseCrossings(baseline());
    const fast = noiseCrossings(baseline(FAST_TAIL));
    expect(slow).toBeLessThan(0.85 * fast);
  });

  it("a clear deviation a week after warm-up: the warm-up's residuals weigh less once the series is warm", () => {
    // The warm-up's residuals (against a profile still being learnt) are large; carried in a running
    // mean of 50 exceedances they keep a clear deviation's score low for weeks.
    const restarted = deviationScore(baseline(), 8);
    const carried = deviationScore(baseline({ tailWarmupWeight: 65535 }), 8);
    const forgotten = deviationScore(baseline({ tailWarmupWeight: 5 }), 8);
    expect(restarted).toBeGreaterThan(carried + 0.1);
    expect(forgotten).toBeGreaterThan(restarted + 0.2);
  });
});

describe('KPI baseline: least-squares profile', () => {
  /** A demand curve with a deep, steep night trough (the test network's traffic shape, × 1,000 setups). */
  const demand = (t: number) => 1000 * traffic(t);

  /** Mean relative error of the expectation over the night (00:00–06:00) after `days` of noisy demand. */
  function nightError(lsq: boolean, days: number): number {
    const g = gaussian(5);
    const m = new KpiBaselines(baseline(), 0, 1);
    const s = m.add();
    if (lsq) m.fitLeastSquares(s);
    const n = (days * DAY) / PM;
    for (let i = 0; i < n; i++) {
      const v = demand(i * PM);
      m.update(s, i * PM, Math.max(0, v + Math.sqrt(v) * g()), NaN, BadDirection.Up);
    }
    // A weekday night (the series starts on a Thursday: day 14 is a Thursday again).
    let err = 0;
    for (let q = 0; q < 24; q++) {
      const t = n * PM + q * PM;
      err += Math.abs(m.expectedAt(s, t).expected - demand(t)) / demand(t);
    }
    return err / 24;
  }

  it('fits a steep night trough where running means at the knots sit far above it', () => {
    const mean = nightError(false, 14);
    const lsq = nightError(true, 14);
    expect(mean).toBeGreaterThan(0.25);
    expect(lsq).toBeLessThan(mean / 2);
  });
});
