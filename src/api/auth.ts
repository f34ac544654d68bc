/**
 * Bearer-token auth with scopes. Each route declares its scope in `config.scope`; a token with
 * `admin` may do everything. With no tokens configured auth is off — allowed only on loopback.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { AuthConfig, Scope } from './config.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Scope a request needs; absent = public (health checks, the dashboard's static page). */
    scope?: Scope;
  }
  interface FastifyRequest {
    /** Name of the token holder, when auth is on. */
    principal?: string;
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export class TokenAuth {
  private readonly tokens: { name: string; hash: Buffer; scopes: Set<Scope> }[];

  constructor(config: AuthConfig) {
    this.tokens = config.tokens.map((t) => ({ name: t.name, hash: digest(t.token), scopes: new Set(t.scopes) }));
  }

  get enabled(): boolean {
    return this.tokens.length > 0;
  }

  /** The token's holder, or throws 401/403. Comparison is constant-time on SHA-256 digests. */
  check(token: string | undefined, scope: Scope): string {
    if (!this.enabled) return 'anonymous';
    if (!token) throw new UnauthorizedError();
    const h = digest(token);
    const match = this.tokens.find((t) => timingSafeEqual(t.hash, h));
    if (!match) throw new UnauthorizedError();
    if (!match.scopes.has(scope) && !match.scopes.has('admin')) throw new ForbiddenError(scope);
    return match.name;
  }
}

/**
 * The token of a request: `Authorization: Bearer …` or `Token …` (InfluxDB clients, Telegraf), the
 * password of `Authorization: Basic …` (VES agents, InfluxDB 1.x clients), else `?token=`
 * (WebSocket) or `?p=` (InfluxDB 1.x `u`/`p` query parameters).
 */
export function tokenOf(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (h) {
    const m = /^(?:Bearer|Token)\s+(.+)$/i.exec(h);
    if (m) return m[1]!.trim();
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(h);
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) return decoded.slice(colon + 1);
    }
  }
  const q = req.query as Record<string, unknown> | undefined;
  if (typeof q?.token === 'string') return q.token;
  return typeof q?.p === 'string' ? q.p : undefined;
}

export function registerAuth(app: FastifyInstance, auth: TokenAuth): void {
  app.addHook('onRequest', async (req) => {
    const scope = req.routeOptions.config?.scope;
    if (!scope) return;
    req.principal = auth.check(tokenOf(req), scope);
  });
}

/** Loopback addresses, on which running without tokens is allowed. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::ffff:127.0.0.1';
}
