/**
 * The five-principle triage of the "filter" step, as pure functions: return on investment, customer
 * class, area importance, repeat count and competitor comparison each give a value in 0..1 (the
 * competitor principle −1..1), combined into a 0–100 score, a class and the reasons in words.
 */
import type {
  AreaClass, CustomerClass, Department, RootCauseCategory, Severity, Triage, TriageClass, TriagePrinciple,
} from '../model/index.js';
import type { TriageConfig } from './config.js';

/** What triage looks at; built by the incident stage from an incident or from a lone complaint. */
export interface TriageSubject {
  /** The (likely) root cause: decides the likely fix and so the cost side of the investment. */
  category: RootCauseCategory;
  severity: Severity;
  /** Subscribers affected (served by the affected cells, or represented by complaints). */
  subscribers: number;
  /** Complainants by customer class. */
  complainants: Partial<Record<CustomerClass, number>>;
  /** Area classes of the affected cells. */
  areaClasses: readonly AreaClass[];
  /** Complainants who already complained within the repeat window. */
  repeatCustomers: number;
  /** Earlier incidents on the same cells within the repeat window. */
  pastIncidents: number;
  /** Earlier complaints from the same cells within the repeat window. */
  pastCellComplaints: number;
  /** Districts touched: for the competitor comparison. */
  districts: readonly string[];
}

interface PrincipleResult {
  principle: TriagePrinciple;
  /** 0..1 (competitor: −1..1, negative when we lead). */
  value: number;
  reason: string | null;
}

const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

const logShare = (x: number, full: number): number => Math.min(1, Math.log1p(Math.max(0, x)) / Math.log1p(full));

/** The department likely to fix a problem: optimise before you build, unless it keeps coming back. */
export function likelyFix(category: RootCauseCategory, pastIncidents: number, cfg: TriageConfig): Department {
  const chronic = (category === 'coverage' || category === 'congestion') &&
    pastIncidents >= cfg.returnOnInvestment.chronicAfterIncidents;
  return chronic ? 'construction' : cfg.returnOnInvestment.fixByCategory[category];
}

/** Return on investment: subscribers and revenue at risk against the cost of the likely fix. */
export function returnOnInvestment(s: TriageSubject, cfg: TriageConfig): PrincipleResult {
  const r = cfg.returnOnInvestment;
  const revenue = s.subscribers * r.monthlyArpu * r.churnRisk[s.severity];
  const gain = 0.5 * logShare(s.subscribers, r.subscribersForFullImpact) + 0.5 * logShare(revenue, r.revenueForFullValue);
  const fix = likelyFix(s.category, s.pastIncidents, cfg);
  const cheapest = Math.min(...Object.values(r.fixCost));
  const costFactor = Math.sqrt(cheapest / r.fixCost[fix]);
  const cost = costFactor >= 0.99 ? 'cheap' : costFactor >= 0.6 ? 'moderate cost' : 'expensive';
  return {
    principle: 'returnOnInvestment',
    value: gain * costFactor,
    reason: `${fmt.format(s.subscribers)} subscribers affected, ${r.currency}${fmt.format(revenue)}/month at risk; likely fix: ${fix} (${cost})`,
  };
}

/** Customer class: VIP and enterprise complainants; several add up with diminishing returns. */
export function customerClass(s: TriageSubject, cfg: TriageConfig): PrincipleResult {
  const values: number[] = [];
  for (const [cls, n] of Object.entries(s.complainants) as [CustomerClass, number][]) {
    for (let i = 0; i < Math.min(n, 20); i++) values.push(cfg.customerClass[cls]);
  }
  values.sort((a, b) => b - a);
  const value = Math.min(1, values.reduce((sum, v, i) => sum + v * 0.5 ** i, 0));
  const named = (['vip_diamond', 'vip_gold', 'vip_silver', 'enterprise'] as const)
    .filter((c) => (s.complainants[c] ?? 0) > 0)
    .map((c) => `${s.complainants[c]} ${c.replace('vip_', 'VIP ')}`);
  const total = Object.values(s.complainants).reduce((a, b) => a + (b ?? 0), 0);
  let reason: string | null = null;
  if (named.length > 0) reason = `complainants: ${named.join(', ')}`;
  else if (total > 0) reason = `${total} regular complainant${total === 1 ? '' : 's'}`;
  return { principle: 'customerClass', value, reason };
}

