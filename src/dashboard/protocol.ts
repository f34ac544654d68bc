/**
 * The dashboard's wire protocol: what the hub sends over `/ws` and what the page reads. Shared by the
 * server (hub.ts) and the page (page/state.ts), so both sides compile against the same shapes.
 * Types only plus tiny constants: the page bundle must not pull in server code.
 *
 * Times on this stream are epoch milliseconds (event time unless named `…Wall`): the page does
 * arithmetic on them (SLA countdowns, sparklines) and the stream is internal to nocwatch.
 */

/** Cell colours on the map, in drawing order (later ones are drawn on top). */
export const CELL_STATUSES = ['normal', 'anomalous', 'incident', 'outage'] as const;
export type MapCellStatus = (typeof CELL_STATUSES)[number];
export const STATUS_NORMAL = 0;
export const STATUS_ANOMALOUS = 1;
export const STATUS_INCIDENT = 2;
export const STATUS_OUTAGE = 3;

/** An incident as the list shows it. */
export interface IncidentItem {
  id: string;
  state: 'open' | 'resolved';
  severity: string;
  openedAt: number;
  detectedAt: number;
  resolvedAt: number | null;
  updatedAt: number;
  rootCause: { objectType: string; objectId: string; category: string; reasoning?: string[] };
  region: string;
  district: string | null;
  cellCount: number;
  /** Indexes into the geometry of the incident's cells (capped), for highlighting on the map. */
  cellIdx: number[];
  complaints: number;
  vipComplaints: number;
  triage: { class: string; score: number; reasons: string[] };
  ticket: TicketItem | null;
  anomalies: number;
  confidence: number;
  /** Independent evidence agrees: only a confirmed incident gets a ticket (tickets/ticket-engine.ts). */
  confirmed: boolean;
  feeds: string[];
  reopenCount: number;
}

/** A ticket as the incident list and the ticket board show it. */
export interface TicketItem {
  id: string;
  incidentId: string;
  department: string;
  state: string;
  class: string;
  proactive: boolean;
  createdAt: number;
  updatedAt: number;
  respondBy: number | null;
  onsiteBy: number | null;
  resolveBy: number | null;
  breached: string[];
  pushState: string;
  /** Each SLA stage that has a deadline, in order (respond, on site, resolve). */
  deadlines: SlaDeadline[];
}

/** One SLA stage of a ticket: when it is due and whether the ticket met it. */
export interface SlaDeadline {
  stage: 'respond' | 'onsite' | 'resolve';
  by: number;
  /** The ticket met the stage: its milestone was reached, or its state is past it (acknowledged: responded). */
  met: boolean;
  /** Event time the milestone was reached, when the ticket recorded it. */
  metAt: number | null;
  /** Recorded as breached by the ticket stage (also when met late afterwards). */
  breached: boolean;
}

/** Tickets by state and department, plus the ones that need attention. */
export interface TicketBoard {
  /** counts[state][department] */
  counts: Record<string, Record<string, number>>;
  total: number;
  breached: number;
  deadLetters: number;
  /** Breached or dead-lettered tickets, newest first (capped). */
  attention: TicketItem[];
}

export interface ComplaintItem {
  id: string;
  receivedAt: number;
  channel: string;
  customerClass: string;
  category: string;
  /** cellId, district, "≈ nearest cell" for coordinates, or "lat, lon" when no cell is near. */
  place: string;
  /** For coordinates: the coordinates, the distance to the nearest cell and its district. */
  placeDetail?: string;
  incidentId: string | null;
}

/** One process-KPI tile with its trend. */
export interface KpiTile {
  key: string;
  label: string;
  /** null when there is nothing to compute it from yet. */
  value: number | null;
  unit: string;
  better: 'higher' | 'lower';
  /** Sparkline: event times and values. */
  t: number[];
  v: (number | null)[];
  /** A short line under the value (sample size, target…). */
  note?: string;
}

export interface FeedHealth {
  feed: string;
  ratePerS: number;
  accepted: number;
  rejected: number;
  /** Rejected per second over the last feed-health interval. */
  rejectRatePerS: number;
  lastSeenWall: number | null;
  lastEventTime: number | null;
  /** Event time this feed is behind the newest event seen on any feed (s). */
  lagS: number | null;
  /** No record for `staleFeedS` (or never, once other feeds run). */
  stale: boolean;
}

export interface FeedBoard {
  feeds: FeedHealth[];
  pending: number;
  queueLimit: number;
  watermark: number | null;
  /** Newest event time seen on any feed. */
  newestEventTime: number | null;
  /** Wall time minus the newest event time (s): how far behind live the data runs (negative: ahead). */
  behindLiveS: number | null;
  wall: number;
  staleAfterS: number;
}

/** Summary counts for the header. */
export interface Counters {
  cells: number;
  anomalous: number;
  incident: number;
  outage: number;
  openIncidents: number;
  complaintsToday: number;
}

export interface SnapshotMessage {
  type: 'snapshot';
  /** Changes when the daemon restarts: sequence numbers of another epoch cannot be resumed. */
  epoch: string;
  /** The sequence number of the last delta folded into this snapshot. */
  seq: number;
  /** Fetch `GET /api/v1/dashboard/cells` when this differs from the geometry the page holds. */
  geometryVersion: string;
  cellCount: number;
  watermark: number | null;
  /** Non-normal cells as flat pairs: index, status, index, status… */
  cells: number[];
  incidents: IncidentItem[];
  complaints: ComplaintItem[];
  tickets: TicketBoard;
  kpis: KpiTile[];
  feeds: FeedBoard;
  counters: Counters;
}

/** An incident in a delta: `cellIdx` is left out when its cells are the same as in the last message. */
export type DeltaIncident = Omit<IncidentItem, 'cellIdx'> & { cellIdx?: number[] };

export interface DeltaMessage {
  type: 'delta';
  seq: number;
  watermark: number | null;
  /** Changed cells as flat pairs: index, status… (only cells whose status differs from the last message). */
  cells?: number[];
  /** Incidents opened, updated, resolved or reopened since the last delta (latest version each). */
  incidents?: DeltaIncident[];
  complaints?: ComplaintItem[];
  /** Complaints that arrived but were left out of this delta (the ticker only shows the latest). */
  complaintsSkipped?: number;
  tickets?: TicketBoard;
  kpis?: KpiTile[];
  feeds?: FeedBoard;
  counters?: Counters;
}

/** Sent on a resume when the client already has everything (nothing to replay). */
export interface ResumedMessage {
  type: 'resumed';
  epoch: string;
  seq: number;
}

export type ServerMessage = SnapshotMessage | DeltaMessage | ResumedMessage;

/** Binary geometry layout (`GET /api/v1/dashboard/cells`, little-endian):
 *  u32 header length H | header JSON (H bytes) | pad to 4 | f32 lat[n] | f32 lon[n] | u16 region[n] | pad to 4 | ids (UTF-8, '\n'-joined) */
export interface GeometryHeader {
  version: string;
  count: number;
  regions: { name: string; hull: [number, number][]; labelLat: number; labelLon: number; cells: number }[];
  districts: { name: string; region: string; lat: number; lon: number; cells: number }[];
  bounds: { minLat: number; maxLat: number; minLon: number; maxLon: number } | null;
}

/** Rows of the incident timeline (`GET /api/v1/dashboard/incidents/:id/timeline`). */
export interface TimelineEntry {
  t: number;
  kind: 'anomaly' | 'anomaly_resolved' | 'detected' | 'complaint' | 'ticket' | 'sla' | 'resolved';
  text: string;
  /** Highlight (VIP complaint, SLA breach). */
  alert?: boolean;
}
