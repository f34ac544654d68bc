/**
 * A small network and builders for the incident tests. The topology is a brute-force in-test
 * implementation of `Topology`, with a known layout:
 *
 *   region R1: district D1 (transport TR-1: sites S1, S2, S3; transport TR-2: sites S4, S5)
 *              district D2 (transport TR-3: site S6 with one cell; TR-4: sites S7…S9)
 *   every site has 3 cells `<site>-1..3` except S6 (`S6-1`); sites sit ~2 km apart on a line.
 */
import type { Anomaly, AnomalyTransition, AreaClass, Cell, Complaint, ComplaintCategory, CustomerClass } from '../../src/model/index.js';
import { MINUTE } from '../../src/model/index.js';
import type { NearCell, SiteInfo, Topology, TransportInfo } from '../../src/inventory/topology.js';
import { incidentsConfigSchema, type IncidentsConfig } from '../../src/incidents/config.js';
import { triageConfigSchema } from '../../src/triage/config.js';
import { IncidentEngine } from '../../src/incidents/incident-engine.js';

export const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

function km(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(a));
}

export class TinyTopology implements Topology {
  readonly version = 1;
  private readonly cells = new Map<string, Cell>();

  constructor(cells: Cell[]) {
    for (const c of cells) this.cells.set(c.cellId, c);
  }

  get size(): number {
    return this.cells.size;
  }

  cell(id: string): Cell | undefined {
    return this.cells.get(id);
  }

  site(siteId: string): SiteInfo | undefined {
    const cells = [...this.cells.values()].filter((c) => c.siteId === siteId);
    if (cells.length === 0) return undefined;
    const c = cells[0]!;
    return { siteId, transportId: c.transportId, region: c.region, district: c.district, cellIds: cells.map((x) => x.cellId) };
  }

  transport(transportId: string): TransportInfo | undefined {
    const cells = [...this.cells.values()].filter((c) => c.transportId === transportId);
    if (cells.length === 0) return undefined;
    return { transportId, region: cells[0]!.region, siteIds: [...new Set(cells.map((c) => c.siteId))] };
  }

  cellsInDistrict(d: string): string[] {
    return [...this.cells.values()].filter((c) => c.district === d).map((c) => c.cellId);
  }

  cellsInRegion(r: string): string[] {
    return [...this.cells.values()].filter((c) => c.region === r).map((c) => c.cellId);
  }

  regionOfDistrict(d: string): string | undefined {
    return [...this.cells.values()].find((c) => c.district === d)?.region;
  }

  regions(): string[] {
    return [...new Set([...this.cells.values()].map((c) => c.region))];
  }

  districts(): string[] {
    return [...new Set([...this.cells.values()].map((c) => c.district))];
  }

  nearestCells(lat: number, lon: number, k: number, maxKm = Infinity): NearCell[] {
    return [...this.cells.values()]
      .map((c) => ({ cellId: c.cellId, km: km(lat, lon, c.lat, c.lon) }))
      .filter((n) => n.km <= maxKm)
      .sort((a, b) => a.km - b.km)
      .slice(0, k);
  }

  allCells(): Iterable<Cell> {
    return this.cells.values();
  }
}

const LAYOUT: { site: string; transport: string; district: string; cells: number; area: AreaClass }[] = [
  { site: 'S1', transport: 'TR-1', district: 'D1', cells: 3, area: 'residential' },
  { site: 'S2', transport: 'TR-1', district: 'D1', cells: 3, area: 'residential' },
  { site: 'S3', transport: 'TR-1', district: 'D1', cells: 3, area: 'core_business' },
  { site: 'S4', transport: 'TR-2', district: 'D1', cells: 3, area: 'hospital' },
  { site: 'S5', transport: 'TR-2', district: 'D1', cells: 3, area: 'residential' },
  { site: 'S6', transport: 'TR-3', district: 'D2', cells: 1, area: 'rural' },
  { site: 'S7', transport: 'TR-4', district: 'D2', cells: 3, area: 'rural' },
  { site: 'S8', transport: 'TR-4', district: 'D2', cells: 3, area: 'rural' },
  { site: 'S9', transport: 'TR-4', district: 'D2', cells: 3, area: 'campus' },
];

