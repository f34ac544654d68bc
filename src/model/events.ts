/**
 * The one internal event shape every collector emits (JSON, line protocol, PM XML, VES…) and the
 * pipeline consumes. `t` is the event time in epoch milliseconds: the end of a measurement period,
 * the alarm's eventTime, the test time, the complaint's receivedAt.
 */
import type {
  AlarmObjectType, AlarmSeverity, ComplaintCategory, ComplaintChannel, ComplaintLocation,
  CustomerClass, DialTestService, SignalingProcedure,
} from './records.js';

/** The five ingest feeds; the key of per-feed counters, queues and watermarks. */
export const FEEDS = ['pm', 'alarms', 'dialtest', 'signaling', 'complaints'] as const;
export type Feed = (typeof FEEDS)[number];

export interface PmEvent {
  kind: 'pm';
  t: number;
  cellId: string;
  /** Measurement period in seconds. */
  period: number;
  /** KPI values (computed from counters where needed). A missing KPI is "no value", never zero. */
  kpis: Record<string, number>;
  /** Attempts behind rate KPIs, when known: the evidence a rate rests on. */
  attempts?: Record<string, number>;
  /** Values flagged unreliable by the source: kept, never alarmed on alone. */
  suspect?: boolean;
}

export interface AlarmEvent {
  kind: 'alarm';
  t: number;
  alarmId: string;
  objectType: AlarmObjectType;
  objectId: string;
  severity: AlarmSeverity;
  probableCause: string;
  specificProblem?: string;
  alarmType?: string;
  additionalText?: string;
}

export interface DialTestEvent {
  kind: 'dialtest';
  t: number;
  testId: string;
  probeId: string;
  service: DialTestService;
  /** Resolved from lat/lon through the inventory when the record carried no cellId. */
  cellId?: string;
  lat?: number;
  lon?: number;
  success: boolean;
  setupMs?: number | null;
  latencyMs?: number | null;
  throughputKbps?: number | null;
  mos?: number | null;
  failureCause?: string | null;
}

export interface SignalingEvent {
  kind: 'signaling';
  t: number;
  cellId: string;
  period: number;
  procedure: SignalingProcedure;
  attempts: number;
  failures: number;
  affectedSubscribers?: number;
  topCause?: string | null;
}

/** A complaint as stored: the record with `receivedAt` in epoch ms. */
export interface Complaint {
  complaintId: string;
  channel: ComplaintChannel;
  receivedAt: number;
  customer: { id: string; class: CustomerClass };
  category: ComplaintCategory;
  location: ComplaintLocation;
  description?: string;
}

export interface ComplaintEvent {
  kind: 'complaint';
  t: number;
  complaint: Complaint;
  /**
   * An unlinked complaint that a live network incident nearly explains (it fits, too weakly to link):
   * that incident's id. It does not count towards its district's complaint cluster.
   */
  nearIncident?: string;
}

export type NetworkEvent = PmEvent | AlarmEvent | DialTestEvent | SignalingEvent | ComplaintEvent;

/** The feed an event belongs to. */
export function feedOf(ev: NetworkEvent): Feed {
  switch (ev.kind) {
    case 'pm': return 'pm';
    case 'alarm': return 'alarms';
    case 'dialtest': return 'dialtest';
    case 'signaling': return 'signaling';
    case 'complaint': return 'complaints';
  }
}
