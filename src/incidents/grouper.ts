/**
 * Places newly firing anomalies into incidents along the topology. First the evidence of the whole
 * batch is weighed per transport node, site and region, so a burst of 300 cells behind one node
 * becomes one transport incident straight away; incidents already open below a new root are absorbed
 * into it. Then each anomaly joins the incident covering it, reopens the incident of the same problem
 * if it just resolved, or opens a new one at its own object.
 */
import { DEMAND_KPI, MINUTE, isCoreRoot } from '../model/index.js';
import type { Anomaly } from '../model/index.js';
import { isOutageEvidence } from './assessment.js';
import { CoreGrouping, isCoreSymptom } from './core-grouping.js';
import { siteEvidence, transportEvidence, type Evidence } from './grouping.js';
import type { IncidentBook } from './incident-book.js';
import { ROOT_LEVEL, isComplaintCluster, rootKey, type LiveIncident, type RootRef } from './live-incident.js';

/** Network evidence that began this long after a complaint cluster is not what caused it. */
const JOIN_COMPLAINT_CLUSTER_MS = 60 * MINUTE;

const isNetwork = (a: { source: string }): boolean => a.source !== 'complaints';
const complaintsOnly = isComplaintCluster;

/** Major or critical: evidence that may explain (and re-root) a complaint cluster. */
const isFirm = (a: Anomaly): boolean => a.severity === 'major' || a.severity === 'critical';

export class Grouper {
  private readonly core: CoreGrouping;
  /** Signaling anomalies waiting for the region-wide picture before opening incidents of their own. */
  private readonly held = new Map<string, Anomaly>();

  constructor(private readonly book: IncidentBook) {
    this.core = new CoreGrouping(book);
  }

  /** Anomalies held back right now (for tests and metrics). */
  get heldCount(): number {
    return this.held.size;
  }

  /** Places anomalies that became active in this batch (firing, or resolving when we missed the firing). */
  place(fresh: readonly Anomaly[]): void {
    for (const a of fresh) this.book.active.add(a);
    this.escalate(fresh);
    for (const a of fresh) this.placeOne(a, true);
    this.joinHeld();
  }

  /** Held anomalies that an incident now covers join it: the picture they waited for is there. */
  private joinHeld(): void {
    for (const [id, a] of this.held) {
      const live = this.covering(a);
      if (live) {
        this.held.delete(id);
        this.attachTo(live, a);
      }
    }
  }

  /** Held anomalies whose wait is over open incidents of their own. */
  release(now: number): void {
    const g = this.book.cfg.grouping;
    for (const [id, a] of this.held) {
      const hold = (this.isLoneWeak(a, false) ? this.weakHoldMinutes(a) : g.signalingHoldMinutes) * MINUTE;
      // (A load-explained finding's hold is endless: it waits for corroboration however long it lasts.)
      if (now - (a.firingAt ?? a.startedAt) < hold) continue;
      this.held.delete(id);
      this.placeOne(a, false);
    }
    this.joinHeld();
  }

  /**
   * How long a lone weak finding waits: `weakHoldMinutes`; at least `plainWeakHoldMinutes` for a KPI
   * judged without attempts (throughput, PRB: its noise is learnt, not known from counts, and least
   * well at quiet hours) — demand is a count, judged with its ratio; for ever when its cell's load
   * explains it (`holdLoadExplained`).
   */
  private weakHoldMinutes(a: Anomaly): number {
    const g = this.book.cfg.grouping;
    if (g.holdLoadExplained && isLoadExplained(a)) return Infinity;
    const counted = a.evidence.attempts !== undefined || a.signal === DEMAND_KPI;
    return counted ? g.weakHoldMinutes : Math.max(g.weakHoldMinutes, g.plainWeakHoldMinutes);
  }

  /**
   * A warning-level KPI finding with nothing else active on its cell: one series wandering, which may
   * well be noise; it waits for corroboration. `checkAlone` false asks about its kind only (is its
   * hold the weak one).
   */
  private isLoneWeak(a: Anomaly, checkAlone = true): boolean {
    if (a.source !== 'pm' || a.severity !== 'warning' || a.cellId === undefined) return false;
    if (!checkAlone) return true;
    for (const other of this.book.active.atCell(a.cellId)) if (other.id !== a.id) return false;
    return true;
  }

