/**
 * The one way records enter nocwatch (implements IngestPort): validate each record, reject the bad
 * ones with their index and reason (kept for /api/v1/rejects and counted), store complaints
 * durably before answering, and enqueue the rest in order. Over the queue limit nothing of the
 * request is accepted (OverloadedError → 503 + Retry-After); a request larger than the whole queue
 * is refused for good (BatchTooLargeError → 413: split it).
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { BatchTooLargeError, OverloadedError, StoreError } from '../errors.js';
import type { RecordDecoder } from '../collectors/json-records.js';
import type { Feed, NetworkEvent } from '../model/index.js';
import type { Topology } from '../inventory/topology.js';
import { rejectSnippet, rejectText, type RejectEntry } from '../store/reject-store.js';
import type { Store } from '../store/store.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { PipelineConfig } from './config.js';
import type { FeedStats } from './feed-stats.js';
import type { IngestPort, IngestResult, Rejection } from './ingest-port.js';
import type { Pipeline } from './pipeline.js';

/**
 * A record that failed before decoding: a broken NDJSON line (a string: its error, counted as
 * `invalid_json`), or a collector's own rejection with its metrics reason (e.g. a VES event of an
 * unsupported domain).
 */
export type Unparsable = string | { error: string; reason: string };

/**
 * Where the records of a batch were in the request, when that is not their batch index and JSON:
 * one line-protocol write feeds several batches from one body. Stored rejects then carry this index
 * and text, so GET /api/v1/rejects points at what was sent. (The answer's `rejected` keeps batch
 * indexes: the caller maps them.)
 */
export interface RecordOrigins {
  /** The stored reject's `index` for record `i` of the batch (line protocol: the 0-based line). */
  index(i: number): number;
  /** Record `i` as received (line protocol: the line), stored with its reject. */
  text(i: number): string;
}

/** A record rejected before it could be given to a feed (a line that names none), by its place in the request. */
export interface UnfedReject {
  index: number;
  error: string;
  /** Bounded label for metrics. */
  reason: string;
  /** The record as received. */
  text: string;
}

/** Records decoded per slice before yielding to the event loop (a few ms of work). */
const SLICE = 2000;

interface Decoding {
  events: NetworkEvent[];
  rejected: Rejection[];
  reasons: Map<string, number>;
  rejectEntries: RejectEntry[];
}

export interface IngestServiceDeps {
  config: PipelineConfig;
  decoder: RecordDecoder;
  pipeline: Pipeline;
  store: Store;
  metrics: Metrics;
  feedStats: FeedStats;
  logger: Logger;
  wallClock?: () => number;
  /** The inventory, to count records naming objects it does not know (they are still accepted). */
  topology?: Topology;
}

/** True when the event names a cell, site, transport node or district the inventory does not know (core elements need not be there). */
export function namesUnknownObject(ev: NetworkEvent, topo: Topology): boolean {
  switch (ev.kind) {
    case 'alarm':
      if (ev.objectType === 'cell') return topo.cell(ev.objectId) === undefined;
      if (ev.objectType === 'site') return topo.site(ev.objectId) === undefined;
      if (ev.objectType === 'transport') return topo.transport(ev.objectId) === undefined;
      return false;
    case 'complaint': {
      const loc = ev.complaint.location;
      if (loc.cellId !== undefined) return topo.cell(loc.cellId) === undefined;
      if (loc.district !== undefined && loc.lat === undefined) return topo.cellsInDistrict(loc.district).length === 0;
      return false;
    }
    default:
      return ev.cellId !== undefined && topo.cell(ev.cellId) === undefined;
  }
}

export class IngestService implements IngestPort {
  private closed = false;
  /** Records admitted by requests still being decoded: counted against the queue limit. */
  private reserved = 0;
  private readonly wall: () => number;
  private readonly log: Logger;

  constructor(private readonly deps: IngestServiceDeps) {
    this.wall = deps.wallClock ?? Date.now;
    this.log = deps.logger.child({ component: 'ingest' });
  }

