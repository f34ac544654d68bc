import { describe, expect, it } from 'vitest';
import type { BatchOutcome } from '../../src/pipeline/stages.js';
import { CallbackService, callbackReason, sampleDraw } from '../../src/tickets/callback-service.js';
import { MemoryCallbackStore, type CallbackStore } from '../../src/tickets/callback-store.js';
import { ticketsConfigSchema } from '../../src/tickets/config.js';
import { SqliteCallbackStore } from '../../src/tickets/sqlite-callback-store.js';
import { openDatabase } from '../../src/store/database.js';
import type { Ticket } from '../../src/model/index.js';
import { ComplaintMap, H, T0 } from './fixtures.js';

const DAY = 24 * H;
const config = ticketsConfigSchema.parse({ callbacks: { sampleRate: 0.25 } }).callbacks;

function verifiedTicket(complaintIds: string[], verifiedAt = T0): Ticket {
  return {
    id: 'TKT-1', incidentId: 'INC-1', complaintIds, department: 'maintenance', class: 'must_solve', state: 'verified',
    proactive: false, createdAt: T0 - DAY, updatedAt: verifiedAt, version: 5, region: 'North',
    sla: { respondBy: null, onsiteBy: null, resolveBy: null, breached: [] },
    external: { system: 'webhook', key: null, pushState: 'pending' }, times: { verifiedAt },
  };
}

function outcome(over: Partial<BatchOutcome>): BatchOutcome {
  return { watermark: T0, events: [], transitions: [], incidentChanges: [], ticketChanges: [], complaints: [], ...over };
}

const STORES: [string, () => CallbackStore][] = [
  ['memory', () => new MemoryCallbackStore()],
  ['sqlite', () => new SqliteCallbackStore(openDatabase(':memory:'))],
];

describe('callback sampling', () => {
  it('always calls VIP and enterprise complainants, and draws a stable sample of the rest at the configured rate', () => {
    const complaints = new ComplaintMap();
    const cls = (id: string, c: Parameters<ComplaintMap['add']>[2]) => complaints.add(id, T0, c);
    expect(callbackReason(cls('a', 'vip_diamond'), config)).toBe('vip');
    expect(callbackReason(cls('b', 'vip_silver'), config)).toBe('vip');
    expect(callbackReason(cls('c', 'enterprise'), config)).toBe('enterprise');
    let drawn = 0;
    for (let i = 0; i < 10_000; i++) if (sampleDraw(config.sampleSalt, `R-${i}`) < config.sampleRate) drawn += 1;
    expect(drawn / 10_000).toBeGreaterThan(0.235);
    expect(drawn / 10_000).toBeLessThan(0.265);
    expect(callbackReason(cls('R-1', 'regular'), config)).toBe(sampleDraw(config.sampleSalt, 'R-1') < 0.25 ? 'sample' : null);
    // Deterministic: the same complaint is drawn the same way every time; another salt draws differently.
    expect(sampleDraw('nocwatch', 'R-1')).toBe(sampleDraw('nocwatch', 'R-1'));
    expect(sampleDraw('other', 'R-1')).not.toBe(sampleDraw('nocwatch', 'R-1'));
  });
});

describe.each(STORES)('callbacks and the dissatisfied pool (%s store)', (_n, makeStore) => {
  const setup = () => {
    const complaints = new ComplaintMap();
    complaints.add('C-vip', T0 - DAY, 'vip_gold', 'cust-vip');
    complaints.add('C-ent', T0 - DAY, 'enterprise', 'cust-ent');
    for (let i = 0; i < 40; i++) complaints.add(`C-r${i}`, T0 - DAY, 'regular', `cust-r${i}`);
    const store = makeStore();
    const svc = new CallbackService({ store, complaints, config });
    return { complaints, store, svc };
  };

  it('creates callback tasks on verification: every VIP and enterprise complainant plus the sample', () => {
    const { store, svc } = setup();
    const ids = ['C-vip', 'C-ent', ...Array.from({ length: 40 }, (_, i) => `C-r${i}`)];
    svc.onBatch(outcome({ ticketChanges: [{ type: 'verified', ticket: verifiedTicket(ids) }] }));
    const pending = store.listTasks({ state: 'pending', limit: 100 }).items;
    const expectedSample = ids.filter((id) => id.startsWith('C-r') && sampleDraw('nocwatch', id) < 0.25);
    expect(pending.map((t) => t.complaintId).sort()).toEqual(['C-ent', 'C-vip', ...expectedSample].sort());
    expect(pending.find((t) => t.complaintId === 'C-vip')).toMatchObject({ reason: 'vip', ticketId: 'TKT-1', verifiedAt: T0, region: 'North' });
    // A second verification (after a reopen) does not duplicate tasks.
    svc.reconcile([verifiedTicket(ids, T0 + DAY)]);
    expect(store.listTasks({ state: 'pending', limit: 100 }).items).toHaveLength(pending.length);
  });

  it('puts a reached-but-unsatisfied customer in the pool, not a satisfied or unreached one', () => {
    const { store, svc } = setup();
    svc.onVerified(verifiedTicket(['C-vip', 'C-ent']));
    svc.record({ complaintId: 'C-vip', at: T0 + H, reached: true, satisfied: false, score: 2, note: 'still drops' });
    svc.record({ complaintId: 'C-ent', at: T0 + H, reached: false });
    expect(store.listTasks({ state: 'done', limit: 10 }).items).toHaveLength(2);
    expect(store.listDissatisfied({ limit: 10 }).items).toMatchObject([{ customerId: 'cust-vip', reason: 'unsatisfied', at: T0 + H }]);
    expect(store.counts()).toEqual({ pending: 0, done: 2, dissatisfiedCustomers: 1 });
    expect(() => svc.record({ complaintId: 'C-none', at: T0, reached: true })).toThrow(expect.objectContaining({ status: 404 }));
  });

  it('puts a customer who complains again within 30 days of the verified fix in the pool', () => {
    const { complaints, store, svc } = setup();
    svc.onVerified(verifiedTicket(['C-r1', 'C-r2']));
    const again = complaints.add('C-new', T0 + 29 * DAY, 'regular', 'cust-r1');
    const late = complaints.add('C-late', T0 + 31 * DAY, 'regular', 'cust-r2');
    svc.onBatch(outcome({ complaints: [{ complaint: again, link: null }, { complaint: late, link: null }] }));
    expect(store.listDissatisfied({ limit: 10 }).items).toMatchObject([
      { customerId: 'cust-r1', reason: 'complained_again', newComplaintId: 'C-new', ticketId: 'TKT-1' },
    ]);
    // The same complaint seen twice counts once.
    svc.onComplaint(again);
    expect(store.counts().dissatisfiedCustomers).toBe(1);
  });
});
