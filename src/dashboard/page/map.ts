/**
 * The network map: every cell drawn at its lat/lon on one canvas. 300,000 points stay smooth because
 * nothing here is per-cell DOM or per-cell canvas calls: positions live in typed arrays, pixels are
 * written straight into an ImageData buffer (a density shade for normal cells, bigger dots on top for
 * anomalous, in-incident and outage cells), and a frame is drawn only when something changed.
 * Projection: equirectangular with the longitude scaled by cos(latitude of the network's centre).
 */
import { severityRankOf } from '../../model/anomaly.js';
import type { Geometry } from '../geometry.js';
import { CellGrid } from './cell-grid.js';
import { plural } from './format.js';
import { drawOverlay, highlightOf, type Highlight, type IncidentMarker } from './map-overlay.js';
import { STATUS_ANOMALOUS, STATUS_INCIDENT, STATUS_NORMAL, STATUS_OUTAGE } from '../protocol.js';

/** Colours as ABGR words for the little-endian ImageData buffer. */
const abgr = (hex: string) => {
  const n = parseInt(hex.slice(1), 16);
  return (0xff000000 | ((n & 0xff) << 16) | (n & 0xff00) | ((n >> 16) & 0xff)) >>> 0;
};
export const STATUS_COLOURS = ['#3f7ea6', '#f2c94c', '#f2994a', '#ff4d4f'];
const BG = abgr('#0a0e13');
const NORMAL_SHADES = [abgr('#23506b'), abgr('#2f6f93'), abgr('#4a93bd'), abgr('#6fb3da')];
const PROBLEM = STATUS_COLOURS.map(abgr);

interface View {
  lat0: number;
  lon0: number;
  /** CSS pixels per degree of latitude. */
  scale: number;
}

