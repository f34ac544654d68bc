/**
 * The incident stage: anomalies in, incidents out. Groups anomalies along the topology (transport →
 * site → cell, and the core of a region), links complaints, keeps each incident's root cause,
 * confidence and triage current, resolves with hysteresis and reopens the same problem rather than
 * duplicating it. Pure logic on event time; the pipeline persists the changes it reports.
 */
import { DAY, MINUTE, HOUR, fromIncidentAnomaly } from '../model/index.js';
import type { Anomaly, AnomalyTransition, AreaClass, Complaint, ComplaintLink, Incident, Severity, Triage } from '../model/index.js';
import type { Topology } from '../inventory/topology.js';
import type { IncidentChange, IncidentStage } from '../pipeline/stages.js';
import type { TriageConfig } from '../triage/config.js';
import { RepeatHistory } from '../triage/repeat-history.js';
import { triage } from '../triage/triage.js';
import { assessCategory, assessConfidence, assessSeverity, weighEvidence, type CategoryResult, type WeighedEvidence } from './assessment.js';
import { ComplaintDesk } from './complaint-desk.js';
import type { IncidentsConfig } from './config.js';
import { Grouper } from './grouper.js';
import { IncidentBook } from './incident-book.js';
import { newLive, quietSince, type LiveIncident } from './live-incident.js';

export interface IncidentEngineOptions {
  config: IncidentsConfig;
  triage: TriageConfig;
  topology: Topology;
}

/** Cached per incident, recomputed when its cells change. */
interface CellAggregates {
  areaClasses: AreaClass[];
  pastIncidents: number;
  pastCellComplaints: number;
}

/**
 * Cached per incident, recomputed when its evidence changes or time makes some of it sustained (not
 * when a complaint joins).
 */
interface EvidenceAssessment {
  version: number;
  weighed: WeighedEvidence;
  category: CategoryResult;
  severity: Severity;
}

export class IncidentEngine implements IncidentStage {
  private readonly book: IncidentBook;
  private readonly grouper: Grouper;
  private readonly desk: ComplaintDesk;
  private readonly history: RepeatHistory;
  private readonly aggregates = new WeakMap<LiveIncident, CellAggregates>();
  private readonly assessments = new WeakMap<LiveIncident, EvidenceAssessment>();
  /** How long a resolved incident may still draw complaints. */
  private readonly lagMs: number;

  constructor(private readonly opts: IncidentEngineOptions) {
    const cfg = opts.config;
    // A snapshot taken mid-batch (before a resolve, reopen or merge) needs current derived fields;
    // after a flush nothing is stale.
    this.book = new IncidentBook(opts.topology, cfg, (live) => {
      if (this.book.dirty.has(live)) this.refresh(live);
    });
    this.history = new RepeatHistory(cfg.history);
    this.grouper = new Grouper(this.book);
    this.desk = new ComplaintDesk(this.book, this.history, opts.triage);
    this.lagMs = Math.max(...Object.values(cfg.linking.lagAfterResolveHours)) * HOUR;
  }

  onTransitions(transitions: readonly AnomalyTransition[], now: number): void {
    const { book } = this;
    book.now = Math.max(book.now, now);
    const fresh = new Map<string, Anomaly>();
    const resolvedFresh: [string, number][] = [];
    for (const t of transitions) {
      if (t.to === 'pending') continue;
      const a = normalise(t.anomaly, t.to);
      let owner = book.get(book.anomalyOwner.get(a.id));
      if (owner && owner.doc.state === 'resolved' && t.to !== 'resolved') {
        // Evidence still active in a resolved incident (an alarm nobody cleared while the measurements
        // recovered): its clearing is no news, and its firing again is placed like a new anomaly — it
        // joins the incident open there now, or reopens its own within the reopen window.
        if (t.to === 'resolving') continue;
        book.release(a.id);
        owner = undefined;
      }
      if (owner) {
        if (t.to === 'resolved') book.resolveAnomaly(a.id, t.at);
        else book.attach(owner, a);
      } else if (t.to === 'resolved') {
        if (fresh.has(a.id)) resolvedFresh.push([a.id, t.at]);
        else this.grouper.dropHeld(a.id);
      } else if (!fresh.has(a.id)) {
        fresh.set(a.id, a);
      }
    }
    if (fresh.size > 0) this.grouper.place([...fresh.values()]);
    for (const [id, at] of resolvedFresh) if (!this.grouper.dropHeld(id)) book.resolveAnomaly(id, at);
    this.flush();
  }

