/** A ticket: the work order the handle step opens for an incident, and its life cycle. */
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
  sla: { respondBy: number; onsiteBy: number; resolveBy: number; breached: SlaStage[] };
  external: { system: string; key: string | null; pushState: 'pending' | 'delivered' | 'retrying' | 'dead_letter' };
  /** Bumped on every change; the outbox delivers each version exactly once. */
  version: number;
}
