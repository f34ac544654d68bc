/**
 * Scores what a build did against what the simulator injected: detection recall and precision,
 * fragmentation (incidents per fault), root-cause object, time to detect (event time: detectedAt −
 * fault start), complaint linkage, proactive ratio and department routing. Pure.
 */
import { MINUTE } from '../../model/index.js';
import type { GroundTruth, TruthFault } from '../ground-truth.js';
import { DEFAULT_MATCH_OPTIONS, matchIncidents, rootMatches, type IncidentView, type MatchOptions } from './match.js';

export interface ComplaintView {
  complaintId: string;
  incidentId: string | null;
}

export interface TicketView {
  id: string;
  incidentId: string;
  department: string;
  /** Event time the ticket was opened, epoch ms. */
  createdAt: number;
}

export interface ScoreOptions extends MatchOptions {
  /** Faults that started less than this before the end of the run are too recent to expect detection. */
  tooRecentMs: number;
}

export const DEFAULT_SCORE_OPTIONS: ScoreOptions = { ...DEFAULT_MATCH_OPTIONS, tooRecentMs: 30 * MINUTE };

export interface FaultScore {
  id: string;
  kind: TruthFault['kind'];
  root: string;
  /** Detected by an incident of its own (opened while the fault could be seen). */
  detected: boolean;
  incidentIds: string[];
  /** Older incidents that took in the fault's evidence instead. */
  absorbedInto: string[];
  /** Event time from fault start to the first assigned incident's detection. */
  ttdMs: number | null;
  rootCorrect: boolean | null;
  ticketId: string | null;
  department: string | null;
  expectedDepartment: string;
  routingCorrect: boolean | null;
  proactive: boolean;
  complaints: number;
  complaintsLinkedRight: number;
}

/** A ratio with the counts behind it; `value` is null when the denominator is 0. */
export interface Ratio {
  num: number;
  den: number;
  value: number | null;
}

export interface RunScore {
  faults: number;
  tooRecent: number;
  incidents: number;
  /** Faults detected by an incident of their own, or absorbed into an older one. */
  recall: Ratio;
  /** Faults the daemon only absorbed into an older incident (part of recall). */
  absorbedOnly: number;
  precision: Ratio;
  incidentsPerFault: number | null;
  rootCause: Ratio;
  ttdMedianMs: number | null;
  ttdP90Ms: number | null;
  linkage: Ratio & { fault: Ratio; background: Ratio; missing: number };
  proactive: Ratio;
  /** Issue 6's measure: faults whose ticket predates their first complaint, among the faults that drew complaints. */
  proactiveWithComplaints: Ratio;
  routing: Ratio;
  perFault: FaultScore[];
  /** The scored incidents that matched no fault (precision's misses), by detection time. */
  unmatched: UnmatchedIncident[];
}

/** An incident no fault explains: what a reviewer of the false positives looks at first. */
export interface UnmatchedIncident {
  id: string;
  detectedAt: number;
  root: string;
  category: string | null;
  cells: number;
  complaints: number;
}

export function ratio(num: number, den: number): Ratio {
  return { num, den, value: den > 0 ? num / den : null };
}

