/**
 * The page's reducer (page/state.ts) on hand-made messages: what it keeps across snapshots and
 * epochs, so the panels built on it show the daemon the page is connected to now.
 */
import { describe, expect, it } from 'vitest';
import { ClientState } from '../../src/dashboard/page/state.js';
import type { ComplaintItem, DeltaMessage, SnapshotMessage } from '../../src/dashboard/protocol.js';
import { T0, incidentItem, ticketView } from './fixtures.js';

function snapshot(epoch: string, seq: number, extra: Partial<SnapshotMessage> = {}): SnapshotMessage {
  return {
    type: 'snapshot', epoch, seq, geometryVersion: `${epoch}.1`, cellCount: 10, watermark: T0, cells: [], incidents: [],
    complaints: [], tickets: { counts: {}, total: 0, breached: 0, deadLetters: 0, attention: [] }, kpis: [],
    feeds: { feeds: [], pending: 0, queueLimit: 10, watermark: T0, newestEventTime: T0, behindLiveS: 0, wall: T0, staleAfterS: 300 },
    counters: { cells: 10, anomalous: 0, incident: 0, outage: 0, openIncidents: 0, complaintsToday: 0 }, ...extra,
  };
}

const delta = (seq: number, extra: Partial<DeltaMessage>): DeltaMessage => ({ type: 'delta', seq, watermark: T0, ...extra });

describe('the page\'s state', () => {
  it('an incident that resolves while its detail is open is still known, with its latest ticket', () => {
    const s = new ClientState();
    s.apply(snapshot('e1', 0, { incidents: [incidentItem('INC-1')] }));
    s.apply(delta(1, { incidents: [incidentItem('INC-1', { state: 'resolved', resolvedAt: T0 + 60_000, updatedAt: T0 + 60_000, ticket: ticketView('resolved') })] }));
    expect(s.incidents.has('INC-1')).toBe(false);
    expect(s.incident('INC-1')).toMatchObject({ state: 'resolved', resolvedAt: T0 + 60_000, ticket: { state: 'resolved' } });
    // Reopened: open again, not also among the resolved.
    s.apply(delta(2, { incidents: [incidentItem('INC-1', { reopenCount: 1 })] }));
    expect(s.incident('INC-1')).toMatchObject({ state: 'open', reopenCount: 1 });
    expect(s.resolved.has('INC-1')).toBe(false);
  });

  it('a snapshot of another daemon forgets the previous daemon\'s incidents; one of the same daemon keeps them', () => {
    const s = new ClientState();
    let ch = s.apply(snapshot('e1', 0, { incidents: [incidentItem('INC-1'), incidentItem('INC-2')] }));
    expect(ch.epoch).toBe(true);
    s.apply(delta(1, { incidents: [incidentItem('INC-1', { state: 'resolved' })] }));
    // A slow client's re-snapshot from the same daemon: INC-2 resolved among the skipped deltas.
    ch = s.apply(snapshot('e1', 40));
    expect(ch.epoch).toBe(false);
    expect(s.incident('INC-1')?.state).toBe('resolved');
    expect(s.incident('INC-2')?.state).toBe('resolved');
    // Reconnected to an empty daemon: nothing of the old one may stay on screen.
    ch = s.apply(snapshot('e2', 0));
    expect(ch.epoch).toBe(true);
    expect(s.incident('INC-1')).toBeUndefined();
    expect(s.incident('INC-2')).toBeUndefined();
  });

  it('the complaints left out of deltas are counted until the next snapshot, which starts again from 0', () => {
    const c = (id: string): ComplaintItem => ({ id, receivedAt: T0, channel: 'hotline', customerClass: 'regular', category: 'no_data', place: 'C-1', incidentId: null });
    const s = new ClientState();
    s.apply(snapshot('e1', 0));
    s.apply(delta(1, { complaints: [c('a')], complaintsSkipped: 97 }));
    expect(s.complaintsSkipped).toBe(97);
    s.apply(snapshot('e2', 0));
    expect(s.complaintsSkipped).toBe(0);
    expect(s.complaints).toEqual([]);
  });
});
