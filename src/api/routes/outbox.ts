/**
 * `GET /api/v1/outbox?state=pending|retrying|delivered|dead&ticketId=` — the ticketing outbox,
 * dead letters included — and `POST /api/v1/outbox/:key/retry` (admin) to put a dead letter back
 * in line once its cause is fixed.
 */
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../errors.js';
import { isoTime } from '../../model/index.js';
import { OUTBOX_STATES, type OutboxEntry } from '../../outputs/ticketing/outbox-entry.js';
import type { Store } from '../../store/store.js';
import { parseEnumParam, parsePageQuery } from '../list-query.js';

export interface OutboxRoutesDeps {
  store: Pick<Store, 'outbox'>;
  /** The configured ticketing system, or null: entries wait as `pending`. */
  system: string | null;
  /** Wakes the delivery worker. */
  kick: () => void;
}

export function outboxView(e: OutboxEntry): Record<string, unknown> {
  return {
    key: e.key, ticketId: e.ticketId, version: e.version, change: e.change, note: e.note,
    ticketState: e.ticket.state, state: e.state, attempts: e.attempts,
    nextAttemptAt: e.state === 'pending' || e.state === 'retrying' ? isoTime(e.nextAttemptAt) : null,
    enqueuedAt: isoTime(e.enqueuedAt), deliveredAt: isoTime(e.deliveredAt), lastStatus: e.lastStatus, lastError: e.lastError,
  };
}

export function registerOutboxRoutes(app: FastifyInstance, deps: OutboxRoutesDeps): void {
  app.get('/api/v1/outbox', { config: { scope: 'read' } }, async (req) => {
    const q = req.query as Record<string, string | undefined>;
    const page = deps.store.outbox.list({
      ...parsePageQuery(req.query),
      state: parseEnumParam(req.query, 'state', OUTBOX_STATES),
      ticketId: q.ticketId || undefined,
    });
    return {
      items: page.items.map(outboxView),
      nextCursor: page.nextCursor,
      target: deps.system,
      // Said plainly, so an empty target is never mistaken for a silent drop.
      ...(deps.system ? {} : { note: 'no ticketing target configured: ticket versions wait here as pending' }),
      counts: deps.store.outbox.counts(),
    };
  });

  app.post<{ Params: { key: string } }>('/api/v1/outbox/:key/retry', { config: { scope: 'admin' } }, async (req) => {
    if (!deps.store.outbox.requeue(req.params.key, Date.now())) {
      throw new NotFoundError(`no dead letter ${req.params.key} in the outbox`);
    }
    deps.kick();
    return outboxView(deps.store.outbox.get(req.params.key)!);
  });
}
