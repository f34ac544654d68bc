/**
 * Generates a province-shaped radio network: regions (cities) → districts → transport nodes → sites
 * with three sectors (LTE, and NR on most urban sites) → cells. Sites crowd around city and town
 * centres and thin out into rural land and along highways, as a real operator's grid does; area
 * classes and subscriber counts follow from where a site stands. Deterministic for a seed, exact in
 * the number of cells (50 for a test, 300,000 for a benchmark).
 */
import type { AreaClass, Cell } from '../model/index.js';
import { HUNAN, type RegionPlace } from './place-names.js';
import { Rng, WeightedChoice } from './prng.js';
import {
  offsetKm, type SimDistrict, type SimNetwork, type SimRegion, type SimSite, type SimTransport,
} from './network.js';

export interface InventoryOptions {
  /** Exact number of cells, 1 … 1,000,000. */
  cells: number;
  seed: number;
}

export const MAX_GENERATED_CELLS = 1_000_000;

/** Where a site stands within its district; decides its area class. */
type Placement = 'centre' | 'town' | 'fringe' | 'rural' | 'highway';

const CENTRE_CLASSES = new WeightedChoice<AreaClass>({
  core_business: 45, government: 8, hospital: 8, transport_hub: 6, campus: 3, residential: 30,
});
const TOWN_CLASSES = new WeightedChoice<AreaClass>({
  residential: 55, core_business: 10, industrial: 10, campus: 8, hospital: 6, government: 4, transport_hub: 3,
  scenic: 2, highway: 2,
});
const FRINGE_CLASSES = new WeightedChoice<AreaClass>({ residential: 45, industrial: 35, campus: 8, rural: 12 });
const RURAL_CLASSES = new WeightedChoice<AreaClass>({ rural: 90, scenic: 7, industrial: 3 });

/** Share of sites that also carry NR, by area class (5G goes where the traffic is first). */
const NR_SHARE: Record<AreaClass, number> = {
  core_business: 0.85, transport_hub: 0.85, hospital: 0.8, government: 0.8, campus: 0.8,
  residential: 0.6, industrial: 0.45, scenic: 0.4, highway: 0.3, rural: 0.15,
};

/** Median registered subscribers per LTE cell, by area class. */
const SUBSCRIBERS: Record<AreaClass, number> = {
  core_business: 1400, transport_hub: 1800, hospital: 1200, government: 900, campus: 1600,
  residential: 1500, industrial: 700, rural: 350, highway: 200, scenic: 500,
};

/** How many regions a network of `cells` spans: one city for a test network, the whole province at scale. */
export function regionCount(cells: number): number {
  return Math.min(HUNAN.length, Math.max(1, Math.ceil(Math.sqrt(cells / 250))));
}

