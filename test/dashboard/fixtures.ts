/**
 * Test fixtures for the dashboard: a synthetic inventory, in-memory sources, a real fastify server
 * with the dashboard registered on port 0, and WebSocket clients that run the page's own reducer.
 */
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { TokenAuth } from '../../src/api/auth.js';
import { createServer } from '../../src/api/server.js';
import { dashboardConfigSchema, type DashboardConfig } from '../../src/dashboard/config.js';
import { DashboardHub } from '../../src/dashboard/hub.js';
import { ClientState } from '../../src/dashboard/page/state.js';
import { registerDashboard } from '../../src/dashboard/plugin.js';
import type { IncidentItem, ServerMessage, TicketItem } from '../../src/dashboard/protocol.js';
import type { DashboardSources, ProcessKpiKey, ProcessKpiValue } from '../../src/dashboard/sources.js';
import { Inventory } from '../../src/inventory/inventory.js';
import type { Anomaly, AnomalyTransition, Cell, Complaint, Incident, Ticket } from '../../src/model/index.js';
import type { BatchOutcome } from '../../src/pipeline/stages.js';
import { silentLogger } from '../../src/telemetry/logger.js';

export const T0 = Date.UTC(2026, 10, 23, 2, 0, 0);

/** `n` cells, 3 per site, 10 sites per transport node, spread over two regions. */
export function makeCells(n: number): Cell[] {
  const cells: Cell[] = [];
  for (let i = 0; i < n; i++) {
    const site = Math.floor(i / 3);
    const region = site % 2 === 0 ? 'Changsha' : 'Zhuzhou';
    cells.push({
      cellId: `C-${i}`, siteId: `S-${site}`, transportId: `TR-${Math.floor(site / 10)}`, region,
      district: `${region}-D${site % 5}`, lat: 27.8 + (site % 97) * 0.005 + (region === 'Zhuzhou' ? -0.4 : 0),
      lon: 112.9 + Math.floor(site / 97) * 0.005, technology: 'LTE', areaClass: 'residential', subscribers: 1000,
    });
  }
  return cells;
}

export interface FakeWorld {
  inventory: Inventory;
  incidents: Map<string, Incident>;
  complaints: Map<string, { complaint: Complaint; incidentId: string | null }>;
  tickets: Map<string, Ticket>;
  kpis: Partial<Record<ProcessKpiKey, ProcessKpiValue>>;
  sources: DashboardSources;
}

export function fakeWorld(cells: Cell[]): FakeWorld {
  const inventory = new Inventory(cells);
  const incidents = new Map<string, Incident>();
  const complaints = new Map<string, { complaint: Complaint; incidentId: string | null }>();
  const tickets = new Map<string, Ticket>();
  const kpis: Partial<Record<ProcessKpiKey, ProcessKpiValue>> = {};
  const view = (c: { complaint: Complaint; incidentId: string | null }) => ({ ...c, triage: null });
  const sources: DashboardSources = {
    topology: inventory,
    pipeline: () => ({ pending: 0, queueLimit: 1000, watermark: T0, newestEventTime: T0, feeds: {} }),
    liveIncidents: () => [...incidents.values()].filter((i) => i.state === 'open'),
    incident: (id) => incidents.get(id),
    recentComplaints: (limit) => [...complaints.values()].reverse().slice(0, limit).map(view),
    complaint: (id) => {
      const c = complaints.get(id);
      return c && view(c);
    },
    complaintTimesSince: (since) => [...complaints.values()].map((c) => c.complaint.receivedAt).filter((t) => t >= since).sort((a, b) => a - b),
    complaintsOf: (id, limit) => [...complaints.values()].filter((c) => c.incidentId === id).slice(0, limit).map(view),
    tickets: { live: () => tickets.values(), get: (id) => tickets.get(id), deadLetters: () => 0 },
    processKpis: () => kpis,
  };
  return { inventory, incidents, complaints, tickets, kpis, sources };
}

export function anomaly(cellId: string, extra: Partial<Anomaly> = {}): Anomaly {
  return {
    id: `pm:${cellId}:rrc:${T0}`, source: 'pm', objectType: 'cell', objectId: cellId, cellId, signal: 'rrc_setup_success_rate',
    hint: 'degradation', severity: 'major', score: 6, state: 'firing', startedAt: T0, firingAt: T0, updatedAt: T0, evidence: {}, ...extra,
  };
}

export function firing(a: Anomaly, at = T0): AnomalyTransition {
  return { from: 'pending', to: 'firing', at, anomaly: { ...a, state: 'firing' } };
}

export function resolved(a: Anomaly, at = T0): AnomalyTransition {
  return { from: 'firing', to: 'resolved', at, anomaly: { ...a, state: 'resolved', resolvedAt: at } };
}

export function incident(id: string, cells: string[], extra: Partial<Incident> = {}): Incident {
  return {
    id, state: 'open', severity: 'major', openedAt: T0, detectedAt: T0 + 60_000, resolvedAt: null,
    rootCause: { objectType: 'transport', objectId: 'TR-0', category: 'transport' }, cells, region: 'Changsha',
    anomalies: cells.slice(0, 3).map((c) => ({ id: `a-${c}`, source: 'pm', objectType: 'cell', objectId: c, cellId: c, signal: 'availability', score: 9, startedAt: T0 })),
    complaintIds: [], ticketId: null, triage: { class: 'must_solve', score: 80, reasons: ['300 cells', 'area: hospital'] },
    confidence: 0.9, feeds: ['pm', 'alarms'], reopenCount: 0, version: 1, updatedAt: T0, ...extra,
  };
}