/** Area importance: the most important area class among the affected cells. */
export function areaImportance(s: TriageSubject, cfg: TriageConfig): PrincipleResult {
  let best: AreaClass | null = null;
  for (const a of s.areaClasses) if (best === null || cfg.areaImportance[a] > cfg.areaImportance[best]) best = a;
  return {
    principle: 'areaImportance',
    value: best === null ? 0 : cfg.areaImportance[best],
    reason: best === null ? null : `area: ${best}`,
  };
}

/** Repeat count: the same customers again, the same cells again, within the repeat window. */
export function repeatCount(s: TriageSubject, cfg: TriageConfig): PrincipleResult {
  const r = cfg.repeat;
  const value = Math.min(1,
    s.repeatCustomers * r.perRepeatCustomer + s.pastIncidents * r.perPastIncident + s.pastCellComplaints * r.perPastCellComplaint);
  const parts: string[] = [];
  if (s.repeatCustomers > 0) parts.push(`${s.repeatCustomers} customer${s.repeatCustomers === 1 ? '' : 's'} complaining again`);
  if (s.pastIncidents > 0) parts.push(`${s.pastIncidents} earlier incident${s.pastIncidents === 1 ? '' : 's'} on these cells`);
  if (s.pastCellComplaints > 0) parts.push(`${s.pastCellComplaints} earlier complaint${s.pastCellComplaints === 1 ? '' : 's'} from these cells`);
  return { principle: 'repeat', value, reason: parts.length ? `repeat: ${parts.join(', ')}` : null };
}

/** Competitor comparison: where the competitor is better than us, customers can leave. */
export function competitorComparison(s: TriageSubject, cfg: TriageConfig): PrincipleResult {
  const c = cfg.competitor;
  let worst: { district: string; index: number } | null = null;
  for (const d of s.districts) {
    const index = c.index[d] ?? c.defaultIndex;
    if (worst === null || index > worst.index) worst = { district: d, index };
  }
  if (worst === null) return { principle: 'competitor', value: 0, reason: null };
  const value = Math.max(-1, Math.min(1, (worst.index - 1) / c.fullAdvantage));
  let reason: string | null = null;
  if (value > 0.05) reason = `competitor stronger in ${worst.district} (index ${worst.index.toFixed(2)})`;
  else if (value < -0.05) reason = `we lead the competitor in ${worst.district} (index ${worst.index.toFixed(2)})`;
  return { principle: 'competitor', value, reason };
}

/** The class a score falls in. */
export function classOf(score: number, cfg: TriageConfig): TriageClass {
  if (score >= cfg.thresholds.mustSolve) return 'must_solve';
  return score >= cfg.thresholds.routine ? 'routine' : 'defer';
}

/**
 * Scores a subject on the five principles. Each principle p gives v_p; the score is
 * 100 × (1 − Π(1 − w_p·v_p)) over the principles that push up, then scaled down by
 * (1 − w·|v|/2) when we clearly lead the competitor there. Reasons are ordered by contribution.
 */
export function triage(s: TriageSubject, cfg: TriageConfig): Triage {
  const results = [
    returnOnInvestment(s, cfg), customerClass(s, cfg), areaImportance(s, cfg), repeatCount(s, cfg), competitorComparison(s, cfg),
  ];
  let keep = 1;
  let damp = 1;
  const contributions: { reason: string | null; weight: number }[] = [];
  for (const r of results) {
    const w = cfg.weights[r.principle];
    if (r.value >= 0) {
      keep *= 1 - w * r.value;
      contributions.push({ reason: r.reason, weight: w * r.value });
    } else {
      damp *= 1 - (w * -r.value) / 2;
      contributions.push({ reason: r.reason, weight: (w * -r.value) / 2 });
    }
  }
  const score = Math.round(100 * (1 - keep) * damp);
  contributions.sort((a, b) => b.weight - a.weight);
  const principles: Partial<Record<TriagePrinciple, number>> = {};
  for (const r of results) principles[r.principle] = Math.round(r.value * 1000) / 1000;
  return {
    class: classOf(score, cfg),
    score,
    reasons: contributions.filter((c) => c.reason !== null && c.weight > 0.005).map((c) => c.reason as string),
    principles,
  };
}
