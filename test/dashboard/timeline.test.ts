/** The incident timeline (GET /api/v1/dashboard/incidents/:id/timeline) assembled from the documents. */
import { describe, expect, it } from 'vitest';
import { incidentTimeline } from '../../src/dashboard/timeline.js';
import { T0, incident, ticket } from './fixtures.js';

const MIN = 60_000;
const H = 60 * MIN;

describe('incident timeline', () => {
  it('lists every SLA deadline — respond, on site, resolve — and says which were met', () => {
    const inc = incident('INC-1', ['C-1'], { ticketId: 'TKT-1' });
    const t = ticket('TKT-1', 'INC-1', {
      state: 'acknowledged', createdAt: T0, times: { acknowledgedAt: T0 + 30 * MIN },
      sla: { respondBy: T0 + 2 * H, onsiteBy: T0 + 24 * H, resolveBy: T0 + 48 * H, breached: [] },
    });
    const sla = incidentTimeline(inc, [], t).filter((e) => e.kind === 'sla');
    expect(sla.map((e) => [(e.t - T0) / H, e.text])).toEqual([
      [2, 'SLA: respond by — met'],
      [24, 'SLA: on site by'],
      [48, 'SLA: resolve by'],
    ]);
  });

  it('a breached deadline is one red line at the time it passed, not also a "by" line', () => {
    const inc = incident('INC-1', ['C-1'], { ticketId: 'TKT-1' });
    const t = ticket('TKT-1', 'INC-1', {
      createdAt: T0, sla: { respondBy: T0 + 2 * H, onsiteBy: T0 + 24 * H, resolveBy: T0 + 48 * H, breached: ['respond', 'onsite'] },
      breaches: [{ stage: 'respond', at: T0 + 2 * H }, { stage: 'onsite', at: T0 + 24 * H }],
    });
    const sla = incidentTimeline(inc, [], t).filter((e) => e.kind === 'sla');
    expect(sla.map((e) => [e.text, e.alert ?? false])).toEqual([
      ['SLA breached: respond', true],
      ['SLA breached: on site', true],
      ['SLA: resolve by', false],
    ]);
  });
});
