/** Tail probabilities for count evidence, as −log10 p (0 when unremarkable), stable far into the tail. */

/** −log10 P(X ≥ k) for X ~ Binomial(n, p). */
export function binomialTailScore(k: number, n: number, p: number): number {
  if (k <= n * p) return 0;
  if (p <= 0) return k > 0 ? 300 : 0;
  // Sum the terms from k upwards in log space (n is small for dial tests; capped for safety).
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let logTerm = logChoose(n, k) + k * lp + (n - k) * lq;
  let sum = 1;
  let term = 1;
  for (let j = k; j < n && j < k + 10_000; j++) {
    term *= ((n - j) / (j + 1)) * (p / (1 - p));
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  logTerm += Math.log(sum);
  return Math.max(0, -logTerm / Math.LN10);
}

/** −log10 P(X ≥ k) for X ~ Poisson(mean). */
export function poissonTailScore(k: number, mean: number): number {
  if (k <= mean) return 0;
  if (mean <= 0) return k > 0 ? 300 : 0;
  let logTerm = k * Math.log(mean) - mean - logFactorial(k);
  let sum = 1;
  let term = 1;
  for (let j = k + 1; j < k + 10_000; j++) {
    term *= mean / j;
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  logTerm += Math.log(sum);
  return Math.max(0, -logTerm / Math.LN10);
}

/** Wilson score interval of a proportion `k / n` at `z` (1.96 ≈ 95 %). */
export function wilsonInterval(k: number, n: number, z = 1.96): { lower: number; upper: number } {
  if (n <= 0) return { lower: 0, upper: 1 };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

function logFactorial(n: number): number {
  if (n < 2) return 0;
  if (n < 64) {
    let s = 0;
    for (let i = 2; i <= n; i++) s += Math.log(i);
    return s;
  }
  // Stirling with the first correction terms: exact enough for tail scores.
  return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n) - 1 / (360 * n * n * n);
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}
