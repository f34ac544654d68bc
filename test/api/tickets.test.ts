/**
 * The ticket endpoints in process (fastify inject): list and detail shapes, the ticketing system's
 * signed write-back, callbacks, the outbox and the evaluation, and what /metrics says about them.
 */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { validateConfig } from '../../src/config/load.js';
import { sign } from '../../src/outputs/ticketing/signature.js';
import { createMemoryStore } from '../../src/store/store.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { change, incident, T0, H } from '../tickets/fixtures.js';
import { pmRecord } from '../helpers/app.js';

const SECRET = 'ticketing-shared-secret-123';
let app: App;
let logLines: Record<string, unknown>[] = [];
afterEach(async () => app?.stop());

async function start(extra: Record<string, unknown> = {}): Promise<App> {
  const stream = new PassThrough();
  logLines = [];
  stream.on('data', (b: Buffer) => {
    for (const l of b.toString().split('\n')) if (l.startsWith('{')) logLines.push(JSON.parse(l));
  });
  const config = validateConfig({ ticketing: { secret: SECRET }, ...extra }, 'test');
  app = await buildApp({ config, store: createMemoryStore(), logger: createLogger({ level: 'info', destination: stream }) });
  await app.start();
  return app;
}

/** Opens a ticket as the incident stage would, and lets one batch persist it. */
async function openTicket(a: App, at = T0): Promise<void> {
  a.tickets.onIncidentChanges([change('opened', incident({ detectedAt: at }))], at);
  // A PM record 15 minutes later moves the watermark (10 minutes of allowed lateness) past the ticket.
  a.ingest.accept('pm', [pmRecord('CS-0001-1', new Date(at + 15 * 60_000).toISOString())]);
  await a.pipeline.whenIdle();
}

function postEvent(body: unknown, signature?: string) {
  const payload = JSON.stringify(body);
  return app.server.inject({
    method: 'POST', url: '/api/v1/tickets/TKT-1/events', payload,
    headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { 'x-nocwatch-signature': signature }) },
  });
}
const signed = (body: unknown) => sign(SECRET, JSON.stringify(body));

