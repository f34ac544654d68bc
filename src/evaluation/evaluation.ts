/**
 * The evaluate step: process KPIs over a period, overall and per region, department or class.
 * A pure function of the tickets, callbacks, pool entries and complaints of the period, so the
 * API, the Prometheus gauges and the benchmarks compute the same numbers.
 *
 * Ratios are 0..1 and `null` when their denominator is empty (no evidence is not 0 %); durations
 * are seconds.
 */
import type { SlaStage, Ticket } from '../model/index.js';
import { isoTime, SLA_STAGES } from '../model/index.js';
import { deadlineOf, metAt } from '../tickets/sla.js';
import { isActive } from '../tickets/state-machine.js';
import type { CallbackTask, DissatisfiedEntry } from '../tickets/callback-store.js';

export const GROUP_BYS = ['region', 'department', 'class'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export interface EvaluationData {
  from: number;
  to: number;
  /** Tickets created in [from, to). */
  tickets: readonly Ticket[];
  /** Follow-up rows of tickets verified in [from, to). */
  callbacks: readonly CallbackTask[];
  /** Pool entries from `from` to the end of the repeat window after `to`. */
  dissatisfied: readonly DissatisfiedEntry[];
  /** Complaints received in [from, to), with the region they were placed in. */
  complaints: readonly { complaintId: string; region: string | null }[];
  subscribers: { total: number; byRegion: ReadonlyMap<string, number> };
}

export interface Quantiles {
  median: number | null;
  p90: number | null;
  n: number;
}

export interface ProcessKpis {
  tickets: number;
  /** Tickets whose incident drew at least one complaint: the base of the proactive ratio. */
  ticketsWithComplaints: number;
  /** Of the tickets that drew complaints, the share opened before the first complaint. */
  proactiveRatio: number | null;
  /** Problem start → detection (the incident's detectedAt − openedAt). */
  timeToDetectS: Quantiles;
  /** Ticket creation → first response. */
  timeToAcknowledgeS: Quantiles;
  /** Ticket creation → resolution. */
  timeToResolveS: Quantiles;
  /** Per SLA stage: met / (met + breached), undecided clocks left out. */
  slaAttainment: Record<SlaStage, number | null>;
  /** The same over every stage together. */
  slaOverall: number | null;
  /** Resolutions the network confirmed / all resolutions judged. */
  verificationPassRate: number | null;
  /** Tickets reopened at least once / tickets resolved at least once. */
  reopenRate: number | null;
  /** Complainants of verified fixes who complained again within the window / all of them. */
  repeatComplaintRate: number | null;
  complaints: number;
  complaintsPer10kSubscribers: number | null;
  callbacks: { due: number; done: number; reachRate: number | null; satisfactionRate: number | null; meanScore: number | null };
  /** Distinct customers that entered the dissatisfied pool in the period. */
  dissatisfiedCustomers: number;
}

export interface EvaluationReport {
  from: string;
  to: string;
  groupBy: GroupBy | null;
  overall: ProcessKpis;
  groups: ({ key: string } & ProcessKpis)[];
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

/** Linear-interpolated quantile of sorted values. */
function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function quantiles(values: number[]): Quantiles {
  // A detection stamped before the problem's first evidence (the watermark trails the newest
  // events) is an immediate one: 0, not a sample to drop.
  const s = values.filter((v) => Number.isFinite(v)).map((v) => Math.max(0, v)).sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p90: quantile(s, 0.9), n: s.length };
}

function firstResponse(t: Ticket): number | undefined {
  const x = t.times ?? {};
  const v = [x.acknowledgedAt, x.dispatchedAt, x.onsiteAt].filter((n): n is number => n != null);
  return v.length > 0 ? Math.min(...v) : undefined;
}

function kpis(
  tickets: readonly Ticket[],
  callbacks: readonly CallbackTask[],
  pool: readonly DissatisfiedEntry[],
  complaints: number,
  subscribers: number,
  period: { from: number; to: number },
): ProcessKpis {
  const withComplaints = tickets.filter((t) => t.complaintIds.length > 0);
  const sla = {} as Record<SlaStage, number | null>;
  let allMet = 0;
  let allMissed = 0;
  for (const stage of SLA_STAGES) {
    let met = 0;
    let missed = 0;
    for (const t of tickets) {
      if (deadlineOf(t.sla, stage) == null) continue;
      if (t.sla.breached.includes(stage)) missed += 1;
      else if (metAt(t.times ?? {}, stage, isActive(t.state)) != null) met += 1;
    }
    sla[stage] = ratio(met, met + missed);
    allMet += met;
    allMissed += missed;
  }
  let passed = 0;
  let failed = 0;
  for (const t of tickets) {
    passed += t.verification?.passed ?? 0;
    failed += t.verification?.failed ?? 0;
  }
  const everResolved = tickets.filter((t) => t.times?.resolvedAt != null || (t.reopenCount ?? 0) > 0);
  const repeatKeys = new Set(pool.filter((e) => e.reason === 'complained_again').map((e) => e.complaintId));
  const due = callbacks.filter((c) => c.reason != null);
  const done = callbacks.filter((c) => c.result != null);
  const reached = done.filter((c) => c.result!.reached);
  const scores = reached.map((c) => c.result!.score).filter((s): s is number => s != null);
  return {
    tickets: tickets.length,
    ticketsWithComplaints: withComplaints.length,
    proactiveRatio: ratio(withComplaints.filter((t) => t.proactive).length, withComplaints.length),
    timeToDetectS: quantiles(tickets.filter((t) => t.detectedAt != null && t.problemStartedAt != null)
      .map((t) => (t.detectedAt! - t.problemStartedAt!) / 1000)),
    timeToAcknowledgeS: quantiles(tickets.map((t) => firstResponse(t)).map((r, i) => (r == null ? NaN : (r - tickets[i].createdAt) / 1000))),
    timeToResolveS: quantiles(tickets.filter((t) => t.times?.resolvedAt != null).map((t) => (t.times!.resolvedAt! - t.createdAt) / 1000)),
    slaAttainment: sla,
    slaOverall: ratio(allMet, allMet + allMissed),
    verificationPassRate: ratio(passed, passed + failed),
    reopenRate: ratio(everResolved.filter((t) => (t.reopenCount ?? 0) > 0).length, everResolved.length),
    repeatComplaintRate: ratio(callbacks.filter((c) => repeatKeys.has(c.complaintId)).length, callbacks.length),
    complaints,
    complaintsPer10kSubscribers: subscribers > 0 ? (complaints * 10_000) / subscribers : null,
    callbacks: {
      due: due.length,
      done: done.length,
      reachRate: ratio(reached.length, done.length),
      satisfactionRate: ratio(reached.filter((c) => c.result!.satisfied === true).length, reached.filter((c) => c.result!.satisfied != null).length),
      meanScore: scores.length > 0 ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
    },
    dissatisfiedCustomers: new Set(pool.filter((e) => e.at >= period.from && e.at < period.to).map((e) => e.customerId)).size,
  };
}

type Keyed = { region?: string | null; department: string; class: string };
const keyOf = (x: Keyed, by: GroupBy): string => (by === 'region' ? (x.region ?? 'unknown') : by === 'department' ? x.department : x.class);

export function evaluate(data: EvaluationData, groupBy: GroupBy | null = null): EvaluationReport {
  const period = { from: data.from, to: data.to };
  const overall = kpis(data.tickets, data.callbacks, data.dissatisfied, data.complaints.length, data.subscribers.total, period);
  const groups: EvaluationReport['groups'] = [];
  if (groupBy) {
    const keys = new Set<string>([...data.tickets.map((t) => keyOf(t, groupBy)), ...data.callbacks.map((c) => keyOf(c, groupBy))]);
    if (groupBy === 'region') for (const c of data.complaints) keys.add(c.region ?? 'unknown');
    for (const key of [...keys].sort()) {
      const tickets = data.tickets.filter((t) => keyOf(t, groupBy) === key);
      const complaints = groupBy === 'region'
        ? data.complaints.filter((c) => (c.region ?? 'unknown') === key).length
        // By department or class: the complaints the group's tickets carry.
        : tickets.reduce((n, t) => n + t.complaintIds.length, 0);
      const subscribers = groupBy === 'region' ? (data.subscribers.byRegion.get(key) ?? 0) : data.subscribers.total;
      groups.push({
        key,
        ...kpis(tickets, data.callbacks.filter((c) => keyOf(c, groupBy) === key), data.dissatisfied.filter((e) => keyOf(e, groupBy) === key), complaints, subscribers, period),
      });
    }
  }
  return { from: isoTime(data.from), to: isoTime(data.to), groupBy, overall, groups };
}
