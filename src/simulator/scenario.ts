/**
 * Scenario files: the faults to inject, in YAML or JSON, validated with zod so a mistake is reported
 * with the field that holds it (`faults[2].duration: expected a duration like "90m", "2h" or "1d6h"`).
 *
 * ```yaml
 * name: mixed
 * faults:
 *   - kind: site_outage          # see FAULT_KINDS
 *     start: 6h                  # after the scenario's zero (the end of warm-up), or an RFC 3339 time
 *     duration: 90m
 *     severity: critical         # minor | major | critical, or 0..1
 *     target: { site: SITE-CS-0012 }   # omitted or filters only: picked at random (by seed)
 * ```
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AREA_CLASSES, parseTime } from '../model/index.js';
import { parseDuration } from './duration.js';
import { buildFault, FILTER_KEYS, TARGET_KEYS, TargetError, type TargetContext } from './fault-targets.js';
import { conflicts, FAULT_KINDS, SEVERITY_WORDS, type Fault } from './faults.js';
import { SEPARATION } from './random-faults.js';

const zDuration = z.string().refine((s) => parseDuration(s) > 0, {
  error: (iss) => `expected a duration like "90m", "2h" or "1d6h", got ${JSON.stringify(iss.input)}`,
});
const zStart = z.string().refine((s) => parseDuration(s.replace(/^\+/, '')) >= 0 || !Number.isNaN(parseTime(s)), {
  error: (iss) => `expected an offset like "6h" (after the end of warm-up) or an RFC 3339 time, got ${JSON.stringify(iss.input)}`,
});

const targetSchema = z.strictObject({
  cell: z.string().min(1).optional(),
  cells: z.array(z.string().min(1)).min(1).optional(),
  site: z.string().min(1).optional(),
  transport: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
  district: z.string().min(1).optional(),
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
  areaClass: z.enum(AREA_CLASSES).optional(),
});

const faultSchema = z
  .strictObject({
    id: z.string().min(1).max(64).optional(),
    kind: z.enum(FAULT_KINDS),
    start: zStart,
    duration: zDuration,
    severity: z.union([z.number().min(0).max(1), z.enum(['minor', 'major', 'critical'])]).default('major'),
    target: targetSchema.default({}),
  })
  .superRefine((f, ctx) => {
    const allowed = new Set<string>([...TARGET_KEYS[f.kind], ...FILTER_KEYS]);
    if (f.kind === 'core_signaling_failure') allowed.delete('district');
    for (const key of Object.keys(f.target)) {
      if (!allowed.has(key)) {
        const takes = [...allowed].map((k) => `\`${k}\``).join(', ');
        ctx.addIssue({ code: 'custom', path: ['target', key], message: `${f.kind} takes ${takes}; not \`${key}\`` });
      }
    }
    if ((f.target.lat === undefined) !== (f.target.lon === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'give both lat and lon, or neither' });
    }
  });

export const scenarioSchema = z.strictObject({
  name: z.string().max(200).optional(),
  description: z.string().max(4000).optional(),
  /** Random faults per simulated day on top of the listed ones. */
  randomFaultsPerDay: z.number().min(0).max(10_000).default(0),
  faults: z.array(faultSchema).default([]),
});
export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioFault = Scenario['faults'][number];

/** A scenario that cannot be used; `issues` lists every problem as `path: message`. */
export class ScenarioError extends Error {
  readonly code = 'NOCWATCH_ERR_SCENARIO';
  constructor(readonly source: string, readonly issues: string[]) {
    super(`invalid scenario ${source}:\n  ${issues.join('\n  ')}`);
    this.name = 'ScenarioError';
  }
}

/** `faults[2].target.site` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out === '' ? '(root)' : out;
}

/** Validates parsed scenario data. */
export function parseScenario(data: unknown, source = 'scenario'): Scenario {
  const r = scenarioSchema.safeParse(data);
  if (!r.success) throw new ScenarioError(source, r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`));
  const ids = new Set<string>();
  const dupes: string[] = [];
  r.data.faults.forEach((f, k) => {
    if (f.id === undefined) return;
    if (ids.has(f.id)) dupes.push(`faults[${k}].id: ${JSON.stringify(f.id)} is used twice`);
    ids.add(f.id);
  });
  if (dupes.length > 0) throw new ScenarioError(source, dupes);
  return r.data;
}

/** Reads a scenario file: `.json` as JSON, anything else as YAML. */
export function loadScenario(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ScenarioError(path, [`cannot read the file: ${(err as Error).message}`]);
  }
  let data: unknown;
  try {
    data = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ScenarioError(path, [`not valid ${extname(path).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`]);
  }
  return parseScenario(data, path);
}

/** Event time of a scenario start: an offset after `zero`, or an absolute time. */
export function scenarioTime(start: string, zero: number): number {
  const offset = parseDuration(start.replace(/^\+/, ''));
  return Number.isNaN(offset) ? parseTime(start) : zero + offset;
}

/**
 * The scenario's faults against a network. `zero` is the event time offsets count from (the end of
 * warm-up). Throws ScenarioError naming each fault whose target the inventory does not have.
 */
export function resolveScenario(s: Scenario, ctx: TargetContext, zero: number, source = 'scenario'): Fault[] {
  const faults: Fault[] = [];
  const issues: string[] = [];
  s.faults.forEach((f, k) => {
    const start = scenarioTime(f.start, zero);
    const severity = typeof f.severity === 'number' ? f.severity : SEVERITY_WORDS[f.severity];
    const id = f.id ?? `F-${String(k + 1).padStart(3, '0')}-${f.kind}`;
    const spec = { id, kind: f.kind, start, end: start + parseDuration(f.duration), severity, source: 'scenario' as const };
    const pinned = TARGET_KEYS[f.kind].some((k) => f.target[k] !== undefined);
    try {
      // A target left to chance is drawn again (a few times) rather than land on another fault's cells.
      let fault = buildFault(spec, f.target, ctx);
      for (let tries = 0; !pinned && tries < 20 && conflicts(fault, faults, SEPARATION); tries++) fault = buildFault(spec, f.target, ctx);
      faults.push(fault);
    } catch (err) {
      if (!(err instanceof TargetError)) throw err;
      issues.push(`faults[${k}].target.${err.field}: ${err.message}`);
    }
  });
  if (issues.length > 0) throw new ScenarioError(source, issues);
  return faults.sort((a, b) => a.start - b.start);
}
