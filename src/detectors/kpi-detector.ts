/**
 * PM KPIs and signaling failure ratios: one `KpiBaselines` series per (cell, KPI) and per (cell,
 * signaling procedure), the firing rule on top of its scores, the static thresholds, and the 24 h
 * history. Per-series state is in typed arrays indexed by series number; a series is created the
 * first time a (cell, KPI) pair is seen, whether or not the cell or the KPI is known.
 */
import { DEMAND_KPI, type PmEvent, type SignalingEvent } from '../model/index.js';
import type { Topology } from '../inventory/topology.js';
import type { CellDetail } from '../pipeline/stages.js';
import type { AnomalyTracker, Finding } from './anomaly-tracker.js';
import type { DetectorsConfig, ShiftRuleConfig, StaticThresholdConfig } from './config.js';
import { ADMISSION_KPIS, CONGESTED_PRB, kpiCatalogue, kpiHint, kpiSeverity, SEVERITY_SCORE, signalingHint, type KpiInfo } from './hints.js';
import { Interner } from './interner.js';
import { BadDirection, KpiBaselines, type KpiScore } from './kpi-baseline.js';
import { KpiHistory } from './kpi-history.js';
import { grownCapacity, resized } from './capacity.js';

/**
 * When the deviation of a bad period ending at `t` began: the period's start — or, for availability,
 * the moment the cell went down, counted back from the period's end by its unavailable time (71.6 % of
 * 15 minutes is down since 10:44 into the period; an outage usually lasts past the period's end, so
 * this is when it began, where the period's start would date it up to 15 minutes early).
 */
export function badSince(kpi: string, value: number, t: number, periodMs: number): number {
  if (kpi !== 'availability' || !(value >= 0 && value < 100)) return t - periodMs;
  return t - Math.min(periodMs, Math.round(((100 - value) / 100) * (periodMs / 1000)) * 1000);
}

/** KPI-name prefix of the signaling series (a KPI name cannot contain it: record schemas allow it, but it is ours). */
const SIGNALING_PREFIX = 'signaling.';
const SIGNALING_INFO: Omit<KpiInfo, 'name'> = { dir: BadDirection.Up, isRate: true };
/** Demand (RRC setup attempts) is bad when it is up: a plain count, no attempts of its own. */
const DEMAND_INFO: Omit<KpiInfo, 'name'> = { dir: BadDirection.Up, isRate: false };

/**
 * Setup success rates that admission control lowers on a full cell (`ADMISSION_KPIS`): their
 * expectation at congestion-level PRB gets a network-wide allowance, learnt per PRB band (2.5 points
 * wide from 85 %): the percentage points of setups a full cell turns away, so a cell busier than usual
 * (not faulty) does not read as failing, while failures beyond what its load explains still do.
 */
const LOAD_BAND = 2.5;
const LOAD_BANDS = 6;
/**
 * The allowance is the mean shortfall of the band's samples: a plain average over its first
 * 1 / LOAD_ALPHA samples, then an exponential one (network-wide, a band sees thousands a day).
 */
const LOAD_ALPHA = 0.005;
/** A sample moves the allowance by at most this many percentage points times its rate (a fault's collapse barely does). */
const LOAD_CLIP = 5;

/** A deviation (value or z) measured in the bad direction: positive is worse. */
function badSide(x: number, dir: BadDirection): number {
  return dir === BadDirection.Down ? -x : dir === BadDirection.Up ? x : Math.abs(x);
}

const S_ACTIVE = 1;
const S_FIRING = 2;
/** The finding was opened or confirmed by a slow scale (a drift no single sample shows). */
const S_SLOW = 4;

export class KpiDetector {
  readonly kpis = new Interner();
  private readonly info: (KpiInfo | undefined)[] = [];
  private readonly rules: (StaticThresholdConfig | undefined)[] = [];
  private readonly shifts: (ShiftRuleConfig | undefined)[] = [];
  readonly baselines: KpiBaselines;
  readonly history: KpiHistory;
  private readonly catalogue: Map<string, KpiInfo>;

