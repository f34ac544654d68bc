/**
 * The dashboard's view of the daemon, folded from each batch's outcome: cell colours, open
 * incidents, tickets, recent complaints, KPI tiles and feed health. It records what changed since
 * the last `takeDelta()`, so the hub can turn any number of batches into one message per interval.
 * No I/O and no timers: the hub decides when to take deltas and samples.
 */
import type { Topology } from '../inventory/topology.js';
import type { Anomaly, Incident, Ticket } from '../model/index.js';
import type { BatchOutcome } from '../pipeline/stages.js';
import { CellBoard, type DetectorCode } from './cell-board.js';
import type { DashboardConfig } from './config.js';
import { encodeGeometry } from './geometry.js';
import { compareIncidents } from './incident-order.js';
import {
  STATUS_ANOMALOUS, STATUS_NORMAL, STATUS_OUTAGE,
  type ComplaintItem, type Counters, type DeltaIncident, type DeltaMessage, type FeedBoard, type IncidentItem, type KpiTile, type SnapshotMessage, type TicketBoard,
} from './protocol.js';
import { PROCESS_KPIS, type DashboardSources } from './sources.js';
import { complaintItem, incidentItem, isOutageIncident, ticketBoard } from './views.js';

const DAY = 86_400_000;
/** Customer classes remembered for the VIP count of incidents (bounded; misses ask the store). */
const CLASS_CACHE = 100_000;
/** Closed tickets stay on the board this long (event time), then leave it. */
const CLOSED_TICKET_KEEP = DAY;
/** Newest complaints carried in one delta; the rest are only counted (the ticker shows the latest). */
const COMPLAINTS_PER_DELTA = 50;

/** Below this many cells an incident's cell list is simply sent again; it costs less than comparing. */
const CELLS_KEY_MIN = 1000;

/** A fingerprint of a large cell list (FNV-1a over the ids), to skip resending unchanged ones. */
function cellsKey(cells: readonly string[]): string | null {
  if (cells.length < CELLS_KEY_MIN) return null;
  let h = 0x811c9dc5;
  for (const id of cells) {
    for (let k = 0; k < id.length; k++) h = Math.imul(h ^ id.charCodeAt(k), 0x01000193);
    h = Math.imul(h ^ 10, 0x01000193);
  }
  return `${cells.length}:${(h >>> 0).toString(36)}`;
}

/**
 * The cells an anomaly colours: its cell, or every cell of the site or transport node it was raised
 * on (a site alarm turns the site's cells amber before any incident groups them).
 */
export function cellsOf(a: Anomaly, topo: Topology): readonly string[] {
  if (a.cellId) return [a.cellId];
  switch (a.objectType) {
    case 'cell':
      return [a.objectId];
    case 'site':
      return topo.site(a.objectId)?.cellIds ?? [];
    case 'transport':
      return (topo.transport(a.objectId)?.siteIds ?? []).flatMap((s) => topo.site(s)?.cellIds ?? []);
    default:
      return [];
  }
}

export class DashboardState {
  private board!: CellBoard;
  private topologyVersion = -1;
  private geometryVersion = '';
  private geometryBytes: Buffer | null = null;
  private readonly incidents = new Map<string, Incident>();
  private readonly tickets = new Map<string, Readonly<Ticket>>();
  /** incident id → its ticket id, from the tickets themselves (the incident document learns it a batch later). */
  private readonly ticketOfIncident = new Map<string, string>();
  private readonly classOf = new Map<string, string>();
  /** Own record of active anomalies per cell, used when no detector stage can be asked. */
  private readonly anomaliesAt = new Map<string, Map<string, boolean>>();
  private recent: ComplaintItem[] = [];
  private complaintTimes: number[] = [];
  private readonly kpiHistory = new Map<string, { t: number[]; v: (number | null)[]; note?: string }>();
  private feedBoard: FeedBoard;
  private lastRejected = new Map<string, number>();
  private lastFeedSample: number | null = null;
  private watermark: number | null = null;
  private readonly startedWall: number;
  private readonly wall: () => number;