/** Site i sits at (28.0, 112.0 + 0.02·i): about 2 km apart; its cells share the site's position. */
export function siteLatLon(site: string): { lat: number; lon: number } {
  const i = LAYOUT.findIndex((l) => l.site === site);
  return { lat: 28.0, lon: 112.0 + 0.02 * i };
}

export function smallNetwork(): TinyTopology {
  const cells: Cell[] = [];
  for (const l of LAYOUT) {
    const { lat, lon } = siteLatLon(l.site);
    for (let k = 1; k <= l.cells; k++) {
      cells.push({
        cellId: `${l.site}-${k}`, siteId: l.site, transportId: l.transport, region: 'R1', district: l.district,
        lat, lon, technology: 'LTE', areaClass: l.area, subscribers: 500,
      });
    }
  }
  return new TinyTopology(cells);
}

export function engine(config: Record<string, unknown> = {}, triage: Record<string, unknown> = {}, topology: Topology = smallNetwork()) {
  return new IncidentEngine({
    config: incidentsConfigSchema.parse(config) as IncidentsConfig,
    triage: triageConfigSchema.parse(triage),
    topology,
  });
}

let seq = 0;

/** An anomaly about a cell (or another object), firing from `at` minutes after T0. */
const PLAIN_KPIS = new Set(['availability', 'prb_dl_utilization', 'dl_user_throughput_mbps']);

export function anomaly(p: Partial<Anomaly> & { at?: number }): Anomaly {
  const startedAt = p.startedAt ?? T0 + (p.at ?? 0) * MINUTE;
  const objectType = p.objectType ?? 'cell';
  const objectId = p.objectId ?? p.cellId ?? 'S1-1';
  const a: Anomaly = {
    id: p.id ?? `${p.source ?? 'pm'}:${objectId}:${p.signal ?? 'availability'}:${startedAt}:${seq++}`,
    source: p.source ?? 'pm',
    objectType,
    objectId,
    signal: p.signal ?? 'availability',
    hint: p.hint ?? 'outage',
    severity: p.severity ?? 'critical',
    score: p.score ?? 8,
    state: 'firing',
    startedAt,
    firingAt: startedAt,
    updatedAt: startedAt,
    // A PM rate carries its attempts (a plain KPI — throughput, PRB, availability — none).
    evidence: p.evidence ?? ((p.source ?? 'pm') === 'pm' && !PLAIN_KPIS.has(p.signal ?? 'availability') ? { attempts: 500 } : {}),
  };
  if (objectType === 'cell') a.cellId = p.cellId ?? objectId;
  else if (p.cellId !== undefined) a.cellId = p.cellId;
  return a;
}

export function firing(a: Anomaly, at = a.startedAt): AnomalyTransition {
  return { from: 'pending', to: 'firing', at, anomaly: { ...a, state: 'firing', firingAt: at } };
}

export function pending(a: Anomaly, at = a.startedAt): AnomalyTransition {
  return { from: null, to: 'pending', at, anomaly: { ...a, state: 'pending' } };
}

export function resolved(a: Anomaly, at: number): AnomalyTransition {
  return { from: 'resolving', to: 'resolved', at, anomaly: { ...a, state: 'resolved', resolvedAt: at } };
}

export const cellsOf = (site: string, n = 3): string[] => Array.from({ length: n }, (_, i) => `${site}-${i + 1}`);

let cseq = 0;

/** A complaint `at` minutes after T0. */
export function complaint(p: {
  at: number; location: Complaint['location']; category?: ComplaintCategory; cls?: CustomerClass; customer?: string; id?: string;
}): Complaint {
  return {
    complaintId: p.id ?? `C-${cseq++}`,
    channel: 'hotline',
    receivedAt: T0 + p.at * MINUTE,
    customer: { id: p.customer ?? `cust-${cseq}`, class: p.cls ?? 'regular' },
    category: p.category ?? 'no_data',
    location: p.location,
  };
}
