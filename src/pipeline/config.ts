/** Ingest queue and event-time settings. */
import { z } from 'zod';

export const pipelineConfigSchema = z.strictObject({
  /** Records accepted but not yet processed above which ingest answers 503 + Retry-After. */
  queueLimit: z.number().int().min(100).max(50_000_000).default(500_000),
  /** Retry-After seconds suggested with a 503. */
  retryAfterS: z.number().int().min(1).max(3600).default(2),
  /**
   * Largest number of events processed in one batch (one store transaction). A batch runs without
   * yielding, so this bounds how long the event loop is busy: ~5000 PM records is tens of ms.
   */
  maxBatchEvents: z.number().int().min(1).max(1_000_000).default(5_000),
  /**
   * Wall time a batch aims to take (0: off): batches shrink below `maxBatchEvents` when the last
   * ones cost more per event — a busy or shared CPU, records with many KPIs — so the event loop is
   * never held much longer than this and the API, dashboard and /healthz keep answering.
   */
  batchTargetMs: z.number().int().min(0).max(10_000).default(30),
  /** How far behind the watermark (the newest event time) an event may be before it counts as late. */
  allowedLatenessS: z.number().int().min(0).max(86_400).default(600),
  /** Within a batch, the stages are advanced each time the watermark moves this far (event time). */
  advanceStepS: z.number().int().min(1).max(3600).default(60),
  /** Records with an event time further ahead of this server's clock are rejected (0 = no limit). */
  maxFutureS: z.number().int().min(0).default(86_400),
  /**
   * Wall-time interval between detector checkpoints (and one at shutdown). A save copies the whole
   * detector state at once (about 0.1 s per 100 MB) and writes it in the background.
   */
  checkpointIntervalS: z.number().int().min(5).max(86_400).default(300),
});
export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;
