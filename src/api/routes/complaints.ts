/** `GET /api/v1/complaints/:id` and `GET /api/v1/complaints`: complaints with their link and triage. */
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../errors.js';
import { isoTime } from '../../model/index.js';
import type { StoredComplaint } from '../../store/complaint-store.js';
import type { Store } from '../../store/store.js';
import { parsePageQuery, parseTimeParam } from '../list-query.js';

/** The API shape of a stored complaint: the record plus incidentId, ticketId, link, triage. */
export function complaintView(s: StoredComplaint, ticketIdOf: (incidentId: string) => string | null) {
  return {
    ...s.complaint,
    receivedAt: isoTime(s.complaint.receivedAt),
    incidentId: s.incidentId,
    ticketId: s.incidentId ? ticketIdOf(s.incidentId) : null,
    link: s.link,
    triage: s.triage,
    processed: s.processed,
  };
}

export function registerComplaintRoutes(app: FastifyInstance, deps: { store: Store }): void {
  const ticketIdOf = (incidentId: string) => deps.store.incidents.get(incidentId)?.ticketId ?? null;

  app.get<{ Params: { id: string } }>('/api/v1/complaints/:id', { config: { scope: 'read' } }, async (req) => {
    const s = deps.store.complaints.get(req.params.id);
    if (!s) throw new NotFoundError(`complaint ${req.params.id} not found`);
    return complaintView(s, ticketIdOf);
  });

  app.get('/api/v1/complaints', { config: { scope: 'read' } }, async (req) => {
    const q = req.query as Record<string, string | undefined>;
    const page = deps.store.complaints.list({
      ...parsePageQuery(req.query),
      incidentId: q.incidentId || undefined,
      since: parseTimeParam(req.query, 'since'),
      until: parseTimeParam(req.query, 'until'),
    });
    return { items: page.items.map((s) => complaintView(s, ticketIdOf)), nextCursor: page.nextCursor };
  });
}