  /** Refuse new records from now on (shutdown). */
  close(): void {
    this.closed = true;
  }

  /** True when the queue is so full that ingest is refusing (for /readyz). */
  get overloaded(): boolean {
    return this.deps.pipeline.capacityLeft - this.reserved <= 0;
  }

  private admit(feed: Feed, count: number): void {
    const { pipeline, config, metrics } = this.deps;
    if (count > config.queueLimit) throw new BatchTooLargeError(count, config.queueLimit);
    if (this.closed) {
      metrics.ingestOverloaded.inc({ feed });
      throw new OverloadedError(config.retryAfterS, 'the daemon is shutting down');
    }
    if (count > pipeline.capacityLeft - this.reserved) {
      metrics.ingestOverloaded.inc({ feed });
      throw new OverloadedError(config.retryAfterS, `${pipeline.pending} records are queued (limit ${config.queueLimit}); this request has ${count}`);
    }
  }

  /**
   * `unparsable` holds, by index, records that could not even be parsed (a broken NDJSON line):
   * they are rejected with that error; the rest of the batch goes on.
   */
  accept(
    feed: Feed, records: readonly unknown[], source = 'http', unparsable?: ReadonlyMap<number, Unparsable>, origins?: RecordOrigins,
  ): IngestResult {
    this.admit(feed, records.length);
    const d = this.newDecoding();
    this.decodeRange(feed, records, 0, records.length, unparsable, origins, d);
    return this.commit(feed, d.events, d.rejected, d.reasons, d.rejectEntries, source);
  }

  /**
   * Like `accept`, but decodes a large batch in slices, yielding to the event loop between them so
   * one big request cannot stall the others. The batch's room in the queue is reserved up front:
   * it is still accepted or refused as a whole.
   */
  async acceptInSlices(
    feed: Feed, records: readonly unknown[], source = 'http', unparsable?: ReadonlyMap<number, Unparsable>, origins?: RecordOrigins,
  ): Promise<IngestResult> {
    if (records.length <= SLICE) return this.accept(feed, records, source, unparsable, origins);
    this.admit(feed, records.length);
    this.reserved += records.length;
    try {
      const d = this.newDecoding();
      for (let from = 0; from < records.length; from += SLICE) {
        this.decodeRange(feed, records, from, Math.min(records.length, from + SLICE), unparsable, origins, d);
        await yieldToLoop();
      }
      if (this.closed) throw new OverloadedError(this.deps.config.retryAfterS, 'the daemon is shutting down');
      return this.commit(feed, d.events, d.rejected, d.reasons, d.rejectEntries, source);
    } finally {
      this.reserved -= records.length;
    }
  }

  private newDecoding(): Decoding {
    return { events: [], rejected: [], reasons: new Map(), rejectEntries: [] };
  }

  private decodeRange(
    feed: Feed, records: readonly unknown[], from: number, to: number,
    unparsable: ReadonlyMap<number, Unparsable> | undefined, origins: RecordOrigins | undefined, out: Decoding,
  ): void {
    const { events, rejected, reasons, rejectEntries } = out;
    const now = this.wall();
    const maxT = this.deps.config.maxFutureS > 0 ? now + this.deps.config.maxFutureS * 1000 : Infinity;
    for (let i = from; i < to; i++) {
      const parseError = unparsable?.get(i);
      const d = parseError === undefined
        ? this.deps.decoder.decode(feed, records[i])
        : typeof parseError === 'string' ? { ok: false as const, error: parseError, reason: 'invalid_json' } : { ok: false as const, ...parseError };
      let error: string | null = null;
      let reason = '';
      if (!d.ok) ({ error, reason } = d);
      else if (d.event.t > maxT) {
        error = `time: ${new Date(d.event.t).toISOString()} is more than ${this.deps.config.maxFutureS} s ahead of this server's clock`;
        reason = 'future_time';
      } else events.push(d.event);
      if (error !== null) {
        rejected.push({ index: i, error });
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        rejectEntries.push(origins
          ? { at: now, feed, index: origins.index(i), error, record: rejectText(origins.text(i)) }
          : { at: now, feed, index: i, error, record: rejectSnippet(records[i]) });
      }
    }
  }

