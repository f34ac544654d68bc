/**
 * Core-network incidents. A core fault shows as the same signaling procedures failing on many cells
 * across many sites of a region at once (plus dial tests failing there, and an alarm on the core
 * element when it raises one). One core incident per region: rooted at the region until the failing
 * element is named by its alarm, then at the element.
 */
import { MINUTE, isCoreRoot } from '../model/index.js';
import type { Anomaly } from '../model/index.js';
import { coreEvidence, type ActiveAnomalies, type Evidence } from './grouping.js';
import type { IncidentBook } from './incident-book.js';
import { isComplaintCluster, type LiveIncident } from './live-incident.js';

const isNetwork = (e: { source: string }): boolean => e.source !== 'complaints';

/** Evidence a core fault produces at the cells: failing procedures and failing dial tests. */
const CORE_SYMPTOM_SOURCES = new Set(['signaling', 'dialtest']);
/** PM KPIs of setups the core answers (bearer, QoS flow): they fail with it at every cell of the region. */
const CORE_DEPENDENT_KPIS = new Set(['erab_setup_success_rate', 'nr_qos_flow_setup_success_rate']);

/**
 * Could this anomaly at a cell be a symptom of a core failure in its region: a failing procedure or
 * probe, a core-dependent setup rate, or anything the detector already read as core?
 */
export function isCoreSymptom(a: Pick<Anomaly, 'source' | 'signal' | 'hint'>): boolean {
  return CORE_SYMPTOM_SOURCES.has(a.source) || a.hint === 'core' || (a.source === 'pm' && CORE_DEPENDENT_KPIS.has(a.signal));
}

/**
 * The core fault has been on since `since`: some of its signaling evidence has not resolved, or
 * resolved after `since` (or, before any signaling evidence arrived, a core element's alarm is active).
 */
function failingSince(live: LiveIncident, since: number): boolean {
  let signaling = false;
  for (const e of live.evidence.values()) {
    if (e.source !== 'signaling') continue;
    signaling = true;
    if (e.resolvedAt === undefined || e.resolvedAt >= since) return true;
  }
  if (signaling) return false;
  for (const a of live.active.values()) if (a.objectType === 'core') return true;
  return false;
}

export class CoreGrouping {
  private readonly windowMs: number;

  constructor(private readonly book: IncidentBook) {
    this.windowMs = book.cfg.grouping.coreWindowMinutes * MINUTE;
  }

  /** Checks each region and procedure the batch touched for a region-wide failure. */
  escalate(procedures: ReadonlyMap<string, ReadonlySet<string>>): void {
    const { book } = this;
    for (const [region, procs] of procedures) {
      for (const p of procs) {
        const ev = coreEvidence(region, p, book.active.signaling(region, p), book.topo, book.cfg.grouping);
        if (ev) this.ensure(region, p, ev);
      }
    }
  }

  /** The open core incident of a region (or one not yet tied to a region) the anomaly fits in time. */
  openFor(region: string, at: number): LiveIncident | undefined {
    const coTimed = (l: LiveIncident) => at >= l.doc.openedAt - this.windowMs;
    const live = this.open(region, coTimed) ?? this.open('', (l) => coTimed(l) && at <= l.doc.openedAt + this.windowMs);
    if (live && live.doc.region === '' && region !== '') this.adopt(live, region);
    return live;
  }

  /** The open core incident an anomaly is evidence of, when it is a core symptom there. */
  coveringCoreSymptom(a: Anomaly): LiveIncident | undefined {
    const { book } = this;
    if (a.objectType === 'core') {
      const same = book.rootedAt({ objectType: 'core', objectId: a.objectId });
      if (same?.doc.state === 'open') return same;
      for (const region of ['', ...book.topo.regions()]) {
        const live = this.open(region, (l) => Math.abs(l.doc.openedAt - a.startedAt) <= this.windowMs);
        if (live) return live;
      }
      return undefined;
    }
    if (a.objectType === 'region') return a.hint === 'core' ? this.openFor(a.objectId, a.startedAt) : undefined;
    const region = a.cellId !== undefined ? book.topo.cell(a.cellId)?.region : undefined;
    if (region === undefined || !isCoreSymptom(a)) return undefined;
    // A finding a slow block confirmed starts at the block's start, up to hours before the core
    // incident opened; it fits the incident if it was confirmed while that was open.
    const live = this.openFor(region, a.startedAt) ?? (a.firingAt !== undefined ? this.openFor(region, a.firingAt) : undefined);
    // A probe or a setup rate failing somewhere in the region is the core's symptom only if it began
    // while the core failed: one that begins after its signaling recovered is a problem of its own (and
    // must not keep the core incident open, or hide a probe-only degradation inside it).
    if (live && a.source !== 'signaling' && a.hint !== 'core' && !failingSince(live, a.startedAt)) return undefined;
    return live;
  }

