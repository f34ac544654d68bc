/**
 * What one processed batch leaves in InfluxDB, as line protocol (millisecond timestamps = event
 * time). Chosen to read well in Grafana (Flux, InfluxQL, or PromQL on VictoriaMetrics, which names
 * series `<measurement>_<field>`):
 *
 *   kpi,cell=<cellId>[,region=<region>] <kpi>=<value>…,attempts_<kpi>=<n>…[,suspect=true]
 *       one point per PM sample, a field per KPI (`kpi_rrc_setup_success_rate{cell=…}` in VM)
 *   anomaly,source=…,signal=…,object_type=…,object_id=…[,cell=…],state=<new state>,from=<old state>,severity=…,hint=… score=…,started_at=<ms>[,observed=…,expected=…,attempts=…,failures=…]
 *   incident,id=…,change=opened|updated|resolved|reopened,state=…,severity=…,category=…,region=…,class=…,root_type=…,root_id=… cells=…,complaints=…,anomalies=…,triage_score=…,confidence=…,reopen_count=…,version=…
 *   ticket,id=…,incident=…,change=…,state=…,department=…,class=… version=…,proactive=…,breached=…
 *
 * Numbers are always floats, so a field never changes type between writes (InfluxDB refuses that).
 * There are no string fields (VictoriaMetrics would store them as 0): what identifies something is
 * a tag. Incident and ticket ids are tags so two changes at the same instant do not overwrite each
 * other; an anomaly is its series (source, signal, object) plus `started_at`.
 */
import type { LpFieldValue, LpPoint } from '../../collectors/line-protocol/line-protocol.js';
import { serializePoint } from '../../collectors/line-protocol/serialize-line-protocol.js';
import type { Topology } from '../../inventory/topology.js';
import type { BatchOutcome } from '../../pipeline/stages.js';
import type { InfluxHistoryConfig } from './config.js';

const f = (value: number): LpFieldValue => ({ type: 'float', value });
const b = (value: boolean): LpFieldValue => ({ type: 'boolean', value });

function point(measurement: string, tags: Record<string, string | undefined>, fields: Record<string, LpFieldValue>, tMs: number): LpPoint {
  const t: Record<string, string> = Object.create(null);
  // Line protocol has no empty tag values: leave such tags out.
  for (const k of Object.keys(tags)) if (tags[k]) t[k] = tags[k]!;
  return { measurement, tags: t, fields, timeNs: BigInt(Math.round(tMs)) * 1_000_000n };
}

/** The history points of one batch, in the order things happened in it. */
export function historyPoints(outcome: BatchOutcome, write: InfluxHistoryConfig['write'], topology?: Topology): LpPoint[] {
  const out: LpPoint[] = [];
  if (write.kpis) {
    for (const ev of outcome.events) {
      if (ev.kind !== 'pm') continue;
      const fields: Record<string, LpFieldValue> = Object.create(null);
      let n = 0;
      for (const [k, v] of Object.entries(ev.kpis)) {
        if (Number.isFinite(v)) {
          fields[k] = f(v);
          n++;
        }
      }
      if (n === 0) continue;
      for (const [k, v] of Object.entries(ev.attempts ?? {})) if (Number.isFinite(v)) fields[`attempts_${k}`] = f(v);
      if (ev.suspect) fields.suspect = b(true);
      out.push(point('kpi', { cell: ev.cellId, region: topology?.cell(ev.cellId)?.region }, fields, ev.t));
    }
  }
  if (write.anomalies) {
    for (const tr of outcome.transitions) {
      const a = tr.anomaly;
      const fields: Record<string, LpFieldValue> = { score: f(a.score), started_at: f(a.startedAt) };
      for (const key of ['observed', 'expected', 'attempts', 'failures'] as const) {
        const v = a.evidence[key];
        if (typeof v === 'number' && Number.isFinite(v)) fields[key] = f(v);
      }
      out.push(point('anomaly', {
        source: a.source, signal: a.signal, object_type: a.objectType, object_id: a.objectId, cell: a.cellId,
        state: tr.to, from: tr.from ?? 'none', severity: a.severity, hint: a.hint,
      }, fields, tr.at));
    }
  }
  if (write.incidents) {
    for (const ch of outcome.incidentChanges) {
      const i = ch.incident;
      out.push(point('incident', {
        id: i.id, change: ch.type, state: i.state, severity: i.severity, category: i.rootCause.category,
        region: i.region, class: i.triage.class, root_type: i.rootCause.objectType, root_id: i.rootCause.objectId,
      }, {
        cells: f(i.cells.length), complaints: f(i.complaintIds.length), anomalies: f(i.anomalies.length),
        triage_score: f(i.triage.score), confidence: f(i.confidence), reopen_count: f(i.reopenCount), version: f(i.version),
      }, i.updatedAt));
    }
  }
  if (write.tickets) {
    for (const ch of outcome.ticketChanges) {
      const t = ch.ticket;
      out.push(point('ticket', { id: t.id, incident: t.incidentId, change: ch.type, state: t.state, department: t.department, class: t.class }, {
        version: f(t.version), proactive: b(t.proactive), breached: f(t.sla.breached.length),
      }, t.updatedAt));
    }
  }
  return out;
}

/** The same as line protocol lines; a point that cannot be written is left out (and counted by the caller). */
export function historyLines(outcome: BatchOutcome, write: InfluxHistoryConfig['write'], topology?: Topology): { lines: string[]; skipped: number } {
  const lines: string[] = [];
  let skipped = 0;
  for (const p of historyPoints(outcome, write, topology)) {
    try {
      lines.push(serializePoint(p, 'ms'));
    } catch {
      skipped++;
    }
  }
  return { lines, skipped };
}
