/**
 * Turns zod issues into one readable line each, starting with the field path:
 * `server.port: expected number, received "80a"`, `server.colour: unknown key`.
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/** The value at `path` in `input`, for "received …" (undefined when absent). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, p)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v === 'object' ? 'an object' : String(v);
  } catch {
    s = typeof v;
  }
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

function describe(issue: Issue, input: unknown): string {
  const received = valueAt(input, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      return received === undefined ? `required ${issue.expected}, missing` : `expected ${issue.expected}, received ${show(received)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, received ${show(received)}`;
    case 'unrecognized_keys':
      return 'unknown key';
    case 'too_small':
    case 'too_big':
      return `${issue.message.replace(/^Too (small|big): /, '')}, received ${show(received)}`;
    case 'invalid_union':
      if (received === undefined) return 'required, missing';
      return issue.message.startsWith('Invalid input') ? `not a valid value, received ${show(received)}` : issue.message;
    default:
      return issue.message.replace(/^Invalid input: /, '');
  }
}

/** A stable, bounded label for metrics: the kind of problem. */
export function issueKind(issue: Issue): string {
  // zod's 'custom' issues here are our own refinements (times, location, counts): a wrong value.
  return issue.code === 'custom' ? 'invalid_value' : issue.code;
}

export function formatIssues(issues: readonly Issue[], input: unknown, prefix: readonly PropertyKey[] = []): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(`${pathOf([...prefix, ...issue.path, key])}: unknown key`);
      continue;
    }
    const path = pathOf([...prefix, ...issue.path]);
    out.push(`${path || '(record)'}: ${describe(issue, input)}`);
  }
  return out;
}
