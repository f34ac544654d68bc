import { describe, expect, it } from 'vitest';
import { anomalyRows } from '../../src/dashboard/page/cell-anomalies.js';
import { axisTimes, evidenceLine } from '../../src/dashboard/page/format.js';
import { kpiUnit } from '../../src/dashboard/page/kpi-unit.js';
import { complaintPlace } from '../../src/dashboard/views.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { makeCells } from './fixtures.js';

describe('the cell panel\'s evidence line', () => {
  it('says what a radio-failure count saw: the window, then each KPI\'s failures with their expectation', () => {
    expect(evidenceLine({
      observed: 15, expected: 1.9945, periods: 2, attempts: 213,
      'erab_drop_rate.failures': 4, 'erab_drop_rate.expected': 0.5094, 'handover_success_rate.failures': 1, 'handover_success_rate.expected': 0.313,
    })).toBe('15 against 1.99 expected over 2 periods · last period: erab drop rate 4 (0.51), handover success rate 1 (0.31)');
  });

  it('a KPI finding: observed against expected; nothing when the evidence says neither', () => {
    expect(evidenceLine({ observed: 96.97, expected: 99.6352, sigma: 0.47, z: -5.7, scale: 1 })).toBe('96.97 against 99.64 expected');
    expect(evidenceLine({ cycles: 4 })).toBe('');
    expect(evidenceLine(undefined)).toBe('');
  });

  it('names what a threshold, an alarm, a probe, a cell\'s failure rate and a silent feed saw', () => {
    expect(evidenceLine({ observed: 0, threshold: 90, rule: 'below', static: true })).toBe('0, below the threshold of 90');
    expect(evidenceLine({ alarmIds: 'ALM-7', severity: 'critical', raises: 1, flapping: false, cycles: 0, specificProblem: 'mains lost' })).toBe('alarm ALM-7 (critical): mains lost');
    expect(evidenceLine({ probeId: 'PRB-CS-22', services: 'voice', consecutiveFailures: 6, causes: 'no_answer,timeout' })).toBe('probe PRB-CS-22: 6 failed tests in a row (no answer, timeout)');
    expect(evidenceLine({ failures: 9, tests: 12, services: 'voice', expectedFailureRate: 0.015, failureRateLower: 0.4, failureRateUpper: 0.9 })).toBe('cell: 9 of 12 tests failed (1.5% expected)');
    expect(evidenceLine({ feed: 'signaling', lastReport: '2026-11-23T02:00:00.000Z', periodS: 300 })).toMatch(/^no signaling data since 2026-11-2\d \d\d:00:00$/);
  });
});

describe('the cell panel\'s anomalies', () => {
  const at = '2026-11-24T05:12:00.000Z';
  it('one row per signal and start: a probe\'s finding and the cell\'s failure rate are one fault, each says what it saw', () => {
    const rows = anomalyRows([
      { id: `dt|PRB-CS-22@1`, signal: 'dialtest.voice', source: 'dialtest', state: 'resolving', severity: 'minor', score: 6, startedAt: at, resolvedAt: null,
        evidence: { probeId: 'PRB-CS-22', services: 'voice', consecutiveFailures: 6, causes: 'timeout' } },
      { id: `dtr|CS-0037-2@1`, signal: 'dialtest.voice', source: 'dialtest', state: 'firing', severity: 'major', score: 18.1, startedAt: at, resolvedAt: null,
        evidence: { failures: 9, tests: 12, expectedFailureRate: 0.02 } },
      { id: `pm|CS-0037-2|erab_drop_rate@1`, signal: 'erab_drop_rate', source: 'pm', state: 'firing', severity: 'major', score: 5.2, startedAt: at, resolvedAt: null, evidence: { observed: 3.1, expected: 0.5 } },
    ]);
    expect(rows.map(({ startedAt: _t, ...r }) => r)).toEqual([
      { signal: 'dialtest.voice', sources: ['dialtest'], state: 'firing', severity: 'major', measure: '6 failed tests in a row · score 18.1',
        evidence: ['probe PRB-CS-22: 6 failed tests in a row (timeout)', 'cell: 9 of 12 tests failed (2.0% expected)'] },
      { signal: 'erab_drop_rate', sources: ['pm'], state: 'firing', severity: 'major', measure: 'score 5.2', evidence: ['3.10 against 0.50 expected'] },
    ]);
  });

  it('an availability outage on a static threshold reads as the threshold it crossed, not "score 0.0"', () => {
    const [row] = anomalyRows([{ id: `thr|C-1|availability@1`, signal: 'availability', source: 'pm', state: 'firing', severity: 'critical', score: 0, startedAt: at, resolvedAt: null,
      evidence: { observed: 0, threshold: 90, rule: 'below', static: true } }]);
    expect(row).toMatchObject({ measure: 'threshold', evidence: ['0, below the threshold of 90'] });
  });
});

describe('chart axes and places', () => {
  it('time ticks in 24-hour local time, the date under the first tick and at each new day', () => {
    const at = (d: number, h: number) => new Date(2026, 10, d, h, 0).getTime() / 1000;
    expect(axisTimes([at(23, 8), at(23, 12), at(23, 20), at(24, 0), at(24, 4)])).toEqual(['08:00\n11-23', '12:00', '20:00', '00:00\n11-24', '04:00']);
  });

  it('a chart\'s unit: the catalogue\'s for PM KPIs, failed share for signaling, attempts for demand', () => {
    expect(kpiUnit('dl_user_throughput_mbps')).toBe('Mbit/s');
    expect(kpiUnit('erab_drop_rate')).toBe('%');
    expect(kpiUnit('signaling.attach')).toBe('% failed');
    expect(kpiUnit('rrc_setup_attempts')).toBe('attempts');
    expect(kpiUnit('vendor_counter_x')).toBe('');
  });

  it('a complaint given as coordinates is placed at the nearest cell, not shown as truncated numbers', () => {
    const inv = new Inventory(makeCells(30));
    const c5 = inv.cell('C-15')!;
    // C-15, C-16 and C-17 are the sectors of one site, at one position: any of them is the nearest.
    const p = complaintPlace({ lat: c5.lat + 0.001, lon: c5.lon }, inv);
    expect(p.place).toMatch(/^≈ C-1[567]$/);
    expect(p.placeDetail).toBe(`${(c5.lat + 0.001).toFixed(4)}, ${c5.lon.toFixed(4)}: 0.1 km from ${p.place.slice(2)}, ${c5.district}`);
    // Far from every cell: the coordinates themselves.
    expect(complaintPlace({ lat: 40, lon: 100 }, inv)).toEqual({ place: '40.0000, 100.0000' });
    expect(complaintPlace({ cellId: 'C-3' }, inv)).toEqual({ place: 'C-3' });
    expect(complaintPlace({ district: 'Yuelu' }, inv)).toEqual({ place: 'Yuelu' });
  });
});
