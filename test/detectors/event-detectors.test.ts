import { describe, expect, it } from 'vitest';
import { Detectors } from '../../src/detectors/detectors.js';
import { detectorsConfig } from '../../src/detectors/config.js';
import type { AlarmEvent, AnomalyTransition, ComplaintEvent, DialTestEvent, NetworkEvent, PmEvent } from '../../src/model/index.js';
import { configSchema } from '../../src/config/schema.js';
import { DAY, HOUR, MIN, PM_PERIOD_MS, T0, feed, firings, network, rng } from './network.js';

const inv = network(2, 4);
const CELLS = [...inv.allCells()].map((c) => c.cellId);

/** Feeds events in order, advancing to each event's time; returns "from>to key@minutes" lines. */
function drive(det: Detectors, events: (NetworkEvent | { advance: number })[]): AnomalyTransition[] {
  const out: AnomalyTransition[] = [];
  for (const e of events) {
    if ('advance' in e) det.advance(e.advance);
    else {
      det.observe(e);
      det.advance(e.t);
    }
    out.push(...det.takeTransitions());
  }
  return out;
}
const fmt = (ts: AnomalyTransition[]) => ts.map((t) => `${t.from}>${t.to} ${t.anomaly.signal}@${(t.at - T0) / MIN}`);

const alarm = (min: number, alarmId: string, severity: AlarmEvent['severity'], extra: Partial<AlarmEvent> = {}): AlarmEvent => ({
  kind: 'alarm', t: T0 + min * MIN, alarmId, objectType: 'cell', objectId: 'C-0-0-1', severity, probableCause: 'cell_unavailable', ...extra,
});

describe('built from the root configuration, as the daemon builds it', () => {
  // The root config hands over parsed durations (milliseconds); the stage must not read them again as
  // written (seconds), which made every hold and window a thousand times longer in the daemon.
  const raises = (n: number, spacingMin: number) => Array.from({ length: n }, (_, i) =>
    alarm(i * spacingMin, `S${i}`, 'minor', { objectType: 'site', objectId: 'S-0-1', probableCause: 'fan_failure' }));
  it.each<{ name: string; config: object; events: (AlarmEvent | { advance: number })[]; expected: string[] }>([
    {
      name: 'defaults: a cleared alarm resolves 30 min after its clear',
      config: {},
      events: [alarm(0, 'A1', 'critical'), alarm(10, 'A1', 'cleared'), { advance: T0 + 39 * MIN }, { advance: T0 + 40 * MIN }],
      expected: ['null>pending cell_unavailable@0', 'pending>firing cell_unavailable@0', 'firing>resolving cell_unavailable@10', 'resolving>resolved cell_unavailable@40'],
    },
    {
      name: 'a configured hold of 10 min',
      config: { detectors: { stateMachine: { resolveAfter: '10m' } } },
      events: [alarm(0, 'A1', 'critical'), alarm(10, 'A1', 'cleared'), { advance: T0 + 20 * MIN }],
      expected: ['null>pending cell_unavailable@0', 'pending>firing cell_unavailable@0', 'firing>resolving cell_unavailable@10', 'resolving>resolved cell_unavailable@20'],
    },
    {
      name: 'raises spread over hours are no storm (the storm window is 5 min)',
      config: { detectors: { alarms: { stormRaises: 5, anomalySeverities: ['critical'] } } },
      events: [...raises(10, 30), { advance: T0 + 300 * MIN }],
      expected: [],
    },
  ])('$name', ({ config, events, expected }) => {
    const det = new Detectors(configSchema.parse(config).detectors, inv);
    expect(fmt(drive(det, events)).filter((l) => !l.includes('fan_failure'))).toEqual(expected);
  });
});

