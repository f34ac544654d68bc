/** Dashboard settings: how often the hub flushes, how much it keeps for resuming, slow clients. */
import { z } from 'zod';

export const dashboardConfigSchema = z.strictObject({
  /** Serve the page at `/` and the stream at `/ws`. */
  enabled: z.boolean().default(true),
  /** Deltas are coalesced over this interval: a storm of cell changes becomes one message. */
  flushIntervalMs: z.number().int().min(50).max(10_000).default(100),
  /** How often the process-KPI tiles are recomputed and sent. */
  kpiIntervalMs: z.number().int().min(500).max(600_000).default(5_000),
  /** How often feed health is sent. */
  feedIntervalMs: z.number().int().min(250).max(60_000).default(2_000),
  /** Points kept per KPI tile sparkline. */
  kpiHistoryPoints: z.number().int().min(2).max(10_000).default(120),
  /** Event time between two sparkline points (the newest point follows every sample in between). */
  kpiTrendStepS: z.number().int().min(1).max(86_400).default(900),
  /** Delta messages kept so a reconnecting client can resume; older resumes get a snapshot. */
  resumeMessages: z.number().int().min(0).max(100_000).default(1_000),
  /** Bytes of delta messages kept for resuming (whichever limit is hit first). */
  resumeBytes: z.number().int().min(0).max(1024 * 1024 * 1024).default(16 * 1024 * 1024),
  /** A client with more than this many bytes unsent is skipped until it drains (then re-snapshot). */
  slowClientBytes: z.number().int().min(16 * 1024).max(1024 * 1024 * 1024).default(4 * 1024 * 1024),
  /** A client that stays over `slowClientBytes` this long is disconnected. */
  slowClientMaxMs: z.number().int().min(1_000).max(3_600_000).default(30_000),
  /** Ping interval; a client that has not answered the previous ping is disconnected. */
  pingIntervalMs: z.number().int().min(1_000).max(600_000).default(15_000),
  /** Recent complaints in the ticker (snapshot size). */
  recentComplaints: z.number().int().min(1).max(10_000).default(100),
  /** A feed with no record for this long is shown as stale. */
  staleFeedS: z.number().int().min(10).max(86_400).default(300),
  /** Largest number of simultaneous WebSocket clients. */
  maxClients: z.number().int().min(1).max(100_000).default(500),
});
export type DashboardConfig = z.infer<typeof dashboardConfigSchema>;
