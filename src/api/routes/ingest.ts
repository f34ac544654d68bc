/** `POST /api/v1/ingest/<feed>` for the five JSON feeds (API.md): object, array or NDJSON. */
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../errors.js';
import { FEEDS } from '../../model/index.js';
import type { IngestService } from '../../pipeline/ingest-service.js';
import { recordsOf } from '../body.js';

export function registerIngestRoutes(app: FastifyInstance, deps: { ingest: IngestService }): void {
  for (const feed of FEEDS) {
    app.post(`/api/v1/ingest/${feed}`, { config: { scope: 'ingest' } }, async (req, reply) => {
      const body = await recordsOf(req.body);
      if (!body) throw new ValidationError('the body must be a JSON object, a JSON array of objects, or NDJSON', 'NOCWATCH_ERR_BODY');
      const result = await deps.ingest.acceptInSlices(feed, body.records, 'http', body.errors);
      return reply.status(202).send(result);
    });
  }
}
