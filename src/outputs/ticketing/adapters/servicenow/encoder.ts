/**
 * Tickets as ServiceNow `incident` records (Table API field names). State codes are the base
 * system's: 1 New, 2 In Progress, 6 Resolved, 7 Closed. Priority comes from impact × urgency.
 */
import type { Ticket, TicketState } from '../../../../model/index.js';
import type { OutboxEntry } from '../../outbox-entry.js';
import type { ServicenowTarget } from './config.js';

const STATE: Record<TicketState, string> = {
  open: '1', acknowledged: '2', in_progress: '2', reopened: '2', resolved: '6', verified: '6', closed: '7',
};

/** P1…P4 → [impact, urgency] (1 high … 3 low). */
const IMPACT_URGENCY: Record<number, [string, string]> = { 1: ['1', '1'], 2: ['1', '2'], 3: ['2', '2'], 4: ['3', '3'] };

function summary(t: Ticket): string {
  return `[nocwatch ${t.id}] ${t.category ?? 'network problem'} — ${t.region ?? ''} ${(t.cells ?? []).slice(0, 3).join(', ')}`.trim();
}

/** Fields that follow the ticket on every version. */
function common(entry: OutboxEntry, target: ServicenowTarget): Record<string, string> {
  const t = entry.ticket;
  const [impact, urgency] = IMPACT_URGENCY[t.priority ?? 4] ?? IMPACT_URGENCY[4];
  const fields: Record<string, string> = { state: STATE[t.state], impact, urgency };
  if (entry.note) fields.work_notes = entry.note;
  if (t.state === 'resolved' || t.state === 'verified' || t.state === 'closed') {
    fields.close_code = target.closeCode;
    fields.close_notes = t.state === 'resolved' ? (entry.note ?? 'resolved') : `verified by network data (${t.state})`;
  }
  return fields;
}

/** Body of the POST that creates the incident. */
export function encodeCreate(entry: OutboxEntry, target: ServicenowTarget): Record<string, string> {
  const t = entry.ticket;
  const group = target.assignmentGroups[t.department];
  return {
    short_description: summary(t),
    description: [
      `Ticket ${t.id} for incident ${t.incidentId}; class ${t.class}; department ${t.department}.`,
      `Cells: ${(t.cells ?? []).join(', ')}`,
      ...(t.reasons ?? []).map((r) => `Triage: ${r}`),
      ...(t.routing ?? []).map((r) => `Routing: ${r}`),
    ].join('\n'),
    category: target.category,
    subcategory: t.department,
    correlation_id: t.id,
    correlation_display: 'nocwatch',
    ...(group ? { assignment_group: group } : {}),
    ...(target.callerId ? { caller_id: target.callerId } : {}),
    ...common(entry, target),
  };
}

/** Body of the PATCH that brings the incident to a later version. */
export function encodeUpdate(entry: OutboxEntry, target: ServicenowTarget): Record<string, string> {
  return common(entry, target);
}
