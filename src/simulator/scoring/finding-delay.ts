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
  /** Found by the end of the second whole PM period after the start; null for a coverage hole. */
  withinTwoPeriods: boolean | null;
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
 * a PM period (a fault's last minutes reach the detectors with the next reports). `findings` in any order.
 */
export function findingDelays(faults: readonly TruthFault[], findings: readonly FiringFinding[], periodMs: number): FaultFindingDelay[] {
  const sorted = [...findings].sort((x, y) => x.at - y.at);
  return faults.map((f) => {
    const cells = new Set(f.cells);
    const hit = sorted.find((a) => a.at >= f.start && a.at <= f.end + periodMs && touches(f, a, cells));
    const deadline = Math.ceil(f.start / periodMs) * periodMs + 2 * periodMs;
    return {
      id: f.id, kind: f.kind,
      delayMs: hit ? hit.at - f.start : null,
      first: hit ? `${hit.signal} on ${hit.objectType}:${hit.objectId}` : null,
      withinTwoPeriods: f.kind === 'coverage_hole' ? null : hit !== undefined && hit.at <= deadline,
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
  const within = delays.filter((d) => d.withinTwoPeriods === true).length;
  const network = delays.filter((d) => d.withinTwoPeriods !== null).length;
  const lines = [
    `Time from fault start to its first firing detector finding: ${within}/${network} network faults ` +
    'found within two whole PM periods (coverage holes: complaints only, no deadline)',
  ];
  for (const d of delays) {
    const when = d.delayMs === null ? 'none' : formatDuration(Math.round(d.delayMs / 1000) * 1000);
    const mark = d.withinTwoPeriods === null ? ' ' : d.withinTwoPeriods ? '✓' : '✗';
    lines.push(`  ${mark} ${d.id.padEnd(30)} ${d.kind.padEnd(24)} ${when.padStart(9)}  ${d.first ?? ''}`);
  }
  return `${lines.join('\n')}\n`;
}
