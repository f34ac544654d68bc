/**
 * InfluxDB write endpoints, so Telegraf (`outputs.influxdb_v2` / `outputs.influxdb`) and other
 * InfluxDB clients can feed nocwatch unchanged: `POST /api/v2/write` (org, bucket, precision) and
 * `POST /write` (1.x: db, precision, u/p; with `/query` answering CREATE DATABASE and `/ping`).
 * Bodies are line protocol, plain or gzip (Telegraf's default). Answers as InfluxDB does: 204 when
 * every line was taken, 400 listing the bad lines (the good ones are accepted), 401/403/413/503
 * in InfluxDB's error shape (v2 `{"code","message"}`, v1 `{"error"}`), with Retry-After on 503.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { createGunzip } from 'node:zlib';
import {
  influxV1WriteError, influxV2WriteError, ingestLineProtocol, type LpWriteOutcome,
} from '../../collectors/line-protocol/ingest-line-protocol.js';
import { parsePrecision } from '../../collectors/line-protocol/line-protocol.js';
import { NocwatchError, OverloadedError } from '../../errors.js';
import type { IngestService } from '../../pipeline/ingest-service.js';
import type { Metrics } from '../../telemetry/metrics.js';

export interface InfluxWriteRouteDeps {
  ingest: IngestService;
  metrics: Metrics;
  bodyLimitBytes: number;
  wallClock?: () => number;
}

type Dialect = 'v1' | 'v2';

/** InfluxDB's code word for an HTTP status (v2 error bodies). */
function v2Code(status: number): string {
  switch (status) {
    case 401: return 'unauthorized';
    case 403: return 'forbidden';
    case 413: return 'request too large';
    case 415: return 'unsupported media type';
    case 503: return 'unavailable';
    default: return status >= 500 ? 'internal error' : 'invalid';
  }
}

function sendError(reply: FastifyReply, dialect: Dialect, status: number, message: string): FastifyReply {
  return reply.status(status).send(dialect === 'v2' ? { code: v2Code(status), message } : { error: message });
}

export function registerInfluxWriteRoutes(app: FastifyInstance, deps: InfluxWriteRouteDeps): void {
  const now = deps.wallClock ?? Date.now;
  void app.register(async (scope) => {
    // Line protocol whatever the Content-Type says (clients send text/plain, octet-stream or none).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: deps.bodyLimitBytes }, (_req, body, done) => done(null, body));
    scope.addHook('preParsing', async (req, _reply, payload) => {
      const enc = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
      if (enc === 'identity') return payload;
      if (enc !== 'gzip') throw Object.assign(new Error(`Content-Encoding ${enc} is not supported (use gzip or none)`), { statusCode: 415 });
      const gunzip = createGunzip();
      payload.pipe(gunzip);
      payload.on('error', (e) => gunzip.destroy(e));
      // fastify checks Content-Length against the bytes received, which are the compressed ones.
      (gunzip as unknown as { receivedEncodedLength?: number }).receivedEncodedLength = Number(req.headers['content-length'] ?? NaN);
      return gunzip;
    });
    scope.setErrorHandler((err: FastifyError | NocwatchError, req, reply) => {
      const dialect: Dialect = req.url.startsWith('/api/v2/') ? 'v2' : 'v1';
      if (err instanceof OverloadedError) void reply.header('retry-after', String(err.retryAfterS));
      const status = err instanceof NocwatchError ? err.status : (err as FastifyError).statusCode ?? 500;
      let message = err.message;
      if ((err as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') message = `request body exceeds the limit of ${deps.bodyLimitBytes} bytes`;
      else if (/incorrect header check|unexpected end of file|invalid (block|stored)/i.test(message)) message = `the gzip body could not be decompressed: ${message}`;
      if (status >= 500 && !(err instanceof NocwatchError)) {
        req.log.error({ err }, 'line protocol write failed');
        message = 'internal error; see the server log';
      }
      return sendError(reply, dialect, status, message);
    });

    const handle = async (dialect: Dialect, body: unknown, precisionParam: unknown, reply: FastifyReply) => {
      const precision = parsePrecision(typeof precisionParam === 'string' ? precisionParam : undefined);
      if (!precision) return sendError(reply, dialect, 400, `invalid precision ${JSON.stringify(precisionParam)}: use ns, us, ms or s`);
      const text = typeof body === 'string' ? body : '';
      const outcome: LpWriteOutcome = await ingestLineProtocol(
        text, precision, {
          accept: (feed, records, source, unparsable, origins) => deps.ingest.acceptInSlices(feed, records, source, unparsable, origins),
          rejectUnfed: (label, rejects) => deps.ingest.rejectUnfed(label, rejects),
        }, now(), 'influx',
      );
      deps.metrics.lineProtocolPoints.inc({ result: 'accepted' }, outcome.accepted);
      deps.metrics.lineProtocolPoints.inc({ result: 'ignored' }, outcome.ignored);
      if (outcome.problems.length === 0) return reply.status(204).send();
      deps.metrics.lineProtocolPoints.inc({ result: 'rejected' }, outcome.problems.length);
      return reply.status(400).send(dialect === 'v2' ? influxV2WriteError(outcome) : influxV1WriteError(outcome));
    };

    scope.post('/api/v2/write', { config: { scope: 'ingest' } }, async (req, reply) =>
      handle('v2', req.body, (req.query as Record<string, unknown>).precision, reply));
    scope.post('/write', { config: { scope: 'ingest' } }, async (req, reply) =>
      handle('v1', req.body, (req.query as Record<string, unknown>).precision, reply));

    // Telegraf's `outputs.influxdb` (1.x) sends `CREATE DATABASE` before writing: say yes, as
    // InfluxDB does for an existing database. Anything else is not a write and is refused.
    scope.post('/query', { config: { scope: 'ingest' } }, async (req, reply) => {
      const q = (req.query as Record<string, unknown>).q ?? new URLSearchParams(typeof req.body === 'string' ? req.body : '').get('q');
      if (typeof q === 'string' && /^\s*CREATE\s+DATABASE\s/i.test(q)) return reply.status(200).send({ results: [{ statement_id: 0 }] });
      return sendError(reply, 'v1', 400, 'nocwatch takes writes only (POST /write); queries are not supported');
    });
  });

  // InfluxDB clients check the server with /ping.
  app.route({ method: ['GET', 'HEAD'], url: '/ping', handler: async (_req, reply) => reply.status(204).header('x-influxdb-version', 'nocwatch').send() });
}