describe('alarms (X.733)', () => {
  it.each<{ name: string; events: (AlarmEvent | { advance: number })[]; expected: string[] }>([
    {
      name: 'raise then clear: firing, resolving, resolved after the hold',
      events: [alarm(0, 'A1', 'critical'), alarm(10, 'A1', 'cleared'), { advance: T0 + 45 * MIN }],
      expected: ['null>pending cell_unavailable@0', 'pending>firing cell_unavailable@0', 'firing>resolving cell_unavailable@10', 'resolving>resolved cell_unavailable@45'],
    },
    {
      name: 'clear without raise: nothing',
      events: [alarm(0, 'A9', 'cleared'), { advance: T0 + 60 * MIN }],
      expected: [],
    },
    {
      name: 'raise without clear: forgotten (stale) after 7 days',
      events: [alarm(0, 'A1', 'major'), { advance: T0 + 6 * DAY }, { advance: T0 + 7 * DAY + MIN }],
      expected: ['null>pending cell_unavailable@0', 'pending>firing cell_unavailable@0', `firing>resolved cell_unavailable@${7 * 24 * 60 + 1}`],
    },
    {
      name: 'a clear with an unknown id clears the alarm on the same object and cause',
      events: [alarm(0, 'A1', 'critical'), alarm(5, 'OTHER-ID', 'cleared'), { advance: T0 + 40 * MIN }],
      expected: ['null>pending cell_unavailable@0', 'pending>firing cell_unavailable@0', 'firing>resolving cell_unavailable@5', 'resolving>resolved cell_unavailable@40'],
    },
    {
      name: 'minor alarms are context too (X.733: non-service-affecting): no anomaly',
      events: [alarm(0, 'M1', 'minor', { probableCause: 'vswr_over_threshold' }), alarm(5, 'M1', 'cleared', { probableCause: 'vswr_over_threshold' }), alarm(10, 'M2', 'minor', { probableCause: 'vswr_over_threshold' }), { advance: T0 + 90 * MIN }],
      expected: [],
    },
    {
      name: 'warnings alone are context, not findings',
      events: [alarm(0, 'W1', 'warning', { probableCause: 'temperature_high' }), { advance: T0 + 60 * MIN }],
      expected: [],
    },
  ])('$name', ({ events, expected }) => {
    expect(fmt(drive(new Detectors(detectorsConfig(), inv), events))).toEqual(expected);
  });

  it('a flapping alarm is one anomaly that keeps its evidence, and resolves only after a quiet hour', () => {
    const det = new Detectors(detectorsConfig(), inv);
    const events: (AlarmEvent | { advance: number })[] = [];
    for (let k = 0; k < 6; k++) events.push(alarm(k * 10, `F${k}`, 'major', { probableCause: 'vswr_high' }), alarm(k * 10 + 5, `F${k}`, 'cleared', { probableCause: 'vswr_high' }));
    events.push({ advance: T0 + 60 * MIN }, { advance: T0 + 100 * MIN }, { advance: T0 + 116 * MIN });
    const ts = drive(det, events);
    expect(new Set(ts.map((t) => t.anomaly.id)).size).toBe(1);
    expect(ts.filter((t) => t.to === 'resolved').map((t) => (t.at - T0) / MIN)).toEqual([116]);
    const last = ts.filter((t) => t.to === 'firing').at(-1)!;
    expect(last.anomaly.evidence).toMatchObject({ flapping: true, raises: 6 });
    expect(last.anomaly.hint).toBe('interference');
  });

  it('a site alarm sets every cell of the site to outage, and a core alarm points at the core', () => {
    const det = new Detectors(detectorsConfig(), inv);
    const ts = drive(det, [
      alarm(0, 'S1', 'critical', { objectType: 'site', objectId: 'S-1-2', probableCause: 'mains_power_failure' }),
      alarm(1, 'M1', 'major', { objectType: 'core', objectId: 'MME-01', probableCause: 'sctp_link_down' }),
    ]);
    expect(['C-1-2-1', 'C-1-2-2', 'C-1-2-3', 'C-1-3-1'].map((c) => det.cellStatus(c))).toEqual(['outage', 'outage', 'outage', 'normal']);
    expect(firings(ts).map((t) => [t.anomaly.objectType, t.anomaly.hint])).toEqual([['site', 'outage'], ['core', 'core']]);
  });

  describe('a missing clear: the PM of the covered cells decides', () => {
    const SITE = ['C-1-2-1', 'C-1-2-2', 'C-1-2-3'];
    const pmAt = (min: number, availability: number, cells = SITE): PmEvent[] =>
      cells.map((cellId) => ({ kind: 'pm', t: T0 + min * MIN, cellId, period: 900, kpis: { availability } }));
    const power = alarm(0, 'P1', 'critical', { objectType: 'site', objectId: 'S-1-2', probableCause: 'mains_power_failure' });
    it.each<{ name: string; events: (NetworkEvent | { advance: number })[]; expected: string[]; status: string }>([
      {
        name: 'the site comes back (two periods in full service) and the clear never comes: resolves',
        events: [power, ...pmAt(60, 100), ...pmAt(75, 100), { advance: T0 + 110 * MIN }],
        expected: ['null>pending mains_power_failure@0', 'pending>firing mains_power_failure@0', 'firing>resolving mains_power_failure@75', 'resolving>resolved mains_power_failure@110'],
        status: 'normal',
      },
      {
        name: 'one period back is not enough',
        events: [power, ...pmAt(60, 100), { advance: T0 + 110 * MIN }],
        expected: ['null>pending mains_power_failure@0', 'pending>firing mains_power_failure@0'],
        status: 'outage',
      },
      {
        name: 'a cell still partly down keeps it',
        events: [power, ...pmAt(60, 100), ...pmAt(75, 100, SITE.slice(0, 2)), ...pmAt(75, 40, SITE.slice(2)), ...pmAt(90, 100), { advance: T0 + 130 * MIN }],
        expected: ['null>pending mains_power_failure@0', 'pending>firing mains_power_failure@0'],
        status: 'outage',
      },
      {
        name: 'full service before the raise says nothing about it',
        events: [...pmAt(-30, 100), ...pmAt(-15, 100), power, ...pmAt(15, 100), { advance: T0 + 60 * MIN }],
        expected: ['null>pending mains_power_failure@0', 'pending>firing mains_power_failure@0'],
        status: 'outage',
      },
    ])('$name', ({ events, expected, status }) => {
      const det = new Detectors(detectorsConfig(), inv);
      expect(fmt(drive(det, events)).filter((l) => l.includes('mains_power_failure'))).toEqual(expected);
      expect(det.cellStatus('C-1-2-1')).toBe(status);
    });

    it('a new raise after it resolved fires again', () => {
      const det = new Detectors(detectorsConfig(), inv);
      const ts = drive(det, [power, ...pmAt(15, 100), ...pmAt(30, 100), { advance: T0 + 70 * MIN },
        alarm(80, 'P2', 'critical', { objectType: 'site', objectId: 'S-1-2', probableCause: 'mains_power_failure' })]);
      expect(firings(ts).map((t) => (t.at - T0) / MIN)).toEqual([0, 80]);
      // The new fault began with the new raise, not with the alarm whose clear was lost 80 min before.
      expect(firings(ts).map((t) => (t.anomaly.startedAt - T0) / MIN)).toEqual([0, 80]);
    });
  });

  it('an alarm storm in a region is one region anomaly', () => {
    const det = new Detectors(detectorsConfig({ alarms: { stormRaises: 20 } }), inv);
    const events = Array.from({ length: 30 }, (_, k) => alarm(k * 0.1, `X${k}`, 'minor', { objectId: CELLS[k % CELLS.length], probableCause: `cause_${k}` }));
    const ts = drive(det, [...events, { advance: T0 + 30 * MIN }, { advance: T0 + 70 * MIN }]);
    const storm = ts.filter((t) => t.anomaly.signal === 'alarm_storm');
    expect(storm.map((t) => `${t.from}>${t.to}`)).toEqual(['null>pending', 'pending>firing', 'firing>resolving', 'resolving>resolved']);
    expect(storm[1].anomaly).toMatchObject({ objectType: 'region', objectId: 'R1' });
  });
});

