/**
 * An incident while the stage holds it in memory: the public document plus what the stage needs to
 * keep it current cheaply (active anomalies, cell set, complaint links, resolve hysteresis).
 */
import {
  isCoreRoot, type Anomaly, type ComplaintLink, type CustomerClass, type Incident, type IncidentAnomaly, type ObjectType,
} from '../model/index.js';

/** The object an incident is rooted at. */
export interface RootRef {
  objectType: ObjectType;
  objectId: string;
}

export const rootKey = (r: RootRef): string => `${r.objectType}:${r.objectId}`;

/** A complaint cluster with no network evidence yet (a new, still empty incident is not one). */
export const isComplaintCluster = (l: LiveIncident): boolean =>
  l.doc.anomalies.length > 0 && l.doc.anomalies.every((a) => a.source === 'complaints');

/** How far up the topology a root is: a higher root may absorb incidents rooted below it. */
export const ROOT_LEVEL: Record<ObjectType, number> = { cell: 0, district: 0, site: 1, transport: 2, region: 3, core: 3 };

export interface LiveIncident {
  doc: Incident;
  /** Attached anomalies still firing or resolving, by id. */
  active: Map<string, Anomaly>;
  /** Every anomaly recorded under the incident, by id (the objects in doc.anomalies). */
  evidence: Map<string, IncidentAnomaly>;
  cellSet: Set<string>;
  /** How each linked complaint was linked. */
  links: Map<string, ComplaintLink>;
  /** Why the root is where it is (grouping), first line of the reasoning. */
  rootReason: string;
  /** Event time since which no attached anomaly is active; null while any is. */
  quietSince: number | null;
  /** The `opened` change has been handed out: from now on the incident is public. */
  reported: boolean;
  /** Cells were added since the last refresh (cached aggregates and retro-linking need a look). */
  cellsChanged: boolean;
  /** Reopened since the last refresh: complaints kept aside while it was resolved may now fit it. */
  reopenedSinceRefresh: boolean;
  /** Signaling procedures failing (what a core incident is about). */
  procedures: Set<string>;
  /** Bumped whenever the evidence (or the root) changes: derived assessments are cached against it. */
  evidenceVersion: number;
  /** Aggregates over the cells, refreshed when the cells change. */
  subscribers: number;
  districtCells: Map<string, number>;
}

export function toIncidentAnomaly(a: Anomaly): IncidentAnomaly {
  const e: IncidentAnomaly = {
    id: a.id, source: a.source, objectType: a.objectType, objectId: a.objectId, signal: a.signal,
    score: Math.round(a.score * 100) / 100, startedAt: a.startedAt, hint: a.hint, severity: a.severity,
  };
  if (a.cellId !== undefined) e.cellId = a.cellId;
  if (a.firingAt !== undefined) e.firingAt = a.firingAt;
  if (a.state === 'resolved' && a.resolvedAt !== undefined) e.resolvedAt = a.resolvedAt;
  return e;
}

export function newIncidentDoc(id: string, root: RootRef, region: string, openedAt: number, now: number): Incident {
  return {
    id, state: 'open', severity: 'minor', openedAt, detectedAt: now, resolvedAt: null,
    rootCause: { objectType: root.objectType, objectId: root.objectId, category: 'unknown', reasoning: [] },
    cells: [], region, anomalies: [], complaintIds: [], ticketId: null,
    triage: { class: 'defer', score: 0, reasons: [] },
    confidence: 0, confirmed: false, feeds: [], subscribers: 0, reopenCount: 0, version: 0, updatedAt: now,
    complainants: {}, repeatComplainants: 0,
  };
}

export function newLive(doc: Incident, rootReason: string): LiveIncident {
  const live: LiveIncident = {
    doc, active: new Map(), evidence: new Map(), cellSet: new Set(doc.cells), links: new Map(), rootReason,
    quietSince: null, reported: false, cellsChanged: true, reopenedSinceRefresh: false, procedures: new Set(), evidenceVersion: 0, subscribers: doc.subscribers ?? 0,
    districtCells: new Map(),
  };
  for (const e of doc.anomalies) {
    live.evidence.set(e.id, e);
    if (e.source === 'signaling') live.procedures.add(e.signal);
  }
  return live;
}

/**
 * Records an anomaly as evidence (or refreshes it) and tracks whether it is active. Returns whether
 * the incident visibly changed: a known anomaly moving from firing to resolving with the same
 * reading is not news.
 */
