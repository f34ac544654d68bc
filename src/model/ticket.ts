/** A ticket: the work order the handle step opens for an incident, and its life cycle. */
import type { ObjectType, RootCauseCategory } from './anomaly.js';
import type { TriageClass } from './incident.js';

export const DEPARTMENTS = ['maintenance', 'optimization', 'construction'] as const;
export type Department = (typeof DEPARTMENTS)[number];

export const TICKET_STATES = [
  'open', 'acknowledged', 'in_progress', 'resolved', 'verified', 'reopened', 'closed',
] as const;
export type TicketState = (typeof TICKET_STATES)[number];

export const TICKET_EVENT_TYPES = ['acknowledged', 'dispatched', 'onsite', 'resolved', 'rejected', 'comment'] as const;
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];

export const SLA_STAGES = ['respond', 'onsite', 'resolve'] as const;
export type SlaStage = (typeof SLA_STAGES)[number];

export interface Ticket {
  id: string;
  incidentId: string;
  complaintIds: string[];
  department: Department;
  class: TriageClass;
  state: TicketState;
  proactive: boolean;
  createdAt: number;
  updatedAt: number;
  /** Deadlines (event time); `null` when the class has no clock for that stage. */
  sla: { respondBy: number | null; onsiteBy: number | null; resolveBy: number | null; breached: SlaStage[] };
  external: { system: string; key: string | null; pushState: 'pending' | 'delivered' | 'retrying' | 'dead_letter' };
  /** Bumped on every change; the outbox delivers each version exactly once. */
  version: number;
  /** 1 (most urgent) … 4; starts from the class and severity, raised by each SLA breach. */
  priority?: number;
  /** The incident's cells: what verification watches. */
  cells?: string[];
  region?: string;
  district?: string;
  /**
   * The incident's root-cause category, kept in step with the incident (the department stays the
   * one the ticket was routed to).
   */
  category?: string;
  /** The incident's root cause (what failed), kept in step with it: a core incident names its element late. */
  rootCause?: { objectType: ObjectType; objectId: string; category: RootCauseCategory };
  /** Why this department, in words. */
  routing?: string[];
  /** The triage reasons of the incident, strongest first. */
  reasons?: string[];
  /** Event time at which the underlying problem started (the incident's openedAt). */
  problemStartedAt?: number;
  /** Event time at which the daemon detected the problem (the incident's detectedAt). */
  detectedAt?: number;
  /**
   * Event time the problem was first ticketed: this ticket's creation, or earlier when it carries on
   * from tickets of incidents merged into its own. `proactive` compares the first complaint to it.
   */
  firstTicketAt?: number;
  /** Tickets of incidents merged into this one's incident (closed as merged). */
  mergedFrom?: string[];
  /** Event time of the first complaint linked to the incident, when known. */
  firstComplaintAt?: number | null;
  /** Event times of the life-cycle milestones (the latest occurrence of each). */
  times?: TicketTimes;
  /** SLA breaches with the event time each deadline passed. */
  breaches?: { stage: SlaStage; at: number }[];
  reopenCount?: number;
  /**
   * Resolutions that the network data confirmed, and those it refuted (relapse before verification).
   * `heldBy`: the latest other open incident whose fault kept the cells from being judged since the
   * resolution (verification waits for it to end). `suspectSince`: since when a cell has been bad
   * with nothing open explaining it (a relapse once that lasts `relapseGraceS`).
   */
  verification?: { passed: number; failed: number; normalSince: number | null; heldBy?: string | null; suspectSince?: number | null };
  /** Last progress from the handling side (ticketing events, state changes); what the audit measures. */
  lastActivityAt?: number;
  /** Set by the periodic audit when the ticket has had no progress past its class's limit. */
  stale?: boolean;
  /** The incident's state as last seen: an open incident blocks verification. */
  incidentState?: 'open' | 'resolved';
  /** The last notes, newest last (bounded). */
  notes?: { at: number; text: string }[];
}

/** Event times of a ticket's milestones; absent until reached. */
export interface TicketTimes {
  acknowledgedAt?: number;
  dispatchedAt?: number;
  onsiteAt?: number;
  resolvedAt?: number;
  verifiedAt?: number;
  closedAt?: number;
  reopenedAt?: number;
}
