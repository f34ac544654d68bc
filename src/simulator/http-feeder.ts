/**
 * Feeds a running daemon over HTTP: NDJSON batches to `POST /api/v1/ingest/<feed>`, one request at a
 * time per feed (the daemon keeps order per endpoint) and the feeds side by side — but never more
 * than one tick apart: a feed with more records (signaling) must not fall behind the others by more
 * than the daemon's allowed lateness, or its records arrive late and look missing. Loses nothing:
 * a 503 is retried after its Retry-After, a 413 splits the batch, network errors and 5xx back off and
 * retry until `giveUpMs` passes without any success. Any other answer is a mistake to report (wrong
 * token, wrong URL), so it stops the run.
 */
import type { Cell, Feed } from '../model/index.js';
import type { PacingClock, TickSink } from './driver.js';

export interface HttpFeederOptions {
  /** Base URL of the daemon, e.g. http://127.0.0.1:8080. */
  target: string;
  /** Bearer token (scope `ingest`; `admin` too for the inventory upload). */
  token?: string;
  batchSize: number;
  /** Records queued or in flight above which `add` waits (bounds memory on a large tick). */
  maxQueued: number;
  clock: PacingClock;
  /** Give up when no request has succeeded for this long. */
  giveUpMs: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export interface FeederStats {
  requests: number;
  records: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  /** 503 answers waited out. */
  overloaded: number;
  /** Network errors and 5xx answers retried. */
  retries: number;
  /** The first few rejection reasons (a simulator record the daemon refuses is a bug somewhere). */
  rejectSamples: string[];
}

/** An answer that retrying will not fix. */
export class FeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedError';
  }
}

