import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { pmXmlConfigSchema } from '../../../src/collectors/config.js';
import { compileKpiFormulas } from '../../../src/collectors/kpi-formulas.js';
import { PmXmlWatcher } from '../../../src/collectors/pm-xml/pm-xml-watcher.js';
import { MemoryProcessedFileStore } from '../../../src/store/processed-file-store.js';
import { silentLogger } from '../../../src/telemetry/logger.js';
import { FakeIngestPort } from '../support/fake-ingest-port.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/pm-xml/${name}`, import.meta.url));
const SAMPLE = 'A20231105.1000+0800-1015+0800_ENB-HZ-0001.xml';
const GNB = 'C20231105.1015+0800-20231105.1045+0800_GNB-HZ-0002.xml';

let watchers: PmXmlWatcher[] = [];
afterEach(async () => {
  await Promise.all(watchers.map((w) => w.stop()));
  watchers = [];
});

function setup(over: Record<string, unknown> = {}, files = new MemoryProcessedFileStore(), port = new FakeIngestPort(), realSleep = false) {
  const dir = mkdtempSync(join(tmpdir(), 'nocwatch-pmxml-'));
  const sleeps: number[] = [];
  const results: string[] = [];
  const make = () => {
    const w = new PmXmlWatcher({
      config: pmXmlConfigSchema.parse({ dir, settleMs: 0, chunkEvents: 1, ...over }),
      formulas: compileKpiFormulas(),
      ingest: port,
      files,
      logger: silentLogger(),
      countFile: (r) => results.push(r),
      sleep: async (ms) => {
        sleeps.push(ms);
        if (realSleep) await new Promise((r) => setTimeout(r, 20));
      },
    });
    watchers.push(w);
    return w;
  };
  return { dir, files, port, sleeps, results, make, watcher: make() };
}

const ls = (dir: string) => readdirSync(dir).sort();

