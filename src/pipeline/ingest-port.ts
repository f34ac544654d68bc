/**
 * How records enter the pipeline: the HTTP routes, the built-in simulator and the file collectors
 * all call `IngestPort.accept`, so every source gets the same validation, rejection and backpressure.
 */
import type { Feed, NetworkEvent } from '../model/index.js';

export interface Rejection {
  /** Index of the record in the submitted batch (0-based). */
  index: number;
  /** Readable reason, starting with the field path: `kpis.rrc_setup_success_rate: expected number, received "x"`. */
  error: string;
}

export interface IngestResult {
  accepted: number;
  rejected: Rejection[];
  /** Complaints whose complaintId was already known: accepted again, stored once. */
  duplicates?: number;
}

export interface IngestPort {
  /**
   * Validates raw records (parsed JSON) of one feed, stores complaints durably, and enqueues the
   * normalised events in order. Throws `OverloadedError` (→ 503 + Retry-After) before accepting
   * anything when the batch would take the queue over its limit.
   */
  accept(feed: Feed, records: readonly unknown[], source?: string, unparsable?: ReadonlyMap<number, string>): IngestResult;
  /**
   * Enqueues events that a collector has already parsed and validated (PM XML, line protocol, VES).
   * Same ordering and backpressure as `accept`.
   */
  acceptEvents(feed: Feed, events: readonly NetworkEvent[], source?: string): IngestResult;
}
