/**
 * A synthetic NOC situation for looking at the dashboard at full scale without the rest of the
 * daemon: a province of up to 300,000 cells, a transport outage, a site outage, congestion, a
 * complaint cluster, tickets in every state, KPI trends and feed health — served by the real
 * dashboard plugin and hub. Used by the 300k-cell browser test and for screenshots
 * (`npx tsx test/e2e/dashboard-scenario.ts [cells] [port]` serves it until Ctrl-C).
 */
import type { AddressInfo } from 'node:net';
import { TokenAuth } from '../../src/api/auth.js';
import { registerCellRoutes } from '../../src/api/routes/cells.js';
import { createServer } from '../../src/api/server.js';
import { dashboardConfigSchema } from '../../src/dashboard/config.js';
import { DashboardHub } from '../../src/dashboard/hub.js';
import { registerDashboard } from '../../src/dashboard/plugin.js';
import type { DashboardSources, ProcessKpiKey } from '../../src/dashboard/sources.js';
import { Inventory } from '../../src/inventory/inventory.js';
import type { Anomaly, Cell, Complaint, Incident, Ticket } from '../../src/model/index.js';
import type { FeedStatus } from '../../src/pipeline/feed-stats.js';
import type { CellDetail, CellStatus } from '../../src/pipeline/stages.js';
import { generateNetwork } from '../../src/simulator/inventory-generator.js';
import { silentLogger } from '../../src/telemetry/logger.js';
import { uniforms } from '../../src/simulator/prng.js';

/** The simulator's province (deterministic by seed): cells around Hunan's 14 cities. */
export function provinceCells(n: number, seed = 7): Cell[] {
  return generateNetwork({ cells: n, seed }).cells;
}


const MIN = 60_000;
const HOUR = 60 * MIN;

export interface Scenario {
  url: string;
  hub: DashboardHub;
  inventory: Inventory;
  close(): Promise<void>;
}

