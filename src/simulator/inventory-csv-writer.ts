/**
 * The inventory CSV that `nocwatch run --inventory FILE` reads: a header row with the columns of
 * `CELL_COLUMNS` (src/model/cell.ts), then one row per cell. Fields are quoted only when they must be.
 */
import { CELL_COLUMNS, type Cell } from '../model/index.js';

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV row (no line break) for a cell. */
export function cellCsvRow(cell: Cell): string {
  return CELL_COLUMNS.map((c) => csvField(cell[c])).join(',');
}

/** The whole CSV text, header first, `\n` line endings, ending with a newline. */
export function inventoryCsv(cells: readonly Cell[]): string {
  const lines = [CELL_COLUMNS.join(',')];
  for (const c of cells) lines.push(cellCsvRow(c));
  return lines.join('\n') + '\n';
}