/** Splits `total` into integer parts proportional to `weights` (largest remainder). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k].i]++;
  return parts;
}

/** Urban districts first, at least one county as soon as there are two districts. */
function chooseDistricts(place: RegionPlace, n: number): { name: string; urban: boolean }[] {
  let urban = Math.min(place.urban.length, Math.max(1, Math.ceil(n * 0.6)));
  let county = Math.min(place.counties.length, n - urban);
  if (county === 0 && n >= 2 && place.counties.length > 0) {
    urban = Math.min(urban, n - 1);
    county = 1;
  }
  if (urban + county < n) urban = Math.min(place.urban.length, n - county);
  return [
    ...place.urban.slice(0, urban).map((name) => ({ name, urban: true })),
    ...place.counties.slice(0, county).map((name) => ({ name, urban: false })),
  ];
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Generates the network. Throws on a cell count outside 1 … 1,000,000. */
export function generateNetwork(opts: InventoryOptions): SimNetwork {
  const total = opts.cells;
  if (!Number.isInteger(total) || total < 1 || total > MAX_GENERATED_CELLS) {
    throw new RangeError(`cells must be an integer between 1 and ${MAX_GENERATED_CELLS}, got ${total}`);
  }
  const rng = new Rng(opts.seed, 0x1417);
  const places = HUNAN.slice(0, regionCount(total));
  const regionCells = apportion(total, places.map((p) => p.weight));

  const net: SimNetwork = {
    cells: [], sites: [], transports: [], districts: [], regions: [],
    cellSite: new Int32Array(total), cellDistrict: new Int32Array(total), cellRegion: new Int32Array(total),
    cellIsNr: new Uint8Array(total), cellIndex: new Map(),
  };

  let carry = 0;
  places.forEach((place, r) => {
    const region: SimRegion = {
      name: place.name, code: place.code, lat: place.lat, lon: place.lon,
      coreElements: { mme: `MME-${place.code}-01`, amf: `AMF-${place.code}-01` },
      districts: [],
    };
    net.regions.push(region);
    const want = regionCells[r];
    const chosen = chooseDistricts(place, Math.max(1, Math.ceil((want + carry) / 150)));
    const districtCells = apportion(want, chosen.map((d) => (d.urban ? 1.5 : 1)));
    const angle0 = rng.uniform(0, 2 * Math.PI);
    let siteNo = 0;
    let transportNo = 0;
    chosen.forEach((d, k) => {
      // Urban districts ring the centre a few km out; counties lie 25–70 km away.
      const angle = angle0 + k * 2.39996 + rng.uniform(-0.3, 0.3);
      const radius = d.urban ? (k === 0 ? rng.uniform(0, 2) : rng.uniform(3.5, 9)) : rng.uniform(25, 70);
      const centre = offsetKm(place.lat, place.lon, radius * Math.cos(angle), radius * Math.sin(angle));
      // Whole sites only: cells that do not make a full site move on to the next district; the
      // network's very last site is the only one that may be cut short (to hit the exact count).
      let left = districtCells[k] + carry;
      const last = r === places.length - 1 && k === chosen.length - 1;
      carry = left;
      if (left < 3 && !(last && left > 0)) return;
      const district: SimDistrict = { name: d.name, region: r, lat: centre.lat, lon: centre.lon, urban: d.urban, sites: [] };
      const di = net.districts.length;
      net.districts.push(district);
      region.districts.push(di);
      while (left >= 3 || (last && left > 0)) {
        siteNo++;
        const site = placeSite(rng, district, radius, angle);
        const si = net.sites.length;
        const nr = rng.chance(NR_SHARE[site.areaClass]) && left >= 6;
        const code = `${place.code}-${pad(siteNo, 4)}`;
        const simSite: SimSite = { siteId: `SITE-${code}`, transport: -1, district: di, lat: site.lat, lon: site.lon, areaClass: site.areaClass, cells: [] };
        net.sites.push(simSite);
        district.sites.push(si);
        const sectors = nr ? 6 : 3;
        for (let s = 0; s < sectors && left > 0; s++, left--) {
          const isNr = s >= 3;
          const azimuth = ((s % 3) * 2 * Math.PI) / 3;
          const dist = isNr ? 0.06 : 0.045;
          const p = offsetKm(site.lat, site.lon, dist * Math.sin(azimuth), dist * Math.cos(azimuth));
          const median = SUBSCRIBERS[site.areaClass] * (isNr ? 0.5 : 1);
          const ci = net.cells.length;
          const cell: Cell = {
            cellId: `${code}-${s + 1}`, siteId: simSite.siteId, transportId: '', region: place.name,
            district: d.name, lat: round6(p.lat), lon: round6(p.lon), technology: isNr ? 'NR' : 'LTE',
            areaClass: site.areaClass, subscribers: Math.max(20, Math.round(rng.logNormal(median, 0.4))),
          };
          net.cells.push(cell);
          net.cellIndex.set(cell.cellId, ci);
          net.cellSite[ci] = si;
          net.cellDistrict[ci] = di;
          net.cellRegion[ci] = r;
          net.cellIsNr[ci] = isNr ? 1 : 0;
          simSite.cells.push(ci);
        }
      }
      carry = left;
      transportNo = groupTransports(net, rng, place, di, transportNo);
    });
  });
  for (const site of net.sites) {
    const transportId = net.transports[site.transport].transportId;
    for (const ci of site.cells) net.cells[ci].transportId = transportId;
  }
  return net;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function placeSite(
  rng: Rng, d: SimDistrict, radiusFromCity: number, angle: number,
): { lat: number; lon: number; areaClass: AreaClass } {
  let placement: Placement;
  const u = rng.next();
  if (d.urban) placement = u < 0.85 ? (radiusFromCity < 3 && u < 0.35 ? 'centre' : 'town') : 'fringe';
  else placement = u < 0.5 ? 'town' : u < 0.85 ? 'rural' : 'highway';
  let east: number;
  let north: number;
  if (placement === 'highway') {
    // Along the road from the county town towards the city, a little off the line.
    const t = rng.next();
    const along = t * radiusFromCity;
    const side = rng.gauss(0, 0.4);
    east = -Math.cos(angle) * along - Math.sin(angle) * side;
    north = -Math.sin(angle) * along + Math.cos(angle) * side;
  } else if (placement === 'rural' || placement === 'fringe') {
    const rMax = placement === 'rural' ? 30 : 10;
    const rr = rMax * Math.sqrt(rng.uniform(0.04, 1));
    const a = rng.uniform(0, 2 * Math.PI);
    east = rr * Math.cos(a);
    north = rr * Math.sin(a);
  } else {
    const sd = placement === 'centre' ? 1.2 : d.urban ? 2.5 : 2;
    east = rng.gauss(0, sd);
    north = rng.gauss(0, sd);
  }
  const p = offsetKm(d.lat, d.lon, east, north);
  const classes = placement === 'centre' ? CENTRE_CLASSES : placement === 'town' ? TOWN_CLASSES
    : placement === 'fringe' ? FRINGE_CLASSES : RURAL_CLASSES;
  const areaClass: AreaClass = placement === 'highway' ? 'highway' : classes.sample(rng);
  return { lat: p.lat, lon: p.lon, areaClass };
}

/**
 * Aggregation: sites of a district are swept by bearing around its centre and cut into groups of
 * 8–24, each hanging off one transport node, so a transport outage darkens a wedge of neighbours.
 */
function groupTransports(net: SimNetwork, rng: Rng, place: RegionPlace, di: number, transportNo: number): number {
  const d = net.districts[di];
  const order = d.sites
    .map((si) => ({ si, a: Math.atan2(net.sites[si].lat - d.lat, net.sites[si].lon - d.lon) }))
    .sort((x, y) => x.a - y.a || x.si - y.si);
  for (let k = 0; k < order.length;) {
    const size = 8 + rng.int(17);
    transportNo++;
    const t: SimTransport = { transportId: `TR-${place.code}-${pad(transportNo, 3)}`, region: d.region, district: di, sites: [] };
    const ti = net.transports.length;
    net.transports.push(t);
    for (const { si } of order.slice(k, k + size)) {
      t.sites.push(si);
      net.sites[si].transport = ti;
    }
    k += size;
  }
  return transportNo;
}
