/**
 * Request bodies of the ingest endpoints: a JSON object, a JSON array, or NDJSON (one object per
 * line). A broken NDJSON line spoils only its own record.
 */

/** NDJSON after parsing: the values of good lines and the error of each bad one, by record index. */
export class NdjsonBody {
  constructor(readonly items: unknown[], readonly errors: Map<number, string>) {}
}

export function parseNdjson(text: string): NdjsonBody {
  const items: unknown[] = [];
  const errors = new Map<number, string>();
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line.length === 0) continue;
    try {
      items.push(JSON.parse(line));
    } catch (e) {
      errors.set(items.length, `line ${lineNo}: invalid JSON: ${(e as Error).message}`);
      items.push(undefined);
    }
  }
  return new NdjsonBody(items, errors);
}

/** A `text/plain` body (line protocol, or NDJSON from a client that does not label it). */
export class TextBody {
  constructor(readonly text: string) {}
}

/** The records of a parsed body, with per-index parse errors (NDJSON only). */
export function recordsOf(body: unknown): { records: unknown[]; errors: Map<number, string> } | null {
  if (body instanceof NdjsonBody) return { records: body.items, errors: body.errors };
  if (body instanceof TextBody) {
    const nd = parseNdjson(body.text);
    return { records: nd.items, errors: nd.errors };
  }
  if (Array.isArray(body)) return { records: body, errors: new Map() };
  if (body !== null && typeof body === 'object') return { records: [body], errors: new Map() };
  return null;
}
