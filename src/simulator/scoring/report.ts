/** The scored table `nocwatch evaluate` prints, and the thresholds that make it exit non-zero. */
import { formatDuration } from '../duration.js';
import type { Ratio, RunScore } from './score.js';

export interface Thresholds {
  minRecall?: number;
  minPrecision?: number;
  minRootCause?: number;
  minLinkage?: number;
  minProactive?: number;
  minRouting?: number;
  maxTtdP90Ms?: number;
  maxIncidentsPerFault?: number;
}

interface Row {
  metric: string;
  value: string;
  threshold: string;
  ok: boolean | null;
}

function pct(r: Ratio): string {
  return r.value === null ? 'n/a' : `${(r.value * 100).toFixed(1)}% (${r.num}/${r.den})`;
}

function dur(ms: number | null): string {
  if (ms === null) return 'n/a';
  const text = formatDuration(Math.round(Math.abs(ms) / 1000) * 1000);
  return ms < 0 ? `-${text}` : text;
}

/** A minimum on a ratio: a missing value (nothing to measure) fails a threshold that was asked for. */
function atLeast(r: Ratio, min: number | undefined): Pick<Row, 'threshold' | 'ok'> {
  if (min === undefined) return { threshold: '', ok: null };
  return { threshold: `≥ ${(min * 100).toFixed(1)}%`, ok: r.value !== null && r.value >= min };
}

function atMost(v: number | null, max: number | undefined, show: (x: number) => string): Pick<Row, 'threshold' | 'ok'> {
  if (max === undefined) return { threshold: '', ok: null };
  return { threshold: `≤ ${show(max)}`, ok: v !== null && v <= max };
}

function rows(s: RunScore, t: Thresholds): Row[] {
  return [
    { metric: 'detection recall', value: pct(s.recall), ...atLeast(s.recall, t.minRecall) },
    { metric: '  only absorbed into an older incident', value: String(s.absorbedOnly), threshold: '', ok: null },
    { metric: 'detection precision', value: pct(s.precision), ...atLeast(s.precision, t.minPrecision) },
    {
      metric: 'incidents per detected fault', value: s.incidentsPerFault === null ? 'n/a' : s.incidentsPerFault.toFixed(2),
      ...atMost(s.incidentsPerFault, t.maxIncidentsPerFault, (x) => x.toFixed(2)),
    },
    { metric: 'root-cause object correct', value: pct(s.rootCause), ...atLeast(s.rootCause, t.minRootCause) },
    { metric: 'time to detect, median', value: dur(s.ttdMedianMs), threshold: '', ok: null },
    { metric: 'time to detect, p90', value: dur(s.ttdP90Ms), ...atMost(s.ttdP90Ms, t.maxTtdP90Ms, dur) },
    { metric: 'complaint linkage accuracy', value: pct(s.linkage), ...atLeast(s.linkage, t.minLinkage) },
    { metric: '  fault complaints linked to their incident', value: pct(s.linkage.fault), threshold: '', ok: null },
    { metric: '  background complaints left unlinked', value: pct(s.linkage.background), threshold: '', ok: null },
    { metric: 'proactive ratio', value: pct(s.proactive), ...atLeast(s.proactive, t.minProactive) },
    { metric: '  of faults that drew complaints', value: pct(s.proactiveWithComplaints), threshold: '', ok: null },
    { metric: 'department routing accuracy', value: pct(s.routing), ...atLeast(s.routing, t.minRouting) },
  ];
}

/** Descriptions of the thresholds the score misses; empty when it meets them all. */
export function failedThresholds(s: RunScore, t: Thresholds): string[] {
  return rows(s, t).filter((r) => r.ok === false).map((r) => `${r.metric.trim()} ${r.value} (want ${r.threshold})`);
}

function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function formatReport(s: RunScore, t: Thresholds, window: { from: number; until: number }): string {
  const head = `${s.faults} faults scored (${s.tooRecent} too recent to count), ${s.incidents} incidents, ` +
    `${new Date(window.from).toISOString()} … ${new Date(window.until).toISOString()} (event time)`;
  const summary = table(
    ['metric', 'value', 'threshold', ''],
    rows(s, t).map((r) => [r.metric, r.value, r.threshold, r.ok === null ? '' : r.ok ? 'ok' : 'FAIL']),
  );
  const faults = table(
    ['fault', 'kind', 'root', 'detected', 'ttd', 'incidents', 'root ok', 'ticket', 'dept (want)', 'proactive', 'complaints linked'],
    s.perFault.map((p) => [
      p.id, p.kind, p.root, p.detected ? 'yes' : p.absorbedInto.length > 0 ? `absorbed by ${p.absorbedInto[0]}` : 'no',
      dur(p.ttdMs), String(p.incidentIds.length),
      p.rootCorrect === null ? '-' : p.rootCorrect ? 'yes' : 'no', p.ticketId ?? '-',
      `${p.department ?? '-'} (${p.expectedDepartment})`, p.proactive ? 'yes' : 'no', `${p.complaintsLinkedRight}/${p.complaints}`,
    ]),
  );
  const missing = s.linkage.missing > 0 ? `\n${s.linkage.missing} simulated complaints are not in the daemon (not ingested yet?)` : '';
  const unmatched = s.unmatched.length === 0 ? '' : `\n\nIncidents that match no fault:\n${table(
    ['incident', 'detected', 'root', 'category', 'cells', 'complaints'],
    s.unmatched.map((u) => [u.id, new Date(u.detectedAt).toISOString(), u.root, u.category ?? '-', String(u.cells), String(u.complaints)]),
  )}`;
  return `${head}\n\n${summary}\n\n${faults}${missing}${unmatched}\n`;
}
