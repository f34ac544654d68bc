/** Small builders for ticket tests: incidents, changes and a cell-health map. */
import type { CellStatus, IncidentChange } from '../../src/pipeline/stages.js';
import type { Complaint, Incident, RootCauseCategory, TriageClass } from '../../src/model/index.js';
import { ticketsConfigSchema, type TicketsConfig } from '../../src/tickets/config.js';
import { TicketEngine } from '../../src/tickets/ticket-engine.js';

export const T0 = Date.UTC(2026, 10, 23, 2, 0, 0);
export const MIN = 60_000;
export const H = 3_600_000;

export function incident(over: Partial<Incident> & { category?: RootCauseCategory; cls?: TriageClass } = {}): Incident {
  const { category, cls, ...rest } = over;
  return {
    id: 'INC-1',
    state: 'open',
    severity: 'major',
    openedAt: T0 - 10 * MIN,
    detectedAt: T0,
    resolvedAt: null,
    rootCause: { objectType: 'site', objectId: 'SITE-1', category: category ?? 'outage' },
    cells: ['C-1', 'C-2'],
    region: 'North',
    district: 'Hill',
    anomalies: [],
    complaintIds: [],
    ticketId: null,
    triage: { class: cls ?? 'must_solve', score: 80, reasons: ['area: hospital'] },
    confidence: 0.9,
    feeds: ['pm'],
    reopenCount: 0,
    version: 1,
    updatedAt: T0,
    ...rest,
  };
}

export function change(type: IncidentChange['type'], inc: Incident): IncidentChange {
  return { type, incident: inc };
}

/** Cell health the test sets by hand. Unknown cells are normal. */
export class CellMap {
  readonly status = new Map<string, CellStatus>();
  cellStatus(cellId: string): CellStatus {
    return this.status.get(cellId) ?? 'normal';
  }
}

export class ComplaintMap {
  readonly byId = new Map<string, Complaint>();
  add(id: string, receivedAt: number, cls: Complaint['customer']['class'] = 'regular', customerId = `cust-${id}`): Complaint {
    const c: Complaint = {
      complaintId: id, channel: 'hotline', receivedAt, customer: { id: customerId, class: cls },
      category: 'call_drop', location: { cellId: 'C-1' },
    };
    this.byId.set(id, c);
    return c;
  }
  complaint(id: string): Complaint | undefined {
    return this.byId.get(id);
  }
}

export function engine(config: unknown = {}, cells = new CellMap(), complaints = new ComplaintMap()) {
  const cfg: TicketsConfig = ticketsConfigSchema.parse(config);
  const e = new TicketEngine({ config: cfg, cellHealth: cells, complaints, system: 'webhook' });
  return { e, cells, complaints, cfg };
}
