/**
 * The hotline answer: "is there a known network problem where this customer is?". Resolves an area
 * (a cell id, a district, or `lat,lon`) to cells, looks up the open incidents touching them in the
 * incident stage's memory (no store query, so it answers in well under 10 ms), and words what the
 * agent reads out: what is wrong, since when, whether engineers are on it, when it should be fixed.
 */
import { HOUR, SEVERITY_RANK, isoTime } from '../model/index.js';
import type { Incident, RootCauseCategory } from '../model/index.js';
import type { Topology } from '../inventory/topology.js';
import { adaptiveRadiusKm } from './complaint-linking.js';
import type { HotlineConfig, LinkingConfig } from './config.js';

/** The open incidents at an area, as the incident stage knows them. */
export interface OpenIncidentsAt {
  openAt(area: { cells?: readonly string[]; district?: string }): Incident[];
  /** Event time the stage has reached. */
  readonly watermark: number;
}

/** What the hotline needs of an incident's ticket. */
export interface TicketSummary {
  id: string;
  state: string;
  resolveBy: number | null;
}

export type AreaKind = 'cell' | 'district' | 'point';

export interface ResolvedArea {
  kind: AreaKind;
  id: string;
  cells: string[];
  district?: string;
}

export interface KnownIssue {
  incidentId: string;
  state: Incident['state'];
  category: RootCauseCategory;
  severity: Incident['severity'];
  rootCause: { objectType: string; objectId: string };
  since: string;
  cellsAffected: number;
  ticketId: string | null;
  ticketState: string | null;
  expectedResolution: string | null;
  /** Where the expected resolution comes from: the ticket's SLA, or the typical repair time. */
  expectedResolutionSource: 'ticket_sla' | 'estimate' | null;
  sayToCaller: string;
}

export interface KnownIssuesAnswer {
  area: { kind: AreaKind; id: string; cells: number };
  knownIssue: boolean;
  issues: KnownIssue[];
  /** One paragraph the agent can read out as is. */
  sayToCaller: string;
  asOf: string;
}

const WHAT: Record<RootCauseCategory, string> = {
  outage: 'a service outage',
  transport: 'a network outage',
  core: 'a core network fault affecting calls and data',
  degradation: 'degraded service',
  interference: 'radio interference that can drop calls',
  congestion: 'network congestion slowing data',
  coverage: 'a coverage problem',
  unknown: 'a network problem',
};

/** How far a problem reaches: a core fault is felt region-wide, whatever cells its incident lists. */
const reach = (i: Incident): number => (i.rootCause.category === 'core' || i.rootCause.objectType === 'region' ? Number.MAX_SAFE_INTEGER : i.cells.length);

const POINT = /^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$/;

/** What the agent says about the ticket's progress, by ticket state. */
function progressOf(ticketState: string | undefined): string {
  switch (ticketState) {
    case undefined:
      return 'Our network team is aware of it';
    case 'open':
    case 'reopened':
      return 'A repair ticket is open';
    case 'resolved':
      return 'A fix has been made and is being checked';
    case 'verified':
    case 'closed':
      return 'It has been fixed and we are confirming service is back to normal';
    default:
      return 'Our engineers are working on it';
  }
}

/**
 * Formats an event time as the agent reads it out: in the configured IANA zone, or at the network's
 * fixed offset from UTC.
 */
