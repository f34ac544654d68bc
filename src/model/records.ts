/**
 * The ingest records of API.md as zod schemas. Each schema validates one record and transforms it
 * into its normalised event (see events.ts): times become epoch milliseconds, optional parts default.
 * Unknown fields in a record are ignored (real feeds carry extras); wrong types are rejected.
 */
import { z } from 'zod';
import { zTime } from './time.js';

/** Keys that would reach Object.prototype if copied into a plain object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
export const zName = z
  .string()
  .min(1)
  .max(128)
  .refine((k) => !FORBIDDEN_KEYS.has(k), { message: 'reserved name' });
const zId = z.string().min(1).max(128);
const zCount = z.number().int().min(0).max(1e12);
const zNullableNumber = z.number().finite().nullable().optional();
/** A number map (KPIs, counters, attempts); null values mean "no value" and are dropped. */
const zNumberMap = z
  .record(zName, z.number().finite().nullable())
  .refine((m) => Object.keys(m).length <= 2000, { message: 'more than 2000 entries' })
  .transform((m) => {
    const out: Record<string, number> = Object.create(null);
    for (const k of Object.keys(m)) if (m[k] !== null) out[k] = m[k] as number;
    return out;
  });

export const ALARM_OBJECT_TYPES = ['cell', 'site', 'transport', 'core'] as const;
export type AlarmObjectType = (typeof ALARM_OBJECT_TYPES)[number];
export const ALARM_SEVERITIES = ['critical', 'major', 'minor', 'warning', 'indeterminate', 'cleared'] as const;
export type AlarmSeverity = (typeof ALARM_SEVERITIES)[number];
export const DIALTEST_SERVICES = ['voice', 'data_http', 'video', 'ping', 'dns', 'sms'] as const;
export type DialTestService = (typeof DIALTEST_SERVICES)[number];
export const SIGNALING_PROCEDURES = [
  'attach', 'tau', 'service_request', 'paging', 'pdn_connect', 'handover',
  'volte_call_setup', 'volte_call_drop', 'registration', 'pdu_session',
] as const;
export type SignalingProcedure = (typeof SIGNALING_PROCEDURES)[number];
export const COMPLAINT_CHANNELS = [
  'hotline', 'retail', 'online', 'app', 'staff', 'enterprise_manager', 'quality_supervisor', 'regulator',
] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];
export const CUSTOMER_CLASSES = ['vip_diamond', 'vip_gold', 'vip_silver', 'enterprise', 'regular'] as const;
export type CustomerClass = (typeof CUSTOMER_CLASSES)[number];
export const COMPLAINT_CATEGORIES = [
  'no_coverage', 'weak_signal', 'call_drop', 'call_failure', 'slow_data', 'no_data', 'voice_quality', 'other',
] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

/** `POST /api/v1/ingest/pm`: one record per cell per period. `time` is the end of the period. */
export const pmRecordSchema = z
  .object({
    cellId: zId,
    time: zTime,
    period: z.number().int().min(1).max(86_400).default(900),
    kpis: zNumberMap.optional(),
    counters: zNumberMap.optional(),
    attempts: zNumberMap.optional(),
    suspect: z.boolean().optional(),
  })
  .refine((r) => r.kpis !== undefined || r.counters !== undefined, {
    message: 'a PM record needs kpis or counters',
  });
export type PmRecord = z.output<typeof pmRecordSchema>;

/** `POST /api/v1/ingest/alarms`: X.733-style raise or clear. */
export const alarmRecordSchema = z.object({
  alarmId: zId,
  objectType: z.enum(ALARM_OBJECT_TYPES),
  objectId: zId,
  severity: z.enum(ALARM_SEVERITIES),
  probableCause: z.string().min(1).max(256),
  specificProblem: z.string().max(1024).optional(),
  alarmType: z.string().max(128).optional(),
  additionalText: z.string().max(4096).optional(),
  notificationId: z.union([z.string().max(128), z.number()]).optional(),
  eventTime: zTime,
});
export type AlarmRecord = z.output<typeof alarmRecordSchema>;

/** `POST /api/v1/ingest/dialtest`: one active-probe test result, located by cell or lat/lon. */
export const dialTestRecordSchema = z
  .object({
    testId: zId,
    probeId: zId,
    service: z.enum(DIALTEST_SERVICES),
    time: zTime,
    cellId: zId.optional(),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
    success: z.boolean(),
    setupMs: zNullableNumber,
    latencyMs: zNullableNumber,
    throughputKbps: zNullableNumber,
    mos: zNullableNumber,
    failureCause: z.string().max(256).nullable().optional(),
  })
  .refine((r) => r.cellId !== undefined || (r.lat !== undefined && r.lon !== undefined), {
    message: 'a dial test needs cellId, or lat and lon',
  });
export type DialTestRecord = z.output<typeof dialTestRecordSchema>;

/** `POST /api/v1/ingest/signaling`: per cell, period and procedure aggregate. */
export const signalingRecordSchema = z
  .object({
    cellId: zId,
    time: zTime,
    period: z.number().int().min(1).max(86_400).default(300),
    procedure: z.enum(SIGNALING_PROCEDURES),
    attempts: zCount,
    failures: zCount,
    affectedSubscribers: zCount.optional(),
    topCause: z.string().max(256).nullable().optional(),
  })
  .refine((r) => r.failures <= r.attempts, { message: 'failures exceed attempts', path: ['failures'] });
export type SignalingRecord = z.output<typeof signalingRecordSchema>;

/** Where a complaint comes from: a cell, a point, or only a district. */
export const complaintLocationSchema = z.union([
  z.object({ cellId: zId }),
  z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }),
  z.object({ district: zId }),
], { error: 'location needs cellId, or lat and lon, or district' });
export type ComplaintLocation = { cellId?: string; lat?: number; lon?: number; district?: string };

/** `POST /api/v1/ingest/complaints`: one complaint from any channel; idempotent by complaintId. */
export const complaintRecordSchema = z.object({
  complaintId: zId,
  channel: z.enum(COMPLAINT_CHANNELS),
  receivedAt: zTime,
  customer: z.object({ id: zId, class: z.enum(CUSTOMER_CLASSES) }),
  category: z.enum(COMPLAINT_CATEGORIES),
  location: complaintLocationSchema,
  description: z.string().max(4000).optional(),
});
export type ComplaintRecord = z.output<typeof complaintRecordSchema>;
