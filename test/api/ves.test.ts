import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { vesConfigSchema } from '../../src/collectors/config.js';
import { vesFaultToAlarmRecord } from '../../src/collectors/ves/ves-alarms.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { cellSchema } from '../../src/model/index.js';
import { sampleCells, testApp } from '../helpers/app.js';

const batch = JSON.parse(readFileSync(new URL('../fixtures/ves/fault-batch.json', import.meta.url), 'utf8')) as { eventList: Array<Record<string, any>> };
const [raise, clear, heartbeat, badPriority] = batch.eventList;
const inventory = new Inventory(sampleCells.map((c) => cellSchema.parse(c)));
const cfg = vesConfigSchema.parse({});
const withHeader = (ev: Record<string, any>, h: Record<string, unknown>) => ({ ...ev, commonEventHeader: { ...ev.commonEventHeader, ...h } });

describe('vesFaultToAlarmRecord', () => {
  it('maps a raise and its NORMAL clear to one alarm id, on the cell named by alarmInterfaceA', () => {
    const r = vesFaultToAlarmRecord(raise, inventory, cfg);
    const c = vesFaultToAlarmRecord(clear, inventory, cfg);
    expect(r).toEqual({
      ok: true,
      record: {
        alarmId: 'SITE-0001/fault0000245', objectType: 'cell', objectId: 'CS-0001-1', severity: 'critical',
        probableCause: 'cell_unavailable', specificProblem: 'Cell out of service', eventTime: 1795398192000,
        notificationId: 'fault0000245:1', alarmType: 'equipment', additionalText: 'interface CS-0001-1; board=BBU-3; rack=1',
      },
    });
    expect(c).toMatchObject({ ok: true, record: { alarmId: 'SITE-0001/fault0000245', severity: 'cleared', eventTime: 1795399092500 } });
  });

  it.each([
    ['SITE-0001', 'site'],
    ['TR-01', 'transport'],
    ['CS-0002-1', 'cell'],
    ['MME-CS-01', 'core'],
  ])('places sourceName %s as a %s', (sourceName, objectType) => {
    const ev = { ...withHeader(raise, { sourceName }), faultFields: { ...raise.faultFields, alarmInterfaceA: undefined } };
    expect(vesFaultToAlarmRecord(ev, inventory, cfg)).toMatchObject({ ok: true, record: { objectType, objectId: sourceName } });
  });

  it('keys alarms by alarmCondition for sources that change eventId on every notification', () => {
    const d = vesFaultToAlarmRecord(withHeader(raise, { eventId: 'n-1' }), inventory, vesConfigSchema.parse({ alarmKey: 'alarmCondition' }));
    expect(d).toMatchObject({ ok: true, record: { alarmId: 'SITE-0001/cell_unavailable' } });
  });

  it.each<[unknown, string, string]>([
    [heartbeat, 'commonEventHeader.domain: "heartbeat" events are not taken in', 'unsupported_domain'],
    [badPriority, 'commonEventHeader.priority: expected one of "High", "Medium", "Normal", "Low", received "Urgent"', 'invalid_value'],
    [{ ...raise, faultFields: undefined }, 'faultFields: required for a fault event, missing', 'invalid_type'],
    [{ ...raise, faultFields: { ...raise.faultFields, eventSeverity: 'FATAL' } }, 'faultFields.eventSeverity: expected one of "CRITICAL"', 'invalid_value'],
    [{ ...raise, faultFields: { ...raise.faultFields, vfStatus: undefined } }, 'faultFields.vfStatus: expected one of "Active", "Idle", "Preparing to terminate", "Ready to terminate", "Requesting termination", received nothing', 'invalid_value'],
    [withHeader(raise, { sequence: undefined }), 'commonEventHeader.sequence: required number, missing', 'invalid_type'],
    [withHeader(raise, { lastEpochMicrosec: 1795398192000 }), 'lastEpochMicrosec: 1795398192000 is not a time in microseconds', 'invalid_value'],
    [{ faultFields: raise.faultFields }, 'commonEventHeader: required object, missing', 'invalid_type'],
    ['x', 'event: expected an object', 'not_object'],
  ])('rejects %# with a clear reason', (ev, error, reason) => {
    const d = vesFaultToAlarmRecord(ev, inventory, cfg);
    expect(d.ok).toBe(false);
    if (!d.ok) {
      expect(d.error).toContain(error);
      expect(d.reason).toBe(reason);
    }
  });
});

