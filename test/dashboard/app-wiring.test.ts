/**
 * The dashboard as app.ts wires it: records posted to the real ingest API go through the pipeline,
 * and the hub turns the batches into what a WebSocket client sees; incidents stored by the pipeline
 * have their timeline on the dashboard API.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { complaintRecord, sampleCells, testApp } from '../helpers/app.js';
import { TestClient, incident } from './fixtures.js';

let app: App | null = null;
let client: TestClient | null = null;
afterEach(async () => {
  await client?.close();
  client = null;
  await app?.stop();
  app = null;
});

describe('dashboard in the app', () => {
  it('streams what the pipeline processed and serves stored incidents', async () => {
    app = await testApp({ dashboard: { flushIntervalMs: 50, feedIntervalMs: 250 } });
    await app.server.listen({ host: '127.0.0.1', port: 0 });
    const base = `127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
    const post = (path: string, body: unknown) =>
      fetch(`http://${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/api/v1/inventory/cells', sampleCells)).status).toBe(202);

    client = await TestClient.connect(`ws://${base}/ws`);
    // The inventory arrived before the page connected: its geometry has the three cells.
    await client.until((c) => c.state.status.length === 3, 10_000);

    expect((await post('/api/v1/ingest/complaints', complaintRecord('C-WIRE-1'))).status).toBe(202);
    await client.until((c) => c.state.complaints.some((x) => x.id === 'C-WIRE-1'), 10_000);
    expect(client.state.complaints[0]).toMatchObject({ id: 'C-WIRE-1', channel: 'hotline', customerClass: 'vip_gold', place: 'CS-0001-1', incidentId: null });
    await client.until((c) => (c.state.feeds?.feeds.find((f) => f.feed === 'complaints')?.accepted ?? 0) === 1, 10_000);
    expect(client.state.counters.complaintsToday).toBe(1);

    app.store.incidents.upsert(incident('INC-W', ['CS-0001-1'], { complaintIds: ['C-WIRE-1'] }));
    const res = await fetch(`http://${base}/api/v1/dashboard/incidents/INC-W/timeline`);
    const body = (await res.json()) as { items: { kind: string; text: string }[] };
    expect(body.items.map((e) => e.kind)).toContain('detected');
    expect((await fetch(`http://${base}/metrics`).then((r) => r.text()))).toMatch(/nocwatch_dashboard_clients 1/);
  });
});
