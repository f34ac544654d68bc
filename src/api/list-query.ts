/** Parses the `limit` and `cursor` (and common time filters) of list endpoints. */
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { formatIssues } from '../config/format-issues.js';
import { parseTime } from '../model/index.js';
import { DEFAULT_LIMIT, MAX_LIMIT, type PageQuery } from '../store/page.js';

const pageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  cursor: z.string().min(1).max(512).optional(),
});

export function parsePageQuery(query: unknown): PageQuery {
  const r = pageSchema.safeParse(query ?? {});
  if (!r.success) throw new ValidationError(formatIssues(r.error.issues, query).join('; '));
  return r.data;
}

/** An optional time query parameter (RFC 3339 or epoch ms) → epoch ms. */
export function parseTimeParam(query: unknown, name: string): number | undefined {
  const v = (query as Record<string, unknown> | undefined)?.[name];
  if (v === undefined || v === '') return undefined;
  const ms = parseTime(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v);
  if (Number.isNaN(ms)) throw new ValidationError(`${name}: expected an RFC 3339 time or epoch milliseconds, received ${JSON.stringify(v)}`);
  return ms;
}

/** An optional enum query parameter. */
export function parseEnumParam<T extends string>(query: unknown, name: string, values: readonly T[]): T | undefined {
  const v = (query as Record<string, unknown> | undefined)?.[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
  throw new ValidationError(`${name}: expected one of ${values.join(', ')}, received ${JSON.stringify(v)}`);
}
