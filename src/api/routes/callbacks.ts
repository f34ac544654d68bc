/**
 * `POST /api/v1/callbacks` (callback results), `GET /api/v1/callbacks?state=pending|done` (the
 * call list) and `GET /api/v1/dissatisfied` (the dissatisfied-customer pool).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { formatIssues } from '../../config/format-issues.js';
import { isoTime, zTime } from '../../model/index.js';
import type { Store } from '../../store/store.js';
import type { CallbackService } from '../../tickets/callback-service.js';
import type { CallbackTask, DissatisfiedEntry } from '../../tickets/callback-store.js';
import { parseEnumParam, parsePageQuery } from '../list-query.js';

export interface CallbackRoutesDeps {
  store: Pick<Store, 'callbacks'>;
  callbacks: Pick<CallbackService, 'record'>;
}

/** Not strict: a call-centre system adds its own fields (agent, call id…); unknown ones are dropped, known ones checked. */
const resultSchema = z.object({
  complaintId: z.string().min(1).max(128),
  at: zTime,
  reached: z.boolean(),
  satisfied: z.boolean().nullable().optional(),
  score: z.number().min(0).max(10).nullable().optional(),
  note: z.string().max(4000).nullable().optional(),
});

export function callbackView(t: CallbackTask): Record<string, unknown> {
  return { ...t, verifiedAt: isoTime(t.verifiedAt), result: t.result ? { ...t.result, at: isoTime(t.result.at) } : null };
}

export function dissatisfiedView(e: DissatisfiedEntry): Record<string, unknown> {
  return { ...e, at: isoTime(e.at) };
}

export function registerCallbackRoutes(app: FastifyInstance, deps: CallbackRoutesDeps): void {
  app.post('/api/v1/callbacks', { config: { scope: 'ingest' } }, async (req) => {
    const parsed = resultSchema.safeParse(req.body);
    if (!parsed.success) throw new ValidationError(formatIssues(parsed.error.issues, req.body).join('; '));
    return callbackView(deps.callbacks.record(parsed.data));
  });

  app.get('/api/v1/callbacks', { config: { scope: 'read' } }, async (req) => {
    const page = deps.store.callbacks.listTasks({
      ...parsePageQuery(req.query),
      state: parseEnumParam(req.query, 'state', ['pending', 'done'] as const),
    });
    return { items: page.items.map(callbackView), nextCursor: page.nextCursor, counts: deps.store.callbacks.counts() };
  });

  app.get('/api/v1/dissatisfied', { config: { scope: 'read' } }, async (req) => {
    const page = deps.store.callbacks.listDissatisfied(parsePageQuery(req.query));
    return { items: page.items.map(dissatisfiedView), nextCursor: page.nextCursor, customers: deps.store.callbacks.counts().dissatisfiedCustomers };
  });
}
