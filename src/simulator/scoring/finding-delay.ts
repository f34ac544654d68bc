/**
 * How soon the detectors saw each injected fault: the event time from a fault's start to the first
 * detector finding (anomaly) that became firing on one of the fault's objects while it lasted. This is
 * the detector stage's own figure — "every fault produces an anomaly within two PM periods" — before
 * the incident stage's holds and grouping, which `ttdMs` (first incident) includes.
 *
 * Two PM periods means two whole ones: a fault that starts ten minutes into a period spoils a third
 * of it, and counters cannot say when within a period it began; the deadline is the end of the second
 * period that starts at or after the fault. A coverage hole is where no cell is: only complaint
 * findings count for it, and it has no such deadline (complaints come when customers call).
 *
 * A congestion is due from the period its extra demand fills a cell (`congestedFrom` in the truth):
 * tripled demand at 03:00 leaves a cell with room, and a NOC calls it congestion when the cell is
 * full. A finding before that (a demand surge) counts. One that never fills a cell has no deadline.
 * `fromStart` keeps the strict reading — every fault due from its own start — beside it.
 */
import { formatDuration } from '../duration.js';
import type { TruthFault } from '../ground-truth.js';
import type { IncidentView } from './match.js';

/** A firing finding as the scorer needs it. */
export interface FiringFinding {
  /** Event time it became firing. */
  at: number;
  objectType: string;
  objectId: string;
  cellId?: string;
  /** The cells of a site or transport object, when the caller knows them. */
  cells?: readonly string[];
  source: string;
  signal: string;
}

export interface FaultFindingDelay {
  id: string;
  kind: string;
  /** Event time from fault start to the first firing finding on its objects; null when none fired. */
  delayMs: number | null;
  /** That finding's signal and object. */
  first: string | null;
  /**
   * Found by the end of the second whole PM period after the fault became due (its start; a
   * congestion's first congested period); null for a coverage hole and a congestion that never congested.
   */
  withinTwoPeriods: boolean | null;
  /** The same with every fault due from its start; null for a coverage hole. */
  fromStart: boolean | null;
  /** A congestion: event time from its start to its first congested period; null when it never congested. */
  congestedAfterMs?: number | null;
}

/** A finding on one of the fault's cells (or a site / transport holding one), its root object, an accepted alternative root, or its region. */
function touches(f: TruthFault, a: FiringFinding, cells: ReadonlySet<string>): boolean {
  if (f.kind === 'coverage_hole' && a.source !== 'complaints') return false;
  if (a.cellId !== undefined && cells.has(a.cellId)) return true;
  if (cells.has(a.objectId) || a.cells?.some((c) => cells.has(c))) return true;
  if (a.objectType === f.root.type && a.objectId === f.root.id) return true;
  if (f.alsoAccept.some((r) => r.type === a.objectType && r.id === a.objectId)) return true;
  return f.kind === 'core_signaling_failure' && a.objectType === 'region' && a.objectId === f.region;
}

/**
 * For every fault, the first finding that became firing on its objects from its start to its end plus
 * a PM period (a fault's last minutes reach the detectors with the next reports), and that no fault
 * begun later also explains. `findings` in any order.
 */
export function findingDelays(faults: readonly TruthFault[], findings: readonly FiringFinding[], periodMs: number): FaultFindingDelay[] {
  const sorted = [...findings].sort((x, y) => x.at - y.at);
  const cellSets = faults.map((f) => new Set(f.cells));
  // A finding that touches several running faults (a region's core failure over a congested cell's
  // long fault) is the newest one's: the change that began last is what a new finding shows.
  const owner = sorted.map((a) => {
    let best = -1;
    faults.forEach((f, i) => {
      if (a.at >= f.start && a.at <= f.end + periodMs && touches(f, a, cellSets[i]!) && (best < 0 || f.start > faults[best]!.start)) best = i;
    });
    return best;
  });
  return faults.map((f, i) => {
    const k = owner.indexOf(i);
    const hit = k < 0 ? undefined : sorted[k];
    const foundBy = (from: number): boolean => hit !== undefined && hit.at <= Math.ceil(from / periodMs) * periodMs + 2 * periodMs;
    const hole = f.kind === 'coverage_hole';
    const due = f.kind === 'congestion' && f.congestedFrom !== undefined ? f.congestedFrom : f.start;
    return {
      id: f.id, kind: f.kind,
      delayMs: hit ? hit.at - f.start : null,
      first: hit ? `${hit.signal} on ${hit.objectType}:${hit.objectId}` : null,
      withinTwoPeriods: hole || due === null ? null : foundBy(due),
      fromStart: hole ? null : foundBy(f.start),
      ...(f.kind === 'congestion' && f.congestedFrom !== undefined ? { congestedAfterMs: due === null ? null : due - f.start } : {}),
    };
  });
}

/**
 * The firing findings a daemon's incidents record (API `anomalies` with `firingAt`), for `evaluate`
 * over HTTP: findings that never reached an incident (a lone weak one that ended while it waited for
 * corroboration) are not there, so this can only be later than the detector stage's own figure. A site
 * or transport finding stands for its incident's cells (a region's or core element's does not: it
 * counts for the core fault it names). Each anomaly once, however many incidents list it.
 */
export function findingsFromIncidents(incidents: readonly IncidentView[]): FiringFinding[] {
  const seen = new Map<string, FiringFinding>();
  for (const inc of incidents) {
    for (const a of inc.anomalies ?? []) {
      if (a.firingAt === undefined || a.objectType === undefined || a.objectId === undefined) continue;
      const key = `${a.source}|${a.objectType}|${a.objectId}|${a.signal}|${a.startedAt}`;
      if (seen.has(key)) continue;
      seen.set(key, {
        at: a.firingAt, objectType: a.objectType, objectId: a.objectId, source: a.source ?? '', signal: a.signal ?? '',
        ...(a.cellId !== undefined ? { cellId: a.cellId } : {}),
        ...(a.cellId === undefined && (a.objectType === 'site' || a.objectType === 'transport') ? { cells: inc.cells } : {}),
      });
    }
  }
  return [...seen.values()];
}

/** The per-fault lines `bench:scenario` and `evaluate` print, with the two-period count on top. */
export function formatFindingDelays(delays: readonly FaultFindingDelay[]): string {
  if (delays.length === 0) return '';
  const count = (pick: (d: FaultFindingDelay) => boolean | null): string =>
    `${delays.filter((d) => pick(d) === true).length}/${delays.filter((d) => pick(d) !== null).length}`;
  const lines = [
    `Time from fault start to its first firing detector finding: ${count((d) => d.withinTwoPeriods)} network faults ` +
    'found within two whole PM periods (a congestion from its first congested period; coverage holes: ' +
    `complaints only, no deadline). Every fault from its start: ${count((d) => d.fromStart)}`,
  ];
  const dur = (ms: number): string => formatDuration(Math.round(ms / 1000) * 1000);
  for (const d of delays) {
    const when = d.delayMs === null ? 'none' : dur(d.delayMs);
    const mark = d.withinTwoPeriods === null ? ' ' : d.withinTwoPeriods ? '✓' : '✗';
    const full = d.congestedAfterMs === undefined ? '' : d.congestedAfterMs === null ? '  (never congested)' : d.congestedAfterMs > 0 ? `  (congested after ${dur(d.congestedAfterMs)})` : '';
    lines.push(`  ${mark} ${d.id.padEnd(30)} ${d.kind.padEnd(24)} ${when.padStart(9)}  ${d.first ?? ''}${full}`);
  }
  return `${lines.join('\n')}\n`;
}
