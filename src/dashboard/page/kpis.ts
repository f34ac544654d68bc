/** The process-KPI tiles of the evaluate step, each with its trend as a uPlot sparkline. */
import uPlot from 'uplot';
import type { KpiTile } from '../protocol.js';
import { byId, el, esc, fmtNumber } from './format.js';

interface Tile {
  root: HTMLElement;
  value: HTMLElement;
  note: HTMLElement;
  plot: uPlot;
}

function trendClass(k: KpiTile): string {
  const vals = k.v.filter((v): v is number => v !== null);
  if (vals.length < 2 || k.value === null) return 'flat';
  const d = vals[vals.length - 1]! - vals[0]!;
  if (Math.abs(d) < 1e-9) return 'flat';
  return (d > 0) === (k.better === 'higher') ? 'up-good' : 'up-bad';
}

export class KpiTiles {
  private readonly tiles = new Map<string, Tile>();

  render(kpis: KpiTile[]): void {
    const box = byId('kpis');
    for (const k of kpis) {
      let t = this.tiles.get(k.key);
      if (!t) {
        const root = el('div', 'kpi');
        root.innerHTML = `<div class="kpi-label" title="${esc(k.label)}">${esc(k.label)}</div>`;
        const value = el('div', 'kpi-value');
        const note = el('div', 'kpi-note');
        const spark = el('div', 'kpi-spark');
        root.append(value, note, spark);
        box.append(root);
        const plot = new uPlot({
          width: 150, height: 30, pxAlign: false,
          cursor: { show: false }, select: { show: false, left: 0, top: 0, width: 0, height: 0 }, legend: { show: false },
          scales: { x: { time: false } },
          axes: [{ show: false }, { show: false }],
          series: [{}, { stroke: '#6fb3da', width: 1.5, fill: 'rgba(111, 179, 218, 0.12)', spanGaps: true, points: { show: false } }],
        }, [[], []], spark);
        t = { root, value, note, plot };
        this.tiles.set(k.key, t);
      }
      const unit = k.unit === '%' ? '%' : ` ${k.unit}`;
      t.value.innerHTML = k.value === null ? '<span class="dim">—</span>' : `${fmtNumber(k.value)}<small>${esc(unit)}</small>`;
      t.note.textContent = k.note ?? (k.better === 'higher' ? 'higher is better' : 'lower is better');
      t.note.title = t.note.textContent; // cut to two lines on a laptop
      t.root.className = `kpi ${trendClass(k)}`;
      t.plot.setData([k.t.map((x) => x / 1000), k.v] as uPlot.AlignedData);
    }
  }
}
