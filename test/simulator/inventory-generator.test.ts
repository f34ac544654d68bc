import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInventoryCsv } from '../../src/inventory/inventory-csv.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { CELL_COLUMNS, cellSchema } from '../../src/model/index.js';
import { apportion, generateNetwork } from '../../src/simulator/inventory-generator.js';
import { toInventoryCsv as inventoryCsv } from '../../src/inventory/inventory-csv.js';
import { distanceKm, type SimNetwork } from '../../src/simulator/network.js';
import { networkFromCells } from '../../src/simulator/network-from-cells.js';

/** Distance from each site to its nearest other site, km. */
function nearestSiteKm(net: SimNetwork, sites: number[]): number[] {
  return sites.map((i) => {
    let best = Infinity;
    for (const j of sites) {
      if (j === i) continue;
      best = Math.min(best, distanceKm(net.sites[i].lat, net.sites[i].lon, net.sites[j].lat, net.sites[j].lon));
    }
    return best;
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

describe('generateNetwork', () => {
  it.each([50, 333, 2000])('makes exactly %i valid cells with unique ids', (n) => {
    const net = generateNetwork({ cells: n, seed: 3 });
    expect(net.cells).toHaveLength(n);
    expect(new Set(net.cells.map((c) => c.cellId)).size).toBe(n);
    for (const c of net.cells) expect(cellSchema.safeParse(c).success).toBe(true);
  });

  it('is deterministic for a seed and different for another', () => {
    const a = generateNetwork({ cells: 500, seed: 11 });
    const b = generateNetwork({ cells: 500, seed: 11 });
    const c = generateNetwork({ cells: 500, seed: 12 });
    expect(inventoryCsv(a.cells)).toBe(inventoryCsv(b.cells));
    expect(inventoryCsv(a.cells)).not.toBe(inventoryCsv(c.cells));
  });

  it('builds regions → districts → transport → sites of three sectors, LTE and NR', () => {
    const net = generateNetwork({ cells: 5000, seed: 1 });
    expect(net.regions.map((r) => r.name)).toEqual(['Changsha', 'Zhuzhou', 'Xiangtan', 'Yueyang', 'Hengyang']);
    expect(new Set(net.cells.map((c) => c.technology))).toEqual(new Set(['LTE', 'NR']));
    for (const site of net.sites.slice(0, -1)) expect([3, 6]).toContain(site.cells.length);
    for (const c of net.cells) {
      const site = net.sites[net.cellSite[net.cellIndex.get(c.cellId) as number]];
      expect(c.siteId).toBe(site.siteId);
      expect(c.transportId).toBe(net.transports[site.transport].transportId);
    }
    const perTransport = net.transports.map((t) => t.sites.length);
    expect(Math.max(...perTransport)).toBeLessThanOrEqual(24);
    expect(new Set(net.cells.map((c) => c.areaClass)).size).toBeGreaterThanOrEqual(8);
  });

  it('crowds sites in city districts and thins them out in the counties', () => {
    const net = generateNetwork({ cells: 20_000, seed: 2 });
    const urban = net.districts.filter((d) => d.urban).flatMap((d) => d.sites);
    const county = net.districts.filter((d) => !d.urban).flatMap((d) => d.sites);
    // Compare one district of each kind of similar size, so density reflects placement, not counts.
    const u = nearestSiteKm(net, urban.slice(0, 600));
    const r = nearestSiteKm(net, county.slice(0, 600));
    expect(median(u)).toBeLessThan(median(r) / 2);
    const rural = net.cells.filter((c) => c.areaClass === 'rural');
    const business = net.cells.filter((c) => c.areaClass === 'core_business');
    expect(median(rural.map((c) => c.subscribers))).toBeLessThan(median(business.map((c) => c.subscribers)));
    expect(rural.filter((c) => c.technology === 'NR').length / rural.length)
      .toBeLessThan(business.filter((c) => c.technology === 'NR').length / business.length);
  });

  it('splits counts exactly in proportion', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(7, [5, 0, 2]).reduce((a, b) => a + b)).toBe(7);
  });
});

describe('inventory CSV', () => {
  it('is read back by the daemon`s inventory reader unchanged', () => {
    const net = generateNetwork({ cells: 400, seed: 5 });
    const csv = inventoryCsv(net.cells);
    expect(csv.split('\n')[0]).toBe(CELL_COLUMNS.join(','));
    const file = join(mkdtempSync(join(tmpdir(), 'nocwatch-sim-')), 'inventory.csv');
    writeFileSync(file, csv);
    const { cells, problems } = readInventoryCsv(file);
    expect(problems).toEqual([]);
    expect(cells).toEqual(net.cells);
    const inv = new Inventory(cells);
    expect(inv.size).toBe(400);
    expect(inv.cellsInRegion('Changsha').length).toBeGreaterThan(0);
  });

  it('rebuilds the same structure from the rows alone', () => {
    const net = generateNetwork({ cells: 600, seed: 8 });
    const again = networkFromCells(net.cells);
    expect(again.sites.length).toBe(net.sites.length);
    expect(again.transports.length).toBe(net.transports.length);
    expect(again.regions.map((r) => r.name).sort()).toEqual(net.regions.map((r) => r.name).sort());
  });
});
