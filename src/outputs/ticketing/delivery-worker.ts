/**
 * Delivers the ticketing outbox. Wall-clock I/O (not event logic): it wakes on a timer or when the
 * pipeline commits new versions, takes the due entries (one version per ticket at a time, oldest
 * first), and pushes them through a p-queue that bounds concurrency and rate. Every attempt is
 * recorded before its request leaves, the outcome after: a 2xx is delivered for good; 5xx, 429
 * (honouring Retry-After), 408, network errors and timeouts go back in line with exponential
 * backoff and jitter; any other 4xx is a dead letter. The store is the queue, so a restart picks up
 * exactly the entries not yet delivered.
 */
import PQueue from 'p-queue';
import { DeliveryError, type DeliveryResult, type TicketingAdapter } from './adapter.js';
import type { TicketingConfig } from './config.js';
import { createAdapter } from './create-adapter.js';
import { createSender } from './http-sender.js';
import type { OutboxEntry } from './outbox-entry.js';
import type { OutboxStore } from './outbox-store.js';

/** What the worker reports, for /metrics. */
export interface DeliveryMetrics {
  attempt(system: string, outcome: 'delivered' | 'retry' | 'dead'): void;
}

/** The slice of a pino logger the worker uses. */
export interface DeliveryLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface DeliveryWorkerOptions {
  outbox: OutboxStore;
  config: TicketingConfig;
  /** Defaults to the adapter of `config.target`; none when no target is configured. */
  adapter?: TicketingAdapter | null;
  fetch?: typeof fetch;
  /** Wall clock and jitter source; replaceable in tests. */
  now?: () => number;
  random?: () => number;
  log?: DeliveryLog;
  metrics?: DeliveryMetrics;
}

const silent: DeliveryLog = { info() {}, warn() {}, error() {} };

export class DeliveryWorker {
  private readonly adapter: TicketingAdapter | null;
  private readonly queue: PQueue;
  private readonly busy = new Set<string>();
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly log: DeliveryLog;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private scanning = false;

  constructor(private readonly opts: DeliveryWorkerOptions) {
    const { config } = opts;
    this.adapter = opts.adapter !== undefined ? opts.adapter : config.target ? createAdapter(config.target) : null;
    this.queue = new PQueue({ concurrency: config.concurrency, intervalCap: config.ratePerSecond, interval: 1000 });
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.log = opts.log ?? silent;
  }

  /** The configured system, or null when tickets only wait in the outbox. */
  get system(): string | null {
    return this.adapter?.system ?? null;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    if (!this.adapter) {
      this.log.info({}, 'no ticketing target configured: ticket versions stay pending in the outbox');
      return;
    }
    this.schedule(0);
  }

  /** New entries were committed: look soon rather than at the next poll. */
  kick(): void {
    if (this.running && this.adapter) this.schedule(0);
  }

  /** Stops taking entries and waits (up to `graceMs`) for deliveries in flight. */
  async stop(graceMs = this.opts.config.timeoutMs + 1000): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.clear();
    let t: NodeJS.Timeout | undefined;
    await Promise.race([this.queue.onIdle(), new Promise((r) => { t = setTimeout(r, graceMs); })]);
    clearTimeout(t);
  }

  /** One pass: delivers everything due now and waits for it (tests, and a drain on demand). */
  async runOnce(): Promise<void> {
    this.scan();
    await this.queue.onIdle();
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.scan();
      if (this.running) {
        const next = this.opts.outbox.nextDueAt();
        const wait = next == null ? this.opts.config.pollMs : Math.max(10, Math.min(this.opts.config.pollMs, next - this.now()));
        if (!this.timer) this.schedule(wait);
      }
    }, ms);
    this.timer.unref();
  }

  private scan(): void {
    if (!this.adapter || this.scanning) return;
    this.scanning = true;
    try {
      // Keep a few entries ahead of the queue, never the whole backlog in memory.
      const room = this.opts.config.concurrency * 4 - this.queue.size - this.queue.pending;
      if (room <= 0) return;
      for (const entry of this.opts.outbox.due(this.now(), room, this.busy)) {
        this.busy.add(entry.ticketId);
        void this.queue
          .add(() => this.deliver(entry))
          // The store failed (or closed at shutdown): the entry stays waiting and goes again later.
          .catch((err: unknown) => this.log.warn({ key: entry.key, err }, 'ticket delivery outcome not recorded; it will be sent again'))
          .finally(() => {
            this.busy.delete(entry.ticketId);
            // The ticket's next version, if any, can go now.
            this.kick();
          });
      }
    } finally {
      this.scanning = false;
    }
  }

  private async deliver(entry: OutboxEntry): Promise<void> {
    const adapter = this.adapter!;
    const { outbox, config } = this.opts;
    const ctx = { externalRef: outbox.externalRef(entry.ticketId, adapter.system), retry: entry.attempts > 0, now: this.now() };
    outbox.markAttempt(entry.key);
    const attempt = entry.attempts + 1;
    let lastStatus = 0;
    const send = createSender({ target: config.target!, secret: config.secret, timeoutMs: config.timeoutMs, fetch: this.opts.fetch, now: this.now }, entry.key);
    let result: DeliveryResult;
    try {
      result = await adapter.deliver(entry, ctx, async (req) => {
        const res = await send(req);
        lastStatus = res.status;
        return res;
      });
    } catch (err) {
      const e = err instanceof DeliveryError ? err : new DeliveryError(`adapter failed: ${(err as Error).message}`, null, true);
      const exhausted = config.maxAttempts > 0 && attempt >= config.maxAttempts;
      if (!e.retryable || exhausted) {
        outbox.markDead(entry.key, this.now(), e.status, e.message);
        this.opts.metrics?.attempt(adapter.system, 'dead');
        this.log.error({ key: entry.key, status: e.status, attempts: attempt, code: e.code }, `ticket version dead-lettered: ${e.message}`);
        return;
      }
      const delay = e.retryAfterMs ?? this.backoff(attempt);
      outbox.markRetry(entry.key, this.now() + delay, e.status, e.message);
      this.opts.metrics?.attempt(adapter.system, 'retry');
      this.log.warn({ key: entry.key, status: e.status, attempts: attempt, retryInMs: delay }, `ticket delivery failed, will retry: ${e.message}`);
      return;
    }
    // Recording the outcome may throw (store closed at shutdown): the caller logs it, and the
    // entry, still waiting, goes again — a repeat of the same idempotency key.
    if (result.externalRef && result.externalRef !== ctx.externalRef) {
      outbox.setExternalRef(entry.ticketId, adapter.system, result.externalRef);
    }
    outbox.markDelivered(entry.key, this.now(), lastStatus);
    this.opts.metrics?.attempt(adapter.system, 'delivered');
  }

  /** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
  private backoff(attempt: number): number {
    const { baseMs, maxMs } = this.opts.config.backoff;
    const exp = Math.min(maxMs, baseMs * 2 ** Math.min(30, attempt - 1));
    return Math.round(exp / 2 + this.random() * (exp / 2));
  }
}
