/**
 * An anomaly: one detector's finding about one object and signal, with its life cycle
 * pending → firing → resolving → resolved. Anomalies are what the incident stage groups.
 */

export const ANOMALY_SOURCES = ['pm', 'alarm', 'dialtest', 'signaling', 'complaints', 'missing_data'] as const;
export type AnomalySource = (typeof ANOMALY_SOURCES)[number];

export const OBJECT_TYPES = ['cell', 'site', 'transport', 'district', 'region', 'core'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

/**
 * A core-network root: an incident is rooted at its region until the failing core element is known,
 * then at the element (`core`). Other incidents are never rooted at a region.
 */
export const isCoreRoot = (t: ObjectType): boolean => t === 'core' || t === 'region';

export const ANOMALY_STATES = ['pending', 'firing', 'resolving', 'resolved'] as const;
export type AnomalyState = (typeof ANOMALY_STATES)[number];

export const ROOT_CAUSE_CATEGORIES = [
  'outage', 'degradation', 'congestion', 'interference', 'transport', 'core', 'coverage', 'unknown',
] as const;
export type RootCauseCategory = (typeof ROOT_CAUSE_CATEGORIES)[number];

export const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Severities ranked: warning 0, minor 1, major 2, critical 3 (higher is graver). */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { warning: 0, minor: 1, major: 2, critical: 3 };
/** The rank of a severity that arrived as a string (a document, a message): −1 for one that is none. */
export const severityRankOf = (s: string): number => SEVERITY_RANK[s as Severity] ?? -1;

export interface Anomaly {
  /** Unique per occurrence: the series key plus the start time. */
  id: string;
  source: AnomalySource;
  objectType: ObjectType;
  objectId: string;
  /** The cell the evidence is about, when the object is a cell or a dial test / complaint at a cell. */
  cellId?: string;
  /** What deviated: a KPI name, a signaling procedure, an alarm's probable cause, `no_data`, `complaint_spike`, a dial-test service. */
  signal: string;
  /** The detector's reading of what kind of problem this points at; the incident stage decides. */
  hint: RootCauseCategory;
  severity: Severity;
  /** Strength of the deviation, ≥ 0, comparable within a detector (e.g. a z-like score). */
  score: number;
  state: AnomalyState;
  /** Event time at which the deviation began (not when it was confirmed). */
  startedAt: number;
  /** Event time at which it became firing. */
  firingAt?: number;
  /** Event time at which it resolved. */
  resolvedAt?: number;
  /** Event time of the last evidence. */
  updatedAt: number;
  /** The values behind the finding: observed, expected, attempts, failures, alarm ids… */
  evidence: Record<string, number | string | boolean | null>;
}

/** One change of an anomaly's state, as handed to the incident stage. */
export interface AnomalyTransition {
  from: AnomalyState | null;
  to: AnomalyState;
  /** Event time of the transition. */
  at: number;
  anomaly: Anomaly;
}
