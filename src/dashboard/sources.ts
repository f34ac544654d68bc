/**
 * What the dashboard reads besides the batches it is fed: a small read-only port that app.ts fills
 * from whatever components exist. Optional members are the parts that may not be built (no detector
 * stage, no ticketing, no evaluation): the dashboard shows "not available" rather than failing.
 * Every call is synchronous and cheap; the hub calls them on snapshots and timer ticks, never per event.
 */
import type { Topology } from '../inventory/topology.js';
import type { Anomaly, Complaint, Incident, Ticket, Triage } from '../model/index.js';
import type { FeedStatus } from '../pipeline/feed-stats.js';
import type { CellStatus } from '../pipeline/stages.js';

/** The pipeline's queue, event-time position and per-feed counters. */
export interface PipelineStatus {
  pending: number;
  queueLimit: number;
  watermark: number | null;
  newestEventTime: number | null;
  feeds: Record<string, FeedStatus>;
}

/** A stored complaint with its link, as the ticker and the timeline need it. */
export interface ComplaintRecordView {
  complaint: Complaint;
  incidentId: string | null;
  triage: Triage | null;
}

/** One process KPI computed by the evaluation step. */
export interface ProcessKpiValue {
  value: number | null;
  /** Sample size or target, shown under the value. */
  note?: string;
}

/** The keys of the process-KPI tiles, in display order. */
export const PROCESS_KPIS = [
  { key: 'proactiveRatio', label: 'Proactive ratio', unit: '%', better: 'higher' },
  { key: 'timeToDetectMin', label: 'Time to detect', unit: 'min', better: 'lower' },
  { key: 'timeToResolveMin', label: 'Time to resolve', unit: 'min', better: 'lower' },
  { key: 'slaAttainment', label: 'SLA attainment', unit: '%', better: 'higher' },
  { key: 'verificationPassRate', label: 'Verification pass', unit: '%', better: 'higher' },
  { key: 'repeatComplaintRate', label: 'Repeat complaints', unit: '%', better: 'lower' },
  { key: 'callbackSatisfaction', label: 'Callback satisfaction', unit: '%', better: 'higher' },
] as const;
export type ProcessKpiKey = (typeof PROCESS_KPIS)[number]['key'];

export interface DashboardSources {
  topology: Topology;
  pipeline(): PipelineStatus;
  /** Detector stage: live anomalies and each cell's health. Absent when no detectors run. */
  detectors?: {
    active(): Iterable<Anomaly>;
    cellStatus(cellId: string): CellStatus;
  };
  /** Open incidents (and recently resolved ones); from the incident stage or the store. */
  liveIncidents(): Iterable<Incident>;
  incident(id: string): Incident | undefined;
  /** Newest first. */
  recentComplaints(limit: number): ComplaintRecordView[];
  complaint(id: string): ComplaintRecordView | undefined;
  /**
   * Received times of the (processed) complaints received since `since`, oldest first: the header's
   * "complaints / 24h" after a restart. Without it the count starts from the recent complaints only.
   */
  complaintTimesSince?(since: number): number[];
  /** Complaints linked to an incident, newest first. */
  complaintsOf(incidentId: string, limit: number): ComplaintRecordView[];
  /** Ticketing, when built: live tickets, one ticket, dead letters in the outbox. */
  tickets?: {
    live(): Iterable<Readonly<Ticket>>;
    get(id: string): Ticket | undefined;
    deadLetters(): number;
    /** Delivery state of the ticket's newest version (the outbox knows it; the ticket document may not). */
    pushState?(ticketId: string): Ticket['external']['pushState'] | undefined;
  };
  /** The evaluation step's process KPIs, when built. */
  processKpis?(): Partial<Record<ProcessKpiKey, ProcessKpiValue>>;
  /** Wall clock (epoch ms), for feed staleness and timers only. */
  wallClock?: () => number;
}
