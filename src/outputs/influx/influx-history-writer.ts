/**
 * Writes history to InfluxDB without ever holding up the pipeline. `onBatch` (called on the
 * pipeline's path after each commit) only turns the batch into lines and appends them to a bounded
 * buffer; a background loop sends them in batches of `batchSize` (or whatever is there every
 * `flushIntervalMs`), one request at a time. A slow or down server makes the buffer fill: past
 * `maxBufferedPoints` the oldest lines are dropped, the way Telegraf's metric buffer does. Failed
 * writes are retried with exponential backoff (and the server's Retry-After); a batch the server
 * refuses (4xx) is dropped. Every drop is counted in metrics and logged at most once a minute.
 * Wall-clock timers are fine here: this is an output, not event-time logic.
 */
import type { Topology } from '../../inventory/topology.js';
import type { BatchOutcome, PipelineListener } from '../../pipeline/stages.js';
import type { Logger } from '../../telemetry/logger.js';
import type { InfluxHistoryConfig } from './config.js';
import { historyLines } from './history-points.js';
import { classifyInfluxError, type InfluxWriteSink } from './influx-sink.js';
import { LineRing } from './line-ring.js';

export type HistoryPointResult = 'written' | 'dropped_buffer_full' | 'dropped_rejected' | 'dropped_unwritable' | 'dropped_shutdown';

/** What the writer reports; the app maps it onto Prometheus metrics. */
export interface HistoryMetrics {
  points(result: HistoryPointResult, n: number): void;
  buffered(n: number): void;
  writeFailure(retryable: boolean): void;
}

export interface InfluxHistoryWriterDeps {
  config: InfluxHistoryConfig;
  sink: InfluxWriteSink;
  topology?: Topology;
  metrics?: HistoryMetrics;
  logger: Logger;
  wallClock?: () => number;
  /** Jitter source, for deterministic tests. */
  random?: () => number;
}

const REPORT_EVERY_MS = 60_000;

/** Accumulates counts and logs them at most once per interval (the first one at once). */
class ThrottledReport {
  private counts = new Map<string, number>();
  private last = -Infinity;
  private lastMessage = '';

  constructor(
    private readonly log: (counts: Record<string, number>, detail: string) => void,
    private readonly now: () => number,
  ) {}

  add(key: string, n: number, detail = ''): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
    if (detail) this.lastMessage = detail;
    this.flush(false);
  }

  flush(force: boolean): void {
    if (this.counts.size === 0) return;
    if (!force && this.now() - this.last < REPORT_EVERY_MS) return;
    this.log(Object.fromEntries(this.counts), this.lastMessage);
    this.counts = new Map();
    this.last = this.now();
  }
}

