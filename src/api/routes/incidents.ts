/**
 * `GET /api/v1/incidents`, `GET /api/v1/incidents/:id` (read from the store, times as RFC 3339 UTC)
 * and `GET /api/v1/areas/:area/known-issues` (answered from the incident stage's memory, for the
 * hotline).
 */
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../errors.js';
import type { KnownIssues } from '../../incidents/known-issues.js';
import { INCIDENT_STATES, isoTime, type Incident } from '../../model/index.js';
import type { Store } from '../../store/store.js';
import { parseEnumParam, parsePageQuery, parseTimeParam } from '../list-query.js';

/** The API shape of an incident: the stored document with every time as an RFC 3339 UTC string. */
export function incidentView(i: Incident) {
  return {
    ...i,
    openedAt: isoTime(i.openedAt),
    detectedAt: isoTime(i.detectedAt),
    resolvedAt: isoTime(i.resolvedAt),
    updatedAt: isoTime(i.updatedAt),
    anomalies: i.anomalies.map((a) => ({
      ...a, startedAt: isoTime(a.startedAt), ...(a.firingAt !== undefined ? { firingAt: isoTime(a.firingAt) } : {}), resolvedAt: isoTime(a.resolvedAt ?? null),
    })),
  };
}

export function registerIncidentRoutes(app: FastifyInstance, deps: { store: Store; knownIssues: KnownIssues }): void {
  app.get('/api/v1/incidents', { config: { scope: 'read' } }, async (req) => {
    const q = req.query as Record<string, string | undefined>;
    const state = parseEnumParam(req.query, 'state', [...INCIDENT_STATES, 'all'] as const);
    const page = deps.store.incidents.list({
      ...parsePageQuery(req.query),
      state: state === 'all' ? undefined : state,
      region: q.region || undefined,
      since: parseTimeParam(req.query, 'since'),
      until: parseTimeParam(req.query, 'until'),
    });
    return { items: page.items.map(incidentView), nextCursor: page.nextCursor };
  });

  app.get<{ Params: { id: string } }>('/api/v1/incidents/:id', { config: { scope: 'read' } }, async (req) => {
    const i = deps.store.incidents.get(req.params.id);
    if (!i) throw new NotFoundError(`incident ${req.params.id} not found`);
    return incidentView(i);
  });

  app.get<{ Params: { area: string } }>('/api/v1/areas/:area/known-issues', { config: { scope: 'read' } }, async (req) => {
    const area = deps.knownIssues.resolveArea(req.params.area);
    if (!area) throw new NotFoundError(`area ${JSON.stringify(req.params.area)} is not a cell id, a district or "lat,lon" of the inventory`);
    return deps.knownIssues.answer(area);
  });
}
