/**
 * The map's vector layer, drawn over the cell pixels: region outlines and names, district names when
 * zoomed in, a ring per open incident (coloured by severity, labelled), the selected incident's cells
 * and frame, the selected cell. Labels never overlap: each one claims its box or is left out.
 */
import { outlineHull, type Geometry } from '../geometry.js';

/** Cells of the selected incident ringed one by one up to this many; more would bury the map in rings. */
export const MAX_CELL_RINGS = 60;

/** The selected incident on the map: its cells, its label, and how they are marked. */
export interface Highlight {
  id: string;
  idx: number[];
  label: string;
  /** Cells to ring one by one (all of a small incident, none of a big one). */
  rings: number[];
  /** [lat, lon] outline around all the cells of a big incident (a region-wide core fault), else null. */
  outline: [number, number][] | null;
}

/**
 * How the selected incident is marked: a ring per cell while they are few enough to tell apart,
 * otherwise one outline around them all (its cells are coloured anyway) — 1,105 rings for one core
 * incident made the map and its labels unreadable.
 */
export function highlightOf(h: { id: string; idx: number[]; label: string }, g: Pick<Geometry, 'lat' | 'lon' | 'header'>): Highlight {
  const idx = h.idx.filter((i) => i < g.header.count);
  if (idx.length <= MAX_CELL_RINGS) return { ...h, rings: idx, outline: null };
  return { ...h, rings: [], outline: outlineHull(idx.map((i) => [g.lon[i]!, g.lat[i]!])) };
}

/** An open incident as a ring on the map: the centre and extent of its cells. */
export interface IncidentMarker {
  id: string;
  severity: string;
  lat: number;
  lon: number;
  /** Extent in degrees of latitude. */
  rLat: number;
  label: string;
}

export interface OverlayInput {
  geo: Geometry;
  dpr: number;
  /** CSS pixels per degree of latitude. */
  scale: number;
  width: number;
  height: number;
  project: (lat: number, lon: number) => [number, number];
  markers: readonly IncidentMarker[];
  highlight: Highlight | null;
  selectedCell: number | null;
}