/** Seconds of a Retry-After header (delta-seconds or an HTTP date), or null. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null || header.trim() === '') return null;
  const s = Number(header);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export class HttpFeeder implements TickSink {
  readonly stats: FeederStats = { requests: 0, records: 0, accepted: 0, rejected: 0, duplicates: 0, overloaded: 0, retries: 0, rejectSamples: [] };
  private readonly buffers = new Map<Feed, object[]>();
  /** Feeds with buffered records, in the order their buffers were started. */
  private filled: Feed[] = [];
  private readonly chains = new Map<Feed, Promise<void>>();
  private queued = 0;
  private waiters: (() => void)[] = [];
  /** Per tick ended, the point at which every batch of that tick has been delivered. */
  private tickTails: Promise<unknown>[] = [];
  private failure: Error | null = null;
  private lastSuccess: number;
  private readonly fetchFn: typeof fetch;
  private readonly base: string;

  constructor(private readonly o: HttpFeederOptions) {
    this.fetchFn = o.fetch ?? fetch;
    this.base = o.target.replace(/\/+$/, '');
    this.lastSuccess = o.clock.now();
  }

  /** Buffers records, sending full batches; resolves once the queue is below `maxQueued`. */
  add(feed: Feed, records: object[]): void | Promise<void> {
    let buf = this.buffers.get(feed);
    if (!buf) this.buffers.set(feed, (buf = []));
    if (records.length > 0 && !this.filled.includes(feed)) this.filled.push(feed);
    for (const r of records) buf.push(r);
    // Records go out in the order they were made: what other feeds were given earlier is sent first.
    if (buf.length >= this.o.batchSize) this.sendBuffered(feed);
    while (buf.length >= this.o.batchSize) this.enqueue(feed, buf.splice(0, this.o.batchSize));
    if (this.queued > this.o.maxQueued || this.failure) return this.waitBelow(this.o.maxQueued);
  }

  /**
   * Sends what the tick left in the buffers, then waits until the previous tick is fully delivered:
   * every feed of tick n is in before any record of tick n + 2 is generated (lag ≤ 5 simulated minutes).
   */
  async endTick(): Promise<void> {
    this.sendBuffered();
    this.tickTails.push(Promise.all(this.chains.values()));
    if (this.tickTails.length > 1) await this.tickTails.shift();
    if (this.failure) throw this.failure;
  }

  /** Waits until everything buffered has been delivered. */
  async drain(): Promise<void> {
    await this.endTick();
    await Promise.all(this.chains.values());
    this.tickTails = [];
    if (this.failure) throw this.failure;
  }

  /** Sends the buffered records of every feed but `except`, in the order the feeds were given records. */
  private sendBuffered(except?: Feed): void {
    const order = this.filled;
    this.filled = [];
    for (const f of order) {
      const buf = this.buffers.get(f)!;
      if (f === except) {
        if (buf.length > 0) this.filled.push(f);
      } else if (buf.length > 0) this.enqueue(f, buf.splice(0, buf.length));
    }
  }

  private async waitBelow(limit: number): Promise<void> {
    while (this.queued > limit && !this.failure) await new Promise<void>((r) => this.waiters.push(r));
    if (this.failure) throw this.failure;
  }

  /** Uploads the inventory (`POST /api/v1/inventory/cells`, scope admin) in chunks. */
  async uploadInventory(cells: readonly Cell[], chunk = 10_000): Promise<number> {
    let accepted = 0;
    for (let i = 0; i < cells.length; i += chunk) {
      const body = JSON.stringify(cells.slice(i, i + chunk));
      const res = await this.post('/api/v1/inventory/cells', body, 'application/json');
      accepted += Number((res as { accepted?: number }).accepted ?? 0);
    }
    return accepted;
  }

  private enqueue(feed: Feed, batch: object[]): void {
    this.queued += batch.length;
    const prev = this.chains.get(feed) ?? Promise.resolve();
    const next = prev.then(async () => {
      if (this.failure) return;
      try {
        await this.sendBatch(feed, batch);
      } catch (err) {
        this.failure ??= err as Error;
      } finally {
        this.queued -= batch.length;
        const w = this.waiters;
        this.waiters = [];
        for (const wake of w) wake();
      }
    });
    this.chains.set(feed, next);
  }

  private async sendBatch(feed: Feed, batch: object[]): Promise<void> {
    const body = batch.map((r) => JSON.stringify(r)).join('\n');
    const res = await this.post(`/api/v1/ingest/${feed}`, body, 'application/x-ndjson', batch.length);
    if (res === 'split') {
      const half = Math.ceil(batch.length / 2);
      await this.sendBatch(feed, batch.slice(0, half));
      await this.sendBatch(feed, batch.slice(half));
      return;
    }
    const r = res as { accepted?: number; duplicates?: number; rejected?: { index: number; error: string }[] };
    this.stats.records += batch.length;
    this.stats.accepted += r.accepted ?? 0;
    this.stats.duplicates += r.duplicates ?? 0;
    const rejected = r.rejected ?? [];
    this.stats.rejected += rejected.length;
    for (const x of rejected) if (this.stats.rejectSamples.length < 5) this.stats.rejectSamples.push(`${feed}[${x.index}]: ${x.error}`);
  }

  /**
   * POSTs until the daemon takes it. Returns the parsed JSON answer, or 'split' when a multi-record
   * body was too large (413) and should be sent in halves.
   */
  private async post(path: string, body: string, contentType: string, records = 1): Promise<unknown> {
    const headers: Record<string, string> = { 'content-type': contentType };
    if (this.o.token) headers.authorization = `Bearer ${this.o.token}`;
    let backoff = 500;
    for (;;) {
      if (this.o.signal?.aborted) throw new FeedError('stopped');
      let res: Response | null = null;
      let problem = 'no answer';
      try {
        this.stats.requests++;
        res = await this.fetchFn(this.base + path, { method: 'POST', headers, body });
      } catch (err) {
        problem = `${(err as Error).message}${(err as { cause?: Error }).cause ? ` (${(err as { cause: Error }).cause.message})` : ''}`;
      }
      if (res !== null) {
        if (res.ok) {
          this.lastSuccess = this.o.clock.now();
          return res.json();
        }
        const text = await res.text().catch(() => '');
        if (res.status === 503) {
          this.stats.overloaded++;
          this.lastSuccess = this.o.clock.now(); // the daemon is alive, only busy
          await this.o.clock.sleep(retryAfterMs(res.headers.get('retry-after'), this.o.clock.now()) ?? backoff, this.o.signal);
          continue;
        }
        if (res.status === 413 && records > 1) return 'split';
        if (res.status !== 429 && res.status < 500) {
          throw new FeedError(`POST ${path} answered ${res.status}: ${text.slice(0, 500)}`);
        }
        problem = `HTTP ${res.status}`;
      }
      if (this.o.clock.now() - this.lastSuccess > this.o.giveUpMs) {
        throw new FeedError(`POST ${path}: giving up after ${Math.round(this.o.giveUpMs / 1000)} s without success (${problem})`);
      }
      this.stats.retries++;
      await this.o.clock.sleep(backoff, this.o.signal);
      backoff = Math.min(10_000, backoff * 2);
    }
  }
}