  /**
   * Keeps and counts records rejected before any feed could take them (a line-protocol line that
   * does not parse and names no measurement nocwatch reads): API.md wants every bad record counted
   * in /metrics and kept at /api/v1/rejects. `label` stands for the feed there. A store failure is
   * logged and counted, not thrown: the records are refused either way, and the request's good
   * records were already accepted.
   */
  rejectUnfed(label: string, rejects: readonly UnfedReject[]): void {
    if (rejects.length === 0) return;
    const { store, metrics } = this.deps;
    const at = this.wall();
    const reasons = new Map<string, number>();
    for (const r of rejects) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
    for (const [reason, n] of reasons) metrics.ingestRejected.inc({ feed: label, reason }, n);
    try {
      store.transaction(() => store.rejects.add(rejects.map((r) => ({ at, feed: label, index: r.index, error: r.error, record: rejectText(r.text) }))));
    } catch (e) {
      metrics.storeErrors.inc({ op: 'ingest' });
      this.log.error({ err: e, feed: label }, 'storing rejected records failed');
    }
  }

  acceptEvents(feed: Feed, events: readonly NetworkEvent[], source = 'collector'): IngestResult {
    this.admit(feed, events.length);
    return this.commit(feed, [...events], [], new Map(), [], source);
  }

  private commit(
    feed: Feed, events: NetworkEvent[], rejected: Rejection[], reasons: Map<string, number>,
    rejectEntries: RejectEntry[], source: string,
  ): IngestResult {
    const { store, pipeline, metrics, feedStats } = this.deps;
    let duplicates = 0;
    let toQueue = events;
    try {
      store.transaction(() => {
        if (feed === 'complaints') {
          // Durable before the 202: a complaint is stored here, and processed from the queue.
          toQueue = [];
          for (const ev of events) {
            if (ev.kind !== 'complaint') continue;
            if (store.complaints.insert(ev.complaint)) toQueue.push(ev);
            else duplicates++;
          }
        }
        if (rejectEntries.length > 0) store.rejects.add(rejectEntries);
      });
    } catch (e) {
      metrics.storeErrors.inc({ op: 'ingest' });
      this.log.error({ err: e, feed }, 'storing ingested records failed; the request is refused');
      throw new StoreError('the store could not save the records; nothing was accepted — retry later');
    }
    pipeline.enqueue(toQueue);
    let maxT: number | null = null;
    for (const ev of events) if (maxT === null || ev.t > maxT) maxT = ev.t;
    metrics.ingestAccepted.inc({ feed }, events.length);
    if (duplicates > 0) metrics.ingestDuplicates.inc({ feed }, duplicates);
    let unknown = 0;
    // An empty inventory (the daemon before its first upload) knows nothing: nothing to count against.
    const topo = this.deps.topology;
    if (topo && topo.size > 0) for (const ev of events) if (namesUnknownObject(ev, topo)) unknown++;
    if (unknown > 0) metrics.ingestUnknownObjects.inc({ feed }, unknown);
    for (const [reason, n] of reasons) metrics.ingestRejected.inc({ feed, reason }, n);
    feedStats.record(feed, events.length, rejected.length, duplicates, maxT, unknown);
    if (rejected.length > 0) this.log.debug({ feed, source, rejected: rejected.length }, 'records rejected');
    return duplicates > 0 ? { accepted: events.length, rejected, duplicates } : { accepted: events.length, rejected };
  }

  /**
   * Re-enqueues complaints that were stored but not processed when the daemon stopped (a crash, or
   * a shutdown past the grace time). Called once at start.
   */
  requeueUnprocessedComplaints(): number {
    const complaints = this.deps.store.complaints.unprocessed(Number.MAX_SAFE_INTEGER);
    this.deps.pipeline.enqueue(complaints.map((c) => ({ kind: 'complaint' as const, t: c.receivedAt, complaint: c })));
    return complaints.length;
  }
}
