import { describe, expect, it } from 'vitest';
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
});
