/** A new ticket for a confirmed incident: every field set, version 0 (the first change makes it 1). */
import type { Incident, Ticket, TriageClass } from '../model/index.js';
import { describeIncident } from './incident-description.js';
import type { RoutingDecision } from './routing.js';
import type { SlaDeadlines } from './sla.js';

/**
 * What the incident stage adds to an incident that the ticket stage uses when present: confirmation,
 * and merges (a victim resolves with `mergedInto`, the survivor lists it in `absorbed`).
 */
export type IncidentLike = Incident & { confirmed?: boolean; mergedInto?: string; absorbed?: string[] };

const BASE_PRIORITY: Record<TriageClass, number> = { must_solve: 2, routine: 3, defer: 4 };

/** P1 (most urgent) … P4, from the class; a critical incident is one step more urgent. */
export function basePriority(cls: TriageClass, severity: Incident['severity']): number {
  return Math.max(1, BASE_PRIORITY[cls] - (severity === 'critical' ? 1 : 0));
}

export interface NewTicketInput {
  inc: IncidentLike;
  id: string;
  now: number;
  route: RoutingDecision;
  sla: SlaDeadlines;
  system: string;
  firstComplaintAt: number | null;
  /**
   * The first linked complaint received since the problem began (the incident's `openedAt`): what
   * decides `proactive`. A complaint from before the first evidence of the problem — linked within the
   * lead tolerance — could not have been answered by a ticket. Undefined: complaint times unknown.
   */
  firstComplaintSinceStart?: number | null;
  /** This ticket's creation, or earlier when it carries on from tickets of merged incidents. */
  firstTicketAt: number;
  mergedFrom: string[];
}

export function newTicket(x: NewTicketInput): Ticket {
  const { inc, now } = x;
  const cls = inc.triage.class;
  return {
    id: x.id,
    incidentId: inc.id,
    complaintIds: [...inc.complaintIds],
    department: x.route.department,
    class: cls,
    state: 'open',
    // Ticketed before any complaint since the problem began, in event time (here, or on an incident
    // merged into this one).
    proactive: x.firstComplaintSinceStart !== undefined
      ? x.firstComplaintSinceStart === null || x.firstComplaintSinceStart > x.firstTicketAt
      : inc.complaintIds.length === 0 || x.firstTicketAt < now,
    createdAt: now,
    updatedAt: now,
    sla: { ...x.sla, breached: [] },
    external: { system: x.system, key: null, pushState: 'pending' },
    version: 0,
    priority: basePriority(cls, inc.severity),
    cells: [...inc.cells],
    ...describeIncident(inc),
    routing: x.route.reasons,
    reasons: [...inc.triage.reasons],
    detectedAt: inc.detectedAt,
    firstComplaintAt: x.firstComplaintAt,
    firstTicketAt: x.firstTicketAt,
    mergedFrom: x.mergedFrom,
    times: {},
    breaches: [],
    reopenCount: 0,
    verification: { passed: 0, failed: 0, normalSince: null },
    lastActivityAt: now,
    stale: false,
    notes: [],
    incidentState: inc.state,
  };
}
