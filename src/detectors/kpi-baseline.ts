/**
 * The KPI baseline: for every (cell, KPI) series a seasonal, robust, online model of what the value
 * should be now, and a calibrated score of how far the current value is from it in the KPI's bad
 * direction. It is the detector behind PM KPIs, signaling failure ratios and `nocwatch score-series`.
 *
 * Model, per series (all O(1) per sample, state in typed arrays indexed by series number):
 * - a daily profile, piecewise linear between `knotsPerDay` knots, one for weekdays, one for Saturday
 *   (seeded from the weekday profile the first time a weekend is seen) and one for Sunday (seeded
 *   from Saturday's);
 * - an offset that follows slow level changes between profile updates;
 * - rates with attempts learn profile and offset `rateLearning` times as fast as other series: their
 *   noise is known, and a mild fault must not be learnt before the slow scales have judged it;
 * - a robust noise scale per time-of-day bucket, weekdays and weekend apart (a quantile tracker:
 *   outliers move it by one small step whatever their size; kept as a 16-bit log code); for rates
 *   with attempts the binomial variance p(1-p)/n is added, so a quiet night cell with 20 attempts is
 *   judged by the evidence 20 attempts carry;
 * - gating: a sample beyond `gateZ` σ teaches nothing (the baseline is not dragged by the anomalies it
 *   flags), except that a one-sided run lasting `levelShiftAfter` becomes the new level;
 * - slow scales: block means of the standardised residual over `scales` samples catch drifts too
 *   small to see in one sample. For a rate that is only valid while the block holds enough expected
 *   bad counts (`slowMinCount`) for its mean to be near Gaussian: a night-time signaling ratio from a
 *   handful of attempts is mostly 0 with the odd single failure, and averaging such z's makes a
 *   heavy-tailed block mean that no σ describes — the slow scales stay silent there;
 * - calibration: per scale, the upper tail of the evidence is fitted online (peaks over a tracked
 *   quantile, exponential in log(1+z)), turning "z = 6" into "−log10 P(this or worse) = 4.2" for
 *   this series — so a spiky series and a smooth one are scored on one scale. The fit is slow (a noisy
 *   fit scores noise high whenever it runs low), and what it learnt during the warm-up is mostly
 *   forgotten once the series is warm (`tailWarmupWeight`).
 *
 * Cold start: a series scores 0 for `warmupSamples`; a profile knot learns as a running mean until
 * it has been seen twice, then with `profileAlpha` — as an exponential mean of the values around it,
 * or, for series marked with `fitLeastSquares` (demand), as a least-squares fit of the curve.
 */
import type { BaselineConfig } from './config.js';
import { grownCapacity } from './capacity.js';

const DAY_MS = 86_400_000;
/** Median of |N(0,1)|: turns a tracked median absolute residual into σ. */
const MAD_TO_SIGMA = 1 / 0.6745;
/** Standardised residuals are clipped here before they are averaged by the slow scales. */
const BLOCK_CLIP = 10;
/** An exceedance counts at most this many mean exceedances when the tail learns (one huge spike is one sample). */
const TAIL_CLIP = 10;
/** Scores are capped here: beyond it, "how impossible" carries no more information. */
const MAX_SCORE = 100;
/** Knot counts are kept in quarter units of interpolation weight, saturating. */
const COUNT_UNIT = 4;
/** A knot learns as a running mean until it has this much weight, whatever the gate says. */
const MIN_KNOT_WEIGHT = 2;
/**
 * The per-bucket noise scales are kept as 16-bit log codes: 0 is "not learnt", otherwise the scale is
 * exp((code − 32768) / SCALE_RES) — 0.1 % steps from 1e-14 to 1e14, finer than the tracker's smallest
 * step (2.5 %), in half the bytes of a float.
 */
