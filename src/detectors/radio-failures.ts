/**
 * Radio failures per cell: the failed events behind a cell's radio-sensitive rates — bearer drops,
 * failed handovers, VoLTE drops, failed RRC setups (below congestion-level PRB: a full cell's
 * admission control is not a radio fault) — counted together and tested against what the cell's own
 * learnt failure probabilities expect for this period's attempts.
 *
 * Why a second look at KPIs the baseline already judges one by one: interference on a quiet cell
 * raises each count by a handful. Six drops where half of one is expected cannot fire on its own at a
 * budget of one spurious finding per 1,000 cell-days (the network samples a 1-in-10⁵ event daily),
 * but six drops, two failed handovers and a failed setup in one period, and as many in the next, is
 * something no cell does by chance. The test is exact for small counts: the window's failures against
 * a negative binomial whose mean is the expected failures and whose extra variance is the learnt
 * probabilities' own uncertainty (≈ 1 / failures learnt from) plus `dispersion` (rates that wander
 * from period to period). Windows of `windows` periods (1, 2, 4) catch a burst in one period and a
 * steady rise over an hour alike; the finding starts where its window starts.
 *
 * Learning: per cell and KPI, decayed sums of failures and attempts (memory `memory`); a period that
 * is itself unlikely, or that belongs to a firing finding, teaches at a tenth — until the finding has
 * lasted `baseline.levelShiftAfter`, when it is the new normal and is learnt at full weight.
 * Per cell: 4 bytes per KPI and sum, the window ring (16 bytes per period) and a few flags.
 */
import { RADIO_FAILURES_SIGNAL, type PmEvent } from '../model/index.js';
import type { AnomalyTracker, Finding } from './anomaly-tracker.js';
import { grownCapacity, resized } from './capacity.js';
import type { DetectorsConfig, RadioFailuresConfig } from './config.js';
import { ADMISSION_KPIS, CONGESTED_PRB, kpiCatalogue, kpiSeverity } from './hints.js';
import type { Interner } from './interner.js';
import { BadDirection } from './kpi-baseline.js';
import { negBinomialTailScore } from './stats.js';

/** A period this unlikely on its own (−log10 p) teaches at `BAD_WEIGHT`. */
const UNLIKELY = 3;
const BAD_WEIGHT = 0.1;
const F_ACTIVE = 1;

export class RadioFailureDetector {
  private readonly names: string[];
  private readonly up: boolean[];
  private readonly setup: boolean[];
  private readonly K: number;
  private readonly W: number;
  private readonly windows: number[];
  /** Decayed failures and attempts per cell and KPI. */
  private fail = new Float32Array(0);
  private att = new Float32Array(0);
  /** Periods learnt per cell (saturating). */
  private seen = new Uint16Array(0);
  private last = new Float64Array(0);
  /** Ring of the last W periods per cell: observed failures, expected, √(estimation variance). */
  private ringO = new Float32Array(0);
  private ringE = new Float32Array(0);
  private ringV = new Float32Array(0);
  /** …and the attempts behind them. */
  private ringA = new Float32Array(0);
  private head = new Uint8Array(0);
  private filled = new Uint8Array(0);
  private flags = new Uint8Array(0);
  private goodRun = new Uint8Array(0);
  private activeSince = new Float64Array(0);
  private readonly levelShiftAfter: number;
  /** Windows within 2σ of their expectation can be skipped: they cannot reach `clearScore`. */
  private readonly quickZero: boolean;
  /** Per-KPI failures and expectation of the period being judged (the finding's evidence). */
  private readonly periodFail: number[];
  private readonly periodExp: number[];
  /** …and its attempts (0: the KPI did not count this period). */
  private readonly periodAtt: number[];
  /** The window `sumWindow` summed last. */
  private sumO = 0;
  private sumE = 0;
  private sumV = 0;
  private sumA = 0;

  constructor(
    private readonly cfg: RadioFailuresConfig,
    detectors: DetectorsConfig,
    private readonly cells: Interner,
    private readonly tracker: AnomalyTracker,
    private readonly alarmedCell: (cellId: string) => boolean,
  ) {
    const catalogue = kpiCatalogue(detectors);
    this.names = [...cfg.kpis];
    this.up = this.names.map((name) => {
      const info = catalogue.get(name);
      if (!info || !info.isRate || info.dir === BadDirection.Both) {
        throw new Error(`detectors.radioFailures.kpis: ${name} is not a rate KPI with a bad direction (declare it in detectors.kpis with isRate and a direction)`);
      }
      return info.dir === BadDirection.Up;
    });
    // Setup rates a full cell's admission control lowers are left out at congestion-level PRB.
    this.setup = this.names.map((n) => ADMISSION_KPIS.includes(n));
    this.K = this.names.length;
    this.windows = [...cfg.windows].sort((a, b) => a - b);
    this.W = this.windows[this.windows.length - 1] ?? 1;
    this.levelShiftAfter = detectors.baseline.levelShiftAfter;
    this.quickZero = cfg.clearScore >= 2 && cfg.fireScore >= 2;
    this.periodFail = new Array(this.K).fill(0);
    this.periodExp = new Array(this.K).fill(NaN);
    this.periodAtt = new Array(this.K).fill(0);
  }

