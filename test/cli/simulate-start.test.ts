import { describe, expect, it } from 'vitest';
import { defaultStart } from '../../src/cli/simulate.js';
import { DAY, HOUR } from '../../src/model/index.js';

describe('nocwatch simulate: default start', () => {
  it.each([
    // now (UTC), days, warm-up → the warm-up's start (UTC); scored days begin at 00:00 UTC+8 = 16:00Z
    { now: '2026-11-23T09:15:00Z', days: 1, warmup: 1, start: '2026-11-20T16:00:00.000Z' },
    { now: '2026-11-23T16:00:00Z', days: 1, warmup: 1, start: '2026-11-21T16:00:00.000Z' },
    { now: '2026-11-23T15:59:00Z', days: 1, warmup: 2, start: '2026-11-19T16:00:00.000Z' },
    { now: '2026-11-23T09:15:00Z', days: 0.25, warmup: 1, start: '2026-11-21T16:00:00.000Z' },
  ])('now $now, $days scored day(s) after $warmup of warm-up → starts $start', ({ now, days, warmup, start }) => {
    const s = defaultStart(Date.parse(now), days, warmup);
    expect(new Date(s).toISOString()).toBe(start);
    const scoredFrom = s + warmup * DAY;
    // Local midnight, and the run ends by now.
    expect((scoredFrom + 8 * HOUR) % DAY).toBe(0);
    expect(scoredFrom + days * DAY).toBeLessThanOrEqual(Date.parse(now));
  });
});
