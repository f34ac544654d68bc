/** Configuration of the evaluate step's Prometheus gauges. */
import { z } from 'zod';

export const evaluationConfigSchema = z.strictObject({
  /** The gauges cover this many days of event time, up to the watermark. */
  windowDays: z.number().int().min(1).max(365).default(7),
  /** Recompute the gauges at most this often (seconds of wall time); scrapes in between reuse them. */
  refreshS: z.number().int().min(0).max(3600).default(30),
});
export type EvaluationConfig = z.infer<typeof evaluationConfigSchema>;
