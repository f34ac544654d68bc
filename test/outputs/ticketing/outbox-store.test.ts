import { describe, expect, it } from 'vitest';
import { change, OUTBOXES } from './helpers.js';

describe.each(OUTBOXES)('%s outbox store', (_name, make) => {
  it('keeps one entry per ticket version, whatever enqueues it twice', () => {
    const o = make();
    o.enqueue(change('TKT-1', 1), 100);
    o.enqueue(change('TKT-1', 1), 200);
    expect(o.counts()).toEqual({ pending: 1, retrying: 0, delivered: 0, dead: 0 });
    expect(o.get('TKT-1:1')).toMatchObject({ state: 'pending', enqueuedAt: 100, change: 'opened', ticket: { id: 'TKT-1', version: 1 } });
  });

  it('hands out only the oldest waiting version of each ticket, so versions go out in order', () => {
    const o = make();
    o.enqueue(change('TKT-1', 1), 100);
    o.enqueue(change('TKT-1', 2), 101);
    o.enqueue(change('TKT-2', 1), 102);
    expect(o.due(1000, 10).map((e) => e.key)).toEqual(['TKT-1:1', 'TKT-2:1']);
    expect(o.due(1000, 10, new Set(['TKT-1'])).map((e) => e.key)).toEqual(['TKT-2:1']);
    o.markDelivered('TKT-1:1', 150, 200);
    expect(o.due(1000, 10).map((e) => e.key)).toEqual(['TKT-1:2', 'TKT-2:1']);
  });

  it('waits with a retried entry until its next attempt, and a dead one does not block later versions', () => {
    const o = make();
    o.enqueue(change('TKT-1', 1), 100);
    o.enqueue(change('TKT-1', 2), 100);
    o.markAttempt('TKT-1:1');
    o.markRetry('TKT-1:1', 5000, 503, 'HTTP 503');
    expect(o.due(4999, 10)).toEqual([]);
    expect(o.nextDueAt()).toBe(100);
    expect(o.due(5000, 10)).toMatchObject([{ key: 'TKT-1:1', state: 'retrying', attempts: 1, lastStatus: 503 }]);
    o.markDead('TKT-1:1', 5001, 400, 'HTTP 400: bad field');
    expect(o.due(5001, 10).map((e) => e.key)).toEqual(['TKT-1:2']);
    expect(o.requeue('TKT-1:1', 6000)).toBe(true);
    expect(o.requeue('TKT-1:2', 6000)).toBe(false);
    expect(o.counts()).toEqual({ pending: 1, retrying: 1, delivered: 0, dead: 0 });
  });

  it('lists newest first by state, page by page, and knows each ticket’s newest entry', () => {
    const o = make();
    for (let v = 1; v <= 5; v++) o.enqueue(change('TKT-1', v), v);
    o.markDead('TKT-1:2', 10, 422, 'bad');
    const p1 = o.list({ limit: 2 });
    expect(p1.items.map((e) => e.key)).toEqual(['TKT-1:5', 'TKT-1:4']);
    const p2 = o.list({ limit: 2, cursor: p1.nextCursor });
    expect(p2.items.map((e) => e.key)).toEqual(['TKT-1:3', 'TKT-1:2']);
    const p3 = o.list({ limit: 2, cursor: p2.nextCursor });
    expect(p3).toMatchObject({ items: [{ key: 'TKT-1:1' }], nextCursor: null });
    expect(o.list({ limit: 10, state: 'dead' }).items.map((e) => e.key)).toEqual(['TKT-1:2']);
    expect(o.latest('TKT-1')?.version).toBe(5);
  });

  it('remembers the ticketing system’s own id of a ticket', () => {
    const o = make();
    expect(o.externalRef('TKT-1', 'servicenow')).toBeNull();
    o.setExternalRef('TKT-1', 'servicenow', 'abc');
    o.setExternalRef('TKT-1', 'servicenow', 'def');
    expect(o.externalRef('TKT-1', 'servicenow')).toBe('def');
    expect(o.externalRef('TKT-1', 'jira')).toBeNull();
  });
});
