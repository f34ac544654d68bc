/**
 * Counters → KPIs. Every source of raw counters (3GPP PM XML files, JSON PM records that carry
 * `counters`) turns them into KPIs here, with the formulas from config (`collectors.kpiFormulas`)
 * on top of the built-in defaults. Vendors rename counters, so formulas are data, not code.
 *
 * Counter lookup, for a name `X` in a formula: the counter `X` itself; else the same name in
 * another letter case (`.Sum` vs `.sum`); else `X.sum` (the aggregate of X's sub-counters).
 * `sum(X.*)` adds up X's direct sub-counters (`X.QCI1`, `X.QCI5`…, not `X.sum`). A missing or NIL
 * counter, or a division by zero, gives the KPI no value — never zero, never an anomaly.
 */
import { z } from 'zod';
import { BUILTIN_KPIS } from '../model/index.js';
import {
  FormulaSyntaxError, compileDenominator, compileNode, parseFormula, referencedCounters,
  type FormulaInputs,
} from './formula-expression.js';

/** The default formulas (3GPP TS 32.425 / 28.552 counter names; see FORMATS.md). */
export const DEFAULT_KPI_FORMULAS: Readonly<Record<string, string>> = {
  rrc_setup_success_rate: '100 * RRC.ConnEstabSucc.sum / RRC.ConnEstabAtt.sum',
  erab_setup_success_rate: '100 * ERAB.EstabInitSuccNbr / ERAB.EstabInitAttNbr',
  erab_drop_rate: '100 * ERAB.RelActNbr / (ERAB.EstabInitSuccNbr + ERAB.EstabAddSuccNbr)',
  handover_success_rate:
    '100 * HO.IntraFreqOutSucc / HO.IntraFreqOutAtt ?? 100 * MM.HoExeIntraSucc / MM.HoExeIntraReq',
  availability: '100 * ($period - RRU.CellUnavailableTime) / $period',
  // RRU.PrbTotDl is already a percentage (never summed); NR reports used and available PRBs.
  prb_dl_utilization: 'RRU.PrbTotDl ?? 100 * RRU.PrbUsedDl / RRU.PrbAvailDl',
  // LTE volume in kbit over time in ms = Mbit/s; NR DRB.UEThpDl is in kbit/s.
  dl_user_throughput_mbps: 'DRB.IPVolDl / DRB.IPTimeDl ?? DRB.UEThpDl / 1000',
  volte_call_drop_rate: '100 * ERAB.RelActNbr.QCI1 / (ERAB.EstabInitSuccNbr.QCI1 + ERAB.EstabAddSuccNbr.QCI1)',
  nr_qos_flow_setup_success_rate: '100 * QF.EstabSuccNbr / QF.EstabAttNbr',
  // 3GPP defines no uplink-interference counter: these are Huawei's (LTE, NR), in dBm; other vendors
  // name theirs in collectors.kpiFormulas.
  ul_interference_dbm: 'L.UL.Interference.Avg ?? N.UL.NI.Avg',
};

/** Built-in rate KPIs report their denominator as `attempts` unless config says otherwise. */
const RATE_KPIS = new Set(BUILTIN_KPIS.filter((k) => k.isRate).map((k) => k.name));

function formulaIssue(src: string): string | null {
  try {
    parseFormula(src);
    return null;
  } catch (err) {
    if (err instanceof FormulaSyntaxError) return `invalid formula: ${err.message}: ${src}`;
    throw err;
  }
}

const zFormula = z.string().min(1).superRefine((src, ctx) => {
  const issue = formulaIssue(src);
  if (issue) ctx.addIssue({ code: 'custom', message: issue });
});

/**
 * One KPI's formula in config: a formula string, or `{ formula, attempts }` where `attempts` is
 * `true` (the denominator), `false` (none) or a formula of its own. `null` removes a built-in.
 */
export const kpiFormulaEntrySchema = z.union([
  zFormula,
  z.strictObject({ formula: zFormula, attempts: z.union([z.boolean(), zFormula]).optional() }),
  z.null(),
]);
export const kpiFormulasConfigSchema = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]{0,127}$/, 'KPI names are letters, digits, "_" and "."'), kpiFormulaEntrySchema)
  .default({});
export type KpiFormulasConfig = z.output<typeof kpiFormulasConfigSchema>;

/** One compiled KPI formula. Evaluators return NaN for "no value". */
export interface KpiFormula {
  kpi: string;
  source: string;
  value(inputs: FormulaInputs): number;
  attempts?: (inputs: FormulaInputs) => number;
}

/** The compiled formulas plus what they read, so file parsers can keep only the counters needed. */
export interface KpiFormulaSet {
  readonly formulas: readonly KpiFormula[];
  /** Whether a counter of a file may be read by some formula (case-insensitive, see module doc). */
  isCounterNeeded(name: string): boolean;
}