export class CellMap {
  private readonly ctx: CanvasRenderingContext2D;
  private geo: Geometry | null = null;
  private status: Uint8Array = new Uint8Array(0);
  private view: View = { lat0: 0, lon0: 0, scale: 1 };
  private kx = 1;
  private dpr = 1;
  private img: ImageData | null = null;
  private dirty = true;
  private grid: CellGrid | null = null;
  private highlight: Highlight | null = null;
  /** Open incidents as markers: centroid and extent of their cells, computed when they change. */
  private markers: IncidentMarker[] = [];
  private selectedCell: number | null = null;
  private drag: { x: number; y: number; moved: boolean; view: View } | null = null;
  /** Problem cells per status, rebuilt each frame (reused buffers). */
  private problemIdx: Int32Array[] = [new Int32Array(0), new Int32Array(0), new Int32Array(0), new Int32Array(0)];
  lastFrameMs = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly tooltip: HTMLElement,
    private readonly onCellClick: (index: number) => void,
  ) {
    this.ctx = canvas.getContext('2d')!;
    new ResizeObserver(() => this.resize()).observe(canvas.parentElement!);
    canvas.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    canvas.addEventListener('pointerdown', (e) => this.onDown(e));
    canvas.addEventListener('pointermove', (e) => this.onMove(e));
    canvas.addEventListener('pointerup', (e) => this.onUp(e));
    canvas.addEventListener('pointerleave', () => (this.tooltip.hidden = true));
    const loop = () => {
      if (this.dirty) this.draw();
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
    this.resize();
  }

  get ready(): boolean {
    return this.geo !== null;
  }

  setGeometry(geo: Geometry): void {
    this.geo = geo;
    const b = geo.header.bounds;
    this.kx = b ? Math.cos((((b.minLat + b.maxLat) / 2) * Math.PI) / 180) : 1;
    this.grid = new CellGrid(geo);
    if (this.highlight) this.highlight = highlightOf(this.highlight, geo);
    this.fitAll();
  }

  /** The page's status array (indexes as in the geometry). */
  setStatus(status: Uint8Array): void {
    this.status = status;
    this.dirty = true;
  }

  invalidate(): void {
    this.dirty = true;
  }

  cellId(i: number): string | undefined {
    return this.geo?.ids[i];
  }

  indexOf(cellId: string): number | undefined {
    const i = this.geo?.ids.indexOf(cellId) ?? -1;
    return i >= 0 ? i : undefined;
  }

  /** Rings the given cells (an incident) and zooms to them; null clears. */
  setHighlight(h: { id: string; idx: number[]; label: string } | null, zoom = true): void {
    // The same incident again (a delta): its outline is only recomputed when its cells changed.
    const same = h && this.highlight && this.highlight.id === h.id && this.highlight.idx === h.idx;
    this.highlight = !h ? null : same ? { ...this.highlight!, label: h.label } : this.geo ? highlightOf(h, this.geo) : { ...h, rings: [], outline: null };
    if (h && zoom && this.geo && h.idx.length > 0) {
      let minLat = Infinity, maxLat = -Infinity, minLon = Infinity, maxLon = -Infinity;
      for (const i of h.idx) {
        const la = this.geo.lat[i]!, lo = this.geo.lon[i]!;
        if (la < minLat) minLat = la;
        if (la > maxLat) maxLat = la;
        if (lo < minLon) minLon = lo;
        if (lo > maxLon) maxLon = lo;
      }
      // Some surroundings for context: at least ~0.2° across, even for a single site.
      const padLat = Math.max(0.02, (0.2 - (maxLat - minLat)) / 2);
      const padLon = Math.max(0.02, (0.2 / this.kx - (maxLon - minLon)) / 2);
      this.fit(minLat - padLat, maxLat + padLat, minLon - padLon, maxLon + padLon);
    }
    this.dirty = true;
  }

  /** Open incidents, drawn as rings at the centre of their cells, most severe on top. */
  setIncidents(items: readonly { id: string; severity: string; cellIdx: number[]; cellCount: number }[]): void {
    const g = this.geo;
    this.markers = [];
    if (!g) return;
    for (const it of items) {
      let sLat = 0, sLon = 0, n = 0;
      for (const i of it.cellIdx) if (i < g.header.count) (sLat += g.lat[i]!, sLon += g.lon[i]!, n++);
      if (n === 0) continue;
      const lat = sLat / n, lon = sLon / n;
      let r = 0;
      for (const i of it.cellIdx) if (i < g.header.count) r = Math.max(r, Math.hypot(g.lat[i]! - lat, (g.lon[i]! - lon) * this.kx));
      this.markers.push({ id: it.id, severity: it.severity, lat, lon, rLat: r, label: `${it.id.replace(/^INC-\d{8}-/, 'INC-')} · ${plural(it.cellCount, 'cell')}` });
    }
    this.markers.sort((a, b) => severityRankOf(a.severity) - severityRankOf(b.severity));
    this.dirty = true;
  }

  selectCell(i: number | null): void {
    this.selectedCell = i;
    this.dirty = true;
  }

  fitAll(): void {
    const b = this.geo?.header.bounds;
    if (b) this.fit(b.minLat, b.maxLat, b.minLon, b.maxLon);
  }

  zoomBy(f: number): void {
    this.view.scale = Math.min(1e6, Math.max(1, this.view.scale * f));
    this.dirty = true;
  }

  private fit(minLat: number, maxLat: number, minLon: number, maxLon: number): void {
    const w = this.canvas.clientWidth || 800;
    const h = this.canvas.clientHeight || 600;
    const dLat = Math.max(1e-4, maxLat - minLat);
    const dLon = Math.max(1e-4, maxLon - minLon);
    this.view = { lat0: (minLat + maxLat) / 2, lon0: (minLon + maxLon) / 2, scale: Math.min(h / dLat, w / (dLon * this.kx)) * 0.9 };
    this.dirty = true;
  }

  private resize(): void {
    const parent = this.canvas.parentElement!;
    this.dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.floor(parent.clientWidth * this.dpr));
    const h = Math.max(1, Math.floor(parent.clientHeight * this.dpr));
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
      this.img = null;
      if (this.geo && this.view.scale === 1) this.fitAll();
    }
    this.dirty = true;
  }

  /** Screen (CSS px) → lat/lon. */
  private unproject(x: number, y: number): [number, number] {
    const w = this.canvas.clientWidth, h = this.canvas.clientHeight;
    const { lat0, lon0, scale } = this.view;
    return [lat0 - (y - h / 2) / scale, lon0 + (x - w / 2) / (scale * this.kx)];
  }

  private project(lat: number, lon: number): [number, number] {
    const w = this.canvas.clientWidth, h = this.canvas.clientHeight;
    const { lat0, lon0, scale } = this.view;
    return [w / 2 + (lon - lon0) * scale * this.kx, h / 2 - (lat - lat0) * scale];
  }

  /** The cell nearest to a screen point within `radius` CSS px, or null. */
  pick(x: number, y: number, radius = 10): number | null {
    const g = this.geo, grid = this.grid;
    if (!g || !grid) return null;
    const [lat, lon] = this.unproject(x, y);
    return grid.nearest(lat, lon, radius / this.view.scale, radius / (this.view.scale * this.kx), (i) => {
      const [px, py] = this.project(g.lat[i]!, g.lon[i]!);
      // Problem cells win near-ties: they are what the operator is aiming at.
      return (px - x) ** 2 + (py - y) ** 2 - (this.status[i] ? 4 : 0);
    }, radius * radius);
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const r = this.canvas.getBoundingClientRect();
    const x = e.clientX - r.left, y = e.clientY - r.top;
    const [lat, lon] = this.unproject(x, y);
    const f = Math.exp(-e.deltaY * 0.0015);
    this.view.scale = Math.min(1e6, Math.max(1, this.view.scale * f));
    // Keep the point under the cursor where it is.
    const [nx, ny] = this.project(lat, lon);
    this.view.lon0 += (nx - x) / (this.view.scale * this.kx);
    this.view.lat0 -= (ny - y) / this.view.scale;
    this.dirty = true;
  }

  private onDown(e: PointerEvent): void {
    this.canvas.setPointerCapture(e.pointerId);
    this.drag = { x: e.clientX, y: e.clientY, moved: false, view: { ...this.view } };
  }

  private onMove(e: PointerEvent): void {
    const r = this.canvas.getBoundingClientRect();
    if (this.drag) {
      const dx = e.clientX - this.drag.x, dy = e.clientY - this.drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) this.drag.moved = true;
      if (this.drag.moved) {
        const v = this.drag.view;
        this.view = { scale: v.scale, lon0: v.lon0 - dx / (v.scale * this.kx), lat0: v.lat0 + dy / v.scale };
        this.dirty = true;
        this.tooltip.hidden = true;
      }
      return;
    }
    const i = this.pick(e.clientX - r.left, e.clientY - r.top, 8);
    if (i === null) {
      this.tooltip.hidden = true;
      return;
    }
    const names = ['normal', 'anomalous', 'in incident', 'outage'];
    this.tooltip.textContent = `${this.geo!.ids[i]} · ${names[this.status[i] ?? 0]}`;
    this.tooltip.style.left = `${e.clientX - r.left + 12}px`;
    this.tooltip.style.top = `${e.clientY - r.top + 12}px`;
    this.tooltip.hidden = false;
  }

  private onUp(e: PointerEvent): void {
    const d = this.drag;
    this.drag = null;
    if (!d || d.moved) return;
    const r = this.canvas.getBoundingClientRect();
    const i = this.pick(e.clientX - r.left, e.clientY - r.top);
    if (i !== null) this.onCellClick(i);
  }

  private draw(): void {
    this.dirty = false;
    const started = performance.now();
    const { canvas, ctx } = this;
    const W = canvas.width, H = canvas.height;
    if (!this.img || this.img.width !== W || this.img.height !== H) this.img = ctx.createImageData(W, H);
    const buf = new Uint32Array(this.img.data.buffer);
    buf.fill(BG);
    const g = this.geo;
    if (g) this.drawCells(g, buf, W, H);
    ctx.putImageData(this.img, 0, 0);
    if (g) {
      drawOverlay(ctx, {
        geo: g, dpr: this.dpr, scale: this.view.scale, width: canvas.clientWidth, height: canvas.clientHeight,
        project: (lat, lon) => this.project(lat, lon), markers: this.markers, highlight: this.highlight, selectedCell: this.selectedCell,
      });
    }
    this.lastFrameMs = performance.now() - started;
  }

  private drawCells(g: Geometry, buf: Uint32Array, W: number, H: number): void {
    const n = g.header.count;
    const s = this.view.scale * this.dpr;
    const sx = s * this.kx;
    const ox = W / 2 - this.view.lon0 * sx;
    const oy = H / 2 + this.view.lat0 * s;
    const status = this.status.length === n ? this.status : new Uint8Array(n);
    const counts = [0, 0, 0, 0];
    for (let k = 1; k < 4; k++) if (this.problemIdx[k]!.length < n) this.problemIdx[k] = new Int32Array(n);
    // Normal cells: one pixel each, brighter where they pile up (a density shade); bigger when zoomed in.
    const siteSpacingPx = 0.004 * s;
    const size = siteSpacingPx > 10 ? 3 : siteSpacingPx > 4 ? 2 : 1;
    for (let i = 0; i < n; i++) {
      const st = status[i]!;
      if (st !== STATUS_NORMAL) {
        this.problemIdx[st]![counts[st]!++] = i;
        continue;
      }
      const x = (g.lon[i]! * sx + ox) | 0;
      const y = (oy - g.lat[i]! * s) | 0;
      if (x < 0 || y < 0 || x + size > W || y + size > H) continue;
      for (let dy = 0; dy < size; dy++) {
        for (let dx = 0; dx < size; dx++) {
          const p = (y + dy) * W + x + dx;
          const cur = buf[p]!;
          buf[p] = cur === BG ? NORMAL_SHADES[0]! : cur === NORMAL_SHADES[0] ? NORMAL_SHADES[1]! : cur === NORMAL_SHADES[1] ? NORMAL_SHADES[2]! : NORMAL_SHADES[3]!;
        }
      }
    }
    // Problem cells on top, most serious last, as bigger square dots with a dark rim so they stand
    // out of the dense blue of a city.
    const base = Math.max(1, Math.round(this.dpr));
    const square = (cx: number, cy: number, r: number, colour: number) => {
      for (let y = Math.max(0, cy - r); y <= Math.min(H - 1, cy + r); y++) {
        const row = y * W;
        for (let x = Math.max(0, cx - r); x <= Math.min(W - 1, cx + r); x++) buf[row + x] = colour;
      }
    };
    for (const st of [STATUS_ANOMALOUS, STATUS_INCIDENT, STATUS_OUTAGE]) {
      const r = (st === STATUS_ANOMALOUS ? 1 : 2) * base + (size > 1 ? base : 0);
      const colour = PROBLEM[st]!;
      const idx = this.problemIdx[st]!;
      for (let k = 0; k < counts[st]!; k++) {
        const i = idx[k]!;
        square((g.lon[i]! * sx + ox) | 0, (oy - g.lat[i]! * s) | 0, r + base, BG);
      }
      for (let k = 0; k < counts[st]!; k++) {
        const i = idx[k]!;
        square((g.lon[i]! * sx + ox) | 0, (oy - g.lat[i]! * s) | 0, r, colour);
      }
    }
  }
}
