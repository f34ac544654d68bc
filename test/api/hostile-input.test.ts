import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { FEEDS } from '../../src/model/index.js';
import { complaintRecord, testApp } from '../helpers/app.js';

let app: App;
beforeAll(async () => {
  app = await testApp({ server: { bodyLimitBytes: 256 * 1024 } });
});
afterAll(async () => app.stop());

/** Counts inputs tried, for the report (printed once at the end). */
let tried = 0;
afterAll(() => console.log(`hostile input: ${tried} requests tried against the ingest endpoints`));

async function send(feed: string, payload: string | Buffer, contentType: string) {
  tried++;
  const started = performance.now();
  const res = await app.server.inject({ method: 'POST', url: `/api/v1/ingest/${feed}`, headers: { 'content-type': contentType }, payload });
  return { res, ms: performance.now() - started };
}

describe('hostile input on every ingest endpoint', () => {
  it('answers 202 or 4xx to random JSON values, never 5xx, and stores no rejected complaint', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...FEEDS), fc.jsonValue({ maxDepth: 6 }), async (feed, value) => {
      const before = app.store.complaints.count();
      const { res } = await send(feed, JSON.stringify(value), 'application/json');
      expect([202, 400]).toContain(res.statusCode);
      if (res.statusCode === 202) {
        const body = res.json() as { accepted: number; rejected: unknown[] };
        if (feed === 'complaints') expect(app.store.complaints.count() - before).toBeLessThanOrEqual(body.accepted);
        else expect(app.store.complaints.count()).toBe(before);
      } else {
        expect(app.store.complaints.count()).toBe(before);
      }
    }), { numRuns: 400 });
  });

  it('answers 4xx to binary, invalid UTF-8 and truncated bodies', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...FEEDS), fc.uint8Array({ maxLength: 2000 }), fc.constantFrom('application/json', 'application/x-ndjson', 'text/plain'), async (feed, bytes, ct) => {
      const { res } = await send(feed, Buffer.from(bytes), ct);
      expect(res.statusCode).toBeLessThan(500);
    }), { numRuns: 300 });
    const { res } = await send('complaints', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), 'application/json');
    expect(res.statusCode).toBe(202);
    expect(res.json().rejected[0].error).toMatch(/complaintId/);
  });

  it('does not let __proto__ or constructor keys reach any prototype', async () => {
    const payloads = [
      '{"__proto__": {"polluted": true}, "cellId": "A", "time": 1763864100000, "kpis": {"availability": 1}}',
      '[{"cellId": "A", "time": 1763864100000, "kpis": {"__proto__": 5, "availability": 1}}]',
      '{"cellId": "A", "time": 1763864100000, "kpis": {"constructor": {"prototype": {"polluted": true}}}}',
    ];
    for (const p of payloads) {
      const { res } = await send('pm', p, 'application/json');
      expect(res.statusCode).toBeLessThan(500);
      const { res: nd } = await send('pm', p, 'application/x-ndjson');
      expect(nd.statusCode).toBeLessThan(500);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers deep nesting, huge strings and ReDoS-shaped times quickly and with 4xx', async () => {
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const r1 = await send('pm', deep, 'application/json');
    // Valid JSON, so the batch is read: its one record (an array) is rejected.
    expect(r1.res.statusCode).toBe(202);
    expect(r1.res.json()).toMatchObject({ accepted: 0, rejected: [{ index: 0 }] });
    const deepObject = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const r1b = await send('complaints', deepObject, 'application/json');
    expect(r1b.res.statusCode).toBeLessThan(500);
    const longString = JSON.stringify({ cellId: 'x'.repeat(200_000), time: 1, kpis: {} });
    const r2 = await send('pm', longString, 'application/json');
    expect(r2.res.statusCode).toBe(202);
    expect(r2.res.json().rejected).toHaveLength(1);
    const redos = JSON.stringify(Array.from({ length: 200 }, () => ({ cellId: 'A', time: `2026-11-23T10:15:00.${'0'.repeat(1000)}+08:00`, kpis: { a: 1 } })));
    const r3 = await send('pm', redos, 'application/json');
    expect(r3.res.json().rejected).toHaveLength(200);
    expect(r3.ms).toBeLessThan(2000);
    const huge = await send('pm', 'x'.repeat(300 * 1024), 'application/json');
    expect(huge.res.statusCode).toBe(413);
  });

  it('keeps accepting good records after all of that', async () => {
    const { res } = await send('complaints', JSON.stringify(complaintRecord('AFTER-1')), 'application/json');
    expect(res.json()).toEqual({ accepted: 1, rejected: [] });
    expect((await app.server.inject({ url: '/healthz' })).statusCode).toBe(200);
  });
});