  /** Series number per cell and KPI id (-1: none yet). */
  private seriesOf: Int32Array[] = [];
  private seriesCell = new Int32Array(64);
  private seriesKpi = new Int32Array(64);
  private badRun = new Uint8Array(64);
  /** Sum of the bad-direction z over the current bad run: confirmation looks at its mean. */
  private zSum = new Float32Array(64);
  /** Sum of the scores (−log10 p) over the current bad run: the evidence a confirmation needs. */
  private sSum = new Float32Array(64);
  private goodRun = new Uint8Array(64);
  /** Samples a slow-scale finding keeps the series bad for (the block it summarised). */
  private hold = new Uint16Array(64);
  /**
   * 1 + samples since the series' last firing finding cleared, while that is within the longest slow
   * scale; 0 otherwise. A slow-scale block still holding that reported excursion must not report it
   * again after it has cleared (a 45-minute failure would come back 2 hours later as a new finding).
   */
  private afterFiring = new Uint16Array(64);
  private readonly maxScale: number;
  private flags = new Uint8Array(64);
  /** Static threshold conditions currently bad: series → since (event time). */
  private readonly thresholdSince = new Map<number, number>();
  /** Learnt admission allowance (percentage points) per ADMISSION_KPIS entry and PRB band, and the samples that taught it. */
  private loadAllowance = new Float64Array(ADMISSION_KPIS.length * LOAD_BANDS);
  private loadSamples = new Float64Array(ADMISSION_KPIS.length * LOAD_BANDS);
  /** The allowance applied to the sample being judged (shown in its finding's evidence). */
  private applied = 0;

  constructor(
    private readonly cfg: DetectorsConfig,
    private readonly cells: Interner,
    private readonly topology: Topology,
    private readonly tracker: AnomalyTracker,
    private readonly alarmedCell: (cellId: string) => boolean,
  ) {
    this.catalogue = kpiCatalogue(cfg);
    this.maxScale = Math.max(1, ...cfg.baseline.scales);
    this.baselines = new KpiBaselines(cfg.baseline, cfg.timezoneOffsetMinutes, 1024);
    this.history = new KpiHistory(cfg.history.slots, cfg.history.slotMinutes);
  }

  get seriesCount(): number {
    return this.baselines.size;
  }

  /** Per-series bytes: baseline state, firing counters, history ring. */
  get bytesPerSeries(): { detector: number; history: number } {
    return { detector: this.baselines.bytesPerSeries + 4 * 2 + 8 + 4, history: this.history.bytesPerSeries };
  }

  /** KPI `k` is demand: its daily curve is deep and steep, and its profile is fitted by least squares. */
  private isDemand(k: number): boolean {
    return this.kpis.name(k) === DEMAND_KPI;
  }

  private kpiId(name: string): number {
    const k = this.kpis.id(name);
    if (this.info[k] === undefined) {
      this.info[k] = name.startsWith(SIGNALING_PREFIX) ? { name, ...SIGNALING_INFO }
        : name === DEMAND_KPI ? { name, ...DEMAND_INFO }
          : (this.catalogue.get(name) ?? { name, dir: BadDirection.Both, isRate: false });
      this.rules[k] = this.cfg.thresholds[name];
      this.shifts[k] = this.cfg.shifts[name];
    }
    return k;
  }

  private series(c: number, k: number): number {
    let row = this.seriesOf[c];
    if (row === undefined || k >= row.length) {
      const next = new Int32Array(Math.max(16, k + 8)).fill(-1);
      if (row) next.set(row);
      this.seriesOf[c] = row = next;
    }
    let s = row[k];
    if (s < 0) {
      s = this.baselines.add();
      if (this.isDemand(k)) this.baselines.fitLeastSquares(s);
      row[k] = s;
      if (s >= this.seriesCell.length) this.growSeries(s + 1);
      this.seriesCell[s] = c;
      this.seriesKpi[s] = k;
    }
    return s;
  }