let app: App | undefined;
afterEach(async () => app?.stop());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app!.server.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(payload) });

describe('VES routes', () => {
  it('POST /eventListener/v7/eventBatch accepts the faults and rejects the rest by index', async () => {
    app = await testApp();
    await app.server.inject({ method: 'POST', url: '/api/v1/inventory/cells', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(sampleCells) });
    const res = await post('/eventListener/v7/eventBatch', batch);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({
      accepted: 2,
      rejected: [
        { index: 2, error: expect.stringContaining('"heartbeat" events are not taken in') },
        { index: 3, error: expect.stringContaining('commonEventHeader.priority') },
      ],
    });
    const rejects = (await app.server.inject({ method: 'GET', url: '/api/v1/rejects' })).json().items;
    expect(rejects.map((r: { feed: string; index: number }) => [r.feed, r.index])).toEqual([['alarms', 3], ['alarms', 2]]);
    expect(rejects[1].record).toContain('Heartbeat_OMC');
    const metrics = (await app.server.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('nocwatch_ingest_records_rejected_total{feed="alarms",reason="unsupported_domain"} 1');
    expect(metrics).toContain('nocwatch_ingest_records_accepted_total{feed="alarms"} 2');
  });

  it('POST /eventListener/v7 answers a single invalid event with 400 in the VES error shape', async () => {
    app = await testApp();
    const ok = await post('/eventListener/v7', { event: raise });
    expect(ok.statusCode).toBe(202);
    const bad = await post('/eventListener/v7', { event: heartbeat });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      requestError: { serviceException: { messageId: 'SVC0002', text: 'Bad Parameter: %1', variables: [expect.stringContaining('heartbeat')] } },
      accepted: 0,
    });
  });

  it('POST /api/v1/ingest/ves takes events, eventLists and NDJSON, answering like every ingest endpoint', async () => {
    app = await testApp();
    const nd = [JSON.stringify({ event: raise }), '{broken', JSON.stringify({ eventList: [clear, heartbeat] })].join('\n');
    const res = await app.server.inject({ method: 'POST', url: '/api/v1/ingest/ves', headers: { 'content-type': 'application/x-ndjson' }, payload: nd });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({
      accepted: 2,
      rejected: [
        { index: 1, error: expect.stringContaining('line 2: invalid JSON') },
        { index: 3, error: expect.stringContaining('"heartbeat"') },
      ],
    });
    // The broken line is kept as it was sent, for the operator reading /api/v1/rejects.
    const rejects = (await app.server.inject({ url: '/api/v1/rejects' })).json().items as Array<{ index: number; record: string | null }>;
    expect(rejects.find((r) => r.index === 1)?.record).toBe('{broken');
  });

  it('accepts VES agents that authenticate with HTTP Basic (the password is the token)', async () => {
    app = await testApp({ auth: { tokens: [{ name: 'ves', token: 'ves-token-0123456789', scopes: ['ingest'] }] } });
    const basic = `Basic ${Buffer.from('ves:ves-token-0123456789').toString('base64')}`;
    expect((await post('/eventListener/v7', { event: raise }, { authorization: basic })).statusCode).toBe(202);
    const wrong = `Basic ${Buffer.from('ves:nope').toString('base64')}`;
    expect((await post('/eventListener/v7', { event: raise }, { authorization: wrong })).statusCode).toBe(401);
  });
});