  get enabled(): boolean {
    return this.cfg.fireScore > 0 && this.K > 0;
  }

  private ensure(n: number): void {
    if (n <= this.seen.length) return;
    const cap = Math.max(n, grownCapacity(this.seen.length));
    const { K, W } = this;
    this.fail = resized(this.fail, cap * K);
    this.att = resized(this.att, cap * K);
    this.seen = resized(this.seen, cap);
    this.last = resized(this.last, cap, NaN);
    this.ringO = resized(this.ringO, cap * W);
    this.ringE = resized(this.ringE, cap * W);
    this.ringV = resized(this.ringV, cap * W);
    this.ringA = resized(this.ringA, cap * W);
    this.head = resized(this.head, cap);
    this.filled = resized(this.filled, cap);
    this.flags = resized(this.flags, cap);
    this.goodRun = resized(this.goodRun, cap);
    this.activeSince = resized(this.activeSince, cap);
  }

  observePm(ev: PmEvent, c: number): void {
    if (!this.enabled || ev.suspect === true || ev.attempts === undefined) return;
    this.ensure(c + 1);
    const periodMs = ev.period * 1000;
    const prev = this.last[c]!;
    if (!(ev.t > prev) && !Number.isNaN(prev)) return; // late or repeated: already counted
    // A gap breaks the window: its periods must be consecutive.
    if (Number.isNaN(prev) || ev.t - prev > 1.5 * periodMs) this.filled[c] = 0;
    this.last[c] = ev.t;

    const { K } = this;
    const judged = this.seen[c]! * periodMs >= this.cfg.minHistory;
    const full = (ev.kpis.prb_dl_utilization ?? 0) >= CONGESTED_PRB;
    let o = 0;
    let e = 0;
    let v = 0;
    let attempts = 0;
    for (let k = 0; k < K; k++) {
      this.periodExp[k] = NaN;
      this.periodFail[k] = 0;
      this.periodAtt[k] = 0;
      const a = ev.attempts[this.names[k]!];
      const x = ev.kpis[this.names[k]!];
      if (a === undefined || !(a > 0) || x === undefined || !Number.isFinite(x) || (full && this.setup[k])) continue;
      const share = Math.min(1, Math.max(0, x / 100));
      const bad = Math.round(a * (this.up[k] ? share : 1 - share));
      this.periodFail[k] = bad;
      this.periodAtt[k] = a;
      const i = c * K + k;
      if (!judged || this.att[i]! < this.cfg.minAttempts) continue;
      const learnt = this.fail[i]! + 0.5;
      const ek = (a * learnt) / this.att[i]!;
      this.periodExp[k] = ek;
      o += bad;
      e += ek;
      v += (ek * ek) / learnt;
      attempts += a;
    }
    const slot = c * this.W + this.head[c]!;
    this.ringO[slot] = o;
    this.ringE[slot] = e;
    this.ringV[slot] = Math.sqrt(v);
    this.ringA[slot] = attempts;
    this.head[c] = (this.head[c]! + 1) % this.W;
    if (this.filled[c]! < this.W) this.filled[c]!++;

    // Every window ending now; the most unlikely one speaks.
    let best = 0;
    let bestW = 0;
    let first = 0;
    for (const w of this.windows) {
      if (w > this.filled[c]!) break;
      this.sumWindow(c, w);
      const { sumO: ow, sumE: ew, sumV: sv } = this;
      if (!(ew > 0)) continue;
      // Expectations of the window's periods share one learnt probability: their errors add up.
      const d = this.cfg.dispersion + (sv * sv) / (ew * ew);
      // Within 2σ of the expectation the tail is above 2 % (−log10 < 2): nothing to compute.
      const score = this.quickZero && ow - ew <= 2 * Math.sqrt(ew + d * ew * ew) ? 0 : negBinomialTailScore(ow, ew, d);
      if (w === 1) first = score;
      if (score > best) {
        best = score;
        bestW = w;
      }
    }

    const active = (this.flags[c]! & F_ACTIVE) !== 0;
    // A finding that has lasted `levelShiftAfter` is the new normal: learnt at full weight again.
    const lasting = active && ev.t - this.activeSince[c]! >= this.levelShiftAfter;
    this.learn(c, lasting || !(active || first >= UNLIKELY) ? 1 : BAD_WEIGHT, periodMs);

    const key = `radio|${ev.cellId}`;
    if (best >= this.cfg.fireScore || (active && best >= this.cfg.clearScore)) {
      if (!active) {
        this.flags[c] = F_ACTIVE;
        this.activeSince[c] = ev.t;
      }
      this.goodRun[c] = 0;
      this.tracker.bad(key, ev.t, ev.t - bestW * periodMs, true, this.finding(ev, c, best, bestW));
      return;
    }
    if (!active) return;
    if (this.goodRun[c]! < 255) this.goodRun[c]!++;
    if (this.goodRun[c]! >= this.cfg.clearSamples || !this.tracker.has(key)) {
      this.tracker.clear(key, ev.t);
      this.flags[c] = 0;
      this.goodRun[c] = 0;
    }
  }