/** Compiles the defaults overlaid with config. Throws FormulaSyntaxError (config validation catches it first). */
export function compileKpiFormulas(config: KpiFormulasConfig = {}): KpiFormulaSet {
  const merged = new Map<string, Exclude<KpiFormulasConfig[string], null>>();
  for (const [k, v] of Object.entries(DEFAULT_KPI_FORMULAS)) merged.set(k, v);
  for (const [k, v] of Object.entries(config)) {
    if (v === null) merged.delete(k);
    else merged.set(k, v);
  }
  const names = new Set<string>();
  const prefixes = new Set<string>();
  const formulas: KpiFormula[] = [];
  for (const [kpi, entry] of merged) {
    const source = typeof entry === 'string' ? entry : entry.formula;
    const want = typeof entry === 'string' || entry.attempts === undefined ? RATE_KPIS.has(kpi) : entry.attempts;
    const tree = parseFormula(source);
    const refs = { names: new Set<string>(), prefixes: new Set<string>() };
    referencedCounters(tree, refs);
    let attempts: KpiFormula['attempts'];
    if (typeof want === 'string') {
      const attemptsTree = parseFormula(want);
      referencedCounters(attemptsTree, refs);
      attempts = compileNode(attemptsTree);
    } else if (want) {
      attempts = compileDenominator(tree);
    }
    for (const n of refs.names) names.add(n.toLowerCase());
    for (const p of refs.prefixes) prefixes.add(p.toLowerCase());
    formulas.push({ kpi, source, value: compileNode(tree), attempts });
  }
  const needed = new Map<string, boolean>();
  const isNeeded = (name: string): boolean => {
    const lower = name.toLowerCase();
    if (names.has(lower)) return true;
    if (lower.endsWith('.sum') && names.has(lower.slice(0, -4))) return true;
    const dot = lower.lastIndexOf('.');
    return dot > 0 && prefixes.has(lower.slice(0, dot));
  };
  return {
    formulas,
    isCounterNeeded(name: string): boolean {
      // Files repeat the same counter names in every measInfo: remember the answers.
      let v = needed.get(name);
      if (v === undefined) {
        v = isNeeded(name);
        if (needed.size < 100_000) needed.set(name, v);
      }
      return v;
    },
  };
}

/** Lower-case spellings of the names formulas use, and with `.sum` appended. */
const lowerNames = new Map<string, { lower: string; sum: string }>();
function lowerOf(name: string): { lower: string; sum: string } {
  let e = lowerNames.get(name);
  if (e === undefined) {
    const lower = name.toLowerCase();
    e = { lower, sum: `${lower}.sum` };
    if (lowerNames.size < 100_000) lowerNames.set(name, e);
  }
  return e;
}

/**
 * Counter lookup over one record's counters. The exact-name path costs one property read; the
 * case-insensitive and sub-counter indexes are built once per record, only when a formula needs them.
 */
export class CounterLookup implements FormulaInputs {
  private lower: Map<string, number> | undefined;
  private children: Map<string, number> | undefined;

  /**
   * `keysAreLowerCase`: the record's counter names are already lower case (file parsers store
   * them so), which makes every lookup a direct property read.
   */
  constructor(
    private readonly counters: Readonly<Record<string, number>>,
    readonly period: number,
    private readonly keysAreLowerCase = false,
  ) {}

  counter(name: string): number {
    if (this.keysAreLowerCase) {
      const { lower, sum } = lowerOf(name);
      const v = this.counters[lower] ?? this.counters[sum];
      return typeof v === 'number' && Number.isFinite(v) ? v : NaN;
    }
    const v = Object.hasOwn(this.counters, name) ? this.counters[name] : undefined;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    const { lower, sum } = lowerOf(name);
    const index = this.index();
    return index.get(lower) ?? index.get(sum) ?? NaN;
  }

  subCounterSum(prefix: string): number {
    this.index();
    return this.children!.get(prefix.toLowerCase()) ?? NaN;
  }

  private index(): Map<string, number> {
    if (this.lower) return this.lower;
    const lower = new Map<string, number>();
    const children = new Map<string, number>();
    for (const key of Object.keys(this.counters)) {
      const v = this.counters[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      const l = key.toLowerCase();
      if (!lower.has(l)) lower.set(l, v);
      const dot = l.lastIndexOf('.');
      if (dot > 0 && l.slice(dot + 1) !== 'sum') {
        const parent = l.slice(0, dot);
        children.set(parent, (children.get(parent) ?? 0) + v);
      }
    }
    this.children = children;
    return (this.lower = lower);
  }
}

/** KPI values and the attempts behind the rate KPIs, as PmEvent carries them. */
export interface ComputedKpis {
  kpis: Record<string, number>;
  attempts: Record<string, number>;
}

const compiledCache = new WeakMap<object, KpiFormulaSet>();

function isFormulaSet(f: KpiFormulaSet | KpiFormulasConfig): f is KpiFormulaSet {
  return Array.isArray((f as KpiFormulaSet).formulas) && typeof (f as KpiFormulaSet).isCounterNeeded === 'function';
}

/**
 * Computes every KPI whose formula has a value for these counters. `formulas` is a compiled set
 * (fastest) or the raw `collectors.kpiFormulas` config (compiled once and cached per object).
 * `period` (seconds) feeds `$period`. KPIs without a value are absent from the result. Counter
 * maps must not have a prototype when `keysAreLowerCase` is set (names are read directly).
 */
export function computeKpis(
  counters: Readonly<Record<string, number>>,
  formulas: KpiFormulaSet | KpiFormulasConfig = {},
  period = 900,
  options: { keysAreLowerCase?: boolean } = {},
): ComputedKpis {
  let set: KpiFormulaSet;
  if (isFormulaSet(formulas)) set = formulas;
  else {
    set = compiledCache.get(formulas) ?? compileKpiFormulas(formulas);
    compiledCache.set(formulas, set);
  }
  const inputs = new CounterLookup(counters, period, options.keysAreLowerCase);
  const kpis: Record<string, number> = Object.create(null);
  const attempts: Record<string, number> = Object.create(null);
  for (const f of set.formulas) {
    const v = f.value(inputs);
    if (!Number.isFinite(v)) continue;
    kpis[f.kpi] = v;
    if (f.attempts) {
      const a = f.attempts(inputs);
      if (Number.isFinite(a) && a >= 0) attempts[f.kpi] = a;
    }
  }
  return { kpis, attempts };
}