  onComplaint(complaint: Complaint, now: number): ComplaintLink | null {
    this.book.now = Math.max(this.book.now, now);
    const link = this.desk.handle(complaint);
    this.flush();
    return link;
  }

  /** The live network incident that nearly explains an unlinked complaint just handled, if any. */
  nearIncident(complaintId: string): string | null {
    return this.desk.nearIncident(complaintId);
  }

  /** Triage of a complaint: its incident's when linked, its own otherwise (stored with the complaint). */
  complaintTriage(complaint: Complaint, link: ComplaintLink | null, _now: number): Triage | null {
    return this.desk.triage(complaint, link);
  }

  advance(now: number): void {
    const { book } = this;
    book.now = Math.max(book.now, now);
    this.grouper.release(book.now);
    const hold = this.opts.config.lifecycle.resolveHoldMinutes * MINUTE;
    for (const live of [...book.lives.values()]) {
      const d = live.doc;
      const quiet = d.state === 'open' ? quietSince(live) : null;
      // Evidence that lasted weighs more: an open incident not yet confirmed is looked at again when
      // an anomaly of it becomes sustained (it may be confirmed now), and reported if that changed it.
      if (d.state === 'open' && !d.confirmed && this.sustainDue(live)) book.dirty.add(live);
      if (quiet !== null && book.now - quiet >= hold) {
        book.resolve(live, quiet);
      } else if (d.state === 'resolved' && d.resolvedAt !== null && book.now - d.resolvedAt > this.keepFor(d)) {
        book.forget(live);
      }
    }
    this.desk.expire(book.now);
    this.flush();
  }

  /** How long a resolved incident stays in memory: while it may reopen or still draw complaints. */
  private keepFor(inc: Incident): number {
    return Math.max(this.book.reopenWindowMs(inc), this.lagMs);
  }

  takeChanges(): IncidentChange[] {
    this.flush();
    return this.book.changes.take(this.book.now);
  }

  /** Open incidents and recently resolved ones (the stage's own objects: read, do not modify). */
  live(): Iterable<Incident> {
    return this.book.docs();
  }

  /** Event time the stage has reached. */
  get watermark(): number {
    return this.book.now;
  }

  /** A live incident by id (read only). */
  get(id: string): Incident | undefined {
    return this.book.get(id)?.doc;
  }

  /**
   * Open incidents covering any of the cells or touching the district, and core incidents of their
   * region (a core fault is felt everywhere there): what the hotline asks.
   */
  openAt(area: { cells?: readonly string[]; district?: string }): Incident[] {
    const { index, topo } = this.book;
    const ids = new Set<string>();
    const regions = new Set<string>();
    for (const c of area.cells ?? []) {
      for (const id of index.atCell(c)) ids.add(id);
      const r = topo.cell(c)?.region;
      if (r !== undefined) regions.add(r);
    }
    if (area.district !== undefined) {
      for (const id of index.inDistrict(area.district)) ids.add(id);
      const r = topo.regionOfDistrict(area.district);
      if (r !== undefined) regions.add(r);
    }
    for (const r of regions) for (const id of index.coreIn(r)) ids.add(id);
    const out: Incident[] = [];
    for (const id of ids) {
      const d = this.book.get(id)?.doc;
      if (d && d.state === 'open') out.push(d);
    }
    return out.sort((a, b) => a.openedAt - b.openedAt);
  }

  /** The ticket stage opened a ticket for an incident: remember it so later snapshots carry it. */
  noteTicket(incidentId: string, ticketId: string): void {
    const live = this.book.get(incidentId);
    if (live) live.doc.ticketId = ticketId;
  }

  /** Number of live incidents and unlinked complaints held (for metrics and tests). */
  get sizes(): { live: number; unlinkedComplaints: number; activeAnomalies: number; heldAnomalies: number } {
    return {
      live: this.book.lives.size, unlinkedComplaints: this.desk.unlinkedCount,
      activeAnomalies: this.book.anomalyOwner.size, heldAnomalies: this.grouper.heldCount,
    };
  }

