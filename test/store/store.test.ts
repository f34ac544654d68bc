import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Complaint, Incident } from '../../src/model/index.js';
import { applyMigrations, openDatabase } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { createMemoryStore, openSqliteStore, storeConfigSchema, type Store } from '../../src/store/store.js';

function complaint(id: string, receivedAt: number, customer = 'c1'): Complaint {
  return { complaintId: id, channel: 'hotline', receivedAt, customer: { id: customer, class: 'regular' }, category: 'no_data', location: { cellId: 'X' } };
}

function incident(id: string, openedAt: number, state: 'open' | 'resolved' = 'open', resolvedAt: number | null = null): Incident {
  return {
    id, state, severity: 'major', openedAt, detectedAt: openedAt + 1, resolvedAt,
    rootCause: { objectType: 'site', objectId: 'S1', category: 'outage' }, cells: ['A'], region: 'R1',
    anomalies: [], complaintIds: [], ticketId: null, triage: { class: 'routine', score: 40, reasons: [] },
    confidence: 0.5, feeds: ['pm'], reopenCount: 0, version: 1, updatedAt: openedAt,
  };
}

const implementations: [string, () => Store][] = [
  ['sqlite', () => openSqliteStore(':memory:', storeConfigSchema.parse({ keepRejects: 10 }))],
  ['memory fake', () => createMemoryStore(storeConfigSchema.parse({ keepRejects: 10 }))],
];

describe.each(implementations)('%s store', (_name, make) => {
  it('stores a complaint once by complaintId', () => {
    const s = make();
    expect(s.complaints.insert(complaint('A', 1000))).toBe(true);
    expect(s.complaints.insert({ ...complaint('A', 2000), description: 'changed' })).toBe(false);
    expect(s.complaints.get('A')).toMatchObject({ complaint: { receivedAt: 1000 }, processed: false, incidentId: null });
    expect(s.complaints.count()).toBe(1);
  });

  it('keeps unprocessed complaints until they are marked, and records links', () => {
    const s = make();
    for (let i = 0; i < 5; i++) s.complaints.insert(complaint(`C${i}`, 1000 + i));
    s.complaints.markProcessed('C1', { complaintId: 'C1', incidentId: 'INC-1', confidence: 0.9, reason: 'same cell' }, { class: 'must_solve', score: 90, reasons: ['VIP'] });
    s.complaints.markProcessed('C3', null, null);
    expect(s.complaints.unprocessed(10).map((c) => c.complaintId)).toEqual(['C0', 'C2', 'C4']);
    expect(s.complaints.get('C1')).toMatchObject({ processed: true, incidentId: 'INC-1', triage: { class: 'must_solve' } });
    expect(s.complaints.list({ limit: 10, incidentId: 'INC-1' }).items.map((c) => c.complaint.complaintId)).toEqual(['C1']);
    s.complaints.relink('C1', { complaintId: 'C1', incidentId: 'INC-2', confidence: 0.9, reason: 'merged' });
    expect(s.complaints.get('C1')?.incidentId).toBe('INC-2');
  });

  it('reads back the processed complaints received since a time, oldest first, with their links', () => {
    const s = make();
    for (const [id, t] of [['late', 3000], ['early', 2000], ['before', 500], ['pending', 2500]] as const) s.complaints.insert(complaint(id, t));
    s.complaints.markProcessed('late', { complaintId: 'late', incidentId: 'INC-1', confidence: 0.9, reason: 'same cell' }, null);
    s.complaints.markProcessed('early', null, null);
    s.complaints.markProcessed('before', null, null);
    expect([...s.complaints.processedSince(1000)].map((c) => `${c.complaint.complaintId}>${c.link?.incidentId ?? '-'}`)).toEqual(['early>-', 'late>INC-1']);
  });

  it('pages complaints newest first with a cursor, without gaps or repeats', () => {
    const s = make();
    for (let i = 0; i < 25; i++) s.complaints.insert(complaint(`C${String(i).padStart(2, '0')}`, 1000 + Math.floor(i / 2)));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = s.complaints.list({ limit: 7, cursor });
      seen.push(...page.items.map((c) => c.complaint.complaintId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    const times = seen.map((id) => 1000 + Math.floor(Number(id.slice(1)) / 2));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(s.complaints.list({ limit: 100, since: 1010, until: 1012 }).items).toHaveLength(4);
  });

  it('gives the received times of processed complaints since a time, for the dashboard\'s 24-hour count', () => {
    const s = make();
    for (let i = 0; i < 6; i++) s.complaints.insert(complaint(`C${i}`, 1000 + (5 - i) * 10));
    for (const id of ['C0', 'C1', 'C2', 'C4', 'C5']) s.complaints.markProcessed(id, null, null);
    // C3 (1020) is still queued: it is counted once it is processed, not twice.
    expect(s.complaints.receivedTimesSince(1010)).toEqual([1010, 1030, 1040, 1050]);
    expect(s.complaints.receivedTimesSince(2000)).toEqual([]);
  });

  it('upserts incidents and lists them by state, region and time', () => {
    const s = make();
    s.incidents.upsert(incident('I1', 100));
    s.incidents.upsert(incident('I2', 200));
    s.incidents.upsert({ ...incident('I1', 100, 'resolved', 500), version: 2 });
    expect(s.incidents.get('I1')).toMatchObject({ state: 'resolved', version: 2 });
    expect(s.incidents.list({ limit: 10, state: 'open' }).items.map((i) => i.id)).toEqual(['I2']);
    expect(s.incidents.list({ limit: 10 }).items.map((i) => i.id)).toEqual(['I2', 'I1']);
    expect(s.incidents.list({ limit: 10, region: 'nowhere' }).items).toEqual([]);
    expect(s.incidents.live(400).map((i) => i.id)).toEqual(['I1', 'I2']);
    expect(s.incidents.live(600).map((i) => i.id)).toEqual(['I2']);
  });

  it('keeps only the last N rejects, newest first', () => {
    const s = make();
    for (let i = 0; i < 25; i++) s.rejects.add([{ at: i, feed: 'pm', index: i, error: `e${i}`, record: null }]);
    const list = s.rejects.list({ limit: 100 });
    expect(list.items.map((r) => r.error)).toEqual(Array.from({ length: 10 }, (_, i) => `e${24 - i}`));
    expect(list.nextCursor).toBeNull();
  });

  it('pages rejects newest first with a cursor, in the order they were rejected, without gaps or repeats', () => {
    const s = make();
    // Wall time can step back (NTP): the order is the order of rejection, not `at`.
    s.rejects.add([0, 1, 2, 3].map((i) => ({ at: 100 - (i % 2), feed: 'pm', index: i, error: `e${i}`, record: null })));
    s.rejects.add([4, 5, 6].map((i) => ({ at: 50, feed: 'alarms', index: i, error: `e${i}`, record: '{"a":1}' })));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = s.rejects.list({ limit: 3, cursor });
      seen.push(...page.items.map((r) => r.error));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(seen).toEqual(['e6', 'e5', 'e4', 'e3', 'e2', 'e1', 'e0']);
    expect(pages).toBe(3);
    expect(s.rejects.list({ limit: 1 }).items).toEqual([{ at: 50, feed: 'alarms', index: 6, error: 'e6', record: '{"a":1}' }]);
    expect(() => s.rejects.list({ limit: 1, cursor: 'not-a-cursor' })).toThrow(/cursor: not a cursor this server issued/);
  });

  it('saves and loads checkpoints, and cells', async () => {
    const s = make();
    await s.checkpoints.save('detectors', [new Uint8Array([1, 2, 3])], 99);
    await s.checkpoints.save('detectors', [new Uint8Array([4]), new Uint8Array([5])], 100);
    const cp = s.checkpoints.load('detectors')!;
    expect([...cp.data]).toEqual([4, 5]);
    expect(cp.savedAt).toBe(100);
    expect(s.checkpoints.load('other')).toBeUndefined();
    s.meta.set('k', 'v');
    expect(s.meta.get('k')).toBe('v');
  });
});

describe('sqlite durability', () => {
  it('rolls a failed transaction back completely', () => {
    const s = openSqliteStore(':memory:');
    expect(() => s.transaction(() => {
      s.complaints.insert(complaint('A', 1));
      throw new Error('boom');
    })).toThrow('boom');
    expect(s.complaints.get('A')).toBeUndefined();
  });

  it('keeps data across close and reopen of the file, and applies migrations once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nocwatch-store-'));
    const a = openSqliteStore(dir);
    a.complaints.insert(complaint('A', 1));
    a.close();
    const b = openSqliteStore(dir);
    expect(b.complaints.get('A')?.complaint.receivedAt).toBe(1);
    expect(applyMigrations(b.db, MIGRATIONS)).toEqual([]);
    expect(b.db.pragma('journal_mode', { simple: true })).toBe('wal');
    b.close();
  });

  it('applies a new migration appended later, by name', () => {
    const db = openDatabase(':memory:');
    expect(applyMigrations(db, [...MIGRATIONS, { name: '9999-test', sql: 'CREATE TABLE t (x INTEGER)' }])).toEqual(['9999-test']);
  });
});

