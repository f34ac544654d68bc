/**
 * Builds the fastify instance: body parsing (JSON, NDJSON, text), auth, the error catalogue's
 * mapping to HTTP, request ids. Routes are registered by app.ts; only main.ts listens.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { NocwatchError, OverloadedError } from '../errors.js';
import type { Logger } from '../telemetry/logger.js';
import { registerAuth, type TokenAuth } from './auth.js';
import { NdjsonText, TextBody, parseJsonSafely } from './body.js';
import type { ServerConfig } from './config.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The raw request body for JSON, NDJSON and text bodies (HMAC verification needs it). */
    rawBody?: string;
  }
}

export interface ServerDeps {
  config: ServerConfig;
  auth: TokenAuth;
  logger: Logger;
}

const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines'];

export function createServer(deps: ServerDeps): FastifyInstance {
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger.child({ component: 'http' }) as FastifyBaseLogger,
    // Per-request info logs would drown the log at ingest rates; errors are logged by the handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.config.bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    req.rawBody = body as string;
    if ((body as string).trim() === '') {
      done(Object.assign(new Error('the body is empty: expected a JSON object or array'), { statusCode: 400, code: 'NOCWATCH_ERR_BODY' }), undefined);
      return;
    }
    let value: unknown;
    try {
      // Not fastify's default parser with 'error': a __proto__ key deep in one record would make the
      // whole batch a 400 (API.md: 400 only when the body cannot be parsed). Such keys are dropped.
      value = parseJsonSafely(body as string);
    } catch (err) {
      done(Object.assign(new Error(`the body is not valid JSON: ${(err as Error).message}`), { statusCode: 400, code: 'NOCWATCH_ERR_BODY' }), undefined);
      return;
    }
    done(null, value);
  });
  app.addContentTypeParser(NDJSON_TYPES, { parseAs: 'string' }, (req, body, done) => {
    req.rawBody = body as string;
    done(null, new NdjsonText(body as string));
  });
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (req, body, done) => {
    req.rawBody = body as string;
    done(null, new TextBody(body as string));
  });

  registerAuth(app, deps.auth);

  app.setErrorHandler((err: FastifyError | NocwatchError | Error, req, reply) => {
    if (err instanceof NocwatchError) {
      if (err instanceof OverloadedError) void reply.header('retry-after', String(err.retryAfterS));
      if (err.status >= 500) req.log.warn({ code: err.code, msg: err.message }, 'request refused');
      else if (err.status === 401 || err.status === 403) req.log.warn({ code: err.code, url: req.url }, 'unauthorised request refused');
      return reply.status(err.status).send({ error: { code: err.code, message: err.message } });
    }
    const fe = err as FastifyError;
    const status = fe.statusCode ?? 500;
    if (status >= 500) {
      req.log.error({ err }, 'request failed');
      return reply.status(500).send({ error: { code: 'NOCWATCH_ERR_INTERNAL', message: 'internal error; see the server log' } });
    }
    let code = fe.code ?? 'NOCWATCH_ERR_REQUEST';
    let message = err.message;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      code = 'NOCWATCH_ERR_TOO_LARGE';
      message = `request body exceeds the limit of ${deps.config.bodyLimitBytes} bytes`;
    } else if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      code = 'NOCWATCH_ERR_MEDIA_TYPE';
      message = `unsupported Content-Type ${JSON.stringify(req.headers['content-type'] ?? '')}: use application/json, application/x-ndjson or text/plain`;
    } else if (code.startsWith('FST_ERR_CTP') || code === 'FST_ERR_BAD_CONTENT_LENGTH') {
      code = 'NOCWATCH_ERR_BODY';
    }
    return reply.status(status).send({ error: { code, message } });
  });

  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({ error: { code: 'NOCWATCH_ERR_NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } }));

  return app;
}
