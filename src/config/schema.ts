/**
 * The root configuration: composed from each component's own schema. Unknown keys anywhere are
 * errors (every component schema is strict), and every field has a default, so `{}` is a valid
 * configuration.
 */
import { z } from 'zod';
import { authConfigSchema, serverConfigSchema } from '../api/config.js';
import { collectorsConfigSchema } from '../collectors/config.js';
import { dashboardConfigSchema } from '../dashboard/config.js';
import { detectorsConfigSchema } from '../detectors/config.js';
import { incidentsConfigSchema } from '../incidents/config.js';
import { inventoryConfigSchema } from '../inventory/config.js';
import { pipelineConfigSchema } from '../pipeline/config.js';
import { simulatorConfigSchema } from '../simulator/config.js';
import { storeConfigSchema } from '../store/store.js';
import { historyOutputsConfigSchema } from '../outputs/influx/config.js';
import { logConfigSchema } from '../telemetry/config.js';
import { ticketsConfigSchema } from '../tickets/config.js';
import { ticketingConfigSchema } from '../outputs/ticketing/config.js';
import { evaluationConfigSchema } from '../evaluation/config.js';
import { triageConfigSchema } from '../triage/config.js';

export const configSchema = z.strictObject({
  server: serverConfigSchema.prefault({}),
  auth: authConfigSchema.prefault({}),
  /** Directory for the SQLite file and other durable state. */
  dataDir: z.string().min(1).default('./data'),
  log: logConfigSchema.prefault({}),
  store: storeConfigSchema.prefault({}),
  inventory: inventoryConfigSchema.prefault({}),
  pipeline: pipelineConfigSchema.prefault({}),
  dashboard: dashboardConfigSchema.prefault({}),
  detectors: detectorsConfigSchema.prefault({}),
  /** Ticket life cycle: SLA, routing, verification, callbacks, audit. */
  tickets: ticketsConfigSchema.prefault({}),
  /** Delivery of ticket versions to the ticketing system (outbox worker and adapter). */
  ticketing: ticketingConfigSchema.prefault({}),
  /** The process KPIs' Prometheus gauges. */
  evaluation: evaluationConfigSchema.prefault({}),
  incidents: incidentsConfigSchema.prefault({}),
  triage: triageConfigSchema.prefault({}),
  collectors: collectorsConfigSchema.prefault({}),
  /** Where history is written (InfluxDB). */
  history: historyOutputsConfigSchema.prefault({}),
  /** The built-in simulated network (the demo). */
  simulator: simulatorConfigSchema.prefault({}),
});
export type Config = z.infer<typeof configSchema>;
