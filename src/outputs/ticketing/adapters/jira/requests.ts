/**
 * Jira delivery: the first version creates the issue (`POST /rest/api/2/issue`) and remembers its
 * key; later versions become a workflow transition (state changes with a configured transition),
 * a priority edit (SLA escalation) or a comment. A create retried after a lost answer first
 * searches for the ticket's label, so a lost response does not make a second issue.
 */
import { DeliveryError, type Send, type TicketingAdapter } from '../../adapter.js';
import type { OutboxEntry } from '../../outbox-entry.js';
import type { JiraTarget } from './config.js';
import { encodeComment, encodeEscalation, encodeIssue, encodeTransition, ticketLabel } from './encoder.js';

const STATE_CHANGES: ReadonlySet<OutboxEntry['change']> = new Set(['state', 'verified', 'reopened', 'closed']);

async function findByLabel(send: Send, ticketId: string): Promise<string | null> {
  const q = new URLSearchParams({ jql: `labels = "${ticketLabel(ticketId)}"`, fields: 'key', maxResults: '1' });
  const res = await send({ method: 'GET', path: `/rest/api/2/search?${q}` });
  const issues = (res.json as { issues?: { key?: string }[] } | null)?.issues;
  return issues?.[0]?.key ?? null;
}

export function jiraAdapter(target: JiraTarget): TicketingAdapter {
  return {
    system: 'jira',
    async deliver(entry, ctx, send) {
      const key = ctx.externalRef ?? (ctx.retry ? await findByLabel(send, entry.ticketId) : null);
      if (!key) {
        const res = await send({ method: 'POST', path: '/rest/api/2/issue', body: encodeIssue(entry, target) });
        const created = (res.json as { key?: string } | null)?.key;
        if (!created) throw new DeliveryError('Jira answered the create without an issue key', res.status, false);
        return { externalRef: created };
      }
      const issue = `/rest/api/2/issue/${encodeURIComponent(key)}`;
      const transition = STATE_CHANGES.has(entry.change) ? encodeTransition(entry, target) : null;
      if (transition) {
        try {
          await send({ method: 'POST', path: `${issue}/transitions`, body: transition });
        } catch (err) {
          // A transition valid one attempt ago and refused now was applied by that attempt.
          if (!(ctx.retry && err instanceof DeliveryError && err.status === 400)) throw err;
        }
      } else if (entry.change === 'sla_breach') {
        await send({ method: 'PUT', path: issue, body: encodeEscalation(entry, target) });
      } else {
        await send({ method: 'POST', path: `${issue}/comment`, body: { body: encodeComment(entry) } });
      }
      return { externalRef: key };
    },
  };
}
