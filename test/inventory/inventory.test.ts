import { describe, expect, it } from 'vitest';
import { GeoIndex, haversineKm } from '../../src/inventory/geo-index.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { parseInventoryCsv, toInventoryCsv } from '../../src/inventory/inventory-csv.js';
import type { Cell } from '../../src/model/index.js';
import { sampleCells } from '../helpers/app.js';
import { uniforms } from '../../src/simulator/prng.js';


describe('nearest cells', () => {
  it('matches a brute-force reference on random points (clustered city plus sparse countryside)', () => {
    const rnd = uniforms(42);
    const n = 5000;
    const lat = new Float64Array(n);
    const lon = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const city = i < n * 0.7;
      lat[i] = city ? 28.2 + (rnd() - 0.5) * 0.2 : 26 + rnd() * 4;
      lon[i] = city ? 112.9 + (rnd() - 0.5) * 0.2 : 110 + rnd() * 4;
    }
    const index = new GeoIndex(lat, lon, n);
    for (let q = 0; q < 300; q++) {
      const qlat = 26 + rnd() * 4;
      const qlon = 110 + rnd() * 4;
      const k = 1 + Math.floor(rnd() * 8);
      const brute = Array.from({ length: n }, (_, i) => ({ i, km: haversineKm(qlat, qlon, lat[i]!, lon[i]!) }))
        .sort((a, b) => a.km - b.km)
        .slice(0, k);
      const got = index.nearest(qlat, qlon, k);
      expect(got.map((h) => h.km)).toEqual(brute.map((b) => expect.closeTo(b.km, 6)));
    }
  });

  it('honours the distance limit', () => {
    const index = new GeoIndex([0, 0, 0], [0, 0.01, 1], 3);
    const hits = index.nearest(0, 0, 10, 5);
    expect(hits.map((h) => h.index)).toEqual([0, 1]);
    expect(hits[1]!.km).toBeCloseTo(1.11, 2);
  });

  it('answers through the inventory with cell ids and refreshes after an upsert', () => {
    const inv = new Inventory(sampleCells as unknown as Cell[]);
    expect(inv.nearestCells(28.2101, 112.9402, 1)[0]).toEqual({ cellId: 'CS-0001-1', km: 0 });
    inv.upsert([{ ...(sampleCells[2] as unknown as Cell), cellId: 'NEW-1', lat: 28.2101, lon: 112.9402 }]);
    expect(inv.nearestCells(28.2101, 112.9402, 2).map((h) => h.cellId).sort()).toEqual(['CS-0001-1', 'NEW-1']);
  });
});

describe('inventory topology', () => {
  it('looks up cell → site → transport and cells by district and region', () => {
    const inv = new Inventory(sampleCells as unknown as Cell[]);
    expect(inv.site('SITE-0001')?.cellIds).toEqual(['CS-0001-1', 'CS-0001-2']);
    expect(inv.transport('TR-01')?.siteIds).toEqual(['SITE-0001', 'SITE-0002']);
    expect(inv.cellsInDistrict('Yuelu')).toEqual(['CS-0001-1', 'CS-0001-2']);
    expect(inv.cellsInRegion('Changsha')).toHaveLength(3);
    expect(inv.regionOfDistrict('Furong')).toBe('Changsha');
  });

  it('moves a cell between sites and districts on upsert without leaving it behind', () => {
    const inv = new Inventory(sampleCells as unknown as Cell[]);
    const v = inv.version;
    inv.upsert([{ ...(sampleCells[1] as unknown as Cell), siteId: 'SITE-0002', district: 'Furong' }]);
    expect(inv.size).toBe(3);
    expect(inv.version).toBe(v + 1);
    expect(inv.site('SITE-0001')?.cellIds).toEqual(['CS-0001-1']);
    expect(inv.site('SITE-0002')?.cellIds).toEqual(['CS-0002-1', 'CS-0001-2']);
    expect(inv.cellsInDistrict('Yuelu')).toEqual(['CS-0001-1']);
  });
});

describe('inventory CSV', () => {
  const header = 'cellId,siteId,transportId,region,district,lat,lon,technology,areaClass,subscribers';

  it('round-trips through toInventoryCsv, with quoting', () => {
    const cells = [{ ...(sampleCells[0] as unknown as Cell), district: 'Yuelu, "West"' }];
    expect(parseInventoryCsv(toInventoryCsv(cells))).toEqual({ cells, problems: [] });
  });

  it('reports every bad row by line number and keeps the good ones', () => {
    const csv = [
      header,
      'C1,S1,T1,R,D,28.1,112.9,NR,hospital,100',
      'C2,S1,T1,R,D,abc,112.9,NR,hospital,100',
      '',
      'C3,S1,T1,R,D,28.1,112.9,NR,moon_base,100',
      'C4,S1,T1,R,D,28.1,112.9,NR,rural',
      'C5,S2,T1,R,D,95,112.9,5G,rural,-3',
      'C6,S2,T1,R,D,28.2,113,LTE,rural,7',
    ].join('\r\n');
    const { cells, problems } = parseInventoryCsv(csv);
    expect(cells.map((c) => c.cellId)).toEqual(['C1', 'C6']);
    expect(problems).toEqual([
      { line: 3, error: 'lat: expected number, received "abc"' },
      { line: 5, error: expect.stringMatching(/^areaClass: expected one of "core_business", .*received "moon_base"$/) },
      { line: 6, error: 'expected 10 fields, found 9' },
      { line: 7, error: expect.stringMatching(/^lat: .*<=90, received 95; technology: expected one of .*received "5G"; subscribers: .*>=0, received -3$/) },
    ]);
  });

  it('names missing header columns', () => {
    expect(parseInventoryCsv('cellId,siteId\nC1,S1\n').problems).toEqual([
      { line: 1, error: 'header is missing column(s): transportId, region, district, lat, lon, technology, areaClass, subscribers' },
    ]);
  });
});
