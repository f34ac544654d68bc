/**
 * The contract of a ticketing adapter. An adapter turns one outbox entry (a ticket version) into the
 * HTTP calls that deliver it to one kind of system; the worker owns retries, pacing and state.
 * Split by role, Vector-style: `adapters/<kind>/config.ts` (its zod target), `encoder.ts` (ticket →
 * the system's body), `requests.ts` (which calls, in which order, with which ids).
 */
import type { OutboxEntry } from './outbox-entry.js';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  /** Path and query below the target's URL (`/api/v2/alerts`), or '' for the URL itself. */
  path: string;
  /** JSON body; signed as sent. */
  body?: unknown;
}

export interface HttpResponse {
  status: number;
  /** Parsed JSON body, or null when the body was empty or not JSON. */
  json: unknown;
}

/** Sends one request; resolves on 2xx, throws a DeliveryError otherwise. */
export type Send = (req: HttpRequest) => Promise<HttpResponse>;

export interface DeliveryContext {
  /** The system's own id of this ticket (ServiceNow sys_id, Jira key), when an earlier version created it. */
  externalRef: string | null;
  /** An earlier attempt at this version may have reached the system (its response was lost). */
  retry: boolean;
  /** Wall-clock ms of this attempt. */
  now: number;
}

export interface DeliveryResult {
  /** The system's id for the ticket, when this delivery learned it. */
  externalRef?: string;
}

export interface TicketingAdapter {
  /** `webhook`, `alertmanager`, `servicenow` or `jira`: the ticket's `external.system`. */
  readonly system: string;
  deliver(entry: OutboxEntry, ctx: DeliveryContext, send: Send): Promise<DeliveryResult>;
}

/**
 * A failed delivery attempt and what to do about it: `retryable` (5xx, 429, 408, network error,
 * timeout) goes back in line with backoff, honouring `retryAfterMs`; anything else is a dead letter.
 */
export class DeliveryError extends Error {
  readonly code: string;
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'DeliveryError';
    this.code = retryable ? 'NOCWATCH_ERR_TICKETING_UNAVAILABLE' : 'NOCWATCH_ERR_TICKETING_REFUSED';
  }
}
