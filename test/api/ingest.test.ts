import { afterEach, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/app.js';
import { complaintRecord, pmRecord, testApp } from '../helpers/app.js';

const T = '2026-11-23T10:15:00+08:00';

/** One valid record per feed, in the contract's shapes (API.md). */
const VALID: Record<string, Record<string, unknown>> = {
  pm: pmRecord('CS-0001-1', T, { rrc_setup_success_rate: 99.2, erab_drop_rate: 0.35 }),
  alarms: { alarmId: 'OMC1-884213', objectType: 'cell', objectId: 'CS-0001-1', severity: 'critical', probableCause: 'cell_unavailable', specificProblem: 'Cell out of service', eventTime: '2026-11-23T10:03:12+08:00' },
  dialtest: { testId: 'DT-1', probeId: 'PRB-1', service: 'voice', time: T, cellId: 'CS-0001-1', success: false, setupMs: null, latencyMs: null, throughputKbps: null, mos: null, failureCause: 'no_answer' },
  signaling: { cellId: 'CS-0001-1', time: T, period: 300, procedure: 'attach', attempts: 1200, failures: 14, affectedSubscribers: 11, topCause: 'EMM#15' },
  complaints: complaintRecord('C-1'),
};

/** A broken variant per feed and the error it must produce. */
const BROKEN: Record<string, [Record<string, unknown>, RegExp]> = {
  pm: [{ ...VALID.pm, kpis: { rrc_setup_success_rate: 'high' } }, /^kpis\.rrc_setup_success_rate: expected number, received "high"$/],
  alarms: [{ ...VALID.alarms, severity: 'bad' }, /^severity: expected one of "critical", .*received "bad"$/],
  dialtest: [{ ...VALID.dialtest, service: 'fax' }, /^service: expected one of .*received "fax"$/],
  signaling: [{ ...VALID.signaling, failures: 2000 }, /^failures: failures exceed attempts$/],
  complaints: [{ ...VALID.complaints, complaintId: undefined }, /^complaintId: required string, missing$/],
};

let app: App;
afterEach(async () => app?.stop());

async function post(feed: string, payload: unknown, contentType = 'application/json') {
  return app.server.inject({
    method: 'POST', url: `/api/v1/ingest/${feed}`, headers: { 'content-type': contentType },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

describe.each(Object.keys(VALID))('POST /api/v1/ingest/%s', (feed) => {
  const valid = (i: number) => (feed === 'complaints' ? complaintRecord(`C-${i}`) : VALID[feed]);

  it('accepts a single object, an array and NDJSON', async () => {
    app = await testApp();
    expect((await post(feed, valid(1))).json()).toEqual({ accepted: 1, rejected: [] });
    const arr = await post(feed, [valid(2), valid(3)]);
    expect(arr.statusCode).toBe(202);
    expect(arr.json()).toEqual({ accepted: 2, rejected: [] });
    const nd = await post(feed, `${JSON.stringify(valid(4))}\n\n${JSON.stringify(valid(5))}\n`, 'application/x-ndjson');
    expect(nd.json()).toEqual({ accepted: 2, rejected: [] });
    await app.pipeline.whenIdle();
    expect(app.pipeline.pending).toBe(0);
  });

  it('accepts the good records of a mixed batch and lists each bad one by index', async () => {
    app = await testApp();
    const [bad, message] = BROKEN[feed]!;
    const res = await post(feed, [valid(1), bad, valid(2), 42]);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({
      accepted: 2,
      rejected: [{ index: 1, error: expect.stringMatching(message) }, { index: 3, error: '(record): expected an object, received number' }],
    });
    const rejects = (await app.server.inject({ url: '/api/v1/rejects' })).json().items;
    expect(rejects.map((r: { index: number; feed: string }) => [r.feed, r.index])).toEqual([[feed, 3], [feed, 1]]);
    const metrics = (await app.server.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(new RegExp(`nocwatch_ingest_records_rejected_total\\{feed="${feed}",reason="[a-z_]+"\\} 1`));
    expect(metrics).toContain(`nocwatch_ingest_records_accepted_total{feed="${feed}"} 2`);
  });

  it('rejects only the broken line of NDJSON', async () => {
    app = await testApp();
    const res = await post(feed, `${JSON.stringify(valid(1))}\n{"cellId": oops\n${JSON.stringify(valid(2))}`, 'application/x-ndjson');
    expect(res.json()).toEqual({ accepted: 2, rejected: [{ index: 1, error: expect.stringMatching(/^line 2: invalid JSON: /) }] });
  });

  it('rejects an impossible date/time with its field path instead of moving it to another day', async () => {
    app = await testApp();
    const field = { pm: 'time', alarms: 'eventTime', dialtest: 'time', signaling: 'time', complaints: 'receivedAt' }[feed]!;
    const res = await post(feed, [{ ...valid(1), [field]: '2026-02-30T10:00:00Z' }, { ...valid(2), [field]: '2026-11-23T24:00:00Z' }]);
    expect(res.json()).toEqual({
      accepted: 0,
      rejected: [
        { index: 0, error: `${field}: not a valid date/time, received "2026-02-30T10:00:00Z"` },
        { index: 1, error: `${field}: not a valid date/time, received "2026-11-23T24:00:00Z"` },
      ],
    });
  });

  it('keeps the text of a broken NDJSON line with its reject, shortened when long', async () => {
    app = await testApp();
    const long = `{"cellId": "${'x'.repeat(5000)}`;
    await post(feed, `${JSON.stringify(valid(1))}\n{"cellId": oops\n${long}`, 'application/x-ndjson');
    const rejects = (await app.server.inject({ url: '/api/v1/rejects' })).json().items as Array<{ index: number; record: string | null }>;
    expect(rejects.map((r) => r.index)).toEqual([2, 1]);
    expect(rejects[1]!.record).toBe('{"cellId": oops');
    expect(rejects[0]!.record).toBe(`${long.slice(0, 2000)}…`);
  });

  it('answers 400 for a body that is not JSON, and accepts nothing', async () => {
    app = await testApp();
    const res = await post(feed, '{"cellId": ');
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'NOCWATCH_ERR_BODY', message: expect.stringMatching(/not valid JSON/) });
    expect((await post(feed, '"just a string"')).statusCode).toBe(400);
    expect((await post(feed, '')).statusCode).toBe(400);
  });

  it('answers 413 over the body limit', async () => {
    app = await testApp({ server: { bodyLimitBytes: 2048 } });
    const res = await post(feed, Array.from({ length: 50 }, (_, i) => valid(i)));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('NOCWATCH_ERR_TOO_LARGE');
  });
});

describe('ingest semantics', () => {
  it('parses a JSON body with __proto__ or constructor.prototype keys safely: the batch is read, nothing is polluted', async () => {
    app = await testApp();
    const good = JSON.stringify(VALID.pm);
    const withExtra = (extra: string) => `${good.slice(0, -1)}, "extra": ${extra}}`;
    const records = [good, withExtra('{"__proto__": {"polluted": true}}'), withExtra('{"constructor": {"prototype": {"polluted": true}}}')];
    for (const [contentType, body] of [['application/json', `[${records.join(', ')}]`], ['application/x-ndjson', records.join('\n')]]) {
      const res = await post('pm', body, contentType);
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ accepted: 3, rejected: [] });
    }
    // A __proto__ key at the top of a record is dropped, not turned into the record's prototype.
    const top = await post('pm', `{"__proto__": {"cellId": "X", "polluted": true}, ${good.slice(1)}`);
    expect(top.json()).toEqual({ accepted: 1, rejected: [] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts records about objects the inventory does not know, and counts them per feed', async () => {
    app = await testApp();
    const inv = await app.server.inject({ method: 'POST', url: '/api/v1/inventory/cells', payload: [{ cellId: 'CS-0001-1', siteId: 'SITE-0001', transportId: 'TR-01', region: 'Changsha', district: 'Yuelu', lat: 28.21, lon: 112.94, technology: 'NR', areaClass: 'hospital', subscribers: 100 }] });
    expect(inv.statusCode).toBe(202);
    expect((await post('pm', [VALID.pm, { ...VALID.pm, cellId: 'NOPE-1' }])).json()).toEqual({ accepted: 2, rejected: [] });
    expect((await post('alarms', [{ ...VALID.alarms, objectType: 'site', objectId: 'SITE-NOPE' }, { ...VALID.alarms, alarmId: 'A2', objectType: 'core', objectId: 'MME-9' }])).json().accepted).toBe(2);
    expect((await post('complaints', [complaintRecord('C-u1', { location: { district: 'Atlantis' } }), complaintRecord('C-u2', { location: { district: 'Yuelu' } })])).json().accepted).toBe(2);
    const feeds = (await app.server.inject({ url: '/api/v1/status' })).json().feeds;
    expect([feeds.pm.unknownObjects, feeds.alarms.unknownObjects, feeds.complaints.unknownObjects]).toEqual([1, 1, 1]);
    const metrics = (await app.server.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/nocwatch_ingest_unknown_objects_total\{feed="pm"\} 1/);
  });

  it('stores a complaint sent twice once, and says so', async () => {
    app = await testApp();
    await post('complaints', complaintRecord('C-9'));
    const again = await post('complaints', [complaintRecord('C-9'), complaintRecord('C-10')]);
    expect(again.json()).toEqual({ accepted: 2, rejected: [], duplicates: 1 });
    expect(app.store.complaints.count()).toBe(2);
    await app.pipeline.whenIdle();
    expect(app.store.complaints.get('C-9')?.processed).toBe(true);
  });

  it('makes a complaint readable as soon as the 202 is sent', async () => {
    app = await testApp();
    await post('complaints', complaintRecord('C-77'));
    const res = await app.server.inject({ url: '/api/v1/complaints/C-77' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ complaintId: 'C-77', receivedAt: '2026-11-23T02:21:40.000Z', incidentId: null });
  });

  it('answers 503 with Retry-After while the queue is full and accepts nothing of that request', async () => {
    app = await testApp({ pipeline: { queueLimit: 100, retryAfterS: 7 } });
    // The queue holds 60 records: the pipeline would drain real ones before the request arrives.
    const full = vi.spyOn(app.pipeline, 'capacityLeft', 'get').mockReturnValue(40);
    const res = await post('complaints', Array.from({ length: 41 }, (_, i) => complaintRecord(`Q-${i}`)));
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.json().error.code).toBe('NOCWATCH_ERR_OVERLOADED');
    expect(app.store.complaints.count()).toBe(0);
    expect((await app.server.inject({ url: '/metrics' })).body).toContain('nocwatch_ingest_overloaded_requests_total{feed="complaints"} 1');
    full.mockRestore();
    const ok = await post('complaints', Array.from({ length: 100 }, (_, i) => complaintRecord(`Q-${i}`)));
    expect(ok.statusCode).toBe(202);
    expect(app.store.complaints.count()).toBe(100);
  });

  it('answers 413, not a 503 to retry forever, to a batch larger than the whole queue, and says to split it', async () => {
    app = await testApp({ pipeline: { queueLimit: 100 } });
    const res = await post('complaints', Array.from({ length: 101 }, (_, i) => complaintRecord(`Q-${i}`)));
    expect(res.statusCode).toBe(413);
    expect(res.headers['retry-after']).toBeUndefined();
    expect(res.json().error).toEqual({
      code: 'NOCWATCH_ERR_TOO_LARGE',
      message: 'the batch has 101 records, more than the queue limit of 100 (pipeline.queueLimit): it can never be accepted whole; split it into batches of at most 100 records',
    });
    expect(app.store.complaints.count()).toBe(0);
    expect((await post('complaints', Array.from({ length: 100 }, (_, i) => complaintRecord(`Q-${i}`)))).statusCode).toBe(202);
  });

  it('refuses a second request while the first still fills the queue', async () => {
    app = await testApp({ pipeline: { queueLimit: 100 } });
    // Two accepts in the same turn of the event loop: nothing is processed in between.
    expect(app.ingest.accept('pm', Array.from({ length: 80 }, () => VALID.pm)).accepted).toBe(80);
    expect(() => app.ingest.accept('complaints', Array.from({ length: 30 }, (_, i) => complaintRecord(`Q-${i}`))))
      .toThrow(/overloaded: 80 records are queued \(limit 100\); this request has 30/);
    expect(app.store.complaints.count()).toBe(0);
    expect((await app.server.inject({ url: '/readyz' })).statusCode).toBe(200);
    await app.pipeline.whenIdle();
    expect(app.pipeline.pending).toBe(0);
    expect(app.ingest.accept('complaints', Array.from({ length: 30 }, (_, i) => complaintRecord(`Q-${i}`))).accepted).toBe(30);
  });

  it('decodes a large request in slices, holding its room in the queue meanwhile', async () => {
    app = await testApp({ pipeline: { queueLimit: 12_000 } });
    const big = app.ingest.acceptInSlices('pm', Array.from({ length: 10_000 }, () => VALID.pm));
    // The big request is mid-way (it yields between slices); its 10,000 records are reserved.
    expect(() => app.ingest.accept('pm', Array.from({ length: 3000 }, () => VALID.pm))).toThrow(/overloaded/);
    expect(app.ingest.accept('pm', Array.from({ length: 1000 }, () => VALID.pm)).accepted).toBe(1000);
    expect((await big).accepted).toBe(10_000);
    await app.pipeline.whenIdle();
    expect(app.pipeline.pending).toBe(0);
  });

  it('rejects records dated further ahead of the server clock than allowed', async () => {
    app = await testApp({ pipeline: { maxFutureS: 3600 } });
    const res = await post('pm', [pmRecord('A', new Date(Date.now() + 7200_000).toISOString()), pmRecord('A', new Date().toISOString())]);
    expect(res.json()).toEqual({ accepted: 1, rejected: [{ index: 0, error: expect.stringMatching(/ahead of this server's clock/) }] });
  });

  it('computes KPIs and attempts from counters with the configured formulas', async () => {
    app = await testApp({ collectors: { kpiFormulas: { paging_success_rate: { formula: '100 * P.Succ / P.Att', attempts: true } } } });
    const res = await post('pm', [
      { cellId: 'A', time: T, counters: { 'RRC.ConnEstabAtt.Sum': 200, 'RRC.ConnEstabSucc.Sum': 190, 'P.Att': 10, 'P.Succ': 9 } },
      { cellId: 'A', time: T, counters: { 'RRC.ConnEstabAtt.Sum': 10 } },
    ]);
    expect(res.json().accepted).toBe(1);
    // A missing counter gives no value, and a record with no value at all is rejected, not zero.
    expect(res.json().rejected).toEqual([{ index: 1, error: expect.stringMatching(/none computable from the counters/) }]);
  });
});

describe('auth', () => {
  const tokens = [
    { name: 'feeder', token: 'ingest-token-000000', scopes: ['ingest'] },
    { name: 'noc', token: 'read-token-00000000', scopes: ['read'] },
    { name: 'ops', token: 'admin-token-0000000', scopes: ['admin'] },
  ];

  it('requires a token with the right scope when tokens are configured', async () => {
    app = await testApp({ auth: { tokens } as never });
    const ingest = (token?: string) => app.server.inject({
      method: 'POST', url: '/api/v1/ingest/pm', payload: VALID.pm,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    expect((await ingest()).statusCode).toBe(401);
    expect((await ingest('wrong-token-000000')).statusCode).toBe(401);
    expect((await ingest('read-token-00000000')).statusCode).toBe(403);
    expect((await ingest('ingest-token-000000')).statusCode).toBe(202);
    expect((await ingest('admin-token-0000000')).statusCode).toBe(202);
    const status = (token?: string) => app.server.inject({ url: '/api/v1/status', headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await status()).statusCode).toBe(401);
    expect((await status('ingest-token-000000')).statusCode).toBe(403);
    expect((await status('read-token-00000000')).statusCode).toBe(200);
    expect((await app.server.inject({ url: '/healthz' })).statusCode).toBe(200);
    const inv = await app.server.inject({ method: 'POST', url: '/api/v1/inventory/cells', payload: [], headers: { authorization: 'Bearer read-token-00000000' } });
    expect(inv.statusCode).toBe(403);
  });
});