const SCALE_RES = 1024;
const SCALE_ZERO = 32768;
/** Code → scale, precomputed (256 KB, shared): an exp per sample costs a fifth of the detector's speed. */
const SCALES = (() => {
  const t = new Float32Array(65536);
  for (let c = 1; c < 65536; c++) t[c] = Math.exp((c - SCALE_ZERO) / SCALE_RES);
  return t;
})();
const decodeScale = (code: number): number => SCALES[code];
/** A learnt scale's code stays within 1..65535 (0 means "not learnt"). */
const clampCode = (c: number): number => (c < 1 ? 1 : c > 65535 ? 65535 : c);
const encodeScale = (v: number): number => (v > 0 ? clampCode(Math.round(Math.log(v) * SCALE_RES) + SCALE_ZERO) : 0);

/** Which way a series gets worse. */
export const enum BadDirection {
  Both = 0,
  Up = 1,
  Down = 2,
}

/** What one sample scored. The object is reused by every call: copy what you keep. */
export interface KpiScore {
  /** Expected value now (NaN before the series has any history). */
  expected: number;
  /** σ of the value around `expected`, including the binomial part for rates. */
  sigma: number;
  /** Standardised deviation, signed (positive: above expected). */
  z: number;
  /** −log10 of the tail probability of the deviation in the bad direction, max over scales; 0 when ordinary. */
  score: number;
  /** The block length (samples) that produced `score`: 1 is the sample itself. */
  scale: number;
  /** Standardised deviation at that scale (`z` itself for scale 1, the block mean's for a slow scale). */
  scaleZ: number;
  /** `score`, muted for `refractorySamples` after an onset: the per-sample anomaly score of score-series. */
  onset: number;
  /** Past warm-up: scores mean something. */
  warm: boolean;
}

// Float32 scalars per series.
const F_OFFSET = 0;
const F_GSCALE = 1;
const F_RUNSUM = 2;
const F_SPREAD = 3;
const F_MEDIAN = 4;
const F_LASTX = 5;
const F_FIXED = 6; // then per scale: ACC, BSCALE, COUNT (expected bad count of a rate's block); per tail (1 + scales): U, BETA

// Uint16 scalars per series.
const U_N = 0;
const U_RUN = 1;
const U_REFRACTORY = 2;
const U_FLAGS = 3; // bit 0: weekend profile seeded; bit 1: Sunday profile seeded; bit 2: least-squares profile
/** U_FLAGS bit: the series' profile knots are fitted by least squares (see `fitLeastSquares`). */
const LEAST_SQUARES = 4;
const U_FIXED = 4; // then per scale: BLOCK COUNT; per tail: EXCEEDANCES

// Float64 scalars per series.
const D_LAST_T = 0;
const D_RUN_START = 1;
const D_STRIDE = 2;

export class KpiBaselines {
  private readonly knots: number;
  /** Daily profiles of the level: weekday, weekend (or Saturday), Sunday. */
  private readonly profiles: number;
  /** Profiles of the noise scale: weekday, weekend (Saturday and Sunday share one). */
  private readonly bprofiles: number;
  private readonly buckets: number;
  private readonly nScales: number;
  private readonly fStride: number;
  private readonly uStride: number;
  private readonly knotMs: number;
  private readonly bucketMs: number;
  private readonly tzMs: number;
  private readonly tailOffset: number;
  private readonly coarseWarm: number;
  private capacity = 0;
  private count = 0;

  private prof = new Float32Array(0);
  private kcnt = new Uint8Array(0);
  private kscale = new Uint16Array(0);
  /** Samples each scale bucket has learned from (saturating): a young bucket's tracker takes big steps. */
  private bcnt = new Uint8Array(0);
  private f = new Float32Array(0);
  private u = new Uint16Array(0);
  private d = new Float64Array(0);

  private readonly out: KpiScore = { expected: NaN, sigma: NaN, z: 0, score: 0, scale: 1, scaleZ: 0, onset: 0, warm: false };

