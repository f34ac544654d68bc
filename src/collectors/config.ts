/**
 * Configuration of the collectors (`collectors:` in the config file): the counter → KPI formulas
 * shared by every source of counters, the PM XML directory watcher, and the VES mapping.
 */
import { z } from 'zod';
import { kpiFormulasConfigSchema } from './kpi-formulas.js';
import { ldnMappingConfigSchema, zRegex } from './pm-xml/ldn-mapper.js';

export const pmXmlConfigSchema = z.strictObject({
  /** Directory the OSS drops files into; empty = the collector is off. `done/` and `failed/` are made inside it. */
  dir: z.string().default(''),
  /** How often the directory is listed. */
  pollIntervalMs: z.number().int().min(10).max(3_600_000).default(5_000),
  /** A file is read only once its size and mtime held still for a whole poll and it is at least this old. */
  settleMs: z.number().int().min(0).max(3_600_000).default(10_000),
  /** Which file names are PM files (case-insensitive); others (.tmp, .part, …) are left alone. */
  include: zRegex.default('\\.xml(\\.gz)?$'),
  /** Events handed to the pipeline at a time. */
  chunkEvents: z.number().int().min(1).max(100_000).default(2_000),
  /** Largest (uncompressed) file accepted. */
  maxFileBytes: z.number().int().min(1024).default(1024 * 1024 * 1024),
  /** measObjLdn → cellId. */
  ldn: ldnMappingConfigSchema.prefault({}),
  /** How long the record of a processed file name is kept (a file of the same name is refused meanwhile). */
  retentionDays: z.number().int().min(1).max(3650).default(30),
});
export type PmXmlConfig = z.output<typeof pmXmlConfigSchema>;

export const vesConfigSchema = z.strictObject({
  /**
   * What identifies an alarm across raise and clear, together with sourceName. `eventId`: VES 7
   * says a fault keeps its eventId through changes and its clear (ONAP's practice); `alarmCondition`:
   * for sources that send a new eventId with every notification.
   */
  alarmKey: z.enum(['eventId', 'alarmCondition']).default('eventId'),
});
export type VesConfig = z.output<typeof vesConfigSchema>;

export const collectorsConfigSchema = z.strictObject({
  /** Counter → KPI formulas over the built-in ones (see README "Real feed formats and history"). */
  kpiFormulas: kpiFormulasConfigSchema,
  pmXml: pmXmlConfigSchema.prefault({}),
  ves: vesConfigSchema.prefault({}),
});
export type CollectorsConfig = z.output<typeof collectorsConfigSchema>;
