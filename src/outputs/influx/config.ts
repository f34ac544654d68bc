/**
 * History in InfluxDB (`history.influx`): where raw KPI samples, anomaly transitions and incident
 * and ticket changes are written, and how the writer batches, retries and bounds its buffer.
 * Off while `url` is empty.
 */
import { z } from 'zod';

export const influxHistoryConfigSchema = z.strictObject({
  /** Base URL of a server speaking the InfluxDB v2 write API (InfluxDB 2.x/3.x, VictoriaMetrics…); empty = off. */
  url: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL, or "" to turn history off' })]).default(''),
  /** API token (`Authorization: Token …`); may be empty for servers without auth. */
  token: z.string().default(''),
  org: z.string().default('nocwatch'),
  bucket: z.string().min(1).default('nocwatch'),
  /** Lines per write request. */
  batchSize: z.number().int().min(1).max(100_000).default(5_000),
  /** A partial batch is written after this long. */
  flushIntervalMs: z.number().int().min(10).max(600_000).default(1_000),
  /** Points held while the server is slow or down; beyond this the oldest are dropped (and counted). */
  maxBufferedPoints: z.number().int().min(1).max(10_000_000).default(200_000),
  /** Retry delays grow from min to max (with jitter) while the server keeps failing. */
  minRetryDelayMs: z.number().int().min(1).max(600_000).default(1_000),
  maxRetryDelayMs: z.number().int().min(1).max(3_600_000).default(60_000),
  /** Per-request timeout. */
  timeoutMs: z.number().int().min(100).max(600_000).default(10_000),
  /** Which outputs to write. */
  write: z.strictObject({
    kpis: z.boolean().default(true),
    anomalies: z.boolean().default(true),
    incidents: z.boolean().default(true),
    tickets: z.boolean().default(true),
  }).prefault({}),
});
export type InfluxHistoryConfig = z.output<typeof influxHistoryConfigSchema>;

export const historyOutputsConfigSchema = z.strictObject({
  influx: influxHistoryConfigSchema.prefault({}),
});
export type HistoryOutputsConfig = z.output<typeof historyOutputsConfigSchema>;