  constructor(private readonly cfg: BaselineConfig, tzOffsetMinutes = 0, initialCapacity = 64) {
    this.knots = cfg.knotsPerDay;
    this.profiles = cfg.weekendProfile ? (cfg.sundayProfile ? 3 : 2) : 1;
    this.bprofiles = cfg.weekendProfile ? 2 : 1;
    this.buckets = cfg.scaleBucketsPerDay;
    this.nScales = cfg.scales.length;
    this.fStride = F_FIXED + 3 * this.nScales + 2 * (1 + this.nScales);
    this.uStride = U_FIXED + this.nScales + (1 + this.nScales);
    this.knotMs = DAY_MS / this.knots;
    this.bucketMs = DAY_MS / this.buckets;
    this.tzMs = tzOffsetMinutes * 60_000;
    this.tailOffset = -Math.log10(1 - cfg.tailQuantile);
    this.coarseWarm = Math.ceil(cfg.warmupSamples / 4);
    this.grow(Math.max(1, initialCapacity));
  }

  /** Number of series. */
  get size(): number {
    return this.count;
  }

  /** Bytes of state one series costs. */
  get bytesPerSeries(): number {
    return this.knots * this.profiles * 5 + this.buckets * this.bprofiles * 3 + this.fStride * 4 + this.uStride * 2 + D_STRIDE * 8;
  }

  /** Allocates a fresh series and returns its index. */
  add(): number {
    if (this.count === this.capacity) this.grow(grownCapacity(this.capacity));
    const i = this.count++;
    const fb = i * this.fStride;
    for (let j = 0; j < this.nScales; j++) this.f[fb + F_FIXED + this.nScales + j] = 0.6745 / Math.sqrt(this.cfg.scales[j]);
    for (let j = 0; j <= this.nScales; j++) this.f[fb + this.tailOffsetIndex(j) + 1] = -1;
    this.d[i * D_STRIDE + D_LAST_T] = NaN;
    this.f[fb + F_MEDIAN] = NaN;
    return i;
  }

  private tailOffsetIndex(j: number): number {
    return F_FIXED + 3 * this.nScales + 2 * j;
  }

  private grow(cap: number): void {
    const kp = this.knots * this.profiles;
    const bp = this.buckets * this.bprofiles;
    const g = <T extends Float32Array | Float64Array | Uint8Array | Uint16Array>(old: T, n: number, make: (n: number) => T): T => {
      const a = make(n);
      a.set(old.subarray(0, Math.min(old.length, n)));
      return a;
    };
    this.prof = g(this.prof, cap * kp, (n) => new Float32Array(n));
    this.kcnt = g(this.kcnt, cap * kp, (n) => new Uint8Array(n));
    this.kscale = g(this.kscale, cap * bp, (n) => new Uint16Array(n));
    this.bcnt = g(this.bcnt, cap * bp, (n) => new Uint8Array(n));
    this.f = g(this.f, cap * this.fStride, (n) => new Float32Array(n));
    this.u = g(this.u, cap * this.uStride, (n) => new Uint16Array(n));
    this.d = g(this.d, cap * D_STRIDE, (n) => new Float64Array(n));
    this.capacity = cap;
  }

  /** Profile slot of knot number `g` (knots since the epoch, local time), seeding the weekend profile once. */
  private knotSlot(i: number, g: number): number {
    const k = this.knots;
    const day = Math.floor(g / k);
    const knot = g - day * k;
    const dow = dayOfWeek(day);
    if (this.profiles === 1 || (dow !== 0 && dow !== 6)) return i * k * this.profiles + knot;
    this.seedWeekend(i);
    if (dow === 6 || this.profiles === 2) return i * k * this.profiles + k + knot;
    this.seedSunday(i);
    return i * k * this.profiles + 2 * k + knot;
  }

  private bucketSlot(i: number, local: number): number {
    const b = this.buckets;
    const g = Math.floor(local / this.bucketMs);
    const day = Math.floor(g / b);
    const bucket = g - day * b;
    if (this.bprofiles === 1 || !isWeekend(day)) return i * b * this.bprofiles + bucket;
    this.seedWeekend(i);
    return i * b * this.bprofiles + b + bucket;
  }

