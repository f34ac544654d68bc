/**
 * Hostile input on the real-format collectors: the PM XML reader, the line-protocol parser, and the
 * VES and InfluxDB write endpoints. Random bytes, mutated good documents, entity bombs, deep
 * nesting, pathological escapes: each input gets a clear rejection (the parser's own error, or a
 * 4xx), never a crash, never a stall of the event loop, and a rejected write changes nothing.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { compileKpiFormulas } from '../../src/collectors/kpi-formulas.js';
import { parseLineProtocol } from '../../src/collectors/line-protocol/parse-line-protocol.js';
import { LdnMapper, ldnMappingConfigSchema } from '../../src/collectors/pm-xml/ldn-mapper.js';
import { PmFileError } from '../../src/collectors/pm-xml/meas-collec-reader.js';
import { readPmXml } from '../../src/collectors/pm-xml/read-pm-xml-file.js';
import { XmlSyntaxError } from '../../src/collectors/pm-xml/xml-scanner.js';
import { testApp } from '../helpers/app.js';

const SAMPLE = readFileSync(fileURLToPath(new URL('../fixtures/pm-xml/A20231105.1000+0800-1015+0800_ENB-HZ-0001.xml', import.meta.url)));
const formulas = compileKpiFormulas();
const ldnMapper = new LdnMapper(ldnMappingConfigSchema.parse({}));

let tried = 0;
/** The longest any single input kept the event loop busy (every call here is synchronous or one await). */
let longestMs = 0;
afterAll(() => console.log(`hostile formats: ${tried} inputs tried; longest single input ${longestMs.toFixed(1)} ms`));

/** Reads a document in chunks; resolves to 'ok' or the error class name. Other errors fail the test. */
async function readXml(bytes: Uint8Array, chunk = 4096): Promise<string> {
  tried++;
  const started = performance.now();
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(Buffer.from(bytes.subarray(i, i + chunk)));
  try {
    await readPmXml(Readable.from(chunks), { formulas, ldnMapper, chunkEvents: 1000, maxBytes: 64 * 1024 * 1024 }, async () => {});
    return 'ok';
  } catch (e) {
    if (e instanceof XmlSyntaxError || e instanceof PmFileError) return e.name;
    throw e;
  } finally {
    longestMs = Math.max(longestMs, performance.now() - started);
  }
}

