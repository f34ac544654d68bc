import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { XmlScanner, XmlSyntaxError, type XmlHandler } from '../../../src/collectors/pm-xml/xml-scanner.js';

type Ev = ['open', string, Record<string, string>] | ['close', string] | ['text', string];

/** Records every event; wants all text. Adjacent text runs are merged (parsers split them differently). */
function record(xml: string | Buffer, chunkSize = Infinity): Ev[] {
  const evs: Ev[] = [];
  const h: XmlHandler = {
    wantText: true,
    openTag: (name, attrs) => evs.push(['open', name, { ...attrs.toObject() }]),
    closeTag: (name) => evs.push(['close', name]),
    text: (t) => {
      const last = evs[evs.length - 1];
      if (last?.[0] === 'text') last[1] += t;
      else evs.push(['text', t]);
    },
  };
  const s = new XmlScanner(h);
  const buf = Buffer.isBuffer(xml) ? xml : Buffer.from(xml);
  for (let i = 0; i < buf.length; i += chunkSize === Infinity ? buf.length : chunkSize) s.write(buf.subarray(i, i + chunkSize));
  s.end();
  return evs;
}

/** The same events from saxes (namespace prefixes stripped, whitespace-only text between tags kept). */
function recordSaxes(xml: string): Ev[] {
  const evs: Ev[] = [];
  const p = new SaxesParser();
  const local = (n: string) => n.slice(n.indexOf(':') + 1);
  p.on('opentag', (t) => evs.push(['open', local(t.name), { ...(t.attributes as Record<string, string>) }]));
  p.on('closetag', (t) => evs.push(['close', local(t.name)]));
  const text = (t: string) => {
    const last = evs[evs.length - 1];
    if (last?.[0] === 'text') last[1] += t;
    else evs.push(['text', t]);
  };
  p.on('text', text);
  p.on('cdata', text);
  p.write(xml).close();
  // saxes reports text outside the root; ours only checks it is blank.
  return evs.filter((e, i) => !(e[0] === 'text' && (i === 0 || i === evs.length - 1) && e[1].trim() === ''));
}

const errorOf = (xml: string): XmlSyntaxError => {
  try {
    record(xml);
  } catch (err) {
    if (err instanceof XmlSyntaxError) return err;
    throw err;
  }
  throw new Error('no error');
};

describe('XmlScanner', () => {
  it('reports elements, attributes (entities decoded) and text, whatever the chunk size', () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<!-- c -->\n<a:root xmlns:a="urn:x"><a:e k="1 &amp; 2" q=\'&lt;&#65;&#x42;\'>x &gt; y</a:e><e/><![CDATA[<raw>&]]></a:root>\n';
    const expected: Ev[] = [
      ['open', 'root', { 'xmlns:a': 'urn:x' }],
      ['open', 'e', { k: '1 & 2', q: '<AB' }], ['text', 'x > y'], ['close', 'e'],
      ['open', 'e', {}], ['close', 'e'],
      ['text', '<raw>&'],
      ['close', 'root'],
    ];
    expect(record(xml)).toEqual(expected);
    for (const size of [1, 2, 3, 7, 64]) expect(record(xml, size)).toEqual(expected);
  });

  it('decodes UTF-8 split across chunks and skips a byte-order mark', () => {
    const xml = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<r l="杭州">西湖</r>')]);
    for (const size of [1, 2, 5, 1000]) {
      expect(record(xml, size)).toEqual([['open', 'r', { l: '杭州' }], ['text', '西湖'], ['close', 'r']]);
    }
  });

  const malformed: Array<[string, string, number, number]> = [
    ['<a>\n<b>\n</a>', 'end tag </a> does not match <b>', 3, 1],
    ['<a><b></b>', 'unexpected end of file: <a> is not closed (truncated file?)', 1, 11],
    ['<a x=1/>', 'value of attribute x is not quoted', 1, 6],
    ['<a x="1" x="2"/>', 'attribute x repeated', 1, 10],
    ['<a x="1"y="2"/>', 'missing space before attribute', 1, 9],
    ['<a>\n  AT&T</a>', '"&" that is not an entity', 2, 5],
    ['<a>&bogus;</a>', '"&" that is not an entity', 1, 4],
    ['<a>1 < 2</a>', '"<" that does not start a tag', 1, 6],
    ['<a></a><b></b>', 'second root element <b>', 1, 8],
    ['x<a/>', 'text before the root element', 1, 1],
    ['<a/>x', 'text after the root element', 1, 5],
    ['<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', 'DOCTYPE is not allowed', 1, 1],
    ['<?xml version="1.0" encoding="UTF-16"?><a/>', 'encoding "UTF-16" is not supported', 1, 1],
    ['', 'no root element', 1, 1],
    ['<a', 'unexpected end of file inside a tag', 1, 1],
  ];
  it.each(malformed)('rejects %j: %s at %i:%i', (xml, reason, line, column) => {
    const err = errorOf(xml);
    expect(err.reason).toContain(reason);
    expect([err.line, err.column]).toEqual([line, column]);
    expect(err.code).toBe('NOCWATCH_ERR_XML_SYNTAX');
  });

  it('rejects UTF-16 files', () => {
    expect(() => record(Buffer.from([0xff, 0xfe, 0x3c, 0x00]))).toThrow('UTF-16 files are not supported');
  });

  it('does not decode text the handler does not want', () => {
    const texts: string[] = [];
    const s = new XmlScanner({ wantText: false, openTag() {}, closeTag() {}, text: (t) => texts.push(t) });
    s.write(Buffer.from('<a>ignored &amp; skipped</a>'));
    s.end();
    expect(texts).toEqual([]);
  });
});

// Generated documents in the shapes PM files use, checked against saxes event for event.
const nameArb = fc.constantFrom('measInfo', 'r', 'mc:measValue', 'x', 'a-b.c', 'n_1');
const textArb = fc
  .array(fc.oneof(fc.constantFrom('&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#48;', '&#x41;', ' ', '\n', 'NIL', '42', '1.5e3', 'é', '<![CDATA[a<b&]]>', '<!-- note -->')), { maxLength: 6 })
  .map((parts) => parts.join(''));
const attrsArb = fc.uniqueArray(fc.tuple(fc.constantFrom('p', 'measObjLdn', 'endTime', 'q'), textArb.filter((t) => !t.includes('<'))), {
  maxLength: 3,
  selector: (a) => a[0],
});
const elementArb: fc.Arbitrary<string> = fc.letrec<{ el: string }>((tie) => ({
  el: fc.tuple(nameArb, attrsArb, fc.array(fc.oneof({ depthSize: 'small' }, textArb, tie('el')), { maxLength: 4 }), fc.boolean()).map(
    ([name, attrs, children, selfClose]) => {
      const a = attrs.map(([k, v]) => ` ${k}="${v.replace(/"/g, '&quot;')}"`).join('');
      return selfClose && children.length === 0 ? `<${name}${a}/>` : `<${name}${a}>${children.join('')}</${name}>`;
    },
  ),
})).el;

describe('XmlScanner against saxes', () => {
  it('gives the same events on generated documents, in any chunking', () => {
    fc.assert(
      fc.property(elementArb, fc.integer({ min: 1, max: 50 }), (el, chunk) => {
        const doc = `<?xml version="1.0"?>\n<root xmlns:mc="urn:mc">${el}</root>\n`;
        expect(record(doc, chunk)).toEqual(recordSaxes(doc));
      }),
      { numRuns: 300 },
    );
  });
});