  private seedWeekend(i: number): void {
    if (!this.seedOnce(i, 1)) return;
    this.copyKnots(i, 0, 1);
    const b = this.buckets;
    const bb = i * b * this.bprofiles;
    for (let j = 0; j < b; j++) {
      this.kscale[bb + b + j] = this.kscale[bb + j];
      this.bcnt[bb + b + j] = Math.min(this.bcnt[bb + j], 4);
    }
  }

  /** The first Sunday starts from the weekend profile learnt so far (Saturday's). */
  private seedSunday(i: number): void {
    if (this.seedOnce(i, 2)) this.copyKnots(i, 1, 2);
  }

  /**
   * Fits series `i`'s profile knots by least squares from now on: each sample moves its two knots by
   * its residual against the interpolated curve, weighted by each knot's share, instead of pulling each
   * knot toward the sample as a running mean. The running mean of a knot is the mean of the values
   * around it, which lies above the curve where it bends into a trough: at 02:00 a cell's demand
   * profile expected 342 setups when 180 came, and the night's noise scale widened to match, so a
   * tripled night demand stayed within it and was learnt as the level. Least squares fits the curve
   * itself. It is for series with a deep daily shape (the demand series): tried for every series, it
   * cost 2.8 points on the NAB corpus, whose series mostly have no daily shape.
   */
  fitLeastSquares(i: number): void {
    this.u[i * this.uStride + U_FLAGS] |= LEAST_SQUARES;
  }

  /** Sets seeded-flag `bit` of series `i`; false if it was already set. */
  private seedOnce(i: number, bit: number): boolean {
    const fi = i * this.uStride + U_FLAGS;
    if (this.u[fi] & bit) return false;
    this.u[fi] |= bit;
    return true;
  }

  /** Copies level profile `from` into profile `to`; seeded knots count as seen about once, so they re-learn quickly. */
  private copyKnots(i: number, from: number, to: number): void {
    const k = this.knots;
    const pb = i * k * this.profiles;
    for (let j = 0; j < k; j++) {
      this.prof[pb + to * k + j] = this.prof[pb + from * k + j];
      this.kcnt[pb + to * k + j] = Math.min(this.kcnt[pb + from * k + j], COUNT_UNIT);
    }
  }

  /** The profile value at local time `local` (NaN when no knot near it has been learned). */
  private base(i: number, local: number, slots: Int32Array, weights: Float64Array): number {
    const uu = local / this.knotMs;
    const g = Math.floor(uu);
    const w = uu - g;
    const k0 = this.knotSlot(i, g);
    const k1 = this.knotSlot(i, g + 1);
    slots[0] = k0;
    slots[1] = k1;
    weights[0] = 1 - w;
    weights[1] = w;
    const c0 = this.kcnt[k0];
    const c1 = this.kcnt[k1];
    if (c0 > 0 && c1 > 0) return this.prof[k0] * (1 - w) + this.prof[k1] * w;
    if (c0 > 0) return this.prof[k0];
    if (c1 > 0) return this.prof[k1];
    return NaN;
  }

  private readonly slots = new Int32Array(2);
  private readonly weights = new Float64Array(2);

  /**
   * Days of samples the profile knots around the last `update` (of whichever series) have learnt
   * from, for samples `periodMs` apart (Infinity once both are saturated: the count stops at 255 units).
   */
  lastProfileDays(periodMs: number): number {
    const c0 = this.kcnt[this.slots[0]];
    const c1 = this.kcnt[this.slots[1]];
    if (c0 === 255 && c1 === 255) return Infinity;
    const weight = (this.weights[0] * c0 + this.weights[1] * c1) / COUNT_UNIT;
    return (weight * periodMs) / this.knotMs;
  }