/** The q-quantile (0..1) of numbers, nearest-rank; null for none. */
export function quantile(xs: readonly number[], q: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

export function scoreRun(
  truth: GroundTruth, incidents: readonly IncidentView[], complaints: readonly ComplaintView[],
  tickets: readonly TicketView[], o: ScoreOptions = DEFAULT_SCORE_OPTIONS,
): RunScore {
  const eligible = truth.faults.filter((f) => f.start <= truth.until - o.tooRecentMs);
  const tooRecent = truth.faults.length - eligible.length;
  // Incidents detected during warm-up (before any fault) are the detectors learning, not the build's
  // precision — but one of them may still absorb a later fault, so all are matched.
  const from = Math.min(truth.scoreFrom, ...truth.faults.map((f) => f.start - o.earlyMs));
  const known = incidents.filter((i) => i.detectedAt <= truth.until + o.graceMs);
  // An incident merged into a bigger one is that one's evidence, not an incident of its own: it still
  // counts for detection (time, tickets, complaint links), not for precision or fragmentation.
  const scored = known.filter((i) => i.detectedAt >= from && i.mergedInto === undefined);
  const matches = matchIncidents(truth.faults, known, o);
  const linkOf = new Map(complaints.map((c) => [c.complaintId, c.incidentId]));
  const ticketById = new Map(tickets.map((t) => [t.id, t]));
  const ticketsByIncident = new Map<string, TicketView[]>();
  for (const t of tickets) {
    const list = ticketsByIncident.get(t.incidentId) ?? [];
    list.push(t);
    ticketsByIncident.set(t.incidentId, list);
  }

  const perFault: FaultScore[] = [];
  let linkedFault = 0;
  let knownFault = 0;
  let missing = 0;
  for (const f of eligible) {
    const m = matches.get(f.id) ?? { candidates: [], assigned: [], absorbed: [] };
    const first = m.assigned[0];
    const own = new Set([...m.candidates, ...m.absorbed].map((i) => i.id));
    let right = 0;
    for (const id of f.complaintIds) {
      if (!linkOf.has(id)) {
        missing++;
        continue;
      }
      knownFault++;
      const inc = linkOf.get(id);
      if (inc && own.has(inc)) right++;
    }
    linkedFault += right;
    const ticket = firstTicket(m.assigned, ticketById, ticketsByIncident);
    const firstComplaint = f.firstComplaintAt;
    perFault.push({
      id: f.id,
      kind: f.kind,
      root: `${f.root.type}:${f.root.id}`,
      detected: first !== undefined,
      incidentIds: m.assigned.map((i) => i.id),
      absorbedInto: m.absorbed.map((i) => i.id),
      // Not clamped: a negative figure means the incident's detectedAt precedes the fault's start.
      ttdMs: first ? first.detectedAt - f.start : null,
      rootCorrect: first || m.absorbed.length > 0 ? [...m.assigned, ...m.absorbed].some((i) => rootMatches(f, i)) : null,
      ticketId: ticket?.id ?? null,
      department: ticket?.department ?? null,
      expectedDepartment: f.department,
      routingCorrect: ticket ? ticket.department === f.department : null,
      proactive: ticket !== null && (firstComplaint === null || ticket.createdAt < firstComplaint),
      complaints: f.complaintIds.length,
      complaintsLinkedRight: right,
    });
  }

  let bgKnown = 0;
  let bgUnlinked = 0;
  for (const id of truth.backgroundComplaintIds) {
    if (!linkOf.has(id)) {
      missing++;
      continue;
    }
    bgKnown++;
    if (linkOf.get(id) === null) bgUnlinked++;
  }

  const detected = perFault.filter((p) => p.detected);
  const seen = perFault.filter((p) => p.detected || p.absorbedInto.length > 0);
  const matched = new Set<string>();
  for (const m of matches.values()) for (const i of [...m.assigned, ...m.absorbed]) matched.add(i.id);
  const ttds = detected.map((p) => p.ttdMs as number);
  const merged = new Set(known.filter((i) => i.mergedInto !== undefined).map((i) => i.id));
  const drewComplaints = perFault.filter((p) => p.complaints > 0);
  const withTicket = perFault.filter((p) => p.ticketId !== null);
  return {
    faults: eligible.length,
    tooRecent,
    incidents: scored.length,
    recall: ratio(seen.length, eligible.length),
    absorbedOnly: seen.length - detected.length,
    precision: ratio(scored.filter((i) => matched.has(i.id)).length, scored.length),
    incidentsPerFault: detected.length > 0 ? detected.reduce((s, p) => s + Math.max(1, p.incidentIds.filter((id) => !merged.has(id)).length), 0) / detected.length : null,
    rootCause: ratio(seen.filter((p) => p.rootCorrect).length, seen.length),
    ttdMedianMs: quantile(ttds, 0.5),
    ttdP90Ms: quantile(ttds, 0.9),
    linkage: {
      ...ratio(linkedFault + bgUnlinked, knownFault + bgKnown),
      fault: ratio(linkedFault, knownFault),
      background: ratio(bgUnlinked, bgKnown),
      missing,
    },
    proactive: ratio(perFault.filter((p) => p.proactive).length, perFault.length),
    proactiveWithComplaints: ratio(drewComplaints.filter((p) => p.proactive).length, drewComplaints.length),
    routing: ratio(withTicket.filter((p) => p.routingCorrect).length, withTicket.length),
    perFault,
    unmatched: scored
      .filter((i) => !matched.has(i.id))
      .sort((a, b) => a.detectedAt - b.detectedAt)
      .map((i) => ({
        id: i.id, detectedAt: i.detectedAt, root: `${i.rootCause.objectType}:${i.rootCause.objectId}`,
        category: i.rootCause.category ?? null, cells: i.cells.length, complaints: i.complaintIds.length,
      })),
  };
}

/** The earliest ticket of the fault's incidents (by the incident's ticketId or the ticket's incidentId). */
function firstTicket(
  incidents: readonly IncidentView[], byId: ReadonlyMap<string, TicketView>, byIncident: ReadonlyMap<string, TicketView[]>,
): TicketView | null {
  let best: TicketView | null = null;
  for (const inc of incidents) {
    const candidates = [...(byIncident.get(inc.id) ?? [])];
    if (inc.ticketId && byId.has(inc.ticketId)) candidates.push(byId.get(inc.ticketId) as TicketView);
    for (const t of candidates) if (best === null || t.createdAt < best.createdAt) best = t;
  }
  return best;
}