  private growSeries(min: number): void {
    const cap = Math.max(min, grownCapacity(this.seriesCell.length));
    this.seriesCell = resized(this.seriesCell, cap);
    this.seriesKpi = resized(this.seriesKpi, cap);
    this.badRun = resized(this.badRun, cap);
    this.zSum = resized(this.zSum, cap);
    this.sSum = resized(this.sSum, cap);
    this.goodRun = resized(this.goodRun, cap);
    this.hold = resized(this.hold, cap);
    this.afterFiring = resized(this.afterFiring, cap);
    this.flags = resized(this.flags, cap);
  }

  observePm(ev: PmEvent, c: number): void {
    const kpis = ev.kpis;
    const attempts = ev.attempts;
    const suspect = ev.suspect === true;
    const periodMs = ev.period * 1000;
    for (const name in kpis) {
      const v = kpis[name];
      if (!Number.isFinite(v)) continue;
      const k = this.kpiId(name);
      const info = this.info[k]!;
      const s = this.series(c, k);
      const a = attempts !== undefined && attempts[name] !== undefined ? attempts[name] : NaN;
      const slot = this.loadSlot(name, kpis.prb_dl_utilization);
      this.applied = slot >= 0 ? this.loadAllowance[slot]! : 0;
      const x = slot >= 0 ? Math.min(100, v + this.applied) : v;
      const r = this.baselines.update(s, ev.t, x, info.isRate ? a : NaN, info.dir, !suspect);
      if (slot >= 0 && r.warm && !suspect) this.learnLoad(slot, r, v);
      const shift = this.shifts[k];
      if (shift !== undefined && r.warm) this.shifted(r, v, info.dir, shift);
      this.history.put(s, ev.t, v);
      this.fire(s, ev.t, periodMs, r, info.dir, suspect, ev, name, v, a);
      this.applied = 0;
      const rule = this.rules[k];
      if (rule) this.threshold(s, ev, rule, name, v, suspect);
    }
    const demand = attempts?.rrc_setup_success_rate;
    if (demand !== undefined && Number.isFinite(demand) && this.cfg.demand.minRatio > 0 && !(DEMAND_KPI in kpis)) {
      this.observeDemand(ev, c, demand, suspect, periodMs);
    }
  }

  /**
   * The demand series: learnt always, judged only while the cell is full (PRB at congestion level) and
   * its attempts are `demand.minRatio` times their expectation, or in a surge (`surgeRatio` times and
   * `surgeZ` σ); otherwise it reads as ordinary, which also lets a finding clear once the cell has room
   * again or the surge ebbs. Two such periods (`minZ` σ up) confirm.
   */
  private observeDemand(ev: PmEvent, c: number, attempts: number, suspect: boolean, periodMs: number): void {
    const s = this.series(c, this.kpiId(DEMAND_KPI));
    const r = this.baselines.update(s, ev.t, attempts, NaN, BadDirection.Up, !suspect);
    this.history.put(s, ev.t, attempts);
    const prb = ev.kpis.prb_dl_utilization;
    const d = this.cfg.demand;
    const known = Number.isFinite(r.expected) && r.expected > 0;
    const full = known && prb !== undefined && prb >= CONGESTED_PRB && attempts >= d.minRatio * r.expected;
    const surge = known && d.surgeRatio > 0 && attempts >= d.surgeRatio * r.expected && r.z >= d.surgeZ;
    if (!full && !surge) {
      r.z = 0;
      r.score = 0;
      r.scale = 1;
      r.scaleZ = 0;
    } else if (r.z >= this.cfg.firing.minZ) {
      // A plain count's calibrated tail is cautious (z = 25 may score 3): the ratio is the evidence
      // here. A surge on a cell with room is half a confirmation (`confirmSamples` such periods in a
      // row confirm, as for any finding). A full cell is a congestion, a minor one; with demand
      // `surgeRatio` times its expectation, a major one, confirmed at once: its users are being turned
      // away, and no other feed will say so before they complain.
      const grave = full && d.surgeRatio > 0 && attempts >= d.surgeRatio * r.expected;
      r.score = Math.max(r.score, full ? SEVERITY_SCORE[grave ? 'major' : 'minor'] : this.oneSampleEvidence);
    }
    this.fire(s, ev.t, periodMs, r, BadDirection.Up, suspect, ev, DEMAND_KPI, attempts, NaN);
  }