  /**
   * Scores and learns one sample of series `i` at event time `t`. `attempts` > 0 makes it a rate
   * (0..100 %) judged with its binomial variance; NaN or 0 means "no attempts known". `learn` false
   * (suspect values) scores without teaching the baseline.
   */
  update(i: number, t: number, x: number, attempts: number, dir: BadDirection, learn = true): KpiScore {
    const cfg = this.cfg;
    const out = this.out;
    const fb = i * this.fStride;
    const ub = i * this.uStride;
    const db = i * D_STRIDE;
    const f = this.f;
    const u = this.u;
    const local = t + this.tzMs;
    const n = u[ub + U_N];

    let base = this.base(i, local, this.slots, this.weights);
    if (Number.isNaN(base)) base = n === 0 ? x : f[fb + F_LASTX];
    const offset = f[fb + F_OFFSET];
    const expected = base + offset;
    const e = x - expected;

    if (n === 0) f[fb + F_MEDIAN] = x;
    const bslot = this.bucketSlot(i, local);
    const gscale = f[fb + F_GSCALE];
    const bscale = decodeScale(this.kscale[bslot]);
    const floor = Math.max(cfg.minRelativeScale * f[fb + F_SPREAD], 1e-9 + 1e-4 * Math.abs(expected));
    const mad = Math.max(bscale > 0 ? bscale : gscale, 0.5 * gscale, floor);
    let vBin = 0;
    if (attempts > 0) {
      const p = Math.min(Math.max(expected / 100, 0.5 / attempts), 1 - 0.5 / attempts);
      vBin = (1e4 * p * (1 - p)) / attempts;
    }
    const sigma = Math.sqrt(mad * mad * MAD_TO_SIGMA * MAD_TO_SIGMA + vBin);
    const z = n < 2 ? 0 : e / sigma;
    const warm = n >= cfg.warmupSamples;

    // Evidence, fine scale then the slow scales (which speak only when a block completes).
    let score = this.tail(i, 0, bad(z, dir), warm);
    let scale = 1;
    let scaleZ = z;
    const zc = z > BLOCK_CLIP ? BLOCK_CLIP : z < -BLOCK_CLIP ? -BLOCK_CLIP : z;
    // Expected bad counts behind this sample (failures of a failure rate, non-successes of a success
    // rate); a sample without attempts is not a count and never holds a block back.
    const pe = Math.min(1, Math.max(0, expected / 100));
    const badCount = attempts > 0 ? attempts * (dir === BadDirection.Up ? pe : dir === BadDirection.Down ? 1 - pe : Math.min(pe, 1 - pe)) : Infinity;
    for (let j = 0; j < this.nScales; j++) {
      const ai = fb + F_FIXED + j;
      const si = fb + F_FIXED + this.nScales + j;
      const cti = fb + F_FIXED + 2 * this.nScales + j;
      const ci = ub + U_FIXED + j;
      f[ai] += zc;
      f[cti] = Math.min(3e38, f[cti] + badCount);
      const len = this.cfg.scales[j];
      if (++u[ci] < len) continue;
      const m = f[ai] / len;
      const counts = f[cti];
      f[ai] = 0;
      f[cti] = 0;
      u[ci] = 0;
      const bs = f[si];
      const zz = (m / bs) * 0.6745;
      if (counts < cfg.slowMinCount) continue;
      const sc = this.tail(i, 1 + j, bad(zz, dir), warm && n >= this.coarseWarm * len);
      if (sc > score) {
        score = sc;
        scale = len;
        scaleZ = zz;
      }
      // Median tracker of |block mean|.
      f[si] = bs * Math.exp(cfg.scaleEta * 0.5 * (Math.abs(m) > bs ? 1 : -1));
    }

    // Onset: mute repeated onsets of one excursion.
    let onset = score;
    if (cfg.refractorySamples > 0) {
      if (u[ub + U_REFRACTORY] > 0) {
        u[ub + U_REFRACTORY]--;
        onset = 0;
      } else if (score >= cfg.refractoryScore) u[ub + U_REFRACTORY] = cfg.refractorySamples;
    }

    if (learn) this.learn(i, t, x, e, z, vBin, expected, bslot, bscale, sigma, attempts > 0 ? cfg.rateLearning : 1);
    else if (n === 0) f[fb + F_LASTX] = x;

    out.expected = expected;
    out.sigma = sigma;
    out.z = z;
    out.score = score;
    out.scale = scale;
    out.scaleZ = scaleZ;
    out.onset = onset;
    out.warm = warm;
    return out;
  }

