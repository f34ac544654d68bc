/**
 * Tickets in /metrics: counts every ticket change and SLA breach after each commit, and refreshes
 * the gauges read from state (tickets by state and by department, stale tickets, the outbox,
 * callbacks, the pool, the process KPIs) before each scrape.
 */
import type { Ticket } from '../model/index.js';
import { DEPARTMENTS, TICKET_STATES, TRIAGE_CLASSES } from '../model/index.js';
import type { BatchOutcome, PipelineListener } from '../pipeline/stages.js';
import type { Store } from '../store/store.js';
import type { Metrics } from '../telemetry/metrics.js';
import { publishEvaluation } from '../evaluation/evaluation-gauges.js';
import type { RollingEvaluation } from '../evaluation/rolling-evaluation.js';
import { OUTBOX_STATES } from '../outputs/ticketing/outbox-entry.js';

export interface TicketTelemetryDeps {
  metrics: Metrics;
  store: Pick<Store, 'outbox' | 'callbacks'>;
  /** The ticket stage's live tickets. */
  live: () => Iterable<Readonly<Ticket>>;
  /** The process KPIs over the evaluation window (cached; shared with the dashboard). */
  evaluation: RollingEvaluation;
  /** Reports a failure to refresh (a scrape must still answer). */
  onError?: (err: unknown) => void;
}

export class TicketTelemetry implements PipelineListener {
  private published: unknown = null;

  constructor(private readonly deps: TicketTelemetryDeps) {
    deps.metrics.onScrape(() => this.refresh());
  }

  onBatch(outcome: BatchOutcome): void {
    const m = this.deps.metrics;
    for (const ch of outcome.ticketChanges) {
      m.ticketChanges.inc({ type: ch.type });
      if (ch.type === 'sla_breach') {
        const last = ch.ticket.breaches?.at(-1);
        if (last) m.slaBreaches.inc({ stage: last.stage, class: ch.ticket.class });
      }
    }
  }

  refresh(): void {
    const { metrics: m, store } = this.deps;
    try {
      const byState = Object.fromEntries(TICKET_STATES.map((s) => [s, 0])) as Record<string, number>;
      const byDepartment = Object.fromEntries(DEPARTMENTS.map((d) => [d, { ...byState }])) as Record<string, Record<string, number>>;
      const stale = Object.fromEntries(TRIAGE_CLASSES.map((c) => [c, 0])) as Record<string, number>;
      for (const t of this.deps.live()) {
        byState[t.state] += 1;
        byDepartment[t.department]![t.state] += 1;
        if (t.stale) stale[t.class] += 1;
      }
      for (const [state, n] of Object.entries(byState)) m.tickets.set({ state }, n);
      for (const [department, states] of Object.entries(byDepartment)) {
        for (const [state, n] of Object.entries(states)) m.departmentTickets.set({ department, state }, n);
      }
      for (const [cls, n] of Object.entries(stale)) m.ticketsStale.set({ class: cls }, n);
      const outbox = store.outbox.counts();
      for (const s of OUTBOX_STATES) m.outboxEntries.set({ state: s }, outbox[s]);
      const cb = store.callbacks.counts();
      m.callbacks.set({ state: 'pending' }, cb.pending);
      m.callbacks.set({ state: 'done' }, cb.done);
      m.dissatisfiedCustomers.set(cb.dissatisfiedCustomers);
      this.refreshEvaluation();
    } catch (err) {
      this.deps.onError?.(err);
    }
  }

  private refreshEvaluation(): void {
    const report = this.deps.evaluation.report();
    if (report && report !== this.published) publishEvaluation(this.deps.metrics, report);
    this.published = report;
  }
}
