/** nocwatch simulate's HTTP side: NDJSON batches in order per feed, 503 waited out, 413 split, nothing lost. */
import { describe, expect, it } from 'vitest';
import type { PacingClock } from '../../src/simulator/driver.js';
import { FeedError, HttpFeeder, retryAfterMs } from '../../src/simulator/http-feeder.js';

class FakeClock implements PacingClock {
  t = 0;
  sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
  }
}

interface Call {
  url: string;
  lines: number[];
  headers: Record<string, string>;
}

/** A daemon stand-in: answers from a script, then 202; records what it received. */
function fakeDaemon(script: (call: Call, n: number) => Response | Error | null) {
  const calls: Call[] = [];
  const received: number[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    const body = String(init.body);
    const lines = init.headers && (init.headers as Record<string, string>)['content-type'] === 'application/x-ndjson'
      ? body.split('\n').map((l) => (JSON.parse(l) as { n: number }).n)
      : [];
    const call = { url, lines, headers: init.headers as Record<string, string> };
    calls.push(call);
    const scripted = script(call, calls.length);
    if (scripted instanceof Error) throw scripted;
    if (scripted) return scripted;
    received.push(...lines);
    return new Response(JSON.stringify({ accepted: lines.length, rejected: [] }), { status: 202 });
  }) as unknown as typeof fetch;
  return { calls, received, fetchFn };
}

const records = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ n: from + i }));

function feeder(fetchFn: typeof fetch, clock = new FakeClock(), batchSize = 10) {
  return new HttpFeeder({ target: 'http://daemon:8080/', token: 'T', batchSize, maxQueued: 1000, clock, giveUpMs: 60_000, fetch: fetchFn });
}

describe('HttpFeeder', () => {
  it('sends records in the order they were made: a feed given records earlier goes out before a later full batch', async () => {
    const d = fakeDaemon(() => null);
    const f = feeder(d.fetchFn);
    f.add('alarms', records(0, 1));
    f.add('complaints', records(10, 2));
    f.add('signaling', records(100, 25));
    f.add('dialtest', records(200, 3));
    await f.drain();
    const feedOf = (c: Call) => c.url.split('/').pop();
    const order = d.calls.map(feedOf);
    // Each feed keeps its own order; across feeds, what was made first is sent first.
    expect(order.slice(0, 3)).toEqual(['alarms', 'complaints', 'signaling']);
    expect(order.filter((x) => x === 'signaling')).toHaveLength(3);
    expect(order.indexOf('dialtest')).toBeGreaterThan(2);
    expect(d.calls.find((c) => feedOf(c) === 'dialtest')!.lines).toEqual([200, 201, 202]);
  });

  it('posts NDJSON batches per feed, in order, with the token', async () => {
    const d = fakeDaemon(() => null);
    const f = feeder(d.fetchFn);
    f.add('pm', records(0, 25));
    f.add('signaling', records(100, 5));
    await f.drain();
    const pm = d.calls.filter((c) => c.url === 'http://daemon:8080/api/v1/ingest/pm');
    expect(pm.map((c) => c.lines.length)).toEqual([10, 10, 5]);
    expect(pm.flatMap((c) => c.lines)).toEqual(records(0, 25).map((r) => r.n));
    expect(d.calls[0].headers.authorization).toBe('Bearer T');
    expect(f.stats).toMatchObject({ records: 30, accepted: 30, rejected: 0 });
  });

  it('keeps feeds within a tick of each other: a slow feed holds the next tick back', async () => {
    const delivered: { feed: string; tick: number }[] = [];
    const fetchFn = (async (url: string, init: RequestInit) => {
      const feed = url.split('/').pop() as string;
      const ticks = String(init.body).split('\n').map((l) => (JSON.parse(l) as { tick: number }).tick);
      // Signaling answers slowly, as the busiest feed does.
      await new Promise((r) => setTimeout(r, feed === 'signaling' ? 15 : 0));
      for (const tick of ticks) delivered.push({ feed, tick });
      return new Response(JSON.stringify({ accepted: ticks.length, rejected: [] }), { status: 202 });
    }) as unknown as typeof fetch;
    const f = feeder(fetchFn, new FakeClock(), 2);
    for (let tick = 1; tick <= 5; tick++) {
      f.add('pm', [{ tick }]);
      f.add('signaling', Array.from({ length: 6 }, () => ({ tick })));
      await f.endTick();
      // When tick n ends, every feed of tick n - 1 is in.
      const signalingDone = delivered.filter((d) => d.feed === 'signaling' && d.tick === tick - 1).length;
      if (tick > 1) expect(signalingDone, `tick ${tick}`).toBe(6);
    }
    await f.drain();
    expect(delivered.filter((d) => d.feed === 'signaling')).toHaveLength(30);
  });

  it('waits out a 503 for its Retry-After and sends the same batch again', async () => {
    const clock = new FakeClock();
    const d = fakeDaemon((_, n) => (n <= 2 ? new Response('{"error":{}}', { status: 503, headers: { 'retry-after': '4' } }) : null));
    const f = feeder(d.fetchFn, clock);
    f.add('alarms', records(0, 10));
    await f.drain();
    expect(clock.sleeps).toEqual([4000, 4000]);
    expect(d.received).toEqual(records(0, 10).map((r) => r.n));
    expect(f.stats.overloaded).toBe(2);
  });

  it('splits a batch the daemon finds too large', async () => {
    const d = fakeDaemon((c) => (c.lines.length > 4 ? new Response('too large', { status: 413 }) : null));
    const f = feeder(d.fetchFn);
    f.add('complaints', records(0, 10));
    await f.drain();
    expect(d.received).toEqual(records(0, 10).map((r) => r.n));
  });

  it('retries network errors and 5xx with backoff, then succeeds', async () => {
    const clock = new FakeClock();
    const d = fakeDaemon((_, n) => (n === 1 ? new TypeError('fetch failed') : n === 2 ? new Response('', { status: 502 }) : null));
    const f = feeder(d.fetchFn, clock);
    f.add('pm', records(0, 3));
    await f.drain();
    expect(clock.sleeps).toEqual([500, 1000]);
    expect(d.received).toHaveLength(3);
  });

  it('stops on an answer retrying cannot fix, saying what the daemon said', async () => {
    const d = fakeDaemon(() => new Response('{"error":{"code":"NOCWATCH_ERR_FORBIDDEN"}}', { status: 403 }));
    const f = feeder(d.fetchFn);
    f.add('pm', records(0, 3));
    await expect(f.drain()).rejects.toThrow(FeedError);
    await expect(f.drain()).rejects.toThrow(/answered 403: .*FORBIDDEN/);
  });

  it('gives up when the daemon stays unreachable', async () => {
    const clock = new FakeClock();
    const d = fakeDaemon(() => new TypeError('fetch failed'));
    const f = feeder(d.fetchFn, clock);
    f.add('pm', records(0, 1));
    await expect(f.drain()).rejects.toThrow(/giving up after 60 s/);
  });

  it('uploads the inventory as JSON arrays', async () => {
    const d = fakeDaemon(() => new Response('{"accepted":2,"rejected":[]}', { status: 202 }));
    const f = feeder(d.fetchFn);
    expect(await f.uploadInventory([{ cellId: 'a' }, { cellId: 'b' }] as never)).toBe(2);
    expect(d.calls[0].url).toBe('http://daemon:8080/api/v1/inventory/cells');
    expect(d.calls[0].headers['content-type']).toBe('application/json');
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs('2', 0)).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs(null, 0)).toBeNull();
  });
});
