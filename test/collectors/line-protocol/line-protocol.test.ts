import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pointTimeMs, type LpFieldValue, type LpPoint, type LpPrecision } from '../../../src/collectors/line-protocol/line-protocol.js';
import { parseLineProtocol } from '../../../src/collectors/line-protocol/parse-line-protocol.js';
import {
  LineProtocolEncodeError, serializeLineProtocol, serializePoint,
} from '../../../src/collectors/line-protocol/serialize-line-protocol.js';

const one = (body: string, precision: LpPrecision = 'ns') => {
  const r = parseLineProtocol(body, precision);
  expect(r.errors).toEqual([]);
  expect(r.points).toHaveLength(1);
  return r.points[0];
};
const plain = (o: object) => JSON.parse(JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)));

describe('parseLineProtocol', () => {
  it('parses a Telegraf-style line with tags, every field type and a timestamp', () => {
    const p = one('pm,cell=CS-0001-1,region=Changsha rrc_setup_success_rate=99.2,attempts_rrc_setup_success_rate=1520i,n=3u,ok=true,note="fine" 1700000000000000000');
    expect(p.measurement).toBe('pm');
    expect({ ...p.tags }).toEqual({ cell: 'CS-0001-1', region: 'Changsha' });
    expect(plain(p.fields)).toEqual({
      rrc_setup_success_rate: { type: 'float', value: 99.2 },
      attempts_rrc_setup_success_rate: { type: 'integer', value: '1520n' },
      n: { type: 'unsigned', value: '3n' },
      ok: { type: 'boolean', value: true },
      note: { type: 'string', value: 'fine' },
    });
    expect(pointTimeMs(p)).toBe(1_700_000_000_000);
  });

  it.each([
    ['ns', '1700000000123456789', 1700000000123],
    ['us', '1700000000123456', 1700000000123],
    ['ms', '1700000000123', 1700000000123],
    ['s', '1700000000', 1700000000000],
  ] as const)('scales timestamps with precision %s', (precision, ts, ms) => {
    expect(pointTimeMs(one(`m f=1 ${ts}`, precision))).toBe(ms);
  });

  it('unescapes names the way InfluxDB does', () => {
    const p = one('my\\ meas\\,x,tag\\ key\\,a\\=b=va\\ l\\,u\\=e f\\=k\\ ey="say \\"hi\\" c:\\\\dir\\n"');
    expect(p.measurement).toBe('my meas,x');
    expect({ ...p.tags }).toEqual({ 'tag key,a=b': 'va l,u=e' });
    // \n in a string is not an escape: the backslash stays.
    expect(plain(p.fields)).toEqual({ 'f=k ey': { type: 'string', value: 'say "hi" c:\\dir\\n' } });
  });

  it('keeps a backslash that escapes nothing', () => {
    expect(one('a\\b,t=x\\y f=1').measurement).toBe('a\\b');
    expect(one('a\\b,t=x\\y f=1').tags.t).toBe('x\\y');
  });

  it.each(['t', 'T', 'true', 'True', 'TRUE'])('reads %s as true', (b) => {
    expect(one(`m f=${b}`).fields.f).toEqual({ type: 'boolean', value: true });
  });
  it.each(['f', 'F', 'false', 'False', 'FALSE'])('reads %s as false', (b) => {
    expect(one(`m f=${b}`).fields.f).toEqual({ type: 'boolean', value: false });
  });

  it.each([['1', 1], ['-1.5', -1.5], ['1.', 1], ['.5', 0.5], ['1e3', 1000], ['-1.2E-2', -0.012], ['6e+2', 600]])(
    'reads float %s',
    (text, value) => {
      expect(one(`m f=${text}`).fields.f).toEqual({ type: 'float', value });
    },
  );

  it('keeps 64-bit integers exact', () => {
    expect(one('m i=-9223372036854775808i,u=18446744073709551615u').fields).toEqual({
      i: { type: 'integer', value: -9223372036854775808n },
      u: { type: 'unsigned', value: 18446744073709551615n },
    });
  });

  it('skips comments, blank lines, leading spaces and CRLF, and counts lines', () => {
    const r = parseLineProtocol('# header\r\n\r\n  m f=1\r\n\nm f=2 1\n   \n# x\nm f=3');
    expect(r.errors).toEqual([]);
    expect(r.points.map((p) => p.line)).toEqual([3, 5, 8]);
  });

  it('lets a quoted string span lines and keeps line numbers right after it', () => {
    const r = parseLineProtocol('m s="a\nb"\nm f=\nm f=1');
    expect(r.points.map((p) => [p.line, p.fields.s ?? p.fields.f])).toEqual([
      [1, { type: 'string', value: 'a\nb' }],
      [4, { type: 'float', value: 1 }],
    ]);
    expect(r.errors.map((e) => e.line)).toEqual([3]);
  });

  const bad: Array<[string, string]> = [
    ['m', 'missing fields'],
    ['m,t=1', 'missing fields'],
    ['m f', 'expected "=" after field key "f"'],
    ['m f=', 'missing value for field "f"'],
    ['m f=abc', 'invalid value for field "f": abc (strings must be "quoted")'],
    ['m f=1x', 'invalid number for field "f": 1x'],
    ['m f=1.2i', 'invalid integer value'],
    ['m f=-1u', 'invalid unsigned value'],
    ['m f=9223372036854775808i', 'out of int64 range'],
    ['m f=1e999', 'out of range'],
    ['m f="abc', 'unterminated string'],
    ['m,t f=1', 'expected "=" after tag key "t"'],
    ['m,t= f=1', 'missing value of tag "t"'],
    ['m,=v f=1', 'missing tag key'],
    ['m,t=a=b f=1', 'unescaped "="'],
    ['m f=1 12x', 'invalid timestamp: 12x'],
    ['m f=1 1 2', 'unexpected text after timestamp'],
    ['m f=1 99999999999999999999', 'timestamp out of range'],
    [',t=1 f=1', 'missing measurement'],
    ['m f=1,', 'missing field key'],
    ['m\tx f=1', 'invalid character'],
  ];
  it.each(bad)('reports %j as %s with its line number, and parses the lines around it', (line, message) => {
    const r = parseLineProtocol(`ok f=1\n${line}\nok f=2`);
    expect(r.points.map((p) => p.fields.f)).toEqual([{ type: 'float', value: 1 }, { type: 'float', value: 2 }]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].line).toBe(2);
    expect(r.errors[0].text).toBe(line);
    expect(r.errors[0].message).toContain(message);
  });
});

