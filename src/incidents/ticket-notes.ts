/**
 * Keeps each incident's `ticketId` in step with the ticket stage: when a ticket opens for an
 * incident, the incident stage learns it (so its later snapshots carry it) and the stored incident is
 * patched in the same transaction (so the API shows it at once). Runs as a batch persister.
 */
import type { BatchOutcome, BatchPersister } from '../pipeline/stages.js';
import type { IncidentStore } from '../store/incident-store.js';

export interface TicketAware {
  noteTicket(incidentId: string, ticketId: string): void;
}

export class IncidentTicketNotes implements BatchPersister {
  constructor(private readonly stage: TicketAware, private readonly incidents: IncidentStore) {}

  persist(outcome: BatchOutcome): void {
    for (const { ticket } of outcome.ticketChanges) {
      if (!ticket.incidentId) continue;
      this.stage.noteTicket(ticket.incidentId, ticket.id);
      const stored = this.incidents.get(ticket.incidentId);
      if (stored && stored.ticketId !== ticket.id) this.incidents.upsert({ ...stored, ticketId: ticket.id });
    }
  }
}
