import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { pmRecord, testApp } from '../helpers/app.js';

let app: App;
afterEach(async () => app?.stop());

const get = (url: string) => app.server.inject({ url });

describe('GET /api/v1/rejects', () => {
  it('pages the rejected records newest first with limit and cursor, as the other lists do', async () => {
    app = await testApp();
    const bad = (i: number) => pmRecord(`BAD-${i}`, '2026-11-23T10:15:00+08:00', { availability: 'x' });
    await app.server.inject({ method: 'POST', url: '/api/v1/ingest/pm', payload: Array.from({ length: 5 }, (_, i) => bad(i)) });
    const first = await get('/api/v1/rejects?limit=2');
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body.items.map((r: { index: number }) => r.index)).toEqual([4, 3]);
    expect(body.items[0]).toMatchObject({ feed: 'pm', index: 4, error: expect.stringMatching(/^kpis\.availability: /), at: expect.stringMatching(/Z$/) });
    expect(body.nextCursor).toEqual(expect.any(String));
    const second = (await get(`/api/v1/rejects?limit=2&cursor=${body.nextCursor}`)).json();
    expect(second.items.map((r: { index: number }) => r.index)).toEqual([2, 1]);
    const last = (await get(`/api/v1/rejects?limit=2&cursor=${second.nextCursor}`)).json();
    expect(last).toEqual({ items: [expect.objectContaining({ index: 0 })], nextCursor: null });
  });

  it('answers 400 to a bad limit or cursor, in the same shape as the other lists', async () => {
    app = await testApp();
    for (const q of ['limit=abc', 'limit=0', 'limit=10001', 'cursor=nonsense']) {
      const res = await get(`/api/v1/rejects?${q}`);
      const other = await get(`/api/v1/complaints?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json(), q).toEqual(other.json());
    }
    expect((await get('/api/v1/rejects?limit=10000')).statusCode).toBe(200);
  });
});