const dial = (min: number, success: boolean, probeId = 'P1', service: DialTestEvent['service'] = 'voice'): DialTestEvent => ({
  kind: 'dialtest', t: T0 + min * MIN, testId: `T${min}`, probeId, service, cellId: 'C-0-0-2', success, failureCause: success ? null : 'no_answer',
});

describe('dial tests', () => {
  it('three consecutive failures of one probe fire, whatever the services; a success starts the resolution', () => {
    const det = new Detectors(detectorsConfig(), inv);
    const ts = drive(det, [dial(0, false), dial(5, false), dial(10, true), dial(15, false, 'P1', 'data_http'), dial(15.3, false, 'P1', 'ping'), dial(15.6, false), dial(30, true)]);
    const probe = ts.filter((t) => t.anomaly.id.startsWith('dt|'));
    expect(fmt(probe)).toEqual(['null>pending dialtest.data_http@15.6', 'pending>firing dialtest.data_http@15.6', 'firing>resolving dialtest.data_http@30']);
    expect(probe[1].anomaly).toMatchObject({ cellId: 'C-0-0-2', startedAt: T0 + 15 * MIN, evidence: { consecutiveFailures: 3, services: 'data_http,ping,voice', causes: 'no_answer' } });
  });

  it('occasional failures at a cell are normal; a burst against its own rate fires', () => {
    const det = new Detectors(detectorsConfig(), inv);
    const events: DialTestEvent[] = [];
    // 200 tests with a failure every 25th (4 %), probes rotating so no probe fails twice in a row.
    for (let k = 0; k < 200; k++) events.push(dial(k * 10, k % 25 !== 7, `P${k % 5}`, 'data_http'));
    expect(firings(drive(det, events))).toEqual([]);
    const burst: DialTestEvent[] = [];
    for (let k = 200; k < 210; k++) burst.push(dial(k * 10, ![0, 1, 3, 4, 6, 7].includes(k % 10), `P${k % 5}`, 'data_http'));
    const hit = firings(drive(det, burst)).find((t) => t.anomaly.id.startsWith('dtr|'));
    expect(hit?.anomaly).toMatchObject({ cellId: 'C-0-0-2', signal: 'dialtest.data_http', source: 'dialtest' });
  });

  it.each<{ name: string; outcomes: string; startsAt: number | null; resolving: number | null }>([
    // One letter per test, a minute apart: x failed, . succeeded. Probes rotate (no consecutive rule).
    { name: 'a burst starts at its first failure, not at a stray failure before it', outcomes: 'x.........xxxx', startsAt: 10, resolving: null },
    { name: 'a stray failure just before a burst, barely changing its odds, does not date it', outcomes: 'x..xxx', startsAt: 3, resolving: null },
    { name: 'a cycle of successes (4 in a row) starts the resolution', outcomes: 'xxxxx.x....', startsAt: 0, resolving: 10 },
    { name: 'stray failures are no finding', outcomes: 'x....x....x....x', startsAt: null, resolving: null },
  ])('per cell: $name', ({ outcomes, startsAt, resolving }) => {
    const det = new Detectors(detectorsConfig({ dialTests: { consecutiveFailures: 99 } }), inv);
    // A cell with a clean history first, so its own rate is learned low.
    const events: DialTestEvent[] = Array.from({ length: 60 }, (_, k) => dial(k - 100, true, `Q${k % 4}`, 'voice'));
    [...outcomes].forEach((o, k) => events.push(dial(k, o === '.', `Q${k % 4}`, 'voice')));
    const ts = drive(det, events).filter((t) => t.anomaly.id.startsWith('dtr|'));
    const fired = ts.find((t) => t.to === 'firing');
    expect(fired ? (fired.anomaly.startedAt - T0) / MIN : null).toBe(startsAt);
    const res = ts.find((t) => t.to === 'resolving');
    expect(res ? (res.at - T0) / MIN : null).toBe(resolving);
  });
  describe('one service failing', () => {
    // A probe's cycle every 15 min: voice, HTTP, ping, and in turn video, DNS, SMS (as the simulator's).
    const cycles = (from: number, n: number, fails: (service: string) => boolean): DialTestEvent[] => Array.from({ length: n }, (_, j) => {
      const c = from + j;
      const services: DialTestEvent['service'][] = ['voice', 'data_http', 'ping'];
      if (c % 4 > 0) services.push((['video', 'dns', 'sms'] as const)[(c % 4) - 1]);
      return services.map((sv, k) => dial(c * 15 + k / 3, !fails(sv), 'P9', sv));
    }).flat();
    const learnt = () => {
      const det = new Detectors(detectorsConfig(), inv);
      expect(firings(drive(det, cycles(0, 192, () => false)))).toEqual([]);
      return det;
    };

    it.each([
      { service: 'data_http', within: 3 },
      { service: 'dns', within: 12 }, // DNS is tested every fourth cycle: its third failure
    ])('$service alone failing (one test in three or four) is a finding of its own within $within cycles', ({ service, within }) => {
      const det = learnt();
      const ts = drive(det, cycles(192, 16, (sv) => sv === service));
      const first = firings(ts)[0];
      expect(first?.anomaly).toMatchObject({ signal: `dialtest.${service}`, cellId: 'C-0-0-2' });
      expect((first!.at - T0) / MIN - 192 * 15).toBeLessThan(within * 15);
    });

    it('when every service fails, the pooled finding says it: no finding per service beside it, and none after it clears', () => {
      const det = learnt();
      // Four cycles of failures, four good ones (the pooled findings clear and resolve), then a stray voice failure.
      const ts = drive(det, [...cycles(192, 4, () => true), ...cycles(196, 4, () => false), ...cycles(200, 1, (sv) => sv === 'voice'), ...cycles(201, 4, () => false)]);
      expect(firings(ts).map((t) => t.anomaly.id.split('@')[0])).toEqual(['dt|P9', 'dtr|C-0-0-2']);
    });
  });

  describe('voice quality', () => {
    // A probe's calls over a day: setup ~2.3 s (±10 %), MOS ~4.15 (±0.1), every 15 minutes.
    const call = (k: number, setupMs: number, mos: number, probeId = 'V1'): DialTestEvent => ({
      ...dial(k * 15, true, probeId, 'voice'), setupMs, mos,
    });
    const normal = (k: number) => call(k, 2300 * Math.exp(0.1 * Math.sin(k * 1.7)), 4.15 + 0.1 * Math.cos(k * 2.3));
    const day = Array.from({ length: 96 }, (_, k) => normal(k));

    it.each([
      { name: 'calls that connect in four times their usual setup time', setupMult: 4, mosDrop: 0, cause: 'slow_setup' },
      { name: 'calls that connect but sound a MOS point worse', setupMult: 1, mosDrop: 1, cause: 'low_mos' },
    ])('$name count as failed tests: with a failed HTTP and ping test they are three in a row', ({ setupMult, mosDrop, cause }) => {
      const det = new Detectors(detectorsConfig(), inv);
      expect(firings(drive(det, day))).toEqual([]);
      const k = 96;
      const cycle = [
        call(k, 2300 * setupMult, 4.15 - mosDrop),
        { ...dial(k * 15 + 0.3, false, 'V1', 'data_http') },
        { ...dial(k * 15 + 0.6, false, 'V1', 'ping') },
      ];
      const probe = firings(drive(det, cycle)).find((t) => t.anomaly.id.startsWith('dt|V1'));
      expect(probe?.anomaly.evidence).toMatchObject({ consecutiveFailures: 3, causes: `${cause},no_answer` });
    });

    it('a probe\'s learnt calls survive a checkpoint and restore', () => {
      const det = new Detectors(detectorsConfig(), inv);
      drive(det, day);
      const restored = new Detectors(detectorsConfig(), inv);
      restored.restore(det.checkpoint());
      const cycle = [call(96, 2300 * 4, 4.15), dial(96 * 15 + 0.3, false, 'V1', 'data_http'), dial(96 * 15 + 0.6, false, 'V1', 'ping')];
      expect(firings(drive(restored, cycle)).map((t) => t.anomaly.evidence.causes)).toContain('slow_setup,no_answer');
    });

    it('an ordinary call is no failure: a failed HTTP and ping test after it are two, not three', () => {
      const det = new Detectors(detectorsConfig(), inv);
      drive(det, day);
      const cycle = [normal(96), dial(96 * 15 + 0.3, false, 'V1', 'data_http'), dial(96 * 15 + 0.6, false, 'V1', 'ping')];
      expect(firings(drive(det, cycle))).toEqual([]);
    });

    it('a probe judges nothing before it has learnt its calls, and a lasting change is adopted: it relearns from there', () => {
      const det = new Detectors(detectorsConfig({ dialTests: { quality: { adoptAfter: 4 } } }), inv);
      // Slow calls from the start: nothing learnt to compare with.
      expect(firings(drive(det, [call(0, 9000, 4.1), dial(0.3, false, 'V1', 'data_http'), dial(0.6, false, 'V1', 'ping')]))).toEqual([]);
      const det2 = new Detectors(detectorsConfig({ dialTests: { quality: { adoptAfter: 4 } } }), inv);
      drive(det2, day);
      // Four slow calls (with successes between them) are adopted: the fifth is no degraded call.
      const slow = Array.from({ length: 4 }, (_, j) => [call(96 + j, 9200, 4.1), dial((96 + j) * 15 + 0.3, true, 'V1', 'data_http')]).flat();
      drive(det2, slow);
      const after = [call(100, 9300, 4.1), dial(100 * 15 + 0.3, false, 'V1', 'data_http'), dial(100 * 15 + 0.6, false, 'V1', 'ping')];
      expect(firings(drive(det2, after))).toEqual([]);
    });
  });
});