  /** The score of a sample that is evidence in itself: `confirmSamples` such in a row confirm. */
  private get oneSampleEvidence(): number {
    return this.cfg.firing.confirmScore / this.cfg.firing.confirmSamples;
  }

  /**
   * A shift rule: a sample `by` beyond its expectation in the bad direction and `minZ` σ is evidence
   * of its own (half a confirmation's), whatever the series' calibrated tail says.
   */
  private shifted(r: KpiScore, v: number, dir: BadDirection, rule: ShiftRuleConfig): void {
    if (!Number.isFinite(r.expected)) return;
    const evidence = this.oneSampleEvidence;
    if (badSide(v - r.expected, dir) >= rule.by && badSide(r.z, dir) >= rule.minZ && r.score < evidence) {
      // The sample itself is the evidence (not a slow scale's block).
      r.score = evidence;
      r.scale = 1;
      r.scaleZ = r.z;
    }
  }

  /** The allowance slot for a KPI at a cell's PRB, or -1 (not a setup rate, or PRB below congestion level). */
  private loadSlot(name: string, prb: number | undefined): number {
    if (prb === undefined || !(prb >= CONGESTED_PRB)) return -1;
    const k = ADMISSION_KPIS.indexOf(name);
    return k < 0 ? -1 : k * LOAD_BANDS + Math.min(LOAD_BANDS - 1, Math.floor((prb - CONGESTED_PRB) / LOAD_BAND));
  }

  /**
   * Teaches a band's allowance what the sample fell short of its load-free expectation (each sample's
   * pull clipped, so a fault's collapse barely moves it). Cells that are full every busy hour learnt
   * the allowance into their own profile and are neutral (they fall short of it by about it); cells
   * busier than usual teach it.
   */
  private learnLoad(slot: number, r: KpiScore, v: number): void {
    if (!Number.isFinite(r.expected)) return;
    const n = ++this.loadSamples[slot]!;
    const cur = this.loadAllowance[slot]!;
    const pull = Math.max(-LOAD_CLIP, Math.min(LOAD_CLIP, r.expected - v - cur));
    this.loadAllowance[slot] = Math.max(0, cur + Math.max(1 / n, LOAD_ALPHA) * pull);
  }

  observeSignaling(ev: SignalingEvent, c: number): void {
    if (ev.attempts <= 0) return;
    const name = SIGNALING_PREFIX + ev.procedure;
    const k = this.kpiId(name);
    const s = this.series(c, k);
    const ratio = (100 * ev.failures) / ev.attempts;
    const r = this.baselines.update(s, ev.t, ratio, ev.attempts, BadDirection.Up, true);
    this.history.put(s, ev.t, ratio);
    this.fire(s, ev.t, ev.period * 1000, r, BadDirection.Up, false, ev, name, ratio, ev.attempts);
  }

