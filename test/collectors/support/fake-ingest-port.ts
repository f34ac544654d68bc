/**
 * An in-memory IngestPort for collector tests: validates records with the model's record schemas
 * (as the real ingest does), keeps what it accepted, and can be told to be overloaded.
 */
import type { z } from 'zod';
import {
  alarmRecordSchema, complaintRecordSchema, dialTestRecordSchema, pmRecordSchema, signalingRecordSchema,
  type Feed, type NetworkEvent,
} from '../../../src/model/index.js';
import type { IngestPort, IngestResult } from '../../../src/pipeline/ingest-port.js';

const SCHEMAS: Record<Feed, z.ZodType> = {
  pm: pmRecordSchema,
  alarms: alarmRecordSchema,
  dialtest: dialTestRecordSchema,
  signaling: signalingRecordSchema,
  complaints: complaintRecordSchema,
};

/** Thrown when `overloadedFor` is > 0, shaped like the foundation's OverloadedError. */
export class FakeOverloadedError extends Error {
  readonly code = 'NOCWATCH_ERR_OVERLOADED';
  readonly status = 503;
  readonly retryable = true;
  readonly retryAfterS = 1;
}

export class FakeIngestPort implements IngestPort {
  readonly records: Array<{ feed: Feed; record: unknown; source?: string }> = [];
  readonly events: Array<{ feed: Feed; event: NetworkEvent; source?: string }> = [];
  /** The next N calls throw FakeOverloadedError before accepting anything. */
  overloadedFor = 0;
  calls = 0;

  accept(feed: Feed, records: readonly unknown[], source?: string): IngestResult {
    this.calls++;
    if (this.overloadedFor > 0) {
      this.overloadedFor--;
      throw new FakeOverloadedError('queue full');
    }
    const rejected: IngestResult['rejected'] = [];
    records.forEach((record, index) => {
      const r = SCHEMAS[feed].safeParse(record);
      if (r.success) this.records.push({ feed, record: r.data, source });
      else rejected.push({ index, error: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    });
    return { accepted: records.length - rejected.length, rejected };
  }

  acceptEvents(feed: Feed, events: readonly NetworkEvent[], source?: string): IngestResult {
    this.calls++;
    if (this.overloadedFor > 0) {
      this.overloadedFor--;
      throw new FakeOverloadedError('queue full');
    }
    for (const event of events) this.events.push({ feed, event, source });
    return { accepted: events.length, rejected: [] };
  }
}
