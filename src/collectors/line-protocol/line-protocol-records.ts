/**
 * Line protocol points → the ingest records of API.md, so a Telegraf write goes through the same
 * validation, KPI formulas, rejection and backpressure as a JSON ingest (`IngestPort.accept`).
 *
 *   pm,cell=<cellId> <kpi>=<number>…[,attempts_<kpi>=<n>…][,period=<s>][,suspect=<bool>]
 *   pm_counters,cell=<cellId> <counter>=<number>…[,period=<s>]           (KPIs via the formulas)
 *   signaling,cell=<cellId>,procedure=<procedure> attempts=<n>,failures=<n>[,affected_subscribers=<n>][,top_cause="…"][,period=<s>]
 *   dialtest,probe=<probeId>,service=<service>[,cell=<cellId>] success=<bool>[,setup_ms=…][,latency_ms=…][,throughput_kbps=…][,mos=…][,failure_cause="…"][,test_id="…"][,lat=…,lon=…]
 *
 * Other measurements are not for nocwatch (Telegraf sends everything it collects) and are ignored.
 */
import type { Feed } from '../../model/index.js';
import { pointTimeMs, type LpFieldValue, type LpPoint } from './line-protocol.js';

/** The measurements nocwatch reads, and the feed each one feeds. */
export const LP_MEASUREMENTS: Readonly<Record<string, Feed>> = {
  pm: 'pm',
  pm_counters: 'pm',
  signaling: 'signaling',
  dialtest: 'dialtest',
};

/**
 * The feed a measurement feeds, or undefined for one nocwatch does not read. An own-property
 * lookup: Telegraf measurements are named by whoever configures it, and `constructor` or
 * `toString` must be ignored like any other, not found on Object.prototype.
 */
export function feedOfMeasurement(measurement: string): Feed | undefined {
  return Object.hasOwn(LP_MEASUREMENTS, measurement) ? LP_MEASUREMENTS[measurement] : undefined;
}

export type LpRecordResult =
  | { kind: 'record'; feed: Feed; record: Record<string, unknown> }
  | { kind: 'ignored' }
  | { kind: 'error'; feed: Feed; message: string; /** bounded label for metrics */ reason: 'missing_tag' };

function jsonValue(v: LpFieldValue): number | string | boolean {
  return v.type === 'integer' || v.type === 'unsigned' ? Number(v.value) : v.value;
}

function missingTag(p: LpPoint, feed: Feed, tag: string): LpRecordResult {
  return { kind: 'error', feed, message: `measurement "${p.measurement}" needs tag "${tag}"`, reason: 'missing_tag' };
}

const ATTEMPTS_PREFIX = 'attempts_';

/**
 * Maps one point. `nowMs` stands in for a missing timestamp, as InfluxDB uses its own clock then.
 * Values are passed on as they are; the record schemas reject wrong types with a field path.
 */
export function lineProtocolRecord(p: LpPoint, nowMs: number): LpRecordResult {
  const feed = feedOfMeasurement(p.measurement);
  if (feed === undefined) return { kind: 'ignored' };
  const time = pointTimeMs(p) ?? nowMs;
  const f = p.fields;
  const rest = (skip: readonly string[]): Record<string, number | string | boolean> => {
    const out: Record<string, number | string | boolean> = Object.create(null);
    for (const k of Object.keys(f)) if (!skip.includes(k)) out[k] = jsonValue(f[k]);
    return out;
  };
  const opt = (k: string): number | string | boolean | undefined => (f[k] === undefined ? undefined : jsonValue(f[k]));

  const cell = p.tags.cell;
  switch (p.measurement) {
    case 'pm':
    case 'pm_counters': {
      if (cell === undefined) return missingTag(p, feed, 'cell');
      const values = rest(['period', 'suspect']);
      const record: Record<string, unknown> = { cellId: cell, time, period: opt('period'), suspect: opt('suspect') };
      if (p.measurement === 'pm_counters') {
        record.counters = values;
      } else {
        const kpis: Record<string, unknown> = Object.create(null);
        const attempts: Record<string, unknown> = Object.create(null);
        let nAttempts = 0;
        for (const k of Object.keys(values)) {
          if (k.startsWith(ATTEMPTS_PREFIX) && k.length > ATTEMPTS_PREFIX.length) {
            attempts[k.slice(ATTEMPTS_PREFIX.length)] = values[k];
            nAttempts++;
          } else kpis[k] = values[k];
        }
        record.kpis = kpis;
        if (nAttempts > 0) record.attempts = attempts;
      }
      return { kind: 'record', feed, record: dropUndefined(record) };
    }
    case 'signaling': {
      if (cell === undefined) return missingTag(p, feed, 'cell');
      const procedure = p.tags.procedure;
      if (procedure === undefined) return missingTag(p, feed, 'procedure');
      return {
        kind: 'record',
        feed,
        record: dropUndefined({
          cellId: cell, time, procedure, period: opt('period'),
          attempts: opt('attempts'), failures: opt('failures'),
          affectedSubscribers: opt('affected_subscribers'), topCause: opt('top_cause'),
        }),
      };
    }
    default: {
      const probe = p.tags.probe;
      if (probe === undefined) return missingTag(p, feed, 'probe');
      const service = p.tags.service;
      if (service === undefined) return missingTag(p, feed, 'service');
      const success = opt('success');
      return {
        kind: 'record',
        feed,
        record: dropUndefined({
          // A probe that does not name its tests gets one id per probe, service and time.
          testId: opt('test_id') ?? `${probe}:${service}:${time}`,
          probeId: probe, service, time, cellId: cell,
          // Telegraf's ping/http inputs report result codes as numbers: 1/0 count as true/false.
          success: typeof success === 'number' && (success === 0 || success === 1) ? success === 1 : success,
          setupMs: opt('setup_ms'), latencyMs: opt('latency_ms'), throughputKbps: opt('throughput_kbps'),
          mos: opt('mos'), failureCause: opt('failure_cause'), lat: opt('lat'), lon: opt('lon'),
        }),
      };
    }
  }
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
