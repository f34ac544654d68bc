/**
 * Exactly-once delivery across a crash, with the daemon as a real process: ticket versions wait in
 * the outbox of a data dir, the daemon pushes them to a slow loopback webhook, is SIGKILLed in the
 * middle, and a new daemon on the same data dir finishes the job. The receiver counts idempotency
 * keys: none missing, and a key seen twice only because its request was in flight at the kill.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/store.js';
import { startDaemon, tempDir, type Daemon } from '../helpers/daemon.js';
import { change } from '../outputs/ticketing/helpers.js';
import { Receiver } from '../outputs/ticketing/receiver.js';

const TICKETS = 30;
const VERSIONS = 3;
const CONCURRENCY = 2;

let rx: Receiver | undefined;
let daemon: Daemon | undefined;
afterEach(async () => {
  await daemon?.stop('SIGKILL');
  await rx?.stop();
});

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('ticketing outbox across a SIGKILL', () => {
  it('delivers every ticket version, and repeats only the requests in flight at the kill', async () => {
    const dataDir = tempDir();
    const store = openSqliteStore(dataDir);
    const keys: string[] = [];
    for (let i = 0; i < TICKETS; i++) {
      for (let v = 1; v <= VERSIONS; v++) {
        const ch = change(`TKT-${i}`, v);
        store.transaction(() => {
          store.tickets.upsert(ch.ticket);
          store.outbox.enqueue(ch, Date.now());
        });
        keys.push(`TKT-${i}:${v}`);
      }
    }
    store.close();

    // Slow answers before the kill, so requests are surely in flight when it comes.
    let delayMs = 200;
    rx = await new Receiver(() => ({ status: 200, delayMs })).start();
    const configFile = join(dataDir, 'config.yaml');
    writeFileSync(configFile, JSON.stringify({
      ticketing: {
        target: { kind: 'webhook', url: `${rx.url}/tickets` }, concurrency: CONCURRENCY, ratePerSecond: 100,
        backoff: { baseMs: 50, maxMs: 200 }, pollMs: 50,
      },
    }));
    const args = ['--data-dir', dataDir, '--config', configFile, '--no-simulator'];

    daemon = await startDaemon(args);
    await until('the first deliveries', () => rx!.requests.length >= 12);
    await daemon.stop('SIGKILL');
    const beforeKill = rx.keys();
    delayMs = 5;
    expect(beforeKill.length).toBeLessThan(keys.length);

    daemon = await startDaemon(args);
    const url = daemon.url;
    await until('the outbox to drain', async () => {
      const c = (await (await fetch(`${url}/api/v1/outbox?limit=1`)).json()).counts;
      return c.delivered === keys.length;
    });

    const seen = rx.keys();
    const count = new Map<string, number>();
    for (const k of seen) count.set(k, (count.get(k) ?? 0) + 1);
    // None missing, nothing foreign.
    expect([...count.keys()].sort()).toEqual([...keys].sort());
    // Duplicates: only keys whose request was in flight when the process died, once each.
    const dups = [...count].filter(([, n]) => n > 1);
    expect(dups.length).toBeGreaterThanOrEqual(1);
    expect(dups.length).toBeLessThanOrEqual(CONCURRENCY);
    for (const [k, n] of dups) {
      expect(n).toBe(2);
      expect(beforeKill).toContain(k);
    }
    // Versions of each ticket arrived in order.
    for (let i = 0; i < TICKETS; i++) {
      const order = seen.filter((k) => k.startsWith(`TKT-${i}:`)).map((k) => Number(k.split(':')[1]));
      expect(order.filter((v, j) => j === 0 || v !== order[j - 1])).toEqual([1, 2, 3]);
    }
    const ticket = await (await fetch(`${url}/api/v1/tickets/TKT-0`)).json();
    expect(ticket.external).toMatchObject({ system: 'webhook', pushState: 'delivered', configured: true });
  });
});