describe('checkpoint files', () => {
  it('keeps the bytes in a file, replaces it atomically and removes the old one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nocwatch-ckpt-'));
    const s = openSqliteStore(dir);
    const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);
    await s.checkpoints.save('detectors', [big, big.subarray(0, 10)], 1);
    expect(s.checkpoints.load('detectors')!.data.byteLength).toBe(big.byteLength + 10);
    await s.checkpoints.save('detectors', [new Uint8Array([9, 8, 7])], 2);
    expect([...s.checkpoints.load('detectors')!.data]).toEqual([9, 8, 7]);
    expect(readdirSync(join(dir, 'checkpoints'))).toHaveLength(1);
    s.close();
    // Reopened: the last complete save is what loads.
    const again = openSqliteStore(dir);
    expect(again.checkpoints.load('detectors')!.savedAt).toBe(2);
    again.close();
  });

  it('removes an in-memory store\'s temp checkpoint dir on close, and keeps a data dir\'s', async () => {
    const mem = openSqliteStore(':memory:');
    await mem.checkpoints.save('detectors', [new Uint8Array([1])], 1);
    expect(readdirSync(mem.checkpointDir)).toHaveLength(1);
    mem.close();
    expect(existsSync(mem.checkpointDir)).toBe(false);
    const dir = mkdtempSync(join(tmpdir(), 'nocwatch-ckpt-'));
    const file = openSqliteStore(dir);
    await file.checkpoints.save('detectors', [new Uint8Array([1])], 1);
    file.close();
    expect(readdirSync(join(dir, 'checkpoints'))).toHaveLength(1);
  });

  it('refuses a damaged checkpoint file rather than restoring garbage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nocwatch-ckpt-'));
    const s = openSqliteStore(dir);
    await s.checkpoints.save('detectors', [new Uint8Array([1, 2, 3, 4])], 1);
    const [file] = readdirSync(join(dir, 'checkpoints'));
    writeFileSync(join(dir, 'checkpoints', file!), new Uint8Array([1, 2, 3]));
    expect(() => s.checkpoints.load('detectors')).toThrow(/damaged/);
  });
});
