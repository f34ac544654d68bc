/**
 * The pipeline: an in-process, bounded, ordered queue of normalised events, processed in batches.
 * Each batch runs through the stages (see stages.ts for the order) inside one store transaction;
 * after the commit every listener (dashboard, history, metrics) gets the batch's outcome.
 *
 * Event time drives everything downstream: the watermark is the newest event time processed — the
 * event time the pipeline has reached — and never goes back; it is the clock of every stage, so an
 * incident's detection time and a ticket's creation time are those of the data that revealed them.
 * Feeds may lag it by the allowed lateness (detectors that need completeness, like missing data,
 * wait for the neighbours' reports themselves); older events still count but are counted as late.
 * Wall time only decides when batches run and when the detector state is checkpointed.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { Store } from '../store/store.js';
import { feedOf, fromIncidentAnomaly, type Anomaly, type AnomalyTransition, type Complaint, type ComplaintLink, type Feed, type NetworkEvent } from '../model/index.js';
import type { PipelineConfig } from './config.js';
import type {
  BatchOutcome, BatchPersister, DetectorStage, IncidentChange, IncidentStage, PipelineListener, TicketChange, TicketEventInput,
  TicketStage,
} from './stages.js';
import type { Ticket } from '../model/index.js';
import { NotFoundError } from '../errors.js';

export interface PipelineDeps {
  config: PipelineConfig;
  store: Store;
  metrics: Metrics;
  logger: Logger;
  detectors?: DetectorStage;
  incidents?: IncidentStage;
  tickets?: TicketStage;
  persisters?: BatchPersister[];
  listeners?: PipelineListener[];
  /** Wall clock (epoch ms), for latency metrics and checkpoint pacing only. */
  wallClock?: () => number;
}

interface Chunk {
  events: readonly NetworkEvent[];
  /** Next event of `events` to process. */
  next: number;
  acceptedAt: number;
}

const WATERMARK_KEY = 'pipeline.watermark';
const DETECTOR_CHECKPOINT = 'detectors';
/** The smallest batch `batchTargetMs` shrinks to (a store transaction has its cost too). */
const MIN_BATCH_EVENTS = 200;

interface Accumulated {
  transitions: AnomalyTransition[];
  incidentChanges: IncidentChange[];
  ticketChanges: TicketChange[];
  ticketProgress: Ticket[];
}

export class Pipeline {
  private readonly chunks: Chunk[] = [];
  private pendingCount = 0;
  private running = false;
  private idleWaiters: (() => void)[] = [];
  /** Wall time a batch has recently cost per event (EWMA): sizes the next batch to `batchTargetMs`. */
  private msPerEvent = 0;
  private _watermark: number | null = null;
  private checkpointTimer: NodeJS.Timeout | null = null;
  private dirtySinceCheckpoint = false;
  private checkpointInFlight: Promise<void> | null = null;
  /** Set while a checkpoint is written: the batch loop waits on it. */
  private paused: Promise<void> | null = null;
  private readonly listeners: PipelineListener[];
  private readonly persisters: BatchPersister[];
  private readonly wall: () => number;
  private readonly log: Logger;

  constructor(private readonly deps: PipelineDeps) {
    this.listeners = [...(deps.listeners ?? [])];
    this.persisters = [...(deps.persisters ?? [])];
    this.wall = deps.wallClock ?? Date.now;
    this.log = deps.logger.child({ component: 'pipeline' });
  }

  /** Records accepted but not yet processed. */
  get pending(): number {
    return this.pendingCount;
  }

  /** The event time the pipeline has reached — the newest processed (epoch ms) — or null before the first event. */
  get watermark(): number | null {
    return this._watermark;
  }

  /** The same as `watermark` (kept for readers that name it so). */
  get newestEventTime(): number | null {
    return this._watermark;
  }

  /** Room left in the queue before ingest must refuse with 503. */
  get capacityLeft(): number {
    return Math.max(0, this.deps.config.queueLimit - this.pendingCount);
  }