  /** A held anomaly resolved before it was placed: it leaves no incident. Returns whether it was held. */
  dropHeld(anomalyId: string): boolean {
    const a = this.held.get(anomalyId);
    if (!a) return false;
    this.held.delete(anomalyId);
    this.book.active.remove(a);
    return true;
  }

  private placeOne(a: Anomaly, mayHold: boolean): void {
    const covering = this.covering(a);
    if (covering) return this.attachTo(covering, a);
    // A failing procedure or probe may be one cell's problem or the first sign of a region-wide core
    // failure: it waits a little for the region-wide picture before opening an incident of its own.
    if (mayHold && (a.source === 'signaling' || a.source === 'dialtest') && this.book.cfg.grouping.signalingHoldMinutes > 0) {
      this.held.set(a.id, a);
      return;
    }
    if (mayHold && this.isLoneWeak(a) && this.weakHoldMinutes(a) > 0) {
      this.held.set(a.id, a);
      return;
    }
    this.attachTo(this.reopenable(a) ?? this.open(a), a);
  }

  private attachTo(live: LiveIncident, a: Anomaly): void {
    if (isNetwork(a) && isFirm(a) && complaintsOnly(live) && !isCoreRoot(live.doc.rootCause.objectType)) {
      // A complaint cluster that firm network evidence now explains takes that evidence's object as
      // root; a warning beside it is evidence, not the explanation.
      this.book.promote(live, this.naturalRoot(a));
    }
    this.book.attach(live, a);
    this.core.nameElement(live, a);
  }

  /** Weighs the batch's evidence per region (core), transport node and site, highest first. */
  private escalate(fresh: readonly Anomaly[]): void {
    const { book } = this;
    const topo = book.topo;
    const g = book.cfg.grouping;
    const sites = new Set<string>();
    const transports = new Set<string>();
    const procedures = new Map<string, Set<string>>();
    for (const a of fresh) {
      if (!isNetwork(a)) continue;
      const cell = a.cellId !== undefined ? topo.cell(a.cellId) : undefined;
      if (cell) {
        sites.add(cell.siteId);
        transports.add(cell.transportId);
        if (a.source === 'signaling') {
          let set = procedures.get(cell.region);
          if (!set) procedures.set(cell.region, (set = new Set()));
          set.add(a.signal);
        }
      } else if (a.objectType === 'site') {
        sites.add(a.objectId);
        const tr = topo.site(a.objectId)?.transportId;
        if (tr !== undefined) transports.add(tr);
      } else if (a.objectType === 'transport') {
        transports.add(a.objectId);
      }
    }
    // The core first: the symptoms it explains are not evidence against a site or transport node.
    this.core.escalate(procedures);
    const regions = new Set([...sites].map((s) => topo.site(s)?.region ?? ''));
    const view = this.core.anyOpenIn(regions) ? this.core.view() : book.active;
    for (const tr of transports) {
      const info = topo.transport(tr);
      const ev = info && transportEvidence(info, topo, view, g);
      if (ev) this.ensureRoot({ objectType: 'transport', objectId: tr }, ev);
    }
    for (const s of sites) {
      const info = topo.site(s);
      if (!info || this.openRoot({ objectType: 'transport', objectId: info.transportId })) continue;
      const ev = siteEvidence(info, view, g);
      if (ev) this.ensureRoot({ objectType: 'site', objectId: s }, ev);
    }
  }

  private openRoot(root: RootRef): LiveIncident | undefined {
    const live = this.book.rootedAt(root);
    return live?.doc.state === 'open' ? live : undefined;
  }

