/** Webhook delivery: one POST of the ticket JSON to the configured URL. */
import type { TicketingAdapter } from '../../adapter.js';
import { encodeWebhook } from './encoder.js';

export function webhookAdapter(): TicketingAdapter {
  return {
    system: 'webhook',
    async deliver(entry, ctx, send) {
      const res = await send({ method: 'POST', path: '', body: encodeWebhook(entry, ctx.externalRef) });
      // A receiver may answer with its own id for the ticket; keep it for the API.
      const ref = (res.json as { id?: unknown; key?: unknown } | null);
      const key = typeof ref?.key === 'string' ? ref.key : typeof ref?.id === 'string' && ref.id !== entry.ticketId ? ref.id : undefined;
      return key ? { externalRef: key } : {};
    },
  };
}
