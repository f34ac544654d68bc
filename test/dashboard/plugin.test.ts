import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { convexHull, decodeGeometry } from '../../src/dashboard/geometry.js';
import { incidentTimeline } from '../../src/dashboard/timeline.js';
import { T0, complaint, fakeWorld, incident, makeCells, startServer, ticket, type TestServer } from './fixtures.js';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const READ = 'read-token-0123456789';
const INGEST = 'ingest-token-0123456789';
const tokens = [
  { name: 'wall', token: READ, scopes: ['read' as const] },
  { name: 'feeder', token: INGEST, scopes: ['ingest' as const] },
];

/** Opens a WebSocket and resolves with the HTTP status of a refused upgrade, or 101. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => (resolve(res.statusCode ?? 0), ws.terminate()));
    ws.on('open', () => (resolve(101), ws.close()));
    ws.on('error', () => {});
  });
}

describe('dashboard plugin', () => {
  it('serves the page without a token, but data only with the read scope', async () => {
    server = await startServer(fakeWorld(makeCells(10)).sources, {}, tokens);
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('dashboard/app.js');
    expect((await fetch(`${server.url}/dashboard/app.js`)).status).toBe(200);
    expect((await fetch(`${server.url}/dashboard/..%2Fmain.js`)).status).toBe(404);

    expect((await fetch(`${server.url}/api/v1/dashboard/cells`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/v1/dashboard/session`)).status).toBe(401);
    const session = await fetch(`${server.url}/api/v1/dashboard/session`, { headers: { authorization: `Bearer ${READ}` } });
    expect(await session.json()).toMatchObject({ principal: 'wall' });
    expect((await fetch(`${server.url}/api/v1/dashboard/cells`, { headers: { authorization: `Bearer ${INGEST}` } })).status).toBe(403);
    expect((await fetch(`${server.url}/api/v1/dashboard/cells`, { headers: { authorization: `Bearer ${READ}` } })).status).toBe(200);

    expect(await upgradeStatus(server.wsUrl)).toBe(401);
    expect(await upgradeStatus(`${server.wsUrl}?token=wrong-token-0123456789`)).toBe(401);
    expect(await upgradeStatus(`${server.wsUrl}?token=${INGEST}`)).toBe(403);
    expect(await upgradeStatus(`${server.wsUrl}?token=${READ}`)).toBe(101);
    expect(await upgradeStatus(server.wsUrl, { authorization: `Bearer ${READ}` })).toBe(101);
    expect(await upgradeStatus(`ws://127.0.0.1:${server.port}/elsewhere`)).toBe(404);
  });

  it('sends the cell geometry once per inventory version, compact and in the board order', async () => {
    const cells = makeCells(3000);
    const world = fakeWorld(cells);
    server = await startServer(world.sources);
    const res = await fetch(`${server.url}/api/v1/dashboard/cells`);
    const etag = res.headers.get('etag')!;
    const buf = await res.arrayBuffer();
    // Float32 lat/lon + u16 region + ids: well under the JSON of the same cells.
    expect(buf.byteLength).toBeLessThan(JSON.stringify(cells.map((c) => [c.cellId, c.lat, c.lon])).length);
    const geo = decodeGeometry(buf);
    expect(geo.header.count).toBe(3000);
    expect(geo.ids[2999]).toBe('C-2999');
    expect(geo.lat[17]).toBeCloseTo(cells[17]!.lat, 4);
    expect(geo.lon[17]).toBeCloseTo(cells[17]!.lon, 4);
    expect(geo.header.regions.map((r) => r.name).sort()).toEqual(['Changsha', 'Zhuzhou']);
    expect(geo.header.regions.every((r) => r.hull.length >= 3)).toBe(true);
    expect((await fetch(`${server.url}/api/v1/dashboard/cells`, { headers: { 'if-none-match': etag } })).status).toBe(304);

    // New cells: the next flush re-indexes, and the geometry's version changes.
    world.inventory.upsert([{ ...cells[0]!, cellId: 'NEW-1' }]);
    server.hub.flush();
    const again = await fetch(`${server.url}/api/v1/dashboard/cells`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(200);
    expect(decodeGeometry(await again.arrayBuffer()).ids).toContain('NEW-1');
  });

  it('assembles an incident timeline from anomalies, complaints and the ticket', async () => {
    const world = fakeWorld(makeCells(30));
    const inc = incident('INC-9', ['C-1', 'C-2'], { complaintIds: ['K-1'], ticketId: 'TKT-9' });
    world.incidents.set(inc.id, inc);
    world.complaints.set('K-1', { complaint: complaint('K-1', 'C-1', 'vip_gold', T0 + 5 * 60_000), incidentId: 'INC-9' });
    world.tickets.set('TKT-9', ticket('TKT-9', 'INC-9', { sla: { respondBy: T0 + 60_000, onsiteBy: T0 + 2 * 3600_000, resolveBy: T0 + 4 * 3600_000, breached: ['respond'] } }));
    server = await startServer(world.sources);
    const res = await fetch(`${server.url}/api/v1/dashboard/incidents/INC-9/timeline`);
    const body = (await res.json()) as { items: { t: number; kind: string; text: string; alert?: boolean }[] };
    expect(body.items.map((e) => e.kind)).toEqual(['anomaly', 'detected', 'ticket', 'sla', 'complaint', 'sla', 'sla']);
    // The two cells' anomalies began together on the same signal: one line.
    expect(body.items[0]!.text).toBe('availability anomaly at 2 cells: C-1, C-2 — pm, score 9.0');
    expect(body.items.find((e) => e.kind === 'complaint')).toMatchObject({ alert: true });
    expect(body.items.find((e) => e.kind === 'complaint')!.text).toContain('★');
    expect(body.items[3]).toMatchObject({ kind: 'sla', alert: true, text: 'SLA breached: respond' });
    expect((await fetch(`${server.url}/api/v1/dashboard/incidents/NOPE/timeline`)).status).toBe(404);
  });
});

describe('geometry and timeline helpers', () => {
  it('convex hull keeps only the outline', () => {
    const hull = convexHull([[0, 0], [2, 0], [2, 2], [0, 2], [1, 1], [1, 0.5]]);
    expect(hull).toHaveLength(4);
    expect(hull).toContainEqual([2, 2]);
    expect(hull).not.toContainEqual([1, 1]);
  });

  it('timeline is in event-time order and names resolutions', () => {
    const inc = incident('INC-1', ['C-1'], { state: 'resolved', resolvedAt: T0 + 3600_000 });
    inc.anomalies = [{ id: 'a', source: 'pm', objectType: 'cell', objectId: 'C-1', cellId: 'C-1', signal: 'erab_drop_rate', score: 5, startedAt: T0, resolvedAt: T0 + 1800_000 }];
    const items = incidentTimeline(inc, [], undefined);
    expect(items.map((e) => e.kind)).toEqual(['anomaly', 'detected', 'anomaly_resolved', 'resolved']);
    expect(items[0]!.text).toContain('erab drop rate');
    expect(items.map((e) => e.t)).toEqual([...items.map((e) => e.t)].sort((a, b) => a - b));
  });
});