  /**
   * Rebuilds the stage from stored incidents. Every incident given feeds the repeat history; open ones
   * and those resolved recently enough to reopen come back live, with their unresolved evidence active,
   * so fresh anomalies on the same cells join them instead of opening duplicates.
   */
  restore(incidents: readonly Incident[]): void {
    const { book } = this;
    for (const inc of incidents) book.now = Math.max(book.now, inc.updatedAt, inc.detectedAt);
    const sorted = [...incidents].sort((a, b) => a.openedAt - b.openedAt);
    for (const inc of sorted) this.history.noteIncident(inc.id, inc.cells, inc.openedAt);
    for (const inc of sorted) {
      if (book.lives.has(inc.id) || inc.mergedInto !== undefined) continue;
      if (inc.state === 'resolved' && (inc.resolvedAt === null || book.now - inc.resolvedAt > this.keepFor(inc))) continue;
      const live = newLive(structuredClone(inc), inc.rootCause.reasoning?.[0] ?? '');
      live.reported = true;
      book.lives.set(inc.id, live);
      book.index.addRoot(live);
      const cells = [...live.cellSet];
      live.cellSet.clear();
      book.grow(live, cells);
      book.dirty.delete(live);
      let lastResolved = inc.openedAt;
      for (const e of live.doc.anomalies) {
        if (e.resolvedAt !== undefined) {
          lastResolved = Math.max(lastResolved, e.resolvedAt);
          continue;
        }
        const a = fromIncidentAnomaly(e, book.now);
        live.active.set(a.id, a);
        book.anomalyOwner.set(a.id, inc.id);
        book.active.add(a);
      }
      if (live.active.size === 0 && inc.state === 'open') live.quietSince = lastResolved;
      for (const cid of inc.complaintIds) {
        live.links.set(cid, { complaintId: cid, incidentId: inc.id, confidence: 0.5, reason: 'linked before a restart' });
        book.complaintOwner.set(cid, inc.id);
      }
    }
  }

  /**
   * How far back stored incidents and complaints must be given to `restore` and `recallComplaints`
   * after a restart: the repeat history's window (it also covers the complaint rates' memory).
   */
  get memoryMs(): number {
    return Math.max(this.opts.config.history.repeatWindowDays * DAY, this.lagMs);
  }

  /**
   * After `restore`: the complaints handled before the restart (stored with their links), oldest
   * first, teach the complaint desk again what handling them taught it; `now` is the watermark the
   * stage resumes at. Returns how many.
   */
  recallComplaints(complaints: Iterable<{ complaint: Complaint; link: ComplaintLink | null }>, now: number): number {
    const { book } = this;
    book.now = Math.max(book.now, now);
    let n = 0;
    for (const { complaint, link } of complaints) {
      this.desk.recall(complaint, link, book.now);
      n++;
    }
    this.desk.expire(book.now);
    return n;
  }

  /** Brings derived fields up to date and reports every incident that changed. */
  private flush(): void {
    const { book } = this;
    while (book.dirty.size > 0) {
      const batch = [...book.dirty];
      book.dirty.clear();
      for (const live of batch) {
        if (!book.lives.has(live.doc.id)) continue;
        const due = live.cellsChanged || live.reopenedSinceRefresh;
        live.reopenedSinceRefresh = false;
        this.refresh(live);
        if (due && live.doc.state === 'open') this.desk.retroLink(live);
        book.changes.record(live, 'updated');
      }
      // Retro-linked complaints dirty the incident again: the loop refreshes it once more.
    }
  }

  /** The incident's evidence assessment at the current event time: cached until evidence or time changes it. */
  private assessment(live: LiveIncident): EvidenceAssessment {
    const { doc } = live;
    let ev = this.assessments.get(live);
    if (!ev || ev.version !== live.evidenceVersion || this.book.now >= ev.weighed.nextChangeAt) {
      const category = ev && ev.version === live.evidenceVersion ? ev.category : assessCategory(doc.rootCause.objectType, doc.anomalies);
      ev = {
        version: live.evidenceVersion,
        weighed: weighEvidence(doc.anomalies, this.opts.config.confidence, this.book.now),
        category,
        severity: assessSeverity(doc.rootCause.objectType, category.category, doc.anomalies),
      };
      this.assessments.set(live, ev);
    }
    return ev;
  }

