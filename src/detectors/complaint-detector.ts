/**
 * Complaint spikes: unlinked complaints counted per cell and per district in buckets, the count of the
 * last `window` judged against the series' own hourly baseline with a Poisson tail. Only about 1–2 %
 * of affected subscribers complain, so a handful from one place with no network signal is still a
 * finding (it points at coverage). Buckets with no complaints teach the baseline too (lazily).
 * The same detector over `slowWindow` (key prefix `cmps`, signal `complaint_trickle`) finds chronic
 * trickles that never make a spike.
 */
import type { ComplaintEvent } from '../model/index.js';
import type { Topology } from '../inventory/topology.js';
import type { AnomalyTracker } from './anomaly-tracker.js';
import type { DetectorsConfig } from './config.js';
import { poissonTailScore } from './stats.js';

type SpikeObject = 'cell' | 'site' | 'district';

interface SpikeSeries {
  objectType: SpikeObject;
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

/** What one detector instance counts: its window, the smallest finding, and how its findings are named. */
export interface ComplaintWindow {
  window: number;
  minCount: number;
  keyPrefix: string;
  signal: string;
  /** Also count per site (a trickle around a hole between cells spreads over a site's sectors). */
  perSite?: boolean;
}

/** Learning rate, per bucket, of the network-wide complaint rate per cell (about a day at 1 h buckets). */
const NETWORK_ALPHA = 1 / 24;

export class ComplaintDetector {
  private readonly series = new Map<string, SpikeSeries>();
  private readonly windowBuckets: number;
  private readonly w: ComplaintWindow;
  /**
   * Complaints per cell and bucket across the network, learned: what a place with no history of its
   * own is judged against (the configured prior until complaints teach it).
   */
  private networkRate: number;
  private networkBucket = -1;
  private networkCount = 0;

  constructor(
    private readonly cfg: DetectorsConfig['complaints'], private readonly topology: Topology, private readonly tracker: AnomalyTracker,
    w?: ComplaintWindow,
  ) {
    this.w = w ?? { window: cfg.window, minCount: cfg.minCount, keyPrefix: 'cmp', signal: 'complaint_spike' };
    this.windowBuckets = Math.max(1, Math.round(this.w.window / cfg.bucket));
    this.networkRate = (cfg.priorPerCellHour * cfg.bucket) / 3_600_000;
  }

  observe(ev: ComplaintEvent): void {
    const loc = ev.complaint.location;
    let cellId = loc.cellId;
    if (cellId === undefined && loc.lat !== undefined && loc.lon !== undefined) cellId = this.topology.nearestCells(loc.lat, loc.lon, 1)[0]?.cellId;
    const district = loc.district ?? (cellId !== undefined ? this.topology.cell(cellId)?.district : undefined);
    this.learnNetwork(Math.floor(ev.t / this.cfg.bucket), 1);
    if (cellId !== undefined) this.count('cell', cellId, ev);
    if (cellId !== undefined && this.w.perSite) {
      const siteId = this.topology.cell(cellId)?.siteId;
      if (siteId !== undefined) this.count('site', siteId, ev);
    }
    if (district !== undefined) this.count('district', district, ev);
  }

  /** Counts complaints per bucket network-wide; each bucket that closes teaches the per-cell rate. */
  private learnNetwork(b: number, n: number): void {
    if (this.networkBucket < 0) this.networkBucket = b;
    if (b > this.networkBucket) {
      // The closed bucket teaches its count; each empty one after it decays the rate.
      this.networkRate += NETWORK_ALPHA * (this.networkCount / Math.max(1, this.topology.size) - this.networkRate);
      this.networkRate *= Math.pow(1 - NETWORK_ALPHA, b - this.networkBucket - 1);
      this.networkBucket = b;
      this.networkCount = 0;
    }
    if (b === this.networkBucket) this.networkCount += n;
  }

  /** Baseline complaints per bucket before a series has its own: the network's rate per cell, times its cells. */
  private prior(objectType: SpikeObject, objectId: string): number {
    // Never below a tenth of the configured prior: a quiet network must not make one complaint news.
    const perCell = Math.max(this.networkRate, (this.cfg.priorPerCellHour * this.cfg.bucket) / 3_600_000 / 10);
    if (objectType === 'cell') return perCell;
    const cells = objectType === 'site' ? this.topology.site(objectId)?.cellIds.length ?? 1 : this.topology.cellsInDistrict(objectId).length;
    return perCell * Math.max(1, cells);
  }

  private count(objectType: SpikeObject, objectId: string, ev: ComplaintEvent): void {
    const key = `${this.w.keyPrefix}|${objectType}|${objectId}`;
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
    if (k >= this.w.minCount && score >= this.cfg.score) {
      s.firing = true;
      s.firedCount = Math.max(s.firedCount, k);
      const windowStart = (s.bucket - this.windowBuckets + 1) * this.cfg.bucket;
      this.tracker.bad(key, t, windowStart, true, {
        source: 'complaints', objectType: s.objectType, objectId: s.objectId, ...(s.objectType === 'cell' ? { cellId: s.objectId } : {}),
        ...(s.objectType === 'site' ? { cells: [...(this.topology.site(s.objectId)?.cellIds ?? [])] } : {}),
        signal: this.w.signal, hint: 'coverage', severity: k >= 3 * this.w.minCount ? 'major' : 'minor', score: Math.round(score * 100) / 100,
        evidence: { complaints: k, expected: Math.round(mean * 1000) / 1000, windowS: this.w.window / 1000, categories: Object.entries(s.categories).map(([c, n]) => `${c}:${n}`).join(',') },
      });
    } else if (s.firing && k < this.cfg.clearFraction * s.firedCount) {
      s.firing = false;
      s.firedCount = 0;
      this.tracker.clear(key, t);
    }
  }

  advance(watermark: number): void {
    const b = Math.floor(watermark / this.cfg.bucket);
    this.learnNetwork(b, 0);
    for (const [key, s] of this.series) {
      if (b <= s.bucket) continue;
      this.roll(s, b);
      if (s.firing) this.evaluate(key, s, watermark);
      // Series back at their prior with nothing in the window are forgotten: bounded memory.
      if (!s.firing && s.counts.every((c) => c === 0) && s.rate <= this.prior(s.objectType, s.objectId) * 1.05) this.series.delete(key);
    }
  }

  toJSON(): unknown {
    return { series: [...this.series], networkRate: this.networkRate, networkBucket: this.networkBucket, networkCount: this.networkCount };
  }

  restore(json: unknown): void {
    this.series.clear();
    // Checkpoints written before the network rate was learned hold the series alone.
    const j = Array.isArray(json) ? { series: json as [string, SpikeSeries][] } : json as { series: [string, SpikeSeries][]; networkRate: number; networkBucket: number; networkCount: number };
    for (const [k, v] of j.series) this.series.set(k, v);
    if ('networkRate' in j) {
      this.networkRate = j.networkRate;
      this.networkBucket = j.networkBucket;
      this.networkCount = j.networkCount;
    }
  }
}
