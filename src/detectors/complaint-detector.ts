/**
 * Complaint spikes: unlinked complaints counted per cell and per district in buckets, the count of the
 * last `window` judged against the series' own hourly baseline with a Poisson tail. Only about 1–2 %
 * of affected subscribers complain, so a handful from one place with no network signal is still a
 * finding (it points at coverage). Buckets with no complaints teach the baseline too (lazily).
 */
import type { ComplaintEvent } from '../model/index.js';
import type { Topology } from '../inventory/topology.js';
import type { AnomalyTracker } from './anomaly-tracker.js';
import type { DetectorsConfig } from './config.js';
import { poissonTailScore } from './stats.js';

interface SpikeSeries {
  objectType: 'cell' | 'district';
  objectId: string;
  /** Bucket number of `counts[0]`'s newest slot. */
  bucket: number;
  /** Counts of the last `windowBuckets` buckets, newest last. */
  counts: number[];
  /** Learned complaints per bucket. */
  rate: number;
  firing: boolean;
  firedCount: number;
  categories: Record<string, number>;
}

export class ComplaintDetector {
  private readonly series = new Map<string, SpikeSeries>();
  private readonly windowBuckets: number;

  constructor(private readonly cfg: DetectorsConfig['complaints'], private readonly topology: Topology, private readonly tracker: AnomalyTracker) {
    this.windowBuckets = Math.max(1, Math.round(cfg.window / cfg.bucket));
  }

  observe(ev: ComplaintEvent): void {
    const loc = ev.complaint.location;
    let cellId = loc.cellId;
    if (cellId === undefined && loc.lat !== undefined && loc.lon !== undefined) cellId = this.topology.nearestCells(loc.lat, loc.lon, 1)[0]?.cellId;
    const district = loc.district ?? (cellId !== undefined ? this.topology.cell(cellId)?.district : undefined);
    if (cellId !== undefined) this.count('cell', cellId, ev);
    if (district !== undefined) this.count('district', district, ev);
  }

  /** Baseline complaints per bucket before a series has its own: per cell, or per district's cells. */
  private prior(objectType: 'cell' | 'district', objectId: string): number {
    const perCell = (this.cfg.priorPerCellHour * this.cfg.bucket) / 3_600_000;
    return objectType === 'cell' ? perCell : perCell * Math.max(1, this.topology.cellsInDistrict(objectId).length);
  }

  private count(objectType: 'cell' | 'district', objectId: string, ev: ComplaintEvent): void {
    const key = `cmp|${objectType}|${objectId}`;
    const b = Math.floor(ev.t / this.cfg.bucket);
    let s = this.series.get(key);
    if (!s) {
      s = { objectType, objectId, bucket: b, counts: new Array(this.windowBuckets).fill(0), rate: this.prior(objectType, objectId), firing: false, firedCount: 0, categories: {} };
      this.series.set(key, s);
    }
    this.roll(s, b);
    if (b < s.bucket - this.windowBuckets + 1) return; // older than the window: too late to matter
    s.counts[s.counts.length - 1 - (s.bucket - b)]++;
    s.categories[ev.complaint.category] = (s.categories[ev.complaint.category] ?? 0) + 1;
    this.evaluate(key, s, ev.t);
  }

  /** Moves the window to bucket `b`, teaching the baseline the buckets that left it. */
  private roll(s: SpikeSeries, b: number): void {
    if (b <= s.bucket) return;
    const steps = b - s.bucket;
    const a = this.cfg.alpha;
    for (let k = 0; k < Math.min(steps, this.windowBuckets); k++) {
      const leaving = s.counts.shift()!;
      // A spike's own complaints do not become the normal rate.
      if (!s.firing) s.rate += a * (leaving - s.rate);
      s.counts.push(0);
    }
    // Empty buckets beyond the window: the rate decays towards zero for each of them.
    if (steps > this.windowBuckets && !s.firing) s.rate *= Math.pow(1 - a, steps - this.windowBuckets);
    s.rate = Math.max(s.rate, this.prior(s.objectType, s.objectId) / 10);
    s.bucket = b;
    if (!s.firing && s.counts.every((c) => c === 0)) s.categories = {};
  }

  private evaluate(key: string, s: SpikeSeries, t: number): void {
    const k = s.counts.reduce((x, y) => x + y, 0);
    const mean = s.rate * this.windowBuckets;
    const score = poissonTailScore(k, mean);
    if (k >= this.cfg.minCount && score >= this.cfg.score) {
      s.firing = true;
      s.firedCount = Math.max(s.firedCount, k);
      const windowStart = (s.bucket - this.windowBuckets + 1) * this.cfg.bucket;
      this.tracker.bad(key, t, windowStart, true, {
        source: 'complaints', objectType: s.objectType, objectId: s.objectId, ...(s.objectType === 'cell' ? { cellId: s.objectId } : {}),
        signal: 'complaint_spike', hint: 'coverage', severity: k >= 3 * this.cfg.minCount ? 'major' : 'minor', score: Math.round(score * 100) / 100,
        evidence: { complaints: k, expected: Math.round(mean * 1000) / 1000, windowS: this.cfg.window / 1000, categories: Object.entries(s.categories).map(([c, n]) => `${c}:${n}`).join(',') },
      });
    } else if (s.firing && k < this.cfg.clearFraction * s.firedCount) {
      s.firing = false;
      s.firedCount = 0;
      this.tracker.clear(key, t);
    }
  }

  advance(watermark: number): void {
    const b = Math.floor(watermark / this.cfg.bucket);
    for (const [key, s] of this.series) {
      if (b <= s.bucket) continue;
      this.roll(s, b);
      if (s.firing) this.evaluate(key, s, watermark);
      // Series back at their prior with nothing in the window are forgotten: bounded memory.
      if (!s.firing && s.counts.every((c) => c === 0) && s.rate <= this.prior(s.objectType, s.objectId) * 1.05) this.series.delete(key);
    }
  }

  toJSON(): unknown {
    return [...this.series];
  }

  restore(json: unknown): void {
    this.series.clear();
    for (const [k, v] of json as [string, SpikeSeries][]) this.series.set(k, v);
  }
}
