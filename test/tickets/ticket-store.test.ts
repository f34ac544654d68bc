import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { MemoryTicketStore, SqliteTicketStore, type TicketStore } from '../../src/tickets/ticket-store.js';
import { ticket, T0 } from '../outputs/ticketing/helpers.js';

const STORES: [string, () => TicketStore][] = [
  ['memory', () => new MemoryTicketStore()],
  ['sqlite', () => new SqliteTicketStore(openDatabase(':memory:'))],
];

describe.each(STORES)('%s ticket store', (_n, make) => {
  it('keeps the newest version: an older one written late does not overwrite it', () => {
    const s = make();
    s.upsert(ticket('TKT-1', 2, { state: 'acknowledged' }));
    s.upsert(ticket('TKT-1', 1));
    expect(s.get('TKT-1')).toMatchObject({ version: 2, state: 'acknowledged' });
  });

  it('lists newest first with the API filters and pages through them', () => {
    const s = make();
    for (let i = 0; i < 5; i++) {
      s.upsert(ticket(`TKT-${i}`, 1, { createdAt: T0 + i, department: i % 2 ? 'optimization' : 'maintenance', state: i === 4 ? 'closed' : 'open', stale: i === 1 }));
    }
    const p1 = s.list({ limit: 2 });
    expect(p1.items.map((t) => t.id)).toEqual(['TKT-4', 'TKT-3']);
    const p2 = s.list({ limit: 2, cursor: p1.nextCursor! });
    expect(p2.items.map((t) => t.id)).toEqual(['TKT-2', 'TKT-1']);
    expect(s.list({ limit: 10, department: 'optimization' }).items.map((t) => t.id)).toEqual(['TKT-3', 'TKT-1']);
    expect(s.list({ limit: 10, state: 'closed' }).items.map((t) => t.id)).toEqual(['TKT-4']);
    expect(s.list({ limit: 10, since: T0 + 3 }).items.map((t) => t.id)).toEqual(['TKT-4', 'TKT-3']);
    expect(s.list({ limit: 10, stale: true }).items.map((t) => t.id)).toEqual(['TKT-1']);
    expect(s.createdBetween(T0 + 1, T0 + 3).map((t) => t.id).sort()).toEqual(['TKT-1', 'TKT-2']);
  });

  it('restores open tickets and recently closed ones', () => {
    const s = make();
    s.upsert(ticket('TKT-a', 1));
    s.upsert(ticket('TKT-b', 3, { state: 'closed', times: { closedAt: T0 + 100 } }));
    s.upsert(ticket('TKT-c', 3, { state: 'closed', times: { closedAt: T0 - 100 } }));
    expect(s.live(T0).map((t) => t.id).sort()).toEqual(['TKT-a', 'TKT-b']);
  });
});
