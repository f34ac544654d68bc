import { describe, expect, it } from 'vitest';
import type { RootCauseCategory } from '../../src/model/index.js';
import { ticketsConfigSchema } from '../../src/tickets/config.js';
import { Router } from '../../src/tickets/routing.js';
import { T0, H, incident } from './fixtures.js';

const routing = ticketsConfigSchema.parse({}).routing;

describe('department routing', () => {
  const table: [RootCauseCategory, string][] = [
    ['outage', 'maintenance'],
    ['transport', 'maintenance'],
    ['core', 'maintenance'],
    ['degradation', 'optimization'],
    ['interference', 'optimization'],
    ['congestion', 'optimization'],
    ['coverage', 'optimization'],
    ['unknown', 'optimization'],
  ];
  it.each(table)('a first %s ticket goes to %s', (category, department) => {
    const r = new Router(routing);
    expect(r.route(incident({ category }), 'TKT-1', T0).department).toBe(department);
  });

  it('an equipment or power alarm sends a degradation to maintenance', () => {
    const r = new Router(routing);
    const inc = incident({
      category: 'degradation',
      anomalies: [{ id: 'a', source: 'alarm', objectType: 'site', objectId: 'SITE-1', signal: 'RRU_VSWR_ALARM', score: 5, startedAt: T0 }],
    });
    const d = r.route(inc, 'TKT-1', T0);
    expect(d.department).toBe('maintenance');
    expect(d.reasons[0]).toContain('RRU_VSWR_ALARM');
  });

  it('a minor or warning equipment alarm (background noise, a flapping VSWR) does not make it a field job', () => {
    const r = new Router(routing);
    const alarm = (severity: 'minor' | 'warning' | 'major') => incident({
      category: 'interference',
      anomalies: [{ id: 'a', source: 'alarm', objectType: 'cell', objectId: 'C-1', signal: 'vswr_over_threshold', score: 2, startedAt: T0, severity }],
    });
    expect(r.route(alarm('minor'), 'TKT-1', T0).department).toBe('optimization');
    expect(r.route(alarm('warning'), 'TKT-1', T0).department).toBe('optimization');
    expect(r.route(alarm('major'), 'TKT-1', T0).department).toBe('maintenance');
  });

  it('optimise before you build: coverage goes to construction only after repeated optimisation on the same cells', () => {
    const r = new Router(routing);
    const week = 7 * 24 * H;
    const cov = (n: number, cells = ['C-1']) => incident({ id: `INC-${n}`, category: 'coverage', cells });
    r.history.record(['C-1'], { ticketId: 'TKT-a', at: T0 - 5 * week, department: 'optimization', category: 'coverage' });
    expect(r.route(cov(1), 'TKT-1', T0).department).toBe('optimization');
    r.history.record(['C-1', 'C-9'], { ticketId: 'TKT-b', at: T0 - 2 * week, department: 'optimization', category: 'coverage' });
    const chronic = r.route(cov(2), 'TKT-2', T0);
    expect(chronic.department).toBe('construction');
    expect(chronic.reasons[0]).toContain('TKT-a');
    // Other cells, or repeats older than the look-back, do not count.
    expect(r.route(cov(3, ['C-5']), 'TKT-3', T0).department).toBe('optimization');
    expect(r.route(cov(4), 'TKT-4', T0 + 4 * week).department).toBe('optimization');
  });

  it('with constructionMinRepeats 0, every coverage problem goes to construction at once', () => {
    const r = new Router(ticketsConfigSchema.parse({ routing: { constructionMinRepeats: 0 } }).routing);
    expect(r.route(incident({ category: 'coverage' }), 'TKT-1', T0).department).toBe('construction');
    expect(r.route(incident({ category: 'interference' }), 'TKT-2', T0).department).toBe('optimization');
  });

  it('repeats of another kind (maintenance, other category) do not make a problem chronic', () => {
    const r = new Router(routing);
    r.history.record(['C-1'], { ticketId: 'TKT-a', at: T0 - H, department: 'maintenance', category: 'coverage' });
    r.history.record(['C-1'], { ticketId: 'TKT-b', at: T0 - H, department: 'optimization', category: 'interference' });
    expect(r.route(incident({ category: 'coverage', cells: ['C-1'] }), 'TKT-1', T0).department).toBe('optimization');
  });
});
