import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore, openSqliteStore, type Store } from '../../src/store/store.js';

const implementations: [string, () => Store][] = [
  ['sqlite', () => openSqliteStore(':memory:')],
  ['memory fake', () => createMemoryStore()],
];

describe.each(implementations)('%s processed-file store', (_name, make) => {
  it('follows a file from processing to done, with its progress', () => {
    const s = make().processedFiles;
    expect(s.get('A.xml')).toBeUndefined();
    s.begin('A.xml', 1514, 1000, 5000);
    s.progress('A.xml', 2000);
    expect(s.get('A.xml')).toEqual({
      name: 'A.xml', state: 'processing', size: 1514, mtimeMs: 1000, events: 2000, sha256: null, reason: null, startedAt: 5000, finishedAt: null,
    });
    s.finish('A.xml', 'done', 6000, { events: 2500, sha256: 'ab', reason: null });
    s.progress('A.xml', 1); // only a file in progress moves
    expect(s.get('A.xml')).toMatchObject({ state: 'done', events: 2500, sha256: 'ab', finishedAt: 6000 });
  });

  it('starts a failed file over when it comes back', () => {
    const s = make().processedFiles;
    s.begin('B.xml', 10, 1, 1);
    s.finish('B.xml', 'failed', 2, { events: 3, sha256: null, reason: 'malformed XML' });
    s.begin('B.xml', 12, 5, 10);
    expect(s.get('B.xml')).toMatchObject({ state: 'processing', size: 12, events: 0, reason: null, finishedAt: null });
  });

  it('prunes finished records older than the retention, never one in progress', () => {
    const s = make().processedFiles;
    s.begin('old.xml', 1, 1, 1);
    s.finish('old.xml', 'done', 100, { events: 1, sha256: null, reason: null });
    s.begin('new.xml', 1, 1, 1);
    s.finish('new.xml', 'done', 300, { events: 1, sha256: null, reason: null });
    s.begin('busy.xml', 1, 1, 1);
    expect(s.prune(200)).toBe(1);
    expect([s.get('old.xml'), s.get('new.xml')?.name, s.get('busy.xml')?.state]).toEqual([undefined, 'new.xml', 'processing']);
  });
});

it('keeps processed files across a reopen of the SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nocwatch-pf-'));
  const a = openSqliteStore(dir);
  a.processedFiles.begin('C.xml', 7, 8, 9);
  a.processedFiles.progress('C.xml', 4000);
  a.close();
  const b = openSqliteStore(dir);
  expect(b.processedFiles.get('C.xml')).toMatchObject({ state: 'processing', events: 4000 });
  b.close();
});
