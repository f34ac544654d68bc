/**
 * Registers the dashboard on the fastify server: the page at `/` with its built assets under
 * `/dashboard/`, the cell geometry and incident timelines under `/api/v1/dashboard/`, and the
 * WebSocket stream at `/ws`.
 *
 * The WebSocket side uses `ws` directly (`noServer` + the http server's `upgrade` event) rather than
 * @fastify/websocket: auth must refuse the upgrade itself with a real 401 (not accept and then
 * close), the hub needs the raw `bufferedAmount` of each socket for its slow-client policy, and `ws`
 * is already a dependency — one less plugin to keep in step with fastify.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { WebSocketServer } from 'ws';
import { NocwatchError, NotFoundError } from '../errors.js';
import { tokenOf, type TokenAuth } from '../api/auth.js';
import type { Logger } from '../telemetry/logger.js';
import type { DashboardHub } from './hub.js';
import type { DashboardSources } from './sources.js';
import { incidentTimeline } from './timeline.js';

export interface DashboardPluginDeps {
  hub: DashboardHub;
  sources: DashboardSources;
  auth: TokenAuth;
  logger: Logger;
  /** Where the built page lives; defaults to the package's dist/dashboard. */
  assetsDir?: string;
}

/** dist/dashboard of this package, found from dist/main.js and from src/dashboard/ (tests) alike. */
export function defaultAssetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'dist', 'dashboard');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    dir = dirname(dir);
  }
  return join(process.cwd(), 'dist', 'dashboard');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const MAX_TIMELINE_COMPLAINTS = 500;

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length}\r\n\r\n${reason}`);
  socket.destroy();
}

export function registerDashboard(app: FastifyInstance, deps: DashboardPluginDeps): void {
  const assets = deps.assetsDir ?? defaultAssetsDir();
  const log = deps.logger.child({ component: 'dashboard' });

  const serveFile = async (name: string, reply: import('fastify').FastifyReply) => {
    const type = TYPES[extname(name)];
    if (!type || name.includes('/') || name.includes('..')) throw new NotFoundError(`no dashboard asset ${name}`);
    let body: Buffer;
    try {
      body = await readFile(join(assets, name));
    } catch {
      if (name === 'index.html') {
        return reply.status(503).type('text/plain').send(`the dashboard is not built (looked in ${assets}): run npm run build`);
      }
      throw new NotFoundError(`no dashboard asset ${name}`);
    }
    return reply.type(type).header('cache-control', 'no-cache').send(body);
  };

  // The page and its assets carry no data: public, like /healthz. Data needs the read scope.
  app.get('/', async (_req, reply) => serveFile('index.html', reply));
  app.get<{ Params: { file: string } }>('/dashboard/:file', async (req, reply) => serveFile(req.params.file, reply));

  // The page's auth probe: a refused WebSocket upgrade cannot tell the browser why, this can.
  app.get('/api/v1/dashboard/session', { config: { scope: 'read' } }, async (req) => ({ principal: req.principal ?? 'anonymous', epoch: deps.hub.epoch }));

  app.get('/api/v1/dashboard/cells', { config: { scope: 'read' } }, async (req, reply) => {
    const { version, bytes } = deps.hub.geometry();
    const etag = `"${version}"`;
    if (req.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply.type('application/octet-stream').header('etag', etag).header('cache-control', 'no-cache').send(bytes);
  });

  app.get<{ Params: { id: string } }>('/api/v1/dashboard/incidents/:id/timeline', { config: { scope: 'read' } }, async (req) => {
    const inc = deps.sources.incident(req.params.id);
    if (!inc) throw new NotFoundError(`incident ${req.params.id} not found`);
    const complaints = deps.sources.complaintsOf(inc.id, MAX_TIMELINE_COMPLAINTS);
    const ticket = inc.ticketId ? deps.sources.tickets?.get(inc.ticketId) : undefined;
    return { incidentId: inc.id, items: incidentTimeline(inc, complaints, ticket) };
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: false });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/ws') return refuseUpgrade(socket, 404, 'Not Found');
    try {
      const query = Object.fromEntries(url.searchParams);
      deps.auth.check(tokenOf({ headers: req.headers, query } as unknown as FastifyRequest), 'read');
    } catch (e) {
      const status = e instanceof NocwatchError ? e.status : 401;
      log.warn({ status }, 'dashboard WebSocket refused');
      return refuseUpgrade(socket, status, status === 403 ? 'Forbidden' : 'Unauthorized');
    }
    const since = url.searchParams.get('since');
    const resume = { epoch: url.searchParams.get('epoch') ?? undefined, since: since !== null && /^\d+$/.test(since) ? Number(since) : undefined };
    wss.handleUpgrade(req, socket, head, (ws) => deps.hub.accept(ws, resume));
  };
  app.server.on('upgrade', onUpgrade);
  app.addHook('preClose', async () => {
    app.server.off('upgrade', onUpgrade);
    deps.hub.close();
    wss.close();
  });
}