  /** The peaks-over-threshold tail of evidence stream `j` of series `i`: scores `e` and learns it. */
  private tail(i: number, j: number, e: number, warm: boolean): number {
    const cfg = this.cfg;
    const f = this.f;
    const ti = i * this.fStride + this.tailOffsetIndex(j);
    const ki = i * this.uStride + U_FIXED + this.nScales + j;
    const L = Math.log1p(e);
    let thr = f[ti];
    let beta = f[ti + 1];
    if (beta < 0) {
      thr = L;
      beta = 0;
    }
    let nlp = 0;
    if (warm && L > thr && beta > 0) nlp = Math.min(MAX_SCORE, this.tailOffset + (L - thr) / beta / Math.LN10);
    const b = beta > 1e-3 ? beta : 1e-3;
    if (L > thr) {
      const k = this.u[ki];
      const rate = Math.max(cfg.tailAlpha, 1 / (k + 1));
      const ex = k < 10 ? L - thr : Math.min(L - thr, TAIL_CLIP * b);
      beta += rate * (ex - beta);
      if (k < 65535) this.u[ki] = k + 1;
      thr += cfg.tailEta * b * cfg.tailQuantile;
    } else thr -= cfg.tailEta * b * (1 - cfg.tailQuantile);
    f[ti] = thr;
    f[ti + 1] = beta;
    return nlp;
  }

