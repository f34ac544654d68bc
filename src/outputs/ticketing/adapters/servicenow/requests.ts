/**
 * ServiceNow delivery: the first version creates the incident (`POST /api/now/table/incident`) and
 * remembers its sys_id; later versions PATCH it. A create retried after a lost answer first looks
 * the ticket up by `correlation_id`, so a lost response does not make a second incident.
 */
import { DeliveryError, type Send, type TicketingAdapter } from '../../adapter.js';
import type { ServicenowTarget } from './config.js';
import { encodeCreate, encodeUpdate } from './encoder.js';

type Result = { result?: { sys_id?: string } | { sys_id?: string }[] };

async function findByCorrelation(send: Send, table: string, ticketId: string): Promise<string | null> {
  const q = new URLSearchParams({ sysparm_query: `correlation_id=${ticketId}`, sysparm_fields: 'sys_id', sysparm_limit: '1' });
  const res = await send({ method: 'GET', path: `/api/now/table/${table}?${q}` });
  const rows = (res.json as Result | null)?.result;
  const first = Array.isArray(rows) ? rows[0] : undefined;
  return first?.sys_id ?? null;
}

export function servicenowAdapter(target: ServicenowTarget): TicketingAdapter {
  const table = encodeURIComponent(target.table);
  return {
    system: 'servicenow',
    async deliver(entry, ctx, send) {
      let sysId = ctx.externalRef ?? (ctx.retry ? await findByCorrelation(send, table, entry.ticketId) : null);
      if (sysId) {
        await send({ method: 'PATCH', path: `/api/now/table/${table}/${encodeURIComponent(sysId)}`, body: encodeUpdate(entry, target) });
        return { externalRef: sysId };
      }
      const res = await send({ method: 'POST', path: `/api/now/table/${table}`, body: encodeCreate(entry, target) });
      const created = (res.json as Result | null)?.result;
      sysId = !Array.isArray(created) ? (created?.sys_id ?? null) : null;
      if (!sysId) throw new DeliveryError('ServiceNow answered the create without a result.sys_id', res.status, false);
      return { externalRef: sysId };
    },
  };
}
