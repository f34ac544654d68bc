/**
 * Complaint rate per district, recent against long-run, on event time. A complaint that names only a
 * district cannot be placed on a cell; what says it is about a problem rather than background is
 * that the district is complaining far more than usual right now. `excessShare` is the share of the
 * current rate above the learned background — the chance a complaint arriving now belongs to the
 * excess.
 */

interface DecayedCount {
  recent: number;
  baseline: number;
  /** Event time of the last update. */
  at: number;
  /** Event time of the first complaint seen: the baseline is not trusted before the warm-up. */
  since: number;
}

export interface ComplaintRateOptions {
  recentHalfLifeMs: number;
  baselineHalfLifeMs: number;
  warmupMs: number;
  /** Districts tracked at most (least recently seen forgotten first). */
  maxKeys?: number;
}

export class ComplaintRate {
  private readonly byKey = new Map<string, DecayedCount>();
  private readonly recentTau: number;
  private readonly baselineTau: number;

  constructor(private readonly opts: ComplaintRateOptions) {
    this.recentTau = opts.recentHalfLifeMs / Math.LN2;
    this.baselineTau = opts.baselineHalfLifeMs / Math.LN2;
  }

  /** Counts one complaint in `key` at event time `t`. */
  note(key: string, t: number): void {
    let c = this.byKey.get(key);
    if (!c) c = { recent: 0, baseline: 0, at: t, since: t };
    this.decay(c, t);
    c.recent += 1;
    c.baseline += 1;
    this.byKey.delete(key);
    this.byKey.set(key, c);
    const max = this.opts.maxKeys ?? 100_000;
    if (this.byKey.size > max) this.byKey.delete(this.byKey.keys().next().value as string);
  }

  /** 0..1: the share of the current complaint rate in `key` that is above its usual rate. */
  excessShare(key: string, t: number): number {
    const c = this.byKey.get(key);
    if (!c || t - c.since < this.opts.warmupMs) return 0;
    const dt = Math.max(0, t - c.at);
    const recentRate = (c.recent * Math.exp(-dt / this.recentTau)) / this.recentTau;
    // The baseline has only seen `t − since` of history; rate it over what it has seen.
    const seen = Math.min(this.baselineTau, t - c.since);
    const baselineRate = (c.baseline * Math.exp(-dt / this.baselineTau)) / Math.max(seen, this.recentTau);
    if (recentRate <= 0) return 0;
    return Math.max(0, Math.min(1, 1 - baselineRate / recentRate));
  }

  /** The recent (fast-decaying) count in `key` at `t`: 0 for a key never seen. */
  recent(key: string, t: number): number {
    const c = this.byKey.get(key);
    return c ? c.recent * Math.exp(-Math.max(0, t - c.at) / this.recentTau) : 0;
  }

  private decay(c: DecayedCount, t: number): void {
    const dt = t - c.at;
    if (dt <= 0) return;
    c.recent *= Math.exp(-dt / this.recentTau);
    c.baseline *= Math.exp(-dt / this.baselineTau);
    c.at = t;
  }
}