export function ticket(id: string, incidentId: string, extra: Partial<Ticket> = {}): Ticket {
  return {
    id, incidentId, complaintIds: [], department: 'maintenance', class: 'must_solve', state: 'open', proactive: true,
    createdAt: T0 + 60_000, updatedAt: T0 + 60_000,
    sla: { respondBy: T0 + 15 * 60_000, onsiteBy: T0 + 2 * 3600_000, resolveBy: T0 + 4 * 3600_000, breached: [] },
    external: { system: 'webhook', key: null, pushState: 'delivered' }, version: 1, ...extra,
  };
}

export function complaint(id: string, cellId: string, cls: Complaint['customer']['class'] = 'regular', at = T0): Complaint {
  return { complaintId: id, channel: 'hotline', receivedAt: at, customer: { id: `cust-${id}`, class: cls }, category: 'no_data', location: { cellId } };
}

export function outcome(o: Partial<BatchOutcome>): BatchOutcome {
  return { watermark: T0, events: [], transitions: [], incidentChanges: [], ticketChanges: [], complaints: [], ...o };
}

/** A ticket as the page gets it. */
export function ticketView(state: string): TicketItem {
  return {
    id: 'TKT-1', incidentId: 'INC-1', department: 'maintenance', state, class: 'must_solve', proactive: true,
    createdAt: T0, updatedAt: T0, respondBy: T0 + 7_200_000, onsiteBy: T0 + 86_400_000, resolveBy: T0 + 172_800_000,
    breached: [], pushState: 'delivered', deadlines: [],
  };
}

/** An incident as the page gets it. */
export function incidentItem(id: string, extra: Partial<IncidentItem> = {}): IncidentItem {
  return {
    id, state: 'open', severity: 'critical', openedAt: T0, detectedAt: T0, resolvedAt: null, updatedAt: T0,
    rootCause: { objectType: 'site', objectId: 'S-1', category: 'outage' }, region: 'Changsha', district: 'Yuelu',
    cellCount: 3, cellIdx: [0, 1, 2], complaints: 0, vipComplaints: 0, triage: { class: 'must_solve', score: 90, reasons: [] },
    ticket: ticketView('open'), anomalies: 3, confidence: 0.9, confirmed: true, feeds: ['alarms'], reopenCount: 0, ...extra,
  };
}

export interface TestServer {
  hub: DashboardHub;
  url: string;
  wsUrl: string;
  port: number;
  close(): Promise<void>;
}

/** A real fastify server with the dashboard on 127.0.0.1:0. The hub's timers are NOT started: tests flush. */
export async function startServer(sources: DashboardSources, config: Partial<DashboardConfig> = {}, tokens: { name: string; token: string; scopes: ('read' | 'ingest' | 'admin')[] }[] = []): Promise<TestServer> {
  const logger = silentLogger();
  const auth = new TokenAuth({ tokens });
  const server = createServer({ config: { host: '127.0.0.1', port: 0, bodyLimitBytes: 1 << 20, shutdownGraceMs: 1000 }, auth, logger });
  const hub = new DashboardHub({ config: dashboardConfigSchema.parse(config), sources, logger });
  registerDashboard(server, { hub, sources, auth, logger });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const port = (server.server.address() as AddressInfo).port;
  return {
    hub, port, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/ws`,
    close: async () => {
      await server.close();
    },
  };
}

/** A WebSocket client applying every message to the page's reducer. */
export class TestClient {
  readonly state: ClientState;
  readonly messages: ServerMessage[] = [];
  gaps = 0;
  private waiters: (() => void)[] = [];
  ws!: WebSocket;

  /** `state`: what the client held before (a reconnect resumes from it, as the page does). */
  constructor(state?: ClientState) {
    this.state = state ?? new ClientState(1000);
  }

  static async connect(url: string, opts: { headers?: Record<string, string>; state?: ClientState } = {}): Promise<TestClient> {
    const c = new TestClient(opts.state);
    c.ws = new WebSocket(url, { headers: opts.headers, perMessageDeflate: false });
    c.ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as ServerMessage;
      c.messages.push(msg);
      if (c.state.apply(msg).gap) c.gaps++;
      const w = c.waiters;
      c.waiters = [];
      for (const f of w) f();
    });
    await new Promise<void>((resolve, reject) => {
      c.ws.once('open', () => resolve());
      c.ws.once('error', reject);
    });
    return c;
  }

  /** Waits until `pred` holds (checked after each message), or fails after `ms`. */
  async until(pred: (c: TestClient) => boolean, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!pred(this)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`condition not met within ${ms} ms; last messages: ${JSON.stringify(this.messages.slice(-2)).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 50));
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/** The parts of a client's state that must be identical on every client after the same stream. */
export function comparable(s: ClientState) {
  return {
    seq: s.seq,
    status: Buffer.from(s.status).toString('base64'),
    incidents: [...s.incidents.values()].sort((a, b) => a.id.localeCompare(b.id)),
    tickets: s.tickets,
    counters: s.counters,
  };
}
