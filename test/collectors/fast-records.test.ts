import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastPm, fastSignaling } from '../../src/collectors/fast-records.js';
import { pmRecordSchema, signalingRecordSchema } from '../../src/model/index.js';

/** Values that are sometimes right and often subtly wrong. */
const anyScalar = fc.oneof(
  fc.constant(undefined), fc.constant(null), fc.boolean(), fc.string({ maxLength: 5 }),
  fc.integer({ min: -5, max: 100_000 }), fc.double({ noNaN: false }), fc.constant(Infinity),
);
const timeValue = fc.oneof(
  fc.constant('2026-11-23T10:15:00+08:00'), fc.constant('2026-11-23T10:15:00Z'), fc.constant('2026-11-23 10:15:00+0800'),
  fc.constant('2026-11-23T10:15:00'), fc.constant('yesterday'), fc.integer({ min: 0, max: 5_000_000_000_000 }), anyScalar,
);
/** Mostly a valid value, sometimes a wrong one: both paths get exercised. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, wrong: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: wrong });
const key = fc.oneof(fc.constantFrom('rrc_setup_success_rate', 'availability', '__proto__', 'constructor', '', 'x'.repeat(129)), fc.string({ maxLength: 8 }));
const numberMap = mostly(
  fc.dictionary(mostly(fc.constantFrom('rrc_setup_success_rate', 'availability', 'k.1'), key),
    mostly(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null)), fc.oneof(fc.double(), fc.string({ maxLength: 3 }))), { maxKeys: 5 }),
  fc.oneof(anyScalar, fc.constant([1, 2])),
);
const goodTime = fc.oneof(fc.constantFrom('2026-11-23T10:15:00+08:00', '2026-11-23T10:15:00.5Z'), fc.integer({ min: 946_684_800_000, max: 4_000_000_000_000 }));
const pmLike = fc.record({
  cellId: mostly(fc.constantFrom('CS-1', 'A'), fc.oneof(fc.constantFrom('', 'x'.repeat(129)), anyScalar)),
  time: mostly(goodTime, timeValue),
  period: mostly(fc.constantFrom(900, 300, undefined), fc.oneof(fc.constantFrom(0, 86_401, 1.5), anyScalar)),
  kpis: numberMap,
  counters: mostly(fc.constant(undefined), numberMap),
  attempts: mostly(fc.constant(undefined), numberMap),
  suspect: mostly(fc.constantFrom(undefined, true, false), anyScalar),
}, { requiredKeys: ['cellId', 'time'] });
const sigLike = fc.record({
  cellId: mostly(fc.constant('CS-1'), fc.oneof(fc.constant(''), anyScalar)),
  time: mostly(goodTime, timeValue),
  period: mostly(fc.constantFrom(300, undefined), fc.oneof(fc.constant(0), anyScalar)),
  procedure: mostly(fc.constantFrom('attach', 'tau'), fc.oneof(fc.constant('fax'), anyScalar)),
  attempts: mostly(fc.integer({ min: 0, max: 2000 }), fc.oneof(fc.constant(-1), anyScalar)),
  failures: mostly(fc.integer({ min: 0, max: 100 }), fc.oneof(fc.integer({ min: -1, max: 5000 }), anyScalar)),
  affectedSubscribers: mostly(fc.constantFrom(undefined, 3), fc.oneof(fc.constant(-1), anyScalar)),
  topCause: mostly(fc.constantFrom('EMM#15', null, undefined), fc.oneof(fc.constant('x'.repeat(300)), anyScalar)),
}, { requiredKeys: ['cellId', 'time', 'procedure', 'attempts', 'failures'] });

/** Plain-object form for comparison (the decoders build null-prototype maps). */
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('fast record paths agree with the zod schemas', () => {
  it('PM: whatever the fast path accepts, zod accepts with the same result', () => {
    let accepted = 0;
    fc.assert(fc.property(pmLike, (raw) => {
      const fast = fastPm(raw);
      if (!fast) return;
      accepted++;
      const z = pmRecordSchema.safeParse(raw);
      expect(z.success).toBe(true);
      expect(plain(fast)).toEqual(plain(z.data));
    }), { numRuns: 5000 });
    expect(accepted).toBeGreaterThan(500);
  });

  it('PM: the fast path takes the ordinary record (no silent fallback on the hot path)', () => {
    const rec = { cellId: 'CS-1', time: '2026-11-23T10:15:00+08:00', period: 900, kpis: { availability: 100, x: null }, attempts: { availability: 12 } };
    expect(plain(fastPm(rec))).toEqual(plain(pmRecordSchema.parse(rec)));
    expect(fastPm({ ...rec, time: 1763864100000 })?.time).toBe(1763864100000);
  });

  it('signaling: whatever the fast path accepts, zod accepts with the same result', () => {
    let accepted = 0;
    fc.assert(fc.property(sigLike, (raw) => {
      const fast = fastSignaling(raw);
      if (!fast) return;
      accepted++;
      const z = signalingRecordSchema.safeParse(raw);
      expect(z.success).toBe(true);
      expect(plain(fast)).toEqual(plain(z.data));
    }), { numRuns: 5000 });
    expect(accepted).toBeGreaterThan(500);
  });
});