  /**
   * Makes sure one incident is rooted at `root`: the open one, else one reopened, else the best
   * incident below it promoted, else a new one; the others below it that started together are absorbed.
   */
  private ensureRoot(root: RootRef, ev: Evidence): LiveIncident {
    const { book } = this;
    const level = ROOT_LEVEL[root.objectType];
    const cells = book.cellsUnder(root);
    const below = this.incidentsBelow(cells, level, ev.ref);
    let survivor = this.openRoot(root) ?? this.higherCovering(cells, level);
    if (!survivor) {
      const resolved = book.rootedAt(root);
      if (resolved && book.reopenable(resolved)) {
        survivor = resolved;
        book.reopen(resolved);
      } else if (below.length > 0) {
        survivor = pickSurvivor(below);
        book.promote(survivor, root);
      } else {
        survivor = book.create(root, ev.ref, ev.reason, `${rootKey(root)}@${ev.ref}`);
      }
    }
    if (ROOT_LEVEL[survivor.doc.rootCause.objectType] === level) survivor.rootReason = ev.reason;
    book.grow(survivor, cells);
    for (const victim of below) if (victim !== survivor && ROOT_LEVEL[victim.doc.rootCause.objectType] < ROOT_LEVEL[survivor.doc.rootCause.objectType]) book.absorb(survivor, victim);
    return survivor;
  }

  /** An open incident rooted above `level` that already covers these cells (a site behind a failed node). */
  private higherCovering(cells: readonly string[], level: number): LiveIncident | undefined {
    if (cells.length === 0) return undefined;
    for (const id of this.book.index.atCell(cells[0]!)) {
      const live = this.book.lives.get(id)!;
      const t = live.doc.rootCause.objectType;
      if (live.doc.state === 'open' && !isCoreRoot(t) && ROOT_LEVEL[t] > level) return live;
    }
    return undefined;
  }

  /**
   * Open incidents rooted below `level` on these cells (or complaint clusters in their districts)
   * that started together with the new root's evidence: they are the same problem seen piecemeal.
   */
  private incidentsBelow(cells: readonly string[], level: number, ref: number): LiveIncident[] {
    const { book } = this;
    const window = Math.max(book.cfg.grouping.siteWindowMinutes, book.cfg.grouping.transportWindowMinutes) * MINUTE;
    const out = new Set<LiveIncident>();
    const districts = new Set<string>();
    for (const c of cells) {
      const d = book.topo.cell(c)?.district;
      if (d !== undefined) districts.add(d);
      for (const id of book.index.atCell(c)) out.add(book.lives.get(id)!);
    }
    for (const d of districts) {
      // A district cluster that knows where its complaints come from is taken in above only when the
      // new root covers those cells (found above); one known only by its district may be anywhere in it.
      const cluster = book.rootedAt({ objectType: 'district', objectId: d });
      if (cluster && cluster.cellSet.size === 0) out.add(cluster);
    }
    return [...out].filter((l) => {
      const t = l.doc.rootCause.objectType;
      if (l.doc.state !== 'open' || isCoreRoot(t) || ROOT_LEVEL[t] >= level) return false;
      // Detection time too: an incident opened on evidence that began earlier (a probe's first failure)
      // but found together with the new root's evidence is the same problem.
      return complaintsOnly(l) || Math.abs(l.doc.openedAt - ref) <= window || Math.abs(l.doc.detectedAt - ref) <= window;
    });
  }

  /** The open incident this anomaly is evidence for, if one covers it. */
  private covering(a: Anomaly): LiveIncident | undefined {
    const { book } = this;
    if (!isNetwork(a)) return this.coveringComplaints(a);
    // Failing procedures, core-dependent setup rates, core alarms and region-wide findings belong to
    // the core incident first.
    if (a.source === 'signaling' || a.hint === 'core' || isCoreRoot(a.objectType) || (a.source === 'pm' && isCoreSymptom(a))) {
      const core = this.core.coveringCoreSymptom(a);
      if (core) return core;
    }
    if (a.objectType === 'transport') return this.openRoot(a);
    if (a.objectType === 'site') {
      const tr = book.topo.site(a.objectId)?.transportId;
      return this.openRoot(a) ?? (tr !== undefined ? this.openRoot({ objectType: 'transport', objectId: tr }) : undefined);
    }
    if (a.cellId !== undefined) {
      let best: LiveIncident | undefined;
      for (const id of book.index.atCell(a.cellId)) {
        const live = book.lives.get(id)!;
        const t = live.doc.rootCause.objectType;
        if (live.doc.state !== 'open' || isCoreRoot(t)) continue;
        if (!best || ROOT_LEVEL[t] > ROOT_LEVEL[best.doc.rootCause.objectType]) best = live;
      }
      if (best) return best;
      // A dial test failing where nothing else is wrong, while the region's core fails, is the core.
      if (a.source === 'dialtest') {
        const core = this.core.coveringCoreSymptom(a);
        if (core) return core;
      }
      const cell = book.topo.cell(a.cellId);
      const cluster = cell && this.openRoot({ objectType: 'district', objectId: cell.district });
      if (cluster && complaintsOnly(cluster) && a.startedAt <= cluster.doc.openedAt + JOIN_COMPLAINT_CLUSTER_MS) return cluster;
      return undefined;
    }
    if (a.objectType === 'district') return this.openRoot(a);
    return undefined;
  }

