import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/app.js';
import { testApp } from '../helpers/app.js';

const T = 1795402800; // 2026-11-23T02:20:00Z
const TOKEN = 'telegraf-token-0123456789';
let app: App | undefined;
afterEach(async () => app?.stop());

const write = (url: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  app!.server.inject({ method: 'POST', url, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, payload: body });

const LINES = [
  `pm,cell=CS-0001-1 rrc_setup_success_rate=99.2,attempts_rrc_setup_success_rate=1520i ${T}000000000`,
  `signaling,cell=CS-0001-1,procedure=attach attempts=1200i,failures=14i,affected_subscribers=11i ${T}000000000`,
  `dialtest,probe=PRB-1,service=voice,cell=CS-0001-1 success=true,setup_ms=850,mos=4.1 ${T}000000000`,
  `cpu,host=telegraf usage_idle=97.5 ${T}000000000`,
].join('\n');

describe('POST /api/v2/write', () => {
  it('takes a Telegraf outputs.influxdb_v2 request (gzip, Token auth, org/bucket) and answers 204', async () => {
    app = await testApp({ auth: { tokens: [{ name: 'telegraf', token: TOKEN, scopes: ['ingest'] }] } });
    const res = await write('/api/v2/write?org=noc&bucket=nocwatch', gzipSync(LINES), {
      authorization: `Token ${TOKEN}`, 'content-encoding': 'gzip', 'user-agent': 'Telegraf/1.30',
    });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    await app.pipeline.whenIdle();
    const text = await app.metrics.render();
    expect(text.body).toContain('nocwatch_ingest_records_accepted_total{feed="pm"} 1');
    expect(text.body).toContain('nocwatch_ingest_records_accepted_total{feed="signaling"} 1');
    expect(text.body).toContain('nocwatch_ingest_records_accepted_total{feed="dialtest"} 1');
    expect(text.body).toContain('nocwatch_line_protocol_points_total{result="ignored"} 1');
  });

  it('accepts the good lines of a partial write and lists the bad ones in InfluxDB\'s shape', async () => {
    app = await testApp();
    const res = await write('/api/v2/write?org=noc&bucket=b&precision=s', `pm,cell=C1 availability=100 ${T}\npm,cell=C1 availability=\npm availability=1 ${T}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      code: 'invalid',
      line: 2,
      message: expect.stringMatching(/^partial write: 2 line\(s\) rejected, 1 point\(s\) accepted\nline 2: missing value for field "availability" \(column 25\): 'pm,cell=C1 availability='\nline 3: measurement "pm" needs tag "cell"/),
    });
  });

  it('keeps and counts every rejected line — unparsable, missing a tag or an invalid record — by its 0-based line and text', async () => {
    app = await testApp();
    const lines = [
      `pm,cell=C1 availability=100 ${T}`,
      'garbage',
      'pm,cell=C2',
      `pm availability=1 ${T}`,
      `pm,cell=C3 availability="high" ${T}`,
      `cpu,host=telegraf usage_idle=97.5 ${T}`,
    ];
    const res = await write('/api/v2/write?precision=s', lines.join('\n'));
    // The InfluxDB answer is as before: 1-based lines, the good line accepted.
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'invalid', line: 2, message: expect.stringMatching(/^partial write: 4 line\(s\) rejected, 1 point\(s\) accepted\nline 2: .*'garbage'\nline 3: .*'pm,cell=C2'\nline 4: measurement "pm" needs tag "cell": .*\nline 5: kpis\.availability: /) });
    const rejects = (await app.server.inject({ url: '/api/v1/rejects' })).json().items as Array<{ feed: string; index: number; record: string; error: string }>;
    expect(rejects.map((r) => [r.index, r.feed, r.record]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [1, 'line_protocol', 'garbage'],
      [2, 'pm', 'pm,cell=C2'],
      [3, 'pm', `pm availability=1 ${T}`],
      [4, 'pm', `pm,cell=C3 availability="high" ${T}`],
    ]);
    expect(rejects.find((r) => r.index === 3)?.error).toBe('measurement "pm" needs tag "cell"');
    const metrics = (await app.metrics.render()).body;
    expect(metrics).toContain('nocwatch_ingest_records_rejected_total{feed="line_protocol",reason="invalid_line_protocol"} 1');
    expect(metrics).toContain('nocwatch_ingest_records_rejected_total{feed="pm",reason="invalid_line_protocol"} 1');
    expect(metrics).toContain('nocwatch_ingest_records_rejected_total{feed="pm",reason="missing_tag"} 1');
    expect(metrics).toMatch(/nocwatch_ingest_records_rejected_total\{feed="pm",reason="invalid_type"\} 1/);
    expect(metrics).toContain('nocwatch_line_protocol_points_total{result="rejected"} 4');
    expect(metrics).toContain('nocwatch_line_protocol_points_total{result="accepted"} 1');
    expect((await app.server.inject({ url: '/api/v1/status' })).json().feeds.pm).toMatchObject({ accepted: 1, rejected: 3 });
  });

  it.each([
    ['no token', {}, 401, 'unauthorized'],
    ['a wrong token', { authorization: 'Token wrong-token-000000000' }, 401, 'unauthorized'],
    ['a read-only token', { authorization: 'Token reader-token-0123456789' }, 403, 'forbidden'],
  ])('answers %s in InfluxDB\'s error shape', async (_what, headers, status, code) => {
    app = await testApp({ auth: { tokens: [
      { name: 'telegraf', token: TOKEN, scopes: ['ingest'] },
      { name: 'reader', token: 'reader-token-0123456789', scopes: ['read'] },
    ] } });
    const res = await write('/api/v2/write?org=o&bucket=b', LINES, headers);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ code, message: expect.any(String) });
  });

  it('refuses an unknown precision, an unknown encoding and a body over the limit', async () => {
    app = await testApp({ server: { bodyLimitBytes: 1024 } });
    expect((await write('/api/v2/write?precision=h', LINES)).json()).toEqual({ code: 'invalid', message: 'invalid precision "h": use ns, us, ms or s' });
    const br = await write('/api/v2/write', LINES, { 'content-encoding': 'br' });
    expect([br.statusCode, br.json().code]).toEqual([415, 'unsupported media type']);
    const big = await write('/api/v2/write', 'x'.repeat(2048));
    expect([big.statusCode, big.json().code]).toEqual([413, 'request too large']);
    // A gzip bomb is limited by its decompressed size.
    const bomb = await write('/api/v2/write', gzipSync(`m f=1\n`.repeat(1000)), { 'content-encoding': 'gzip' });
    expect(bomb.statusCode).toBe(413);
    const broken = await write('/api/v2/write', Buffer.from('not gzip'), { 'content-encoding': 'gzip' });
    expect([broken.statusCode, broken.json().code]).toEqual([400, 'invalid']);
  });

  it('answers 503 with Retry-After when the queue is full, accepting nothing', async () => {
    app = await testApp({ pipeline: { queueLimit: 100, retryAfterS: 7 } });
    // The queue holds 60 records: the pipeline would drain real ones before the request arrives.
    vi.spyOn(app.pipeline, 'capacityLeft', 'get').mockReturnValue(40);
    const body = Array.from({ length: 50 }, (_, i) => `pm,cell=C${i} availability=100 ${T}`).join('\n');
    const res = await write('/api/v2/write?precision=s', body);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.json().code).toBe('unavailable');
  });

  it('answers 413, which Telegraf answers by splitting the batch, to more points of a feed than the queue can hold', async () => {
    app = await testApp({ pipeline: { queueLimit: 100 } });
    const body = Array.from({ length: 150 }, (_, i) => `pm,cell=C${i} availability=100 ${T}`).join('\n');
    const res = await write('/api/v2/write?precision=s', body);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ code: 'request too large', message: expect.stringMatching(/^the batch has 150 records, more than the queue limit of 100 .*split it/) });
  });
});

describe('POST /write (InfluxDB 1.x)', () => {
  it('takes u/p credentials and answers errors as {"error"}', async () => {
    app = await testApp({ auth: { tokens: [{ name: 'telegraf', token: TOKEN, scopes: ['ingest'] }] } });
    expect((await write(`/write?db=noc&precision=s&u=telegraf&p=${TOKEN}`, `pm,cell=C1 availability=100 ${T}`)).statusCode).toBe(204);
    const bad = await write(`/write?db=noc&u=telegraf&p=${TOKEN}`, 'pm,cell=C1 availability=');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: expect.stringMatching(/^partial write: unable to parse 'pm,cell=C1 availability=' \(line 1\): .* dropped=1$/) });
    expect((await write('/write?db=noc', 'pm,cell=C1 availability=1')).json()).toEqual({ error: expect.any(String) });
  });
});

describe('InfluxDB 1.x housekeeping', () => {
  it('answers /ping, and CREATE DATABASE from Telegraf\'s outputs.influxdb, and refuses other queries', async () => {
    app = await testApp();
    const ping = await app.server.inject({ method: 'GET', url: '/ping' });
    expect([ping.statusCode, ping.headers['x-influxdb-version']]).toEqual([204, 'nocwatch']);
    const create = await app.server.inject({
      method: 'POST', url: '/query', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'q=CREATE+DATABASE+%22telegraf%22',
    });
    expect([create.statusCode, create.json()]).toEqual([200, { results: [{ statement_id: 0 }] }]);
    const select = await app.server.inject({ method: 'POST', url: '/query?q=SELECT+*+FROM+cpu' });
    expect([select.statusCode, select.json().error]).toEqual([400, expect.stringContaining('writes only')]);
  });
});
