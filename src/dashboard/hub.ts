/**
 * The WebSocket hub behind `/ws`. It is a PipelineListener: each committed batch is folded into the
 * DashboardState at once (O(outcome)), and every `flushIntervalMs` whatever changed goes out as ONE
 * numbered delta to every client — 10,000 cell changes in a second are one message, not 10,000.
 *
 * - Sequence numbers: every delta carries `seq`; the last deltas (bounded by count and bytes) are
 *   kept so a client reconnecting with `?epoch=…&since=N` gets exactly what it missed, or a fresh
 *   snapshot when they are gone (or the daemon restarted: another epoch).
 * - Slow clients: before each send the client's `bufferedAmount` is checked; above
 *   `slowClientBytes` it gets nothing more until it drains, then a fresh snapshot; if it stays above
 *   for `slowClientMaxMs` it is disconnected. So the daemon holds at most about `slowClientBytes`
 *   (plus one message) per client, however stuck the client is.
 * - Pings find dead peers; on close every client gets 1001 so pages reconnect to the next daemon.
 */
import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import type { Logger } from '../telemetry/logger.js';
import type { BatchOutcome, PipelineListener } from '../pipeline/stages.js';
import type { DashboardConfig } from './config.js';
import { DashboardState } from './dashboard-state.js';
import type { ResumedMessage } from './protocol.js';
import type { DashboardSources } from './sources.js';

/** Counters the hub reports; app.ts maps them onto the Prometheus metrics. */
export interface HubMetrics {
  clients(n: number): void;
  messageSent(kind: 'snapshot' | 'delta' | 'replay', bytes: number): void;
  slowClient(action: 'skipped' | 'dropped'): void;
}

const noMetrics: HubMetrics = { clients() {}, messageSent() {}, slowClient() {} };

interface Client {
  ws: WebSocket;
  /** Over the buffer limit: deltas are skipped until it drains. */
  laggingSince: number | null;
  alive: boolean;
}

/** Where a reconnecting client says it was. */
export interface ResumePoint {
  epoch?: string;
  since?: number;
}

/** Minimum wall time between two re-indexes of the inventory (upserts often come in chunks). */
const REBUILD_MIN_INTERVAL_MS = 5_000;

export class DashboardHub implements PipelineListener {
  readonly epoch = randomUUID().slice(0, 8);
  private state: DashboardState;
  private seq = 0;
  private readonly ring: { seq: number; data: Buffer }[] = [];
  private ringBytes = 0;
  private readonly clients = new Set<Client>();
  private snapshotCache: { seq: number; data: Buffer } | null = null;
  private timers: NodeJS.Timeout[] = [];
  private lastRebuild = -Infinity;
  private readonly wall: () => number;
  private readonly log: Logger;
  private readonly metrics: HubMetrics;

  constructor(private readonly deps: { config: DashboardConfig; sources: DashboardSources; logger: Logger; metrics?: HubMetrics }) {
    this.wall = deps.sources.wallClock ?? Date.now;
    this.log = deps.logger.child({ component: 'dashboard' });
    this.metrics = deps.metrics ?? noMetrics;
    this.state = this.loadState();
  }

  private loadState(): DashboardState {
    const s = new DashboardState(this.deps.config, this.deps.sources, this.epoch);
    s.sampleFeeds();
    s.sampleKpis();
    s.takeDelta(); // the initial state is the baseline every snapshot carries, not a change
    return s;
  }