  /**
   * The firing rule. Opening: calibrated evidence (score) and a deviation of `minZ` σ in the bad
   * direction (a slow scale needs `slowMinZ` for its block mean). Pending: held while the deviation
   * stays above `clearZ`; confirmed after `confirmSamples` such samples whose mean deviation is still
   * `minZ` (binomial noise on a faulty rate makes single samples wobble), or at once by an
   * overwhelming score or a slow-scale finding (which already summarises a block). Firing: held while
   * the deviation is `clearZ` or more or a slow scale still sees it; clears after `clearSamples`.
   */
  private fire(s: number, t: number, periodMs: number, r: KpiScore, dir: BadDirection, suspect: boolean, ev: PmEvent | SignalingEvent, name: string, v: number, a: number): void {
    const f = this.cfg.firing;
    const flags = this.flags[s];
    const active = (flags & S_ACTIVE) !== 0;
    const firing = (flags & S_FIRING) !== 0;
    const zb = badSide(r.z, dir);
    const slow = r.scale > 1;
    const history = this.baselines.samples(s) * periodMs;
    // `fire` runs right after the series' `update`: the baseline still knows which knots it used.
    const learnt = r.warm && history >= f.minHistory && (f.minProfileDays === 0 || this.baselines.lastProfileDays(periodMs) >= f.minProfileDays);
    // A young rate (its first days: a daily profile learnt once, its tail not calibrated yet) fires
    // only on a deviation no noise explains, sustained over the confirmation samples. Only rates: their
    // σ has a binomial part known from the attempts, while a young plain KPI's σ may be far off either
    // way (static thresholds cover availability and PRB meanwhile).
    const young = !learnt && f.youngMinZ > 0 && history >= f.youngHistory && !slow && a > 0;
    const since = this.afterFiring[s];
    const opens = learnt
      ? r.score >= f.badScore && (slow
        ? Math.abs(r.scaleZ) >= f.slowMinZ && (active || (zb >= f.slowOpenLastZ && (since === 0 || since > r.scale)))
        : zb >= f.minZ)
      : young && zb >= f.youngMinZ;
    const holds = active && (zb >= f.clearZ || (firing && slow && r.score >= f.badScore && Math.abs(r.scaleZ) >= f.clearZ));
    // Suspect values never start an anomaly; they may keep one alive.
    const isBad = (opens && !(suspect && !active)) || holds;
    if (isBad) {
      this.goodRun[s] = 0;
      if (this.badRun[s] < 255) this.badRun[s]++;
      this.zSum[s] = (this.badRun[s] === 1 ? 0 : this.zSum[s]) + zb;
      this.sSum[s] = (this.badRun[s] === 1 ? 0 : this.sSum[s]) + r.score;
      // A slow scale's finding stands until its next block: the samples one by one do not show a drift.
      // A finding the samples themselves confirmed clears on them, even while blocks still hold its past.
      // Only a finding the samples had not opened is held: a block that confirms an excursion its
      // samples already showed pending (a 45-minute core failure, two samples short of confirming on
      // their own) confirms it, and it clears on the samples like any other — not a block later.
      const slowBorn = (flags & S_SLOW) !== 0 || (slow && !active);
      if (slow && slowBorn) this.hold[s] = r.scale;
      const run = this.badRun[s];
      const confirmed = firing || (!suspect && (learnt
        ? (run >= f.confirmSamples && this.zSum[s] / run >= f.minZ && this.sSum[s] >= f.confirmScore) || r.score >= f.immediateScore || (slow && opens)
        : run >= f.confirmSamples && this.zSum[s] / run >= f.youngMinZ));
      const startedAt = r.scale === 1 ? badSince(name, v, t, periodMs) : t - periodMs * r.scale;
      this.tracker.bad(this.key(s), t, startedAt, confirmed, this.finding(s, ev, name, v, a, r));
      this.flags[s] = flags | S_ACTIVE | (confirmed ? S_FIRING : 0) | (slowBorn ? S_SLOW : 0);
      return;
    }
    this.badRun[s] = 0;
    if (!active) {
      if (since > 0) this.afterFiring[s] = since > this.maxScale ? 0 : since + 1;
      return;
    }
    if (this.hold[s] > 0) {
      this.hold[s]--;
      return;
    }
    if (this.goodRun[s] < 255) this.goodRun[s]++;
    // A pending anomaly that is not kept up dies at once; a firing one after `clearSamples`.
    if (!firing || this.goodRun[s] >= f.clearSamples || !this.tracker.has(this.key(s))) {
      this.tracker.clear(this.key(s), t);
      if (firing) this.afterFiring[s] = 1;
      this.flags[s] = flags & ~(S_ACTIVE | S_FIRING | S_SLOW);
      this.goodRun[s] = 0;
    }
  }

  private key(s: number): string {
    const name = this.kpis.name(this.seriesKpi[s]);
    const cell = this.cells.name(this.seriesCell[s]);
    return name.startsWith(SIGNALING_PREFIX) ? `sig|${cell}|${name.slice(SIGNALING_PREFIX.length)}` : `pm|${cell}|${name}`;
  }

