/** Turns the model's documents into the compact items the page shows (protocol.ts). */
import { SLA_STAGES, type Complaint, type CustomerClass, type Incident, type Ticket } from '../model/index.js';
import { deadlineOf, metAt } from '../tickets/sla.js';
import { isActive } from '../tickets/state-machine.js';
import type { Topology } from '../inventory/topology.js';
import type { CellBoard } from './cell-board.js';
import type { ComplaintItem, IncidentItem, SlaDeadline, TicketBoard, TicketItem } from './protocol.js';

/** Highlighting more cells than this on the map adds nothing; the count is shown instead. */
const MAX_INCIDENT_CELLS = 20_000;
const MAX_ATTENTION_TICKETS = 30;

export const VIP_CLASSES: ReadonlySet<string> = new Set<CustomerClass>(['vip_diamond', 'vip_gold', 'vip_silver']);

/** Root-cause categories that mean the service is down in the incident's cells (drawn as outage). */
const OUTAGE_CATEGORIES: ReadonlySet<string> = new Set(['outage', 'transport']);

export function isOutageIncident(i: Incident): boolean {
  return OUTAGE_CATEGORIES.has(i.rootCause.category);
}

/** Where a ticket's delivery stands, when something better than its own document knows. */
export type PushStateOf = (ticketId: string) => Ticket['external']['pushState'] | undefined;

export function ticketItem(t: Readonly<Ticket>, pushStateOf?: PushStateOf): TicketItem {
  return {
    id: t.id,
    incidentId: t.incidentId,
    department: t.department,
    state: t.state,
    class: t.class,
    proactive: t.proactive,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    respondBy: t.sla.respondBy ?? null,
    onsiteBy: t.sla.onsiteBy ?? null,
    resolveBy: t.sla.resolveBy ?? null,
    breached: [...t.sla.breached],
    pushState: pushStateOf?.(t.id) ?? t.external.pushState,
    deadlines: slaDeadlines(t),
  };
}

/**
 * A stage the ticket's state is past, milestone time recorded or not: any state but open has
 * responded; a resolution (also one reopened since) meets on site, as the ticket stage counts a
 * remote fix; only a ticket no longer active has resolved.
 */
const PAST: Record<SlaDeadline['stage'], (state: Ticket['state']) => boolean> = {
  respond: (s) => s !== 'open',
  onsite: (s) => s === 'resolved' || s === 'verified' || s === 'closed' || s === 'reopened',
  resolve: (s) => !isActive(s),
};

/** The ticket's SLA stages with a deadline, each met or not by the ticket stage's own rule (or its state). */
export function slaDeadlines(t: Readonly<Ticket>): SlaDeadline[] {
  const out: SlaDeadline[] = [];
  for (const stage of SLA_STAGES) {
    const by = deadlineOf(t.sla, stage);
    if (by == null) continue;
    const at = metAt(t.times ?? {}, stage, isActive(t.state));
    out.push({ stage, by, met: at != null || PAST[stage](t.state), metAt: at, breached: t.sla.breached.includes(stage) });
  }
  return out;
}

export function incidentItem(
  i: Incident,
  board: CellBoard,
  ticket: Readonly<Ticket> | undefined,
  classOf: (complaintId: string) => string | undefined,
  pushStateOf?: PushStateOf,
): IncidentItem {
  const cellIdx: number[] = [];
  for (const id of i.cells) {
    if (cellIdx.length >= MAX_INCIDENT_CELLS) break;
    const x = board.indexOf(id);
    if (x !== undefined) cellIdx.push(x);
  }
  let vip = 0;
  for (const c of i.complaintIds) if (VIP_CLASSES.has(classOf(c) ?? '')) vip++;
  return {
    id: i.id,
    state: i.state,
    severity: i.severity,
    openedAt: i.openedAt,
    detectedAt: i.detectedAt,
    resolvedAt: i.resolvedAt,
    updatedAt: i.updatedAt,
    rootCause: { ...i.rootCause },
    region: i.region,
    district: i.district ?? null,
    cellCount: i.cells.length,
    cellIdx,
    complaints: i.complaintIds.length,
    vipComplaints: vip,
    triage: { class: i.triage.class, score: i.triage.score, reasons: i.triage.reasons.slice(0, 6) },
    ticket: ticket ? ticketItem(ticket, pushStateOf) : null,
    anomalies: i.anomalies.length,
    confidence: i.confidence,
    confirmed: i.confirmed !== false,
    feeds: [...i.feeds],
    reopenCount: i.reopenCount,
  };
}

/** A complaint given only as coordinates is placed at the nearest cell within this distance. */
const NEAR_CELL_KM = 10;

/**
 * Where a complaint is, for the ticker: its cell or district as given, or — for coordinates — the
 * nearest cell ("≈ CS-0066-6", its district and distance in the detail) rather than bare numbers.
 */
export function complaintPlace(l: Complaint['location'], topo?: Topology): { place: string; placeDetail?: string } {
  if (l.cellId) return { place: l.cellId };
  if (l.district) return { place: l.district };
  if (l.lat === undefined || l.lon === undefined) return { place: '?' };
  const coords = `${l.lat.toFixed(4)}, ${l.lon.toFixed(4)}`;
  const near = topo?.nearestCells(l.lat, l.lon, 1, NEAR_CELL_KM)[0];
  if (!near) return { place: coords };
  const district = topo!.cell(near.cellId)?.district;
  return { place: `≈ ${near.cellId}`, placeDetail: `${coords}: ${near.km.toFixed(1)} km from ${near.cellId}${district ? `, ${district}` : ''}` };
}

export function complaintItem(c: Complaint, incidentId: string | null, topo?: Topology): ComplaintItem {
  return {
    id: c.complaintId,
    receivedAt: c.receivedAt,
    channel: c.channel,
    customerClass: c.customer.class,
    category: c.category,
    ...complaintPlace(c.location, topo),
    incidentId,
  };
}

/** Tickets by state and department; breached and dead-lettered ones listed for attention. */
export function ticketBoard(tickets: Iterable<Readonly<Ticket>>, deadLetters: number, pushStateOf?: PushStateOf): TicketBoard {
  const counts: Record<string, Record<string, number>> = {};
  const attention: TicketItem[] = [];
  let total = 0;
  let breached = 0;
  for (const t of tickets) {
    total++;
    const row = (counts[t.state] ??= {});
    row[t.department] = (row[t.department] ?? 0) + 1;
    const isBreached = t.sla.breached.length > 0 && t.state !== 'closed' && t.state !== 'verified';
    if (isBreached) breached++;
    const item = ticketItem(t, pushStateOf);
    if (isBreached || item.pushState === 'dead_letter') attention.push(item);
  }
  attention.sort((a, b) => b.updatedAt - a.updatedAt);
  return { counts, total, breached, deadLetters, attention: attention.slice(0, MAX_ATTENTION_TICKETS) };
}
