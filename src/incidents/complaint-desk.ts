/**
 * Complaints at the incident stage: place each one, link it to the live incident it fits best (or
 * keep it aside, unlinked, for the complaint-spike detector and for incidents that open later), feed
 * the repeat history and the district complaint rates, and triage the ones left alone.
 */
import { HOUR, MINUTE } from '../model/index.js';
import type { Complaint, ComplaintLink, Triage } from '../model/index.js';
import type { TriageConfig } from '../triage/config.js';
import type { RepeatHistory } from '../triage/repeat-history.js';
import { triage } from '../triage/triage.js';
import { ComplaintRate } from './complaint-rate.js';
import { coarsePlace, placeComplaint, scoreLink, type AreaExcess, type ComplaintPlace, type LinkTarget } from './complaint-linking.js';
import type { IncidentBook } from './incident-book.js';
import { addComplainant, isComplaintCluster, type LiveIncident } from './live-incident.js';
import { UnlinkedComplaints } from './unlinked-complaints.js';

/** A complaint cluster stops learning cells beyond this: a real cluster is a handful of cells, not a district. */
const CLUSTER_MAX_CELLS = 6;

/**
 * How long placed complaints count toward the share of a district's complaints incidents explain
 * (half-life), and how many recent ones that share needs before it is trusted: a trickle of a few
 * complaints an hour apart still shows whether they are explained.
 */
const EXPLAINED_HALF_LIFE_MS = 3 * HOUR;
const EXPLAINED_MIN_PLACED = 1;

/** Placed on cells (named cell or point) in a known district. */
const isPlaced = (p: ComplaintPlace): boolean => p.district !== null && (p.how === 'cell' || p.how === 'point');

interface Candidate {
  live: LiveIncident;
  score: number;
  reason: string;
}

export class ComplaintDesk {
  private readonly rates: ComplaintRate;
  /** Placed complaints per district (`p:district`), and those linked, per incident (`e:district|incident`). */
  private readonly placed: ComplaintRate;
  private readonly unlinked: UnlinkedComplaints;
  /** The place of the complaint handled last, for its triage right after, and the network incident that nearly explains it. */
  private last: { id: string; place: ComplaintPlace; near: string | null } | null = null;

  constructor(
    private readonly book: IncidentBook,
    private readonly history: RepeatHistory,
    private readonly triageCfg: TriageConfig,
  ) {
    const l = book.cfg.linking;
    this.rates = new ComplaintRate({
      recentHalfLifeMs: l.recentRateHalfLifeMinutes * MINUTE,
      baselineHalfLifeMs: l.baselineRateHalfLifeHours * HOUR,
      warmupMs: l.rateWarmupHours * HOUR,
    });
    this.unlinked = new UnlinkedComplaints(l.retroLinkMinutes * MINUTE, l.maxUnlinkedKept);
    this.placed = new ComplaintRate({ recentHalfLifeMs: EXPLAINED_HALF_LIFE_MS, baselineHalfLifeMs: EXPLAINED_HALF_LIFE_MS, warmupMs: 0 });
  }

  /** Complaints kept aside, unlinked, waiting for an incident. */
  get unlinkedCount(): number {
    return this.unlinked.size;
  }

  /** Links a complaint to the best-fitting live incident, or keeps it aside. */
  handle(c: Complaint): ComplaintLink | null {
    const { book } = this;
    const known = book.complaintOwner.get(c.complaintId);
    if (known !== undefined) return book.get(known)?.links.get(c.complaintId) ?? null;
    if (this.unlinked.has(c.complaintId)) return null;
    const place = placeComplaint(c, book.topo, book.cfg.linking);
    this.last = { id: c.complaintId, place, near: null };
    if (place.district !== null) this.rates.note(`d:${place.district}`, c.receivedAt);
    if (place.region !== null) this.rates.note(`r:${place.region}`, c.receivedAt);
    const repeat = this.history.customerComplaintsBefore(c.customer.id, c.receivedAt) > 0;
    this.history.noteComplaint(c.customer.id, place.cells.slice(0, 1).map((p) => p.cellId), c.receivedAt);
    const best = this.best(c, place, this.candidates(place), this.last);
    // Placed complaints (named cell or point) per district, and those an incident explains: how much
    // of a district's excess the incidents there account for.
    if (isPlaced(place)) this.placed.note(`p:${place.district}`, c.receivedAt);
    if (!best) {
      this.unlinked.add({ complaint: c, place });
      return null;
    }
    const link: ComplaintLink = { complaintId: c.complaintId, incidentId: best.live.doc.id, confidence: best.score, reason: best.reason };
    this.attach(best.live, c, place, repeat, link);
    return link;
  }