  private finding(s: number, ev: PmEvent | SignalingEvent, name: string, v: number, a: number, r: KpiScore): Finding {
    const cellId = ev.cellId;
    const evidence: Finding['evidence'] = {
      observed: round(v),
      expected: Number.isFinite(r.expected) ? round(r.expected) : null,
      sigma: round(r.sigma),
      z: round(r.z),
      scale: r.scale,
    };
    if (r.scale > 1) evidence.scaleZ = round(r.scaleZ);
    if (Number.isFinite(a)) evidence.attempts = a;
    // `expected` includes the load allowance: the share of setups a cell this full turns away.
    if (this.applied > 0) evidence.loadAllowance = round(this.applied);
    if (name === DEMAND_KPI && ev.kind === 'pm') evidence.prb = ev.kpis.prb_dl_utilization ?? null;
    if (ev.kind === 'signaling') {
      evidence.failures = ev.failures;
      if (ev.affectedSubscribers !== undefined) evidence.affectedSubscribers = ev.affectedSubscribers;
      if (ev.topCause) evidence.topCause = ev.topCause;
      const hint = signalingHint(ev.procedure);
      return { source: 'signaling', objectType: 'cell', objectId: cellId, cellId, signal: ev.procedure, hint, severity: kpiSeverity(r.score, hint), score: round(r.score), evidence };
    }
    const prb = ev.kpis.prb_dl_utilization ?? NaN;
    const hint = kpiHint(name, prb, this.alarmedCell(cellId));
    return { source: 'pm', objectType: 'cell', objectId: cellId, cellId, signal: name, hint, severity: kpiSeverity(r.score, hint), score: round(r.score), evidence };
  }

  /** A static threshold with `for:` and hysteresis, per KPI, overridable per area class. */
  private threshold(s: number, ev: PmEvent, rule: StaticThresholdConfig, name: string, v: number, suspect: boolean): void {
    const area = this.topology.cell(ev.cellId)?.areaClass;
    const o = area !== undefined ? rule.byAreaClass[area] : undefined;
    const below = o?.below ?? rule.below;
    const above = o?.above ?? rule.above;
    const bad = (below !== null && v < below) || (above !== null && v > above);
    const since = this.thresholdSince.get(s);
    const key = `thr|${ev.cellId}|${name}`;
    if (bad) {
      if (suspect && since === undefined) return;
      const start = since ?? ev.t - ev.period * 1000;
      if (since === undefined) this.thresholdSince.set(s, start);
      const firstBadAt = start + ev.period * 1000;
      const hint = kpiHint(name, ev.kpis.prb_dl_utilization ?? NaN, this.alarmedCell(ev.cellId));
      // The anomaly opens on the first bad period, dated when the deviation began within it.
      this.tracker.bad(key, ev.t, since === undefined ? badSince(name, v, ev.t, ev.period * 1000) : start, !suspect && ev.t - firstBadAt >= rule.for, {
        source: 'pm', objectType: 'cell', objectId: ev.cellId, cellId: ev.cellId, signal: name, hint,
        severity: rule.severity, score: 0,
        evidence: { observed: round(v), threshold: below !== null && v < below ? below : above, rule: below !== null && v < below ? 'below' : 'above', static: true },
      });
      return;
    }
    if (since === undefined) return;
    const cleared = (below === null || v >= below + rule.hysteresis) && (above === null || v <= above - rule.hysteresis);
    if (cleared) {
      this.thresholdSince.delete(s);
      this.tracker.clear(key, ev.t);
    }
  }

  /** KPI history and baseline band of a cell. */
  detail(cellId: string): CellDetail['kpis'] {
    const out: CellDetail['kpis'] = {};
    const c = this.cells.find(cellId);
    const row = c >= 0 ? this.seriesOf[c] : undefined;
    if (!row) return out;
    const band = this.cfg.firing.minZ;
    for (let k = 0; k < row.length; k++) {
      const s = row[k];
      if (s < 0) continue;
      const { t, value } = this.history.read(s);
      const expected: (number | null)[] = [];
      const lower: (number | null)[] = [];
      const upper: (number | null)[] = [];
      for (const tt of t) {
        const e = this.baselines.expectedAt(s, tt);
        const ok = Number.isFinite(e.expected) && Number.isFinite(e.sigma);
        expected.push(ok ? round(e.expected) : null);
        lower.push(ok ? round(e.expected - band * e.sigma) : null);
        upper.push(ok ? round(e.expected + band * e.sigma) : null);
      }
      out[this.kpis.name(k)] = { t, value, expected, lower, upper };
    }
    return out;
  }

