/**
 * Cursor paging shared by every list: newest first, ordered by (sort key, id) descending; the
 * cursor is the (sort key, id) of the last item returned, opaque to clients.
 */
import { ValidationError } from '../errors.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageQuery {
  limit: number;
  cursor?: string;
}

export interface Cursor {
  key: number;
  id: string;
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.key, c.id])).toString('base64url');
}

export function decodeCursor(s: string): Cursor {
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string') {
      return { key: v[0], id: v[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new ValidationError(`cursor: not a cursor this server issued`);
}

/** Turns `limit + 1` rows fetched in order into a page. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (item: T) => Cursor): Page<T> {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(cursorOf(items[items.length - 1]!)) };
}

/** In-memory paging for the fake stores: filter, sort descending, cut after the cursor. */
export function pageOf<T>(all: Iterable<T>, q: PageQuery, cursorOf: (item: T) => Cursor, keep: (item: T) => boolean): Page<T> {
  const after = q.cursor ? decodeCursor(q.cursor) : undefined;
  const rows: T[] = [];
  for (const item of all) {
    if (!keep(item)) continue;
    if (after) {
      const c = cursorOf(item);
      if (c.key > after.key || (c.key === after.key && c.id >= after.id)) continue;
    }
    rows.push(item);
  }
  rows.sort((a, b) => {
    const ca = cursorOf(a);
    const cb = cursorOf(b);
    return cb.key - ca.key || (cb.id < ca.id ? -1 : cb.id > ca.id ? 1 : 0);
  });
  return toPage(rows.slice(0, q.limit + 1), q.limit, cursorOf);
}

/** SQL fragment and parameters that continue after a cursor on (keyCol, idCol) descending. */
export function afterCursorSql(keyCol: string, idCol: string, cursor: string | undefined): { sql: string; params: unknown[] } {
  if (!cursor) return { sql: '', params: [] };
  const c = decodeCursor(cursor);
  return { sql: `(${keyCol} < ? OR (${keyCol} = ? AND ${idCol} < ?))`, params: [c.key, c.key, c.id] };
}
