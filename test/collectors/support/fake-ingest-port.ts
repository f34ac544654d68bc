/**
 * An in-memory ingest port for collector tests: decodes records with the real RecordDecoder (as
 * IngestService does, with the default KPI formulas), keeps the events it accepted, and can be told
 * to be overloaded.
 */
import { RecordDecoder } from '../../../src/collectors/json-records.js';
import { computeKpis } from '../../../src/collectors/kpi-formulas.js';
import { BatchTooLargeError, OverloadedError } from '../../../src/errors.js';
import { Inventory } from '../../../src/inventory/inventory.js';
import type { Feed, NetworkEvent } from '../../../src/model/index.js';
import type { IngestPort, IngestResult } from '../../../src/pipeline/ingest-port.js';
import type { UnfedReject, Unparsable } from '../../../src/pipeline/ingest-service.js';

export class FakeIngestPort implements IngestPort {
  readonly events: Array<{ feed: Feed; event: NetworkEvent; source?: string }> = [];
  /** The next N calls throw OverloadedError before accepting anything. */
  overloadedFor = 0;
  /** Calls with more records than this throw BatchTooLargeError (413), as over pipeline.queueLimit. */
  queueLimit = Infinity;
  calls = 0;
  /** Lines rejected before they reached a feed, with the label they were kept under. */
  readonly unfed: Array<UnfedReject & { label: string }> = [];
  private readonly decoder = new RecordDecoder({ topology: new Inventory(), countersToKpis: (c, period) => computeKpis(c, {}, period) });

  accept(feed: Feed, records: readonly unknown[], source?: string, unparsable?: ReadonlyMap<number, Unparsable>): IngestResult {
    this.admit(records.length);
    const rejected: IngestResult['rejected'] = [];
    records.forEach((record, index) => {
      const bad = unparsable?.get(index);
      const d = bad === undefined ? this.decoder.decode(feed, record) : { ok: false as const, error: typeof bad === 'string' ? bad : bad.error };
      if (d.ok) this.events.push({ feed, event: d.event, source });
      else rejected.push({ index, error: d.error });
    });
    return { accepted: records.length - rejected.length, rejected };
  }

  rejectUnfed(label: string, rejects: readonly UnfedReject[]): void {
    for (const r of rejects) this.unfed.push({ ...r, label });
  }

  acceptEvents(feed: Feed, events: readonly NetworkEvent[], source?: string): IngestResult {
    this.admit(events.length);
    for (const event of events) this.events.push({ feed, event, source });
    return { accepted: events.length, rejected: [] };
  }

  private admit(count: number): void {
    this.calls++;
    if (count > this.queueLimit) throw new BatchTooLargeError(count, this.queueLimit);
    if (this.overloadedFor > 0) {
      this.overloadedFor--;
      throw new OverloadedError(1, 'queue full');
    }
  }
}
