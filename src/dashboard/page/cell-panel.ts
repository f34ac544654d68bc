/**
 * The cell panel: inventory facts, active anomalies, and each KPI over the last day with the learned
 * baseline band (lower–upper), the expected value, and the anomalies marked (shaded spans, their
 * samples in red) — from `GET /api/v1/cells/:id`.
 */
import uPlot from 'uplot';
import type { IncidentItem } from '../protocol.js';
import { apiGet } from './api.js';
import { anomalyRows, type CellAnomaly } from './cell-anomalies.js';
import { axisTimes, byId, esc, fmtDateTime, fmtInt, human, plural } from './format.js';
import { kpiUnit } from './kpi-unit.js';

interface KpiSeries { t: string[]; value: number[]; expected: (number | null)[]; lower: (number | null)[]; upper: (number | null)[] }
interface CellResponse {
  cellId: string; siteId: string; transportId: string; region: string; district: string; lat: number; lon: number;
  technology: string; areaClass: string; subscribers: number; siteCells: string[]; status: string;
  anomalies: CellAnomaly[]; kpis: Record<string, KpiSeries>;
}

const DAY_S = 86_400;

export class CellPanel {
  private plots: uPlot[] = [];
  private current: string | null = null;

  constructor(private readonly onClose: () => void, private readonly onIncident: (id: string) => void) {
    byId('cell-close').addEventListener('click', () => this.close());
    byId('cell-body').addEventListener('click', (e) => {
      const id = (e.target as HTMLElement).closest<HTMLElement>('[data-incident]')?.dataset.incident;
      if (id) this.onIncident(id);
    });
  }

  close(): void {
    this.current = null;
    byId('cell-panel').hidden = true;
    this.clearPlots();
    this.onClose();
  }

  private clearPlots(): void {
    for (const p of this.plots) p.destroy();
    this.plots = [];
  }