  /** Fingerprint of each large incident's cells as last sent, so an update that keeps them omits them. */
  private readonly sentCells = new Map<string, string>();

  // What changed since the last takeDelta().
  private pendingIncidents = new Map<string, Incident>();
  private pendingComplaints: ComplaintItem[] = [];
  private complaintsSkipped = 0;
  private ticketsDirty = false;
  private kpisDirty = false;
  private feedsDirty = false;
  private countersDirty = false;
  private watermarkDirty = false;

  constructor(private readonly config: DashboardConfig, private readonly sources: DashboardSources, private readonly epoch: string) {
    this.wall = sources.wallClock ?? Date.now;
    this.startedWall = this.wall();
    this.feedBoard = this.emptyFeedBoard();
    this.rebuildBoard();
    for (const i of sources.liveIncidents()) this.applyIncident(i);
    for (const t of sources.tickets?.live() ?? []) this.rememberTicket(t);
    this.recent = sources.recentComplaints(config.recentComplaints).map((c) => {
      this.classOf.set(c.complaint.complaintId, c.complaint.customer.class);
      return complaintItem(c.complaint, c.incidentId, sources.topology);
    });
    this.watermark = sources.pipeline().watermark;
    // The last 24 h from the store: the ticker's `recentComplaints` are far fewer than a day's.
    this.complaintTimes = sources.complaintTimesSince?.((this.watermark ?? this.wall()) - DAY)
      ?? this.recent.map((c) => c.receivedAt).sort((a, b) => a - b);
    this.board.takeChanges();
    this.pendingIncidents.clear();
  }

  get cellCount(): number {
    return this.board.size;
  }

  /** The binary geometry for the current inventory (built lazily, cached per version). */
  geometry(): { version: string; bytes: Buffer } {
    this.geometryBytes ??= encodeGeometry(this.geometryVersion, this.board.cells);
    return { version: this.geometryVersion, bytes: this.geometryBytes };
  }

  /** True when the inventory changed since the board was built. */
  get inventoryChanged(): boolean {
    return this.sources.topology.version !== this.topologyVersion;
  }

  /**
   * Re-indexes every cell after an inventory change and recomputes every colour. Clients must get a
   * fresh snapshot afterwards (indexes moved).
   */
  rebuildBoard(): void {
    const topo = this.sources.topology;
    this.topologyVersion = topo.version;
    this.geometryVersion = `${this.epoch}.${topo.version}`;
    this.geometryBytes = null;
    this.board = new CellBoard(topo.allCells());
    const det = this.sources.detectors;
    if (det) {
      const seen = new Set<string>();
      for (const a of det.active()) {
        for (const c of cellsOf(a, topo)) if (!seen.has(c)) (seen.add(c), this.board.setDetector(c, this.detectorCode(c)));
      }
    } else {
      for (const c of this.anomaliesAt.keys()) this.board.setDetector(c, this.detectorCode(c));
    }
    for (const i of this.incidents.values()) this.board.coverCells(i.cells, 1, isOutageIncident(i));
    this.board.takeChanges();
  }

  private detectorCode(cellId: string): DetectorCode {
    const det = this.sources.detectors;
    if (det) {
      const s = det.cellStatus(cellId);
      return s === 'outage' ? STATUS_OUTAGE : s === 'anomalous' ? STATUS_ANOMALOUS : STATUS_NORMAL;
    }
    const m = this.anomaliesAt.get(cellId);
    if (!m || m.size === 0) return STATUS_NORMAL;
    for (const outage of m.values()) if (outage) return STATUS_OUTAGE;
    return STATUS_ANOMALOUS;
  }

