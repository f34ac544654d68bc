/**
 * The live incidents and the operations that change their identity: open, attach evidence, move the
 * root up the topology, absorb one incident into another, resolve, reopen, forget. Every operation
 * keeps the indices and the change log in step, so grouping and linking (which decide *what* to do)
 * never touch them directly.
 */
import type { Anomaly, ComplaintLink, Incident } from '../model/index.js';
import { cellsUnder, type Topology } from '../inventory/topology.js';
import type { IncidentsConfig } from './config.js';
import { ActiveAnomalyIndex } from './active-anomalies.js';
import { ChangeLog } from './change-log.js';
import { IncidentIndex } from './incident-index.js';
import { incidentId } from './incident-ids.js';
import {
  addCells, newIncidentDoc, newLive, recordEvidence, resolveEvidence, rootKey,
  type LiveIncident, type RootRef,
} from './live-incident.js';
import { MINUTE } from '../model/index.js';

export class IncidentBook {
  readonly lives = new Map<string, LiveIncident>();
  readonly index: IncidentIndex;
  readonly active: ActiveAnomalyIndex;
  readonly changes: ChangeLog;
  /** Active anomaly id → the incident it is evidence of. */
  readonly anomalyOwner = new Map<string, string>();
  /** Linked complaint id → its incident (while the incident is live). */
  readonly complaintOwner = new Map<string, string>();
  /** Incidents whose evidence, cells or complaints changed since the last flush. */
  readonly dirty = new Set<LiveIncident>();
  /** Event time the stage has reached. */
  now = 0;

  constructor(
    readonly topo: Topology,
    readonly cfg: IncidentsConfig,
    refresh: (live: LiveIncident) => void,
  ) {
    this.index = new IncidentIndex(topo);
    this.active = new ActiveAnomalyIndex(topo);
    this.changes = new ChangeLog(refresh);
  }

  get(id: string | undefined): LiveIncident | undefined {
    return id === undefined ? undefined : this.lives.get(id);
  }

  /** The live incident rooted at an object, if any. */
  rootedAt(root: RootRef): LiveIncident | undefined {
    return this.get(this.index.rootedAt(root));
  }

  /** The cells an incident rooted at this object covers from the start (all of a site's or node's cells). */
  cellsUnder(root: RootRef): string[] {
    return [...cellsUnder(this.topo, root.objectType, root.objectId)];
  }

  /** The region an object belongs to ('' when it cannot be told, e.g. a core element). */
  regionOf(root: RootRef): string {
    switch (root.objectType) {
      case 'cell': return this.topo.cell(root.objectId)?.region ?? '';
      case 'site': return this.topo.site(root.objectId)?.region ?? '';
      case 'transport': return this.topo.transport(root.objectId)?.region ?? '';
      case 'district': return this.topo.regionOfDistrict(root.objectId) ?? '';
      case 'region': return root.objectId;
      case 'core': return '';
    }
  }

  /** Opens a new incident rooted at `root`; `seed` (first evidence id) makes the id. */
  create(root: RootRef, openedAt: number, reason: string, seed: string): LiveIncident {
    const id = incidentId(`${seed}|${rootKey(root)}`, openedAt, (x) => this.lives.has(x));
    const live = newLive(newIncidentDoc(id, root, this.regionOf(root), openedAt, this.now), reason);
    this.lives.set(id, live);
    this.index.addRoot(live);
    this.grow(live, this.cellsUnder(root));
    this.changes.record(live, 'opened');
    this.dirty.add(live);
    return live;
  }

  /** Adds cells to an incident and indexes them. */
  grow(live: LiveIncident, cells: Iterable<string>): void {
    const added = addCells(live, cells);
    if (added.length > 0) {
      this.index.addCells(live, added);
      this.dirty.add(live);
    }
  }

  /** Attaches an anomaly as evidence; a resolved incident it lands in reopens. */
  attach(live: LiveIncident, a: Anomaly): void {
    if (live.doc.state === 'resolved') this.reopen(live);
    const changed = recordEvidence(live, a, this.cfg.grouping.maxAnomaliesPerIncident);
    if (a.state !== 'resolved') {
      this.anomalyOwner.set(a.id, live.doc.id);
      this.active.add(a);
    }
    const cells = a.cellId !== undefined ? [a.cellId] : a.objectType === 'site' || a.objectType === 'transport' ? this.cellsUnder(a) : [];
    this.grow(live, cells);
    if (changed) this.dirty.add(live);
  }

  /** An attached anomaly resolved. */
  resolveAnomaly(anomalyId: string, at: number): void {
    const live = this.get(this.anomalyOwner.get(anomalyId));
    this.anomalyOwner.delete(anomalyId);
    const a = live?.active.get(anomalyId);
    if (!live) return;
    if (a) this.active.remove(a);
    resolveEvidence(live, anomalyId, at);
    this.dirty.add(live);
  }

  /** Detaches an active anomaly from its incident, leaving the recorded evidence as it is. */
  release(anomalyId: string): void {
    const live = this.get(this.anomalyOwner.get(anomalyId));
    this.anomalyOwner.delete(anomalyId);
    const a = live?.active.get(anomalyId);
    if (!live || !a) return;
    live.active.delete(anomalyId);
    this.active.remove(a);
  }

