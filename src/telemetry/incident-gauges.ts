/**
 * Open incidents in /metrics, counted from the incident stage's live incidents before each scrape,
 * so Prometheus can alert on them (`nocwatch_incidents_open{severity="critical",confirmed="true"} > 0`).
 * Labels come from fixed sets only — severity × root-cause category × confirmed, 64 series, every
 * one present (0 when none) so a rule never sees an absent series where it means none.
 */
import type { Incident } from '../model/index.js';
import { ROOT_CAUSE_CATEGORIES, SEVERITIES } from '../model/index.js';
import type { Metrics } from './metrics.js';

export interface IncidentGaugesDeps {
  metrics: Pick<Metrics, 'incidentsOpen' | 'onScrape'>;
  /** The incident stage's live incidents (open, and resolved ones that may still reopen). */
  live: () => Iterable<Incident>;
  /** Reports a failure to count (a scrape must still answer). */
  onError?: (err: unknown) => void;
}

export class IncidentGauges {
  constructor(private readonly deps: IncidentGaugesDeps) {
    deps.metrics.onScrape(() => this.refresh());
  }

  refresh(): void {
    try {
      const counts = new Map<string, number>();
      for (const inc of this.deps.live()) {
        if (inc.state !== 'open') continue;
        const key = keyOf(inc.severity, inc.rootCause.category, inc.confirmed !== false);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const g = this.deps.metrics.incidentsOpen;
      for (const severity of SEVERITIES) {
        for (const category of ROOT_CAUSE_CATEGORIES) {
          for (const confirmed of [true, false]) {
            g.set({ severity, category, confirmed: String(confirmed) }, counts.get(keyOf(severity, category, confirmed)) ?? 0);
          }
        }
      }
    } catch (err) {
      this.deps.onError?.(err);
    }
  }
}

const keyOf = (severity: string, category: string, confirmed: boolean): string => `${severity}|${category}|${confirmed}`;
