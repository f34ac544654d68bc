/**
 * Ground truth: what the simulator injected — each fault's kind, root object, cells, start and end,
 * the department that should get it, and the complaints it caused — written as JSON so a build's
 * incidents, complaint links and tickets can be scored against it (`nocwatch evaluate`).
 */
import { z } from 'zod';
import { DEPARTMENTS, isoTime, OBJECT_TYPES, zTime } from '../model/index.js';
import { FAULT_KINDS, type Fault } from './faults.js';
import type { SimNetwork } from './network.js';

const rootSchema = z.object({ type: z.enum(OBJECT_TYPES), id: z.string().min(1) });

export const truthFaultSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(FAULT_KINDS),
  source: z.enum(['scenario', 'random']).default('scenario'),
  root: rootSchema,
  alsoAccept: z.array(rootSchema).default([]),
  cells: z.array(z.string()),
  region: z.string(),
  district: z.string().optional(),
  point: z.object({ lat: z.number(), lon: z.number() }).optional(),
  start: zTime,
  end: zTime,
  /**
   * A congestion: when its extra demand first fills a cell (PRB at the 85 % congestion mark), null
   * when it never does. The two-PM-period deadline runs from here (absent in older files: from start).
   */
  congestedFrom: zTime.nullable().optional(),
  severity: z.number(),
  department: z.enum(DEPARTMENTS),
  complaintIds: z.array(z.string()).default([]),
  /** Arrival time of the fault's first complaint, null when it caused none (yet). */
  firstComplaintAt: zTime.nullable().default(null),
});
export type TruthFault = z.output<typeof truthFaultSchema>;

export const groundTruthSchema = z.object({
  version: z.literal(1),
  seed: z.number(),
  cells: z.number().int(),
  /** Event time the simulation started. */
  from: zTime,
  /** End of warm-up: faults and scoring start here. */
  scoreFrom: zTime,
  /** Event time the simulation reached. */
  until: zTime,
  faults: z.array(truthFaultSchema),
  backgroundComplaintIds: z.array(z.string()).default([]),
});
export type GroundTruth = z.output<typeof groundTruthSchema>;
/** The JSON form the simulator writes (times as RFC 3339 strings). */
export type TruthFaultJson = Omit<TruthFault, 'start' | 'end' | 'congestedFrom' | 'firstComplaintAt'> & {
  start: string;
  end: string;
  congestedFrom?: string | null;
  firstComplaintAt: string | null;
};
export type GroundTruthJson = Omit<GroundTruth, 'from' | 'scoreFrom' | 'until' | 'faults'> & {
  from: string;
  scoreFrom: string;
  until: string;
  faults: TruthFaultJson[];
};

/** Collects the truth as the simulation runs. */
export class TruthRecorder {
  private readonly faults: Fault[] = [];
  private readonly complaintsOf = new Map<string, string[]>();
  private readonly firstAt = new Map<string, number>();
  private readonly background: string[] = [];

  constructor(private readonly net: SimNetwork, private readonly meta: { seed: number; from: number; scoreFrom: number }) {}

  addFault(f: Fault): void {
    this.faults.push(f);
    this.complaintsOf.set(f.id, []);
  }

  /** A complaint has been emitted (its arrival time is `t`). */
  complaint(id: string, t: number, faultId: string | null): void {
    if (faultId === null) {
      this.background.push(id);
      return;
    }
    this.complaintsOf.get(faultId)?.push(id);
    if (!this.firstAt.has(faultId)) this.firstAt.set(faultId, t);
  }

  /** The truth up to event time `until`: faults that have started by then. */
  toJson(until: number): GroundTruthJson {
    const cells = this.net.cells;
    return {
      version: 1,
      seed: this.meta.seed,
      cells: cells.length,
      from: isoTime(this.meta.from),
      scoreFrom: isoTime(this.meta.scoreFrom),
      until: isoTime(until),
      faults: this.faults
        .filter((f) => f.start < until)
        .sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1))
        .map((f) => ({
          id: f.id, kind: f.kind, source: f.source, root: f.root, alsoAccept: f.alsoAccept,
          cells: f.cells.map((ci) => cells[ci].cellId), region: f.region, district: f.district, point: f.point,
          start: isoTime(f.start), end: isoTime(f.end),
          ...(f.congestedFrom !== undefined ? { congestedFrom: f.congestedFrom === null ? null : isoTime(f.congestedFrom) } : {}),
          severity: f.severity, department: f.department,
          complaintIds: this.complaintsOf.get(f.id) ?? [],
          firstComplaintAt: this.firstAt.has(f.id) ? isoTime(this.firstAt.get(f.id) as number) : null,
        })),
      backgroundComplaintIds: [...this.background],
    };
  }
}

/** Parses a ground-truth file's JSON; throws with every wrong field named. */
export function parseGroundTruth(data: unknown): GroundTruth {
  const r = groundTruthSchema.safeParse(data);
  if (!r.success) {
    const lines = r.error.issues.slice(0, 20).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`not a nocwatch ground-truth file:\n  ${lines.join('\n  ')}`);
  }
  return r.data;
}
