/**
 * One line protocol write: parse, map to records, hand each feed's records to the ingest port in
 * line order, and collect every problem with its line number — what `POST /api/v2/write` and
 * `POST /write` answer with. Every rejected line also reaches the ingest service, so it is counted
 * and kept at /api/v1/rejects (by its 0-based line and its text) like any other bad record.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Feed } from '../../model/index.js';
import type { IngestResult } from '../../pipeline/ingest-port.js';
import type { RecordOrigins, UnfedReject, Unparsable } from '../../pipeline/ingest-service.js';
import type { LpPrecision } from './line-protocol.js';
import { feedOfMeasurement, lineProtocolRecord } from './line-protocol-records.js';
import { parseLineProtocolSlice, type LpCursor } from './parse-line-protocol.js';

/** Lines parsed between yields to the event loop (a few ms of work). */
const SLICE_POINTS = 2000;

/** Characters of a line quoted in an error message. */
const MESSAGE_CHARS = 200;

/** The `feed` that /api/v1/rejects and the rejected-records metric show for a line that names no feed. */
export const LP_UNFED_LABEL = 'line_protocol';

/** Metrics reason of a line that does not parse. */
const PARSE_REASON = 'invalid_line_protocol';

export interface LpLineProblem {
  /** 1-based line number in the body. */
  line: number;
  message: string;
  /** The line (cut at 200 characters). */
  text: string;
}

export interface LpWriteOutcome {
  /** Points accepted into the pipeline. */
  accepted: number;
  /** Points of measurements nocwatch does not read (Telegraf sends everything it collects). */
  ignored: number;
  /** Lines that could not be parsed or mapped, or whose record was rejected, in line order. */
  problems: LpLineProblem[];
}

/** Where the records go: IngestService (`acceptInSlices` for big bodies), or a fake in tests. */
export interface RecordSink {
  accept(
    feed: Feed, records: readonly unknown[], source?: string, unparsable?: ReadonlyMap<number, Unparsable>, origins?: RecordOrigins,
  ): IngestResult | Promise<IngestResult>;
  /** Keeps and counts lines that were rejected before any feed could take them. */
  rejectUnfed(label: string, rejects: readonly UnfedReject[]): void;
}

/** One feed's share of a write: its records (undefined for a rejected line) and the 1-based line of each. */
interface FeedBatch {
  records: unknown[];
  lines: number[];
  /** Lines rejected before decoding, by batch index, with their error. */
  unparsable: Map<number, Unparsable>;
  /** Batch indexes whose problem the parser already listed. */
  parseErrors: Set<number>;
}

/**
 * Parses and ingests a write body. Throws what `sink.accept` throws (OverloadedError → 503); the
 * feeds are accepted one after the other, so a write mixing feeds can be refused after an earlier
 * feed of it was accepted. `nowMs` is the time given to points without a timestamp.
 */