const complaint = (min: number, id: string, location: ComplaintEvent['complaint']['location']): ComplaintEvent => ({
  kind: 'complaint', t: T0 + min * MIN,
  complaint: { complaintId: id, channel: 'hotline', receivedAt: T0 + min * MIN, customer: { id: `u${id}`, class: 'regular' }, category: 'weak_signal', location },
});

describe('complaint spikes', () => {
  it('five complaints from one cell within the hour are a coverage finding; the background is not', () => {
    const det = new Detectors(detectorsConfig(), inv);
    const background = Array.from({ length: 8 }, (_, k) => complaint(k * 24 * 60, `b${k}`, { cellId: CELLS[k] }));
    expect(firings(drive(det, background))).toEqual([]);
    const spike = Array.from({ length: 5 }, (_, k) => complaint(8 * 24 * 60 + k * 7, `s${k}`, { cellId: 'C-1-1-1' }));
    const ts = drive(det, [...spike, { advance: T0 + 8 * DAY + 6 * HOUR }, { advance: T0 + 8 * DAY + 7 * HOUR }]);
    const cell = ts.filter((t) => t.anomaly.id.startsWith('cmp|cell|C-1-1-1'));
    expect(cell.map((t) => t.to)).toEqual(['pending', 'firing', 'resolving', 'resolved']);
    expect(cell[1].anomaly).toMatchObject({ hint: 'coverage', signal: 'complaint_spike', evidence: { complaints: 3 } });
  });

  it('a spike on a cell that always complains is dated where the excess began, not at the window\'s oldest complaint', () => {
    const det = new Detectors(detectorsConfig({ complaints: { slowWindow: '0s' } }), inv);
    // A week of a complaint every hour at :05 from one busy cell teaches it a rate of about one an hour.
    const usual = Array.from({ length: 8 * 24 }, (_, h) => complaint(h * 60 + 5, `u${h}`, { cellId: 'C-1-1-1' }));
    const learning = drive(det, usual);
    // (Its first hours, before the rate is learnt, are news; the last day is not.)
    expect(learning.filter((t) => t.at > T0 + 7 * DAY && t.to === 'firing')).toEqual([]);
    // Then, as usual, one at 8 d 00:05 — and a burst from 00:30.
    const burst = Array.from({ length: 14 }, (_, k) => complaint(8 * 24 * 60 + 30 + k, `s${k}`, { cellId: 'C-1-1-1' }));
    const fired = firings(drive(det, [complaint(8 * 24 * 60 + 5, 'u-last', { cellId: 'C-1-1-1' }), ...burst])).find((t) => t.anomaly.signal === 'complaint_spike');
    expect(fired?.anomaly.evidence.expected).toBeGreaterThan(1.5);
    // The window (three hourly buckets) also holds the usual complaints of 22:05 and 23:05: the burst's hour is the start.
    expect(fired?.anomaly.startedAt).toBe(T0 + 8 * DAY);
  });

  it('district-only complaints a live network incident nearly explains do not make a district cluster; the same unexplained do', () => {
    const district = inv.cell('C-1-1-1')!.district;
    const run = (nearIncident?: string) => {
      const det = new Detectors(detectorsConfig(), inv);
      const background = Array.from({ length: 8 }, (_, k) => complaint(k * 24 * 60, `b${k}`, { cellId: CELLS[k] }));
      drive(det, background);
      const burst = Array.from({ length: 8 }, (_, k) => ({ ...complaint(8 * 24 * 60 + k * 10, `d${k}`, { district }), ...(nearIncident ? { nearIncident } : {}) }));
      return firings(drive(det, burst)).filter((t) => t.anomaly.objectType === 'district').map((t) => t.anomaly.signal);
    };
    expect(run()).toContain('complaint_spike');
    expect(run('INC-1')).toEqual([]);
  });

  it('a trickle around one site — a complaint every few hours, never a spike — is a chronic finding against the network\'s learned rate', () => {
    const det = new Detectors(detectorsConfig(), inv);
    // A week of background: one complaint a day somewhere in the network teaches a low rate per cell.
    const background = Array.from({ length: 7 }, (_, k) => complaint(k * 24 * 60 + 600, `b${k}`, { cellId: CELLS[(k * 5) % CELLS.length] }));
    const bg = drive(det, background);
    expect(firings(bg)).toEqual([]);
    // Then six complaints over 20 hours from the cells of one site (by cell and by location).
    const c = inv.cell('C-1-2-2')!;
    const trickle = Array.from({ length: 6 }, (_, k) => complaint(8 * 24 * 60 + k * 4 * 60, `t${k}`,
      k % 2 ? { cellId: `C-1-2-${(k % 3) + 1}` } : { lat: c.lat + 0.0002, lon: c.lon }));
    const ts = drive(det, trickle);
    // No fast spike (never three within three hours)…
    expect(firings(ts).filter((t) => t.anomaly.signal === 'complaint_spike')).toEqual([]);
    // …but the site's day adds up.
    const site = firings(ts).find((t) => t.anomaly.signal === 'complaint_trickle' && t.anomaly.objectType === 'site');
    expect(site?.anomaly).toMatchObject({ objectId: inv.cell('C-1-2-2')!.siteId, hint: 'coverage', source: 'complaints' });
  });

  it.each([
    { name: 'out beyond the cells\' reach (1.4 km east of a site whose neighbour is 1.1 km away) are a coverage gap', eastDeg: 0.014, fires: true },
    { name: 'where the cells serve (200 m from the site) are ordinary complaints, too few for any finding', eastDeg: 0.002, fires: false },
  ])('three complaints in a day placed $name', ({ eastDeg, fires }) => {
    const det = new Detectors(detectorsConfig(), inv);
    const background = Array.from({ length: 7 }, (_, k) => complaint(k * 24 * 60 + 600, `b${k}`, { cellId: CELLS[(k * 5) % CELLS.length] }));
    expect(firings(drive(det, background))).toEqual([]);
    const site = inv.cell('C-0-2-1')!;
    const hole = Array.from({ length: 3 }, (_, k) => complaint(8 * 24 * 60 + k * 5 * 60, `g${k}`, { lat: site.lat + k * 0.001, lon: site.lon + eastDeg }));
    const ts = firings(drive(det, hole));
    const gap = ts.filter((t) => t.anomaly.signal === 'complaint_coverage_gap');
    expect(gap.map((t) => `${t.anomaly.objectType}:${t.anomaly.objectId}`)).toEqual(fires ? ['site:S-0-2'] : []);
    if (fires) {
      expect(gap[0]!.anomaly).toMatchObject({ source: 'complaints', hint: 'coverage', evidence: { complaints: 3, lastLat: site.lat + 0.002 } });
      expect(gap[0]!.anomaly.evidence.lastKm).toBeGreaterThan(1);
      // It began with its first complaint, not at the start of the day-long window.
      expect(gap[0]!.anomaly.startedAt).toBe(T0 + 8 * DAY);
    }
    // Three is no spike and no trickle: only their place makes them news.
    expect(ts.filter((t) => t.anomaly.signal !== 'complaint_coverage_gap')).toEqual([]);
  });

  it('a hole between two sites adds up although its complaints\' nearest site alternates', () => {
    const det = new Detectors(detectorsConfig(), inv);
    // Sites S-0-1 and S-0-2 are 1.1 km apart north–south; the hole is 1.2 km east of their midpoint.
    const a = inv.cell('C-0-1-3')!;
    const hole = [0.004, 0.006, 0.0045].map((dLat, k) => complaint(k * 5 * 60, `g${k}`, { lat: a.lat + dLat, lon: a.lon + 0.012 }));
    const nearest = hole.map((h) => inv.cell(inv.nearestCells(h.complaint.location.lat!, h.complaint.location.lon!, 1)[0]!.cellId)!.siteId);
    expect(new Set(nearest)).toEqual(new Set(['S-0-1', 'S-0-2']));
    const gap = firings(drive(det, hole)).filter((t) => t.anomaly.signal === 'complaint_coverage_gap');
    expect(gap.map((t) => t.anomaly.objectId).sort()).toEqual(['S-0-1', 'S-0-2']);
  });

  it('the coverage-gap count can be turned off', () => {
    const det = new Detectors(detectorsConfig({ complaints: { gap: { minCount: 0 } } }), inv);
    const site = inv.cell('C-0-2-1')!;
    const hole = Array.from({ length: 6 }, (_, k) => complaint(k * 3 * 60, `g${k}`, { lat: site.lat, lon: site.lon + 0.014 }));
    expect(firings(drive(det, hole)).filter((t) => t.anomaly.signal === 'complaint_coverage_gap')).toEqual([]);
  });

  it('the trickle window can be turned off', () => {
    const det = new Detectors(detectorsConfig({ complaints: { slowWindow: '0s' } }), inv);
    const trickle = Array.from({ length: 8 }, (_, k) => complaint(k * 4 * 60, `t${k}`, { cellId: 'C-1-2-1' }));
    expect(firings(drive(det, trickle)).filter((t) => t.anomaly.signal === 'complaint_trickle')).toEqual([]);
  });

  it.each([
    { name: 'in the afternoon, when the whole network complains most, is no spike', hour: 13, fires: false },
    { name: 'at night, when hardly anyone complains, is a spike', hour: 3, fires: true },
  ])('a district\'s eight complaints in three hours $name: the network\'s daily shape sets what a window expects', ({ hour, fires }) => {
    const det = new Detectors(detectorsConfig({ complaints: { slowWindow: '0s' } }), inv);
    // Ten days of background: four complaints an hour from 12:00 to 16:00 across the network, one at 03:00.
    const background: ComplaintEvent[] = [];
    for (let d = 0; d < 10; d++) {
      for (const h of [3, 12, 12, 12, 12, 13, 13, 13, 13, 14, 14, 14, 14, 15, 15, 15, 15]) {
        const k = background.length;
        background.push(complaint(d * 24 * 60 + h * 60 + (k % 4) * 13, `b${k}`, { cellId: CELLS[(k * 5) % CELLS.length]! }));
      }
    }
    drive(det, [...background, { advance: T0 + 10 * DAY }]);
    const day = 10 * 24 * 60 + hour * 60;
    const burst = Array.from({ length: 8 }, (_, k) => complaint(day + k * 20, `s${k}`, { district: 'D0' }));
    const spikes = firings(drive(det, burst)).filter((t) => t.anomaly.objectId === 'D0' && t.anomaly.signal === 'complaint_spike');
    expect(spikes.length > 0).toBe(fires);
  });

  it('an hour that was quiet for days learns its complaints once they start coming: the shape follows the network', () => {
    const det = new Detectors(detectorsConfig({ complaints: { slowWindow: '0s' } }), inv);
    // Five days of afternoon complaints only, then eight more with four an hour from 03:00 to 06:00 too.
    const background: ComplaintEvent[] = [];
    for (let d = 0; d < 13; d++) {
      const hours = [12, 13, 14, 15, ...(d >= 5 ? [3, 4, 5] : [])];
      for (const h of hours) {
        for (let k = 0; k < 4; k++) {
          const n = background.length;
          background.push(complaint(d * 24 * 60 + h * 60 + k * 13, `b${n}`, { cellId: CELLS[(n * 5) % CELLS.length]! }));
        }
      }
    }
    background.sort((a, b) => a.t - b.t);
    drive(det, [...background, { advance: T0 + 13 * DAY }]);
    // Eight from D0 between 03:00 and 06:00, as on the last eight nights (about half of the network's twelve).
    const burst = Array.from({ length: 8 }, (_, k) => complaint(13 * 24 * 60 + 3 * 60 + k * 20, `s${k}`, { district: 'D0' }));
    expect(firings(drive(det, burst)).filter((t) => t.anomaly.objectId === 'D0')).toEqual([]);
  });

  it('complaints spread over a district (by district or by location) add up to a district spike', () => {
    const det = new Detectors(detectorsConfig(), inv);
    const c = inv.cell('C-0-2-1')!;
    const events = [
      ...Array.from({ length: 4 }, (_, k) => complaint(k * 5, `d${k}`, { district: 'D0' })),
      ...Array.from({ length: 4 }, (_, k) => complaint(20 + k * 5, `g${k}`, { lat: c.lat + 0.0001, lon: c.lon })),
    ];
    const hit = firings(drive(det, events)).find((t) => t.anomaly.objectType === 'district');
    expect(hit?.anomaly).toMatchObject({ objectId: 'D0', hint: 'coverage' });
  });
});