  /** Folds one batch in. O(size of the outcome); called on the pipeline's path. */
  apply(o: BatchOutcome): void {
    const first = this.watermark === null;
    if (o.watermark !== this.watermark) (this.watermark = o.watermark, this.watermarkDirty = true);
    // The first data: the tiles need not wait for the next sample to show what there is.
    if (first) this.sampleKpis();
    const touched = new Set<string>();
    for (const tr of o.transitions) {
      for (const cell of cellsOf(tr.anomaly, this.sources.topology)) {
        if (!this.sources.detectors) {
          let m = this.anomaliesAt.get(cell);
          if (tr.to === 'resolved') {
            m?.delete(tr.anomaly.id);
            if (m && m.size === 0) this.anomaliesAt.delete(cell);
          } else if (tr.to === 'firing' || tr.to === 'resolving') {
            if (!m) this.anomaliesAt.set(cell, (m = new Map()));
            m.set(tr.anomaly.id, tr.anomaly.hint === 'outage');
          }
        }
        touched.add(cell);
      }
    }
    for (const c of touched) this.board.setDetector(c, this.detectorCode(c));
    for (const { complaint, link } of o.complaints) {
      this.rememberClass(complaint.complaintId, complaint.customer.class);
      const item = complaintItem(complaint, link?.incidentId ?? null, this.sources.topology);
      this.pendingComplaints.push(item);
      this.recent.unshift(item);
      this.complaintTimes.push(complaint.receivedAt);
    }
    if (this.recent.length > this.config.recentComplaints) this.recent.length = this.config.recentComplaints;
    if (this.pendingComplaints.length > COMPLAINTS_PER_DELTA) {
      this.complaintsSkipped += this.pendingComplaints.length - COMPLAINTS_PER_DELTA;
      this.pendingComplaints = this.pendingComplaints.slice(-COMPLAINTS_PER_DELTA);
    }
    for (const ch of o.incidentChanges) this.applyIncident(ch.incident);
    for (const ch of o.ticketChanges) {
      this.rememberTicket(ch.ticket);
      this.ticketsDirty = true;
      // The incident carries its ticket to the page: also a resolved one, whose ticket goes on to
      // verified and closed while an operator may still have its detail open.
      const inc = this.incidents.get(ch.ticket.incidentId) ?? this.pendingIncidents.get(ch.ticket.incidentId) ?? this.sources.incident(ch.ticket.incidentId);
      if (inc) this.pendingIncidents.set(inc.id, inc);
    }
    if (o.complaints.length > 0 || o.incidentChanges.length > 0 || touched.size > 0) this.countersDirty = true;
  }

  private rememberTicket(t: Readonly<Ticket>): void {
    this.tickets.set(t.id, t);
    this.ticketOfIncident.set(t.incidentId, t.id);
  }

  private rememberClass(complaintId: string, cls: string): void {
    if (this.classOf.size >= CLASS_CACHE) this.classOf.delete(this.classOf.keys().next().value!);
    this.classOf.set(complaintId, cls);
  }

  private customerClass = (complaintId: string): string | undefined => {
    let c = this.classOf.get(complaintId);
    if (c === undefined) {
      c = this.sources.complaint(complaintId)?.complaint.customer.class;
      if (c !== undefined) this.rememberClass(complaintId, c);
    }
    return c;
  };

  private applyIncident(inc: Incident): void {
    const old = this.incidents.get(inc.id);
    if (old) this.board.coverCells(old.cells, -1, isOutageIncident(old));
    if (inc.state === 'open') {
      this.incidents.set(inc.id, inc);
      this.board.coverCells(inc.cells, 1, isOutageIncident(inc));
    } else {
      this.incidents.delete(inc.id);
    }
    this.pendingIncidents.set(inc.id, inc);
  }

  private item(inc: Incident): IncidentItem {
    const ticketId = inc.ticketId ?? this.ticketOfIncident.get(inc.id);
    return incidentItem(inc, this.board, ticketId ? this.tickets.get(ticketId) : undefined, this.customerClass, this.pushStateOf);
  }

