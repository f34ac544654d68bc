/**
 * The network anomalies currently active (firing or resolving), indexed the ways grouping asks:
 * by cell, by site or transport object, and by region and signaling procedure for the core check.
 */
import type { Anomaly } from '../model/index.js';
import type { Topology } from '../inventory/topology.js';
import type { ActiveAnomalies } from './grouping.js';

function put(map: Map<string, Map<string, Anomaly>>, key: string, a: Anomaly): void {
  let m = map.get(key);
  if (!m) map.set(key, (m = new Map()));
  m.set(a.id, a);
}

function take(map: Map<string, Map<string, Anomaly>>, key: string, id: string): void {
  const m = map.get(key);
  if (!m) return;
  m.delete(id);
  if (m.size === 0) map.delete(key);
}

const NONE: Iterable<Anomaly> = [];

export class ActiveAnomalyIndex implements ActiveAnomalies {
  private readonly byCell = new Map<string, Map<string, Anomaly>>();
  private readonly byObject = new Map<string, Map<string, Anomaly>>();
  private readonly byProcedure = new Map<string, Map<string, Anomaly>>();
  /** Cells with at least one active anomaly, counted per `site:<id>` and `transport:<id>`. */
  private readonly activeCells = new Map<string, number>();

  constructor(private readonly topo: Topology) {}

  atCell(cellId: string): Iterable<Anomaly> {
    return this.byCell.get(cellId)?.values() ?? NONE;
  }

  atObject(type: 'site' | 'transport', id: string): Iterable<Anomaly> {
    return this.byObject.get(`${type}:${id}`)?.values() ?? NONE;
  }

  /** Active signaling anomalies of one procedure in one region. */
  signaling(region: string, procedure: string): Iterable<Anomaly> {
    return this.byProcedure.get(`${region}\u0000${procedure}`)?.values() ?? NONE;
  }

  /**
   * How many cells of a site or behind a transport node have any active anomaly: an upper bound on
   * the evidence there, so grouping skips the objects where it cannot possibly find enough.
   */
  cellsActiveUnder(type: 'site' | 'transport', id: string): number {
    return this.activeCells.get(`${type}:${id}`) ?? 0;
  }

  /** Adds (or replaces) an active anomaly. Complaint spikes are not network evidence and stay out. */
  add(a: Anomaly): void {
    if (a.source === 'complaints') return;
    const firstAtCell = a.cellId !== undefined && !this.byCell.get(a.cellId)?.size;
    for (const [map, key] of this.keys(a)) put(map, key, a);
    if (firstAtCell) this.countCell(a.cellId!, 1);
  }

  remove(a: Anomaly): void {
    const wasAtCell = a.cellId !== undefined && this.byCell.get(a.cellId)?.has(a.id) === true;
    for (const [map, key] of this.keys(a)) take(map, key, a.id);
    if (wasAtCell && !this.byCell.has(a.cellId!)) this.countCell(a.cellId!, -1);
  }

  private countCell(cellId: string, delta: number): void {
    const cell = this.topo.cell(cellId);
    if (!cell) return;
    for (const key of [`site:${cell.siteId}`, `transport:${cell.transportId}`]) {
      const n = (this.activeCells.get(key) ?? 0) + delta;
      if (n <= 0) this.activeCells.delete(key);
      else this.activeCells.set(key, n);
    }
  }

  private keys(a: Anomaly): [Map<string, Map<string, Anomaly>>, string][] {
    const out: [Map<string, Map<string, Anomaly>>, string][] = [];
    if (a.cellId !== undefined) out.push([this.byCell, a.cellId]);
    if (a.objectType === 'site' || a.objectType === 'transport') out.push([this.byObject, `${a.objectType}:${a.objectId}`]);
    if (a.source === 'signaling' && a.cellId !== undefined) {
      const region = this.topo.cell(a.cellId)?.region;
      if (region !== undefined) out.push([this.byProcedure, `${region}\u0000${a.signal}`]);
    }
    return out;
  }
}
