/**
 * Missing data: a cell that stops reporting PM (or signaling) while its district's other cells still
 * report is a possible outage. Watermark-based: a cell is overdue once the watermark passes its last
 * report plus `gracePeriods` of its own period. When most of the district is silent too, the feed or
 * its collector is the likelier cause; the cell is looked at again one period later.
 *
 * Deadlines sit in a wheel of one-minute buckets, so `advance` only touches cells that are due.
 */
import type { Topology } from '../inventory/topology.js';
import type { AnomalyTracker } from './anomaly-tracker.js';
import type { Interner } from './interner.js';
import { grownCapacity } from './capacity.js';

const BUCKET_MS = 60_000;
/** Report times per district kept for the neighbour check. */
const KEEP_REPORT_TIMES_MS = 6 * 3_600_000;

export type Feed = 'pm' | 'signaling';

class FeedState {
  last = new Float64Array(0);
  period = new Float32Array(0);
  missing = new Uint8Array(0);
  /** Per district (or '' for cells outside the inventory): report time → cells that reported it. */
  readonly reports = new Map<string, Map<number, number>>();
  /** Cells per district that have ever reported on this feed. */
  readonly known = new Map<string, number>();
  readonly wheel = new Map<number, number[]>();
  nextBucket = -Infinity;

  ensure(n: number): void {
    if (n <= this.last.length) return;
    const cap = Math.max(n, grownCapacity(this.last.length));
    const l = new Float64Array(cap).fill(NaN);
    l.set(this.last);
    const p = new Float32Array(cap);
    p.set(this.period);
    const m = new Uint8Array(cap);
    m.set(this.missing);
    this.last = l;
    this.period = p;
    this.missing = m;
  }
}

export class MissingDataDetector {
  private readonly feeds: Record<Feed, FeedState> = { pm: new FeedState(), signaling: new FeedState() };
  private readonly grace: Record<Feed, number>;

  constructor(
    cfg: { pmGracePeriods: number; signalingGracePeriods: number; minReportingNeighbourFraction: number },
    private readonly cells: Interner,
    private readonly topology: Topology,
    private readonly tracker: AnomalyTracker,
  ) {
    this.grace = { pm: cfg.pmGracePeriods, signaling: cfg.signalingGracePeriods };
    this.minFraction = cfg.minReportingNeighbourFraction;
  }

  private readonly minFraction: number;

  private district(c: number): string {
    return this.topology.cell(this.cells.name(c))?.district ?? '';
  }

  /** Cell `c` reported on `feed` at `t` with period `periodS`. */
  seen(feed: Feed, c: number, t: number, periodS: number): void {
    const fs = this.feeds[feed];
    fs.ensure(c + 1);
    const prev = fs.last[c];
    if (!(t > prev) && !Number.isNaN(prev)) return; // a late or repeated report changes nothing
    const district = this.district(c);
    if (Number.isNaN(prev)) fs.known.set(district, (fs.known.get(district) ?? 0) + 1);
    fs.last[c] = t;
    fs.period[c] = periodS;
    let byTime = fs.reports.get(district);
    if (!byTime) fs.reports.set(district, (byTime = new Map()));
    byTime.set(t, (byTime.get(t) ?? 0) + 1);
    this.schedule(fs, c, t + this.grace[feed] * periodS * 1000);
    if (fs.missing[c]) {
      fs.missing[c] = 0;
      this.tracker.clear(this.key(feed, c), t);
    }
  }

  private schedule(fs: FeedState, c: number, deadline: number): void {
    const b = Math.floor(deadline / BUCKET_MS);
    let list = fs.wheel.get(b);
    if (!list) fs.wheel.set(b, (list = []));
    list.push(c);
  }

  private key(feed: Feed, c: number): string {
    return `nodata|${this.cells.name(c)}|${feed}`;
  }

  advance(watermark: number): void {
    for (const feed of ['pm', 'signaling'] as const) this.advanceFeed(feed, watermark);
  }