export function recordEvidence(live: LiveIncident, a: Anomaly, maxEvidence: number): boolean {
  const next = toIncidentAnomaly(a);
  const existing = live.evidence.get(a.id);
  let changed = true;
  if (existing) {
    changed = existing.score !== next.score || existing.severity !== next.severity || existing.hint !== next.hint ||
      existing.startedAt !== next.startedAt || existing.resolvedAt !== next.resolvedAt;
    if (changed) {
      Object.assign(existing, next);
      if (next.resolvedAt === undefined) delete existing.resolvedAt;
    }
  } else {
    live.evidence.set(a.id, next);
    live.doc.anomalies.push(next);
    if (live.doc.anomalies.length > maxEvidence) dropOldestResolved(live);
  }
  if (changed) live.evidenceVersion++;
  if (a.source === 'signaling') live.procedures.add(a.signal);
  if (a.state === 'resolved') live.active.delete(a.id);
  else {
    live.active.set(a.id, a);
    live.quietSince = null;
  }
  if (a.startedAt < live.doc.openedAt) live.doc.openedAt = a.startedAt;
  return changed;
}

function dropOldestResolved(live: LiveIncident): void {
  const i = live.doc.anomalies.findIndex((e) => e.resolvedAt !== undefined);
  if (i < 0) return;
  const [gone] = live.doc.anomalies.splice(i, 1);
  live.evidence.delete(gone!.id);
}

/** Marks an attached anomaly resolved; starts the quiet period when it was the last active one. */
export function resolveEvidence(live: LiveIncident, anomalyId: string, at: number): void {
  live.evidenceVersion++;
  const e = live.evidence.get(anomalyId);
  if (e) e.resolvedAt = at;
  live.active.delete(anomalyId);
  if (live.active.size === 0 && live.quietSince === null) live.quietSince = at;
}

/** Evidence the network measures (as opposed to what it reports: alarms; or what customers say). */
const MEASURED = new Set(['pm', 'signaling', 'dialtest', 'missing_data']);

/** What measures a core network itself: its procedures and the probes through it. */
const CORE_MEASURED = new Set(['signaling', 'dialtest']);

/** Whether some evidence of a kind was seen, whether any is unresolved, and when the last resolved. */
interface Recovery {
  seen: boolean;
  open: boolean;
  at: number;
}

function noteRecovery(r: Recovery, e: IncidentAnomaly): void {
  r.seen = true;
  if (e.resolvedAt === undefined) r.open = true;
  else r.at = Math.max(r.at, e.resolvedAt);
}

/**
 * Event time since which nothing holds the incident open, or null while something does. An active
 * anomaly holds it — except an alarm raised before the incident's measurements all recovered: clears
 * get lost, and when PM, signaling, dial tests and data arrival say the service is back, an alarm
 * nobody cleared does not prove the fault persists (an incident known only from alarms still waits
 * for their clear). A core incident's measurements are its procedures and probes: once they have
 * recovered, a cell's setup-rate finding that began before (a slow block still covering the failure,
 * which clears a block later) holds it no longer than an alarm would.
 */
export function quietSince(live: LiveIncident): number | null {
  if (live.active.size === 0) return live.quietSince;
  // One pass over the evidence, for both readings: all measurements, and the core's own.
  const all: Recovery = { seen: false, open: false, at: -Infinity };
  const own: Recovery = { seen: false, open: false, at: -Infinity };
  for (const e of live.evidence.values()) {
    if (MEASURED.has(e.source)) noteRecovery(all, e);
    if (CORE_MEASURED.has(e.source)) noteRecovery(own, e);
  }
  const core = isCoreRoot(live.doc.rootCause.objectType) && own.seen;
  const m = core ? own : all;
  if (!m.seen || m.open) return null;
  const recoveredAt = m.at;
  for (const a of live.active.values()) {
    const secondary = a.source === 'alarm' || (core && a.source === 'pm');
    if (!secondary || a.startedAt > recoveredAt) return null;
  }
  return recoveredAt;
}

export function addComplainant(live: LiveIncident, cls: CustomerClass, repeat: boolean): void {
  const c = (live.doc.complainants ??= {});
  c[cls] = (c[cls] ?? 0) + 1;
  if (repeat) live.doc.repeatComplainants = (live.doc.repeatComplainants ?? 0) + 1;
}

export function addCells(live: LiveIncident, cells: Iterable<string>): string[] {
  const added: string[] = [];
  for (const c of cells) {
    if (live.cellSet.has(c)) continue;
    live.cellSet.add(c);
    added.push(c);
  }
  if (added.length > 0) live.cellsChanged = true;
  return added;
}

/**
 * A snapshot of an incident for the changes handed out. Faster than structuredClone on the hot path:
 * parts the stage only ever replaces (cells, triage, reasoning, feeds, absorbed) are shared; parts it
 * mutates in place (evidence entries, complaint ids, root cause, complainants) are copied.
 */
export function snapshotIncident(d: Incident): Incident {
  const out: Incident = {
    ...d,
    rootCause: { ...d.rootCause },
    anomalies: d.anomalies.map((a) => ({ ...a })),
    complaintIds: d.complaintIds.slice(),
  };
  if (d.complainants) out.complainants = { ...d.complainants };
  return out;
}
