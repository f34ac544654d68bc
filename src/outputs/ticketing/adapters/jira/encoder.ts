/** Tickets as Jira issues (REST API v2 field shapes): the create body, comments and priority edits. */
import type { Ticket } from '../../../../model/index.js';
import type { OutboxEntry } from '../../outbox-entry.js';
import type { JiraTarget } from './config.js';

/** The label that finds a ticket's issue again (JQL `labels = "…"`). */
export function ticketLabel(ticketId: string): string {
  return `nocwatch-${ticketId}`;
}

function priorityName(t: Ticket, target: JiraTarget): string {
  const p = Math.min(4, Math.max(1, t.priority ?? 4));
  return target.priorities[p - 1];
}

export function encodeIssue(entry: OutboxEntry, target: JiraTarget): Record<string, unknown> {
  const t = entry.ticket;
  return {
    fields: {
      project: { key: target.projectKey },
      issuetype: { name: target.issueType },
      summary: `[${t.class}] ${t.category ?? 'network problem'} — ${t.region ?? ''} (${t.id})`,
      description: [
        `Ticket ${t.id} for incident ${t.incidentId}, department ${t.department}, state ${t.state}.`,
        `Cells: ${(t.cells ?? []).join(', ')}`,
        ...(t.reasons ?? []).map((r) => `* Triage: ${r}`),
        ...(t.routing ?? []).map((r) => `* Routing: ${r}`),
        t.sla.resolveBy != null ? `Resolve by ${new Date(t.sla.resolveBy).toISOString()}` : '',
      ].filter(Boolean).join('\n'),
      labels: ['nocwatch', ticketLabel(t.id), t.department],
      priority: { name: priorityName(t, target) },
    },
  };
}

/** The comment a later version adds. */
export function encodeComment(entry: OutboxEntry): string {
  const t = entry.ticket;
  return `nocwatch v${t.version} (${entry.change}, state ${t.state}): ${entry.note ?? ''}`.trim();
}

/** An edit that raises the priority (SLA escalation) with the comment. */
export function encodeEscalation(entry: OutboxEntry, target: JiraTarget): Record<string, unknown> {
  return {
    fields: { priority: { name: priorityName(entry.ticket, target) } },
    update: { comment: [{ add: { body: encodeComment(entry) } }] },
  };
}

/** The transition into the ticket's state, with the comment, when the workflow has one configured. */
export function encodeTransition(entry: OutboxEntry, target: JiraTarget): Record<string, unknown> | null {
  const id = target.transitions[entry.ticket.state as keyof JiraTarget['transitions']];
  if (!id) return null;
  return { transition: { id }, update: { comment: [{ add: { body: encodeComment(entry) } }] } };
}
