/**
 * Places newly firing anomalies into incidents along the topology. First the evidence of the whole
 * batch is weighed per transport node, site and region, so a burst of 300 cells behind one node
 * becomes one transport incident straight away; incidents already open below a new root are absorbed
 * into it. Then each anomaly joins the incident covering it, reopens the incident of the same problem
 * if it just resolved, or opens a new one at its own object.
 */
import { MINUTE } from '../model/index.js';
import type { Anomaly } from '../model/index.js';
import { isOutageEvidence } from './assessment.js';
import { coreEvidence, siteEvidence, transportEvidence, type ActiveAnomalies, type Evidence } from './grouping.js';
import type { IncidentBook } from './incident-book.js';
import { ROOT_LEVEL, rootKey, type LiveIncident, type RootRef } from './live-incident.js';

/** Network evidence that began this long after a complaint cluster is not what caused it. */
const JOIN_COMPLAINT_CLUSTER_MS = 60 * MINUTE;

const isNetwork = (a: { source: string }): boolean => a.source !== 'complaints';
/** A complaint cluster with no network evidence yet (a new, still empty incident is not one). */
const complaintsOnly = (l: LiveIncident): boolean => l.doc.anomalies.length > 0 && !l.doc.anomalies.some(isNetwork);

export class Grouper {
  constructor(private readonly book: IncidentBook) {}

  /** Places anomalies that became active in this batch (firing, or resolving when we missed the firing). */
  place(fresh: readonly Anomaly[]): void {
    const { book } = this;
    for (const a of fresh) book.active.add(a);
    this.escalate(fresh);
    for (const a of fresh) {
      const live = this.covering(a) ?? this.reopenable(a) ?? this.open(a);
      if (isNetwork(a) && complaintsOnly(live) && live.doc.rootCause.objectType !== 'core') {
        // A complaint cluster that network evidence now explains takes that evidence's object as root.
        book.promote(live, this.naturalRoot(a));
      }
      book.attach(live, a);
    }
  }

  /** Weighs the batch's evidence per transport node, site and region (core), highest first. */
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
    // The core first: signaling failures it explains are not evidence against a site or transport node.
    const explained = new Set<string>();
    for (const [region, procs] of procedures) {
      for (const p of procs) {
        const ev = coreEvidence(region, p, book.active.signaling(region, p), topo, g);
        if (ev) this.ensureCore(region, p, ev);
      }
    }
    for (const region of new Set([...procedures.keys()])) {
      for (const id of book.index.coreIn(region)) {
        const live = book.lives.get(id)!;
        if (live.doc.state === 'open') for (const p of live.procedures) explained.add(`${region}\u0000${p}`);
      }
    }
    const view = explained.size === 0 ? book.active : this.withoutExplained(explained);
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