export async function ingestLineProtocol(
  body: string,
  precision: LpPrecision,
  sink: RecordSink,
  nowMs: number,
  source = 'line-protocol',
): Promise<LpWriteOutcome> {
  const problems: LpLineProblem[] = [];
  const byFeed = new Map<Feed, FeedBatch>();
  const batchOf = (feed: Feed): FeedBatch => {
    let batch = byFeed.get(feed);
    if (!batch) byFeed.set(feed, (batch = { records: [], lines: [], unparsable: new Map(), parseErrors: new Set() }));
    return batch;
  };
  const lines = new BodyLines(body);
  const unfed: UnfedReject[] = [];
  let ignored = 0;
  // A big write is parsed a slice of lines at a time, yielding between slices, so one request
  // cannot stall the others (a 6 MB body is ~0.7 s of parsing).
  let cursor: LpCursor | null = { pos: 0, line: 1 };
  while (cursor) {
    if (cursor.pos > 0) await yieldToLoop();
    const slice = parseLineProtocolSlice(body, precision, cursor, SLICE_POINTS);
    cursor = slice.next;
    for (const e of slice.errors) {
      const message = `${e.message} (column ${e.column})`;
      problems.push({ line: e.line, message, text: e.text });
      // A broken line of a measurement nocwatch reads counts against that feed; any other has none.
      const feed = feedOfMeasurement(measurementOf(e.text));
      if (feed === undefined) {
        unfed.push({ index: e.line - 1, error: message, reason: PARSE_REASON, text: lines.text(e.line) });
        continue;
      }
      const batch = batchOf(feed);
      batch.parseErrors.add(batch.records.length);
      batch.unparsable.set(batch.records.length, { error: message, reason: PARSE_REASON });
      batch.records.push(undefined);
      batch.lines.push(e.line);
    }
    for (const p of slice.points) {
      const r = lineProtocolRecord(p, nowMs);
      if (r.kind === 'ignored') {
        ignored++;
        continue;
      }
      const batch = batchOf(r.feed);
      if (r.kind === 'error') batch.unparsable.set(batch.records.length, { error: r.message, reason: r.reason });
      batch.records.push(r.kind === 'record' ? r.record : undefined);
      batch.lines.push(p.line);
    }
  }
  let accepted = 0;
  for (const [feed, batch] of byFeed) {
    const origins: RecordOrigins = { index: (i) => batch.lines[i]! - 1, text: (i) => lines.text(batch.lines[i]!) };
    const result = await sink.accept(feed, batch.records, source, batch.unparsable, origins);
    accepted += result.accepted;
    for (const rej of result.rejected) {
      if (batch.parseErrors.has(rej.index)) continue;
      const line = batch.lines[rej.index]!;
      problems.push({ line, message: rej.error, text: lines.text(line, MESSAGE_CHARS) });
    }
  }
  // After the feeds: a write refused with 503 is retried whole, and its broken lines counted then.
  sink.rejectUnfed(LP_UNFED_LABEL, unfed);
  problems.sort((a, b) => a.line - b.line);
  return { accepted, ignored, problems };
}

/** The measurement a line starts with (up to the first unescaped comma or space), for a line that did not parse. */
function measurementOf(text: string): string {
  const m = /^((?:[^\\, ]|\\.)*)/.exec(text);
  return (m?.[1] ?? '').replace(/\\(.)/g, '$1');
}

/**
 * The lines of a body by 1-based number, for messages and stored rejects. The line starts are
 * found once, on first use, so a write with many bad lines costs one pass, not one per bad line.
 */
class BodyLines {
  private starts: number[] | null = null;

  constructor(private readonly body: string) {}

  text(line: number, maxChars = Infinity): string {
    const body = this.body;
    if (!this.starts) {
      const starts = [0];
      for (let nl = body.indexOf('\n'); nl >= 0; nl = body.indexOf('\n', nl + 1)) starts.push(nl + 1);
      this.starts = starts;
    }
    const start = this.starts[line - 1];
    if (start === undefined) return '';
    let end = body.indexOf('\n', start);
    if (end < 0) end = body.length;
    if (body.charCodeAt(end - 1) === 13) end--;
    return body.slice(start, Math.min(end, start + maxChars));
  }
}

/** At most this many line problems are spelled out in an error message (as InfluxDB does). */
const MAX_LISTED = 100;

/**
 * InfluxDB v2's error body for a write with bad lines (400): `code` "invalid", `line` = the first
 * bad line, `message` one line per problem. Telegraf logs the message and drops the batch, which
 * is right: the good lines were accepted and must not be sent again.
 */
export function influxV2WriteError(o: LpWriteOutcome): { code: 'invalid'; line: number; message: string } {
  const listed = o.problems.slice(0, MAX_LISTED).map((p) => `line ${p.line}: ${p.message}: '${p.text}'`);
  const more = o.problems.length > MAX_LISTED ? `\n… and ${o.problems.length - MAX_LISTED} more` : '';
  return {
    code: 'invalid',
    line: o.problems[0].line,
    message: `partial write: ${o.problems.length} line(s) rejected, ${o.accepted} point(s) accepted\n${listed.join('\n')}${more}`,
  };
}

/** InfluxDB 1.x's error body for the same (`{"error": "partial write: …"}`). */
export function influxV1WriteError(o: LpWriteOutcome): { error: string } {
  const listed = o.problems.slice(0, MAX_LISTED).map((p) => `unable to parse '${p.text}' (line ${p.line}): ${p.message}`);
  return { error: `partial write: ${listed.join('\n')} dropped=${o.problems.length}` };
}