  /** A complaint spike joins the incident already explaining its cell or district, if any. */
  private coveringComplaints(a: Anomaly): LiveIncident | undefined {
    const { book } = this;
    if (a.cellId !== undefined) {
      let best: LiveIncident | undefined;
      for (const id of book.index.atCell(a.cellId)) {
        const live = book.lives.get(id)!;
        if (live.doc.state === 'open' && (!best || ROOT_LEVEL[live.doc.rootCause.objectType] > ROOT_LEVEL[best.doc.rootCause.objectType])) best = live;
      }
      return best;
    }
    if (a.objectType === 'site') return this.coveringSiteComplaints(a.objectId);
    if (a.objectType !== 'district') return this.openRoot(a);
    const cluster = this.openRoot(a);
    if (cluster) return cluster;
    const districtCells = Math.max(1, book.topo.cellsInDistrict(a.objectId).length);
    let best: LiveIncident | undefined;
    let bestShare = 0;
    for (const id of book.index.inDistrict(a.objectId)) {
      const live = book.lives.get(id)!;
      if (live.doc.state !== 'open') continue;
      const share = (live.districtCells.get(a.objectId) ?? 0) / districtCells;
      const big = ROOT_LEVEL[live.doc.rootCause.objectType] >= 2;
      if ((share >= 0.1 || big) && share >= bestShare) (best = live, bestShare = share);
    }
    return best;
  }

  /**
   * A site's complaint finding joins the incident rooted at the site, else the highest open incident
   * on its cells, else the complaint cluster of its district (where it would root on its own).
   */
  private coveringSiteComplaints(siteId: string): LiveIncident | undefined {
    const { book } = this;
    const site = book.topo.site(siteId);
    let best = this.openRoot({ objectType: 'site', objectId: siteId });
    for (const cellId of site?.cellIds ?? []) {
      for (const id of book.index.atCell(cellId)) {
        const live = book.lives.get(id)!;
        if (live.doc.state === 'open' && (!best || ROOT_LEVEL[live.doc.rootCause.objectType] > ROOT_LEVEL[best.doc.rootCause.objectType])) best = live;
      }
    }
    if (best || !site) return best;
    const cluster = this.openRoot({ objectType: 'district', objectId: site.district });
    return cluster && complaintsOnly(cluster) ? cluster : undefined;
  }

  /**
   * A resolved incident at the same place that this anomaly belongs to: the same problem within the
   * reopen window, or evidence that began while the incident was open and is placed only now (found
   * late, held, or handed over again after a restart) — part of that incident's story, not a new one.
   */
  private reopenable(a: Anomaly): LiveIncident | undefined {
    const { book } = this;
    const ids = a.cellId !== undefined ? book.index.atCell(a.cellId) : [book.index.rootedAt(this.naturalRoot(a))].filter((x) => x !== undefined);
    let best: LiveIncident | undefined;
    for (const id of ids) {
      const live = book.lives.get(id)!;
      const d = live.doc;
      const late = d.state === 'resolved' && d.resolvedAt !== null && a.startedAt >= d.openedAt && a.startedAt < d.resolvedAt;
      if (!late && (!book.reopenable(live) || !sameProblem(live, a))) continue;
      // A core incident covers the cells its symptoms showed on; one cell failing there later is not
      // the core failing again (that is for the region-wide check, or the core element's alarm).
      if (isCoreRoot(live.doc.rootCause.objectType) && a.cellId !== undefined) continue;
      if (!best || live.doc.resolvedAt! > best.doc.resolvedAt!) best = live;
    }
    if (best) book.reopen(best);
    return best;
  }

