/**
 * Request bodies of the ingest endpoints: a JSON object, a JSON array, or NDJSON (one object per
 * line). A broken NDJSON line spoils only its own record. NDJSON is parsed by the route, a slice of
 * lines at a time with the event loop free in between, so a big body does not stall other requests.
 */
import secureJson from 'secure-json-parse';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { UnparsedText } from '../store/reject-store.js';

/** An NDJSON body as received (`application/x-ndjson`), parsed later by `recordsOf`. */
export class NdjsonText {
  constructor(readonly text: string) {}
}

/** A `text/plain` body (line protocol, or NDJSON from a client that does not label it). */
export class TextBody {
  constructor(readonly text: string) {}
}

const POISON_OPTIONS = { protoAction: 'remove', constructorAction: 'remove' } as const;

/**
 * JSON.parse that drops `__proto__` keys and `constructor` keys holding a `prototype`, wherever
 * they are nested. Dropping (not refusing) keeps the rest of the batch: such a key is never data
 * nocwatch reads, and a record without it is judged on its own fields. Every JSON body (the
 * `application/json` parser and each NDJSON line) goes through here, so no parsed value can carry
 * a key that a later `Object.assign` or merge would turn into a prototype change.
 */
export function parseJsonSafely(text: string): unknown {
  return secureJson.parse(text, undefined, POISON_OPTIONS);
}

/** Lines parsed between yields to the event loop. */
const SLICE_LINES = 2000;

/**
 * NDJSON → the values of good lines and the error of each bad one, by record index. A bad line's
 * record is its text (`UnparsedText`), kept with its reject.
 */
export async function parseNdjson(text: string): Promise<{ records: unknown[]; errors: Map<number, string> }> {
  const records: unknown[] = [];
  const errors = new Map<number, string>();
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    if (lineNo > 0 && lineNo % SLICE_LINES === 0) await yieldToLoop();
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line.length === 0) continue;
    try {
      records.push(parseJsonSafely(line));
    } catch (e) {
      errors.set(records.length, `line ${lineNo}: invalid JSON: ${(e as Error).message}`);
      records.push(new UnparsedText(line));
    }
  }
  return { records, errors };
}

/** The records of a parsed body, with per-index parse errors (NDJSON only); null when it holds none. */
export async function recordsOf(body: unknown): Promise<{ records: unknown[]; errors: Map<number, string> } | null> {
  if (body instanceof NdjsonText || body instanceof TextBody) return parseNdjson(body.text);
  if (Array.isArray(body)) return { records: body, errors: new Map() };
  if (body !== null && typeof body === 'object') return { records: [body], errors: new Map() };
  return null;
}
