/**
 * A SimNetwork from inventory rows someone else made (an operator's CSV): sites, transport nodes,
 * districts and regions are derived from the cells' own fields, so the simulator can feed a daemon
 * whose inventory it did not generate.
 */
import type { Cell } from '../model/index.js';
import type { SimDistrict, SimNetwork, SimRegion, SimSite, SimTransport } from './network.js';

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

/** Region codes for core element names: the first letters of the name, made unique. */
function regionCode(name: string, taken: Set<string>): string {
  const base = name.replace(/[^A-Za-z0-9]/g, '').toUpperCase().slice(0, 2) || 'RG';
  let code = base;
  for (let k = 2; taken.has(code); k++) code = `${base}${k}`;
  taken.add(code);
  return code;
}

export function networkFromCells(input: Iterable<Cell>): SimNetwork {
  const cells = [...input].sort((a, b) => (a.cellId < b.cellId ? -1 : a.cellId > b.cellId ? 1 : 0));
  const n = cells.length;
  const net: SimNetwork = {
    cells, sites: [], transports: [], districts: [], regions: [],
    cellSite: new Int32Array(n), cellDistrict: new Int32Array(n), cellRegion: new Int32Array(n),
    cellIsNr: new Uint8Array(n), cellIndex: new Map(),
  };
  const regionIdx = new Map<string, number>();
  const districtIdx = new Map<string, number>();
  const siteIdx = new Map<string, number>();
  const transportIdx = new Map<string, number>();
  const codes = new Set<string>();
  cells.forEach((c, i) => {
    net.cellIndex.set(c.cellId, i);
    net.cellIsNr[i] = c.technology === 'NR' ? 1 : 0;
    let r = regionIdx.get(c.region);
    if (r === undefined) {
      const code = regionCode(c.region, codes);
      const region: SimRegion = { name: c.region, code, lat: 0, lon: 0, coreElements: { mme: `MME-${code}-01`, amf: `AMF-${code}-01` }, districts: [] };
      r = net.regions.push(region) - 1;
      regionIdx.set(c.region, r);
    }
    let d = districtIdx.get(c.district);
    if (d === undefined) {
      const district: SimDistrict = { name: c.district, region: r, lat: 0, lon: 0, urban: true, sites: [] };
      d = net.districts.push(district) - 1;
      districtIdx.set(c.district, d);
      net.regions[r].districts.push(d);
    }
    let t = transportIdx.get(c.transportId);
    if (t === undefined) {
      const transport: SimTransport = { transportId: c.transportId, region: r, district: d, sites: [] };
      t = net.transports.push(transport) - 1;
      transportIdx.set(c.transportId, t);
    }
    let s = siteIdx.get(c.siteId);
    if (s === undefined) {
      const site: SimSite = { siteId: c.siteId, transport: t, district: d, lat: c.lat, lon: c.lon, areaClass: c.areaClass, cells: [] };
      s = net.sites.push(site) - 1;
      siteIdx.set(c.siteId, s);
      net.transports[t].sites.push(s);
      net.districts[d].sites.push(s);
    }
    net.sites[s].cells.push(i);
    net.cellSite[i] = s;
    net.cellDistrict[i] = d;
    net.cellRegion[i] = r;
  });
  for (const d of net.districts) {
    d.lat = mean(d.sites.map((s) => net.sites[s].lat));
    d.lon = mean(d.sites.map((s) => net.sites[s].lon));
  }
  for (const r of net.regions) {
    r.lat = mean(r.districts.map((d) => net.districts[d].lat));
    r.lon = mean(r.districts.map((d) => net.districts[d].lon));
  }
  return net;
}
