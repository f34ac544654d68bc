/** Builders for outbox tests: a ticket version as a TicketChange, and both outbox implementations. */
import { openDatabase } from '../../../src/store/database.js';
import type { Ticket } from '../../../src/model/index.js';
import type { TicketChange } from '../../../src/pipeline/stages.js';
import { MemoryOutboxStore, type OutboxStore } from '../../../src/outputs/ticketing/outbox-store.js';
import { SqliteOutboxStore } from '../../../src/outputs/ticketing/sqlite-outbox-store.js';

export const T0 = Date.UTC(2026, 10, 23, 2, 0, 0);

export function ticket(id: string, version: number, over: Partial<Ticket> = {}): Ticket {
  return {
    id, incidentId: id.replace('TKT-', 'INC-'), complaintIds: [], department: 'maintenance', class: 'must_solve',
    state: 'open', proactive: true, createdAt: T0, updatedAt: T0 + version,
    sla: { respondBy: T0 + 7_200_000, onsiteBy: T0 + 86_400_000, resolveBy: T0 + 172_800_000, breached: [] },
    external: { system: 'webhook', key: null, pushState: 'pending' }, version,
    priority: 2, cells: ['C-1'], region: 'North', category: 'outage', reasons: ['area: hospital'],
    ...over,
  };
}

export function change(id: string, version: number, over: Partial<Ticket> = {}, type: TicketChange['type'] = version === 1 ? 'opened' : 'updated'): TicketChange {
  return { type, ticket: ticket(id, version, over), note: `v${version}` };
}

export function sqliteOutbox(): SqliteOutboxStore {
  return new SqliteOutboxStore(openDatabase(':memory:'));
}

export const OUTBOXES: [string, () => OutboxStore][] = [
  ['memory', () => new MemoryOutboxStore()],
  ['sqlite', sqliteOutbox],
];
