/**
 * Complaint spikes: unlinked complaints counted per cell and per district in buckets, the count of the
 * last `window` judged against the series' own baseline with a Poisson tail: its mean rate, learned
 * per bucket, shaped by the hour of the day as the whole network's complaints are (people complain
 * in the afternoon, hardly at night; a midday window expects about twice the day's mean). Only about 1–2 %
 * of affected subscribers complain, so a handful from one place with no network signal is still a
 * finding (it points at coverage). Buckets with no complaints teach the baseline too (lazily).
 * The same detector over `slowWindow` (key prefix `cmps`, signal `complaint_trickle`) finds chronic
 * trickles that never make a spike; over `slowWindow` again, counting only complaints placed beyond
 * the reach of every site (key prefix `cmpg`, signal `complaint_coverage_gap`), it finds holes between
 * sites that draw too few complaints to stand out among a site's ordinary ones.
 */
import { DAY, HOUR, type ComplaintEvent } from '../model/index.js';
import { siteSpacingKm, type Topology } from '../inventory/topology.js';
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
  /** Where the newest complaint counted by a coverage-gap series was, and how far from the site. */
  last?: { lat: number; lon: number; km: number };
}

/** What one detector instance counts: its window, the smallest finding, and how its findings are named. */
export interface ComplaintWindow {
  window: number;
  minCount: number;
  keyPrefix: string;
  signal: string;
  /**
   * The objects counted: by default the complaint's cell and district; a trickle around a hole
   * between cells spreads over a site's sectors, so the slow window counts per site too.
   */
  objects?: readonly SpikeObject[];
  /**
   * Count only complaints placed by lat/lon beyond every site's reach (see `complaints.gap`), for the
   * sites about as near as the nearest (`objects` does not apply).
   */
  beyondReach?: { minKm: number; spacingFactor: number };
  /** Overrides `complaints.priorPerCellHour` (what this window counts is rarer than complaints at large). */
  priorPerCellHour?: number;
}

const CELL_AND_DISTRICT: readonly SpikeObject[] = ['cell', 'district'];
/** An out-of-reach complaint counts for the sites within this multiple of the nearest one's distance… */
const GAP_SPREAD = 1.3;
/** …at most this many. */
const GAP_SITES = 3;