describe('serializeLineProtocol', () => {
  it('escapes what needs escaping', () => {
    expect(
      serializePoint({
        measurement: 'a b,c=d',
        tags: { 'k,=': 'v =,' },
        fields: { 'f k': { type: 'string', value: 'q"\\' }, i: { type: 'integer', value: 5n } },
        timeNs: 1_500_000_000n,
      }, 's'),
    ).toBe('a\\ b\\,c=d,k\\,\\==v\\ \\=\\, f\\ k="q\\"\\\\",i=5i 1');
  });

  it.each<[LpPoint, string]>([
    [{ measurement: '', tags: {}, fields: { f: { type: 'float', value: 1 } } }, 'empty measurement'],
    [{ measurement: '#m', tags: {}, fields: { f: { type: 'float', value: 1 } } }, 'starts with "#"'],
    [{ measurement: 'm', tags: { t: '' }, fields: { f: { type: 'float', value: 1 } } }, 'empty value of tag "t"'],
    [{ measurement: 'm\\', tags: {}, fields: { f: { type: 'float', value: 1 } } }, 'ends with a backslash'],
    [{ measurement: 'm', tags: {}, fields: {} }, 'no fields'],
    [{ measurement: 'm', tags: {}, fields: { f: { type: 'float', value: NaN } } }, 'no NaN'],
    [{ measurement: 'm', tags: { 'a\nb': 'x' }, fields: { f: { type: 'float', value: 1 } } }, 'control character'],
  ])('refuses a point line protocol cannot carry (%#)', (point, message) => {
    expect(() => serializePoint(point)).toThrow(LineProtocolEncodeError);
    expect(() => serializePoint(point)).toThrow(message);
  });
});

// Names: any printable text (including the characters that need escaping and backslashes), not
// empty, not ending in a backslash; measurements also not starting with "#".
const nameChar = fc.oneof(
  fc.constantFrom(',', '=', ' ', '\\', '"', '#', 'é', '测', '🙂'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
);
const name = fc
  .array(nameChar, { minLength: 1, maxLength: 12 })
  .map((cs) => cs.join(''))
  .filter((s) => !/[\u0000-\u001f\u007f]/.test(s) && !s.endsWith('\\'));
const measurement = name.filter((s) => !s.startsWith('#'));
const fieldValue: fc.Arbitrary<LpFieldValue> = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => ({ type: 'float' as const, value })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value) => ({ type: 'integer' as const, value })),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((value) => ({ type: 'unsigned' as const, value })),
  fc.boolean().map((value) => ({ type: 'boolean' as const, value })),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((value) => ({ type: 'string' as const, value })),
);
const record = <T>(v: fc.Arbitrary<T>, minKeys: number) =>
  fc.dictionary(name, v, { minKeys, maxKeys: 5 }).map((d) => Object.assign(Object.create(null), d) as Record<string, T>);
const point: fc.Arbitrary<LpPoint> = fc.record(
  {
    measurement,
    tags: record(name, 0),
    fields: record(fieldValue, 1),
    timeNs: fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
  },
  { requiredKeys: ['measurement', 'tags', 'fields'] },
);

describe('line protocol round trip', () => {
  it('parse(serialize(points)) gives the points back', () => {
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 8 }), (points) => {
        const body = serializeLineProtocol(points);
        const r = parseLineProtocol(body);
        expect(r.errors).toEqual([]);
        expect(r.points.map(({ line: _line, ...p }) => p)).toEqual(points);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps timestamps exact in every precision when they are whole units', () => {
    fc.assert(
      fc.property(point, fc.constantFrom<LpPrecision>('ns', 'us', 'ms', 's'), (p, precision) => {
        const unit = { ns: 1n, us: 1000n, ms: 1_000_000n, s: 1_000_000_000n }[precision];
        const whole = { ...p, timeNs: p.timeNs === undefined ? undefined : (p.timeNs / unit) * unit };
        if (whole.timeNs === undefined) delete whole.timeNs;
        const r = parseLineProtocol(serializePoint(whole, precision), precision);
        expect(r.points[0].timeNs).toBe(whole.timeNs);
      }),
      { numRuns: 300 },
    );
  });
});
