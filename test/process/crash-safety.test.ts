/**
 * Crash safety with the daemon as a real process: the simulator feeds a scenario over HTTP while the
 * daemon is SIGKILLed at three moments and restarted on the same port and data dir (the simulator's
 * feeder retries through the gap). Afterwards nothing accepted is lost or duplicated: every
 * complaint the simulator sent is stored once and processed; every incident and ticket seen before a
 * kill is still there; no problem got a second open incident; every ticket version reached the
 * ticketing receiver, repeated only when its request was in flight at a kill.
 */
import { createServer } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Receiver } from '../outputs/ticketing/receiver.js';
import { runCli, startDaemon, tempDir, type Daemon } from '../helpers/daemon.js';

interface Incident { id: string; state: string; openedAt: string; resolvedAt: string | null; rootCause: { objectType: string; objectId: string }; ticketId: string | null; mergedInto?: string }
interface Ticket { id: string; incidentId: string; version: number }

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function all<T>(url: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const page = (await (await fetch(`${url}${sep}limit=10000${cursor ? `&cursor=${cursor}` : ''}`)).json()) as { items: T[]; nextCursor: string | null };
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

let daemon: Daemon | undefined;
let rx: Receiver | undefined;
afterEach(async () => {
  await daemon?.stop('SIGKILL');
  await rx?.stop();
});

describe('SIGKILL during a scenario', () => {
  it('loses and duplicates no complaint, incident, ticket or ticket version', async () => {
    const dir = tempDir();
    rx = await new Receiver(() => ({ status: 200, delayMs: 30 })).start();
    const config = join(dir, 'nocwatch.yaml');
    writeFileSync(config, JSON.stringify({
      pipeline: { checkpointIntervalS: 5 },
      ticketing: { target: { kind: 'webhook', url: `${rx.url}/tickets` }, concurrency: 2, ratePerSecond: 200, backoff: { baseMs: 50, maxMs: 300 }, pollMs: 50 },
    }));
    const port = await freePort();
    const args = ['--config', config, '--data-dir', join(dir, 'data'), '--no-simulator', '--port', String(port)];
    const url = `http://127.0.0.1:${port}`;
    daemon = await startDaemon(args);

    const truthFile = join(dir, 'truth.json');
    const sim = runCli(['simulate', '--target', url, '--cells', '240', '--warmup', '2', '--days', '0.75', '--seed', '11',
      '--scenario', join(import.meta.dirname, '..', '..', 'config', 'scenarios', 'mixed.yaml'), '--truth', truthFile]);

    let simDone = false;
    void sim.then(() => (simDone = true));
    let killsWhileFeeding = 0;
    const seenIncidents = new Map<string, Incident>();
    const seenTickets = new Map<string, Ticket>();
    let kills = 0;
    // Kill points chosen by what the daemon holds: during warm-up with complaints stored, once a
    // ticket exists, and once several do.
    const listed = async (path: string) => (await all<unknown>(`${url}${path}`)).length;
    const killPoints: (() => Promise<boolean>)[] = [
      async () => (await listed('/api/v1/complaints')) > 20,
      async () => (await listed('/api/v1/tickets')) >= 1,
      async () => (await listed('/api/v1/tickets')) >= 3,
    ];
    for (const ready of killPoints) {
      const deadline = Date.now() + 60_000;
      while (!simDone && Date.now() < deadline && !(await ready())) await sleep(50);
      for (const i of await all<Incident>(`${url}/api/v1/incidents?state=all`)) seenIncidents.set(i.id, i);
      for (const t of await all<Ticket>(`${url}/api/v1/tickets`)) seenTickets.set(t.id, t);
      if (!simDone) killsWhileFeeding++;
      await daemon.stop('SIGKILL');
      kills++;
      daemon = await startDaemon(args);
    }
    const result = await sim;
    expect(result.code, result.stderr).toBe(0);
    // The kills hit a running scenario with incidents and tickets already open: not a vacuous test.
    expect(killsWhileFeeding).toBeGreaterThanOrEqual(2);
    expect(seenIncidents.size).toBeGreaterThan(0);
    expect(seenTickets.size).toBeGreaterThan(0);
    // The last restart drains what remains; wait for pending 0 and the outbox to empty.
    for (;;) {
      const s = (await (await fetch(`${url}/api/v1/status`)).json()) as { pending: number };
      const o = (await (await fetch(`${url}/api/v1/outbox?limit=1`)).json()) as { counts: Record<string, number> };
      if (s.pending === 0 && (o.counts.pending ?? 0) === 0 && (o.counts.retrying ?? 0) === 0) break;
      await sleep(100);
    }

    // Complaints: every one the simulator generated, stored once, processed.
    const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as {
      until: string; backgroundComplaintIds: string[];
      faults: { id: string; kind: string; root: { type: string; id: string }; end: string; complaintIds: string[] }[];
    };
    const sent = new Set([...truth.backgroundComplaintIds, ...truth.faults.flatMap((f) => f.complaintIds)]);
    const complaints = await all<{ complaintId: string; processed: boolean }>(`${url}/api/v1/complaints`);
    expect(complaints.length).toBe(sent.size);
    expect(new Set(complaints.map((c) => c.complaintId))).toEqual(sent);
    expect(complaints.filter((c) => !c.processed)).toEqual([]);

    // Incidents and tickets seen before a kill are still there.
    const incidents = await all<Incident>(`${url}/api/v1/incidents?state=all`);
    const tickets = await all<Ticket>(`${url}/api/v1/tickets`);
    const incidentIds = new Set(incidents.map((i) => i.id));
    const ticketIds = new Set(tickets.map((t) => t.id));
    expect(incidents.length).toBeGreaterThan(0);
    for (const id of seenIncidents.keys()) expect(incidentIds.has(id), `incident ${id} lost`).toBe(true);
    for (const id of seenTickets.keys()) expect(ticketIds.has(id), `ticket ${id} lost`).toBe(true);
    expect(ticketIds.size).toBe(tickets.length);

    // No problem got two incidents open at the same time.
    const live = incidents.filter((i) => !i.mergedInto);
    for (const a of live) {
      for (const b of live) {
        if (a.id >= b.id || a.rootCause.objectType !== b.rootCause.objectType || a.rootCause.objectId !== b.rootCause.objectId) continue;
        const aEnd = a.resolvedAt ? Date.parse(a.resolvedAt) : Infinity;
        const bEnd = b.resolvedAt ? Date.parse(b.resolvedAt) : Infinity;
        const overlap = Date.parse(a.openedAt) < bEnd && Date.parse(b.openedAt) < aEnd;
        expect(overlap, `${a.id} and ${b.id} are both open for ${a.rootCause.objectType} ${a.rootCause.objectId}`).toBe(false);
      }
    }
    // A kill between two checkpoints leaves the restored detectors older than the stored incidents:
    // the outages, over hours before the run ends, still end as incidents too (none waits for ever on
    // evidence the restored detectors never saw).
    const ended = truth.faults.filter((f) => /outage/.test(f.kind) && Date.parse(f.end) <= Date.parse(truth.until) - 6 * 3600_000);
    expect(ended.length).toBeGreaterThanOrEqual(3);
    let checked = 0;
    for (const f of ended) {
      const mine = live.filter((i) => i.rootCause.objectType === f.root.type && i.rootCause.objectId === f.root.id);
      checked += mine.length;
      for (const i of mine) expect(i.state, `${i.id} (${f.id}, over at ${f.end}) still open`).toBe('resolved');
    }
    expect(checked, 'the outages made incidents of their own').toBeGreaterThan(0);
    // One ticket per incident.
    const perIncident = new Map<string, number>();
    for (const t of tickets) perIncident.set(t.incidentId, (perIncident.get(t.incidentId) ?? 0) + 1);
    expect([...perIncident.values()].filter((n) => n > 1)).toEqual([]);

    // Every ticket version was delivered; a version twice only for requests in flight at a kill.
    const keys = rx.keys();
    const count = new Map<string, number>();
    for (const k of keys) count.set(k, (count.get(k) ?? 0) + 1);
    for (const t of tickets) {
      for (let v = 1; v <= t.version; v++) expect(count.has(`${t.id}:${v}`), `${t.id}:${v} never delivered`).toBe(true);
    }
    const repeated = [...count.values()].filter((n) => n > 1).length;
    expect(repeated).toBeLessThanOrEqual(kills * 2);
  }, 240_000);
});
