/**
 * The in-memory inventory: cells with their site, transport node, district and region, and a
 * spatial index for nearest-cell lookups. Implements Topology. Upserts are cheap; the spatial index
 * is rebuilt lazily on the first geographic query after a change.
 */
import type { Cell } from '../model/index.js';
import { GeoIndex } from './geo-index.js';
import type { NearCell, SiteInfo, Topology, TransportInfo } from './topology.js';

interface MutableSite { siteId: string; transportId: string; region: string; district: string; cellIds: string[] }
interface MutableTransport { transportId: string; region: string; siteIds: string[] }

function removeFrom(list: string[] | undefined, id: string): void {
  if (!list) return;
  const i = list.indexOf(id);
  if (i >= 0) list.splice(i, 1);
}

function addTo(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}

export class Inventory implements Topology {
  private readonly cells = new Map<string, Cell>();
  private readonly sites = new Map<string, MutableSite>();
  private readonly transports = new Map<string, MutableTransport>();
  private readonly byDistrict = new Map<string, string[]>();
  private readonly byRegion = new Map<string, string[]>();
  private readonly districtRegion = new Map<string, string>();
  private geo: { index: GeoIndex; ids: string[] } | null = null;
  private _version = 0;

  constructor(cells: Iterable<Cell> = []) {
    this.upsert(cells);
  }

  get size(): number {
    return this.cells.size;
  }

  get version(): number {
    return this._version;
  }

  /** Adds or replaces cells. Returns how many were new. */
  upsert(cells: Iterable<Cell>): number {
    let added = 0;
    for (const c of cells) {
      const old = this.cells.get(c.cellId);
      if (old) this.detach(old);
      else added++;
      this.cells.set(c.cellId, { ...c });
      this.attach(c);
    }
    this.geo = null;
    this._version++;
    return added;
  }

  private attach(c: Cell): void {
    let site = this.sites.get(c.siteId);
    if (!site) {
      site = { siteId: c.siteId, transportId: c.transportId, region: c.region, district: c.district, cellIds: [] };
      this.sites.set(c.siteId, site);
    }
    // The latest cell decides the site's parents: a re-homed site moves with its cells.
    if (site.transportId !== c.transportId) {
      removeFrom(this.transports.get(site.transportId)?.siteIds, site.siteId);
      site.transportId = c.transportId;
    }
    Object.assign(site, { region: c.region, district: c.district });
    site.cellIds.push(c.cellId);
    let tr = this.transports.get(c.transportId);
    if (!tr) {
      tr = { transportId: c.transportId, region: c.region, siteIds: [] };
      this.transports.set(c.transportId, tr);
    }
    if (!tr.siteIds.includes(c.siteId)) tr.siteIds.push(c.siteId);
    addTo(this.byDistrict, c.district, c.cellId);
    addTo(this.byRegion, c.region, c.cellId);
    if (!this.districtRegion.has(c.district)) this.districtRegion.set(c.district, c.region);
  }

  private detach(c: Cell): void {
    const site = this.sites.get(c.siteId);
    removeFrom(site?.cellIds, c.cellId);
    if (site && site.cellIds.length === 0) {
      this.sites.delete(c.siteId);
      removeFrom(this.transports.get(site.transportId)?.siteIds, site.siteId);
    }
    removeFrom(this.byDistrict.get(c.district), c.cellId);
    removeFrom(this.byRegion.get(c.region), c.cellId);
  }

  cell(cellId: string): Cell | undefined {
    return this.cells.get(cellId);
  }

  site(siteId: string): SiteInfo | undefined {
    return this.sites.get(siteId);
  }

  transport(transportId: string): TransportInfo | undefined {
    return this.transports.get(transportId);
  }

  cellsInDistrict(district: string): readonly string[] {
    return this.byDistrict.get(district) ?? [];
  }

  cellsInRegion(region: string): readonly string[] {
    return this.byRegion.get(region) ?? [];
  }

  regionOfDistrict(district: string): string | undefined {
    return this.districtRegion.get(district);
  }

  regions(): readonly string[] {
    return [...this.byRegion.keys()].filter((r) => this.byRegion.get(r)!.length > 0);
  }

  districts(): readonly string[] {
    return [...this.byDistrict.keys()].filter((d) => this.byDistrict.get(d)!.length > 0);
  }

  nearestCells(lat: number, lon: number, k: number, maxKm?: number): NearCell[] {
    if (!this.geo) {
      const ids = [...this.cells.keys()];
      const lats = new Float64Array(ids.length);
      const lons = new Float64Array(ids.length);
      ids.forEach((id, i) => {
        const c = this.cells.get(id)!;
        lats[i] = c.lat;
        lons[i] = c.lon;
      });
      this.geo = { index: new GeoIndex(lats, lons, ids.length), ids };
    }
    const { index, ids } = this.geo;
    return index.nearest(lat, lon, k, maxKm).map((h) => ({ cellId: ids[h.index]!, km: h.km }));
  }

  allCells(): Iterable<Cell> {
    return this.cells.values();
  }
}