  /** The active anomalies minus signaling failures a core incident already explains. */
  private withoutExplained(explained: ReadonlySet<string>): ActiveAnomalies {
    const { book } = this;
    const keep = (a: Anomaly): boolean => {
      if (a.source !== 'signaling' || a.cellId === undefined) return true;
      return !explained.has(`${book.topo.cell(a.cellId)?.region ?? ''}\u0000${a.signal}`);
    };
    return {
      atCell: (cellId) => [...book.active.atCell(cellId)].filter(keep),
      atObject: (type, id) => [...book.active.atObject(type, id)].filter(keep),
      cellsActiveUnder: (type, id) => book.active.cellsActiveUnder(type, id),
    };
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
      if (live.doc.state === 'open' && t !== 'core' && ROOT_LEVEL[t] > level) return live;
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
      const cluster = book.rootedAt({ objectType: 'district', objectId: d });
      if (cluster) out.add(cluster);
    }
    return [...out].filter((l) => {
      const t = l.doc.rootCause.objectType;
      if (l.doc.state !== 'open' || t === 'core' || ROOT_LEVEL[t] >= level) return false;
      return complaintsOnly(l) || Math.abs(l.doc.openedAt - ref) <= window;
    });
  }

  /** One core incident per region: the open one, a core alarm's not yet placed, a reopened one, or a new one. */
  private ensureCore(region: string, procedure: string, ev: Evidence): void {
    const { book } = this;
    const window = book.cfg.grouping.coreWindowMinutes * MINUTE;
    let live = this.openCore(region) ?? this.openCore('', (l) => Math.abs(l.doc.openedAt - ev.ref) <= window);
    if (live && live.doc.region === '') {
      book.index.removeRoot(live);
      live.doc.region = region;
      book.index.addRoot(live);
    }
    if (!live) {
      const resolved = book.rootedAt({ objectType: 'core', objectId: region });
      if (resolved && book.reopenable(resolved)) {
        live = resolved;
        book.reopen(resolved);
      } else {
        live = book.create({ objectType: 'core', objectId: region }, ev.ref, ev.reason, `core:${region}:${procedure}@${ev.ref}`);
      }
    }
    live.rootReason = ev.reason;
    live.procedures.add(procedure);
    // Cell incidents that are nothing but this procedure failing are the core problem seen per cell.
    for (const a of book.active.signaling(region, procedure)) {
      const owner = book.get(book.anomalyOwner.get(a.id));
      if (!owner || owner === live || owner.doc.state !== 'open' || owner.doc.rootCause.objectType === 'core') continue;
      const onlyThis = owner.doc.anomalies.every((e) => !isNetwork(e) || (e.source === 'signaling' && e.signal === procedure) || e.hint === 'core');
      if (onlyThis && Math.abs(owner.doc.openedAt - ev.ref) <= window) book.absorb(live, owner);
    }
  }

  private openCore(region: string, ok: (l: LiveIncident) => boolean = () => true): LiveIncident | undefined {
    for (const id of this.book.index.coreIn(region)) {
      const live = this.book.lives.get(id)!;
      if (live.doc.state === 'open' && ok(live)) return live;
    }
    return undefined;
  }

  /** The open incident this anomaly is evidence for, if one covers it. */
  private covering(a: Anomaly): LiveIncident | undefined {
    const { book } = this;
    const cell = a.cellId !== undefined ? book.topo.cell(a.cellId) : undefined;
    if (!isNetwork(a)) return this.coveringComplaints(a);
    if (a.objectType === 'core') {
      const window = book.cfg.grouping.coreWindowMinutes * MINUTE;
      const same = this.openRoot({ objectType: 'core', objectId: a.objectId });
      if (same) return same;
      for (const region of ['', ...book.topo.regions()]) {
        const live = this.openCore(region, (l) => Math.abs(l.doc.openedAt - a.startedAt) <= window);
        if (live) return live;
      }
      return undefined;
    }
    const region = cell?.region ?? (a.objectType === 'region' ? a.objectId : undefined);
    if (region !== undefined && (a.source === 'signaling' || a.hint === 'core')) {
      const core = this.openCore(region, (l) => a.hint === 'core' || l.procedures.has(a.signal));
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
        if (live.doc.state !== 'open' || t === 'core') continue;
        if (!best || ROOT_LEVEL[t] > ROOT_LEVEL[best.doc.rootCause.objectType]) best = live;
      }
      if (best) return best;
      const cluster = cell && this.openRoot({ objectType: 'district', objectId: cell.district });
      if (cluster && complaintsOnly(cluster) && a.startedAt <= cluster.doc.openedAt + JOIN_COMPLAINT_CLUSTER_MS) return cluster;
      return undefined;
    }
    if (a.objectType === 'district' || a.objectType === 'region') return this.openRoot(a);
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

  /** A resolved incident of the same problem at the same place, within the reopen window. */
  private reopenable(a: Anomaly): LiveIncident | undefined {
    const { book } = this;
    const ids = a.cellId !== undefined ? book.index.atCell(a.cellId) : [book.index.rootedAt(a)].filter((x) => x !== undefined);
    let best: LiveIncident | undefined;
    for (const id of ids) {
      const live = book.lives.get(id)!;
      if (!book.reopenable(live) || !sameProblem(live, a)) continue;
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
      : `complaints cluster at ${a.objectType} ${a.objectId}`;
    return this.book.create(root, a.startedAt, why, a.id);
  }

  private naturalRoot(a: Anomaly): RootRef {
    if (a.objectType === 'region' && a.hint === 'core') return { objectType: 'core', objectId: a.objectId };
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

/** Same place and the same kind of problem: the returning anomaly reopens rather than duplicates. */
function sameProblem(live: LiveIncident, a: Anomaly): boolean {
  const cat = live.doc.rootCause.category;
  if (live.doc.anomalies.some((e) => e.source === a.source && e.signal === a.signal)) return true;
  if (a.hint === cat) return true;
  return isOutageEvidence(a) && (cat === 'outage' || cat === 'transport');
}