  /** `incidents`: the open incidents covering this cell (from the page's state). */
  async open(cellId: string, incidents: readonly IncidentItem[] = []): Promise<void> {
    this.current = cellId;
    const panel = byId('cell-panel');
    panel.hidden = false;
    byId('cell-title').textContent = cellId;
    byId('cell-title').title = cellId; // a long id is ellipsized; the close button stays in view
    byId('cell-body').innerHTML = '<div class="dim pad">loading…</div>';
    this.clearPlots();
    let c: CellResponse;
    try {
      c = (await apiGet(`/api/v1/cells/${encodeURIComponent(cellId)}`)) as CellResponse;
    } catch (e) {
      if (this.current === cellId) byId('cell-body').innerHTML = `<div class="dim pad">${esc((e as Error).message)}</div>`;
      return;
    }
    if (this.current !== cellId) return;
    const body = byId('cell-body');
    body.innerHTML = `
      <div class="cell-facts">
        <span class="k">status</span><span class="status-${esc(c.status)}">${esc(c.status)}</span>
        <span class="k">site</span><span class="mono">${esc(c.siteId)}</span>
        <span class="k">transport</span><span class="mono">${esc(c.transportId)}</span>
        <span class="k">area</span><span>${esc(c.region)} / ${esc(c.district)} · ${esc(human(c.areaClass))}</span>
        <span class="k">radio</span><span>${esc(c.technology)} · ${fmtInt(c.subscribers)} subscribers · ${plural(c.siteCells.length, 'cell')} on site</span>
        <span class="k">location</span><span class="mono">${c.lat.toFixed(4)}, ${c.lon.toFixed(4)}</span>
      </div>
      <div class="cell-incs">${incidents.map((i) => `<div class="cell-inc sev-${esc(i.severity)}" data-incident="${esc(i.id)}">
        <b>${esc(i.id)}</b> · ${esc(i.severity)} · ${esc(human(i.rootCause.category))} at ${esc(i.rootCause.objectType)} ${esc(i.rootCause.objectId)} · ${plural(i.cellCount, 'cell')}</div>`).join('')}</div>
      <div class="cell-anoms">${c.anomalies.length
        ? anomalyRows(c.anomalies).map((a) => {
          const measure = a.measure && !a.sources.includes(a.measure) ? ` · ${esc(a.measure)}` : '';
          return `<div class="anom sev-${esc(a.severity)}"><b>${esc(human(a.signal))}</b> ${esc(a.sources.join(' + '))} · ${esc(a.state)}${measure} · since ${esc(fmtDateTime(a.startedAt))}${a.evidence.map((ev) => `<div class="anom-ev">${esc(ev)}</div>`).join('')}</div>`;
        }).join('')
        : '<div class="dim">no active anomalies</div>'}</div>
      <div id="cell-charts"></div>`;
    const charts = byId('cell-charts');
    const names = Object.keys(c.kpis);
    if (names.length === 0) {
      charts.innerHTML = '<div class="dim pad">No KPI history for this cell yet (it arrives with PM data once detectors run).</div>';
      return;
    }
    charts.insertAdjacentHTML('beforebegin', '<div class="chart-legend"><span><i class="lg-value"></i>value</span><span><i class="lg-exp"></i>expected</span><span><i class="lg-band"></i>learned band</span><span><i class="lg-anom"></i>anomaly</span></div>');
    const width = Math.max(280, charts.clientWidth - 4);
    for (const name of names) {
      const k = c.kpis[name]!;
      const t = k.t.map((x) => Date.parse(x) / 1000);
      const last = t.length ? t[t.length - 1]! : 0;
      const keep = t.map((x) => x >= last - DAY_S);
      const pick = <T>(a: T[]) => a.filter((_, i) => keep[i]);
      const xs = pick(t), v = pick(k.value), ex = pick(k.expected), lo = pick(k.lower), up = pick(k.upper);
      const spans = c.anomalies.filter((a) => a.signal === name).map((a) => [Date.parse(a.startedAt) / 1000, a.resolvedAt ? Date.parse(a.resolvedAt) / 1000 : Infinity] as const);
      // Marked: the samples the detector holds anomalous (inside an anomaly's span), not every
      // sample that strays outside the band — a rate's band is tight and strays are normal.
      const flagged = v.map((y, i) => (spans.some(([s0, s1]) => xs[i]! >= s0 && xs[i]! <= s1) ? y : null));
      const box = document.createElement('div');
      box.className = 'chart';
      const unit = kpiUnit(name);
      box.innerHTML = `<div class="chart-title">${esc(human(name))}${unit ? ` <span class="dim">· ${esc(unit)}</span>` : ''}</div>`;
      charts.append(box);
      const plot = new uPlot({
        width, height: 120, pxAlign: false,
        legend: { show: false }, cursor: { y: false },
        scales: { x: { time: true } },
        axes: [
          // 24-hour local time like the rest of the page (uPlot's default reads "8am 11/23/26").
          { stroke: '#7b8a9a', grid: { stroke: '#1b2531', width: 1 }, ticks: { stroke: '#1b2531' }, font: '10px system-ui', values: (_u: uPlot, ticks: number[]) => axisTimes(ticks) },
          { stroke: '#7b8a9a', grid: { stroke: '#1b2531', width: 1 }, ticks: { stroke: '#1b2531' }, font: '10px system-ui', size: 42, ...(unit ? { label: unit, labelSize: 14, labelFont: '10px system-ui' } : {}) },
        ],
        series: [
          {},
          { label: 'lower', stroke: 'rgba(111,179,218,0.35)', width: 1 },
          { label: 'upper', stroke: 'rgba(111,179,218,0.35)', width: 1 },
          { label: 'expected', stroke: '#6fb3da', width: 1, dash: [4, 4] },
          { label: 'value', stroke: '#e6edf3', width: 1.5 },
          { label: 'anomalous', stroke: '#ff4d4f', width: 0, paths: () => null, points: { show: true, size: 6, fill: '#ff4d4f', stroke: '#ff4d4f' } },
        ],
        bands: [{ series: [2, 1], fill: 'rgba(63,126,166,0.28)' }],
        hooks: {
          drawClear: [(u: uPlot) => {
            const ctx = u.ctx;
            ctx.save();
            ctx.fillStyle = 'rgba(255,77,79,0.16)';
            for (const [s, e] of spans) {
              const x0 = u.valToPos(Math.max(s, u.scales.x.min!), 'x', true);
              const x1 = u.valToPos(Math.min(e, u.scales.x.max!), 'x', true);
              if (x1 > x0) ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
            }
            ctx.restore();
          }],
        },
      }, [xs, lo, up, ex, v, flagged] as uPlot.AlignedData, box);
      this.plots.push(plot);
    }
  }
}
