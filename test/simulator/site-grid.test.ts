import { describe, expect, it } from 'vitest';
import { generateNetwork } from '../../src/simulator/inventory-generator.js';
import { distanceKm, SiteGrid } from '../../src/simulator/network.js';
import { Rng } from '../../src/simulator/prng.js';
import { nearestSiteByScan } from './sim-fixture.js';

describe('SiteGrid', () => {
  it('finds the same nearest site as a scan of every site, downtown, at bucket edges and far out', () => {
    const net = generateNetwork({ cells: 3000, seed: 9 });
    const grid = new SiteGrid(net);
    const rng = new Rng(3);
    const lats = net.sites.map((s) => s.lat);
    const lons = net.sites.map((s) => s.lon);
    const [lat0, lat1, lon0, lon1] = [Math.min(...lats) - 0.3, Math.max(...lats) + 0.3, Math.min(...lons) - 0.3, Math.max(...lons) + 0.3];
    const points: [number, number][] = [];
    for (let i = 0; i < 400; i++) points.push([rng.uniform(lat0, lat1), rng.uniform(lon0, lon1)]);
    // Near sites (where they are dense), and exactly on grid lines.
    for (let i = 0; i < 200; i++) {
      const s = net.sites[rng.int(net.sites.length)]!;
      points.push([s.lat + rng.uniform(-0.004, 0.004), s.lon + rng.uniform(-0.004, 0.004)]);
      points.push([Math.round(s.lat * 100) / 100, s.lon + rng.uniform(-0.01, 0.01)]);
    }
    for (const [lat, lon] of points) {
      const g = grid.nearest(lat, lon);
      const b = nearestSiteByScan(net, lat, lon);
      // Ties at equal distance may pick either; the distance must match.
      expect(distanceKm(lat, lon, net.sites[g]!.lat, net.sites[g]!.lon)).toBeCloseTo(distanceKm(lat, lon, net.sites[b]!.lat, net.sites[b]!.lon), 9);
    }
    expect(new SiteGrid({ ...net, sites: [] }).nearest(28.2, 112.9)).toBe(-1);
  });
});
