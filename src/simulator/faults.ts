/**
 * The faults the simulator can inject, and what each does to the network: which feeds see it, which
 * alarms it raises, how many customers it drives to complain and about what, and which department
 * should get the ticket. A fault is the ground truth a build is scored against.
 */
import type { ComplaintCategory, Department, ObjectType } from '../model/index.js';

export const FAULT_KINDS = [
  'cell_outage', 'site_outage', 'transport_outage', 'interference', 'congestion',
  'core_signaling_failure', 'dialtest_degradation', 'coverage_hole',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The object a fault starts at: what a correct incident names as its root cause. */
export interface FaultRoot {
  type: ObjectType;
  id: string;
}

export interface Fault {
  id: string;
  kind: FaultKind;
  /** Event time the fault begins (inclusive) and ends (exclusive), epoch ms. */
  start: number;
  end: number;
  /** 0..1: how hard the fault hits (outages are total whatever the severity). */
  severity: number;
  root: FaultRoot;
  /** Other root objects an incident may name and still be right (a core fault's region). */
  alsoAccept: FaultRoot[];
  /** Indices of the cells the fault touches (for a coverage hole: the cells nearest the hole). */
  cells: number[];
  region: string;
  district?: string;
  /** Where a coverage hole is. */
  point?: { lat: number; lon: number };
  department: Department;
  source: 'scenario' | 'random';
  /** A congestion's `congestionOnset` (null: it never fills its cells), set when the simulator takes the fault. */
  congestedFrom?: number | null;
}

/**
 * Routing: outages and equipment to maintenance, radio quality to optimisation. A coverage hole seen
 * for the first time goes to optimisation too — optimise before you build (issue 6): construction is
 * for chronic holes that optimisation tickets on the same cells have not fixed over weeks, which a
 * simulated hole never gets to be.
 */
export const FAULT_DEPARTMENT: Record<FaultKind, Department> = {
  cell_outage: 'maintenance',
  site_outage: 'maintenance',
  transport_outage: 'maintenance',
  core_signaling_failure: 'maintenance',
  interference: 'optimization',
  congestion: 'optimization',
  dialtest_degradation: 'optimization',
  coverage_hole: 'optimization',
};

/**
 * Complaints per affected subscriber per hour of fault at full severity and busy-hour load. Only
 * about 1–2 % of affected subscribers ever complain (FORMATS.md); COMPLAINT_CAP bounds the total.
 */
export const COMPLAINT_HAZARD_PER_HOUR: Record<FaultKind, number> = {
  cell_outage: 0.006,
  site_outage: 0.006,
  transport_outage: 0.006,
  core_signaling_failure: 0.003,
  interference: 0.003,
  congestion: 0.002,
  dialtest_degradation: 0,
  coverage_hole: 0,
};
/** At most this share of a fault's subscribers complain, however long it lasts. */
export const COMPLAINT_CAP = 0.02;
/** A coverage hole's complaints per day at full severity (a chronic trickle, not a burst). */
export const COVERAGE_HOLE_COMPLAINTS_PER_DAY = 6;

export const FAULT_COMPLAINT_CATEGORIES: Record<FaultKind, Partial<Record<ComplaintCategory, number>>> = {
  cell_outage: { no_coverage: 35, no_data: 25, call_failure: 25, weak_signal: 10, other: 5 },
  site_outage: { no_coverage: 35, no_data: 25, call_failure: 25, weak_signal: 10, other: 5 },
  transport_outage: { no_coverage: 30, no_data: 30, call_failure: 25, weak_signal: 10, other: 5 },
  core_signaling_failure: { no_data: 40, call_failure: 40, other: 20 },
  interference: { call_drop: 45, voice_quality: 25, slow_data: 20, call_failure: 10 },
  congestion: { slow_data: 60, no_data: 15, call_failure: 15, voice_quality: 10 },
  dialtest_degradation: { slow_data: 100 },
  coverage_hole: { weak_signal: 45, no_coverage: 40, call_drop: 15 },
};

/** One alarm a fault raises at its start and clears at its end (clears are sometimes lost). */
export interface FaultAlarmSpec {
  on: 'root' | 'sites' | 'core';
  severity: 'critical' | 'major';
  probableCause: string;
  specificProblem: string;
  alarmType: string;
}

export const FAULT_ALARMS: Record<FaultKind, readonly FaultAlarmSpec[]> = {
  cell_outage: [
    { on: 'root', severity: 'critical', probableCause: 'cell_unavailable', specificProblem: 'Cell out of service', alarmType: 'communications' },
  ],
  site_outage: [
    { on: 'root', severity: 'critical', probableCause: 'power_failure', specificProblem: 'Mains power failure, battery exhausted', alarmType: 'environmental' },
    { on: 'root', severity: 'major', probableCause: 'ne_disconnected', specificProblem: 'NE connection to OMC lost', alarmType: 'communications' },
  ],
  transport_outage: [
    { on: 'root', severity: 'critical', probableCause: 'link_down', specificProblem: 'Transmission link down', alarmType: 'communications' },
    { on: 'sites', severity: 'major', probableCause: 'ne_disconnected', specificProblem: 'NE connection to OMC lost', alarmType: 'communications' },
  ],
  core_signaling_failure: [
    { on: 'core', severity: 'major', probableCause: 'signaling_failure_rate_high', specificProblem: 'S1/NG signaling procedure failure rate above threshold', alarmType: 'processing_error' },
  ],
  interference: [],
  congestion: [],
  dialtest_degradation: [],
  coverage_hole: [],
};

/** Scenario severities in words. */
export const SEVERITY_WORDS = { minor: 0.4, major: 0.7, critical: 1 } as const;

/** Whether a fault is active at any moment of (a, b], and for which share of it. */
export function overlapFraction(f: Fault, a: number, b: number): number {
  const lo = Math.max(a, f.start);
  const hi = Math.min(b, f.end);
  return hi > lo ? (hi - lo) / (b - a) : 0;
}

/**
 * True when `f` would blur the ground truth: it touches cells another fault touches within
 * `separationMs` of it (region-wide core failures only clash with a core failure of the same region).
 */
export function conflicts(f: Fault, others: Iterable<Fault>, separationMs: number): boolean {
  const lo = f.start - separationMs;
  const hi = f.end + separationMs;
  let mine: Set<number> | null = null;
  for (const g of others) {
    if (g === f || g.end < lo || g.start > hi) continue;
    const core = f.kind === 'core_signaling_failure';
    if (core || g.kind === 'core_signaling_failure') {
      if (core && g.kind === 'core_signaling_failure' && g.region === f.region) return true;
      continue;
    }
    mine ??= new Set(f.cells);
    for (const ci of g.cells) if (mine.has(ci)) return true;
  }
  return false;
}