  private learn(i: number, t: number, x: number, e: number, z: number, vBin: number, expected: number, bslot: number, bs: number, sigma: number, rate: number): void {
    const cfg = this.cfg;
    const f = this.f;
    const u = this.u;
    const fb = i * this.fStride;
    const ub = i * this.uStride;
    const db = i * D_STRIDE;
    const n = u[ub + U_N];
    const inlier = n < cfg.warmupSamples || Math.abs(z) < cfg.gateZ;

    let offset = f[fb + F_OFFSET];
    if (!inlier) {
      // A one-sided run of outliers that lasts becomes the new level.
      const runSum = f[fb + F_RUNSUM];
      let run = u[ub + U_RUN];
      if (run > 0 && (e > 0) !== (runSum > 0)) run = 0;
      if (run === 0) {
        f[fb + F_RUNSUM] = 0;
        this.d[db + D_RUN_START] = t;
      }
      f[fb + F_RUNSUM] += e;
      if (run < 65535) run++;
      u[ub + U_RUN] = run;
      if (run >= 2 && t - this.d[db + D_RUN_START] >= cfg.levelShiftAfter) {
        offset += f[fb + F_RUNSUM] / run;
        u[ub + U_RUN] = 0;
        f[fb + F_RUNSUM] = 0;
      }
    } else {
      u[ub + U_RUN] = 0;
      offset += cfg.offsetAlpha * rate * e;
      // The offset follows small level wobbles only: a larger change must come as a level shift.
      const lim = cfg.offsetLimit * sigma;
      if (offset > lim) offset = lim;
      else if (offset < -lim) offset = -lim;
    }
    f[fb + F_OFFSET] = offset;

    // Outliers teach a knot only while it is new (a knot first seen during an anomaly must still learn).
    const target = (inlier ? x : expected) - offset;
    const k0 = this.slots[0];
    const k1 = this.slots[1];
    // Least squares: the residual against the curve both knots make, once both have been learnt.
    const lsq = (u[ub + U_FLAGS] & LEAST_SQUARES) !== 0 && this.kcnt[k0] > 0 && this.kcnt[k1] > 0;
    const curve = lsq ? this.prof[k0] * this.weights[0] + this.prof[k1] * this.weights[1] : 0;
    for (let s = 0; s < 2; s++) {
      const w = this.weights[s];
      if (w <= 0) continue;
      const k = s === 0 ? k0 : k1;
      const c = this.kcnt[k] / COUNT_UNIT;
      if (!inlier && c >= MIN_KNOT_WEIGHT) continue;
      if (c === 0) this.prof[k] = x - offset;
      else if (lsq && c >= MIN_KNOT_WEIGHT) this.prof[k] += w * cfg.profileAlpha * rate * (target - curve);
      else this.prof[k] += w * Math.max(cfg.profileAlpha * rate, 1 / (c + w)) * (target - this.prof[k]);
      this.kcnt[k] = Math.min(255, this.kcnt[k] + Math.max(1, Math.round(w * COUNT_UNIT)));
    }

    // The scale trackers learn from every sample: a median tracker moves one small step per sample
    // whatever its size, so outliers cannot drag it far, while leaving them out would bias it low for
    // heavy-tailed series (and a scale biased low makes ever more outliers: a collapse).
    const ae = Math.abs(e);
    {
      // Median trackers: step up when |e| exceeds what the scale (plus binomial part) explains.
      // Young trackers take bigger steps (≈ 1/√count), so a new bucket converges in days, not weeks.
      const gs = f[fb + F_GSCALE];
      if (gs === 0) f[fb + F_GSCALE] = ae;
      else f[fb + F_GSCALE] = gs * Math.exp(Math.max(cfg.scaleEta * 0.5, 1 / Math.sqrt(n + 4)) * (ae * ae > gs * gs + 0.455 * vBin ? 0.5 : -0.5));
      const code = this.kscale[bslot];
      const bc = this.bcnt[bslot];
      // A bucket starts from the global scale; it stays unlearned while residuals are exactly zero.
      if (code === 0) this.kscale[bslot] = encodeScale(gs > 0 ? gs : ae);
      else {
        // The multiplicative step, in code units (at least one, so the smallest step still moves).
        const step = Math.max(1, Math.round(Math.max(cfg.scaleEta, 1 / Math.sqrt(bc + 4)) * 0.5 * SCALE_RES));
        this.kscale[bslot] = clampCode(ae * ae > bs * bs + 0.455 * vBin ? code + step : code - step);
      }
      if (bc < 255) this.bcnt[bslot] = bc + 1;
    }

    // The series' typical spread, the floor under its noise scale.
    const med = f[fb + F_MEDIAN];
    const dv = x - med;
    const spread = f[fb + F_SPREAD] + 0.01 * (Math.abs(dv) - f[fb + F_SPREAD]);
    f[fb + F_SPREAD] = spread;
    f[fb + F_MEDIAN] = med + 0.01 * spread * Math.sign(dv);
    f[fb + F_LASTX] = x;
    this.d[db + D_LAST_T] = t;
    if (n < 65535) u[ub + U_N] = n + 1;
    // Warm from the next sample: what the tails learnt until now (residuals against a profile still
    // being learnt, far larger than the learnt series makes) counts as at most `tailWarmupWeight`
    // exceedances, so the slow `tailAlpha` does not carry it for weeks.
    if (n + 1 === cfg.warmupSamples) {
      for (let j = 0; j <= this.nScales; j++) {
        const ki = ub + U_FIXED + this.nScales + j;
        if (u[ki] > cfg.tailWarmupWeight) u[ki] = cfg.tailWarmupWeight;
      }
    }
  }

  /** Expected value and σ of series `i` at time `t` (NaN when nothing is learned yet): the band for charts. */
  expectedAt(i: number, t: number): { expected: number; sigma: number } {
    const local = t + this.tzMs;
    const fb = i * this.fStride;
    const b = this.base(i, local, new Int32Array(2), new Float64Array(2));
    const bs = decodeScale(this.kscale[this.bucketSlot(i, local)]);
    const gs = this.f[fb + F_GSCALE];
    const mad = Math.max(bs > 0 ? bs : gs, 0.5 * gs);
    return { expected: b + this.f[fb + F_OFFSET], sigma: mad * MAD_TO_SIGMA };
  }

