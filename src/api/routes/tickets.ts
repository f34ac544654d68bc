/**
 * `GET /api/v1/tickets`, `GET /api/v1/tickets/:id` and `POST /api/v1/tickets/:id/events` (the
 * ticketing system's write-back, HMAC-verified when a secret is configured).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NotFoundError, UnauthorizedError, ValidationError } from '../../errors.js';
import { formatIssues } from '../../config/format-issues.js';
import { DEPARTMENTS, TICKET_EVENT_TYPES, TICKET_STATES, zTime, type Ticket } from '../../model/index.js';
import type { Pipeline } from '../../pipeline/pipeline.js';
import { pushStateOf } from '../../outputs/ticketing/outbox-entry.js';
import { SIGNATURE_HEADER, verifySignature } from '../../outputs/ticketing/signature.js';
import type { Store } from '../../store/store.js';
import type { Metrics } from '../../telemetry/metrics.js';
import { ticketView, type ExternalView } from '../../tickets/ticket-view.js';
import { parseEnumParam, parsePageQuery, parseTimeParam } from '../list-query.js';

export interface TicketRoutesDeps {
  store: Pick<Store, 'tickets' | 'outbox'>;
  pipeline: Pick<Pipeline, 'applyTicketEvent' | 'watermark'>;
  metrics: Pick<Metrics, 'ticketEventsRefused'>;
  /** The configured ticketing system, or null when tickets only wait in the outbox. */
  system: string | null;
  /** HMAC secret the ticketing system signs its events with; null = unsigned events accepted. */
  secret: string | null;
  /** Events stamped further ahead of the server clock are refused, as ingest refuses records (`pipeline.maxFutureS`; 0: no limit). */
  maxFutureS?: number;
  wallClock?: () => number;
}

/**
 * Not strict: ticketing systems add their own fields (the user, their state, links) to what they
 * post back, and API.md lets fields be added. Unknown ones are dropped; known ones are checked.
 */
const eventBodySchema = z.object({
  type: z.enum(TICKET_EVENT_TYPES),
  at: zTime.optional(),
  note: z.string().max(4000).optional(),
});

/** The API view of a ticket with its delivery state from the outbox. */
export function ticketApiView(t: Ticket, deps: Pick<TicketRoutesDeps, 'store' | 'system'>): Record<string, unknown> {
  const latest = deps.store.outbox.latest(t.id);
  const external: ExternalView & { configured: boolean } = {
    system: deps.system ?? 'none',
    key: deps.system ? deps.store.outbox.externalRef(t.id, deps.system) : null,
    pushState: latest ? pushStateOf(latest.state) : 'pending',
    configured: deps.system != null,
  };
  return ticketView(t, external);
}

export function registerTicketRoutes(app: FastifyInstance, deps: TicketRoutesDeps): void {
  app.get('/api/v1/tickets', { config: { scope: 'read' } }, async (req) => {
    const q = req.query as Record<string, string | undefined>;
    const stale = q.stale === undefined || q.stale === '' ? undefined : q.stale === 'true';
    const page = deps.store.tickets.list({
      ...parsePageQuery(req.query),
      state: parseEnumParam(req.query, 'state', TICKET_STATES),
      department: parseEnumParam(req.query, 'department', DEPARTMENTS),
      since: parseTimeParam(req.query, 'since'),
      until: parseTimeParam(req.query, 'until'),
      stale,
    });
    return { items: page.items.map((t) => ticketApiView(t, deps)), nextCursor: page.nextCursor };
  });

  app.get<{ Params: { id: string } }>('/api/v1/tickets/:id', { config: { scope: 'read' } }, async (req) => {
    const t = deps.store.tickets.get(req.params.id);
    if (!t) throw new NotFoundError(`ticket ${req.params.id} not found`);
    return ticketApiView(t, deps);
  });

  app.post<{ Params: { id: string } }>('/api/v1/tickets/:id/events', { config: { scope: 'ingest' } }, async (req) => {
    if (deps.secret) {
      const header = req.headers[SIGNATURE_HEADER] as string | undefined;
      if (!verifySignature(deps.secret, req.rawBody ?? '', header)) {
        const reason = header ? 'bad_signature' : 'unsigned';
        deps.metrics.ticketEventsRefused.inc({ reason });
        req.log.warn({ ticketId: req.params.id, reason, ip: req.ip }, 'ticket event refused: missing or bad X-Nocwatch-Signature');
        throw new UnauthorizedError(`${reason === 'unsigned' ? 'missing' : 'bad'} X-Nocwatch-Signature: sign the raw body with HMAC-SHA256`);
      }
    }
    const parsed = eventBodySchema.safeParse(req.body);
    if (!parsed.success) throw new ValidationError(formatIssues(parsed.error.issues, req.body).join('; '));
    const { type, note } = parsed.data;
    const wall = (deps.wallClock ?? Date.now)();
    // A stamp days ahead would record SLA breaches now and make the ticket look active until then.
    // (Only a stamp the sender gave: without one the event is at the watermark, the daemon's own time.)
    const given = parsed.data.at;
    if (given !== undefined && deps.maxFutureS && given > wall + deps.maxFutureS * 1000) {
      throw new ValidationError(`at: ${new Date(given).toISOString()} is more than ${deps.maxFutureS} s ahead of the server clock`);
    }
    const at = given ?? deps.pipeline.watermark ?? wall;
    try {
      const ticket = deps.pipeline.applyTicketEvent(req.params.id, { type, at, note });
      return ticketApiView(ticket, deps);
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 404 || status === 409) deps.metrics.ticketEventsRefused.inc({ reason: status === 404 ? 'unknown_ticket' : 'invalid_transition' });
      throw err;
    }
  });
}