function callerClock(timeZone: string | undefined, utcOffsetMinutes: number): (t: number) => string {
  const parts = { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' } as const;
  if (timeZone !== undefined) {
    const f = new Intl.DateTimeFormat('en-GB', { ...parts, timeZone, timeZoneName: 'short' });
    return (t) => f.format(t);
  }
  const f = new Intl.DateTimeFormat('en-GB', { ...parts, timeZone: 'UTC' });
  const abs = Math.abs(utcOffsetMinutes);
  const label = utcOffsetMinutes === 0
    ? 'UTC'
    : `UTC${utcOffsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return (t) => `${f.format(t + utcOffsetMinutes * 60_000)} ${label}`;
}

/**
 * When the problem the caller has began: the incident's start, or — once it came back after being
 * fixed — the start of this episode (the earliest evidence still active).
 */
function episodeStart(i: Incident): number {
  if (i.reopenCount === 0) return i.openedAt;
  let start = Infinity;
  for (const a of i.anomalies) if (a.resolvedAt === undefined && a.startedAt < start) start = a.startedAt;
  return Number.isFinite(start) ? Math.max(start, i.openedAt) : i.openedAt;
}

export class KnownIssues {
  private readonly clock: (t: number) => string;

  constructor(
    private readonly deps: {
      incidents: OpenIncidentsAt;
      topology: Topology;
      linking: LinkingConfig;
      hotline: HotlineConfig;
      /** The network's local time offset, used when `hotline.timeZone` is not set. */
      utcOffsetMinutes?: number;
      ticketOf?: (incident: Incident) => TicketSummary | undefined;
    },
  ) {
    this.clock = callerClock(deps.hotline.timeZone, deps.utcOffsetMinutes ?? 0);
  }

  /**
   * Resolves `area` (cell id, district, or `lat,lon`; names in any letter case); undefined when it
   * names nothing known.
   */
  resolveArea(area: string): ResolvedArea | undefined {
    const topo = this.deps.topology;
    const cellId = topo.cell(area) ? area : topo.cell(area.toUpperCase()) ? area.toUpperCase() : undefined;
    const cell = cellId !== undefined ? topo.cell(cellId) : undefined;
    if (cellId !== undefined && cell) return { kind: 'cell', id: cellId, cells: [cellId], district: cell.district };
    const lower = area.toLowerCase();
    const district = topo.cellsInDistrict(area).length > 0 ? area : topo.districts().find((d) => d.toLowerCase() === lower);
    if (district !== undefined) return { kind: 'district', id: district, cells: [...topo.cellsInDistrict(district)], district };
    const m = POINT.exec(area);
    if (m) {
      const lat = Number(m[1]);
      const lon = Number(m[2]);
      if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined;
      const radius = adaptiveRadiusKm(topo, lat, lon, this.deps.linking);
      const cells = topo.nearestCells(lat, lon, this.deps.linking.candidateCells, radius).map((n) => n.cellId);
      return { kind: 'point', id: `${lat},${lon}`, cells };
    }
    return undefined;
  }

  answer(area: ResolvedArea): KnownIssuesAnswer {
    const now = this.deps.incidents.watermark;
    const incidents = this.deps.incidents.openAt(area.kind === 'district' ? { district: area.district! } : { cells: area.cells });
    // The worst first: the agent reads out the first one (a region-wide core fault before one cell's interference).
    const issues = [...incidents]
      .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || reach(b) - reach(a) || a.openedAt - b.openedAt)
      .map((i) => this.issue(i, now));
    const place = area.kind === 'point' ? 'the caller\'s location' : area.kind === 'cell' ? `cell ${area.id}` : area.id;
    let say: string;
    if (issues.length === 0) {
      say = `There is no known network problem at ${place} right now. Please take the details and register a complaint so we can investigate.`;
    } else {
      say = issues[0]!.sayToCaller;
      if (issues.length > 1) say += ` There ${issues.length === 2 ? 'is 1 more known problem' : `are ${issues.length - 1} more known problems`} in the area.`;
    }
    return {
      area: { kind: area.kind, id: area.id, cells: area.cells.length },
      knownIssue: issues.length > 0,
      issues,
      sayToCaller: say,
      asOf: isoTime(now),
    };
  }

  private issue(i: Incident, now: number): KnownIssue {
    const ticket = this.deps.ticketOf?.(i);
    let expected: number | null = null;
    let source: KnownIssue['expectedResolutionSource'] = null;
    if (ticket?.resolveBy != null && ticket.resolveBy > now) {
      expected = ticket.resolveBy;
      source = 'ticket_sla';
    } else {
      const estimate = i.detectedAt + this.deps.hotline.defaultRepairHours * HOUR;
      if (estimate > now) (expected = estimate, source = 'estimate');
    }
    const scope = i.cells.length > 1 ? ` (${i.cells.length.toLocaleString('en-US')} cells)` : '';
    const progress = progressOf(ticket?.state);
    const when = expected === null
      ? 'we cannot give a repair time yet'
      : `we expect it to be fixed by ${this.clock(expected)}`;
    const since = episodeStart(i);
    const sayToCaller = `Yes, there is a known problem: ${WHAT[i.rootCause.category]}${scope} in this area since ${this.clock(since)}. ${progress}, and ${when}. We apologise for the inconvenience.`;
    return {
      incidentId: i.id,
      state: i.state,
      category: i.rootCause.category,
      severity: i.severity,
      rootCause: { objectType: i.rootCause.objectType, objectId: i.rootCause.objectId },
      since: isoTime(since),
      cellsAffected: i.cells.length,
      ticketId: ticket?.id ?? i.ticketId,
      ticketState: ticket?.state ?? null,
      expectedResolution: isoTime(expected),
      expectedResolutionSource: source,
      sayToCaller,
    };
  }
}
