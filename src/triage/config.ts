/**
 * Configuration of the five-principle triage (the "filter" step): the weight of each principle, the
 * score thresholds of the classes, and the tables behind each principle. Every field has a default.
 */
import { z } from 'zod';
import { AREA_CLASSES, COMPLAINT_CATEGORIES, CUSTOMER_CLASSES, DEPARTMENTS, ROOT_CAUSE_CATEGORIES } from '../model/index.js';
import type { AreaClass, ComplaintCategory, CustomerClass, Department, RootCauseCategory } from '../model/index.js';

const fraction = z.number().min(0).max(1);

/** Fills a table from its defaults, letting config override single entries. */
function table<K extends string, V>(keys: readonly K[], value: z.ZodType<V>, defaults: Record<K, V>) {
  return z
    .partialRecord(z.enum(keys as [K, ...K[]]), value)
    .default({} as Partial<Record<K, V>>)
    .transform((over) => ({ ...defaults, ...over }) as Record<K, V>);
}

const AREA_IMPORTANCE: Record<AreaClass, number> = {
  hospital: 1, transport_hub: 0.9, government: 0.9, core_business: 0.85, campus: 0.65,
  highway: 0.6, scenic: 0.55, industrial: 0.5, residential: 0.4, rural: 0.2,
};

const CUSTOMER_VALUE: Record<CustomerClass, number> = {
  vip_diamond: 1, enterprise: 0.8, vip_gold: 0.75, vip_silver: 0.5, regular: 0.1,
};

/** The likely fix for each root cause: optimise before you build. */
const FIX_BY_CATEGORY: Record<RootCauseCategory, Department> = {
  outage: 'maintenance', transport: 'maintenance', core: 'maintenance',
  degradation: 'optimization', interference: 'optimization', congestion: 'optimization',
  coverage: 'optimization', unknown: 'optimization',
};

/** What an unlinked complaint most likely points at, to price its fix. */
const CATEGORY_OF_COMPLAINT: Record<ComplaintCategory, RootCauseCategory> = {
  no_coverage: 'coverage', weak_signal: 'coverage', call_drop: 'interference', call_failure: 'degradation',
  slow_data: 'congestion', no_data: 'outage', voice_quality: 'interference', other: 'unknown',
};

export const triageConfigSchema = z.strictObject({
  /**
   * How far each principle alone can take the score (0..1). Each principle yields a value v in 0..1
   * and the score is 100 × (1 − Π(1 − weight·v)): one strong principle makes an item matter, several
   * together make it urgent, and none can be outvoted by an average.
   */
  weights: z
    .strictObject({
      returnOnInvestment: fraction.default(0.6),
      customerClass: fraction.default(0.5),
      areaImportance: fraction.default(0.5),
      repeat: fraction.default(0.4),
      competitor: fraction.default(0.3),
    })
    .prefault({}),
  /** Score at or above which an item is must_solve; at or above routine it is routine; below, defer. */
  thresholds: z
    .strictObject({ mustSolve: z.number().min(0).max(100).default(55), routine: z.number().min(0).max(100).default(30) })
    .prefault({})
    .refine((t) => t.mustSolve >= t.routine, { message: 'mustSolve must be ≥ routine' }),
  returnOnInvestment: z
    .strictObject({
      /** Affected subscribers at which the impact counts as full (log scale below). */
      subscribersForFullImpact: z.number().min(1).default(5000),
      /** Monthly revenue per subscriber, in the operator's currency. */
      monthlyArpu: z.number().min(0).default(50),
      currency: z.string().min(1).max(8).default('¥'),
      /** Share of affected subscribers at risk of churning, by severity. */
      churnRisk: z
        .strictObject({ critical: fraction.default(0.02), major: fraction.default(0.01), minor: fraction.default(0.004), warning: fraction.default(0.002) })
        .prefault({}),
      /** Monthly revenue at risk that counts as full value (log scale below). */
      revenueForFullValue: z.number().min(1).default(5000),
      /** Relative cost of the likely fix; the cheapest department costs 1. */
      fixCost: table(DEPARTMENTS, z.number().min(0.1).max(100), { optimization: 1, maintenance: 1.5, construction: 6 }),
      fixByCategory: table(ROOT_CAUSE_CATEGORIES, z.enum(DEPARTMENTS), FIX_BY_CATEGORY),
      categoryOfComplaint: table(COMPLAINT_CATEGORIES, z.enum(ROOT_CAUSE_CATEGORIES), CATEGORY_OF_COMPLAINT),
      /**
       * Subscribers one complaint stands for. Only 1–2% of affected customers complain, but a lone
       * complaint may be a one-off, so the default is discounted.
       */
      subscribersPerComplaint: z.number().min(1).default(20),
      /** Past incidents on the same cells that make a coverage or congestion problem chronic (→ construction). */
      chronicAfterIncidents: z.number().int().min(1).default(3),
    })
    .prefault({}),
  /** Value of a complainant by class (0..1); several complainants add up with diminishing returns. */
  customerClass: table(CUSTOMER_CLASSES, fraction, CUSTOMER_VALUE),
  /** Importance of an area class (0..1); an incident takes its most important cell's class. */
  areaImportance: table(AREA_CLASSES, fraction, AREA_IMPORTANCE),
  repeat: z
    .strictObject({
      /** What one customer complaining again within the window adds (0..1, capped at 1). */
      perRepeatCustomer: fraction.default(0.5),
      /** What one earlier incident on the same cells adds. */
      perPastIncident: fraction.default(0.25),
      /** What one earlier complaint from the same cell adds. */
      perPastCellComplaint: fraction.default(0.1),
    })
    .prefault({}),
  competitor: z
    .strictObject({
      /** Per district: competitor quality relative to ours; 1 is parity, 1.2 means theirs is 20% better. */
      index: z.record(z.string().min(1), z.number().min(0).max(10)).default({}),
      /** Index for districts not listed. */
      defaultIndex: z.number().min(0).max(10).default(1),
      /** Advantage (index − 1) at which the principle is at its maximum (or minimum, if we lead). */
      fullAdvantage: z.number().min(0.01).max(5).default(0.3),
    })
    .prefault({}),
});

export type TriageConfig = z.infer<typeof triageConfigSchema>;
