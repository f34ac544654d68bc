/** Tickets in /metrics: by state, and by department and state, counted at each scrape. */
import { describe, expect, it } from 'vitest';
import { evaluationConfigSchema } from '../../src/evaluation/config.js';
import { RollingEvaluation } from '../../src/evaluation/rolling-evaluation.js';
import type { Ticket } from '../../src/model/index.js';
import { createMemoryStore } from '../../src/store/store.js';
import { Metrics } from '../../src/telemetry/metrics.js';
import { TicketTelemetry } from '../../src/tickets/ticket-telemetry.js';
import { ticket } from '../outputs/ticketing/helpers.js';

function scrape(live: Ticket[]) {
  const metrics = new Metrics({ defaultMetrics: false });
  const evaluation = new RollingEvaluation({ config: evaluationConfigSchema.parse({}), data: () => { throw new Error('unused'); }, watermark: () => null });
  new TicketTelemetry({ metrics, store: createMemoryStore(), live: () => live, evaluation });
  return metrics.render().then((r) => r.body.split('\n'));
}

describe('nocwatch_department_tickets', () => {
  it.each([
    {
      name: 'each department\'s tickets by state',
      live: [
        ticket('TKT-1', 1, { department: 'maintenance', state: 'open' }),
        ticket('TKT-2', 1, { department: 'maintenance', state: 'open' }),
        ticket('TKT-3', 1, { department: 'optimization', state: 'resolved' }),
        ticket('TKT-4', 1, { department: 'construction', state: 'in_progress' }),
      ],
      expect: {
        '{department="maintenance",state="open"}': 2,
        '{department="optimization",state="resolved"}': 1,
        '{department="construction",state="in_progress"}': 1,
        '{department="optimization",state="open"}': 0,
      },
      total: { open: 2, resolved: 1, in_progress: 1 },
    },
    { name: 'no tickets: every series at 0', live: [], expect: { '{department="maintenance",state="reopened"}': 0 }, total: { open: 0 } },
  ])('$name', async ({ live, expect: want, total }) => {
    const lines = await scrape(live);
    const dept = lines.filter((l) => l.startsWith('nocwatch_department_tickets{'));
    // 3 departments × 7 states, all present.
    expect(dept).toHaveLength(21);
    for (const [labels, n] of Object.entries(want)) expect(dept).toContain(`nocwatch_department_tickets${labels} ${n}`);
    // Summed over departments: the existing nocwatch_tickets{state}.
    for (const [state, n] of Object.entries(total)) expect(lines).toContain(`nocwatch_tickets{state="${state}"} ${n}`);
  });
});
