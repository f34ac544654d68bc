/**
 * The words of an incident row and detail that need more than a field: where it is (a core fault is
 * region-wide, not in the district its first cell happens to be in), its ticket line, and why there
 * is no ticket (unconfirmed, deferred) rather than a bare "no ticket yet" for hours. Pure HTML
 * strings, so the Node tests check them.
 */
import type { IncidentItem } from '../protocol.js';
import { esc, fmtInt, human, plural } from './format.js';
import { slaBadge } from './sla.js';

/** "Changsha / Yuelu", or for a core root cause "Changsha (region-wide, core MME-CS-01)". */
export function whereText(i: IncidentItem): string {
  if (i.rootCause.objectType === 'core' || i.rootCause.category === 'core') return `${i.region} (region-wide, core ${i.rootCause.objectId})`;
  return `${i.region}${i.district ? ` / ${i.district}` : ''}`;
}

/** "1 anomaly", "1,261 anomalies". */
export const anomaliesText = (n: number): string => `${fmtInt(n)} ${n === 1 ? 'anomaly' : 'anomalies'}`;

/** The detail's "where" line: place, cells, anomalies, feeds. */
export function whereLine(i: IncidentItem): string {
  return `${esc(whereText(i))} · ${plural(i.cellCount, 'cell')} · ${anomaliesText(i.anomalies)} · feeds ${esc(i.feeds.join(', '))}`;
}

/** Why an incident has no ticket, from what the incident says (the ticket stage's own conditions). */
export function noTicket(i: IncidentItem): { short: string; long: string } {
  if (i.triage.class === 'defer') return { short: 'deferred', long: 'no ticket: deferred by triage' };
  if (!i.confirmed) {
    const from = i.feeds.length ? `, evidence from ${i.feeds.join(', ')}` : '';
    return { short: 'unconfirmed', long: `unconfirmed — waiting for more evidence (confidence ${i.confidence.toFixed(2)}${from})` };
  }
  return { short: 'no ticket', long: 'no ticket yet' };
}

/** The ticket's id, department, state, proactive and delivery trouble; or why there is none. */
export function ticketLine(i: IncidentItem): string {
  const t = i.ticket;
  if (!t) return `<span class="dim no-ticket">${esc(noTicket(i).long)}</span>`;
  const push = t.pushState === 'dead_letter' ? '<span class="tag bad">DEAD LETTER</span>' : t.pushState === 'retrying' ? '<span class="tag warn">retrying push</span>' : '';
  return `<span class="mono">${esc(t.id)}</span> · ${esc(t.department)} · <b>${esc(human(t.state))}</b>${t.proactive ? ' · <span class="tag good">proactive</span>' : ''} ${push}`;
}

/** The SLA countdown, or the short reason there is no ticket. */
export function ticketBadge(i: IncidentItem, now: number | null): string {
  if (i.ticket) return slaBadge(i.ticket, now);
  const why = noTicket(i);
  return `<span class="sla none" title="${esc(why.long)}">${esc(why.short)}</span>`;
}