describe('ticket API', () => {
  it('lists and shows tickets in the contract shape, and says they wait in the outbox when no target is set', async () => {
    await openTicket(await start());
    const list = (await app.server.inject('/api/v1/tickets?state=open&department=maintenance')).json();
    expect(list.nextCursor).toBeNull();
    expect(list.items).toHaveLength(1);
    const t = (await app.server.inject('/api/v1/tickets/TKT-1')).json();
    expect(t).toMatchObject({
      id: 'TKT-1', incidentId: 'INC-1', complaintIds: [], department: 'maintenance', class: 'must_solve', state: 'open',
      proactive: true, createdAt: '2026-11-23T02:00:00.000Z',
      sla: { respondBy: '2026-11-23T02:30:00.000Z', onsiteBy: '2026-11-23T06:00:00.000Z', resolveBy: '2026-11-23T10:00:00.000Z', breached: [] },
      external: { system: 'none', key: null, pushState: 'pending', configured: false },
    });
    expect((await app.server.inject('/api/v1/tickets?department=construction')).json().items).toEqual([]);
    expect((await app.server.inject('/api/v1/tickets/TKT-404')).statusCode).toBe(404);
    const outbox = (await app.server.inject('/api/v1/outbox?state=pending')).json();
    expect(outbox).toMatchObject({ target: null, note: expect.stringContaining('no ticketing target'), counts: { pending: 1 } });
    expect(outbox.items[0]).toMatchObject({ key: 'TKT-1:1', change: 'opened', state: 'pending' });
  });

  it('refuses unsigned and badly signed events with 401 and a WARN, accepts signed ones', async () => {
    await openTicket(await start());
    const body = { type: 'acknowledged', at: '2026-11-23T10:30:00+08:00', note: 'NOC shift B' };
    const unsigned = await postEvent(body);
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json().error.code).toBe('NOCWATCH_ERR_UNAUTHORIZED');
    expect((await postEvent(body, sign('another-secret-entirely', JSON.stringify(body)))).statusCode).toBe(401);
    expect((await postEvent(body, signed({ ...body, note: 'tampered' }))).statusCode).toBe(401);
    const warns = logLines.filter((l) => l.level === 'warn' && String(l.msg).includes('X-Nocwatch-Signature'));
    expect(warns.map((w) => w.reason)).toEqual(['unsigned', 'bad_signature', 'bad_signature']);
    expect((await app.server.inject('/api/v1/tickets/TKT-1')).json().state).toBe('open');

    const ok = await postEvent(body, signed(body));
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'acknowledged', version: 2, times: { acknowledgedAt: '2026-11-23T02:30:00.000Z' } });
    expect((await app.server.inject('/api/v1/outbox')).json().items.map((e: { key: string }) => e.key)).toEqual(['TKT-1:2', 'TKT-1:1']);
    const metrics = (await app.server.inject('/metrics')).body;
    expect(metrics).toMatch(/nocwatch_ticket_events_refused_total\{reason="unsigned"\} 1/);
    expect(metrics).toMatch(/nocwatch_ticket_events_refused_total\{reason="bad_signature"\} 2/);
  });

  it('accepts a signature in upper-case hex, as ticketing systems that print hex that way send it', async () => {
    await openTicket(await start());
    const body = { type: 'acknowledged', at: '2026-11-23T10:30:00+08:00' };
    const upper = `sha256=${signed(body).slice('sha256='.length).toUpperCase()}`;
    const res = await postEvent(body, upper);
    expect(res.statusCode).toBe(200);
    expect(res.json().state).toBe('acknowledged');
  });

  it('accepts and ignores fields it does not know, and still refuses a known field of the wrong type', async () => {
    await openTicket(await start({ ticketing: {} }));
    const res = await postEvent({ type: 'comment', at: T0 + H, note: 'checked', ticketSystemUser: 'j.doe', externalState: { id: 7 } });
    expect(res.statusCode).toBe(200);
    expect(JSON.stringify(res.json())).not.toContain('ticketSystemUser');
    const wrong = await postEvent({ type: 'comment', at: T0 + H, note: 42, ticketSystemUser: 'j.doe' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toBe('note: expected string, received 42');
  });

  it('refuses an event stamped days ahead of the server clock, and takes one stamped before the ticket as at its creation', async () => {
    await openTicket(await start({ ticketing: {} }));
    const future = await postEvent({ type: 'acknowledged', at: Date.now() + 3 * 24 * H });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.message).toMatch(/^at: .* is more than 86400 s ahead of the server clock$/);
    expect(app.tickets.get('TKT-1')!.sla.breached).toEqual([]);
    const early = await postEvent({ type: 'acknowledged', at: T0 - 5 * H });
    expect(early.statusCode).toBe(200);
    expect(app.tickets.get('TKT-1')!.times?.acknowledgedAt).toBe(app.tickets.get('TKT-1')!.createdAt);
  });

  it('an event without a stamp is at the watermark, even one ahead of the wall clock (the demo\'s accelerated time)', async () => {
    const a = await start({ ticketing: {}, pipeline: { maxFutureS: 60 } });
    const ahead = Date.now() + 2 * H;
    a.tickets.onIncidentChanges([change('opened', incident({ detectedAt: ahead }))], ahead);
    a.ingest.acceptEvents('pm', [{ kind: 'pm', t: ahead + 15 * 60_000, cellId: 'CS-0001-1', period: 900, kpis: { availability: 100 } }]);
    await a.pipeline.whenIdle();
    const res = await postEvent({ type: 'acknowledged' });
    expect(res.statusCode).toBe(200);
    expect(a.tickets.get('TKT-1')!.times?.acknowledgedAt).toBe(a.pipeline.watermark);
    expect((await postEvent({ type: 'comment', at: ahead, note: 'stamped' })).statusCode).toBe(400);
  });

  it('answers 409 for an event the state does not allow, 404 for an unknown ticket, 400 for a bad body', async () => {
    await openTicket(await start({ ticketing: {} }));
    const closeEarly = await postEvent({ type: 'resolved', at: T0 + H });
    expect(closeEarly.statusCode).toBe(200);
    const late = await postEvent({ type: 'acknowledged', at: T0 + 2 * H });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('NOCWATCH_ERR_TICKET_TRANSITION');
    const bad = await postEvent({ type: 'fixed', at: T0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^type: /);
    const unknown = await app.server.inject({ method: 'POST', url: '/api/v1/tickets/TKT-9/events', payload: { type: 'comment', at: T0 } });
    expect(unknown.statusCode).toBe(404);
  });

  it('exposes tickets, the outbox and the process KPIs in /metrics and on /api/v1/evaluation', async () => {
    await openTicket(await start());
    const metrics = (await app.server.inject('/metrics')).body;
    expect(metrics).toMatch(/nocwatch_tickets\{state="open"\} 1/);
    expect(metrics).toMatch(/nocwatch_department_tickets\{department="maintenance",state="open"\} 1/);
    // No incident is open in the incident stage (the ticket's incident was handed in by hand).
    expect(metrics).toMatch(/nocwatch_incidents_open\{severity="critical",category="outage",confirmed="true"\} 0/);
    expect(metrics).toMatch(/nocwatch_ticketing_outbox_entries\{state="pending"\} 1/);
    expect(metrics).toMatch(/nocwatch_ticket_changes_total\{type="opened"\} 1/);
    expect(metrics).toMatch(/nocwatch_eval_duration_seconds\{kpi="time_to_detect",quantile="0.5",department="all"\} 600/);
    const ev = (await app.server.inject('/api/v1/evaluation?from=2026-11-22T00:00:00Z&to=2026-11-24T00:00:00Z&groupBy=department')).json();
    expect(ev).toMatchObject({ from: '2026-11-22T00:00:00.000Z', groupBy: 'department', overall: { tickets: 1 }, groups: [{ key: 'maintenance', tickets: 1 }] });
    expect((await app.server.inject('/api/v1/evaluation?groupBy=site')).statusCode).toBe(400);
  });

  it('records callback results and lists the call list and the dissatisfied pool', async () => {
    await openTicket(await start());
    expect((await app.server.inject({ method: 'POST', url: '/api/v1/callbacks', payload: { complaintId: 'C-1', at: T0, reached: true } })).statusCode).toBe(404);
    app.store.complaints.insert({ complaintId: 'C-1', channel: 'hotline', receivedAt: T0, customer: { id: 'cust-1', class: 'vip_gold' }, category: 'call_drop', location: { cellId: 'C-1' } });
    app.callbacks.onVerified({ ...app.tickets.get('TKT-1')!, complaintIds: ['C-1'], times: { verifiedAt: T0 + 5 * H } });
    expect((await app.server.inject('/api/v1/callbacks?state=pending')).json().items).toMatchObject([{ complaintId: 'C-1', reason: 'vip', verifiedAt: '2026-11-23T07:00:00.000Z' }]);
    // A call-centre system's own fields are ignored; a known field of the wrong type is not.
    expect((await app.server.inject({ method: 'POST', url: '/api/v1/callbacks', payload: { complaintId: 'C-1', at: T0, reached: 'yes' } })).statusCode).toBe(400);
    const res = await app.server.inject({ method: 'POST', url: '/api/v1/callbacks', payload: { complaintId: 'C-1', at: '2026-11-23T16:00:00+08:00', reached: true, satisfied: false, score: 2, note: 'still drops', agentId: 'A-17', callId: 'CALL-9' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().result).not.toHaveProperty('agentId');
    expect(res.json()).toMatchObject({ state: 'done', result: { at: '2026-11-23T08:00:00.000Z', satisfied: false } });
    expect((await app.server.inject('/api/v1/dissatisfied')).json()).toMatchObject({ customers: 1, items: [{ customerId: 'cust-1', reason: 'unsatisfied' }] });
    expect((await app.server.inject('/metrics')).body).toMatch(/nocwatch_dissatisfied_customers 1/);
  });
});