  toJSON(): unknown {
    return { kpis: this.kpis.toJSON(), thresholdSince: [...this.thresholdSince], loadAllowance: [...this.loadAllowance], loadSamples: [...this.loadSamples] };
  }

  snapshot(): ArrayBufferView[] {
    const n = this.baselines.size;
    const triples = new Int32Array(n * 2);
    for (let s = 0; s < n; s++) {
      triples[2 * s] = this.seriesCell[s];
      triples[2 * s + 1] = this.seriesKpi[s];
    }
    const { arrays } = this.baselines.snapshot();
    return [
      triples, this.badRun.subarray(0, n), this.goodRun.subarray(0, n), this.hold.subarray(0, n), this.flags.subarray(0, n),
      ...arrays, ...this.history.snapshot(n), this.afterFiring.subarray(0, n),
    ];
  }

  /** Number of blobs `snapshot` writes (checkpoints before `afterFiring` had one fewer: see `restore`). */
  static readonly BLOBS = 5 + 7 + 2 + 1;

  restore(json: unknown, blobs: Uint8Array[], count: number, legacyBaselines = false): void {
    const j = json as { kpis: string[]; thresholdSince: [number, number][]; loadAllowance?: number[]; loadSamples?: number[] };
    // Checkpoints from before the allowance (or with other bands) start it afresh.
    this.loadAllowance = new Float64Array(ADMISSION_KPIS.length * LOAD_BANDS);
    this.loadSamples = new Float64Array(ADMISSION_KPIS.length * LOAD_BANDS);
    if (j.loadAllowance?.length === this.loadAllowance.length && j.loadSamples?.length === this.loadSamples.length) {
      this.loadAllowance.set(j.loadAllowance);
      this.loadSamples.set(j.loadSamples);
    }
    for (const name of j.kpis) this.kpiId(name);
    const triples = new Int32Array(blobs[0].buffer, blobs[0].byteOffset, blobs[0].byteLength / 4);
    if (triples.length !== count * 2) throw new Error('KPI checkpoint: series table does not match');
    this.baselines.restore(count, blobs.slice(5, 12), legacyBaselines);
    this.growSeries(count + 1);
    this.seriesOf = [];
    for (let s = 0; s < count; s++) {
      const c = triples[2 * s];
      const k = triples[2 * s + 1];
      let row = this.seriesOf[c];
      if (row === undefined || k >= row.length) {
        const next = new Int32Array(Math.max(16, k + 8)).fill(-1);
        if (row) next.set(row);
        this.seriesOf[c] = row = next;
      }
      row[k] = s;
      this.seriesCell[s] = c;
      this.seriesKpi[s] = k;
      // Checkpoints from before the least-squares demand profile: its fit takes over from the means.
      if (this.isDemand(k)) this.baselines.fitLeastSquares(s);
    }
    this.badRun.set(blobs[1]);
    this.goodRun.set(blobs[2]);
    this.hold.set(new Uint16Array(blobs[3].buffer, blobs[3].byteOffset, blobs[3].byteLength / 2));
    this.flags.set(blobs[4]);
    // Older checkpoints have no `afterFiring`: no finding counts as recently cleared.
    if (blobs[14] && blobs[14].byteLength > 0) this.afterFiring.set(new Uint16Array(blobs[14].buffer, blobs[14].byteOffset, blobs[14].byteLength / 2));
    this.history.restore(count, new Float32Array(blobs[12].buffer, blobs[12].byteOffset, blobs[12].byteLength / 4), new Int32Array(blobs[13].buffer, blobs[13].byteOffset, blobs[13].byteLength / 4));
    this.thresholdSince.clear();
    for (const [s, since] of j.thresholdSince) this.thresholdSince.set(s, since);
  }
}

function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}