  /** A new incident at the anomaly's own object. */
  private open(a: Anomaly): LiveIncident {
    const root = this.naturalRoot(a);
    const why = isNetwork(a)
      ? `${a.source} ${a.signal} on ${a.objectType} ${a.objectId}`
      : a.signal === 'complaint_coverage_gap'
        ? `complaints from beyond the reach of ${a.objectType} ${a.objectId}'s cells${a.evidence.lastKm !== undefined ? ` (the latest ${a.evidence.lastKm} km out)` : ''}, no network signal: a coverage gap in ${root.objectType} ${root.objectId}`
        : root.objectType !== a.objectType
        ? `complaints across the sectors of ${a.objectType} ${a.objectId}, none of its cells alone, no network signal: an area problem in ${root.objectType} ${root.objectId}`
        : `complaints cluster at ${a.objectType} ${a.objectId}`;
    return this.book.create(root, a.startedAt, why, a.id);
  }

  /**
   * Where an anomaly alone would root an incident: its cell, else its object — except a complaint
   * finding on a site. Complaints from across a site's sectors (the site's series fired, no single
   * cell's did) with nothing wrong in the network describe an area the site does not serve well — a
   * coverage hole between sites, fixed by optimising the area (or building) — not a fault of the
   * site's equipment, which its own feeds would show. Such a cluster roots at the site's district,
   * holding the site's cells; a cluster concentrated on one cell roots at the cell, and network
   * evidence that explains a cluster re-roots it as before.
   */
  private naturalRoot(a: Anomaly): RootRef {
    if (a.source === 'complaints' && a.objectType === 'site') {
      const district = this.book.topo.site(a.objectId)?.district;
      if (district !== undefined) return { objectType: 'district', objectId: district };
    }
    if (a.cellId !== undefined && a.objectType !== 'site' && a.objectType !== 'transport') return { objectType: 'cell', objectId: a.cellId };
    return { objectType: a.objectType, objectId: a.objectId };
  }
}

/** The incident to keep when several turn out to be one: the one with a ticket, else the first made public. */
function pickSurvivor(cands: LiveIncident[]): LiveIncident {
  return [...cands].sort((x, y) =>
    Number(y.doc.ticketId !== null) - Number(x.doc.ticketId !== null) ||
    Number(y.reported) - Number(x.reported) ||
    Number(complaintsOnly(x)) - Number(complaintsOnly(y)) ||
    x.doc.detectedAt - y.doc.detectedAt ||
    (x.doc.id < y.doc.id ? -1 : 1))[0]!;
}

/**
 * A warning-level setup-rate or throughput finding on a cell whose PRB was at congestion level when
 * it fired (hint `congestion`; the PRB finding itself excepted): a full cell at its busy hour turning
 * users away or sharing out less throughput — capacity, for planning, unless something corroborates a
 * fault (a PRB finding against the cell's own profile, another KPI, complaints, an alarm).
 */
function isLoadExplained(a: Anomaly): boolean {
  // PRB and demand are the load itself, not something it explains.
  return a.source === 'pm' && a.severity === 'warning' && a.hint === 'congestion' && a.signal !== 'prb_dl_utilization' && a.signal !== DEMAND_KPI;
}

/** Same place and the same kind of problem: the returning anomaly reopens rather than duplicates. */
function sameProblem(live: LiveIncident, a: Anomaly): boolean {
  const cat = live.doc.rootCause.category;
  if (live.doc.anomalies.some((e) => e.source === a.source && e.signal === a.signal)) return true;
  if (a.hint === cat) return true;
  return isOutageEvidence(a) && (cat === 'outage' || cat === 'transport');
}