/** Starts a closed path through [lat, lon] points (a region's or an incident's outline). */
function tracePolygon(ctx: CanvasRenderingContext2D, points: readonly [number, number][], project: OverlayInput['project']): void {
  ctx.beginPath();
  points.forEach(([la, lo], k) => {
    const [x, y] = project(la, lo);
    if (k === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  });
  ctx.closePath();
}

export function drawOverlay(ctx: CanvasRenderingContext2D, o: OverlayInput): void {
  const g = o.geo;
  ctx.save();
  ctx.scale(o.dpr, o.dpr);
  const placed: [number, number, number, number][] = [];
  const free = (x: number, y: number, w: number, h: number) => {
    for (const [px, py, pw, ph] of placed) if (x < px + pw && x + w > px && y < py + ph && y + h > py) return false;
    placed.push([x, y, w, h]);
    return true;
  };
  // Region outlines and labels.
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 4]);
  ctx.strokeStyle = 'rgba(140, 175, 210, 0.35)';
  for (const r of g.header.regions) {
    if (r.hull.length < 3) continue;
    tracePolygon(ctx, r.hull, o.project);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.textBaseline = 'middle';
  // Open incidents: a ring around each one's cells, coloured by severity, labelled.
  const sevColour: Record<string, string> = { critical: '#ff4d4f', major: '#f2994a', minor: '#f2c94c', warning: '#6fb3da' };
  ctx.textAlign = 'left';
  ctx.font = '600 11px system-ui, sans-serif';
  // Rings most severe last (on top); labels placed most severe first (they win the space).
  const rings = o.markers.map((m) => {
    const [x, y] = o.project(m.lat, m.lon);
    return { m, x, y, r: Math.max(9, m.rLat * o.scale + 6) };
  });
  // A ring wider than the view says nothing (its cells are coloured anyway) and would paint the map.
  const maxR = Math.min(o.width, o.height) * 0.45;
  const shown = rings.filter((g) => g.r <= maxR);
  for (const { m, x, y, r } of shown) {
    ctx.strokeStyle = sevColour[m.severity] ?? '#ffffff';
    ctx.lineWidth = m.severity === 'critical' ? 3 : 2;
    ctx.beginPath();
    ctx.arc(x, y, r, 0, Math.PI * 2);
    ctx.stroke();
    if (m.severity === 'critical') {
      ctx.fillStyle = 'rgba(255, 77, 79, 0.10)';
      ctx.fill();
    }
  }
  // A ring too wide to draw still gets its label, at its centre: a region-wide incident must not vanish.
  for (const { m, x, y, r } of rings.reverse()) {
    if (m.id === o.highlight?.id) continue; // the selected incident carries its own label
    const w = ctx.measureText(m.label).width + 8;
    const k = r <= maxR ? r * 0.72 : 0;
    let lx = x + k + 3;
    const ly = y - k - 16;
    if (lx + w > o.width) lx = x - r * 0.72 - 3 - w; // flip left at the right edge
    if (!free(lx, ly, w, 15)) continue;
    ctx.fillStyle = 'rgba(10, 14, 19, 0.85)';
    ctx.fillRect(lx, ly, w, 15);
    ctx.fillStyle = sevColour[m.severity] ?? '#ffffff';
    ctx.fillText(m.label, lx + 4, ly + 8);
  }
  ctx.textAlign = 'center';
  ctx.font = '600 13px system-ui, sans-serif';
  for (const r of [...g.header.regions].sort((a, b) => b.cells - a.cells)) {
    const [x, y] = o.project(r.labelLat, r.labelLon);
    const text = r.name.toUpperCase();
    const w = ctx.measureText(text).width + 8;
    if (!free(x - w / 2, y - 9, w, 18)) continue;
    ctx.fillStyle = 'rgba(10, 14, 19, 0.7)';
    ctx.fillRect(x - w / 2, y - 9, w, 18);
    ctx.fillStyle = '#c9d6e3';
    ctx.fillText(text, x, y);
  }
  // District names once zoomed in far enough to tell them apart.
  if (o.scale > 600) {
    ctx.font = '11px system-ui, sans-serif';
    for (const d of g.header.districts) {
      const [x, y] = o.project(d.lat, d.lon);
      const w = ctx.measureText(d.name).width + 6;
      if (x < 0 || y < 0 || x > o.width || y > o.height || !free(x - w / 2, y + 10, w, 14)) continue;
      ctx.fillStyle = 'rgba(150, 170, 190, 0.8)';
      ctx.fillText(d.name, x, y + 17);
    }
  }
  // The selected incident: rings around its cells (or one outline around many) and a frame with its id.
  const h = o.highlight;
  if (h && h.idx.length > 0) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const i of h.idx) {
      if (i >= g.header.count) continue;
      const [x, y] = o.project(g.lat[i]!, g.lon[i]!);
      x0 = Math.min(x0, x), y0 = Math.min(y0, y), x1 = Math.max(x1, x), y1 = Math.max(y1, y);
    }
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    for (const i of h.rings) {
      const [x, y] = o.project(g.lat[i]!, g.lon[i]!);
      ctx.moveTo(x + 6, y);
      ctx.arc(x, y, 6, 0, Math.PI * 2);
    }
    ctx.stroke();
    if (h.outline && h.outline.length >= 3) {
      tracePolygon(ctx, h.outline, o.project);
      ctx.fillStyle = 'rgba(255, 255, 255, 0.06)';
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.stroke();
    }
    ctx.setLineDash([6, 3]);
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.8)';
    ctx.lineWidth = 1.5;
    ctx.strokeRect(x0 - 14, y0 - 14, x1 - x0 + 28, y1 - y0 + 28);
    ctx.setLineDash([]);
    ctx.font = '600 12px system-ui, sans-serif';
    ctx.textAlign = 'left';
    const w = ctx.measureText(h.label).width + 10;
    // Above the frame, but inside the view when the frame reaches the top edge.
    const lx = Math.min(Math.max(2, x0 - 14), o.width - w - 2);
    const ly = Math.max(2, y0 - 34);
    ctx.fillStyle = 'rgba(255, 255, 255, 0.92)';
    ctx.fillRect(lx, ly, w, 18);
    ctx.fillStyle = '#0a0e13';
    ctx.fillText(h.label, lx + 5, ly + 9);
  }
  if (o.selectedCell !== null && o.selectedCell < g.header.count) {
    const [x, y] = o.project(g.lat[o.selectedCell]!, g.lon[o.selectedCell]!);
    ctx.strokeStyle = '#7ce0ff';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(x, y, 10, 0, Math.PI * 2);
    ctx.moveTo(x - 16, y), ctx.lineTo(x - 6, y), ctx.moveTo(x + 6, y), ctx.lineTo(x + 16, y);
    ctx.moveTo(x, y - 16), ctx.lineTo(x, y - 6), ctx.moveTo(x, y + 6), ctx.lineTo(x, y + 16);
    ctx.stroke();
  }
  ctx.restore();
}
