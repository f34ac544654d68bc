import { describe, expect, it } from 'vitest';
import {
  influxV1WriteError, influxV2WriteError, ingestLineProtocol,
} from '../../../src/collectors/line-protocol/ingest-line-protocol.js';
import { FakeIngestPort } from '../support/fake-ingest-port.js';

const NOW = Date.UTC(2026, 10, 23, 2, 0, 0);
const T = 1795402800; // 2026-11-23T02:20:00Z in seconds

describe('ingestLineProtocol', () => {
  it('maps pm, signaling and dialtest lines to events of their feeds, in line order per feed', async () => {
    const port = new FakeIngestPort();
    const body = [
      `pm,cell=CS-0001-1 rrc_setup_success_rate=99.2,erab_drop_rate=0.35,attempts_rrc_setup_success_rate=1520i,period=900i ${T}`,
      `signaling,cell=CS-0001-1,procedure=attach attempts=1200i,failures=14i,affected_subscribers=11i,top_cause="EMM#15" ${T}`,
      `dialtest,probe=PRB-CS-07,service=voice,cell=CS-0001-1 success=false,failure_cause="no_answer",test_id="DT-1" ${T}`,
      `pm,cell=CS-0001-2 availability=100 ${T + 900}`,
      `cpu,host=telegraf usage_idle=97.5 ${T}`,
    ].join('\n');
    const out = await ingestLineProtocol(body, 's', port, NOW, 'telegraf');
    expect(out).toEqual({ accepted: 4, ignored: 1, problems: [] });
    expect(port.events.map((r) => [r.feed, r.source])).toEqual([
      ['pm', 'telegraf'], ['pm', 'telegraf'], ['signaling', 'telegraf'], ['dialtest', 'telegraf'],
    ]);
    expect(port.events[0].event).toMatchObject({
      kind: 'pm', cellId: 'CS-0001-1', t: T * 1000, period: 900,
      kpis: { rrc_setup_success_rate: 99.2, erab_drop_rate: 0.35 },
      attempts: { rrc_setup_success_rate: 1520 },
    });
    expect(port.events[1].event).toMatchObject({ cellId: 'CS-0001-2', t: (T + 900) * 1000, kpis: { availability: 100 } });
    expect(port.events[2].event).toMatchObject({
      kind: 'signaling', cellId: 'CS-0001-1', procedure: 'attach', attempts: 1200, failures: 14, affectedSubscribers: 11, topCause: 'EMM#15', period: 300,
    });
    expect(port.events[3].event).toMatchObject({
      kind: 'dialtest', testId: 'DT-1', probeId: 'PRB-CS-07', service: 'voice', success: false, failureCause: 'no_answer',
    });
  });

  it('computes KPIs from pm_counters with the formulas and stamps lines without time with now', async () => {
    const port = new FakeIngestPort();
    await ingestLineProtocol('pm_counters,cell=C1 RRC.ConnEstabAtt.sum=200i,RRC.ConnEstabSucc.sum=190i', 'ns', port, NOW);
    expect(port.events[0].event).toMatchObject({
      kind: 'pm', cellId: 'C1', t: NOW, kpis: { rrc_setup_success_rate: 95 }, attempts: { rrc_setup_success_rate: 200 },
    });
  });

  it('reads a numeric dial-test success of 1/0 as true/false and names tests without an id', async () => {
    const port = new FakeIngestPort();
    await ingestLineProtocol(`dialtest,probe=P1,service=ping,cell=C1 success=1i,latency_ms=23.5 ${T}`, 's', port, NOW);
    expect(port.events[0].event).toMatchObject({ success: true, latencyMs: 23.5, testId: `P1:ping:${T * 1000}` });
  });

  it('lists syntax errors, missing tags and rejected records by line, and accepts the rest', async () => {
    const port = new FakeIngestPort();
    const body = [
      `pm,cell=C1 availability=100 ${T}`,
      'pm,cell=C1 availability=',
      `pm availability=100 ${T}`,
      `signaling,cell=C1,procedure=teleport attempts=1i,failures=0i ${T}`,
      `pm,cell=C2 availability="high" ${T}`,
      `signaling,cell=C1 attempts=1i,failures=0i ${T}`,
    ].join('\n');
    const out = await ingestLineProtocol(body, 's', port, NOW);
    expect(out.accepted).toBe(1);
    expect(out.problems.map((p) => [p.line, p.text])).toEqual([
      [2, 'pm,cell=C1 availability='],
      [3, `pm availability=100 ${T}`],
      [4, `signaling,cell=C1,procedure=teleport attempts=1i,failures=0i ${T}`],
      [5, `pm,cell=C2 availability="high" ${T}`],
      [6, `signaling,cell=C1 attempts=1i,failures=0i ${T}`],
    ]);
    expect(out.problems[0].message).toContain('missing value for field "availability"');
    expect(out.problems[1].message).toBe('measurement "pm" needs tag "cell"');
    expect(out.problems[2].message).toContain('procedure');
    expect(out.problems[3].message).toContain('kpis.availability');
    expect(out.problems[4].message).toBe('measurement "signaling" needs tag "procedure"');

    const v2 = influxV2WriteError(out);
    expect(v2.code).toBe('invalid');
    expect(v2.line).toBe(2);
    expect(v2.message.split('\n')[0]).toBe('partial write: 5 line(s) rejected, 1 point(s) accepted');
    expect(v2.message).toContain(`line 3: measurement "pm" needs tag "cell": 'pm availability=100 ${T}'`);
    expect(influxV1WriteError(out).error).toMatch(/^partial write: unable to parse 'pm,cell=C1 availability=' \(line 2\).* dropped=5$/s);
  });

  it('gives a broken line of a feed to that feed and keeps any other broken line as unfed, by 0-based line and text', async () => {
    const port = new FakeIngestPort();
    const body = ['garbage', `pm,cell=C1 availability=100 ${T}`, 'pm,cell=C2', 'cpu\\,x usage=', `pm,cell=C3 availability=1 ${T}`].join('\r\n');
    const out = await ingestLineProtocol(body, 's', port, NOW);
    expect(out.accepted).toBe(2);
    expect(out.problems.map((p) => p.line)).toEqual([1, 3, 4]);
    expect(port.unfed).toEqual([
      { label: 'line_protocol', index: 0, error: expect.stringMatching(/\(column \d+\)$/), reason: 'invalid_line_protocol', text: 'garbage' },
      { label: 'line_protocol', index: 3, error: expect.any(String), reason: 'invalid_line_protocol', text: 'cpu\\,x usage=' },
    ]);
  });

  it('ignores measurements named like Object.prototype properties, as any other it does not read', async () => {
    const port = new FakeIngestPort();
    const body = ['constructor', 'toString', '__proto__', 'hasOwnProperty'].map((m) => `${m},probe=P1,service=voice,cell=C1 success=true ${T}`).join('\n');
    expect(await ingestLineProtocol(body, 's', port, NOW)).toEqual({ accepted: 0, ignored: 4, problems: [] });
    expect(port.calls).toBe(0);
  });

  it("passes the port's overload through before anything is accepted", async () => {
    const port = new FakeIngestPort();
    port.overloadedFor = 1;
    await expect(ingestLineProtocol(`pm,cell=C1 availability=100 ${T}`, 's', port, NOW)).rejects.toThrow('queue full');
    expect(port.events).toEqual([]);
  });
});
