/**
 * Configuration of delivery to the ticketing system. With no `target` the outbox still records
 * every ticket version (state `pending`, visible on the API): nothing is dropped silently, and a
 * target configured later receives the backlog.
 */
import { z } from 'zod';
import { alertmanagerTargetSchema } from './adapters/alertmanager/config.js';
import { jiraTargetSchema } from './adapters/jira/config.js';
import { servicenowTargetSchema } from './adapters/servicenow/config.js';
import { webhookTargetSchema } from './adapters/webhook/config.js';

export const ticketingTargetSchema = z.discriminatedUnion('kind', [
  webhookTargetSchema, alertmanagerTargetSchema, servicenowTargetSchema, jiraTargetSchema,
]);
export type TicketingTarget = z.infer<typeof ticketingTargetSchema>;

export const ticketingConfigSchema = z.strictObject({
  target: ticketingTargetSchema.nullable().default(null),
  /**
   * Shared HMAC secret: signs every push (`X-Nocwatch-Signature`) and must sign every event the
   * ticketing system posts back. Null: pushes unsigned, events accepted unsigned.
   */
  secret: z.string().min(16).nullable().default(null),
  /** Deliveries in flight at once. */
  concurrency: z.number().int().min(1).max(64).default(4),
  /** Requests started per second, at most. */
  ratePerSecond: z.number().int().min(1).max(10_000).default(20),
  /** One HTTP request's time limit. */
  timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
  backoff: z
    .strictObject({
      /** First retry after about this long; doubles each attempt… */
      baseMs: z.number().int().min(1).default(1000),
      /** …up to this. */
      maxMs: z.number().int().min(1).default(5 * 60_000),
    })
    .prefault({}),
  /** Give up (dead letter) after this many attempts; 0 retries a retryable failure for ever. */
  maxAttempts: z.number().int().min(0).default(0),
  /** How often the worker looks for due entries when nothing wakes it. */
  pollMs: z.number().int().min(10).default(1000),
});
export type TicketingConfig = z.infer<typeof ticketingConfigSchema>;