  /**
   * An anomaly of the incident has become sustained since it was last weighed (or it was never
   * weighed since a restart) and that changes its confidence.
   */
  private sustainDue(live: LiveIncident): boolean {
    const ev = this.assessments.get(live);
    if (ev && ev.version === live.evidenceVersion && this.book.now < ev.weighed.nextChangeAt) return false;
    const conf = assessConfidence(this.assessment(live).weighed.feeds, live.doc.complaintIds.length, this.opts.config.confidence);
    return conf.confidence !== live.doc.confidence;
  }

  /** Recomputes an incident's derived fields: cells, confidence, root cause, severity, triage. */
  private refresh(live: LiveIncident): void {
    const { doc } = live;
    const topo = this.book.topo;
    let agg = this.aggregates.get(live);
    if (live.cellsChanged || !agg) {
      doc.cells = [...live.cellSet].sort();
      let subscribers = 0;
      const areas = new Set<AreaClass>();
      for (const c of doc.cells) {
        const cell = topo.cell(c);
        if (!cell) continue;
        subscribers += cell.subscribers;
        areas.add(cell.areaClass);
      }
      live.subscribers = subscribers;
      doc.subscribers = subscribers;
      const exclude = new Set([doc.id, ...(doc.absorbed ?? [])]);
      agg = {
        areaClasses: [...areas],
        pastIncidents: this.history.incidentsBefore(doc.cells, doc.openedAt, exclude),
        pastCellComplaints: this.history.cellComplaintsBefore(doc.cells, doc.openedAt - this.opts.config.linking.leadToleranceMinutes * MINUTE),
      };
      this.aggregates.set(live, agg);
      this.history.noteIncident(doc.id, doc.cells, doc.openedAt);
      live.cellsChanged = false;
    }
    let district = doc.rootCause.objectType === 'district' ? doc.rootCause.objectId : undefined;
    let most = 0;
    for (const [d, n] of live.districtCells) if (n > most) (district = d, most = n);
    if (district !== undefined) doc.district = district;
    const ev = this.assessment(live);
    const conf = assessConfidence(ev.weighed.feeds, doc.complaintIds.length, this.opts.config.confidence);
    doc.confidence = conf.confidence;
    doc.confirmed = conf.confirmed;
    doc.feeds = conf.feeds;
    const cat = ev.category;
    doc.rootCause.category = cat.category;
    doc.severity = ev.severity;
    const weighed = ev.weighed.notes.length > 0 ? ` (${ev.weighed.notes.join('; ')})` : '';
    doc.rootCause.reasoning = [
      live.rootReason, cat.reason,
      `evidence from ${conf.feeds.join(', ') || 'nothing yet'}: confidence ${conf.confidence.toFixed(2)}${conf.confirmed ? ', confirmed' : ', not yet confirmed'}${weighed}`,
    ].filter((s) => s !== '');
    const roi = this.opts.triage.returnOnInvestment;
    // A core element (MME, AMF…) serves a whole pool; before its symptoms show on cells its reach is
    // unknown to the inventory, so it is weighed at full impact rather than at none.
    const coreReach = doc.rootCause.objectType === 'core' ? roi.subscribersForFullImpact : 0;
    doc.triage = triage({
      category: cat.category,
      severity: doc.severity,
      subscribers: Math.max(live.subscribers, doc.complaintIds.length * roi.subscribersPerComplaint, coreReach),
      complainants: doc.complainants ?? {},
      areaClasses: agg.areaClasses,
      repeatCustomers: doc.repeatComplainants ?? 0,
      pastIncidents: agg.pastIncidents,
      pastCellComplaints: agg.pastCellComplaints,
      districts: [...live.districtCells.keys(), ...(district !== undefined && !live.districtCells.has(district) ? [district] : [])],
    }, this.opts.triage);
  }
}

/** A private copy of the anomaly in the state of its transition, with a cell anomaly's cellId set. */
function normalise(a: Anomaly, state: Anomaly['state']): Anomaly {
  const copy: Anomaly = { ...a, state };
  if (copy.objectType === 'cell' && copy.cellId === undefined) copy.cellId = copy.objectId;
  return copy;
}
