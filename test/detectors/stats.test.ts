import { describe, expect, it } from 'vitest';
import { binomialTailScore, logGamma, negBinomialTailScore, poissonTailScore, wilsonInterval } from '../../src/detectors/stats.js';

function binomTail(k: number, n: number, p: number): number {
  let s = 0;
  let c = 1;
  for (let j = 0; j <= n; j++) {
    if (j > 0) c = (c * (n - j + 1)) / j;
    if (j >= k) s += c * p ** j * (1 - p) ** (n - j);
  }
  return s;
}

describe('count evidence', () => {
  it.each([[3, 10, 0.03], [6, 10, 0.04], [10, 30, 0.1], [1, 5, 0.5]])('binomial tail of %i of %i at p=%f matches the sum', (k, n, p) => {
    const expected = k <= n * p ? 0 : -Math.log10(binomTail(k, n, p));
    expect(binomialTailScore(k, n, p)).toBeCloseTo(expected, 6);
  });

  it.each([[5, 0.3], [12, 2], [3, 0.01]])('Poisson tail of %i at mean %f matches the sum', (k, mean) => {
    let pmf = Math.exp(-mean);
    let below = 0;
    for (let j = 0; j < k; j++) {
      below += pmf;
      pmf *= mean / (j + 1);
    }
    expect(poissonTailScore(k, mean)).toBeCloseTo(-Math.log10(1 - below), 4);
  });

  it('stays finite far in the tail and is zero at or below the mean', () => {
    expect(poissonTailScore(200, 1)).toBeGreaterThan(300);
    expect(Number.isFinite(binomialTailScore(900, 1000, 0.01))).toBe(true);
    expect(poissonTailScore(1, 2)).toBe(0);
  });

  it.each([[7, 0.85, 0.02], [14, 2.3, 0.05], [1284, 950, 0.03], [3, 2.9, 0.02], [60, 10, 0.5]])(
    'negative binomial tail of %i at mean %f, dispersion %f, matches the sum of its terms', (k, mean, d) => {
      const r = 1 / d;
      const p = r / (r + mean);
      const logPmf = (j: number) => logGamma(j + r) - logGamma(r) - logGamma(j + 1) + r * Math.log(p) + j * Math.log1p(-p);
      let tail = 0;
      for (let j = k; j < k + 100_000; j++) {
        const t = Math.exp(logPmf(j));
        tail += t;
        if (t < 1e-18 * tail) break;
      }
      expect(negBinomialTailScore(k, mean, d)).toBeCloseTo(-Math.log10(tail), 6);
    });

  it('negative binomial: no dispersion is the Poisson tail; more dispersion, less surprise', () => {
    expect(negBinomialTailScore(9, 1.2, 0)).toBe(poissonTailScore(9, 1.2));
    expect(negBinomialTailScore(9, 1.2, 1e-9)).toBeCloseTo(poissonTailScore(9, 1.2), 5);
    expect(negBinomialTailScore(9, 1.2, 0.2)).toBeLessThan(negBinomialTailScore(9, 1.2, 0.02));
    expect(negBinomialTailScore(2, 2.5, 0.1)).toBe(0);
    expect(logGamma(10)).toBeCloseTo(Math.log(362_880), 10);
  });

  it('Wilson interval: 0 of 20 is not a certainty of 0, and 500 of 1000 is tight', () => {
    expect(wilsonInterval(0, 20).upper).toBeGreaterThan(0.1);
    const w = wilsonInterval(500, 1000);
    expect(w.upper - w.lower).toBeLessThan(0.07);
  });
});
