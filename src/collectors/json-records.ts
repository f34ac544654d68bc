/**
 * Decodes the JSON records of the five ingest feeds (API.md) into normalised events: validation
 * with the zod schemas of src/model/records.ts, readable per-record errors, and the small
 * normalisations every source needs (PM counters → KPIs, dial tests located by lat/lon → cell).
 */
import type { z } from 'zod';
import { formatIssues, issueKind } from '../config/format-issues.js';
import type { Topology } from '../inventory/topology.js';
import { fastPm, fastSignaling, type FastPm } from './fast-records.js';
import {
  alarmRecordSchema, complaintRecordSchema, dialTestRecordSchema, pmRecordSchema, signalingRecordSchema,
  type Feed, type NetworkEvent,
} from '../model/index.js';

export type Decoded =
  | { ok: true; event: NetworkEvent }
  | { ok: false; error: string; /** bounded label for metrics */ reason: string };

/** Turns PM counters into KPIs (and the attempts behind rate KPIs) with the configured formulas; `period` in seconds feeds `$period`. */
export type CounterMapper = (counters: Record<string, number>, period: number) => { kpis: Record<string, number>; attempts: Record<string, number> };

export interface DecoderDeps {
  topology: Topology;
  countersToKpis?: CounterMapper;
  /** A dial test given by lat/lon is placed at the nearest cell within this distance. */
  dialTestMaxKm?: number;
}

const SCHEMAS: Record<Feed, z.ZodType> = {
  pm: pmRecordSchema,
  alarms: alarmRecordSchema,
  dialtest: dialTestRecordSchema,
  signaling: signalingRecordSchema,
  complaints: complaintRecordSchema,
};

function fail(issues: readonly z.core.$ZodIssue[], raw: unknown): Decoded {
  return { ok: false, error: formatIssues(issues, raw).join('; '), reason: issueKind(issues[0]!) };
}

export class RecordDecoder {
  constructor(private readonly deps: DecoderDeps) {}

  decode(feed: Feed, raw: unknown): Decoded {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      return { ok: false, error: `(record): expected an object, received ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : typeof raw}`, reason: 'not_object' };
    }
    if (feed === 'pm') {
      const fast = fastPm(raw);
      if (fast) return this.pm(fast);
    } else if (feed === 'signaling') {
      const s = fastSignaling(raw);
      if (s) return { ok: true, event: { kind: 'signaling', t: s.time, cellId: s.cellId, period: s.period, procedure: s.procedure,
        attempts: s.attempts, failures: s.failures, affectedSubscribers: s.affectedSubscribers, topCause: s.topCause } };
    }
    const r = SCHEMAS[feed].safeParse(raw);
    if (!r.success) return fail(r.error.issues, raw);
    switch (feed) {
      case 'pm': return this.pm(r.data as z.output<typeof pmRecordSchema>);
      case 'alarms': {
        const a = r.data as z.output<typeof alarmRecordSchema>;
        return { ok: true, event: { kind: 'alarm', t: a.eventTime, alarmId: a.alarmId, objectType: a.objectType, objectId: a.objectId,
          severity: a.severity, probableCause: a.probableCause, specificProblem: a.specificProblem, alarmType: a.alarmType,
          additionalText: a.additionalText } };
      }
      case 'dialtest': return this.dialTest(r.data as z.output<typeof dialTestRecordSchema>);
      case 'signaling': {
        const s = r.data as z.output<typeof signalingRecordSchema>;
        return { ok: true, event: { kind: 'signaling', t: s.time, cellId: s.cellId, period: s.period, procedure: s.procedure,
          attempts: s.attempts, failures: s.failures, affectedSubscribers: s.affectedSubscribers, topCause: s.topCause } };
      }
      case 'complaints': {
        const c = r.data as z.output<typeof complaintRecordSchema>;
        const complaint = { ...c, location: { ...c.location } };
        return { ok: true, event: { kind: 'complaint', t: c.receivedAt, complaint } };
      }
    }
  }

  private pm(p: FastPm): Decoded {
    let kpis = p.kpis ?? Object.create(null) as Record<string, number>;
    let attempts = p.attempts;
    if (p.counters && Object.keys(p.counters).length > 0) {
      if (!this.deps.countersToKpis) {
        if (!p.kpis) return { ok: false, error: 'counters: no KPI formulas are configured to compute KPIs from counters', reason: 'no_formulas' };
      } else {
        const computed = this.deps.countersToKpis(p.counters, p.period);
        // Explicit KPIs win over computed ones; computed attempts fill in the evidence.
        kpis = Object.assign(Object.create(null), computed.kpis, p.kpis ?? {});
        attempts = Object.assign(Object.create(null), computed.attempts, p.attempts ?? {});
      }
    }
    if (Object.keys(kpis).length === 0) {
      return { ok: false, error: 'kpis: no KPI value in the record (all null, or none computable from the counters)', reason: 'no_value' };
    }
    return { ok: true, event: { kind: 'pm', t: p.time, cellId: p.cellId, period: p.period, kpis, attempts, suspect: p.suspect } };
  }

  private dialTest(d: z.output<typeof dialTestRecordSchema>): Decoded {
    let cellId = d.cellId;
    if (cellId === undefined && d.lat !== undefined && d.lon !== undefined) {
      cellId = this.deps.topology.nearestCells(d.lat, d.lon, 1, this.deps.dialTestMaxKm ?? 20)[0]?.cellId;
    }
    return { ok: true, event: { kind: 'dialtest', t: d.time, testId: d.testId, probeId: d.probeId, service: d.service, cellId,
      lat: d.lat, lon: d.lon, success: d.success, setupMs: d.setupMs, latencyMs: d.latencyMs, throughputKbps: d.throughputKbps,
      mos: d.mos, failureCause: d.failureCause } };
  }
}
