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

/**
 * −log10 P(X ≥ k) for X negative binomial with mean `mean` and variance mean + d·mean² (a Poisson
 * whose rate is itself uncertain by a relative σ of √d); `d` = 0 is the Poisson tail. Through the
 * regularised incomplete beta function, P(X ≥ k) = I_q(k, r) with r = 1/d, q = mean / (r + mean):
 * a few dozen steps however large k is.
 */
export function negBinomialTailScore(k: number, mean: number, d: number): number {
  if (k <= mean) return 0;
  if (d <= 0) return poissonTailScore(k, mean);
  if (mean <= 0) return k > 0 ? 300 : 0;
  const r = 1 / d;
  return Math.max(0, -logBetaRegularized(mean / (r + mean), k, r) / Math.LN10);
}

/** ln I_x(a, b), the regularised incomplete beta function (continued fraction, Lentz). */
function logBetaRegularized(x: number, a: number, b: number): number {
  if (x <= 0) return -Infinity;
  if (x >= 1) return 0;
  const front = a * Math.log(x) + b * Math.log1p(-x) - (logGamma(a) + logGamma(b) - logGamma(a + b));
  if (x < (a + 1) / (a + b + 2)) return front + Math.log(betaContinuedFraction(x, a, b) / a);
  // The upper part: here I_x is not small, and 1 − I_{1−x}(b, a) is accurate.
  const upper = Math.exp(front + Math.log(betaContinuedFraction(1 - x, b, a) / b));
  return Math.log(Math.max(1e-300, 1 - upper));
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const TINY = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let dd = 1 - (qab * x) / qap;
  if (Math.abs(dd) < TINY) dd = TINY;
  dd = 1 / dd;
  let h = dd;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    dd = 1 + aa * dd;
    if (Math.abs(dd) < TINY) dd = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    dd = 1 / dd;
    h *= dd * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    dd = 1 + aa * dd;
    if (Math.abs(dd) < TINY) dd = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    dd = 1 / dd;
    const del = dd * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-12) break;
  }
  return h;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7: about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < 9; i++) s += LANCZOS[i] / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(s);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

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
