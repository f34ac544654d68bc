/** How the map marks the selected incident (page/map-overlay.ts). */
import { describe, expect, it } from 'vitest';
import { highlightOf, MAX_CELL_RINGS } from '../../src/dashboard/page/map-overlay.js';

describe('the selected incident on the map', () => {
  const grid = (n: number) => {
    const lat = new Float32Array(n), lon = new Float32Array(n);
    for (let i = 0; i < n; i++) (lat[i] = 28 + (i % 40) * 0.01, lon[i] = 112.9 + Math.floor(i / 40) * 0.01);
    return { lat, lon, header: { version: 'v', count: n, regions: [], districts: [], bounds: null } };
  };

  it('a few cells are ringed one by one', () => {
    const h = highlightOf({ id: 'INC-1', idx: [3, 4, 5], label: 'INC-1 · 3 cells' }, grid(100));
    expect(h.rings).toEqual([3, 4, 5]);
    expect(h.outline).toBeNull();
  });

  it('a region-wide incident of 1,105 cells gets one outline, not 1,105 rings', () => {
    const g = grid(2000);
    const idx = Array.from({ length: 1105 }, (_, i) => i);
    const h = highlightOf({ id: 'INC-1', idx, label: 'INC-1 · 1,105 cells' }, g);
    expect(h.rings).toHaveLength(0);
    expect(h.rings.length).toBeLessThanOrEqual(MAX_CELL_RINGS);
    // The outline is the corners of the block of cells, as [lat, lon].
    expect(h.outline!.length).toBeGreaterThanOrEqual(4);
    expect(h.outline!.length).toBeLessThan(20);
    for (const [la, lo] of h.outline!) {
      expect(la).toBeGreaterThanOrEqual(27.999);
      expect(lo).toBeGreaterThanOrEqual(112.899);
    }
  });
});