  /** Moves the incident's root (up the topology, or from a complaint cluster to network evidence). */
  promote(live: LiveIncident, root: RootRef): void {
    if (rootKey(live.doc.rootCause) === rootKey(root)) return;
    this.index.removeRoot(live);
    live.doc.rootCause.objectType = root.objectType;
    live.doc.rootCause.objectId = root.objectId;
    live.evidenceVersion++;
    const region = this.regionOf(root);
    if (region !== '') live.doc.region = region;
    this.index.addRoot(live);
    this.grow(live, this.cellsUnder(root));
    this.dirty.add(live);
  }

  /** Links a complaint to an incident (once). */
  link(live: LiveIncident, link: ComplaintLink): void {
    if (live.links.has(link.complaintId)) return;
    live.links.set(link.complaintId, link);
    live.doc.complaintIds.push(link.complaintId);
    this.complaintOwner.set(link.complaintId, live.doc.id);
    this.changes.record(live, 'updated', [link]);
    this.dirty.add(live);
  }

  /**
   * Absorbs `victim` into `survivor`: its evidence, cells and complaints move over (the complaints'
   * new links are reported on the survivor). A victim already made public resolves with `mergedInto`;
   * one opened in this same batch simply never existed.
   */
  absorb(survivor: LiveIncident, victim: LiveIncident): void {
    if (survivor === victim) return;
    const s = survivor.doc;
    const v = victim.doc;
    for (const e of v.anomalies) {
      if (survivor.evidence.has(e.id)) continue;
      survivor.evidence.set(e.id, e);
      s.anomalies.push(e);
    }
    for (const [id, a] of victim.active) {
      survivor.active.set(id, a);
      this.anomalyOwner.set(id, s.id);
    }
    if (survivor.active.size > 0) survivor.quietSince = null;
    else if (victim.quietSince !== null) survivor.quietSince = Math.max(survivor.quietSince ?? 0, victim.quietSince);
    for (const p of victim.procedures) survivor.procedures.add(p);
    survivor.evidenceVersion++;
    s.openedAt = Math.min(s.openedAt, v.openedAt);
    const moved: ComplaintLink[] = [];
    for (const cid of v.complaintIds) {
      if (survivor.links.has(cid)) continue;
      const old = victim.links.get(cid);
      const link: ComplaintLink = {
        complaintId: cid, incidentId: s.id, confidence: old?.confidence ?? 0.5,
        reason: `${old?.reason ?? 'linked earlier'} (moved from ${v.id}, merged)`,
      };
      survivor.links.set(cid, link);
      s.complaintIds.push(cid);
      this.complaintOwner.set(cid, s.id);
      moved.push(link);
    }
    const sc = (s.complainants ??= {});
    for (const [cls, n] of Object.entries(v.complainants ?? {})) sc[cls as keyof typeof sc] = (sc[cls as keyof typeof sc] ?? 0) + n;
    s.repeatComplainants = (s.repeatComplainants ?? 0) + (v.repeatComplainants ?? 0);
    s.absorbed = [...new Set([...(s.absorbed ?? []), v.id, ...(v.absorbed ?? [])])];
    this.forget(victim);
    this.grow(survivor, victim.cellSet);
    if (victim.reported) {
      this.changes.seal(victim, this.now);
      v.state = 'resolved';
      v.resolvedAt = this.now;
      v.mergedInto = s.id;
      this.changes.record(victim, 'resolved');
    } else {
      this.changes.drop(v.id);
    }
    this.changes.record(survivor, 'updated', moved);
    this.dirty.add(survivor);
  }

  resolve(live: LiveIncident, at: number): void {
    this.changes.seal(live, this.now);
    live.doc.state = 'resolved';
    live.doc.resolvedAt = at;
    this.changes.record(live, 'resolved');
  }

  reopen(live: LiveIncident): void {
    this.changes.seal(live, this.now);
    live.doc.state = 'open';
    live.doc.resolvedAt = null;
    live.doc.reopenCount += 1;
    live.quietSince = null;
    live.reopenedSinceRefresh = true;
    this.changes.record(live, 'reopened');
    this.dirty.add(live);
  }

  /** Within the reopen window: the same problem returning now reopens this incident. */
  reopenable(live: LiveIncident): boolean {
    return live.doc.state === 'resolved' && live.doc.resolvedAt !== null && this.now - live.doc.resolvedAt <= this.reopenWindowMs(live.doc);
  }

  /** How long after it resolved an incident may reopen: longer for a congestion (it recurs at busy hours). */
  reopenWindowMs(inc: Incident): number {
    const l = this.cfg.lifecycle;
    const minutes = inc.rootCause.category === 'congestion' ? Math.max(l.reopenWindowMinutes, l.congestionReopenWindowMinutes) : l.reopenWindowMinutes;
    return minutes * MINUTE;
  }

  /** Removes an incident from memory and every index (it left the live window, or was absorbed). */
  forget(live: LiveIncident): void {
    this.index.remove(live);
    this.lives.delete(live.doc.id);
    this.dirty.delete(live);
    for (const cid of live.links.keys()) if (this.complaintOwner.get(cid) === live.doc.id) this.complaintOwner.delete(cid);
    for (const id of live.active.keys()) if (this.anomalyOwner.get(id) === live.doc.id) this.anomalyOwner.delete(id);
  }

  /** Live incident documents (open, and resolved ones that may still reopen or take complaints). */
  *docs(): Iterable<Incident> {
    for (const l of this.lives.values()) yield l.doc;
  }
}