  /**
   * Reloads the state from the sources (call after the pipeline restored its state at start-up) and
   * starts the flush, sampling and ping timers (wall time: they pace output, not logic).
   */
  start(): void {
    if (this.timers.length > 0) return;
    if (this.clients.size === 0) {
      this.state = this.loadState();
      this.snapshotCache = null;
    }
    const c = this.deps.config;
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(() => {
        try {
          fn();
        } catch (e) {
          this.log.error({ err: e }, 'dashboard timer failed');
        }
      }, ms);
      t.unref();
      this.timers.push(t);
    };
    every(c.flushIntervalMs, () => this.flush());
    every(c.kpiIntervalMs, () => this.state.sampleKpis());
    every(c.feedIntervalMs, () => this.state.sampleFeeds());
    every(c.pingIntervalMs, () => this.ping());
  }

  /** Stops the timers and closes every client with 1001 (going away), so pages reconnect. */
  close(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const c of this.clients) c.ws.close(1001, 'server shutting down');
    this.clients.clear();
    this.metrics.clients(0);
  }

  onBatch(outcome: BatchOutcome): void {
    this.state.apply(outcome);
  }

  /** The binary cell geometry for `GET /api/v1/dashboard/cells`. */
  geometry(): { version: string; bytes: Buffer } {
    return this.state.geometry();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Bytes queued in the hub for all clients (sockets' user-space buffers): what a stuck client costs. */
  bufferedBytes(): number {
    let n = 0;
    for (const c of this.clients) n += c.ws.bufferedAmount;
    return n;
  }

  /** Bytes of deltas kept for resuming. */
  get resumeBufferBytes(): number {
    return this.ringBytes;
  }

  /**
   * Sends what changed since the last flush as one delta to every client, and deals with slow
   * clients. Called by the timer; tests call it directly.
   */
  flush(): void {
    const now = this.wall();
    if (this.state.inventoryChanged && now - this.lastRebuild >= REBUILD_MIN_INTERVAL_MS) {
      this.lastRebuild = now;
      this.state.takeDelta();
      this.state.rebuildBoard();
      this.seq++;
      this.clearRing();
      this.snapshotCache = null;
      for (const c of this.clients) this.sendSnapshot(c);
      return;
    }
    const delta = this.state.takeDelta();
    if (delta) {
      this.seq++;
      const data = Buffer.from(JSON.stringify({ ...delta, seq: this.seq }));
      this.remember(this.seq, data);
      for (const c of this.clients) this.send(c, data, 'delta');
    }
    this.checkLagging(now);
  }

  private remember(seq: number, data: Buffer): void {
    const c = this.deps.config;
    this.ring.push({ seq, data });
    this.ringBytes += data.length;
    while (this.ring.length > 0 && (this.ring.length > c.resumeMessages || this.ringBytes > c.resumeBytes)) {
      this.ringBytes -= this.ring.shift()!.data.length;
    }
  }

  private clearRing(): void {
    this.ring.length = 0;
    this.ringBytes = 0;
  }

  /** Takes a new connection: replays what it missed, or sends a snapshot. */
  accept(ws: WebSocket, resume: ResumePoint = {}): void {
    if (this.clients.size >= this.deps.config.maxClients) {
      ws.close(1013, 'too many dashboard clients');
      return;
    }
    // Bring every other client to the same point first, so a replay or snapshot ends at `this.seq`.
    this.flush();
    const client: Client = { ws, laggingSince: null, alive: true };
    this.clients.add(client);
    this.metrics.clients(this.clients.size);
    ws.on('pong', () => (client.alive = true));
    ws.on('error', (err) => this.log.debug({ err }, 'dashboard client socket error'));
    ws.on('close', () => {
      this.clients.delete(client);
      this.metrics.clients(this.clients.size);
    });
    if (resume.epoch === this.epoch && resume.since !== undefined && this.replay(client, resume.since)) return;
    this.sendSnapshot(client);
  }

  /** Sends the deltas after `since` if they are all still kept. */
  private replay(client: Client, since: number): boolean {
    if (since === this.seq) {
      const msg: ResumedMessage = { type: 'resumed', epoch: this.epoch, seq: this.seq };
      this.send(client, Buffer.from(JSON.stringify(msg)), 'replay');
      return true;
    }
    if (since > this.seq || this.ring.length === 0 || this.ring[0]!.seq > since + 1) return false;
    for (const m of this.ring) if (m.seq > since) this.send(client, m.data, 'replay');
    return true;
  }

  private sendSnapshot(client: Client): void {
    if (!this.snapshotCache || this.snapshotCache.seq !== this.seq) {
      this.snapshotCache = { seq: this.seq, data: Buffer.from(JSON.stringify(this.state.snapshot(this.seq))) };
    }
    client.laggingSince = null;
    this.send(client, this.snapshotCache.data, 'snapshot', true);
  }

  private send(client: Client, data: Buffer, kind: 'snapshot' | 'delta' | 'replay', force = false): void {
    const { ws } = client;
    if (ws.readyState !== WebSocket.OPEN) return;
    if (!force) {
      if (client.laggingSince !== null) return;
      if (ws.bufferedAmount > this.deps.config.slowClientBytes) {
        client.laggingSince = this.wall();
        this.metrics.slowClient('skipped');
        this.log.warn({ buffered: ws.bufferedAmount }, 'dashboard client too slow: skipping deltas until it drains');
        return;
      }
    }
    ws.send(data, { binary: false });
    this.metrics.messageSent(kind, data.length);
  }

  /** A lagging client that drained gets a fresh snapshot; one stuck too long is dropped. */
  private checkLagging(now: number): void {
    const c = this.deps.config;
    for (const client of this.clients) {
      if (client.laggingSince === null) continue;
      if (client.ws.bufferedAmount <= c.slowClientBytes / 4) {
        this.sendSnapshot(client);
      } else if (now - client.laggingSince > c.slowClientMaxMs) {
        this.metrics.slowClient('dropped');
        this.log.warn({ buffered: client.ws.bufferedAmount }, 'dashboard client stuck: disconnected');
        this.drop(client);
      }
    }
  }

  private drop(client: Client): void {
    this.clients.delete(client);
    this.metrics.clients(this.clients.size);
    client.ws.terminate();
  }

  private ping(): void {
    for (const c of this.clients) {
      if (!c.alive) {
        this.drop(c);
        continue;
      }
      c.alive = false;
      if (c.ws.readyState === WebSocket.OPEN) c.ws.ping();
    }
  }
}
