import { describe, expect, it } from 'vitest';
import { anomalyRows } from '../../src/dashboard/page/cell-anomalies.js';
import { evidenceLine } from '../../src/dashboard/page/format.js';

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
