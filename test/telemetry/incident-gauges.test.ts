/** Open incidents in /metrics: what Prometheus alerts on, counted at each scrape from the live incidents. */
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/model/index.js';
import { IncidentGauges } from '../../src/telemetry/incident-gauges.js';
import { Metrics } from '../../src/telemetry/metrics.js';
import { incident } from '../tickets/fixtures.js';

/** The sample lines of one metric in the exposition, without the HELP/TYPE lines. */
async function samples(m: Metrics, name: string): Promise<string[]> {
  const { body } = await m.render();
  return body.split('\n').filter((l) => l.startsWith(`${name}{`));
}

const inc = (id: string, over: Partial<Incident> & { category?: Incident['rootCause']['category'] }) => incident({ id, ...over });

describe('nocwatch_incidents_open', () => {
  const cases: { name: string; live: Incident[]; expect: Record<string, number> }[] = [
    {
      name: 'open incidents by severity, category and confirmation; resolved ones do not count',
      live: [
        inc('INC-1', { severity: 'critical', category: 'core', rootCause: { objectType: 'core', objectId: 'MME-CS-01', category: 'core' } }),
        inc('INC-2', { severity: 'critical', category: 'outage' }),
        inc('INC-3', { severity: 'critical', category: 'outage' }),
        inc('INC-4', { severity: 'minor', category: 'interference', confirmed: false }),
        inc('INC-5', { severity: 'critical', category: 'outage', state: 'resolved', resolvedAt: 1 }),
      ],
      expect: {
        '{severity="critical",category="core",confirmed="true"}': 1,
        '{severity="critical",category="outage",confirmed="true"}': 2,
        '{severity="minor",category="interference",confirmed="false"}': 1,
        '{severity="major",category="outage",confirmed="true"}': 0,
      },
    },
    {
      name: 'nothing open: every series is there, at 0',
      live: [],
      expect: { '{severity="critical",category="core",confirmed="true"}': 0, '{severity="warning",category="unknown",confirmed="false"}': 0 },
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const m = new Metrics({ defaultMetrics: false });
      new IncidentGauges({ metrics: m, live: () => c.live });
      const lines = await samples(m, 'nocwatch_incidents_open');
      // 4 severities × 8 categories × confirmed or not: bounded, and all present.
      expect(lines).toHaveLength(64);
      for (const [labels, n] of Object.entries(c.expect)) expect(lines).toContain(`nocwatch_incidents_open${labels} ${n}`);
    });
  }

  it('counts at each scrape: an incident that resolved since the last one is gone', async () => {
    const live = [inc('INC-1', { severity: 'critical', category: 'outage' })];
    const m = new Metrics({ defaultMetrics: false });
    new IncidentGauges({ metrics: m, live: () => live });
    expect(await samples(m, 'nocwatch_incidents_open')).toContain('nocwatch_incidents_open{severity="critical",category="outage",confirmed="true"} 1');
    live[0] = { ...live[0]!, state: 'resolved' };
    expect(await samples(m, 'nocwatch_incidents_open')).toContain('nocwatch_incidents_open{severity="critical",category="outage",confirmed="true"} 0');
  });
});
