/** An incident: one real problem, with its root cause, its cells, its complaints and its triage. */
import type { Anomaly, ObjectType, RootCauseCategory, Severity, AnomalySource } from './anomaly.js';
import type { CustomerClass } from './records.js';

export const INCIDENT_STATES = ['open', 'resolved'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

export const TRIAGE_CLASSES = ['must_solve', 'routine', 'defer'] as const;
export type TriageClass = (typeof TRIAGE_CLASSES)[number];

export interface Triage {
  class: TriageClass;
  /** 0–100. */
  score: number;
  /** The reasons in words, strongest first. */
  reasons: string[];
  /** What each of the five principles contributed (0..1 each, before weighting). */
  principles?: Partial<Record<TriagePrinciple, number>>;
}

export const TRIAGE_PRINCIPLES = ['returnOnInvestment', 'customerClass', 'areaImportance', 'repeat', 'competitor'] as const;
export type TriagePrinciple = (typeof TRIAGE_PRINCIPLES)[number];

/** An anomaly as recorded under an incident (its evidence). */
export interface IncidentAnomaly {
  id: string;
  source: AnomalySource;
  objectType: ObjectType;
  objectId: string;
  cellId?: string;
  signal: string;
  score: number;
  startedAt: number;
  /** Event time the detector confirmed it (became firing), when known: how soon it was seen. */
  firingAt?: number;
  resolvedAt?: number;
  /** The detector's reading and severity, kept so the incident can be rebuilt after a restart. */
  hint?: RootCauseCategory;
  severity?: Severity;
}

export interface Incident {
  id: string;
  state: IncidentState;
  severity: Severity;
  /** Event time at which the underlying problem started (earliest anomaly). */
  openedAt: number;
  /** Event time (watermark) at which the daemon opened the incident. */
  detectedAt: number;
  resolvedAt: number | null;
  rootCause: {
    objectType: ObjectType;
    objectId: string;
    category: RootCauseCategory;
    /** Why this root cause: the evidence in words. */
    reasoning?: string[];
  };
  cells: string[];
  region: string;
  district?: string;
  anomalies: IncidentAnomaly[];
  complaintIds: string[];
  ticketId: string | null;
  triage: Triage;
  /** 0..1: rises as independent feeds agree. */
  confidence: number;
  /** The feeds whose evidence this incident rests on. */
  feeds: string[];
  /** Times this incident was reopened after resolving. */
  reopenCount: number;
  /**
   * Confidence reached `confirmAt`: independent evidence agrees (or one feed is unambiguous). The
   * ticket stage opens tickets only for confirmed incidents.
   */
  confirmed?: boolean;
  /** Subscribers served by the incident's cells. */
  subscribers?: number;
  /** Set when this incident turned out to be part of a bigger one: it is resolved into that one. */
  mergedInto?: string;
  /** Incidents absorbed into this one (their evidence and complaints now live here). */
  absorbed?: string[];
  /** Linked complainants by customer class, and how many of them complained before: kept for triage across restarts. */
  complainants?: Partial<Record<CustomerClass, number>>;
  repeatComplainants?: number;
  /** Bumped on every change; lets consumers skip stale updates. */
  version: number;
  updatedAt: number;
}

/** How a complaint is tied to an incident, and why. */
export interface ComplaintLink {
  complaintId: string;
  incidentId: string;
  /** 0..1. */
  confidence: number;
  reason: string;
}

/** Rebuilds an active anomaly from its stored evidence (after a restart). */
export function fromIncidentAnomaly(e: IncidentAnomaly, at: number): Anomaly {
  const a: Anomaly = {
    id: e.id, source: e.source, objectType: e.objectType, objectId: e.objectId, signal: e.signal,
    hint: e.hint ?? 'unknown', severity: e.severity ?? 'major', score: e.score, state: 'firing',
    startedAt: e.startedAt, firingAt: e.firingAt ?? e.startedAt, updatedAt: at, evidence: {},
  };
  if (e.cellId !== undefined) a.cellId = e.cellId;
  return a;
}
