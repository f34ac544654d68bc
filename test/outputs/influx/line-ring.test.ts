import fc from 'fast-check';
import { expect, it } from 'vitest';
import { LineRing } from '../../../src/outputs/influx/line-ring.js';

it('behaves like a FIFO that drops its oldest entries beyond its capacity', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.array(fc.oneof(fc.constant<'push'>('push'), fc.integer({ min: 1, max: 50 })), { maxLength: 300 }),
      (capacity, ops) => {
        const ring = new LineRing(capacity);
        const model: string[] = [];
        let next = 0;
        for (const op of ops) {
          if (op === 'push') {
            const line = `l${next++}`;
            const dropped = ring.push(line);
            model.push(line);
            const expectDrop = model.length > capacity ? 1 : 0;
            if (expectDrop) model.shift();
            expect(dropped).toBe(expectDrop);
          } else {
            expect(ring.take(op)).toEqual(model.splice(0, op));
          }
          expect(ring.length).toBe(model.length);
        }
        expect(ring.take(Infinity)).toEqual(model);
      },
    ),
    { numRuns: 300 },
  );
});