export async function startScenario(opts: { cells?: number; port?: number; flushIntervalMs?: number } = {}): Promise<Scenario> {
  const cells = provinceCells(opts.cells ?? 300_000);
  const inventory = new Inventory(cells);
  const r = uniforms(11);
  const wall = Date.now();
  const now = wall - 2 * MIN;
  const byTransport = new Map<string, string[]>();
  for (const c of cells) (byTransport.get(c.transportId) ?? byTransport.set(c.transportId, []).get(c.transportId)!).push(c.cellId);
  // The transport outage: the Changsha transport node with the most cells behind it.
  const changsha = new Set(cells.filter((c) => c.region === 'Changsha').map((c) => c.transportId));
  const bigTransport = [...byTransport.entries()].filter(([t]) => changsha.has(t)).sort((a, b) => b[1].length - a[1].length)[0]!;

  const anomalous = new Set<string>();
  for (let i = 0; i < 400; i++) anomalous.add(cells[Math.floor(r() * cells.length)]!.cellId);
  const incidents = new Map<string, Incident>();
  const tickets = new Map<string, Ticket>();
  const complaints: { complaint: Complaint; incidentId: string | null }[] = [];
  const mkIncident = (id: string, cellIds: string[], p: Partial<Incident>): Incident => ({
    id, state: 'open', severity: 'major', openedAt: now - 40 * MIN, detectedAt: now - 36 * MIN, resolvedAt: null,
    rootCause: { objectType: 'site', objectId: 'SITE-1', category: 'outage' }, cells: cellIds, region: inventory.cell(cellIds[0]!)!.region,
    district: inventory.cell(cellIds[0]!)!.district,
    anomalies: cellIds.slice(0, 8).map((c, k) => ({ id: `a-${id}-${k}`, source: k % 2 ? 'alarm' : 'pm', objectType: 'cell', objectId: c, cellId: c, signal: k % 2 ? 'cell_unavailable' : 'availability', score: 8 - k * 0.3, startedAt: now - (40 - k) * MIN })),
    complaintIds: [], ticketId: null, triage: { class: 'routine', score: 50, reasons: [] }, confidence: 0.8, feeds: ['pm', 'alarms'],
    reopenCount: 0, version: 3, updatedAt: now - 5 * MIN, ...p,
  });
  const mkTicket = (id: string, inc: Incident, p: Partial<Ticket>): Ticket => ({
    id, incidentId: inc.id, complaintIds: [], department: 'maintenance', class: inc.triage.class, state: 'open', proactive: true,
    createdAt: inc.detectedAt + MIN, updatedAt: now - 3 * MIN,
    sla: { respondBy: inc.detectedAt + 15 * MIN, onsiteBy: inc.detectedAt + 2 * HOUR, resolveBy: inc.detectedAt + 4 * HOUR, breached: [] },
    external: { system: 'webhook', key: `EXT-${id.slice(4)}`, pushState: 'delivered' }, version: 2, ...p,
  });
  const pickCells = (region: string, n: number) => cells.filter((c) => c.region === region).slice(0, n).map((c) => c.cellId);

  const inc1 = mkIncident('INC-20261123-0007', bigTransport[1], {
    severity: 'critical', rootCause: { objectType: 'transport', objectId: bigTransport[0], category: 'transport', reasoning: ['all sites behind the node lost availability within 2 min', 'transport alarm LOS on the node'] },
    triage: { class: 'must_solve', score: 91, reasons: ['3 VIP complainants', `${bigTransport[1].length} cells, 41k subscribers`, 'area: core business'] }, ticketId: 'TKT-0007',
  });
  const inc2 = mkIncident('INC-20261123-0011', pickCells('Hengyang', 3), {
    rootCause: { objectType: 'site', objectId: 'SITE-HE-1', category: 'outage' }, detectedAt: now - 12 * MIN, openedAt: now - 15 * MIN,
    triage: { class: 'routine', score: 58, reasons: ['hospital nearby', 'no complaints yet'] }, ticketId: 'TKT-0011',
  });
  const inc3 = mkIncident('INC-20261123-0004', pickCells('Yueyang', 40), {
    severity: 'minor', rootCause: { objectType: 'district', objectId: 'Yueyang-Core', category: 'congestion' }, openedAt: now - 3 * HOUR, detectedAt: now - 170 * MIN,
    triage: { class: 'defer', score: 31, reasons: ['evening peak only', 'optimise before you build'] }, ticketId: 'TKT-0004',
  });
  const inc4 = mkIncident('INC-20261123-0012', pickCells('Changde', 12), {
    rootCause: { objectType: 'cell', objectId: pickCells('Changde', 1)[0]!, category: 'degradation' }, detectedAt: now - 4 * MIN, openedAt: now - 9 * MIN,
    triage: { class: 'routine', score: 47, reasons: ['erab drop rate 4× baseline'] },
  });
  const inc5 = mkIncident('INC-20261123-0002', pickCells('Chenzhou', 6), {
    severity: 'warning', rootCause: { objectType: 'district', objectId: 'Chenzhou-Rural', category: 'coverage' }, openedAt: now - 9 * HOUR, detectedAt: now - 8 * HOUR,
    triage: { class: 'routine', score: 44, reasons: ['repeat complaints from 4 customers', 'competitor covers the area'] }, ticketId: 'TKT-0002',
  });
  for (const i of [inc1, inc2, inc3, inc4, inc5]) incidents.set(i.id, i);
  tickets.set('TKT-0007', mkTicket('TKT-0007', inc1, { state: 'in_progress', sla: { respondBy: inc1.detectedAt + 15 * MIN, onsiteBy: inc1.detectedAt + HOUR, resolveBy: inc1.detectedAt + 2 * HOUR, breached: [] } }));
  tickets.set('TKT-0011', mkTicket('TKT-0011', inc2, {}));
  tickets.set('TKT-0004', mkTicket('TKT-0004', inc3, { department: 'optimization', state: 'acknowledged', sla: { respondBy: inc3.detectedAt + 30 * MIN, onsiteBy: inc3.detectedAt + HOUR, resolveBy: inc3.detectedAt + 2 * HOUR, breached: ['onsite', 'resolve'] } }));
  tickets.set('TKT-0002', mkTicket('TKT-0002', inc5, { department: 'construction', proactive: false, external: { system: 'servicenow', key: null, pushState: 'dead_letter' } }));
  const states: Ticket['state'][] = ['open', 'acknowledged', 'in_progress', 'resolved', 'verified', 'closed', 'closed', 'closed', 'verified', 'in_progress'];
  const depts: Ticket['department'][] = ['maintenance', 'maintenance', 'optimization', 'construction'];
  for (let k = 0; k < 36; k++) {
    const fake = mkIncident(`INC-OLD-${k}`, [cells[(k * 97) % cells.length]!.cellId], { state: 'resolved' });
    tickets.set(`TKT-1${String(k).padStart(3, '0')}`, mkTicket(`TKT-1${String(k).padStart(3, '0')}`, fake, { state: states[k % states.length]!, department: depts[k % 4]!, updatedAt: now - k * 7 * MIN }));
  }
  const channels: Complaint['channel'][] = ['hotline', 'app', 'retail', 'online', 'hotline', 'enterprise_manager', 'quality_supervisor', 'staff'];
  const classes: Complaint['customer']['class'][] = ['regular', 'regular', 'vip_gold', 'regular', 'enterprise', 'vip_diamond', 'regular', 'vip_silver'];
  const cats: Complaint['category'][] = ['no_data', 'call_drop', 'slow_data', 'no_coverage', 'weak_signal', 'call_failure', 'voice_quality'];
  for (let k = 0; k < 90; k++) {
    const linked = k % 3 !== 2 ? (k % 5 === 0 ? inc2 : inc1) : null;
    const cellId = linked ? linked.cells[k % linked.cells.length]! : cells[Math.floor(r() * cells.length)]!.cellId;
    const c: Complaint = {
      complaintId: `C-20261123-${String(800 + k).padStart(6, '0')}`, channel: channels[k % channels.length]!, receivedAt: now - (90 - k) * 2 * MIN,
      customer: { id: `h${k}`, class: classes[k % classes.length]! }, category: cats[k % cats.length]!, location: k % 7 === 3 ? { district: 'Changsha-Core' } : { cellId },
    };
    complaints.push({ complaint: c, incidentId: linked?.id ?? null });
    if (linked) linked.complaintIds.push(c.complaintId);
  }
  const kpiBase: Record<ProcessKpiKey, [number, number]> = {
    proactiveRatio: [71, 4], timeToDetectMin: [6.5, 1.5], timeToResolveMin: [142, 25], slaAttainment: [93, 2],
    verificationPassRate: [88, 3], repeatComplaintRate: [4.2, 0.8], callbackSatisfaction: [86, 3],
  };
  let tick = 0;
  const feedsAt = (): Record<string, FeedStatus> => {
    const t = Date.now();
    const f = (rate: number, acc: number, rej: number, silentS: number, lagS: number): FeedStatus => ({
      accepted: acc + tick * Math.round(rate), rejected: rej, duplicates: 0, unknownObjects: 0, ratePerS: rate,
      lastSeenAt: new Date(t - silentS * 1000).toISOString(), lastEventTime: new Date(now - lagS * 1000).toISOString(),
    });
    return { pm: f(333.3, 28_800_000, 41, 1, 0), alarms: f(2.4, 190_233, 3, 2, 4), dialtest: f(0.8, 61_200, 0, 4, 30), signaling: f(0, 6_221_000, 2_210, 460, 480), complaints: f(0.05, 4_210, 12, 35, 60) };
  };
  const cellStatus = (id: string): CellStatus => (anomalous.has(id) ? 'anomalous' : 'normal');
  const active = function* (): Iterable<Anomaly> {
    for (const id of anomalous) {
      yield { id: `a-${id}`, source: 'pm', objectType: 'cell', objectId: id, cellId: id, signal: 'erab_drop_rate', hint: 'degradation', severity: 'minor', score: 4.1, state: 'firing', startedAt: now - 30 * MIN, updatedAt: now, evidence: {} };
    }
  };
  const sources: DashboardSources = {
    topology: inventory,
    pipeline: () => ({ pending: 1_840 + (tick % 7) * 300, queueLimit: 500_000, watermark: now + (tick - 60) * MIN, newestEventTime: now + (tick - 60) * MIN + 600_000, feeds: feedsAt() }),
    detectors: { active, cellStatus },
    liveIncidents: () => [...incidents.values()],
    incident: (id) => incidents.get(id),
    recentComplaints: (limit) => complaints.slice().reverse().slice(0, limit).map((c) => ({ ...c, triage: null })),
    complaint: (id) => {
      const c = complaints.find((x) => x.complaint.complaintId === id);
      return c && { ...c, triage: null };
    },
    complaintsOf: (id, limit) => complaints.filter((c) => c.incidentId === id).slice(0, limit).map((c) => ({ ...c, triage: null })),
    tickets: { live: () => tickets.values(), get: (id) => tickets.get(id), deadLetters: () => 1 },
    processKpis: () => Object.fromEntries(Object.entries(kpiBase).map(([k, [b, amp]]) => [k, { value: Math.round((b + amp * Math.sin(tick / 6 + b)) * 10) / 10, note: k === 'proactiveRatio' ? '38 of 53 tickets' : k === 'slaAttainment' ? 'target 95%' : undefined }])),
  };
  const detail = (id: string): CellDetail => {
    const t: number[] = [], value: number[] = [], expected: (number | null)[] = [], lower: (number | null)[] = [], upper: (number | null)[] = [];
    for (let k = 0; k < 96; k++) {
      const ts = now - (95 - k) * 15 * MIN;
      const hour = new Date(ts).getHours();
      const e = 98.8 - 0.8 * Math.sin((hour / 24) * 2 * Math.PI);
      t.push(ts), expected.push(e), lower.push(e - 1.2), upper.push(Math.min(100, e + 0.8));
      value.push(k > 86 ? e - 4 - (k - 86) * 0.6 : e + (r() - 0.5) * 0.9);
    }
    const a: Anomaly = { id: `a-${id}`, source: 'pm', objectType: 'cell', objectId: id, cellId: id, signal: 'rrc_setup_success_rate', hint: 'degradation', severity: 'major', score: 6.3, state: 'firing', startedAt: t[87]!, firingAt: t[88]!, updatedAt: now, evidence: {} };
    return { status: 'anomalous', anomalies: [a], kpis: { rrc_setup_success_rate: { t, value, expected, lower, upper }, erab_drop_rate: { t, value: value.map((v) => 100 - v), expected: expected.map((v) => 100 - v!), lower: upper.map((v) => 100 - v!), upper: lower.map((v) => 100 - v!) } } };
  };

  const logger = silentLogger();
  const auth = new TokenAuth({ tokens: [] });
  const server = createServer({ config: { host: '127.0.0.1', port: opts.port ?? 0, bodyLimitBytes: 1 << 20, shutdownGraceMs: 1000 }, auth, logger });
  const hub = new DashboardHub({ config: dashboardConfigSchema.parse({ flushIntervalMs: opts.flushIntervalMs ?? 500, kpiIntervalMs: 1000, kpiTrendStepS: 60 }), sources, logger });
  registerDashboard(server, { hub, sources, auth, logger });
  registerCellRoutes(server, { topology: inventory, detectors: { cellDetail: detail } as never });
  // Event time moves a minute per second; a few cells flip each second so the wall is alive.
  const step = () => {
    tick++;
    const flips: Anomaly[] = [];
    for (let k = 0; k < 5; k++) {
      const id = cells[Math.floor(r() * cells.length)]!.cellId;
      if (anomalous.has(id)) anomalous.delete(id);
      else anomalous.add(id);
      flips.push({ id: `a-${id}`, source: 'pm', objectType: 'cell', objectId: id, cellId: id, signal: 'erab_drop_rate', hint: 'degradation', severity: 'minor', score: 4, state: 'firing', startedAt: now, updatedAt: now, evidence: {} });
    }
    hub.onBatch({ watermark: now + (tick - 60) * MIN, events: [], transitions: flips.map((a) => ({ from: 'pending', to: 'firing', at: now, anomaly: a })), incidentChanges: [], ticketChanges: [], complaints: [] });
  };
  // KPI history before the page connects.
  while (tick < 60) (step(), hub['state'].sampleKpis());
  hub.start();
  const timer = setInterval(step, 1000);
  timer.unref();
  await server.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  const port = (server.server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, hub, inventory, close: async () => (clearInterval(timer), await server.close()) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await startScenario({ cells: Number(process.argv[2] ?? 300_000), port: Number(process.argv[3] ?? 8099) });
  console.log(`dashboard scenario on ${s.url}`);
}