  addListener(l: PipelineListener): void {
    this.listeners.push(l);
  }

  addPersister(p: BatchPersister): void {
    this.persisters.push(p);
  }

  /**
   * Restores state after a restart: watermark, detector checkpoint, live incidents. Call once,
   * before the first enqueue. Returns what was restored, for the start-up log.
   */
  restore(incidentReopenWindowMs = 24 * 3600_000): {
    watermark: number | null; checkpointBytes: number; incidents: number; recalledComplaints: number; dropped: number; adopted: number; replayed: number;
  } {
    const { store, detectors, incidents } = this.deps;
    const wm = store.meta.get(WATERMARK_KEY);
    if (wm !== undefined) {
      this._watermark = Number(wm);
      this.deps.metrics.watermark.set(this._watermark / 1000);
    }
    let checkpointBytes = 0;
    if (detectors) {
      try {
        const cp = store.checkpoints.load(DETECTOR_CHECKPOINT);
        if (cp) {
          detectors.restore(cp.data);
          checkpointBytes = cp.data.byteLength;
        }
      } catch (e) {
        // A checkpoint from an incompatible version: start learning afresh rather than not start.
        this.log.warn({ err: e }, 'detector checkpoint could not be restored; baselines start afresh');
      }
    }
    let live = 0;
    let recalled = 0;
    if (incidents) {
      const memory = Math.max(incidentReopenWindowMs, incidents.memoryMs ?? 0);
      const since = (this._watermark ?? 0) - memory;
      const list = store.incidents.live(since);
      incidents.restore(list);
      for (const _ of incidents.live()) live++;
      if (incidents.recallComplaints && this._watermark !== null) {
        recalled = incidents.recallComplaints(store.complaints.processedSince(since), this._watermark);
      }
    }
    const reconciled = detectors && incidents ? this.reconcile(detectors, incidents) : { dropped: 0, adopted: 0, replayed: 0 };
    return { watermark: this._watermark, checkpointBytes, incidents: live, recalledComplaints: recalled, ...reconciled };
  }

  /**
   * The detector checkpoint is up to a checkpoint interval older than the stored incidents: anomalies
   * that fired or resolved in between are known to the incidents only. The detector stage takes them
   * over, so such an incident neither waits for ever on evidence nobody clears nor reopens on a
   * resolution it already recorded. The other way round, anomalies the detectors hold firing that no
   * incident knows were held in the incident stage's memory (a signaling failure waiting for the
   * region-wide picture) when the process died: they are handed over again, or they would never open
   * an incident. (Not alarms: an active alarm no incident knows is one left behind by an incident
   * long resolved and forgotten.)
   */
  private reconcile(detectors: DetectorStage, incidents: IncidentStage): { dropped: number; adopted: number; replayed: number } {
    const active: Anomaly[] = [];
    const resolvedIds = new Set<string>();
    let at = this._watermark ?? 0;
    for (const inc of incidents.live()) {
      at = Math.max(at, inc.updatedAt);
      for (const e of inc.anomalies) {
        if (e.resolvedAt !== undefined) resolvedIds.add(e.id);
        else active.push(fromIncidentAnomaly(e, inc.updatedAt));
      }
    }
    const known = new Set([...resolvedIds, ...active.map((a) => a.id)]);
    const { dropped, adopted } = detectors.reconcile && known.size > 0 ? detectors.reconcile({ active, resolvedIds }, at) : { dropped: 0, adopted: 0 };
    const replay: AnomalyTransition[] = [];
    for (const a of detectors.active()) {
      if (a.state === 'pending' || a.state === 'resolved' || a.source === 'alarm' || known.has(a.id)) continue;
      replay.push({ from: a.state, to: a.state, at, anomaly: { ...a, evidence: { ...a.evidence } } });
    }
    if (replay.length > 0) incidents.onTransitions(replay, at);
    return { dropped, adopted, replayed: replay.length };
  }

