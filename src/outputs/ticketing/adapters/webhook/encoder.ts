/** The generic webhook body: the ticket as `GET /api/v1/tickets/:id` shows it, plus what changed. */
import { ticketView } from '../../../../tickets/ticket-view.js';
import type { OutboxEntry } from '../../outbox-entry.js';

export function encodeWebhook(entry: OutboxEntry, externalRef: string | null): Record<string, unknown> {
  return {
    ...ticketView(entry.ticket, { system: 'webhook', key: externalRef, pushState: 'pending' }),
    change: entry.change,
    note: entry.note,
  };
}
