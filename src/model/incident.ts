/** An incident: one real problem, with its root cause, its cells, its complaints and its triage. */
import type { ObjectType, RootCauseCategory, Severity, AnomalySource } from './anomaly.js';

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
}

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
  resolvedAt?: number;
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
