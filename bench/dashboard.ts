/**
 * `npm run bench:dashboard`: what the dashboard costs at province scale (300,000 cells) — the
 * geometry the page fetches once, a snapshot, and folding + sending a storm of cell changes.
 * Runs the hub in-process with one real WebSocket client on loopback.
 */
import { WebSocket } from 'ws';
import { dashboardConfigSchema } from '../src/dashboard/config.js';
import { DashboardHub } from '../src/dashboard/hub.js';
import { registerDashboard } from '../src/dashboard/plugin.js';
import { createServer } from '../src/api/server.js';
import { TokenAuth } from '../src/api/auth.js';
import { silentLogger } from '../src/telemetry/logger.js';
import { Inventory } from '../src/inventory/inventory.js';
import type { AnomalyTransition } from '../src/model/index.js';
import type { DashboardSources } from '../src/dashboard/sources.js';
import { provinceCells } from '../test/e2e/dashboard-scenario.js';

const N = Number(process.env.CELLS ?? 300_000);
const cells = provinceCells(N);
const inventory = new Inventory(cells);
const sources: DashboardSources = {
  topology: inventory,
  pipeline: () => ({ pending: 0, queueLimit: 1, watermark: 0, newestEventTime: 0, feeds: {} }),
  liveIncidents: () => [], incident: () => undefined, recentComplaints: () => [], complaint: () => undefined, complaintsOf: () => [],
};
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const logger = silentLogger();
const auth = new TokenAuth({ tokens: [] });
const server = createServer({ config: { host: '127.0.0.1', port: 0, bodyLimitBytes: 1 << 20, shutdownGraceMs: 1000 }, auth, logger });
let t = process.hrtime.bigint();
const hub = new DashboardHub({ config: dashboardConfigSchema.parse({}), sources, logger });
console.log(`hub state for ${N.toLocaleString()} cells built in ${ms(t).toFixed(0)} ms`);
registerDashboard(server, { hub, sources, auth, logger });
await server.listen({ host: '127.0.0.1', port: 0 });
const base = `127.0.0.1:${(server.server.address() as { port: number }).port}`;

t = process.hrtime.bigint();
const geo = await (await fetch(`http://${base}/api/v1/dashboard/cells`)).arrayBuffer();
const firstMs = ms(t);
t = process.hrtime.bigint();
await (await fetch(`http://${base}/api/v1/dashboard/cells`)).arrayBuffer();
const againMs = ms(t);
const asJson = JSON.stringify(cells.map((c) => ({ id: c.cellId, lat: c.lat, lon: c.lon }))).length;
console.log(`geometry: ${(geo.byteLength / 1e6).toFixed(1)} MB binary (the same as JSON objects: ${(asJson / 1e6).toFixed(1)} MB); first request (encodes) ${firstMs.toFixed(0)} ms, cached ${againMs.toFixed(0)} ms`);

const received: { at: bigint; bytes: number }[] = [];
const ws = new WebSocket(`ws://${base}/ws`);
ws.on('message', (d: Buffer) => received.push({ at: process.hrtime.bigint(), bytes: d.length }));
await new Promise((r) => ws.once('open', r));
while (received.length < 1) await new Promise((r) => setTimeout(r, 5));
console.log(`snapshot (all normal): ${received[0]!.bytes} bytes`);

for (const storm of [1_000, 10_000, 100_000]) {
  const transitions: AnomalyTransition[] = cells.slice(0, storm).map((c) => ({
    from: 'pending', to: 'firing', at: 0,
    anomaly: { id: `a-${c.cellId}`, source: 'pm', objectType: 'cell', objectId: c.cellId, cellId: c.cellId, signal: 'availability', hint: 'outage', severity: 'critical', score: 9, state: 'firing', startedAt: 0, updatedAt: 0, evidence: {} },
  }));
  const before = received.length;
  t = process.hrtime.bigint();
  // The storm arrives in batches of 5,000 (the pipeline's batch size); one flush sends it.
  for (let i = 0; i < transitions.length; i += 5000) hub.onBatch({ watermark: 0, events: [], transitions: transitions.slice(i, i + 5000), incidentChanges: [], ticketChanges: [], complaints: [] });
  const fold = ms(t);
  const t1 = process.hrtime.bigint();
  hub.flush();
  const flush = ms(t1);
  while (received.length === before) await new Promise((r) => setImmediate(r));
  console.log(`storm of ${storm.toLocaleString()} cell changes: folded in ${fold.toFixed(1)} ms, one delta of ${(received[before]!.bytes / 1e3).toFixed(0)} kB built+sent in ${flush.toFixed(1)} ms, at the client ${(Number(received[before]!.at - t1) / 1e6).toFixed(1)} ms after the flush`);
  // Clear them again for the next round.
  hub.onBatch({ watermark: 0, events: [], transitions: transitions.map((x) => ({ ...x, from: 'firing', to: 'resolved' })), incidentChanges: [], ticketChanges: [], complaints: [] });
  hub.flush();
  await new Promise((r) => setTimeout(r, 50));
}
ws.close();
await server.close();
