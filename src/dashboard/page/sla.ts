/**
 * A ticket's SLA at a glance, on event time like the ticket stage's clocks: the nearest deadline the
 * ticket still owes, by name ("respond in 1h 55m"), or the one it is late for ("respond overdue
 * 10m"). A stage counts as met once the ticket reached its milestone (the server says when, by the
 * ticket stage's own rule); a deadline missed and met late afterwards is still shown as missed.
 */
import type { SlaDeadline, TicketItem } from '../protocol.js';
import { esc, fmtDateTime, fmtDuration, human } from './format.js';

export type SlaClass = 'ok' | 'soon' | 'urgent' | 'breached' | 'none';

export interface SlaView {
  cls: SlaClass;
  text: string;
  /** Stages breached earlier and met late since (still worth a red mark). */
  missed: string[];
  /** Every deadline and whether it was met, for the tooltip. */
  title: string;
}

const STAGE_NAME: Record<SlaDeadline['stage'], string> = { respond: 'respond', onsite: 'on site', resolve: 'resolve' };
/** The handling side owes nothing more: the state says where the ticket is. */
const DONE = new Set(['resolved', 'verified', 'closed']);
const SOON_MS = 2 * 3600_000;
const URGENT_MS = 30 * 60_000;

export function slaView(t: TicketItem, now: number): SlaView {
  const title = t.deadlines.map((d) => `${STAGE_NAME[d.stage]} by ${fmtDateTime(d.by)}${d.metAt != null ? `, met ${fmtDateTime(d.metAt)}` : d.met ? ', met' : ''}${d.breached ? ' (breached)' : ''}`).join('\n');
  const owed = t.deadlines.filter((d) => !d.met).sort((a, b) => a.by - b.by);
  const overdue = owed.filter((d) => d.breached || now > d.by);
  const missed = t.deadlines.filter((d) => d.breached && !overdue.includes(d)).map((d) => STAGE_NAME[d.stage]);
  if (DONE.has(t.state)) return { cls: 'ok', text: human(t.state), missed: t.deadlines.filter((d) => d.breached).map((d) => STAGE_NAME[d.stage]), title };
  if (t.deadlines.length === 0) return { cls: 'none', text: 'no SLA clock', missed, title: 'no SLA clock for this triage class' };
  const late = overdue[0];
  if (late) {
    // The others overdue are counted (named in the tooltip): the badge must not push the root cause out.
    const more = overdue.length - 1;
    return { cls: 'breached', text: `${STAGE_NAME[late.stage]} overdue ${fmtDuration(Math.max(0, now - late.by))}${more ? ` (+${more})` : ''}`, missed, title };
  }
  const next = owed[0];
  if (!next) return { cls: 'ok', text: 'SLA met', missed, title };
  const left = next.by - now;
  return { cls: left < URGENT_MS ? 'urgent' : left < SOON_MS ? 'soon' : 'ok', text: `${STAGE_NAME[next.stage]} in ${fmtDuration(left)}`, missed, title };
}

/** The badge: the countdown (or the state), and a red mark for each stage missed earlier. */
export function slaBadge(t: TicketItem, now: number | null): string {
  if (now === null) return '<span class="sla none">SLA —</span>';
  const v = slaView(t, now);
  const missed = v.missed.length ? ` <span class="sla breached" title="SLA breached">${esc(v.missed.join(' + '))} missed</span>` : '';
  return `<span class="sla ${v.cls}" title="${esc(v.title)}">${esc(v.text)}</span>${missed}`;
}
