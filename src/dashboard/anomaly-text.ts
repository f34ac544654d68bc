/**
 * What an anomaly's `score` means, in words, for the timeline (server) and the cell panel (page).
 * Only the statistical detectors have a score worth printing; an alarm is an alarm, a static
 * threshold has no score (0.0 would read as "nothing wrong"), and a probe's score counts failures.
 * The detector is recognised by its anomaly id's key (`thr|…`, `dt|…`: detectors/) or its evidence.
 * Pure: no DOM, no server imports, so both sides can use it.
 */

import { plural } from './page/format.js';

/** The fields of an anomaly this needs; the incident document and the cell API both have them. */
export interface AnomalyLike {
  id?: string;
  source: string;
  signal: string;
  score: number;
  evidence?: Record<string, number | string | boolean | null>;
}

/** A short phrase for the anomaly's measure ("score 4.3", "threshold", "alarm", "6 failed tests in a row", "3 periods without data"), or ''. */
export function anomalyMeasure(a: AnomalyLike): string {
  if (a.source === 'alarm') return a.signal === 'alarm_storm' ? 'alarm storm' : a.score > 1 ? 'alarm, flapping' : 'alarm';
  if (a.evidence?.static === true || a.id?.startsWith('thr|')) return 'threshold';
  // Its score is how many reporting periods went by without data.
  if (a.source === 'missing_data') return `${plural(Math.floor(a.score), 'period')} without data`;
  // A probe's finding counts its consecutive failed tests (detectors/dialtest-detector.ts, key `dt|probe`).
  if (a.id?.startsWith('dt|') || typeof a.evidence?.consecutiveFailures === 'number') return `${Math.round(a.score)} failed tests in a row`;
  return a.score > 0 ? `score ${a.score.toFixed(1)}` : '';
}
