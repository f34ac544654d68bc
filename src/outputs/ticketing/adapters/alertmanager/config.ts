/** Prometheus Alertmanager target: tickets become alerts on `POST /api/v2/alerts`. */
import { z } from 'zod';
import { targetBase } from '../../http-auth.js';

export const alertmanagerTargetSchema = z.strictObject({
  kind: z.literal('alertmanager'),
  ...targetBase,
  /** The `alertname` label, the handle routes match on. */
  alertname: z.string().min(1).default('NocwatchTicket'),
  /** Labels added to every alert (e.g. `{ team: "noc" }`). */
  extraLabels: z.record(z.string(), z.string()).default({}),
  /** An open ticket's alert stays firing this long unless a newer version is pushed (seconds). */
  activeForS: z.number().int().min(60).default(30 * 24 * 3600),
  /** Link back to nocwatch in `generatorURL`, e.g. `http://noc-host:8080`. */
  publicUrl: z.url().nullable().default(null),
});
export type AlertmanagerTarget = z.infer<typeof alertmanagerTargetSchema>;