  /** Starts periodic checkpoints (wall time). */
  start(): void {
    if (this.checkpointTimer) return;
    this.checkpointTimer = setInterval(() => void this.checkpoint(), this.deps.config.checkpointIntervalS * 1000);
    this.checkpointTimer.unref();
  }

  /**
   * Saves the detector state when anything changed since the last save. Batches pause while the
   * state is written — straight from the live arrays, no copy of a gigabyte-sized state — and
   * ingest keeps accepting into the queue meanwhile. One save at a time; a tick that finds one still
   * running skips.
   */
  checkpoint(): Promise<void> {
    if (!this.dirtySinceCheckpoint || !this.deps.detectors || this.checkpointInFlight) return this.checkpointInFlight ?? Promise.resolve();
    this.checkpointInFlight = this.writeCheckpoint().finally(() => {
      this.checkpointInFlight = null;
    });
    return this.checkpointInFlight;
  }

  /** Saves the detector state now (shutdown), after any save already running. */
  async checkpointNow(): Promise<void> {
    await this.checkpointInFlight;
    this.dirtySinceCheckpoint = true;
    await this.checkpoint();
  }

  private async writeCheckpoint(): Promise<void> {
    const { store, detectors } = this.deps;
    let resume!: () => void;
    this.paused = new Promise((r) => (resume = r));
    try {
      // Batches run synchronously, so none is half-way now; the loop waits on `paused` for the next.
      const started = this.wall();
      const watermark = this._watermark;
      const parts = detectors!.checkpointParts?.() ?? [detectors!.checkpoint()];
      this.dirtySinceCheckpoint = false;
      await store.checkpoints.save(DETECTOR_CHECKPOINT, parts, started);
      if (watermark !== null) store.meta.set(WATERMARK_KEY, String(watermark));
      this.log.debug({ bytes: parts.reduce((n, p) => n + p.byteLength, 0), ms: this.wall() - started }, 'detector checkpoint saved');
    } catch (e) {
      this.dirtySinceCheckpoint = true;
      this.checkpointFailed(e);
    } finally {
      this.paused = null;
      resume();
    }
  }

  private checkpointFailed(e: unknown): void {
    this.deps.metrics.storeErrors.inc({ op: 'checkpoint' });
    this.log.error({ err: e }, 'saving the detector checkpoint failed; the previous checkpoint stays in place');
  }

  /** Appends events (already validated) in order. The caller has checked capacity. */
  enqueue(events: readonly NetworkEvent[], acceptedAt = this.wall()): void {
    if (events.length === 0) return;
    this.chunks.push({ events, next: 0, acceptedAt });
    this.pendingCount += events.length;
    this.deps.metrics.pending.set(this.pendingCount);
    if (!this.running) {
      // Start on the next turn of the event loop: the request that enqueued gets its 202 first.
      this.running = true;
      setImmediate(() => void this.run());
    }
  }

