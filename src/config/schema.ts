/**
 * The root configuration: composed from each component's own schema. Unknown keys anywhere are
 * errors (every component schema is strict), and every field has a default, so `{}` is a valid
 * configuration.
 */
import { z } from 'zod';
import { dashboardConfigSchema } from '../dashboard/config.js';
import { authConfigSchema, serverConfigSchema } from '../api/config.js';
import { inventoryConfigSchema } from '../inventory/config.js';
import { pipelineConfigSchema } from '../pipeline/config.js';
import { storeConfigSchema } from '../store/store.js';
import { logConfigSchema } from '../telemetry/config.js';

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
});
export type Config = z.infer<typeof configSchema>;
