/**
 * Tickets through the real pipeline on SQLite: an incident stage opens an incident, the ticket
 * stage opens its ticket, and the ticket and its outbox entry commit in the batch's transaction —
 * both or neither.
 */
import { describe, expect, it } from 'vitest';
import type { AnomalyTransition, Complaint, ComplaintLink, Incident, PmEvent } from '../../src/model/index.js';
import { pipelineConfigSchema } from '../../src/pipeline/config.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { BatchPersister, IncidentChange, IncidentStage } from '../../src/pipeline/stages.js';
import { openSqliteStore } from '../../src/store/store.js';
import { silentLogger } from '../../src/telemetry/logger.js';
import { Metrics } from '../../src/telemetry/metrics.js';
import { TicketPersister } from '../../src/tickets/ticket-persister.js';
import { CellMap, engine, incident, T0 } from './fixtures.js';

/** Opens one incident the first time the watermark moves. */
class OneIncident implements IncidentStage {
  private changes: IncidentChange[] = [];
  private done = false;
  onTransitions(_t: readonly AnomalyTransition[]) {}
  onComplaint(_c: Complaint): ComplaintLink | null { return null; }
  advance(now: number) {
    if (this.done) return;
    this.done = true;
    this.changes.push({ type: 'opened', incident: incident({ detectedAt: now }) });
  }
  takeChanges() { const c = this.changes; this.changes = []; return c; }
  live(): Iterable<Incident> { return []; }
  restore() {}
}

const pm = (t: number): PmEvent => ({ kind: 'pm', t, cellId: 'C-1', period: 900, kpis: { availability: 100 } });

function setup(extra: BatchPersister[] = []) {
  const store = openSqliteStore(':memory:');
  const { e } = engine({}, new CellMap());
  const pipeline = new Pipeline({
    config: pipelineConfigSchema.parse({ allowedLatenessS: 0 }), store, metrics: new Metrics({ defaultMetrics: false }), logger: silentLogger(),
    incidents: new OneIncident(), tickets: e, persisters: [new TicketPersister(store, () => 42), ...extra],
  });
  return { store, pipeline, e };
}

describe('ticket persistence in the batch transaction', () => {
  it('stores a ticket\'s verification progress without a new version or an outbox entry', () => {
    const store = openSqliteStore(':memory:');
    const { e } = engine({}, new CellMap());
    const persister = new TicketPersister(store, () => 42);
    e.onIncidentChanges([{ type: 'opened', incident: incident() }], T0);
    e.onIncidentChanges([{ type: 'resolved', incident: incident({ state: 'resolved', resolvedAt: T0 + 3_600_000 }) }], T0 + 3_600_000);
    const outcome = { watermark: T0, events: [], transitions: [], incidentChanges: [], complaints: [], ticketChanges: e.takeChanges(), ticketProgress: [] };
    persister.persist(outcome);
    const entries = store.outbox.list({ limit: 100 }).items.length;
    e.advance(T0 + 3_600_000);
    persister.persist({ ...outcome, ticketChanges: e.takeChanges(), ticketProgress: e.takeProgress() });
    expect(store.tickets.get('TKT-1')).toMatchObject({ state: 'resolved', verification: { normalSince: T0 + 3_600_000 } });
    expect(store.outbox.list({ limit: 100 }).items.length).toBe(entries);
  });

  it('stores each ticket version with its outbox entry', async () => {
    const { store, pipeline } = setup();
    pipeline.enqueue([pm(T0)]);
    await pipeline.whenIdle();
    expect(store.tickets.get('TKT-1')).toMatchObject({ version: 1, state: 'open', createdAt: T0 });
    expect(store.outbox.get('TKT-1:1')).toMatchObject({ state: 'pending', enqueuedAt: 42, change: 'opened' });
    // A ticketing event is a batch of its own: version 2, stored and queued together.
    pipeline.applyTicketEvent('TKT-1', { type: 'acknowledged', at: T0 + 60_000 });
    expect(store.tickets.get('TKT-1')).toMatchObject({ version: 2, state: 'acknowledged' });
    expect(store.outbox.latest('TKT-1')).toMatchObject({ key: 'TKT-1:2', change: 'state' });
  });

  it('a batch that fails to commit leaves neither the ticket nor its outbox entry', async () => {
    const failing: BatchPersister = { persist: (o) => { if (o.ticketChanges.length > 0) throw new Error('disk full'); } };
    const { store, pipeline } = setup([failing]);
    pipeline.enqueue([pm(T0)]);
    await pipeline.whenIdle();
    expect(store.tickets.get('TKT-1')).toBeUndefined();
    expect(store.outbox.counts()).toEqual({ pending: 0, retrying: 0, delivered: 0, dead: 0 });
  });

  it('an event refused by the state machine writes nothing', async () => {
    const { store, pipeline } = setup();
    pipeline.enqueue([pm(T0)]);
    await pipeline.whenIdle();
    expect(() => pipeline.applyTicketEvent('TKT-1', { type: 'verify' as never, at: T0 })).toThrow();
    expect(() => pipeline.applyTicketEvent('TKT-9', { type: 'comment', at: T0 })).toThrow(expect.objectContaining({ status: 404 }));
    expect(store.outbox.counts().pending).toBe(1);
  });
});
