/** `/api/v1/status`, `/api/v1/rejects`, `/metrics`, `/healthz`, `/readyz`. */
import type { FastifyInstance } from 'fastify';
import { isoTime } from '../../model/index.js';
import type { Inventory } from '../../inventory/inventory.js';
import type { FeedStats } from '../../pipeline/feed-stats.js';
import type { Pipeline } from '../../pipeline/pipeline.js';
import type { Store } from '../../store/store.js';
import type { Metrics } from '../../telemetry/metrics.js';
import { parsePageQuery } from '../list-query.js';

export interface StatusDeps {
  pipeline: Pipeline;
  feedStats: FeedStats;
  store: Store;
  metrics: Metrics;
  inventory: Inventory;
  version: string;
  startedAt: number;
  queueLimit: number;
  /** True while ingest refuses because the queue is full. */
  overloaded: () => boolean;
}

export function registerStatusRoutes(app: FastifyInstance, deps: StatusDeps): void {
  app.get('/api/v1/status', { config: { scope: 'read' } }, async () => ({
    pending: deps.pipeline.pending,
    watermark: isoTime(deps.pipeline.watermark),
    uptimeS: Math.round((Date.now() - deps.startedAt) / 1000),
    version: deps.version,
    queue: { pending: deps.pipeline.pending, limit: deps.queueLimit, overloaded: deps.overloaded() },
    inventory: { cells: deps.inventory.size },
    feeds: deps.feedStats.snapshot(),
  }));

  app.get('/api/v1/rejects', { config: { scope: 'read' } }, async (req) => {
    const page = deps.store.rejects.list(parsePageQuery(req.query));
    return { items: page.items.map((r) => ({ ...r, at: isoTime(r.at) })), nextCursor: page.nextCursor };
  });

  app.get('/metrics', { config: { scope: 'read' } }, async (_req, reply) => {
    deps.metrics.pending.set(deps.pipeline.pending);
    const { contentType, body } = await deps.metrics.render();
    return reply.type(contentType).send(body);
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    const checks = { store: deps.store.healthy(), config: true, notOverloaded: !deps.overloaded() };
    const ready = Object.values(checks).every(Boolean);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });
}