  /** The incident for a delta: a large cell list the clients already hold is left out. */
  private deltaItem(inc: Incident): DeltaIncident {
    const item: DeltaIncident = this.item(inc);
    const key = inc.state === 'open' ? cellsKey(inc.cells) : null;
    if (key !== null && this.sentCells.get(inc.id) === key) delete item.cellIdx;
    if (key === null) this.sentCells.delete(inc.id);
    else this.sentCells.set(inc.id, key);
    return item;
  }

  private readonly pushStateOf = (ticketId: string) => this.sources.tickets?.pushState?.(ticketId);
  private deadLetters = 0;

  /** Samples the process KPIs (called every `kpiIntervalMs`). */
  sampleKpis(): void {
    // Deliveries happen after the batch (the outbox worker): a ticket refused since shows up here.
    const dead = this.sources.tickets?.deadLetters() ?? 0;
    if (dead !== this.deadLetters) {
      this.ticketsDirty = true;
      for (const inc of this.incidents.values()) if (inc.ticketId ?? this.ticketOfIncident.get(inc.id)) this.pendingIncidents.set(inc.id, inc);
    }
    const values = this.sources.processKpis?.() ?? {};
    const t = this.watermark ?? this.wall();
    const step = this.config.kpiTrendStepS * 1000;
    for (const k of PROCESS_KPIS) {
      let h = this.kpiHistory.get(k.key);
      if (!h) this.kpiHistory.set(k.key, (h = { t: [], v: [] }));
      const kv = values[k.key];
      const v = kv?.value ?? null;
      // A point per step of event time (a replay draws the same trend), placed where its step
      // began and holding the last value sampled within it.
      if (h.t.length === 0 || t - h.t[h.t.length - 1]! >= step) (h.t.push(t), h.v.push(v));
      else h.v[h.v.length - 1] = v;
      if (h.t.length > this.config.kpiHistoryPoints) (h.t.shift(), h.v.shift());
      h.note = kv?.note ?? (this.sources.processKpis ? undefined : 'evaluation not running');
    }
    this.kpisDirty = true;
  }

  private kpiTiles(): KpiTile[] {
    return PROCESS_KPIS.map((k) => {
      const h = this.kpiHistory.get(k.key) ?? { t: [], v: [] };
      return { key: k.key, label: k.label, unit: k.unit, better: k.better, value: h.v.length ? (h.v[h.v.length - 1] ?? null) : null, t: [...h.t], v: [...h.v], note: (h as { note?: string }).note };
    });
  }

  private emptyFeedBoard(): FeedBoard {
    return { feeds: [], pending: 0, queueLimit: 0, watermark: null, newestEventTime: null, behindLiveS: null, wall: this.wall(), staleAfterS: this.config.staleFeedS };
  }

  /** Samples feed health (called every `feedIntervalMs`). */
  sampleFeeds(): void {
    const p = this.sources.pipeline();
    const wall = this.wall();
    const dtS = this.lastFeedSample === null ? null : Math.max(0.001, (wall - this.lastFeedSample) / 1000);
    this.lastFeedSample = wall;
    const staleMs = this.config.staleFeedS * 1000;
    const feeds = Object.entries(p.feeds).map(([feed, f]) => {
      const lastSeen = f.lastSeenAt ? Date.parse(f.lastSeenAt) : null;
      const lastEvent = f.lastEventTime ? Date.parse(f.lastEventTime) : null;
      const prev = this.lastRejected.get(feed);
      this.lastRejected.set(feed, f.rejected);
      return {
        feed,
        ratePerS: f.ratePerS,
        accepted: f.accepted,
        rejected: f.rejected,
        rejectRatePerS: dtS === null || prev === undefined ? 0 : Math.round(((f.rejected - prev) / dtS) * 100) / 100,
        lastSeenWall: lastSeen,
        lastEventTime: lastEvent,
        lagS: lastEvent !== null && p.newestEventTime !== null ? Math.round((p.newestEventTime - lastEvent) / 1000) : null,
        stale: lastSeen !== null ? wall - lastSeen > staleMs : wall - this.startedWall > staleMs,
      };
    });
    this.feedBoard = {
      feeds, pending: p.pending, queueLimit: p.queueLimit, watermark: p.watermark,
      newestEventTime: p.newestEventTime,
      behindLiveS: p.newestEventTime === null ? null : Math.round((wall - p.newestEventTime) / 1000),
      wall, staleAfterS: this.config.staleFeedS,
    };
    this.feedsDirty = true;
  }

