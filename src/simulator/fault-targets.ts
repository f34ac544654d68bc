/**
 * Turns "a site outage at SITE-CS-0012" or "an interference somewhere in Yuelu" into a concrete
 * fault: the cells it touches, its root object (what a correct incident names as the cause) and the
 * department that should fix it. Scenario files and the random fault generator both go through here.
 */
import type { AreaClass } from '../model/index.js';
import { FAULT_DEPARTMENT, type Fault, type FaultKind, type FaultRoot } from './faults.js';
import { nearestCellIndices, offsetKm, type NetworkLookup, type SimNetwork } from './network.js';
import type { Rng } from './prng.js';

/** Where a fault strikes. Ids pin it; filters (region, district, areaClass) narrow a random pick. */
export interface FaultTarget {
  cell?: string;
  cells?: string[];
  site?: string;
  transport?: string;
  region?: string;
  district?: string;
  lat?: number;
  lon?: number;
  areaClass?: AreaClass;
}

/** Which target keys each kind takes (filters are always allowed). */
export const TARGET_KEYS: Record<FaultKind, readonly (keyof FaultTarget)[]> = {
  cell_outage: ['cell'],
  site_outage: ['site'],
  transport_outage: ['transport'],
  interference: ['cell', 'cells', 'site'],
  congestion: ['cell', 'cells', 'site'],
  core_signaling_failure: [],
  dialtest_degradation: ['cell', 'site'],
  coverage_hole: ['lat', 'lon'],
};
export const FILTER_KEYS = ['region', 'district', 'areaClass'] as const;

/** A target that names something the inventory does not have. `field` is the target key at fault. */
export class TargetError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

export interface FaultSpec {
  id: string;
  kind: FaultKind;
  start: number;
  end: number;
  severity: number;
  source: Fault['source'];
}

export interface TargetContext {
  net: SimNetwork;
  lookup: NetworkLookup;
  rng: Rng;
  /** Cells with a dial-test probe: a dial-test-only fault picked at random goes to one of them. */
  probeCells: readonly number[];
}

const BUSY_AREAS = new Set<AreaClass>(['core_business', 'transport_hub', 'campus', 'residential', 'hospital']);

function cellIdx(ctx: TargetContext, id: string, field: string): number {
  const i = ctx.net.cellIndex.get(id);
  if (i === undefined) throw new TargetError(field, `no cell ${JSON.stringify(id)} in the inventory`);
  return i;
}

/** Cells matching the filters (region, district, area class); all cells when there are none. */
function candidateCells(ctx: TargetContext, t: FaultTarget): number[] {
  const { net, lookup } = ctx;
  if (t.region !== undefined && !lookup.region.has(t.region)) throw new TargetError('region', `no region ${JSON.stringify(t.region)} in the inventory`);
  if (t.district !== undefined && !lookup.district.has(t.district)) throw new TargetError('district', `no district ${JSON.stringify(t.district)} in the inventory`);
  const out: number[] = [];
  for (let i = 0; i < net.cells.length; i++) {
    const c = net.cells[i];
    if (t.region !== undefined && c.region !== t.region) continue;
    if (t.district !== undefined && c.district !== t.district) continue;
    if (t.areaClass !== undefined && c.areaClass !== t.areaClass) continue;
    out.push(i);
  }
  if (out.length === 0) throw new TargetError('areaClass', 'no cell matches the target filters');
  return out;
}

function siteOf(ctx: TargetContext, t: FaultTarget): number {
  if (t.site !== undefined) {
    const s = ctx.lookup.site.get(t.site);
    if (s === undefined) throw new TargetError('site', `no site ${JSON.stringify(t.site)} in the inventory`);
    return s;
  }
  return ctx.net.cellSite[ctx.rng.pick(candidateCells(ctx, t))];
}

function regionRoot(ctx: TargetContext, cells: readonly number[]): { region: string; district: string } {
  const c = ctx.net.cells[cells[0]];
  return { region: c.region, district: c.district };
}

