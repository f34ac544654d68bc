/**
 * The HTTP side of delivery: builds each request (URL, auth, idempotency key, signature), sends it
 * with a time limit, and classifies the answer into delivered / retry / dead letter.
 */
import { DeliveryError, type HttpRequest, type HttpResponse, type Send } from './adapter.js';
import { authHeaders } from './http-auth.js';
import type { TicketingTarget } from './config.js';
import { SIGNATURE_HEADER, sign } from './signature.js';

export interface SenderOptions {
  target: TicketingTarget;
  secret: string | null;
  timeoutMs: number;
  /** Replaceable for tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  /** Wall clock, for Retry-After given as a date. */
  now?: () => number;
}

/** A `Send` bound to one outbox entry: every request of its delivery carries the same Idempotency-Key. */
export function createSender(opts: SenderOptions, idempotencyKey: string): Send {
  const doFetch = opts.fetch ?? fetch;
  const base = opts.target.url.replace(/\/+$/, '');
  const fixed = { ...opts.target.headers, ...authHeaders(opts.target.auth) };
  return async (req: HttpRequest): Promise<HttpResponse> => {
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers: Record<string, string> = {
      ...fixed,
      accept: 'application/json',
      'idempotency-key': idempotencyKey,
      'user-agent': 'nocwatch',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (opts.secret) headers[SIGNATURE_HEADER] = sign(opts.secret, body ?? '');
    const url = req.path === '' ? opts.target.url : `${base}${req.path}`;
    let res: Response;
    try {
      res = await doFetch(url, { method: req.method, headers, body, signal: AbortSignal.timeout(opts.timeoutMs) });
    } catch (err) {
      const e = err as Error;
      const what = e.name === 'TimeoutError' || e.name === 'AbortError' ? `timed out after ${opts.timeoutMs} ms` : networkReason(e);
      throw new DeliveryError(`${req.method} ${url}: ${what}`, null, true);
    }
    const text = await res.text().catch(() => '');
    if (res.status >= 200 && res.status < 300) return { status: res.status, json: parseJson(text) };
    const retryable = res.status >= 500 || res.status === 429 || res.status === 408;
    const retryAfterMs = retryable ? parseRetryAfter(res.headers.get('retry-after'), opts.now?.() ?? Date.now()) : null;
    throw new DeliveryError(
      `${req.method} ${url}: HTTP ${res.status}${text ? `: ${text.slice(0, 300)}` : ''}`,
      res.status,
      retryable,
      retryAfterMs,
    );
  };
}

function networkReason(e: Error): string {
  const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? e.message;
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** `Retry-After` as seconds or an HTTP date, in ms from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}
