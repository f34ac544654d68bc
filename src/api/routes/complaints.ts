/** `GET /api/v1/complaints/:id` and `GET /api/v1/complaints`: complaints with their link and triage. */
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../errors.js';
import { isoTime, type Incident } from '../../model/index.js';
import type { StoredComplaint } from '../../store/complaint-store.js';
import type { Store } from '../../store/store.js';
import { parsePageQuery, parseTimeParam } from '../list-query.js';

/**
 * The API shape of a stored complaint: the record plus incidentId, ticketId, link, triage. A linked
 * complaint shows its incident's current triage (re-triaged as more complaints joined); an unlinked
 * one its own.
 */
export function complaintView(s: StoredComplaint, incidentOf: (incidentId: string) => Incident | undefined) {
  const incident = s.incidentId ? incidentOf(s.incidentId) : undefined;
  return {
    ...s.complaint,
    receivedAt: isoTime(s.complaint.receivedAt),
    incidentId: s.incidentId,
    ticketId: incident?.ticketId ?? null,
    link: s.link,
    triage: incident?.triage ?? s.triage,
    processed: s.processed,
  };
}

export function registerComplaintRoutes(app: FastifyInstance, deps: { store: Store }): void {
  const incidentOf = (incidentId: string) => deps.store.incidents.get(incidentId);

  app.get<{ Params: { id: string } }>('/api/v1/complaints/:id', { config: { scope: 'read' } }, async (req) => {
    const s = deps.store.complaints.get(req.params.id);
    if (!s) throw new NotFoundError(`complaint ${req.params.id} not found`);
    return complaintView(s, incidentOf);
  });

  app.get('/api/v1/complaints', { config: { scope: 'read' } }, async (req) => {
    const q = req.query as Record<string, string | undefined>;
    const page = deps.store.complaints.list({
      ...parsePageQuery(req.query),
      incidentId: q.incidentId || undefined,
      since: parseTimeParam(req.query, 'since'),
      until: parseTimeParam(req.query, 'until'),
    });
    return { items: page.items.map((s) => complaintView(s, incidentOf)), nextCursor: page.nextCursor };
  });
}