  private ticketBoardNow(): TicketBoard {
    const wm = this.watermark ?? -Infinity;
    for (const [id, t] of this.tickets) {
      if (t.state === 'closed' && t.updatedAt < wm - CLOSED_TICKET_KEEP) (this.tickets.delete(id), this.ticketOfIncident.delete(t.incidentId));
    }
    const deadLetters = this.sources.tickets?.deadLetters() ?? 0;
    this.deadLetters = deadLetters;
    return ticketBoard(this.tickets.values(), deadLetters, this.pushStateOf);
  }

  private counters(): Counters {
    const [, anomalous, incident, outage] = this.board.sentCounts();
    const since = (this.watermark ?? this.wall()) - DAY;
    let drop = 0;
    while (drop < this.complaintTimes.length && this.complaintTimes[drop]! < since) drop++;
    if (drop > 0) this.complaintTimes = this.complaintTimes.slice(drop);
    return { cells: this.board.size, anomalous, incident, outage, openIncidents: this.incidents.size, complaintsToday: this.complaintTimes.length };
  }

  /** Everything that changed since the last call, or null when nothing did. `seq` is filled by the hub. */
  takeDelta(): Omit<DeltaMessage, 'seq'> | null {
    const d: Omit<DeltaMessage, 'seq'> = { type: 'delta', watermark: this.watermark };
    let any = this.watermarkDirty;
    const cells = this.board.takeChanges();
    if (cells.length > 0) (d.cells = cells, any = true);
    if (this.pendingIncidents.size > 0) {
      d.incidents = [...this.pendingIncidents.values()].map((i) => this.deltaItem(i));
      any = true;
    }
    if (this.pendingComplaints.length > 0 || this.complaintsSkipped > 0) {
      d.complaints = this.pendingComplaints;
      if (this.complaintsSkipped > 0) d.complaintsSkipped = this.complaintsSkipped;
      any = true;
    }
    if (this.ticketsDirty) (d.tickets = this.ticketBoardNow(), any = true);
    if (this.kpisDirty) (d.kpis = this.kpiTiles(), any = true);
    if (this.feedsDirty) (d.feeds = this.feedBoard, any = true);
    if (this.countersDirty || cells.length > 0) (d.counters = this.counters(), any = true);
    this.pendingIncidents = new Map();
    this.pendingComplaints = [];
    this.complaintsSkipped = 0;
    this.ticketsDirty = this.kpisDirty = this.feedsDirty = this.countersDirty = this.watermarkDirty = false;
    return any ? d : null;
  }

  /** The full state as clients hold it after the last delta. Call right after `takeDelta()`. */
  snapshot(seq: number): SnapshotMessage {
    return {
      type: 'snapshot',
      epoch: this.epoch,
      seq,
      geometryVersion: this.geometryVersion,
      cellCount: this.board.size,
      watermark: this.watermark,
      cells: this.board.sentPairs(),
      incidents: [...this.incidents.values()].map((i) => this.item(i)).sort(compareIncidents),
      complaints: this.recent,
      tickets: this.ticketBoardNow(),
      kpis: this.kpiTiles(),
      feeds: this.feedBoard,
      counters: this.counters(),
    };
  }
}
