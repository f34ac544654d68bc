/**
 * ONAP VES 7.2 events (Common Event Format 30.2.1): the fields the schema requires of
 * `commonEventHeader` and `faultFields`, checked with their types and enumerations. Fields the
 * schema does not know are tolerated (agents add vendor extras); nocwatch reads only `fault`.
 */
import { z } from 'zod';

export const VES_DOMAINS = [
  'fault', 'heartbeat', 'measurement', 'mobileFlow', 'notification', 'other', 'perf3gpp', 'pnfRegistration',
  'sipSignaling', 'stateChange', 'stndDefined', 'syslog', 'thresholdCrossingAlert', 'voiceQuality',
] as const;

export const VES_SEVERITIES = ['CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'NORMAL'] as const;
export type VesSeverity = (typeof VES_SEVERITIES)[number];

const str = z.string().max(1024);

export const commonEventHeaderSchema = z.object({
  domain: z.enum(VES_DOMAINS),
  eventId: str.min(1),
  eventName: str.min(1),
  eventType: str.optional(),
  lastEpochMicrosec: z.number().finite(),
  nfcNamingCode: str.optional(),
  nfNamingCode: str.optional(),
  nfVendorName: str.optional(),
  priority: z.enum(['High', 'Medium', 'Normal', 'Low']),
  reportingEntityId: str.optional(),
  reportingEntityName: str,
  sequence: z.number().int(),
  sourceId: str.optional(),
  sourceName: str.min(1).max(128),
  startEpochMicrosec: z.number().finite(),
  timeZoneOffset: str.optional(),
  version: z.enum(['4.0', '4.0.1', '4.1']),
  vesEventListenerVersion: z.enum(['7.0', '7.0.1', '7.1', '7.1.1', '7.2', '7.2.1']),
});
export type CommonEventHeader = z.output<typeof commonEventHeaderSchema>;

export const faultFieldsSchema = z.object({
  alarmAdditionalInformation: z.record(z.string(), z.string()).optional(),
  alarmCondition: str.min(1).max(256),
  alarmInterfaceA: str.optional(),
  eventCategory: str.optional(),
  eventSeverity: z.enum(VES_SEVERITIES),
  eventSourceType: str,
  faultFieldsVersion: z.literal('4.0'),
  specificProblem: str,
  vfStatus: z.enum(['Active', 'Idle', 'Preparing to terminate', 'Ready to terminate', 'Requesting termination']),
});
export type FaultFields = z.output<typeof faultFieldsSchema>;

/** A fault event after validation. */
export interface VesFaultEvent {
  commonEventHeader: CommonEventHeader;
  faultFields: FaultFields;
}