describe('missing data', () => {
  it('a cell that goes silent while its district reports is an outage within two PM periods; it clears when data returns', () => {
    const det = new Detectors(detectorsConfig(), inv);
    const goneAt = T0 + 3 * DAY + 10 * HOUR;
    const ts = feed(det, CELLS, T0, goneAt + 3 * HOUR, rng(4), { silent: [{ cellId: 'C-0-3-2', from: goneAt, to: goneAt + 2 * HOUR }] });
    const nodata = ts.filter((t) => t.anomaly.signal === 'no_data');
    const fired = nodata.find((t) => t.to === 'firing')!;
    expect(fired.anomaly).toMatchObject({ cellId: 'C-0-3-2', hint: 'outage', source: 'missing_data', startedAt: goneAt });
    expect(fired.at - goneAt).toBeLessThanOrEqual(2 * PM_PERIOD_MS);
    expect(nodata.some((t) => t.to === 'resolving' && t.at === goneAt + 2 * HOUR + PM_PERIOD_MS)).toBe(true);
    expect(nodata.filter((t) => t.to === 'firing')).toHaveLength(1);
  });

  it('when the whole feed stops it is the collector, not every cell', () => {
    const det = new Detectors(detectorsConfig(), inv);
    const gap = T0 + 2 * DAY;
    const ts = feed(det, CELLS, T0, gap + 4 * HOUR, rng(5), { silent: CELLS.map((c) => ({ cellId: c, from: gap, to: gap + 3 * HOUR })) });
    expect(ts.filter((t) => t.anomaly.signal === 'no_data')).toEqual([]);
  });
});

