/**
 * Slow or dead dependencies: the ticketing system and InfluxDB either hang (accept the connection,
 * never answer) or refuse connections. Ingest must keep answering at once, detection and incidents
 * must carry on, tickets wait in the outbox, history points are buffered and dropped with a count —
 * and the daemon stays ready.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startDaemon, tempDir, type Daemon } from '../helpers/daemon.js';

/** A TCP server that accepts connections and reads forever, never answering. */
async function blackHole(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const srv: Server = createServer((s) => {
    sockets.add(s);
    s.on('data', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => srv.close(r));
    },
  };
}

/** A port nothing listens on: connections are refused. */
async function refusingUrl(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return `http://127.0.0.1:${port}`;
}

const CELLS = Array.from({ length: 30 }, (_, i) => ({
  cellId: `SD-${i}`, siteId: `SD-SITE-${Math.floor(i / 3)}`, transportId: 'SD-TR', region: 'R', district: 'D',
  lat: 28 + i * 0.001, lon: 112, technology: 'LTE', areaClass: 'residential', subscribers: 500,
}));

let daemon: Daemon | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await daemon?.stop('SIGKILL');
  for (const c of closers.splice(0)) await c();
});

describe.each(['hang', 'refuse'] as const)('ticketing and InfluxDB that %s', (mode) => {
  it('ingest and detection carry on; tickets wait in the outbox; history drops are counted', async () => {
    let url: string;
    if (mode === 'hang') {
      const hole = await blackHole();
      closers.push(hole.close);
      url = hole.url;
    } else {
      url = await refusingUrl();
    }
    const dir = tempDir();
    const config = join(dir, 'nocwatch.yaml');
    writeFileSync(config, JSON.stringify({
      history: { influx: { url, batchSize: 50, flushIntervalMs: 50, maxBufferedPoints: 500, timeoutMs: 1000, minRetryDelayMs: 50, maxRetryDelayMs: 200 } },
      ticketing: { target: { kind: 'webhook', url: `${url}/tickets` }, timeoutMs: 1000, backoff: { baseMs: 50, maxMs: 200 }, pollMs: 50 },
    }));
    daemon = await startDaemon(['--config', config, '--data-dir', join(dir, 'data'), '--no-simulator']);
    const post = (path: string, body: unknown) => fetch(`${daemon!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/api/v1/inventory/cells', CELLS)).status).toBe(202);

    // Six hours of PM for every cell, then cell SD-0 goes down with a critical alarm.
    const t0 = Date.UTC(2026, 10, 23, 0, 0);
    let slowest = 0;
    for (let p = 1; p <= 24; p++) {
      const started = performance.now();
      const res = await post('/api/v1/ingest/pm', CELLS.map((c) => ({ cellId: c.cellId, time: t0 + p * 900_000, kpis: { availability: 100, rrc_setup_success_rate: 99.3 } })));
      slowest = Math.max(slowest, performance.now() - started);
      expect(res.status).toBe(202);
    }
    const alarmAt = t0 + 24 * 900_000 + 60_000;
    const started = performance.now();
    expect((await post('/api/v1/ingest/alarms', { alarmId: 'SD-A1', objectType: 'cell', objectId: 'SD-0', severity: 'critical', probableCause: 'cell_unavailable', eventTime: alarmAt })).status).toBe(202);
    expect((await post('/api/v1/ingest/pm', CELLS.map((c) => ({ cellId: c.cellId, time: t0 + 25 * 900_000, kpis: { availability: c.cellId === 'SD-0' ? 0 : 100, rrc_setup_success_rate: 99.3 } })))).status).toBe(202);
    slowest = Math.max(slowest, performance.now() - started);
    // Ingest never waited for the dependencies.
    expect(slowest).toBeLessThan(1000);

    // Detection and incidents carried on: the outage has an incident and a ticket waiting to go out.
    let incident: { id: string; ticketId: string | null } | undefined;
    for (let i = 0; i < 100 && !incident?.ticketId; i++) {
      const list = (await (await fetch(`${daemon.url}/api/v1/incidents?state=open`)).json()) as { items: { id: string; cells: string[]; ticketId: string | null }[] };
      incident = list.items.find((x) => x.cells.includes('SD-0'));
      if (!incident?.ticketId) await sleep(100);
    }
    expect(incident?.ticketId).toBeTruthy();
    const status = (await (await fetch(`${daemon.url}/api/v1/status`)).json()) as { pending: number };
    expect(status.pending).toBe(0);
    const outbox = (await (await fetch(`${daemon.url}/api/v1/outbox?limit=1`)).json()) as { counts: Record<string, number> };
    expect((outbox.counts.pending ?? 0) + (outbox.counts.retrying ?? 0)).toBeGreaterThan(0);
    expect(outbox.counts.delivered ?? 0).toBe(0);

    // History: the buffer stayed bounded (the ring plus the one batch in flight) and the failures were counted.
    await sleep(1500);
    const metrics = await (await fetch(`${daemon.url}/metrics`)).text();
    const value = (name: string) => [...metrics.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce((a, m) => a + Number(m[1]), 0);
    expect(value('nocwatch_history_buffered_points')).toBeLessThanOrEqual(500 + 50);
    expect(value('nocwatch_history_write_failures_total')).toBeGreaterThan(0);
    expect((await fetch(`${daemon.url}/readyz`)).status).toBe(200);
    // And it still stops cleanly, without waiting on the dead dependencies forever.
    const stopStarted = performance.now();
    expect(await daemon.stop('SIGTERM')).toBe(0);
    expect(performance.now() - stopStarted).toBeLessThan(15_000);
    daemon = undefined;
  }, 60_000);
});
