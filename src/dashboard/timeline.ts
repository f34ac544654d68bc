/**
 * The timeline of one incident for the dashboard's incident panel: its anomalies (start and end),
 * detection, linked complaints, the ticket's milestones, SLA deadlines and breaches, resolution —
 * one list in event-time order, assembled from the incident document, the complaint store and the
 * ticket, so the page needs one request.
 */
import type { Incident, Ticket } from '../model/index.js';
import { anomalyMeasure } from './anomaly-text.js';
import { fmtInt, plural } from './page/format.js';
import type { TimelineEntry } from './protocol.js';
import type { ComplaintRecordView } from './sources.js';
import { slaDeadlines, VIP_CLASSES } from './views.js';

const MAX_ANOMALIES = 300;

/** Ticket fields the ticketing stage may add (milestones, notes, breach times); read when present. */
type TicketExtras = Ticket & {
  times?: Partial<Record<string, number>>;
  notes?: { at: number; text: string }[];
  breaches?: { stage: string; at: number }[];
};

const MILESTONES: Record<string, string> = {
  acknowledgedAt: 'acknowledged', dispatchedAt: 'dispatched', onsiteAt: 'on site', resolvedAt: 'resolved by field',
  verifiedAt: 'fix verified on network data', closedAt: 'closed', reopenedAt: 'reopened (regression)',
};

const human = (s: string) => s.replace(/_/g, ' ');

const SLA_STAGE_TEXT = { respond: 'respond', onsite: 'on site', resolve: 'resolve' } as const;

export function incidentTimeline(inc: Incident, complaints: readonly ComplaintRecordView[], ticket: Ticket | undefined): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  // Anomalies that began (or ended) together on the same signal are one line: a site outage is "at
  // 3 cells", not three lines.
  const groups = new Map<string, { t: number; kind: 'anomaly' | 'anomaly_resolved'; top: Incident['anomalies'][number]; objectType: string; where: Set<string> }>();
  const add = (kind: 'anomaly' | 'anomaly_resolved', t: number, a: Incident['anomalies'][number]) => {
    const key = `${kind}|${a.source}|${a.signal}|${a.objectType}|${t}`;
    const where = a.cellId && a.cellId !== a.objectId ? `${a.objectId} (${a.cellId})` : a.objectId;
    const g = groups.get(key);
    // Two findings on one object (a probe's and its cell's failure rate) are one place, not two.
    if (g) (g.where.add(where), g.top = a.score > g.top.score ? a : g.top);
    else groups.set(key, { t, kind, top: a, objectType: a.objectType, where: new Set([where]) });
  };
  for (const a of inc.anomalies) {
    add('anomaly', a.startedAt, a);
    if (a.resolvedAt != null) add('anomaly_resolved', a.resolvedAt, a);
  }
  let shown = 0;
  for (const g of [...groups.values()].sort((x, y) => x.t - y.t)) {
    if (shown++ >= MAX_ANOMALIES) {
      out.push({ t: g.t, kind: 'anomaly', text: `… and ${groups.size - MAX_ANOMALIES} more anomaly lines` });
      break;
    }
    const places = [...g.where];
    const n = places.length;
    const where = n === 1 ? `${g.objectType} ${places[0]}` : `${fmtInt(n)} ${g.objectType}s: ${places.slice(0, 3).join(', ')}${n > 3 ? ` +${fmtInt(n - 3)} more` : ''}`;
    const a = g.top;
    const measure = anomalyMeasure(a);
    out.push(g.kind === 'anomaly'
      ? { t: g.t, kind: 'anomaly', text: `${human(a.signal)} anomaly at ${where} — ${a.source}${measure && measure !== a.source ? `, ${measure}` : ''}` }
      : { t: g.t, kind: 'anomaly_resolved', text: `${human(a.signal)} back to normal at ${where}` });
  }
  out.push({
    t: inc.detectedAt, kind: 'detected',
    text: `incident opened: ${human(inc.rootCause.category)} at ${inc.rootCause.objectType} ${inc.rootCause.objectId}, ${plural(inc.cells.length, 'cell')}, ${inc.severity}`,
  });
  for (const c of complaints) {
    const cl = c.complaint;
    const vip = VIP_CLASSES.has(cl.customer.class);
    out.push({
      t: cl.receivedAt, kind: 'complaint', alert: vip,
      text: `${vip ? '★ ' : ''}${human(cl.channel)} complaint ${cl.complaintId} from ${human(cl.customer.class)} customer: ${human(cl.category)}`,
    });
  }
  if (ticket) {
    const t = ticket as TicketExtras;
    out.push({
      t: t.createdAt, kind: 'ticket',
      text: `ticket ${t.id} opened → ${t.department}${t.proactive ? ' (proactive: before any complaint)' : ''}, ${human(t.class)}`,
    });
    for (const [k, label] of Object.entries(MILESTONES)) {
      const at = t.times?.[k];
      if (typeof at === 'number') out.push({ t: at, kind: 'ticket', text: `ticket ${label}` });
    }
    for (const n of t.notes ?? []) out.push({ t: n.at, kind: 'ticket', text: `note: ${n.text}` });
    const breachAt = new Map((t.breaches ?? []).map((b) => [b.stage, b.at]));
    for (const stage of t.sla.breached) {
      const at = breachAt.get(stage) ?? (stage === 'respond' ? t.sla.respondBy : stage === 'onsite' ? t.sla.onsiteBy : t.sla.resolveBy);
      if (at != null) out.push({ t: at, kind: 'sla', alert: true, text: `SLA breached: ${SLA_STAGE_TEXT[stage]}` });
    }
    // Every deadline not breached, at its time: whether it was met, or is still ahead.
    for (const d of slaDeadlines(t)) {
      if (d.breached) continue;
      out.push({ t: d.by, kind: 'sla', text: `SLA: ${SLA_STAGE_TEXT[d.stage]} by${d.met ? ' — met' : ''}` });
    }
    if (t.external.pushState === 'dead_letter') out.push({ t: t.updatedAt, kind: 'ticket', alert: true, text: 'ticketing system refused the ticket (dead letter)' });
  }
  if (inc.resolvedAt != null) out.push({ t: inc.resolvedAt, kind: 'resolved', text: 'incident resolved' });
  return out.sort((a, b) => a.t - b.t);
}