  /** Resolves when the queue is empty and no batch is running. */
  whenIdle(): Promise<void> {
    if (!this.running && this.pendingCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drains the queue (up to `graceMs`), then checkpoints. Returns whether everything was processed. */
  async stop(graceMs: number): Promise<boolean> {
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
    this.checkpointTimer = null;
    const drained = await Promise.race([
      this.whenIdle().then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), graceMs).unref()),
    ]);
    if (!drained) this.log.warn({ pending: this.pendingCount }, 'shutdown grace time over; unprocessed records are dropped (complaints stay stored and are reprocessed at start)');
    await this.checkpointNow();
    return drained;
  }

  /**
   * Applies a ticketing-system event (`POST /api/v1/tickets/:id/events`) between batches, as a
   * batch of its own: in a store transaction with the persisters (ticket version + outbox entry),
   * then handed to the listeners. Time is the watermark. Throws the stage's error (404, 409) with
   * nothing written.
   */
  applyTicketEvent(ticketId: string, event: TicketEventInput): Ticket {
    const tickets = this.deps.tickets;
    if (!tickets) throw new NotFoundError(`ticket ${ticketId} not found`);
    const wm = this._watermark ?? event.at;
    let ticket: Ticket | undefined;
    let outcome: BatchOutcome | undefined;
    this.deps.store.transaction(() => {
      ticket = tickets.onTicketEvent(ticketId, event, wm);
      outcome = { watermark: wm, events: [], transitions: [], incidentChanges: [], ticketChanges: tickets.takeChanges(), complaints: [] };
      for (const p of this.persisters) p.persist(outcome);
    });
    if (outcome) this.notify(outcome);
    return ticket!;
  }

  private notify(outcome: BatchOutcome): void {
    for (const l of this.listeners) {
      try {
        l.onBatch(outcome);
      } catch (e) {
        this.log.error({ err: e }, 'a pipeline listener threw; it must only enqueue');
      }
    }
  }

  private async run(): Promise<void> {
    try {
      while (this.pendingCount > 0) {
        if (this.paused) await this.paused;
        const batch = this.takeBatch();
        this.processBatch(batch.events, batch.acceptedAt);
        // Let HTTP requests and timers in between batches.
        await yieldToLoop();
      }
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private takeBatch(): { events: NetworkEvent[]; acceptedAt: number[] } {
    const { maxBatchEvents, batchTargetMs } = this.deps.config;
    // A batch holds the event loop: size it to what the last batches cost per event, so a busy or
    // shared CPU (or heavy events: a PM record with 40 KPIs) still lets requests in every ~target ms.
    const max = batchTargetMs > 0 && this.msPerEvent > 0
      ? Math.min(maxBatchEvents, Math.max(MIN_BATCH_EVENTS, Math.floor(batchTargetMs / this.msPerEvent)))
      : maxBatchEvents;
    const events: NetworkEvent[] = [];
    const acceptedAt: number[] = [];
    while (events.length < max && this.chunks.length > 0) {
      const c = this.chunks[0]!;
      const take = Math.min(max - events.length, c.events.length - c.next);
      for (let i = 0; i < take; i++) events.push(c.events[c.next + i]!);
      acceptedAt.push(c.acceptedAt);
      c.next += take;
      if (c.next >= c.events.length) this.chunks.shift();
    }
    return { events, acceptedAt };
  }

  /** Runs one batch through every stage and commits it. Synchronous: nothing interleaves. */
  private processBatch(events: NetworkEvent[], acceptedAt: number[]): void {
    const started = this.wall();
    const { store, detectors, incidents, metrics } = this.deps;
    const lateness = this.deps.config.allowedLatenessS * 1000;
    const step = this.deps.config.advanceStepS * 1000;
    const acc: Accumulated = { transitions: [], incidentChanges: [], ticketChanges: [], ticketProgress: [] };
    const complaints: { complaint: Complaint; link: ComplaintLink | null }[] = [];
    const late = new Map<Feed, number>();
    let outcome: BatchOutcome | null = null;

    try {
      store.transaction(() => {
        let advancedTo = this._watermark ?? -Infinity;
        // Events the detectors saw since the stages last moved: a late one (an alarm at 07:00:22 after
        // a dial test at 07:00:40) leaves the watermark where it was, yet has news for the stages.
        let unseen = false;
        const catchUp = (): void => {
          this.advanceStages(this._watermark!, acc);
          advancedTo = this._watermark!;
          unseen = false;
        };
        for (const ev of events) {
          if (this._watermark !== null && ev.t < this._watermark - lateness) {
            const f = feedOf(ev);
            late.set(f, (late.get(f) ?? 0) + 1);
          }
          if (ev.kind === 'complaint' && this._watermark !== null && (unseen || this._watermark > advancedTo)) {
            // A complaint meets what the network evidence before it has found: incidents open at
            // their own time (a core alarm at 07:00:22 is not detected "at" the 07:03:29 complaint
            // that happened to come next), and the complaint can link to them at once.
            catchUp();
          }
          if (this._watermark === null || ev.t > this._watermark) {
            // Before time jumps ahead, what the events so far found reaches the stages at their own
            // time: an alarm at 07:00:51 followed in the batch by a dial test at 07:05:40 opens its
            // incident (and ticket) at 07:00:51, not at 07:05:40.
            if (this._watermark !== null && (unseen || this._watermark > advancedTo) && ev.t - advancedTo >= step) catchUp();
            this._watermark = ev.t;
            // A batch may span hours of event time (a replay): move the stages along as it goes,
            // so detection and incident times are those of the data, not of the batch's end.
            if (this._watermark - advancedTo >= step) catchUp();
          }
          const now = this._watermark ?? ev.t;
          if (ev.kind === 'complaint') {
            const link = incidents?.onComplaint(ev.complaint, now) ?? null;
            if (!link) {
              const near = incidents?.nearIncident?.(ev.complaint.complaintId) ?? null;
              detectors?.observe(near !== null ? { ...ev, nearIncident: near } : ev);
              unseen = true;
            }
            const triage = incidents?.complaintTriage?.(ev.complaint, link, now) ?? null;
            store.complaints.markProcessed(ev.complaint.complaintId, link, triage);
            complaints.push({ complaint: ev.complaint, link });
          } else {
            detectors?.observe(ev);
            unseen = true;
          }
        }
        const wm = this._watermark ?? 0;
        this.advanceStages(wm, acc);
        for (const ch of acc.incidentChanges) {
          store.incidents.upsert(ch.incident);
          for (const link of ch.linkedComplaints ?? []) store.complaints.relink(link.complaintId, link);
        }
        outcome = { watermark: wm, events, complaints, ...acc };
        for (const p of this.persisters) p.persist(outcome);
        store.meta.set(WATERMARK_KEY, String(wm));
      });
    } catch (e) {
      outcome = null;
      metrics.storeErrors.inc({ op: 'batch' });
      this.log.error({ err: e, events: events.length }, 'a batch could not be committed; its stage changes stay in memory and are persisted with the next batch');
    }

    this.pendingCount -= events.length;
    this.dirtySinceCheckpoint = true;
    const done = this.wall();
    metrics.pending.set(this.pendingCount);
    if (this._watermark !== null) metrics.watermark.set(this._watermark / 1000);
    metrics.batchDuration.observe((done - started) / 1000);
    if (events.length > 0) {
      const per = (done - started) / events.length;
      this.msPerEvent = this.msPerEvent > 0 ? 0.7 * this.msPerEvent + 0.3 * per : per;
    }
    for (const t of acceptedAt) metrics.processingLatency.observe((done - t) / 1000);
    for (const [f, n] of late) metrics.lateEvents.inc({ feed: f }, n);
    // (An escalation, firing → firing, enters no state.)
    for (const tr of acc.transitions) if (tr.from !== tr.to) metrics.detectorAnomalies.inc({ source: tr.anomaly.source, state: tr.to });

    if (!outcome) return;
    this.notify(outcome);
  }

  /** Moves detectors, incidents and tickets to event time `wm`, collecting what they report. */
  private advanceStages(wm: number, acc: Accumulated): void {
    const { detectors, incidents, tickets } = this.deps;
    let transitions: BatchOutcome['transitions'] = [];
    if (detectors) {
      detectors.advance(wm);
      transitions = detectors.takeTransitions();
      acc.transitions.push(...transitions);
    }
    let changes: IncidentChange[] = [];
    if (incidents) {
      if (transitions.length > 0) incidents.onTransitions(transitions, wm);
      incidents.advance(wm);
      changes = incidents.takeChanges();
      acc.incidentChanges.push(...changes);
    }
    if (tickets) {
      if (changes.length > 0) tickets.onIncidentChanges(changes, wm);
      tickets.advance(wm);
      acc.ticketChanges.push(...tickets.takeChanges());
      acc.ticketProgress.push(...(tickets.takeProgress?.() ?? []));
    }
  }
}
