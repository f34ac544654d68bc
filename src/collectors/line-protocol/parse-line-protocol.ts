/**
 * A strict, fast InfluxDB line protocol parser. One pass over the string with charCodeAt; a bad
 * line is reported with its number and column and skipped, the good lines around it still parse
 * (InfluxDB's partial-write behaviour). Follows the grammar of influxdata/line-protocol:
 * comments (`#`) and blank lines are skipped, lines may end in `\n` or `\r\n`, quoted strings may
 * span lines, and the timestamp is optional.
 */
import {
  INT64_MAX, INT64_MIN, NS_PER_UNIT, UINT64_MAX,
  type LpFieldValue, type LpPoint, type LpPrecision,
} from './line-protocol.js';

/** A line that could not be parsed. `line` and `column` are 1-based. */
export interface LpLineError {
  line: number;
  column: number;
  message: string;
  /** The offending line, cut at 200 characters, for error messages. */
  text: string;
}

export interface LpParseResult {
  /** Parsed points with the 1-based line each started on. */
  points: Array<LpPoint & { line: number }>;
  errors: LpLineError[];
}

/** Longest line accepted: bounds the work one line can cost (real lines are a few hundred bytes). */
export const MAX_LINE_CHARS = 256 * 1024;

const NL = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const HASH = 35;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const BACKSLASH = 92;
const EQ = 61;

class LineError extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** Control characters are never part of a name (they would not survive a round trip). */
const isControl = (c: number): boolean => c < 32 || c === 127;

/** Cursor over the body; `line` is the 1-based line of `pos`, kept up to date by the callers. */
class Scanner {
  pos = 0;
  line = 1;
  constructor(readonly src: string) {}

  /**
   * Reads an escaped name from `pos`: a measurement (ends at `,` or space) or, when `isKey`, a tag
   * key/value or field key (also ends at `=`). Leaves `pos` on the terminator; returns the unescaped text.
   */
  name(isKey: boolean, what: string): string {
    const src = this.src;
    const start = this.pos;
    let i = start;
    let out: string | null = null;
    let chunk = start;
    for (; i < src.length; i++) {
      const c = src.charCodeAt(i);
      if (c === COMMA || c === SPACE || (isKey && c === EQ)) break;
      if (c === NL || c === CR) break;
      if (isControl(c)) throw new LineError(i, `invalid character ${JSON.stringify(src[i])} in ${what}`);
      if (c === BACKSLASH && i + 1 < src.length) {
        const n = src.charCodeAt(i + 1);
        if (n === COMMA || n === SPACE || (isKey && n === EQ)) {
          out = (out ?? '') + src.slice(chunk, i) + src[i + 1];
          i++;
          chunk = i + 1;
        }
      }
    }
    this.pos = i;
    if (i === start) throw new LineError(i, `missing ${what}`);
    return out === null ? src.slice(start, i) : out + src.slice(chunk, i);
  }

  /** A quoted string value; `pos` is on the opening quote, left after the closing quote. */
  quoted(): string {
    const src = this.src;
    let i = this.pos + 1;
    let chunk = i;
    let out: string | null = null;
    for (; i < src.length; i++) {
      const c = src.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === NL) this.line++;
      if (c === BACKSLASH && i + 1 < src.length) {
        const n = src.charCodeAt(i + 1);
        if (n === QUOTE || n === BACKSLASH) {
          out = (out ?? '') + src.slice(chunk, i) + src[i + 1];
          i++;
          chunk = i + 1;
        }
      }
    }
    if (i >= src.length) throw new LineError(this.pos, 'unterminated string field value (missing closing ")');
    this.pos = i + 1;
    return out === null ? src.slice(chunk, i) : out + src.slice(chunk, i);
  }

  /** An unquoted field value or timestamp token up to `,`, space or end of line. */
  token(): string {
    const src = this.src;
    const start = this.pos;
    let i = start;
    for (; i < src.length; i++) {
      const c = src.charCodeAt(i);
      if (c === COMMA || c === SPACE || c === NL || c === CR) break;
    }
    this.pos = i;
    return src.slice(start, i);
  }

  skipSpaces(): void {
    while (this.pos < this.src.length && this.src.charCodeAt(this.pos) === SPACE) this.pos++;
  }

  /** True at a line end (`\n`, `\r\n`, lone `\r` at input end) or the end of input. */
  atLineEnd(): boolean {
    if (this.pos >= this.src.length) return true;
    const c = this.src.charCodeAt(this.pos);
    return c === NL || (c === CR && (this.pos + 1 >= this.src.length || this.src.charCodeAt(this.pos + 1) === NL));
  }
}

