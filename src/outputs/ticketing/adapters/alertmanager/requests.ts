/** Alertmanager delivery: every version re-posts the ticket's alert(s) to `/api/v2/alerts`. */
import type { TicketingAdapter } from '../../adapter.js';
import type { AlertmanagerTarget } from './config.js';
import { encodeAlerts } from './encoder.js';

export function alertmanagerAdapter(target: AlertmanagerTarget): TicketingAdapter {
  return {
    system: 'alertmanager',
    async deliver(entry, ctx, send) {
      await send({ method: 'POST', path: '/api/v2/alerts', body: encodeAlerts(entry, target, ctx.now) });
      return {};
    },
  };
}
