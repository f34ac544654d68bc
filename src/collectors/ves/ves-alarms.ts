/**
 * VES fault events → the alarm records of API.md (`POST /api/v1/ingest/alarms` shape), so they go
 * through the same validation, rejection and pipeline as every other alarm.
 *
 * - severity: CRITICAL/MAJOR/MINOR/WARNING as they are; NORMAL means cleared.
 * - alarmId: `<sourceName>/<eventId>` — VES 7 keeps a fault's eventId through its changes and its
 *   clear, as ONAP's collectors rely on — or `<sourceName>/<alarmCondition>` for sources that send
 *   a new eventId each time (`collectors.ves.alarmKey`).
 * - object: a cell named by `alarmInterfaceA` or `sourceName`, else the site or transport link
 *   `sourceName` names in the inventory, else a core element called `sourceName`.
 * - eventTime: `lastEpochMicrosec` (for a clear, when it cleared).
 */
import { createHash } from 'node:crypto';
import { formatIssues, issueKind } from '../../config/format-issues.js';
import type { Topology } from '../../inventory/topology.js';
import { MAX_EVENT_TIME, MIN_EVENT_TIME, type AlarmObjectType, type AlarmSeverity } from '../../model/index.js';
import type { VesConfig } from '../config.js';
import { commonEventHeaderSchema, faultFieldsSchema, type VesSeverity } from './ves-event.js';

export type VesDecoded =
  | { ok: true; record: Record<string, unknown> }
  | { ok: false; error: string; /** bounded label for metrics */ reason: string };

const SEVERITY: Record<VesSeverity, AlarmSeverity> = {
  CRITICAL: 'critical', MAJOR: 'major', MINOR: 'minor', WARNING: 'warning', NORMAL: 'cleared',
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The events of a VES body: `{ event }`, `{ eventList: [...] }` (eventBatch), a bare event
 * (`{ commonEventHeader, … }`), or an array / NDJSON of any of these, flattened in order.
 * `errors` (broken NDJSON lines by record index) come back re-indexed to the flattened events.
 */
export function vesEventsOf(
  records: readonly unknown[],
  errors: ReadonlyMap<number, string> = new Map(),
): { events: unknown[]; errors: Map<number, string> } {
  const events: unknown[] = [];
  const flatErrors = new Map<number, string>();
  records.forEach((r, i) => {
    const bad = errors.get(i);
    if (bad !== undefined) {
      flatErrors.set(events.length, bad);
      events.push(r);
    } else if (isObject(r) && Array.isArray(r.eventList)) events.push(...r.eventList);
    else if (isObject(r) && 'event' in r) events.push(r.event);
    else events.push(r);
  });
  return { events, errors: flatErrors };
}

function alarmIdOf(sourceName: string, key: string): string {
  const id = `${sourceName}/${key}`;
  if (id.length <= 128) return id;
  // Keep ids within the alarm record's limit without merging two alarms into one.
  return `${sourceName.slice(0, 64)}/${createHash('sha256').update(id).digest('hex').slice(0, 40)}`;
}

function objectOf(sourceName: string, interfaceA: string | undefined, topology: Topology): { objectType: AlarmObjectType; objectId: string } {
  if (interfaceA && topology.cell(interfaceA)) return { objectType: 'cell', objectId: interfaceA };
  if (topology.cell(sourceName)) return { objectType: 'cell', objectId: sourceName };
  if (topology.site(sourceName)) return { objectType: 'site', objectId: sourceName };
  if (topology.transport(sourceName)) return { objectType: 'transport', objectId: sourceName };
  return { objectType: 'core', objectId: sourceName };
}

const MAX_TEXT = 4096;

/** Validates one VES event and maps a fault to an alarm record; anything else is a clear rejection. */
export function vesFaultToAlarmRecord(raw: unknown, topology: Topology, config: VesConfig): VesDecoded {
  if (!isObject(raw)) return { ok: false, error: 'event: expected an object with commonEventHeader', reason: 'not_object' };
  const h = commonEventHeaderSchema.safeParse(raw.commonEventHeader);
  if (!h.success) {
    return { ok: false, error: formatIssues(h.error.issues, raw.commonEventHeader, ['commonEventHeader']).join('; '), reason: issueKind(h.error.issues[0]!) };
  }
  const header = h.data;
  if (header.domain !== 'fault') {
    return {
      ok: false,
      error: `commonEventHeader.domain: "${header.domain}" events are not taken in (nocwatch reads VES "fault" events; ` +
        'send performance data as 3GPP PM XML files, line protocol or JSON)',
      reason: 'unsupported_domain',
    };
  }
  if (raw.faultFields === undefined) return { ok: false, error: 'faultFields: required for a fault event, missing', reason: 'invalid_type' };
  const f = faultFieldsSchema.safeParse(raw.faultFields);
  if (!f.success) {
    return { ok: false, error: formatIssues(f.error.issues, raw.faultFields, ['faultFields']).join('; '), reason: issueKind(f.error.issues[0]!) };
  }
  const fault = f.data;
  const t = Math.floor(header.lastEpochMicrosec / 1000);
  if (!(t >= MIN_EVENT_TIME && t <= MAX_EVENT_TIME)) {
    return {
      ok: false,
      error: `commonEventHeader.lastEpochMicrosec: ${header.lastEpochMicrosec} is not a time in microseconds between 2000 and 2100`,
      reason: 'invalid_value',
    };
  }
  const extra = fault.alarmAdditionalInformation
    ? Object.entries(fault.alarmAdditionalInformation).map(([k, v]) => `${k}=${v}`).join('; ')
    : '';
  const record: Record<string, unknown> = {
    alarmId: alarmIdOf(header.sourceName, config.alarmKey === 'eventId' ? header.eventId : fault.alarmCondition),
    ...objectOf(header.sourceName, fault.alarmInterfaceA, topology),
    severity: SEVERITY[fault.eventSeverity],
    probableCause: fault.alarmCondition,
    specificProblem: fault.specificProblem,
    eventTime: t,
    notificationId: `${header.eventId}:${header.sequence}`,
  };
  if (fault.eventCategory) record.alarmType = fault.eventCategory;
  const text = [fault.alarmInterfaceA ? `interface ${fault.alarmInterfaceA}` : '', extra].filter(Boolean).join('; ');
  if (text) record.additionalText = text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
  return { ok: true, record };
}