  private advanceFeed(feed: Feed, watermark: number): void {
    const fs = this.feeds[feed];
    const last = Math.floor(watermark / BUCKET_MS);
    if (fs.wheel.size === 0) {
      fs.nextBucket = last + 1;
      return;
    }
    const due: number[] = [];
    if (last - fs.nextBucket > fs.wheel.size) {
      for (const b of fs.wheel.keys()) if (b <= last) due.push(b);
    } else {
      for (let b = Math.max(fs.nextBucket, last - 100_000); b <= last; b++) if (fs.wheel.has(b)) due.push(b);
    }
    fs.nextBucket = last + 1;
    for (const b of due) {
      const list = fs.wheel.get(b)!;
      fs.wheel.delete(b);
      for (const c of list) this.check(feed, fs, c, watermark);
    }
    for (const byTime of fs.reports.values()) {
      for (const t of byTime.keys()) {
        if (t >= watermark - KEEP_REPORT_TIMES_MS) break;
        byTime.delete(t);
      }
    }
  }

  private check(feed: Feed, fs: FeedState, c: number, watermark: number): void {
    if (fs.missing[c]) return;
    const last = fs.last[c];
    const periodMs = fs.period[c] * 1000;
    const deadline = last + this.grace[feed] * periodMs;
    if (deadline > watermark) return; // it reported since: a newer deadline is scheduled
    // The period the cell missed: did its neighbours report it?
    const district = this.district(c);
    const expectedAt = last + periodMs;
    let reported = 0;
    const byTime = this.feeds[feed].reports.get(district);
    if (byTime) for (const [t, n] of byTime) if (t >= expectedAt && t < expectedAt + periodMs) reported += n;
    const others = (fs.known.get(district) ?? 1) - 1;
    if (others <= 0 || reported < this.minFraction * others) {
      // The district is silent too: a feed problem, not this cell. Look again a period later.
      this.schedule(fs, c, watermark + periodMs);
      return;
    }
    fs.missing[c] = 1;
    const cellId = this.cells.name(c);
    this.tracker.bad(this.key(feed, c), watermark, last, true, {
      source: 'missing_data', objectType: 'cell', objectId: cellId, cellId, signal: 'no_data', hint: 'outage', severity: 'critical',
      score: (watermark - last) / periodMs,
      evidence: { feed, lastReport: new Date(last).toISOString(), periodS: fs.period[c], neighboursReporting: reported, neighbours: others },
    });
  }

  /** Whether the cell is currently flagged silent on any feed. */
  silent(c: number): boolean {
    return (this.feeds.pm.missing[c] ?? 0) + (this.feeds.signaling.missing[c] ?? 0) > 0;
  }

  toJSON(): unknown {
    const f = (fs: FeedState) => ({
      reports: [...fs.reports].map(([d, m]) => [d, [...m]]),
      known: [...fs.known],
      wheel: [...fs.wheel],
      nextBucket: Number.isFinite(fs.nextBucket) ? fs.nextBucket : null,
    });
    return { pm: f(this.feeds.pm), signaling: f(this.feeds.signaling) };
  }

  snapshot(cellCount: number): ArrayBufferView[] {
    const out: ArrayBufferView[] = [];
    for (const feed of ['pm', 'signaling'] as const) {
      const fs = this.feeds[feed];
      fs.ensure(cellCount);
      out.push(fs.last.subarray(0, cellCount), fs.period.subarray(0, cellCount), fs.missing.subarray(0, cellCount));
    }
    return out;
  }

  restore(json: unknown, blobs: Uint8Array[], cellCount: number): void {
    const j = json as Record<Feed, { reports: [string, [number, number][]][]; known: [string, number][]; wheel: [number, number[]][]; nextBucket: number | null }>;
    (['pm', 'signaling'] as const).forEach((feed, i) => {
      const fs = new FeedState();
      fs.ensure(cellCount);
      fs.last.set(new Float64Array(blobs[3 * i].buffer, blobs[3 * i].byteOffset, cellCount));
      fs.period.set(new Float32Array(blobs[3 * i + 1].buffer, blobs[3 * i + 1].byteOffset, cellCount));
      fs.missing.set(blobs[3 * i + 2].subarray(0, cellCount));
      for (const [d, m] of j[feed].reports) fs.reports.set(d, new Map(m));
      for (const [d, n] of j[feed].known) fs.known.set(d, n);
      for (const [b, l] of j[feed].wheel) fs.wheel.set(b, l);
      fs.nextBucket = j[feed].nextBucket ?? -Infinity;
      this.feeds[feed] = fs;
    });
  }
}