  /** Teaches the cell's failure probabilities this period's counts (`periodFail` of `periodAtt`), at `weight`. */
  private learn(c: number, weight: number, periodMs: number): void {
    const { K } = this;
    const alpha = Math.min(1, periodMs / this.cfg.memory) * weight;
    for (let k = 0; k < K; k++) {
      const a = this.periodAtt[k]!;
      if (a === 0) continue;
      const i = c * K + k;
      this.fail[i] = this.fail[i]! * (1 - alpha) + this.periodFail[k]! * weight;
      this.att[i] = this.att[i]! * (1 - alpha) + a * weight;
    }
    if (this.seen[c]! < 65535) this.seen[c]!++;
  }

  /** Sums of the last `w` periods of cell `c` into `sumO`, `sumE`, `sumV` and `sumA`. */
  private sumWindow(c: number, w: number): void {
    this.sumO = this.sumE = this.sumV = this.sumA = 0;
    for (let j = 1; j <= w; j++) {
      const s = c * this.W + ((this.head[c]! - j + this.W) % this.W);
      this.sumO += this.ringO[s]!;
      this.sumE += this.ringE[s]!;
      this.sumV += this.ringV[s]!;
      this.sumA += this.ringA[s]!;
    }
  }

  private finding(ev: PmEvent, c: number, score: number, periods: number): Finding {
    this.sumWindow(c, periods);
    const evidence: Finding['evidence'] = { observed: this.sumO, expected: round(this.sumE), periods, attempts: this.sumA };
    for (let k = 0; k < this.K; k++) {
      if (Number.isNaN(this.periodExp[k]!)) continue;
      evidence[`${this.names[k]}.failures`] = this.periodFail[k]!;
      evidence[`${this.names[k]}.expected`] = round(this.periodExp[k]!);
    }
    // Interference shows in drops and failed handovers; failures mostly in setups are some other degradation.
    let radioExcess = 0;
    let setupExcess = 0;
    for (let k = 0; k < this.K; k++) {
      if (Number.isNaN(this.periodExp[k]!)) continue;
      const excess = Math.max(0, this.periodFail[k]! - this.periodExp[k]!);
      if (this.setup[k]) setupExcess += excess;
      else radioExcess += excess;
    }
    const hint = this.alarmedCell(ev.cellId) || setupExcess > radioExcess ? 'degradation' : 'interference';
    return {
      source: 'pm', objectType: 'cell', objectId: ev.cellId, cellId: ev.cellId, signal: RADIO_FAILURES_SIGNAL, hint,
      severity: kpiSeverity(score, hint), score: round(score), evidence,
    };
  }

  toJSON(): unknown {
    return { kpis: this.names, windows: this.W };
  }

  snapshot(cellCount: number): ArrayBufferView[] {
    this.ensure(cellCount);
    const n = cellCount;
    return [
      this.fail.subarray(0, n * this.K), this.att.subarray(0, n * this.K), this.seen.subarray(0, n), this.last.subarray(0, n),
      this.ringO.subarray(0, n * this.W), this.ringE.subarray(0, n * this.W), this.ringV.subarray(0, n * this.W), this.ringA.subarray(0, n * this.W),
      this.head.subarray(0, n), this.filled.subarray(0, n), this.flags.subarray(0, n), this.goodRun.subarray(0, n),
      this.activeSince.subarray(0, n),
    ];
  }

  static readonly BLOBS = 13;

  /** Restores a snapshot; a checkpoint from another KPI list or window length starts afresh. */
  restore(json: unknown, blobs: Uint8Array[], cellCount: number): void {
    const j = json as { kpis?: string[]; windows?: number } | undefined;
    this.ensure(cellCount);
    if (!j || JSON.stringify(j.kpis) !== JSON.stringify(this.names) || j.windows !== this.W || blobs.length !== RadioFailureDetector.BLOBS) return;
    const targets = [this.fail, this.att, this.seen, this.last, this.ringO, this.ringE, this.ringV, this.ringA, this.head, this.filled, this.flags, this.goodRun, this.activeSince];
    targets.forEach((target, i) => {
      const b = blobs[i]!;
      const view = new (target.constructor as Float64ArrayConstructor)(b.buffer, b.byteOffset, b.byteLength / target.BYTES_PER_ELEMENT);
      target.set(view.subarray(0, Math.min(view.length, target.length)));
    });
  }
}

function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}
