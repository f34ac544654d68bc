/**
 * VES fault events: `POST /api/v1/ingest/ves` (nocwatch's ingest contract) and, for collectors
 * configured for ONAP, `POST /eventListener/v7` and `/eventListener/v7/eventBatch`. Each event is
 * validated (VES 7.2 required fields) and mapped to an alarm record; bad or non-fault events are
 * rejected by index with the reason, the rest are accepted.
 */
import type { FastifyInstance } from 'fastify';
import type { VesConfig } from '../../collectors/config.js';
import { vesEventsOf, vesFaultToAlarmRecord } from '../../collectors/ves/ves-alarms.js';
import { ValidationError } from '../../errors.js';
import type { Topology } from '../../inventory/topology.js';
import type { IngestResult } from '../../pipeline/ingest-port.js';
import type { IngestService, Unparsable } from '../../pipeline/ingest-service.js';
import { recordsOf } from '../body.js';

export interface VesRouteDeps {
  ingest: IngestService;
  topology: Topology;
  config: VesConfig;
}

export function registerVesRoutes(app: FastifyInstance, deps: VesRouteDeps): void {
  const take = async (rawBody: unknown, source: string): Promise<IngestResult> => {
    const body = await recordsOf(rawBody);
    if (!body) throw new ValidationError('the body must be a VES {"event": …} or {"eventList": […]} object, an array of them, or NDJSON', 'NOCWATCH_ERR_BODY');
    const { events, errors } = vesEventsOf(body.records, body.errors);
    // Rejected events keep their raw form in `records`, so GET /api/v1/rejects shows what was sent.
    const records: unknown[] = events.slice();
    const unparsable = new Map<number, Unparsable>(errors);
    events.forEach((ev, i) => {
      if (errors.has(i)) return;
      const d = vesFaultToAlarmRecord(ev, deps.topology, deps.config);
      if (d.ok) records[i] = d.record;
      else unparsable.set(i, { error: d.error, reason: d.reason });
    });
    return deps.ingest.acceptInSlices('alarms', records, source, unparsable);
  };

  app.post('/api/v1/ingest/ves', { config: { scope: 'ingest' } }, async (req, reply) =>
    reply.status(202).send(await take(req.body, 'ves')));

  for (const url of ['/eventListener/v7', '/eventListener/v7/eventBatch']) {
    app.post(url, { config: { scope: 'ingest' } }, async (req, reply) => {
      const result = await take(req.body, 'ves');
      if (result.accepted === 0 && result.rejected.length > 0) {
        // What a VES event listener answers to an invalid event (SVC0002 Bad Parameter), plus the details.
        return reply.status(400).send({
          requestError: { serviceException: { messageId: 'SVC0002', text: 'Bad Parameter: %1', variables: [result.rejected[0]!.error] } },
          ...result,
        });
      }
      return reply.status(202).send(result);
    });
  }
}
