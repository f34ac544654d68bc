/**
 * The network map: every cell drawn at its lat/lon on one canvas. 300,000 points stay smooth because
 * nothing here is per-cell DOM or per-cell canvas calls: positions live in typed arrays, pixels are
 * written straight into an ImageData buffer (a density shade for normal cells, bigger dots on top for
 * anomalous, in-incident and outage cells), and a frame is drawn only when something changed.
 * Projection: equirectangular with the longitude scaled by cos(latitude of the network's centre).
 */
import type { Geometry } from '../geometry.js';
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

const GRID = 256;

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
  private grid: { start: Int32Array; items: Int32Array; minLat: number; minLon: number; dLat: number; dLon: number } | null = null;
  private highlight: { idx: number[]; label: string } | null = null;
  /** Open incidents as markers: centroid and extent of their cells, computed when they change. */
  private markers: { id: string; severity: string; lat: number; lon: number; rLat: number; label: string }[] = [];
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
    this.buildGrid();
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
  setHighlight(h: { idx: number[]; label: string } | null, zoom = true): void {
    this.highlight = h;
    if (h && zoom && this.geo && h.idx.length > 0) {
      let minLat = Infinity, maxLat = -Infinity, minLon = Infinity, maxLon = -Infinity;
      for (const i of h.idx) {
        const la = this.geo.lat[i]!, lo = this.geo.lon[i]!;
        if (la < minLat) minLat = la;
        if (la > maxLat) maxLat = la;
        if (lo < minLon) minLon = lo;
        if (lo > maxLon) maxLon = lo;
      }
      const pad = 0.02;
      this.fit(minLat - pad, maxLat + pad, minLon - pad, maxLon + pad);
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
      this.markers.push({ id: it.id, severity: it.severity, lat, lon, rLat: r, label: `${it.id.replace(/^INC-\d{8}-/, 'INC-')} · ${it.cellCount} cells` });
    }
    const rank: Record<string, number> = { warning: 0, minor: 1, major: 2, critical: 3 };
    this.markers.sort((a, b) => (rank[a.severity] ?? 0) - (rank[b.severity] ?? 0));
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

  private buildGrid(): void {
    const g = this.geo!;
    const b = g.header.bounds;
    if (!b) return (void (this.grid = null));
    const n = g.header.count;
    const dLat = Math.max(1e-9, (b.maxLat - b.minLat) / GRID);
    const dLon = Math.max(1e-9, (b.maxLon - b.minLon) / GRID);
    const bin = new Int32Array(n);
    const counts = new Int32Array(GRID * GRID + 1);
    for (let i = 0; i < n; i++) {
      const gx = Math.min(GRID - 1, Math.max(0, Math.floor((g.lon[i]! - b.minLon) / dLon)));
      const gy = Math.min(GRID - 1, Math.max(0, Math.floor((g.lat[i]! - b.minLat) / dLat)));
      bin[i] = gy * GRID + gx;
      counts[bin[i]! + 1]!++;
    }
    for (let k = 1; k < counts.length; k++) counts[k]! += counts[k - 1]!;
    const fill = counts.slice(0, GRID * GRID);
    const items = new Int32Array(n);
    for (let i = 0; i < n; i++) items[fill[bin[i]!]!++] = i;
    this.grid = { start: counts, items, minLat: b.minLat, minLon: b.minLon, dLat, dLon };
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
    const rLat = radius / this.view.scale;
    const rLon = radius / (this.view.scale * this.kx);
    const gx0 = Math.max(0, Math.floor((lon - rLon - grid.minLon) / grid.dLon));
    const gx1 = Math.min(GRID - 1, Math.floor((lon + rLon - grid.minLon) / grid.dLon));
    const gy0 = Math.max(0, Math.floor((lat - rLat - grid.minLat) / grid.dLat));
    const gy1 = Math.min(GRID - 1, Math.floor((lat + rLat - grid.minLat) / grid.dLat));
    let best: number | null = null;
    let bestD = radius * radius;
    for (let gy = gy0; gy <= gy1; gy++) {
      for (let gx = gx0; gx <= gx1; gx++) {
        const b = gy * GRID + gx;
        for (let k = grid.start[b]!; k < grid.start[b + 1]!; k++) {
          const i = grid.items[k]!;
          const [px, py] = this.project(g.lat[i]!, g.lon[i]!);
          // Problem cells win ties: they are what the operator is aiming at.
          const d = (px - x) ** 2 + (py - y) ** 2 - (this.status[i] ? 4 : 0);
          if (d < bestD) (bestD = d, best = i);
        }
      }
    }
    return best;
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
    if (g) this.drawOverlay(g);
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

  private drawOverlay(g: Geometry): void {
    const ctx = this.ctx;
    ctx.save();
    ctx.scale(this.dpr, this.dpr);
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
      ctx.beginPath();
      r.hull.forEach(([la, lo], k) => {
        const [x, y] = this.project(la, lo);
        if (k === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.closePath();
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.textBaseline = 'middle';
    // Open incidents: a ring around each one's cells, coloured by severity, labelled.
    const sevColour: Record<string, string> = { critical: '#ff4d4f', major: '#f2994a', minor: '#f2c94c', warning: '#6fb3da' };
    ctx.textAlign = 'left';
    ctx.font = '600 11px system-ui, sans-serif';
    // Rings most severe last (on top); labels placed most severe first (they win the space).
    const rings = this.markers.map((m) => {
      const [x, y] = this.project(m.lat, m.lon);
      return { m, x, y, r: Math.max(9, m.rLat * this.view.scale + 6) };
    });
    for (const { m, x, y, r } of rings) {
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
    for (const { m, x, y, r } of rings.reverse()) {
      const w = ctx.measureText(m.label).width + 8;
      const lx = x + r * 0.72 + 3, ly = y - r * 0.72 - 16;
      if (!free(lx, ly, w, 15)) continue;
      ctx.fillStyle = 'rgba(10, 14, 19, 0.85)';
      ctx.fillRect(lx, ly, w, 15);
      ctx.fillStyle = sevColour[m.severity] ?? '#ffffff';
      ctx.fillText(m.label, lx + 4, ly + 8);
    }
    ctx.textAlign = 'center';
    ctx.font = '600 13px system-ui, sans-serif';
    for (const r of [...g.header.regions].sort((a, b) => b.cells - a.cells)) {
      const [x, y] = this.project(r.labelLat, r.labelLon);
      const text = r.name.toUpperCase();
      const w = ctx.measureText(text).width + 8;
      if (!free(x - w / 2, y - 9, w, 18)) continue;
      ctx.fillStyle = 'rgba(10, 14, 19, 0.7)';
      ctx.fillRect(x - w / 2, y - 9, w, 18);
      ctx.fillStyle = '#c9d6e3';
      ctx.fillText(text, x, y);
    }
    // District names once zoomed in far enough to tell them apart.
    if (this.view.scale > 600) {
      ctx.font = '11px system-ui, sans-serif';
      for (const d of g.header.districts) {
        const [x, y] = this.project(d.lat, d.lon);
        const w = ctx.measureText(d.name).width + 6;
        if (x < 0 || y < 0 || x > this.canvas.clientWidth || y > this.canvas.clientHeight || !free(x - w / 2, y + 10, w, 14)) continue;
        ctx.fillStyle = 'rgba(150, 170, 190, 0.8)';
        ctx.fillText(d.name, x, y + 17);
      }
    }
    // The selected incident: rings around its cells and a frame with its id.
    const h = this.highlight;
    if (h && h.idx.length > 0) {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      for (const i of h.idx) {
        const [x, y] = this.project(g.lat[i]!, g.lon[i]!);
        x0 = Math.min(x0, x), y0 = Math.min(y0, y), x1 = Math.max(x1, x), y1 = Math.max(y1, y);
        if (h.idx.length <= 3000) (ctx.moveTo(x + 6, y), ctx.arc(x, y, 6, 0, Math.PI * 2));
      }
      ctx.stroke();
      ctx.setLineDash([6, 3]);
      ctx.strokeStyle = 'rgba(255, 255, 255, 0.8)';
      ctx.strokeRect(x0 - 14, y0 - 14, x1 - x0 + 28, y1 - y0 + 28);
      ctx.setLineDash([]);
      ctx.font = '600 12px system-ui, sans-serif';
      ctx.textAlign = 'left';
      const w = ctx.measureText(h.label).width + 10;
      ctx.fillStyle = 'rgba(255, 255, 255, 0.92)';
      ctx.fillRect(x0 - 14, y0 - 34, w, 18);
      ctx.fillStyle = '#0a0e13';
      ctx.fillText(h.label, x0 - 9, y0 - 25);
    }
    if (this.selectedCell !== null && this.selectedCell < g.header.count) {
      const [x, y] = this.project(g.lat[this.selectedCell]!, g.lon[this.selectedCell]!);
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
}
