/**
 * The cell panel's active anomalies, one row per signal and start: two detectors often see the same
 * fault (a probe's failed tests and the cell's failure rate, both "dialtest.voice" from the same
 * minute), which read as a duplicate when listed apart. The row keeps each finding's evidence, named.
 */
import { severityRankOf } from '../../model/anomaly.js';
import { anomalyMeasure } from '../anomaly-text.js';
import { evidenceLine } from './format.js';

/** An active anomaly as `GET /api/v1/cells/:id` returns it. */
export interface CellAnomaly {
  id?: string;
  signal: string;
  source: string;
  state: string;
  severity: string;
  score: number;
  startedAt: string;
  resolvedAt: string | null;
  evidence?: Record<string, number | string | boolean | null>;
}

export interface AnomalyRow {
  signal: string;
  sources: string[];
  /** The most advanced state of its findings (firing before resolving before pending). */
  state: string;
  severity: string;
  /** What the scores mean ("score 21.5 · 6 failed tests in a row", "threshold", "alarm"). */
  measure: string;
  startedAt: number;
  /** One line per finding that says something. */
  evidence: string[];
}

const STATE_RANK: Record<string, number> = { firing: 3, resolving: 2, pending: 1 };

export function anomalyRows(list: readonly CellAnomaly[]): AnomalyRow[] {
  const rows = new Map<string, AnomalyRow>();
  for (const a of list) {
    const startedAt = Date.parse(a.startedAt);
    const key = `${a.signal}|${startedAt}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { signal: a.signal, sources: [], state: a.state, severity: a.severity, measure: '', startedAt, evidence: [] }));
    if (!r.sources.includes(a.source)) r.sources.push(a.source);
    if ((STATE_RANK[a.state] ?? 0) > (STATE_RANK[r.state] ?? 0)) r.state = a.state;
    if (severityRankOf(a.severity) > severityRankOf(r.severity)) r.severity = a.severity;
    const m = anomalyMeasure(a);
    if (m && !r.measure.split(' · ').includes(m)) r.measure = r.measure ? `${r.measure} · ${m}` : m;
    const ev = evidenceLine(a.evidence);
    if (ev && !r.evidence.includes(ev)) r.evidence.push(ev);
  }
  return [...rows.values()];
}