  /**
   * Takes back, after a restart, what handling a stored complaint taught the desk: the district and
   * region complaint rates, the repeat history, the explained shares and — within the retro-link
   * window of `now` — the unlinked pool. Without it the rates restart cold (a district's complaints
   * no longer read as an excess, so complaints that belong to a live incident stay unlinked and feed
   * the spike detector), and every customer's repeat count starts from zero. Oldest first.
   */
  recall(c: Complaint, link: ComplaintLink | null, now: number): void {
    const { book } = this;
    // Only a complaint that goes back to the unlinked pool needs its candidate cells (retro-linking).
    const waiting = !link && now - c.receivedAt <= book.cfg.linking.retroLinkMinutes * MINUTE;
    const place = (waiting ? placeComplaint : coarsePlace)(c, book.topo, book.cfg.linking);
    if (place.district !== null) this.rates.note(`d:${place.district}`, c.receivedAt);
    if (place.region !== null) this.rates.note(`r:${place.region}`, c.receivedAt);
    this.history.noteComplaint(c.customer.id, place.cells.slice(0, 1).map((p) => p.cellId), c.receivedAt);
    if (isPlaced(place)) this.placed.note(`p:${place.district}`, c.receivedAt);
    const owner = link ? book.get(link.incidentId) : undefined;
    if (owner) {
      if (isPlaced(place)) this.placed.note(`e:${place.district}|${owner.doc.id}`, c.receivedAt);
    } else if (waiting) {
      this.unlinked.add({ complaint: c, place });
    }
  }

  /**
   * Links complaints received before this incident was known (or before it reached their cells) that
   * fit it; called when an incident opens, reopens or grows.
   */
  retroLink(live: LiveIncident): void {
    const districts = [...live.districtCells.keys()];
    if (live.doc.rootCause.objectType === 'district') districts.push(live.doc.rootCause.objectId);
    for (const u of this.unlinked.near(live.cellSet, districts)) {
      const s = scoreLink(u.complaint, u.place, this.target(live), this.excess(u.complaint, u.place, live), this.book.cfg.linking);
      if (s.score < this.book.cfg.linking.minScore) continue;
      this.unlinked.remove(u.complaint.complaintId);
      const repeat = this.history.customerComplaintsBefore(u.complaint.customer.id, u.complaint.receivedAt) > 0;
      const link = { complaintId: u.complaint.complaintId, incidentId: live.doc.id, confidence: s.score, reason: `${s.reason} (linked when the incident was found)` };
      this.attach(live, u.complaint, u.place, repeat, link);
    }
  }

  private attach(live: LiveIncident, c: Complaint, place: ComplaintPlace, repeat: boolean, link: ComplaintLink): void {
    if (isPlaced(place)) this.placed.note(`e:${place.district}|${live.doc.id}`, c.receivedAt);
    addComplainant(live, c.customer.class, repeat);
    this.book.link(live, link);
    // A complaint cluster known only by its district learns where its complaints come from, so the
    // next complaints from there, and network evidence there, find it.
    const rc = live.doc.rootCause;
    const cell = place.cells[0];
    if (cell && rc.objectType === 'district' && isComplaintCluster(live) && live.cellSet.size < CLUSTER_MAX_CELLS &&
      this.book.topo.cell(cell.cellId)?.district === rc.objectId) {
      this.book.grow(live, [cell.cellId]);
    }
  }

  /** The live network incident that nearly explains an unlinked complaint just handled (see `linking.plausibleScore`). */
  nearIncident(complaintId: string): string | null {
    return this.last?.id === complaintId ? this.last.near : null;
  }

  /** Drops complaints kept aside for longer than the retro-link window. */
  expire(now: number): void {
    this.unlinked.expire(now);
  }