  /** The series' typical spread (mean absolute deviation from its running median): its scale while young. */
  spread(i: number): number {
    return this.f[i * this.fStride + F_SPREAD];
  }

  /** Samples seen (saturating at 65535). */
  samples(i: number): number {
    return this.u[i * this.uStride + U_N];
  }

  /** Event time of the last learned sample (NaN if none). */
  lastTime(i: number): number {
    return this.d[i * D_STRIDE + D_LAST_T];
  }

  /** The state as typed-array views, for checkpoints. */
  snapshot(): { count: number; arrays: ArrayBufferView[] } {
    const c = this.count;
    const kp = this.knots * this.profiles;
    const bp = this.buckets * this.bprofiles;
    return {
      count: c,
      arrays: [
        this.prof.subarray(0, c * kp), this.kcnt.subarray(0, c * kp), this.kscale.subarray(0, c * bp), this.bcnt.subarray(0, c * bp),
        this.f.subarray(0, c * this.fStride), this.u.subarray(0, c * this.uStride), this.d.subarray(0, c * D_STRIDE),
      ],
    };
  }

  /**
   * Replaces the state with a snapshot taken by an instance of the same configuration — or, with
   * `legacy`, by one from before the Sunday profile and the 16-bit noise scales (two level profiles,
   * float scales): Sunday starts as a copy of the weekend profile, the scales are re-coded.
   */
  restore(count: number, arrays: readonly Uint8Array[], legacy = false): void {
    this.count = 0;
    this.grow(Math.max(count, 1));
    const targets = [this.prof, this.kcnt, this.kscale, this.bcnt, this.f, this.u, this.d];
    if (arrays.length !== targets.length) throw new Error('baseline checkpoint has the wrong number of arrays');
    const k = this.knots;
    const sundayAdded = legacy && this.profiles === 3;
    targets.forEach((target, j) => {
      const src = arrays[j];
      // Legacy level profiles (values, counts) had two profiles; legacy scales were 4-byte floats.
      const reprofile = sundayAdded && (j === 0 || j === 1);
      const recode = legacy && j === 2;
      let need = (target.length / this.capacity) * count * target.BYTES_PER_ELEMENT;
      if (reprofile) need = (need / 3) * 2;
      if (recode) need *= 2;
      if (src.byteLength !== need) throw new Error(`baseline checkpoint array ${j} has ${src.byteLength} bytes, expected ${need}`);
      if (recode) {
        const old = new Float32Array(src.slice().buffer);
        for (let x = 0; x < old.length; x++) this.kscale[x] = encodeScale(old[x]);
      } else if (reprofile) {
        const old = j === 0 ? new Float32Array(src.slice().buffer) : new Uint8Array(src.slice().buffer);
        const dst = target as Float32Array | Uint8Array;
        for (let i = 0; i < count; i++) {
          for (let q = 0; q < 2 * k; q++) dst[i * 3 * k + q] = old[i * 2 * k + q];
          // Sunday starts from the weekend profile, which has learnt from Sundays as well.
          for (let q = 0; q < k; q++) dst[i * 3 * k + 2 * k + q] = old[i * 2 * k + k + q];
        }
      } else new Uint8Array(target.buffer, target.byteOffset, src.byteLength).set(src);
    });
    if (sundayAdded) for (let i = 0; i < count; i++) if (this.u[i * this.uStride + U_FLAGS] & 1) this.u[i * this.uStride + U_FLAGS] |= 2;
    this.count = count;
  }
}

/** Saturday or Sunday, for day number `day` since the epoch (1970-01-01 was a Thursday). */
function isWeekend(day: number): boolean {
  const dow = dayOfWeek(day);
  return dow === 0 || dow === 6;
}

/** 0 = Sunday … 6 = Saturday, for day number `day` since the epoch. */
function dayOfWeek(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Evidence in the bad direction: a success rate that rises is not a fault. */
function bad(z: number, dir: BadDirection): number {
  const v = dir === BadDirection.Down ? -z : dir === BadDirection.Up ? z : Math.abs(z);
  return v > 0 ? v : 0;
}
