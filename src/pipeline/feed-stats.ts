/**
 * Per-feed counters for `/api/v1/status` and the dashboard's feed health: totals, last-seen times,
 * and a rate over the last minute (wall time — it measures the feed, not the network).
 */
import { FEEDS, type Feed } from '../model/index.js';

const WINDOW_S = 60;

class Rate {
  private readonly buckets = new Float64Array(WINDOW_S);
  private readonly stamps = new Float64Array(WINDOW_S);

  add(n: number, nowMs: number): void {
    const s = Math.floor(nowMs / 1000);
    const i = s % WINDOW_S;
    if (this.stamps[i] !== s) {
      this.stamps[i] = s;
      this.buckets[i] = 0;
    }
    this.buckets[i] += n;
  }

  perSecond(nowMs: number): number {
    const s = Math.floor(nowMs / 1000);
    let sum = 0;
    for (let i = 0; i < WINDOW_S; i++) if (s - this.stamps[i]! < WINDOW_S) sum += this.buckets[i]!;
    return sum / WINDOW_S;
  }
}

export interface FeedStatus {
  accepted: number;
  rejected: number;
  duplicates: number;
  /** Accepted records naming a cell, site, transport node or district the inventory does not know. */
  unknownObjects: number;
  /** Records per second accepted over the last minute. */
  ratePerS: number;
  /** Wall time of the last accepted record (RFC 3339) or null. */
  lastSeenAt: string | null;
  /** Newest event time seen on this feed (RFC 3339) or null. */
  lastEventTime: string | null;
}

export class FeedStats {
  private readonly feeds = new Map<Feed, { accepted: number; rejected: number; duplicates: number; unknown: number; lastSeen: number | null; lastEvent: number | null; rate: Rate }>();

  constructor(private readonly now: () => number) {
    for (const f of FEEDS) this.feeds.set(f, { accepted: 0, rejected: 0, duplicates: 0, unknown: 0, lastSeen: null, lastEvent: null, rate: new Rate() });
  }

  record(feed: Feed, accepted: number, rejected: number, duplicates: number, maxEventTime: number | null, unknown = 0): void {
    const f = this.feeds.get(feed)!;
    const now = this.now();
    f.accepted += accepted;
    f.rejected += rejected;
    f.duplicates += duplicates;
    f.unknown += unknown;
    if (accepted > 0) {
      f.lastSeen = now;
      f.rate.add(accepted, now);
    }
    if (maxEventTime !== null && (f.lastEvent === null || maxEventTime > f.lastEvent)) f.lastEvent = maxEventTime;
  }

  snapshot(): Record<Feed, FeedStatus> {
    const now = this.now();
    const out = {} as Record<Feed, FeedStatus>;
    for (const [feed, f] of this.feeds) {
      out[feed] = {
        accepted: f.accepted,
        rejected: f.rejected,
        duplicates: f.duplicates,
        unknownObjects: f.unknown,
        ratePerS: Math.round(f.rate.perSecond(now) * 100) / 100,
        lastSeenAt: f.lastSeen === null ? null : new Date(f.lastSeen).toISOString(),
        lastEventTime: f.lastEvent === null ? null : new Date(f.lastEvent).toISOString(),
      };
    }
    return out;
  }
}
