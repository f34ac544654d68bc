/**
 * Reads the inventory CSV (header row with the cell columns, RFC 4180 quoting). Every bad row is
 * reported with its line number and field; good rows are kept.
 */
import { readFileSync } from 'node:fs';
import { CELL_COLUMNS, cellSchema, type Cell } from '../model/index.js';
import { formatIssues } from '../config/format-issues.js';

export interface CsvProblem {
  line: number;
  error: string;
}

export interface InventoryCsvResult {
  cells: Cell[];
  problems: CsvProblem[];
}

/** Splits CSV text into rows of fields, with the 1-based line number each row starts on. */
export function* csvRows(text: string): Generator<{ line: number; fields: string[] }> {
  let line = 1;
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // byte-order mark
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    for (; i < n; i++) {
      const ch = text[i]!;
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i++;
          } else quoted = false;
        } else {
          if (ch === '\n') line++;
          field += ch;
        }
      } else if (ch === '"' && field.length === 0) quoted = true;
      else if (ch === ',') {
        fields.push(field);
        field = '';
      } else if (ch === '\n' || ch === '\r') {
        if (ch === '\r' && text[i + 1] === '\n') i++;
        i++;
        line++;
        break;
      } else field += ch;
    }
    fields.push(field);
    if (fields.length === 1 && fields[0]!.trim() === '') continue; // blank line
    yield { line: startLine, fields };
  }
}

const NUMERIC = new Set(['lat', 'lon', 'subscribers']);

export function parseInventoryCsv(text: string): InventoryCsvResult {
  const cells: Cell[] = [];
  const problems: CsvProblem[] = [];
  const rows = csvRows(text);
  const first = rows.next();
  if (first.done) return { cells, problems: [{ line: 1, error: 'empty file: expected a header row' }] };
  const header = first.value.fields.map((h) => h.trim());
  const missing = CELL_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    return { cells, problems: [{ line: first.value.line, error: `header is missing column(s): ${missing.join(', ')}` }] };
  }
  const seen = new Map<string, number>();
  for (const { line, fields } of rows) {
    if (fields.length !== header.length) {
      problems.push({ line, error: `expected ${header.length} fields, found ${fields.length}` });
      continue;
    }
    const raw: Record<string, unknown> = {};
    header.forEach((h, i) => {
      if (!(CELL_COLUMNS as readonly string[]).includes(h)) return; // extra columns are allowed and ignored
      const v = fields[i]!.trim();
      raw[h] = NUMERIC.has(h) && v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
    });
    const r = cellSchema.safeParse(raw);
    if (!r.success) {
      problems.push({ line, error: formatIssues(r.error.issues, raw).join('; ') });
      continue;
    }
    const prev = seen.get(r.data.cellId);
    if (prev !== undefined) problems.push({ line, error: `cellId ${r.data.cellId} repeats line ${prev}; the later row wins` });
    seen.set(r.data.cellId, line);
    cells.push(r.data);
  }
  return { cells, problems };
}

export function readInventoryCsv(path: string): InventoryCsvResult {
  return parseInventoryCsv(readFileSync(path, 'utf8'));
}

/** Writes cells as inventory CSV (the simulator and tests use it). */
export function toInventoryCsv(cells: Iterable<Cell>): string {
  const quote = (v: string | number) => {
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [CELL_COLUMNS.join(',')];
  for (const c of cells) lines.push(CELL_COLUMNS.map((k) => quote(c[k])).join(','));
  return `${lines.join('\n')}\n`;
}
