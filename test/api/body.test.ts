import { describe, expect, it } from 'vitest';
import { parseNdjson } from '../../src/api/body.js';

describe('parseNdjson', () => {
  it('drops __proto__ and constructor.prototype keys as the JSON body parser does, keeping the record', async () => {
    const { records, errors } = await parseNdjson([
      '{"cellId": "A", "__proto__": {"polluted": true}}',
      '{"cellId": "B", "kpis": {"constructor": {"prototype": {"polluted": true}}, "availability": 99}}',
      '{"cellId": "C", "constructor": "a plain string stays"}',
    ].join('\n'));
    expect(errors.size).toBe(0);
    expect(records).toHaveLength(3);
    const [a, b, c] = records as Record<string, unknown>[];
    expect(Object.hasOwn(a!, '__proto__')).toBe(false);
    expect(a).toEqual({ cellId: 'A' });
    expect(b).toEqual({ cellId: 'B', kpis: { availability: 99 } });
    expect(c).toEqual({ cellId: 'C', constructor: 'a plain string stays' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
