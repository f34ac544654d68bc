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

  it('a probe\'s finding and its cell\'s failure-rate finding starting together are one place, not "2 cells: X, X"', () => {
    const inc = incident('INC-1', ['CS-0091-2']);
    inc.anomalies = [
      { id: `dt|PRB-CS-22@${T0}`, source: 'dialtest', objectType: 'cell', objectId: 'CS-0091-2', cellId: 'CS-0091-2', signal: 'dialtest.voice', score: 6, startedAt: T0 },
      { id: `dtr|CS-0091-2@${T0}`, source: 'dialtest', objectType: 'cell', objectId: 'CS-0091-2', cellId: 'CS-0091-2', signal: 'dialtest.voice', score: 21.5, startedAt: T0 },
    ];
    const lines = incidentTimeline(inc, [], undefined).filter((e) => e.kind === 'anomaly');
    expect(lines.map((e) => e.text)).toEqual(['dialtest.voice anomaly at cell CS-0091-2 — dialtest, score 21.5']);
  });

  it('says what a score-less anomaly is — a threshold, an alarm, a probe\'s failures — instead of "score 0.0"', () => {
    const inc = incident('INC-1', ['C-1', 'C-2']);
    const base = { objectType: 'cell' as const, startedAt: T0 };
    inc.anomalies = [
      { ...base, id: `thr|C-1|availability@${T0}`, source: 'pm', objectId: 'C-1', cellId: 'C-1', signal: 'availability', score: 0 },
      { ...base, id: `thr|C-2|availability@${T0}`, source: 'pm', objectId: 'C-2', cellId: 'C-2', signal: 'availability', score: 0 },
      { ...base, id: `alarm|site|S-1|power_failure@${T0 + MIN}`, source: 'alarm', objectType: 'site', objectId: 'S-1', signal: 'power_failure', score: 1, startedAt: T0 + MIN },
      { ...base, id: `dt|PRB-1@${T0 + 2 * MIN}`, source: 'dialtest', objectId: 'C-1', cellId: 'C-1', signal: 'dialtest.ping', score: 19, startedAt: T0 + 2 * MIN },
      { ...base, id: `nodata|C-1|pm@${T0 + 3 * MIN}`, source: 'missing_data', objectId: 'C-1', cellId: 'C-1', signal: 'no_data', score: 3.07, startedAt: T0 + 3 * MIN },
    ];
    expect(incidentTimeline(inc, [], undefined).filter((e) => e.kind === 'anomaly').map((e) => e.text)).toEqual([
      'availability anomaly at 2 cells: C-1, C-2 — pm, threshold',
      'power failure anomaly at site S-1 — alarm',
      'dialtest.ping anomaly at cell C-1 — dialtest, 19 failed tests in a row',
      'no data anomaly at cell C-1 — missing_data, 3 periods without data',
    ]);
  });

  it('counts with thousands separators', () => {
    const cells = Array.from({ length: 1105 }, (_, i) => `C-${i}`);
    const inc = incident('INC-1', cells, { rootCause: { objectType: 'core', objectId: 'MME-1', category: 'core' } });
    inc.anomalies = cells.map((c) => ({ id: `sig|${c}|attach@${T0}`, source: 'signaling' as const, objectType: 'cell' as const, objectId: c, cellId: c, signal: 'attach', score: 4.3, startedAt: T0 }));
    const items = incidentTimeline(inc, [], undefined);
    expect(items[0]!.text).toBe('attach anomaly at 1,105 cells: C-0, C-1, C-2 +1,102 more — signaling, score 4.3');
    expect(items.find((e) => e.kind === 'detected')!.text).toBe('incident opened: core at core MME-1, 1,105 cells, major');
  });
});
