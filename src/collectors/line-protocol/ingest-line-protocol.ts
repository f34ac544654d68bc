/**
 * One line protocol write: parse, map to records, hand each feed's records to the ingest port in
 * line order, and collect every problem with its line number — what `POST /api/v2/write` and
 * `POST /write` answer with.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Feed } from '../../model/index.js';
import type { IngestResult } from '../../pipeline/ingest-port.js';
import type { LpPrecision } from './line-protocol.js';
import { lineProtocolRecord } from './line-protocol-records.js';
import { parseLineProtocolSlice, type LpCursor } from './parse-line-protocol.js';

/** Lines parsed between yields to the event loop (a few ms of work). */
const SLICE_POINTS = 2000;

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

/** Where the records go: `IngestPort.accept`, or IngestService's sliced variant for big bodies. */
export interface RecordSink {
  accept(feed: Feed, records: readonly unknown[], source?: string): IngestResult | Promise<IngestResult>;
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
  const byFeed = new Map<Feed, { records: unknown[]; lines: number[] }>();
  let ignored = 0;
  // A big write is parsed a slice of lines at a time, yielding between slices, so one request
  // cannot stall the others (a 6 MB body is ~0.7 s of parsing).
  let cursor: LpCursor | null = { pos: 0, line: 1 };
  while (cursor) {
    if (cursor.pos > 0) await yieldToLoop();
    const slice = parseLineProtocolSlice(body, precision, cursor, SLICE_POINTS);
    cursor = slice.next;
    for (const e of slice.errors) problems.push({ line: e.line, message: `${e.message} (column ${e.column})`, text: e.text });
    for (const p of slice.points) {
      const r = lineProtocolRecord(p, nowMs);
      if (r.kind === 'ignored') ignored++;
      else if (r.kind === 'error') problems.push({ line: p.line, message: r.message, text: lineText(body, p.line) });
      else {
        let batch = byFeed.get(r.feed);
        if (!batch) byFeed.set(r.feed, (batch = { records: [], lines: [] }));
        batch.records.push(r.record);
        batch.lines.push(p.line);
      }
    }
  }
  let accepted = 0;
  for (const [feed, batch] of byFeed) {
    const result = await sink.accept(feed, batch.records, source);
    accepted += result.accepted;
    for (const rej of result.rejected) {
      const line = batch.lines[rej.index];
      problems.push({ line, message: rej.error, text: lineText(body, line) });
    }
  }
  problems.sort((a, b) => a.line - b.line);
  return { accepted, ignored, problems };
}

/** The text of a 1-based line, for messages; only called for lines with a problem. */
function lineText(body: string, line: number): string {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const nl = body.indexOf('\n', start);
    if (nl < 0) return '';
    start = nl + 1;
  }
  let end = body.indexOf('\n', start);
  if (end < 0) end = body.length;
  if (body.charCodeAt(end - 1) === 13) end--;
  return body.slice(start, Math.min(end, start + 200));
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