describe('static thresholds', () => {
  it('availability below 90 % is an outage at once; the hysteresis holds it until back above 95 %', () => {
    const det = new Detectors(detectorsConfig(), inv);
    const at = T0 + DAY;
    const values = [100, 85, 92, 94, 96, 100];
    const ts = feed(det, ['C-0-1-1'], T0, at + values.length * PM_PERIOD_MS, rng(1), {
      edit: (ev) => { const k = Math.round((ev.t - at) / PM_PERIOD_MS) - 1; if (k >= 0 && k < values.length) ev.kpis.availability = values[k]; },
    });
    const thr = ts.filter((t) => t.anomaly.id.startsWith('thr|'));
    expect(thr.slice(0, 3).map((t) => `${t.from}>${t.to}@${(t.at - at) / PM_PERIOD_MS}`)).toEqual(['null>pending@2', 'pending>firing@2', 'firing>resolving@5']);
    expect(thr[1].anomaly).toMatchObject({ hint: 'outage', severity: 'critical', evidence: { observed: 85, threshold: 90, rule: 'below' } });
  });

  it('thresholds given in config join the built-in ones: a KPI named replaces its rule, null drops it', () => {
    const names = (thresholds: Record<string, unknown>) => Object.keys(detectorsConfig({ thresholds } as never).thresholds).sort();
    expect(names({})).toEqual(['availability', 'prb_dl_utilization', 'ul_interference_dbm']);
    // A new KPI's threshold keeps the at-once outage rule on availability.
    expect(names({ latency_ms: { above: 100 } })).toEqual(['availability', 'latency_ms', 'prb_dl_utilization', 'ul_interference_dbm']);
    expect(names({ prb_dl_utilization: null, ul_interference_dbm: null })).toEqual(['availability']);
    const cfg = detectorsConfig({ thresholds: { availability: { below: 95, for: '15m' } } });
    expect(cfg.thresholds.availability).toMatchObject({ below: 95, for: 15 * MIN, severity: 'major' });
    expect(cfg.thresholds.prb_dl_utilization).toMatchObject({ above: 95, for: 30 * MIN });
  });

  it('shift rules join the built-in ones the same way', () => {
    expect(detectorsConfig().shifts).toEqual({ ul_interference_dbm: { by: 4, minZ: 6 } });
    const cfg = detectorsConfig({ shifts: { latency_ms: { by: 50 }, ul_interference_dbm: null } });
    expect(cfg.shifts).toEqual({ latency_ms: { by: 50, minZ: 6 } });
    expect(() => detectorsConfig({ shifts: { latency_ms: { by: 0 } } })).toThrow();
  });

  it('`for:` delays firing, and an area class may have its own bound', () => {
    const cfg = { thresholds: { prb_dl_utilization: { above: 90, for: '30m', byAreaClass: { hospital: { above: 80 } } } } };
    const det = new Detectors(detectorsConfig(cfg), inv);
    const at = T0 + DAY;
    const edit = (ev: { t: number; kpis: Record<string, number> }) => { if (ev.t > at) ev.kpis.prb_dl_utilization = 85; };
    // C-0-0-1 sits at a hospital site (80 % applies), C-0-1-1 in a residential one (90 %).
    const ts = feed(det, ['C-0-0-1', 'C-0-1-1'], T0, at + 2 * HOUR, rng(1), { edit });
    const fired = ts.filter((t) => t.anomaly.id.startsWith('thr|') && t.to === 'firing');
    expect(fired.map((t) => [t.anomaly.cellId, (t.at - at) / MIN])).toEqual([['C-0-0-1', 45]]);
  });
});