/** Learning rate, per bucket, of the network-wide complaint rate per cell (about a day at 1 h buckets). */
const NETWORK_ALPHA = 1 / 24;
/** Learning rate of the network's complaints at each hour of the day, per day (about a week). */
const HOUR_ALPHA = 1 / 7;
/** Days each hour of the day must have been seen before the daily shape is used. */
const HOUR_MIN_DAYS = 3;
/** A bucket teaches its hour at most this multiple of what it usually holds (an outage's burst is not the daily rhythm). */
const HOUR_CLIP = 3;
/** The daily shape never scales an hour below this share of the day's mean (a quiet night is still judged). */
const HOUR_FLOOR = 0.1;

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
  /**
   * The network's complaints per cell and bucket at each local hour of the day, learned (people
   * complain in the afternoon, hardly at night): the daily shape every series is judged with.
   */
  private readonly hourly = new Float64Array(24);
  private readonly hourlyDays = new Uint16Array(24);
  private readonly objects: ReadonlySet<SpikeObject>;
  private readonly priorPerCellHour: number;
  /** Each site's distance to its nearest neighbouring site (km, 0 when it has none), for `beyondReach`. */
  private spacing = new Map<string, number>();
  private spacingVersion = -1;

  constructor(
    private readonly cfg: DetectorsConfig['complaints'], private readonly topology: Topology, private readonly tracker: AnomalyTracker,
    w?: ComplaintWindow,
    /** The network's local time offset, ms: the daily shape is by local hour. */
    private readonly tzMs = 0,
  ) {
    this.w = w ?? { window: cfg.window, minCount: cfg.minCount, keyPrefix: 'cmp', signal: 'complaint_spike' };
    this.windowBuckets = Math.max(1, Math.round(this.w.window / cfg.bucket));
    this.objects = new Set(this.w.objects ?? CELL_AND_DISTRICT);
    this.priorPerCellHour = this.w.priorPerCellHour ?? cfg.priorPerCellHour;
    this.networkRate = (this.priorPerCellHour * cfg.bucket) / 3_600_000;
  }

  observe(ev: ComplaintEvent): void {
    const loc = ev.complaint.location;
    let cellId = loc.cellId;
    let km: number | undefined;
    if (cellId === undefined && loc.lat !== undefined && loc.lon !== undefined) {
      const near = this.topology.nearestCells(loc.lat, loc.lon, 1)[0];
      cellId = near?.cellId;
      km = near?.km;
    }
    const siteId = cellId !== undefined ? this.topology.cell(cellId)?.siteId : undefined;
    if (this.w.beyondReach) {
      if (km === undefined || siteId === undefined || !this.beyondReach(siteId, km, this.w.beyondReach)) return;
      this.learnNetwork(Math.floor(ev.t / this.cfg.bucket), 1);
      // A hole lies between sites: the complaint counts for each site about as near as the nearest.
      const p = { lat: loc.lat as number, lon: loc.lon as number };
      for (const [site, d] of this.sitesAround(p.lat, p.lon, km)) this.count('site', site, ev, { ...p, km: Math.round(d * 100) / 100 });
      return;
    }
    const district = loc.district ?? (cellId !== undefined ? this.topology.cell(cellId)?.district : undefined);
    this.learnNetwork(Math.floor(ev.t / this.cfg.bucket), 1);
    if (cellId !== undefined && this.objects.has('cell')) this.count('cell', cellId, ev);
    if (siteId !== undefined && this.objects.has('site')) this.count('site', siteId, ev);
    // One a live network incident nearly explains is no evidence of a district problem of its own.
    if (district !== undefined && this.objects.has('district') && ev.nearIncident === undefined) this.count('district', district, ev);
  }

  /** Up to GAP_SITES sites within GAP_SPREAD × the nearest site's distance of a point, with their distances. */
  private sitesAround(lat: number, lon: number, nearestKm: number): Map<string, number> {
    const out = new Map<string, number>();
    for (const n of this.topology.nearestCells(lat, lon, 8 * GAP_SITES, GAP_SPREAD * nearestKm)) {
      const site = this.topology.cell(n.cellId)?.siteId;
      if (site === undefined || out.has(site)) continue;
      if (out.size === GAP_SITES) break;
      out.set(site, n.km);
    }
    return out;
  }

  /** True when a point `km` from its nearest site, `siteId`, lies beyond what the site's spacing explains. */
  private beyondReach(siteId: string, km: number, r: { minKm: number; spacingFactor: number }): boolean {
    if (this.spacingVersion !== this.topology.version) {
      this.spacing.clear();
      this.spacingVersion = this.topology.version;
    }
    let spacing = this.spacing.get(siteId);
    if (spacing === undefined) {
      spacing = siteSpacingKm(this.topology, siteId) ?? 0;
      this.spacing.set(siteId, spacing);
    }
    return km > Math.max(r.minKm, r.spacingFactor * spacing);
  }

  /** Counts complaints per bucket network-wide; each bucket that closes teaches the per-cell rate and its hour. */
  private learnNetwork(b: number, n: number): void {
    if (this.networkBucket < 0) this.networkBucket = b;
    if (b > this.networkBucket) {
      // The closed bucket teaches its count; each empty one after it decays the rate.
      const perCell = this.networkCount / Math.max(1, this.topology.size);
      this.networkRate += NETWORK_ALPHA * (perCell - this.networkRate);
      this.networkRate *= Math.pow(1 - NETWORK_ALPHA, b - this.networkBucket - 1);
      this.learnHour(this.networkBucket, perCell);
      for (let e = this.networkBucket + 1; e < b && e <= this.networkBucket + 24; e++) this.learnHour(e, 0);
      this.networkBucket = b;
      this.networkCount = 0;
    }
    if (b === this.networkBucket) this.networkCount += n;
  }

  private hourOf(bucket: number): number {
    const local = (((bucket * this.cfg.bucket + this.tzMs) % DAY) + DAY) % DAY;
    return Math.floor(local / HOUR);
  }

  private learnHour(bucket: number, perCell: number): void {
    const h = this.hourOf(bucket);
    const days = this.hourlyDays[h]!;
    const cur = this.hourly[h]!;
    // Clipped at a multiple of the hour's usual, or at the day's mean if that is more: an hour that
    // was quiet for days still learns, within a week, once complaints start coming then.
    const dayMean = this.hourly.reduce((a, v) => a + v, 0) / 24;
    const x = days >= HOUR_MIN_DAYS ? Math.min(perCell, Math.max(HOUR_CLIP * cur, dayMean)) : perCell;
    this.hourly[h] = cur + Math.max(HOUR_ALPHA, 1 / (days + 1)) * (x - cur);
    if (days < 65535) this.hourlyDays[h] = days + 1;
  }

  /**
   * How busy the hour of `bucket` is against the day's mean (1 for a window of a day or more, until
   * every hour has been seen on `HOUR_MIN_DAYS` days, or when nothing was learned).
   */
  private shape(bucket: number): number {
    // A window of a day or more holds every hour alike.
    if (this.w.window >= DAY) return 1;
    let sum = 0;
    for (let h = 0; h < 24; h++) {
      if (this.hourlyDays[h]! < HOUR_MIN_DAYS) return 1;
      sum += this.hourly[h]!;
    }
    if (!(sum > 0)) return 1;
    return Math.max(HOUR_FLOOR, (24 * this.hourly[this.hourOf(bucket)]!) / sum);
  }

  /** Baseline complaints per bucket before a series has its own: the network's rate per cell, times its cells. */
  private prior(objectType: SpikeObject, objectId: string): number {
    // Never below a tenth of the configured prior: a quiet network must not make one complaint news.
    const perCell = Math.max(this.networkRate, (this.priorPerCellHour * this.cfg.bucket) / 3_600_000 / 10);
    if (objectType === 'cell') return perCell;
    const cells = objectType === 'site' ? this.topology.site(objectId)?.cellIds.length ?? 1 : this.topology.cellsInDistrict(objectId).length;
    return perCell * Math.max(1, cells);
  }

  private count(objectType: SpikeObject, objectId: string, ev: ComplaintEvent, last?: SpikeSeries['last']): void {
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
    if (last) s.last = last;
    this.evaluate(key, s, ev.t);
  }

  /** Moves the window to bucket `b`, teaching the baseline the buckets that left it. */
  private roll(s: SpikeSeries, b: number): void {
    if (b <= s.bucket) return;
    const steps = b - s.bucket;
    const a = this.cfg.alpha;
    for (let k = 0; k < Math.min(steps, this.windowBuckets); k++) {
      const leaving = s.counts.shift()!;
      // A spike's own complaints do not become the normal rate. The rate is the day's mean: a bucket
      // teaches its count over how busy its hour is.
      if (!s.firing) s.rate += a * (leaving / this.shape(s.bucket - this.windowBuckets + 1 + k) - s.rate);
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
    let busy = 0;
    for (let j = 0; j < this.windowBuckets; j++) busy += this.shape(s.bucket - this.windowBuckets + 1 + j);
    const mean = s.rate * busy;
    const score = poissonTailScore(k, mean);
    if (k >= this.w.minCount && score >= this.cfg.score) {
      s.firing = true;
      s.firedCount = Math.max(s.firedCount, k);
      // It began where the excess over the usual rate began: counting back from the newest complaint,
      // the bucket holding the (k − expected)-th — not the window's start (a day-long window would date
      // a trickle's finding up to a day early), nor the window's oldest complaint, which is as likely
      // the usual background as the problem.
      const excess = Math.max(1, Math.ceil(k - mean));
      let first = s.counts.length - 1;
      for (let seen = 0; first >= 0; first--) if ((seen += s.counts[first]!) >= excess) break;
      const began = (s.bucket - this.windowBuckets + 1 + Math.max(0, first)) * this.cfg.bucket;
      this.tracker.bad(key, t, began, true, {
        source: 'complaints', objectType: s.objectType, objectId: s.objectId, ...(s.objectType === 'cell' ? { cellId: s.objectId } : {}),
        ...(s.objectType === 'site' ? { cells: [...(this.topology.site(s.objectId)?.cellIds ?? [])] } : {}),
        signal: this.w.signal, hint: 'coverage', severity: k >= 3 * this.w.minCount ? 'major' : 'minor', score: Math.round(score * 100) / 100,
        evidence: {
          complaints: k, expected: Math.round(mean * 1000) / 1000, windowS: this.w.window / 1000,
          categories: Object.entries(s.categories).map(([c, n]) => `${c}:${n}`).join(','),
          ...(s.last ? { lastLat: s.last.lat, lastLon: s.last.lon, lastKm: s.last.km } : {}),
        },
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
    return {
      series: [...this.series], networkRate: this.networkRate, networkBucket: this.networkBucket, networkCount: this.networkCount,
      hourly: [...this.hourly], hourlyDays: [...this.hourlyDays],
    };
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
    // Checkpoints written before the daily shape was learned: it is learned afresh.
    const h = j as { hourly?: number[]; hourlyDays?: number[] };
    this.hourly.set(h.hourly?.length === 24 ? h.hourly : new Array<number>(24).fill(0));
    this.hourlyDays.set(h.hourlyDays?.length === 24 ? h.hourlyDays : new Array<number>(24).fill(0));
  }
}
