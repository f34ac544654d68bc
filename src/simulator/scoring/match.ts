/**
 * Which incidents are which injected faults: an incident matches a fault when it was detected while
 * the fault could be seen (from a little before its start to a grace period after its end — late
 * complaints can still open an incident) and it touches the fault's cells or names its root object.
 * Each incident is then assigned to the one fault it matches best, so one incident never counts twice.
 *
 * An incident opened before the fault that took in the fault's evidence (an anomaly on the fault's
 * cells starting while it ran) has absorbed it: the daemon knew, but under an older incident — listed
 * apart, since it says nothing about how fast the fault was detected. Pure: tables in, tables out.
 */
import { MINUTE, HOUR } from '../../model/index.js';
import type { TruthFault } from '../ground-truth.js';

/** An incident's evidence as the scoring needs it (times in epoch ms). */
export interface IncidentViewAnomaly {
  cellId?: string;
  startedAt: number;
  /** When the detector confirmed it (absent from builds before the field). */
  firingAt?: number;
  objectType?: string;
  objectId?: string;
  source?: string;
  signal?: string;
}

/** The parts of an incident (API shape, times in epoch ms) the scoring needs. */
export interface IncidentView {
  id: string;
  openedAt: number;
  detectedAt: number;
  resolvedAt: number | null;
  cells: string[];
  rootCause: { objectType: string; objectId: string; category?: string };
  ticketId: string | null;
  complaintIds: string[];
  /** The evidence under the incident (API `anomalies`), when known. */
  anomalies?: IncidentViewAnomaly[];
  /** Set when the daemon found the incident to be part of a bigger one and merged it there. */
  mergedInto?: string;
}

export interface MatchOptions {
  /** An incident detected this long before a fault's start may still be it (clock skew, period edges). */
  earlyMs: number;
  /** …and this long after the fault's end (incidents opened by late complaints or slow detectors). */
  graceMs: number;
}

export const DEFAULT_MATCH_OPTIONS: MatchOptions = { earlyMs: 15 * MINUTE, graceMs: 2 * HOUR };

export interface FaultMatch {
  /** Incidents that satisfy the match rule for this fault (an incident may be a candidate of several). */
  candidates: IncidentView[];
  /** Incidents assigned to this fault (each incident to at most one fault), by detection time. */
  assigned: IncidentView[];
  /** Incidents opened before the fault that took in its evidence. */
  absorbed: IncidentView[];
}

/** True when the incident's root cause is the fault's root object, or one it also accepts. */
export function rootMatches(f: Pick<TruthFault, 'root' | 'alsoAccept'>, inc: Pick<IncidentView, 'rootCause'>): boolean {
  const { objectType, objectId } = inc.rootCause;
  if (f.root.type === objectType && f.root.id === objectId) return true;
  return f.alsoAccept.some((r) => r.type === objectType && r.id === objectId);
}

function inWindow(f: TruthFault, inc: IncidentView, o: MatchOptions): boolean {
  return inc.detectedAt >= f.start - o.earlyMs && inc.detectedAt <= f.end + o.graceMs;
}

/** Opened before the fault, yet holding evidence that began on the fault's cells while it ran. */
function absorbs(f: TruthFault, cells: ReadonlySet<string>, inc: IncidentView, o: MatchOptions): boolean {
  if (inc.detectedAt >= f.start - o.earlyMs || !inc.anomalies) return false;
  return inc.anomalies.some((a) =>
    a.startedAt >= f.start - o.earlyMs && a.startedAt <= f.end + o.graceMs &&
    (a.cellId !== undefined ? cells.has(a.cellId) : rootMatches(f, inc)));
}

/** How well an incident fits a fault: root object named (best), then share of its cells in the fault. */
function fit(f: TruthFault, cells: ReadonlySet<string>, inc: IncidentView): number {
  let inside = 0;
  for (const c of inc.cells) if (cells.has(c)) inside++;
  const share = inc.cells.length > 0 ? inside / inc.cells.length : 0;
  return (rootMatches(f, inc) ? 2 : 0) + share;
}

export function matchIncidents(
  faults: readonly TruthFault[], incidents: readonly IncidentView[], o: MatchOptions = DEFAULT_MATCH_OPTIONS,
): Map<string, FaultMatch> {
  const out = new Map<string, FaultMatch>();
  const cellSets = new Map<string, Set<string>>();
  for (const f of faults) {
    cellSets.set(f.id, new Set(f.cells));
    out.set(f.id, { candidates: [], assigned: [], absorbed: [] });
  }
  for (const inc of incidents) {
    let best: TruthFault | null = null;
    let bestFit = 0;
    for (const f of faults) {
      const cells = cellSets.get(f.id) as Set<string>;
      if (!inWindow(f, inc, o)) {
        if (absorbs(f, cells, inc, o)) (out.get(f.id) as FaultMatch).absorbed.push(inc);
        continue;
      }
      const touches = inc.cells.some((c) => cells.has(c)) || rootMatches(f, inc);
      if (!touches) continue;
      (out.get(f.id) as FaultMatch).candidates.push(inc);
      const score = fit(f, cells, inc);
      // Ties go to the smaller fault (a cell outage inside a region-wide core failure is the cell's),
      // then to the fault that started closer to the detection.
      if (
        best === null || score > bestFit ||
        (score === bestFit && (f.cells.length < best.cells.length ||
          (f.cells.length === best.cells.length && Math.abs(inc.detectedAt - f.start) < Math.abs(inc.detectedAt - best.start))))
      ) {
        best = f;
        bestFit = score;
      }
    }
    if (best) (out.get(best.id) as FaultMatch).assigned.push(inc);
  }
  for (const m of out.values()) {
    m.candidates.sort((a, b) => a.detectedAt - b.detectedAt);
    m.assigned.sort((a, b) => a.detectedAt - b.detectedAt);
    m.absorbed.sort((a, b) => a.detectedAt - b.detectedAt);
  }
  return out;
}
