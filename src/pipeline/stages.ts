/**
 * The contracts between the pipeline's stages. The pipeline (pipeline.ts) calls them in this order
 * for every batch, single-threaded, inside one store transaction:
 *
 *   for each event:  network event → DetectorStage.observe
 *                    complaint     → IncidentStage.onComplaint → (unlinked) DetectorStage.observe
 *   DetectorStage.advance(watermark) → takeTransitions() → IncidentStage.onTransitions
 *   IncidentStage.advance(watermark) → takeChanges()     → TicketStage.onIncidentChanges
 *   TicketStage.advance(watermark)   → takeChanges()     → persisted with their outbox entries
 *
 * Every stage is pure logic over event time: no Date.now(), no timers, no I/O of its own. Time is
 * the `now` / `watermark` argument (epoch ms). State lives in the stage; the pipeline persists the
 * changes a stage reports and restores stages from the store (and detector checkpoints) on start.
 */
import type {
  Anomaly, AnomalyTransition, Complaint, ComplaintLink, Incident, NetworkEvent, Ticket,
  TicketEventType, Triage,
} from '../model/index.js';

/** Streaming detectors plus the anomaly state machine (src/detectors/). */
export interface DetectorStage {
  /** One normalised event, in arrival order per feed; complaints arrive here only when unlinked. */
  observe(ev: NetworkEvent): void;
  /** The watermark moved: evaluate time-driven conditions (missing data, durations, resolution). */
  advance(watermark: number): void;
  /** Anomaly state changes since the last call, in the order they happened. */
  takeTransitions(): AnomalyTransition[];
  /** Anomalies not yet resolved. */
  active(): Iterable<Anomaly>;
  /** Cell health for verification and the map: anomalies at the cell, `normal` when none. */
  cellStatus(cellId: string): CellStatus;
  /** Recent KPI history and learned baseline of a cell, for `GET /api/v1/cells/:id` and the dashboard. */
  cellDetail(cellId: string): CellDetail;
  /** Serialised state; restored with `restore` after a restart so baselines survive. */
  checkpoint(): Uint8Array;
  /**
   * The same bytes as `checkpoint()`, as a list of ranges that may be views over the live state
   * (no copy): valid only until the stage is next called. The pipeline pauses while it writes them.
   */
  checkpointParts?(): Uint8Array[];
  restore(data: Uint8Array): void;
  /**
   * After `restore` and the incidents' restore: the anomalies the stored incidents hold active, and
   * the ids they record as resolved — newer than the checkpoint. The stage adopts the first and drops
   * the second (see `Detectors.reconcile`).
   */
  reconcile?(known: { active: readonly Anomaly[]; resolvedIds: ReadonlySet<string> }, at: number): { dropped: number; adopted: number };
}

export type CellStatus = 'normal' | 'anomalous' | 'outage';

export interface CellDetail {
  status: CellStatus;
  /** Per KPI: recent samples with the expected value and band at each sample's time. */
  kpis: Record<string, { t: number[]; value: number[]; expected: (number | null)[]; lower: (number | null)[]; upper: (number | null)[] }>;
  anomalies: Anomaly[];
}

/** What happened to an incident in this batch. */
export interface IncidentChange {
  type: 'opened' | 'updated' | 'resolved' | 'reopened';
  incident: Incident;
  /** Complaints newly linked in this change. */
  linkedComplaints?: ComplaintLink[];
}

/** Topology grouping, root cause, complaint linking and triage (src/incidents/, src/triage/). */
export interface IncidentStage {
  /** Anomaly transitions from the detector stage, in order. */
  onTransitions(transitions: readonly AnomalyTransition[], now: number): void;
  /** A complaint, once: returns its link to an incident, or null when it stays unlinked. */
  onComplaint(complaint: Complaint, now: number): ComplaintLink | null;
  /** For a complaint `onComplaint` just left unlinked: the live network incident that nearly explains it, if any. */
  nearIncident?(complaintId: string): string | null;
  /** Time-driven work: resolution hysteresis, reopen windows, re-triage. */
  advance(now: number): void;
  /** Incident changes since the last call. */
  takeChanges(): IncidentChange[];
  /** Incidents currently open (and recently resolved ones that may reopen). */
  live(): Iterable<Incident>;
  /** Rebuild in-memory state from the store after a restart. */
  restore(incidents: readonly Incident[]): void;
  /** How far back (event time) `restore` wants stored incidents and `recallComplaints` stored complaints. */
  readonly memoryMs?: number;
  /** After `restore`: complaints handled before the restart, oldest first, with their links, as of watermark `now`. Returns how many. */
  recallComplaints?(complaints: Iterable<{ complaint: Complaint; link: ComplaintLink | null }>, now: number): number;
  /** Triage of a complaint once linked (or left unlinked): stored with the complaint. */
  complaintTriage?(complaint: Complaint, link: ComplaintLink | null, now: number): Triage | null;
}

/** What happened to a ticket in this batch; every change is a new version to deliver. */
export interface TicketChange {
  type: 'opened' | 'updated' | 'state' | 'sla_breach' | 'escalated' | 'verified' | 'reopened' | 'closed';
  ticket: Ticket;
  note?: string;
}

/** An event from the ticketing system (`POST /api/v1/tickets/:id/events`). */
export interface TicketEventInput {
  type: TicketEventType;
  at: number;
  note?: string;
}

/** Ticket life cycle, routing, SLA, verification and callbacks (src/tickets/). */
export interface TicketStage {
  onIncidentChanges(changes: readonly IncidentChange[], now: number): void;
  /** Write-back from the ticketing system; throws a NocwatchError (not found, invalid transition). */
  onTicketEvent(ticketId: string, event: TicketEventInput, now: number): Ticket;
  advance(now: number): void;
  takeChanges(): TicketChange[];
  /**
   * Tickets whose internal progress (the verification window's clocks) moved without a new version
   * since the last call: stored with the batch so a restart resumes it, not delivered.
   */
  takeProgress?(): Ticket[];
  /** After a restart: stored tickets, and the incidents the incident stage restored (which faults are open where). */
  restore(tickets: readonly Ticket[], incidents?: Iterable<Incident>): void;
}

/** Everything one processed batch produced; handed to every output after the store commit. */
export interface BatchOutcome {
  /** Event time the pipeline has reached after this batch. */
  watermark: number;
  events: readonly NetworkEvent[];
  transitions: readonly AnomalyTransition[];
  incidentChanges: readonly IncidentChange[];
  ticketChanges: readonly TicketChange[];
  /** Tickets whose internal progress moved without a version (see `TicketStage.takeProgress`): stored only. */
  ticketProgress?: readonly Ticket[];
  /** Complaints processed in this batch and how they were linked. */
  complaints: readonly { complaint: Complaint; link: ComplaintLink | null }[];
}

/**
 * Writes what a stage produced into the store, inside the batch's transaction (e.g. ticket versions
 * and their outbox entries). Throwing rolls the whole batch back.
 */
export interface BatchPersister {
  persist(outcome: BatchOutcome): void;
}

/**
 * An output fed after each batch is committed (dashboard hub, InfluxDB history, metrics). Called
 * synchronously on the pipeline's path: it must only enqueue, never block, never throw.
 */
export interface PipelineListener {
  onBatch(outcome: BatchOutcome): void;
}