describe('PmXmlWatcher', () => {
  it('takes in a file once it has settled, moves it to done/ and records it', async () => {
    const { dir, watcher, port, files, results } = setup();
    await watcher.prepare();
    copyFileSync(fixture(SAMPLE), join(dir, SAMPLE));
    expect(await watcher.pollOnce()).toEqual([]); // first sight: not yet known to be complete
    expect(await watcher.pollOnce()).toEqual([{ name: SAMPLE, result: 'done', events: 2 }]);
    expect(port.events.map((e) => [e.feed, e.source, (e.event as { cellId: string }).cellId])).toEqual([
      ['pm', 'pm-xml', 'ENB-HZ-0001-1'], ['pm', 'pm-xml', 'ENB-HZ-0001-2'],
    ]);
    expect(ls(dir)).toEqual(['done', 'failed']);
    expect(ls(join(dir, 'done'))).toEqual([SAMPLE]);
    expect(files.get(SAMPLE)).toMatchObject({ state: 'done', events: 2, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(results).toEqual(['done']);
  });

  it('does not read a file that is still growing, nor files whose names are not PM files', async () => {
    const { dir, watcher, port } = setup({ settleMs: 0 });
    await watcher.prepare();
    const xml = readFileSync(fixture(SAMPLE), 'utf8');
    writeFileSync(join(dir, SAMPLE), xml.slice(0, 700));
    writeFileSync(join(dir, `${SAMPLE}.tmp`), xml);
    await watcher.pollOnce();
    appendFileSync(join(dir, SAMPLE), xml.slice(700));
    expect(await watcher.pollOnce()).toEqual([]); // size changed since the last poll
    expect(port.events).toEqual([]);
    expect((await watcher.pollOnce()).map((o) => o.result)).toEqual(['done']);
    expect(ls(dir)).toEqual([`${SAMPLE}.tmp`, 'done', 'failed']);
  });

  it('waits for files younger than the settle time', async () => {
    const { dir, watcher } = setup({ settleMs: 3_600_000 });
    await watcher.prepare();
    copyFileSync(fixture(SAMPLE), join(dir, SAMPLE));
    await watcher.pollOnce();
    expect(await watcher.pollOnce()).toEqual([]);
  });

  it('moves a malformed file to failed/ with a reason file that says where it breaks', async () => {
    const { dir, watcher, files, results } = setup();
    await watcher.prepare();
    copyFileSync(fixture('truncated_ENB-HZ-0001.xml'), join(dir, 'A20231105.1000+0800-1015+0800_ENB-HZ-0009.xml'));
    await watcher.pollOnce();
    const [outcome] = await watcher.pollOnce();
    expect(outcome).toMatchObject({ result: 'failed', events: 0 });
    expect(ls(join(dir, 'failed'))).toEqual(['A20231105.1000+0800-1015+0800_ENB-HZ-0009.xml', 'A20231105.1000+0800-1015+0800_ENB-HZ-0009.xml.reason.txt']);
    const reason = readFileSync(join(dir, 'failed', 'A20231105.1000+0800-1015+0800_ENB-HZ-0009.xml.reason.txt'), 'utf8');
    expect(reason).toMatch(/^A20231105\.1000\+0800-1015\+0800_ENB-HZ-0009\.xml was not taken in: malformed XML at line 16, column \d+: unexpected end of file: <measType> is not closed \(truncated file\?\)/);
    expect(reason).toContain('events accepted before the problem: 0');
    expect(files.get('A20231105.1000+0800-1015+0800_ENB-HZ-0009.xml')).toMatchObject({ state: 'failed', reason: expect.stringContaining('truncated') });
    expect(results).toEqual(['failed']);
    // Fixed and dropped again under the same name: taken in.
    copyFileSync(fixture(SAMPLE), join(dir, 'A20231105.1000+0800-1015+0800_ENB-HZ-0009.xml'));
    await watcher.pollOnce();
    expect((await watcher.pollOnce())[0]).toMatchObject({ result: 'done', events: 2 });
  });

  it('refuses a file name it has already taken in', async () => {
    const { dir, watcher, port, files } = setup();
    await watcher.prepare();
    copyFileSync(fixture(SAMPLE), join(dir, SAMPLE));
    await watcher.pollOnce();
    await watcher.pollOnce();
    copyFileSync(fixture(SAMPLE), join(dir, SAMPLE));
    // A different mtime: a second delivery, not the same file.
    const later = new Date(statSync(join(dir, SAMPLE)).mtimeMs - 60_000);
    const { utimesSync } = await import('node:fs');
    utimesSync(join(dir, SAMPLE), later, later);
    await watcher.pollOnce();
    const [dup] = await watcher.pollOnce();
    expect(dup).toMatchObject({ result: 'duplicate', events: 0 });
    expect(port.events).toHaveLength(2);
    expect(ls(join(dir, 'failed'))).toEqual([SAMPLE, `${SAMPLE}.reason.txt`]);
    const why = readFileSync(join(dir, 'failed', `${SAMPLE}.reason.txt`), 'utf8');
    expect(why).toContain('files are never taken in twice');
    // One piece of advice, not two that contradict each other.
    expect(why).toContain('Give a corrected file a new name');
    expect(why).not.toContain('may be reused');
    expect(files.get(SAMPLE)?.state).toBe('done');
  });

  it('reads .xml.gz and reports a broken gzip as such', async () => {
    const { dir, watcher, port } = setup();
    await watcher.prepare();
    copyFileSync(fixture(`${SAMPLE}.gz`), join(dir, `${SAMPLE}.gz`));
    writeFileSync(join(dir, 'A20231105.1015+0800-1030+0800_ENB-HZ-0001.xml.gz'), 'not gzip at all');
    await watcher.pollOnce();
    const outcomes = await watcher.pollOnce();
    expect(outcomes.map((o) => [o.name, o.result])).toEqual([
      [`${SAMPLE}.gz`, 'done'],
      ['A20231105.1015+0800-1030+0800_ENB-HZ-0001.xml.gz', 'failed'],
    ]);
    expect(outcomes[1].reason).toMatch(/^not a valid gzip file/);
    expect(port.events).toHaveLength(2);
  });

  it('waits while the pipeline is overloaded and loses nothing', async () => {
    const { dir, watcher, port, sleeps } = setup();
    await watcher.prepare();
    port.overloadedFor = 3;
    copyFileSync(fixture(GNB), join(dir, GNB));
    await watcher.pollOnce();
    expect((await watcher.pollOnce())[0]).toMatchObject({ result: 'done', events: 2 });
    expect(sleeps).toEqual([1000, 1000, 1000]);
    expect(port.events).toHaveLength(2);
  });

  it('hands a chunk larger than the whole queue over in halves rather than failing the file', async () => {
    const { dir, watcher, port } = setup({ chunkEvents: 1000 });
    port.queueLimit = 1;
    await watcher.prepare();
    copyFileSync(fixture(GNB), join(dir, GNB));
    await watcher.pollOnce();
    expect((await watcher.pollOnce())[0]).toMatchObject({ result: 'done', events: 2 });
    expect(port.events).toHaveLength(2);
  });

  it('resumes after a restart without sending the events accepted before it again', async () => {
    const files = new MemoryProcessedFileStore();
    const port = new FakeIngestPort();
    const first = setup({}, files, port);
    await first.watcher.prepare();
    copyFileSync(fixture(GNB), join(first.dir, GNB));
    // The daemon died after the first chunk (1 event) was accepted: the record says so.
    const st = statSync(join(first.dir, GNB));
    files.begin(GNB, st.size, Math.floor(st.mtimeMs), 1);
    files.progress(GNB, 1);
    const before = port.events.length;
    const second = first.make();
    await second.pollOnce();
    expect((await second.pollOnce())[0]).toMatchObject({ result: 'done', events: 2 });
    expect(port.events.slice(before).map((e) => e.event.t)).toEqual([Date.parse('2023-11-05T10:45:00+08:00')]);
    expect(files.get(GNB)).toMatchObject({ state: 'done', events: 2 });
  });

  it('finishes the move of a file taken in just before a crash, without taking it in again', async () => {
    const { dir, watcher, port, files } = setup();
    await watcher.prepare();
    copyFileSync(fixture(SAMPLE), join(dir, SAMPLE));
    const st = statSync(join(dir, SAMPLE));
    files.begin(SAMPLE, st.size, Math.floor(st.mtimeMs), Date.now());
    files.finish(SAMPLE, 'done', Date.now(), { events: 2, sha256: null, reason: null });
    await watcher.pollOnce();
    expect(await watcher.pollOnce()).toEqual([{ name: SAMPLE, result: 'done', events: 2 }]);
    expect(port.events).toEqual([]);
    expect(existsSync(join(dir, 'done', SAMPLE))).toBe(true);
  });

  it('stops between chunks at shutdown and leaves the file to resume', async () => {
    const { dir, port, files, make } = setup({ pollIntervalMs: 100 }, undefined, undefined, true);
    port.overloadedFor = 1_000_000;
    const w = make();
    await w.start();
    copyFileSync(fixture(GNB), join(dir, GNB));
    // Let the background polls pick the file up and block on the overloaded pipeline.
    for (let i = 0; i < 50 && files.get(GNB) === undefined; i++) await new Promise((r) => setTimeout(r, 20));
    await w.stop();
    expect(files.get(GNB)).toMatchObject({ state: 'processing', events: 0 });
    expect(ls(dir)).toContain(GNB);
  });
});
