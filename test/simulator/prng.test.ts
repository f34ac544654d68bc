import { describe, expect, it } from 'vitest';
import { AliasTable, hash32, Rng, WeightedChoice } from '../../src/simulator/prng.js';

function draws(rng: Rng, n: number, f: (r: Rng) => number): number[] {
  return Array.from({ length: n }, () => f(rng));
}

function meanVar(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

describe('Rng', () => {
  it('repeats its stream for the same seed and differs for another', () => {
    const a = draws(new Rng(42, 7), 50, (r) => r.nextU32());
    const b = draws(new Rng(42, 7), 50, (r) => r.nextU32());
    const c = draws(new Rng(43, 7), 50, (r) => r.nextU32());
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(hash32(1, 2)).toBe(hash32(1, 2));
    expect(hash32(1, 2)).not.toBe(hash32(2, 1));
  });

  it('reseeding restarts the stream exactly', () => {
    const r = new Rng(5);
    const first = draws(r, 10, (x) => x.normal());
    r.reseed(5);
    expect(draws(r, 10, (x) => x.normal())).toEqual(first);
  });

  it('draws uniform numbers in [0, 1) with the right mean', () => {
    const xs = draws(new Rng(1), 20_000, (r) => r.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(meanVar(xs).mean).toBeCloseTo(0.5, 1);
  });

  it.each([
    { n: 20, p: 0.05 }, // a quiet night-time cell: exact inversion
    { n: 1500, p: 0.004 }, // a busy cell's failures: small mean, exact
    { n: 2000, p: 0.3 }, // large mean: normal approximation
    { n: 800, p: 0.97 }, // successes of a good rate: the rare side is drawn
  ])('binomial($n, $p) has mean np and variance np(1-p)', ({ n, p }) => {
    const xs = draws(new Rng(9, n), 20_000, (r) => r.binomial(n, p));
    const { mean, variance } = meanVar(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(n);
    expect(Math.abs(mean - n * p)).toBeLessThan(0.05 * n * p + 0.1);
    expect(variance / (n * p * (1 - p))).toBeGreaterThan(0.85);
    expect(variance / (n * p * (1 - p))).toBeLessThan(1.15);
  });

  it.each([0.3, 4, 250])('poisson(%f) has mean and variance lambda', (lambda) => {
    const { mean, variance } = meanVar(draws(new Rng(3), 20_000, (r) => r.poisson(lambda)));
    expect(Math.abs(mean - lambda) / lambda).toBeLessThan(0.05);
    expect(Math.abs(variance - lambda) / lambda).toBeLessThan(0.1);
  });
});

describe('AliasTable and WeightedChoice', () => {
  it('draw in proportion to the weights, never a zero weight', () => {
    const table = new AliasTable([1, 0, 3, 6]);
    const counts = [0, 0, 0, 0];
    const rng = new Rng(11);
    for (let i = 0; i < 50_000; i++) counts[table.sample(rng)]++;
    expect(counts[1]).toBe(0);
    expect(counts[0] / 50_000).toBeCloseTo(0.1, 1);
    expect(counts[3] / 50_000).toBeCloseTo(0.6, 1);
    const choice = new WeightedChoice({ a: 1, b: 9 });
    let b = 0;
    for (let i = 0; i < 10_000; i++) if (choice.sample(rng) === 'b') b++;
    expect(b / 10_000).toBeCloseTo(0.9, 1);
  });
});