  /** True when a core incident explains this cell anomaly, so it is no evidence against a site or node. */
  explains(a: Anomaly): boolean {
    if (a.cellId === undefined || !isCoreSymptom(a)) return false;
    const region = this.book.topo.cell(a.cellId)?.region;
    return region !== undefined && this.open(region, (l) => a.startedAt >= l.doc.openedAt - this.windowMs) !== undefined;
  }

  /** The active anomalies minus those a core incident explains (for site and transport evidence). */
  view(): ActiveAnomalies {
    const active = this.book.active;
    const keep = (a: Anomaly) => !this.explains(a);
    return {
      atCell: (cellId) => [...active.atCell(cellId)].filter(keep),
      atObject: (type, id) => active.atObject(type, id),
      cellsActiveUnder: (type, id) => active.cellsActiveUnder(type, id),
    };
  }

  /** Whether any core incident is open in these regions (else the plain view is enough). */
  anyOpenIn(regions: Iterable<string>): boolean {
    for (const r of regions) if (this.open(r) || this.open('')) return true;
    return false;
  }

  /** Names the failing element as root once its alarm joins a region's core incident. */
  nameElement(live: LiveIncident, a: Anomaly): void {
    if (a.objectType === 'core' && live.doc.rootCause.objectType === 'region') {
      this.book.promote(live, { objectType: 'core', objectId: a.objectId });
    }
  }

  /** One core incident per region: the open one, a core alarm's not yet placed, a reopened one, or a new one. */
  private ensure(region: string, procedure: string, ev: Evidence): void {
    const { book } = this;
    let live = this.openFor(region, ev.ref);
    if (!live) {
      const resolved = book.rootedAt({ objectType: 'region', objectId: region });
      if (resolved && book.reopenable(resolved)) {
        live = resolved;
        book.reopen(resolved);
      } else {
        live = book.create({ objectType: 'region', objectId: region }, ev.ref, ev.reason, `core:${region}:${procedure}@${ev.ref}`);
      }
    }
    live.rootReason = ev.reason;
    live.procedures.add(procedure);
    this.absorbClusters(live);
    // Cell incidents of the region that are nothing but core symptoms (failing procedures, failing
    // probes) and began with it are the core problem seen per cell.
    for (const owner of [...book.lives.values()]) {
      if (owner === live || owner.doc.state !== 'open' || owner.doc.region !== region || owner.doc.rootCause.objectType !== 'cell') continue;
      const onlySymptoms = owner.doc.anomalies.every((e) => !isNetwork(e) || isCoreSymptom({ source: e.source, signal: e.signal, hint: e.hint ?? 'unknown' }));
      const together = Math.abs(owner.doc.openedAt - ev.ref) <= this.windowMs || Math.abs(owner.doc.detectedAt - ev.ref) <= this.windowMs;
      if (onlySymptoms && together) book.absorb(live, owner);
    }
  }

  private open(region: string, ok: (l: LiveIncident) => boolean = () => true): LiveIncident | undefined {
    for (const id of this.book.index.coreIn(region)) {
      const live = this.book.lives.get(id)!;
      if (live.doc.state === 'open' && ok(live)) return live;
    }
    return undefined;
  }

  private adopt(live: LiveIncident, region: string): void {
    this.book.index.removeRoot(live);
    live.doc.region = region;
    this.book.index.addRoot(live);
    this.absorbClusters(live);
  }

  /**
   * Complaint clusters of the region's districts that surfaced while the core was failing (customers
   * often notice before the network data tells) are that failure: they join the core incident.
   */
  private absorbClusters(live: LiveIncident): void {
    const { book } = this;
    for (const d of book.topo.districts()) {
      if (book.topo.regionOfDistrict(d) !== live.doc.region) continue;
      const cluster = book.rootedAt({ objectType: 'district', objectId: d });
      if (cluster && cluster !== live && cluster.doc.state === 'open' && isComplaintCluster(cluster) &&
        cluster.doc.openedAt >= live.doc.openedAt - 2 * this.windowMs) book.absorb(live, cluster);
    }
  }
}