/** Builds a fault; throws TargetError when the target names something unknown. */
export function buildFault(spec: FaultSpec, target: FaultTarget, ctx: TargetContext): Fault {
  const { net, rng } = ctx;
  let cells: number[];
  let root: FaultRoot;
  let alsoAccept: FaultRoot[] = [];
  let point: Fault['point'];
  switch (spec.kind) {
    case 'cell_outage': {
      const ci = t(target.cell) ? cellIdx(ctx, target.cell as string, 'cell') : rng.pick(candidateCells(ctx, target));
      cells = [ci];
      root = { type: 'cell', id: net.cells[ci].cellId };
      break;
    }
    case 'site_outage': {
      const si = siteOf(ctx, target);
      cells = [...net.sites[si].cells];
      root = { type: 'site', id: net.sites[si].siteId };
      break;
    }
    case 'transport_outage': {
      let ti: number;
      if (t(target.transport)) {
        const x = ctx.lookup.transport.get(target.transport as string);
        if (x === undefined) throw new TargetError('transport', `no transport node ${JSON.stringify(target.transport)} in the inventory`);
        ti = x;
      } else ti = net.sites[net.cellSite[rng.pick(candidateCells(ctx, target))]].transport;
      cells = net.transports[ti].sites.flatMap((si) => net.sites[si].cells);
      root = { type: 'transport', id: net.transports[ti].transportId };
      break;
    }
    case 'interference':
    case 'congestion': {
      if (target.cells && target.cells.length > 0) cells = target.cells.map((id, k) => cellIdx(ctx, id, `cells[${k}]`));
      else if (t(target.cell)) cells = [cellIdx(ctx, target.cell as string, 'cell')];
      else if (t(target.site)) cells = [...net.sites[siteOf(ctx, target)].cells];
      else {
        let pool = candidateCells(ctx, target);
        if (spec.kind === 'congestion' && target.areaClass === undefined) {
          const busy = pool.filter((i) => BUSY_AREAS.has(net.cells[i].areaClass));
          if (busy.length > 0) pool = busy;
        }
        cells = [rng.pick(pool)];
      }
      const sites = new Set(cells.map((ci) => net.cellSite[ci]));
      if (cells.length === 1) root = { type: 'cell', id: net.cells[cells[0]].cellId };
      else {
        root = { type: 'site', id: net.sites[net.cellSite[cells[0]]].siteId };
        alsoAccept = cells.map((ci) => ({ type: 'cell', id: net.cells[ci].cellId }));
        if (sites.size > 1) alsoAccept.push({ type: 'district', id: net.cells[cells[0]].district });
      }
      break;
    }
    case 'core_signaling_failure': {
      const region = target.region ?? net.cells[rng.pick(candidateCells(ctx, target))].region;
      const r = ctx.lookup.region.get(region);
      if (r === undefined) throw new TargetError('region', `no region ${JSON.stringify(region)} in the inventory`);
      cells = [];
      for (let i = 0; i < net.cells.length; i++) if (net.cellRegion[i] === r) cells.push(i);
      const core = net.regions[r].coreElements;
      root = { type: 'core', id: core.mme };
      alsoAccept = [{ type: 'core', id: core.amf }, { type: 'region', id: region }];
      break;
    }
    case 'dialtest_degradation': {
      let ci: number;
      if (t(target.cell)) ci = cellIdx(ctx, target.cell as string, 'cell');
      else if (t(target.site)) ci = net.sites[siteOf(ctx, target)].cells[0];
      else {
        const pool = candidateCells(ctx, target);
        const inPool = new Set(pool);
        const probed = ctx.probeCells.filter((i) => inPool.has(i));
        ci = rng.pick(probed.length > 0 ? probed : pool);
      }
      cells = [ci];
      root = { type: 'cell', id: net.cells[ci].cellId };
      break;
    }
    case 'coverage_hole': {
      let pool: number[];
      if (target.lat !== undefined && target.lon !== undefined) {
        point = { lat: target.lat, lon: target.lon };
        pool = target.district !== undefined || target.region !== undefined ? candidateCells(ctx, target) : net.cells.map((_, i) => i);
      } else {
        // Between sites at the edge of a settlement: 1.2–2 km from an existing site.
        pool = candidateCells(ctx, target);
        const anchor = net.cells[rng.pick(pool)];
        const km = rng.uniform(1.2, 2);
        const ang = rng.uniform(0, 2 * Math.PI);
        const p = offsetKm(anchor.lat, anchor.lon, km * Math.cos(ang), km * Math.sin(ang));
        point = { lat: Math.round(p.lat * 1e5) / 1e5, lon: Math.round(p.lon * 1e5) / 1e5 };
      }
      cells = nearestCellIndices(net, point.lat, point.lon, 3, pool);
      const district = net.cells[cells[0]].district;
      root = { type: 'district', id: district };
      alsoAccept = cells.map((ci) => ({ type: 'cell', id: net.cells[ci].cellId }));
      break;
    }
  }
  const where = regionRoot(ctx, cells);
  return {
    id: spec.id, kind: spec.kind, start: spec.start, end: spec.end, severity: spec.severity,
    root, alsoAccept, cells, region: where.region, district: spec.kind === 'core_signaling_failure' ? undefined : where.district,
    point, department: FAULT_DEPARTMENT[spec.kind], source: spec.source,
  };
}

function t(v: string | undefined): boolean {
  return v !== undefined && v !== '';
}
