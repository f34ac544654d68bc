import { describe, expect, it } from 'vitest';
import { binomialTailScore, poissonTailScore, wilsonInterval } from '../../src/detectors/stats.js';

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

  it('Wilson interval: 0 of 20 is not a certainty of 0, and 500 of 1000 is tight', () => {
    expect(wilsonInterval(0, 20).upper).toBeGreaterThan(0.1);
    const w = wilsonInterval(500, 1000);
    expect(w.upper - w.lower).toBeLessThan(0.07);
  });
});