/** Checks a float token against the grammar: -?(d+[.d*][e±d+] | .d+[e±d+]). */
function isFloatSyntax(s: string): boolean {
  let i = 0;
  const n = s.length;
  if (s.charCodeAt(0) === MINUS) i++;
  let digits = 0;
  while (i < n && isDigit(s.charCodeAt(i))) { i++; digits++; }
  if (i < n && s.charCodeAt(i) === DOT) {
    i++;
    while (i < n && isDigit(s.charCodeAt(i))) { i++; digits++; }
  }
  if (digits === 0) return false;
  if (i < n && (s[i] === 'e' || s[i] === 'E')) {
    i++;
    if (i < n && (s[i] === '+' || s[i] === '-')) i++;
    let exp = 0;
    while (i < n && isDigit(s.charCodeAt(i))) { i++; exp++; }
    if (exp === 0) return false;
  }
  return i === n;
}

function isIntegerSyntax(s: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

function fieldValue(sc: Scanner, key: string): LpFieldValue {
  const at = sc.pos;
  const c = sc.src.charCodeAt(at);
  if (c === QUOTE) return { type: 'string', value: sc.quoted() };
  const tok = sc.token();
  if (tok.length === 0) throw new LineError(at, `missing value for field "${key}"`);
  const last = tok.charCodeAt(tok.length - 1);
  if (last === 105 /* i */) {
    const neg = tok.charCodeAt(0) === MINUS;
    if (!isIntegerSyntax(tok, neg ? 1 : 0, tok.length - 1)) throw new LineError(at, `invalid integer value for field "${key}": ${tok}`);
    const v = BigInt(tok.slice(0, -1));
    if (v < INT64_MIN || v > INT64_MAX) throw new LineError(at, `integer value for field "${key}" out of int64 range: ${tok}`);
    return { type: 'integer', value: v };
  }
  if (last === 117 /* u */) {
    if (!isIntegerSyntax(tok, 0, tok.length - 1)) throw new LineError(at, `invalid unsigned value for field "${key}": ${tok}`);
    const v = BigInt(tok.slice(0, -1));
    if (v > UINT64_MAX) throw new LineError(at, `unsigned value for field "${key}" out of uint64 range: ${tok}`);
    return { type: 'unsigned', value: v };
  }
  if (isDigit(c) || c === MINUS || c === DOT) {
    if (!isFloatSyntax(tok)) throw new LineError(at, `invalid number for field "${key}": ${tok}`);
    const v = Number(tok);
    if (!Number.isFinite(v)) throw new LineError(at, `float value for field "${key}" out of range: ${tok}`);
    return { type: 'float', value: v };
  }
  switch (tok) {
    case 't': case 'T': case 'true': case 'True': case 'TRUE':
      return { type: 'boolean', value: true };
    case 'f': case 'F': case 'false': case 'False': case 'FALSE':
      return { type: 'boolean', value: false };
    default:
      throw new LineError(at, `invalid value for field "${key}": ${tok} (strings must be "quoted")`);
  }
}

function parsePoint(sc: Scanner, precision: LpPrecision): LpPoint {
  const src = sc.src;
  const measurement = sc.name(false, 'measurement');
  const tags: Record<string, string> = Object.create(null);
  while (sc.pos < src.length && src.charCodeAt(sc.pos) === COMMA) {
    sc.pos++;
    const key = sc.name(true, 'tag key');
    if (src.charCodeAt(sc.pos) !== EQ) throw new LineError(sc.pos, `expected "=" after tag key "${key}"`);
    sc.pos++;
    const value = sc.name(true, `value of tag "${key}"`);
    if (src.charCodeAt(sc.pos) === EQ) throw new LineError(sc.pos, `unescaped "=" in value of tag "${key}"`);
    tags[key] = value;
  }
  if (sc.atLineEnd()) throw new LineError(sc.pos, 'missing fields');
  if (src.charCodeAt(sc.pos) !== SPACE) throw new LineError(sc.pos, `unexpected ${JSON.stringify(src[sc.pos])} after tags`);
  sc.skipSpaces();
  if (sc.atLineEnd()) throw new LineError(sc.pos, 'missing fields');
  const fields: Record<string, LpFieldValue> = Object.create(null);
  for (;;) {
    const key = sc.name(true, 'field key');
    if (src.charCodeAt(sc.pos) !== EQ) throw new LineError(sc.pos, `expected "=" after field key "${key}"`);
    sc.pos++;
    fields[key] = fieldValue(sc, key);
    if (sc.pos < src.length && src.charCodeAt(sc.pos) === COMMA) {
      sc.pos++;
      continue;
    }
    break;
  }
  const point: LpPoint = { measurement, tags, fields };
  if (sc.atLineEnd()) return point;
  if (src.charCodeAt(sc.pos) !== SPACE) throw new LineError(sc.pos, `unexpected ${JSON.stringify(src[sc.pos])} after fields`);
  sc.skipSpaces();
  if (sc.atLineEnd()) return point;
  const at = sc.pos;
  const tok = sc.token();
  const neg = tok.charCodeAt(0) === MINUS;
  if (!isIntegerSyntax(tok, neg ? 1 : 0, tok.length)) throw new LineError(at, `invalid timestamp: ${tok}`);
  const ns = BigInt(tok) * NS_PER_UNIT[precision];
  if (ns < INT64_MIN || ns > INT64_MAX) throw new LineError(at, `timestamp out of range: ${tok}`);
  point.timeNs = ns;
  sc.skipSpaces();
  if (!sc.atLineEnd()) throw new LineError(sc.pos, `unexpected text after timestamp: ${sc.token()}`);
  return point;
}

/** Moves past the current line end (or to the end of input). */
function endLine(sc: Scanner): void {
  const src = sc.src;
  const nl = src.indexOf('\n', sc.pos);
  if (nl < 0) sc.pos = src.length;
  else {
    sc.pos = nl + 1;
    sc.line++;
  }
}

/**
 * Parses a whole write body. Never throws on bad input: bad lines come back in `errors`.
 * `precision` scales the timestamps to nanoseconds.
 */
export function parseLineProtocol(body: string, precision: LpPrecision = 'ns'): LpParseResult {
  const { points, errors } = parseLineProtocolSlice(body, precision, { pos: 0, line: 1 }, Infinity);
  return { points, errors };
}

/** Where a sliced parse stopped: the next character and its 1-based line. */
export interface LpCursor {
  pos: number;
  line: number;
}

/**
 * Parses from `from` until `maxPoints` points (or the end), stopping at a line boundary, and says
 * where to go on: a big body can be parsed a slice at a time with the event loop free in between.
 * `next` is null at the end of the body.
 */
export function parseLineProtocolSlice(body: string, precision: LpPrecision, from: LpCursor, maxPoints: number): LpParseResult & { next: LpCursor | null } {
  const sc = new Scanner(body);
  sc.pos = from.pos;
  sc.line = from.line;
  const points: LpParseResult['points'] = [];
  const errors: LpLineError[] = [];
  while (sc.pos < body.length) {
    if (points.length + errors.length >= maxPoints) return { points, errors, next: { pos: sc.pos, line: sc.line } };
    sc.skipSpaces();
    if (sc.pos >= body.length) break;
    const c = body.charCodeAt(sc.pos);
    if (c === NL || c === CR || c === HASH) {
      if (c === CR && !sc.atLineEnd()) {
        errors.push(lineError(sc, sc.pos, 'stray carriage return'));
      }
      endLine(sc);
      continue;
    }
    const lineStart = lineStartOf(body, sc.pos);
    const line = sc.line;
    const eol = body.indexOf('\n', sc.pos);
    if ((eol < 0 ? body.length : eol) - lineStart > MAX_LINE_CHARS) {
      // One line's parse cannot be sliced: bound it (a point with 100,000 tags is not a metric).
      errors.push({ line, column: 1, message: `line longer than ${MAX_LINE_CHARS} characters`, text: body.slice(lineStart, lineStart + 200) });
      sc.pos = eol < 0 ? body.length : eol;
      endLine(sc);
      continue;
    }
    try {
      const p = parsePoint(sc, precision) as LpPoint & { line: number };
      p.line = line;
      points.push(p);
      endLine(sc);
    } catch (err) {
      if (!(err instanceof LineError)) throw err;
      sc.line = line;
      errors.push(lineError(sc, err.at, err.message, lineStart));
      // Resume after the line the error is on (a quoted string may have spanned lines before it).
      sc.line = line + countNewlines(body, lineStart, err.at);
      sc.pos = err.at;
      endLine(sc);
    }
  }
  return { points, errors, next: null };
}

function lineStartOf(src: string, pos: number): number {
  return src.lastIndexOf('\n', pos - 1) + 1;
}

function lineError(sc: Scanner, at: number, message: string, lineStart = lineStartOf(sc.src, at)): LpLineError {
  const src = sc.src;
  let end = src.indexOf('\n', lineStart);
  if (end < 0) end = src.length;
  if (src.charCodeAt(end - 1) === CR) end--;
  const text = src.slice(lineStart, Math.min(end, lineStart + 200));
  const line = sc.line + countNewlines(src, lineStart, at);
  return { line, column: at - lineStartOf(src, at) + 1, message, text };
}

function countNewlines(src: string, from: number, to: number): number {
  let n = 0;
  for (let i = src.indexOf('\n', from); i >= 0 && i < to; i = src.indexOf('\n', i + 1)) n++;
  return n;
}