describe('PM XML reader under hostile input', () => {
  it('rejects random bytes and random XML-like text with its own errors', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (bytes) => {
      expect(['ok', 'XmlSyntaxError', 'PmFileError']).toContain(await readXml(bytes));
    }), { numRuns: 300 });
    const xmlish = fc.stringMatching(/^[<>/="a-zA-Z0-9 \n?!&;:\-[\]]{0,400}$/);
    await fc.assert(fc.asyncProperty(xmlish, async (s) => {
      expect(['ok', 'XmlSyntaxError', 'PmFileError']).toContain(await readXml(Buffer.from(s)));
    }), { numRuns: 300 });
  });

  it('rejects every truncation and byte flip of a good file cleanly', async () => {
    await fc.assert(fc.asyncProperty(fc.nat(SAMPLE.length - 1), fc.nat(255), fc.boolean(), fc.integer({ min: 1, max: 64 }), async (at, byte, truncate, chunk) => {
      const doc = truncate ? SAMPLE.subarray(0, at) : Buffer.from(SAMPLE).fill(byte, at, at + 1);
      expect(['ok', 'XmlSyntaxError', 'PmFileError']).toContain(await readXml(doc, chunk));
    }), { numRuns: 400 });
  });

  it('refuses entity bombs and DOCTYPEs, and survives deep nesting and huge attributes quickly', async () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><measCollecFile>&lol2;</measCollecFile>`;
    expect(await readXml(Buffer.from(lol))).toBe('XmlSyntaxError');
    const deep = `<measCollecFile>${'<a>'.repeat(200_000)}${'</a>'.repeat(200_000)}</measCollecFile>`;
    expect(['ok', 'XmlSyntaxError', 'PmFileError']).toContain(await readXml(Buffer.from(deep), 65536));
    const hugeAttr = `<measCollecFile x="${'a'.repeat(8_000_000)}"></measCollecFile>`;
    expect(await readXml(Buffer.from(hugeAttr), 65536)).toBe('XmlSyntaxError');
    expect(await readXml(Buffer.from('\xff\xfe<\0m\0'))).toBe('XmlSyntaxError');
    expect(longestMs).toBeLessThan(500);
  });
});

describe('line-protocol parser under hostile input', () => {
  it('returns per-line errors for anything, never throws, and stays linear', () => {
    const lpChars = fc.stringMatching(/^[a-z0-9 ,=\\"\n.itf\-_]{0,300}$/);
    fc.assert(fc.property(lpChars, fc.constantFrom('ns', 'us', 'ms', 's' as const), (body, precision) => {
      tried++;
      const started = performance.now();
      const r = parseLineProtocol(body, precision);
      longestMs = Math.max(longestMs, performance.now() - started);
      expect(Array.isArray(r.points)).toBe(true);
    }), { numRuns: 2000 });
    // Pathological shapes: escapes without end, a 1 MB field, 100,000 tags.
    for (const body of [
      `pm,cell=${'\\'.repeat(200_000)} x=1`,
      `pm,cell=A x="${'\\"'.repeat(200_000)}`,
      `pm,cell=A x="${'a'.repeat(1_000_000)}"`,
      `pm,${Array.from({ length: 100_000 }, (_, i) => `t${i}=v`).join(',')} x=1`,
      `pm,${Array.from({ length: 100_000 }, (_, i) => `t${i}=v`).join(',')} x=1\n`.repeat(8),
      `${'pm '.repeat(300_000)}`,
    ]) {
      tried++;
      const started = performance.now();
      parseLineProtocol(body);
      const ms = performance.now() - started;
      longestMs = Math.max(longestMs, ms);
      expect(ms).toBeLessThan(100);
    }
  });
});

describe('VES and InfluxDB write endpoints under hostile input', () => {
  let app: App;
  beforeAll(async () => {
    app = await testApp({ server: { bodyLimitBytes: 512 * 1024 } });
  });
  afterAll(async () => app.stop());

  const post = async (url: string, payload: string | Buffer, contentType: string) => {
    tried++;
    const started = performance.now();
    const res = await app.server.inject({ method: 'POST', url, headers: { 'content-type': contentType }, payload });
    longestMs = Math.max(longestMs, performance.now() - started);
    return res;
  };

  it('answers 2xx or 4xx to random bodies and accepts nothing that was refused', async () => {
    const urls = ['/api/v1/ingest/ves', '/eventListener/v7', '/eventListener/v7/eventBatch', '/api/v2/write?org=o&bucket=b', '/write?db=x'];
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)),
      fc.uint8Array({ maxLength: 1500 }).map((b) => Buffer.from(b)),
      fc.stringMatching(/^[a-z0-9 ,=\\"\n.]{0,300}$/),
      fc.constant('{"event":{"commonEventHeader":{"domain":"fault","__proto__":{"x":1}}}}'),
      fc.constant('{"eventList":[' + '{"event":{}},'.repeat(2000) + '{}]}'),
    );
    await fc.assert(fc.asyncProperty(fc.constantFrom(...urls), body, fc.constantFrom('application/json', 'text/plain; charset=utf-8', 'application/octet-stream'), async (url, payload, ct) => {
      const before = app.store.complaints.count();
      const res = await post(url, payload, ct);
      expect(res.statusCode, res.body).toBeLessThan(500);
      expect(app.store.complaints.count()).toBe(before);
    }), { numRuns: 500 });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect((await app.server.inject({ url: '/healthz' })).statusCode).toBe(200);
  });
});
