import { afterEach, describe, expect, it } from 'vitest';
import { MemoryOutboxStore } from '../../../src/outputs/ticketing/outbox-store.js';
import { verifySignature } from '../../../src/outputs/ticketing/signature.js';
import { change, sqliteOutbox } from './helpers.js';
import { Receiver } from './receiver.js';
import { drain, worker } from './worker-helpers.js';

const SECRET = 'a-shared-secret-of-some-length';
let rx: Receiver;
afterEach(async () => rx?.stop());

describe('delivery worker (webhook receiver on loopback)', () => {
  it('delivers every version once, in order per ticket, signed and with its idempotency key, after the receiver fails the first 3 times', async () => {
    const accepted: string[] = [];
    rx = await new Receiver((req, n) => {
      if (n <= 3) return { status: 503 };
      accepted.push(String(req.headers['idempotency-key']));
      return { status: 202 };
    }).start();
    const outbox = sqliteOutbox();
    for (let v = 1; v <= 3; v++) outbox.enqueue(change('TKT-1', v), 0);
    outbox.enqueue(change('TKT-2', 1), 0);
    const w = worker(outbox, { target: { kind: 'webhook', url: `${rx.url}/hook` }, secret: SECRET });
    await drain(w, outbox);

    expect(accepted.filter((k) => k.startsWith('TKT-1'))).toEqual(['TKT-1:1', 'TKT-1:2', 'TKT-1:3']);
    expect(accepted.sort()).toEqual(['TKT-1:1', 'TKT-1:2', 'TKT-1:3', 'TKT-2:1']);
    expect(outbox.counts()).toMatchObject({ delivered: 4, retrying: 0, dead: 0 });
    // Retries repeat the same key; nothing else is ever sent twice.
    expect(rx.requests).toHaveLength(7);
    for (const r of rx.requests) {
      expect(r.url).toBe('/hook');
      expect(verifySignature(SECRET, r.raw, r.headers['x-nocwatch-signature'] as string)).toBe(true);
    }
    const body = rx.requests.at(-1)!.body as Record<string, unknown>;
    expect(body).toMatchObject({ id: expect.stringMatching(/^TKT-/), createdAt: '2026-11-23T02:00:00.000Z', sla: { breached: [] } });
  });

  it('retries a request that times out, and counts it delivered once', async () => {
    rx = await new Receiver((_req, n) => (n === 1 ? { status: 200, delayMs: 1500 } : { status: 200 })).start();
    const outbox = new MemoryOutboxStore();
    outbox.enqueue(change('TKT-1', 1), 0);
    const w = worker(outbox, { target: { kind: 'webhook', url: rx.url }, timeoutMs: 200 });
    await drain(w, outbox);
    expect(rx.keys()).toEqual(['TKT-1:1', 'TKT-1:1']);
    expect(outbox.get('TKT-1:1')).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('honours Retry-After on 429', async () => {
    rx = await new Receiver(() => ({ status: 429, headers: { 'retry-after': '7' } })).start();
    const outbox = new MemoryOutboxStore();
    outbox.enqueue(change('TKT-1', 1), 0);
    const w = worker(outbox, { target: { kind: 'webhook', url: rx.url } }, { now: () => 1_000_000 });
    await w.runOnce();
    expect(outbox.get('TKT-1:1')).toMatchObject({ state: 'retrying', nextAttemptAt: 1_007_000, lastStatus: 429 });
  });

  it('backs off exponentially with jitter on 5xx and network errors', async () => {
    // A port nobody listens on: connection refused.
    const gone = await new Receiver().start();
    await gone.stop();
    const outbox = new MemoryOutboxStore();
    outbox.enqueue(change('TKT-1', 1), 0);
    const w = worker(outbox, { target: { kind: 'webhook', url: gone.url }, backoff: { baseMs: 1000, maxMs: 60_000 } },
      { now: () => 0, random: () => 1 });
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      await w.runOnce();
      const e = outbox.get('TKT-1:1')!;
      waits.push(e.nextAttemptAt);
      outbox.markRetry(e.key, 0, e.lastStatus, e.lastError!);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
    expect(outbox.get('TKT-1:1')!.lastError).toMatch(/ECONNREFUSED/);
  });

  it('dead-letters a 4xx refusal and goes on with the ticket’s later versions', async () => {
    rx = await new Receiver((req) => (req.headers['idempotency-key'] === 'TKT-1:1' ? { status: 422, json: { error: 'bad field' } } : { status: 200 })).start();
    const outbox = new MemoryOutboxStore();
    outbox.enqueue(change('TKT-1', 1), 0);
    outbox.enqueue(change('TKT-1', 2), 0);
    const w = worker(outbox, { target: { kind: 'webhook', url: rx.url } });
    await drain(w, outbox);
    expect(rx.keys()).toEqual(['TKT-1:1', 'TKT-1:2']);
    expect(outbox.get('TKT-1:1')).toMatchObject({ state: 'dead', lastStatus: 422, lastError: expect.stringContaining('bad field') });
    expect(outbox.list({ limit: 10, state: 'dead' }).items).toHaveLength(1);
  });

  it('without a target, keeps every version pending and sends nothing', async () => {
    const outbox = new MemoryOutboxStore();
    outbox.enqueue(change('TKT-1', 1), 0);
    const w = worker(outbox, {});
    w.start();
    await w.runOnce();
    await w.stop();
    expect(w.system).toBeNull();
    expect(outbox.counts()).toMatchObject({ pending: 1, delivered: 0 });
  });

  it('a new worker on the same store (a restart) sends what is left, and never what was delivered', async () => {
    rx = await new Receiver().start();
    const outbox = sqliteOutbox();
    outbox.enqueue(change('TKT-1', 1), 0);
    await drain(worker(outbox, { target: { kind: 'webhook', url: rx.url } }), outbox);
    outbox.enqueue(change('TKT-1', 2), 0);
    // The first process died mid-request: the attempt was counted, the outcome never written.
    outbox.enqueue(change('TKT-2', 1), 0);
    outbox.markAttempt('TKT-2:1');
    await drain(worker(outbox, { target: { kind: 'webhook', url: rx.url } }), outbox);
    expect(rx.keys()).toEqual(['TKT-1:1', 'TKT-1:2', 'TKT-2:1']);
  });

  it('a store that fails to record the outcome (closed at shutdown) is a WARN, not a crash; the entry goes again', async () => {
    rx = await new Receiver().start();
    class ClosingOutbox extends MemoryOutboxStore {
      override markDelivered(): void { throw new Error('The database connection is not open'); }
    }
    const outbox = new ClosingOutbox();
    outbox.enqueue(change('TKT-1', 1), 0);
    const warns: string[] = [];
    const w = worker(outbox, { target: { kind: 'webhook', url: rx.url } }, {
      log: { info() {}, warn: (_o, m) => warns.push(m), error() {} },
    });
    await w.runOnce();
    expect(warns).toEqual(['ticket delivery outcome not recorded; it will be sent again']);
    expect(outbox.get('TKT-1:1')).toMatchObject({ state: 'pending', attempts: 1 });
  });

  it('live: start() delivers what is enqueued later when kicked', async () => {
    rx = await new Receiver().start();
    const outbox = new MemoryOutboxStore();
    const w = worker(outbox, { target: { kind: 'webhook', url: rx.url }, pollMs: 5000 });
    w.start();
    outbox.enqueue(change('TKT-9', 1), Date.now());
    w.kick();
    for (let i = 0; i < 100 && outbox.counts().delivered === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await w.stop();
    expect(rx.keys()).toEqual(['TKT-9:1']);
  });
});