export class InfluxHistoryWriter implements PipelineListener {
  private readonly ring: LineRing;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly drops: ThrottledReport;
  private readonly failuresReport: ThrottledReport;
  /** The batch being sent or waiting to be retried. */
  private inflight: string[] | null = null;
  private sending: Promise<void> | null = null;
  private failures = 0;
  private retryAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly deps: InfluxHistoryWriterDeps) {
    this.ring = new LineRing(deps.config.maxBufferedPoints);
    this.log = deps.logger.child({ component: 'history' });
    this.now = deps.wallClock ?? Date.now;
    this.random = deps.random ?? Math.random;
    this.drops = new ThrottledReport(
      (dropped, detail) => this.log.warn({ dropped, url: deps.config.url }, `history points dropped (counted in nocwatch_history_points_total)${detail ? `: ${detail}` : ''}`),
      this.now,
    );
    this.failuresReport = new ThrottledReport(
      (counts, detail) => this.log.warn({ failedWrites: counts.failed, url: deps.config.url }, `InfluxDB writes failing, retrying with backoff: ${detail}`),
      this.now,
    );
  }

  /** Starts the flush timer. */
  start(): void {
    this.timer = setInterval(() => {
      this.kick(true);
      this.drops.flush(false);
      this.failuresReport.flush(false);
    }, this.deps.config.flushIntervalMs);
    this.timer.unref();
  }

  /** Lines waiting (buffered plus the batch in flight). */
  get pending(): number {
    return this.ring.length + (this.inflight?.length ?? 0);
  }

  onBatch(outcome: BatchOutcome): void {
    if (this.closed) return;
    try {
      const { lines, skipped } = historyLines(outcome, this.deps.config.write, this.deps.topology);
      if (skipped > 0) this.drop('dropped_unwritable', skipped, 'points line protocol cannot carry');
      let dropped = 0;
      for (const line of lines) dropped += this.ring.push(line);
      if (dropped > 0) this.drop('dropped_buffer_full', dropped, `buffer of ${this.deps.config.maxBufferedPoints} points full (InfluxDB slow or down)`);
      this.deps.metrics?.buffered(this.pending);
      if (this.ring.length >= this.deps.config.batchSize) this.kick(false);
    } catch (err) {
      // A listener must never throw into the pipeline.
      this.log.error({ err }, 'could not turn a batch into history points');
    }
  }

  /** Stops; tries to write what is buffered within `timeoutMs`, counts the rest as dropped. */
  async close(timeoutMs = 5_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    clearTimeout(this.retryTimer);
    const deadline = this.now() + timeoutMs;
    const drain = (async () => {
      await this.sending;
      while (this.pending > 0 && this.now() < deadline) {
        const before = this.pending;
        await this.sendOne();
        if (this.pending >= before) break; // the server still fails: give up
      }
    })();
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([drain, new Promise<void>((r) => { timeout = setTimeout(r, timeoutMs); })]);
    clearTimeout(timeout);
    const left = this.pending;
    if (left > 0) {
      this.deps.metrics?.points('dropped_shutdown', left);
      this.log.warn({ dropped: left }, 'history points not written before shutdown');
    }
    this.drops.flush(true);
  }

  private drop(result: HistoryPointResult, n: number, detail: string): void {
    this.deps.metrics?.points(result, n);
    this.drops.add(result, n, detail);
  }

  /** Starts a send unless one is running, a retry is pending, or (outside a timer tick) the batch is not full. */
  private kick(tick: boolean): void {
    if (this.sending || this.closed) return;
    if (this.now() < this.retryAt) return;
    if (!this.inflight && (this.ring.length === 0 || (!tick && this.ring.length < this.deps.config.batchSize))) return;
    this.sending = this.sendOne().finally(() => {
      this.sending = null;
      // Catch up while full batches are waiting and the server is healthy.
      if (this.failures === 0 && this.ring.length >= this.deps.config.batchSize) this.kick(false);
    });
  }

  private async sendOne(): Promise<void> {
    const batch = this.inflight ?? this.ring.take(this.deps.config.batchSize);
    if (batch.length === 0) return;
    this.inflight = batch;
    try {
      await this.deps.sink.write(batch);
      this.inflight = null;
      this.deps.metrics?.points('written', batch.length);
      if (this.failures > 0) this.log.info({ failedAttempts: this.failures }, 'InfluxDB writes recovered');
      this.failures = 0;
      this.retryAt = 0;
    } catch (e) {
      const err = classifyInfluxError(e);
      this.deps.metrics?.writeFailure(err.retryable);
      if (!err.retryable) {
        this.inflight = null;
        this.drop('dropped_rejected', batch.length, err.message);
      } else {
        this.failures++;
        const { minRetryDelayMs, maxRetryDelayMs } = this.deps.config;
        const backoff = Math.min(maxRetryDelayMs, minRetryDelayMs * 2 ** Math.min(this.failures - 1, 30)) * (0.5 + this.random() * 0.5);
        const delay = Math.max(err.retryAfterMs ?? 0, backoff);
        this.retryAt = this.now() + delay;
        this.failuresReport.add('failed', 1, err.message);
        if (!this.closed) {
          clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => this.kick(true), delay);
          this.retryTimer.unref();
        }
      }
    } finally {
      this.deps.metrics?.buffered(this.pending);
    }
  }
}