  /** Triage of a complaint: its incident's when linked, its own (as a lone complaint) otherwise. */
  triage(c: Complaint, link: ComplaintLink | null): Triage | null {
    if (link) return structuredClone(this.book.get(link.incidentId)?.doc.triage ?? null);
    const place = this.last?.id === c.complaintId ? this.last.place : placeComplaint(c, this.book.topo, this.book.cfg.linking);
    const cells = place.cells.slice(0, 1).map((p) => p.cellId);
    const cell = cells[0] !== undefined ? this.book.topo.cell(cells[0]) : undefined;
    const r = this.triageCfg.returnOnInvestment;
    return triage({
      category: r.categoryOfComplaint[c.category],
      severity: 'minor',
      subscribers: r.subscribersPerComplaint,
      complainants: { [c.customer.class]: 1 },
      areaClasses: cell ? [cell.areaClass] : [],
      repeatCustomers: this.history.customerComplaintsBefore(c.customer.id, c.receivedAt) > 0 ? 1 : 0,
      pastIncidents: this.history.incidentsBefore(cells, c.receivedAt),
      pastCellComplaints: this.history.cellComplaintsBefore(cells, c.receivedAt),
      districts: place.district !== null ? [place.district] : [],
    }, this.triageCfg);
  }

  /** Live incidents that could explain a complaint at this place. */
  private candidates(place: ComplaintPlace): Set<LiveIncident> {
    const { book } = this;
    const ids = new Set<string>();
    for (const pc of place.cells) for (const id of book.index.atCell(pc.cellId)) ids.add(id);
    if (place.district !== null) {
      if (place.how === 'district') for (const id of book.index.inDistrict(place.district)) ids.add(id);
      else {
        const cluster = book.index.rootedAt({ objectType: 'district', objectId: place.district });
        if (cluster !== undefined) ids.add(cluster);
      }
    }
    if (place.region !== null) for (const id of book.index.coreIn(place.region)) ids.add(id);
    const out = new Set<LiveIncident>();
    for (const id of ids) {
      const live = book.lives.get(id);
      if (live) out.add(live);
    }
    return out;
  }

  /** The best candidate scoring `minScore`; `near` learns the best network incident short of it (at `plausibleScore`). */
  private best(c: Complaint, place: ComplaintPlace, cands: Set<LiveIncident>, near?: { near: string | null }): Candidate | null {
    const l = this.book.cfg.linking;
    let best: Candidate | null = null;
    let nearScore = 0;
    for (const live of cands) {
      const s = scoreLink(c, place, this.target(live), this.excess(c, place, live), l);
      if (s.score < l.minScore) {
        if (near && l.plausibleScore > 0 && s.score >= l.plausibleScore && s.score > nearScore && !isComplaintCluster(live)) {
          nearScore = s.score;
          near.near = live.doc.id;
        }
        continue;
      }
      // Ties go to the open incident, then to the one that began most recently before the complaint
      // (a fresh problem explains a fresh complaint better than an old one nearby).
      const tie = Math.abs(s.score - (best?.score ?? 0)) <= 1e-9;
      const better = !best || s.score > best.score + 1e-9 ||
        (tie && live.doc.state === 'open' && best.live.doc.state !== 'open') ||
        (tie && live.doc.state === best.live.doc.state && live.doc.openedAt <= c.receivedAt && live.doc.openedAt > best.live.doc.openedAt);
      if (better) best = { live, score: s.score, reason: s.reason };
    }
    return best;
  }

  /** The area's excess as it bears on one incident (`explained` is that incident's share). */
  private excess(c: Complaint, place: ComplaintPlace, live: LiveIncident): AreaExcess {
    const d = place.district;
    const t = c.receivedAt;
    const placed = d !== null ? this.placed.recent(`p:${d}`, t) : 0;
    return {
      district: d !== null ? this.rates.excessShare(`d:${d}`, t) : 0,
      region: place.region !== null ? this.rates.excessShare(`r:${place.region}`, t) : 0,
      explained: placed >= EXPLAINED_MIN_PLACED ? Math.min(1, this.placed.recent(`e:${d}|${live.doc.id}`, t) / placed) : 1,
    };
  }

  private target(live: LiveIncident): LinkTarget {
    const { doc } = live;
    const topo = this.book.topo;
    return {
      id: doc.id,
      rootType: doc.rootCause.objectType,
      rootId: doc.rootCause.objectId,
      category: doc.rootCause.category,
      region: doc.region,
      openedAt: doc.openedAt,
      resolvedAt: doc.resolvedAt,
      covers: (cellId) => live.cellSet.has(cellId),
      districtShare: (d) => (doc.rootCause.objectType === 'district' && doc.rootCause.objectId === d)
        ? 1
        : (live.districtCells.get(d) ?? 0) / Math.max(1, topo.cellsInDistrict(d).length),
    };
  }
}
