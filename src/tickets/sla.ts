/**
 * SLA clocks per triage class, on event time. A stage (respond, on site, resolve) is met when its
 * milestone happened by the deadline; it is breached once the event time passes the deadline
 * without it. A breach is recorded at the deadline itself, so replaying the same data gives the
 * same breaches at the same times whenever the watermark happens to cross them.
 */
import type { RootCauseCategory, SlaStage, Ticket, TicketTimes, TriageClass } from '../model/index.js';
import { SLA_STAGES } from '../model/index.js';
import type { TicketsConfig } from './config.js';

export type SlaDeadlines = Pick<Ticket['sla'], 'respondBy' | 'onsiteBy' | 'resolveBy'>;

/** Deadlines of a ticket of `cls` (and root-cause `category`) created at `createdAt`. */
/** Root causes that mean the service is down: their tickets run on `sla.serviceDown`'s clocks. */
const SERVICE_DOWN: ReadonlySet<RootCauseCategory> = new Set(['outage', 'transport', 'core']);

export function slaDeadlines(config: TicketsConfig['sla'], cls: TriageClass, createdAt: number, category?: RootCauseCategory): SlaDeadlines {
  const c = category !== undefined && SERVICE_DOWN.has(category) ? config.serviceDown[cls] : config[cls];
  const at = (s: number | null): number | null => (s == null ? null : createdAt + s * 1000);
  return { respondBy: at(c.respondS), onsiteBy: at(c.onsiteS), resolveBy: at(c.resolveS) };
}

/** The deadline of one stage. */
export function deadlineOf(sla: SlaDeadlines, stage: SlaStage): number | null {
  return stage === 'respond' ? sla.respondBy : stage === 'onsite' ? sla.onsiteBy : sla.resolveBy;
}

/**
 * Event time at which a stage was met, or null while it is not. Any response counts as a response;
 * a remote fix (resolved without anyone on site) meets the on-site stage.
 */
export function metAt(times: TicketTimes, stage: SlaStage, active: boolean): number | null {
  const first = (...xs: (number | undefined)[]): number | null => {
    const v = xs.filter((x): x is number => x != null);
    return v.length > 0 ? Math.min(...v) : null;
  };
  switch (stage) {
    case 'respond': return first(times.acknowledgedAt, times.dispatchedAt, times.onsiteAt, times.resolvedAt);
    case 'onsite': return first(times.onsiteAt, times.resolvedAt);
    // A reopened ticket owes a new resolution.
    case 'resolve': return active ? null : (times.resolvedAt ?? null);
  }
}

/**
 * The stages whose deadline has passed by event time `now` without being met and that are not yet
 * recorded as breached, each with the deadline as the breach time.
 */
export function dueBreaches(ticket: Ticket, now: number, active: boolean): { stage: SlaStage; at: number }[] {
  const times = ticket.times ?? {};
  const out: { stage: SlaStage; at: number }[] = [];
  for (const stage of SLA_STAGES) {
    if (ticket.sla.breached.includes(stage)) continue;
    const deadline = deadlineOf(ticket.sla, stage);
    if (deadline == null || now <= deadline) continue;
    const met = metAt(times, stage, active);
    if (met != null && met <= deadline) continue;
    out.push({ stage, at: deadline });
  }
  return out;
}
