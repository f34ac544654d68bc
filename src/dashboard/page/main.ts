/** The NOC wall page: wires the stream, the state and the panels together. */
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { decodeGeometry } from '../geometry.js';
import { apiGet } from './api.js';
import { CellPanel } from './cell-panel.js';
import { Connection } from './connection.js';
import { byId, fmtClock, fmtInt, plural } from './format.js';
import { IncidentPanel } from './incidents.js';
import { KpiTiles } from './kpis.js';
import { CellMap } from './map.js';
import { FeedPanel, renderComplaints, renderCounters, renderTickets } from './panels.js';
import { ClientState } from './state.js';

const state = new ClientState(100);
const cellPanel = new CellPanel(() => map.selectCell(null), (id) => incidents.select(id));
function openCell(i: number): void {
  const id = map.cellId(i);
  if (!id) return;
  map.selectCell(i);
  void cellPanel.open(id, [...state.incidents.values()].filter((inc) => inc.cellIdx.includes(i)));
}
const map = new CellMap(byId<HTMLCanvasElement>('map'), byId('map-tip'), openCell);
const incidents = new IncidentPanel((item) => map.setHighlight(item ? { id: item.id, idx: item.cellIdx, label: `${item.id} · ${plural(item.cellCount, 'cell')}` } : null));
const kpis = new KpiTiles();
const feeds = new FeedPanel();

byId('zoom-in').addEventListener('click', () => map.zoomBy(1.5));
byId('zoom-out').addEventListener('click', () => map.zoomBy(1 / 1.5));
byId('zoom-fit').addEventListener('click', () => map.fitAll());

/** A cell panel open when the daemon changed: reopened from the new geometry if the cell is in it. */
let cellToReopen: string | null = null;

/**
 * Connected to another daemon (or this one restarted): what the page shows of the previous one goes.
 * The incident detail closes unless the new daemon has the incident too (render() decides), its
 * timeline is fetched again, trends start over, and the cell panel is reopened once the new
 * inventory is in (or closed when the cell is not in it).
 */
function forgetPreviousDaemon(): void {
  incidents.forgetTimeline();
  feeds.reset();
  if (!byId('cell-panel').hidden) {
    cellToReopen = byId('cell-title').textContent;
    cellPanel.close();
  }
}

let geometryWanted: string | null = null;
async function loadGeometry(version: string): Promise<void> {
  geometryWanted = version;
  let buf: ArrayBuffer;
  try {
    buf = (await apiGet('/api/v1/dashboard/cells', 'arrayBuffer')) as ArrayBuffer;
  } catch (e) {
    console.error('cell geometry', e);
    setTimeout(() => geometryWanted === version && void loadGeometry(version), 2000);
    return;
  }
  const geo = decodeGeometry(buf);
  if (geometryWanted !== version) return; // a newer inventory arrived meanwhile
  map.setGeometry(geo);
  map.setStatus(state.status);
  map.setIncidents([...state.incidents.values()]);
  byId('map-empty').hidden = geo.header.count > 0;
  byId('map-info').textContent = `${fmtInt(geo.header.count)} cells · ${plural(geo.header.regions.length, 'region')}`;
  const reopen = cellToReopen;
  cellToReopen = null;
  const i = reopen ? map.indexOf(reopen) : undefined;
  if (i !== undefined) openCell(i);
}

function render(ch: ReturnType<ClientState['apply']>): void {
  if (ch.epoch) forgetPreviousDaemon();
  const lagS = state.feeds?.behindLiveS ?? null;
  if (ch.cells) map.setStatus(state.status);
  if (ch.counters || ch.feeds) renderCounters(state.counters, state.watermark, lagS);
  if (ch.incidents) map.setIncidents([...state.incidents.values()]);
  if (ch.incidents || ch.cells || ch.counters) {
    incidents.render(state, state.watermark);
    const sel = incidents.selectedId ? state.incidents.get(incidents.selectedId) : undefined;
    if (sel) map.setHighlight({ id: sel.id, idx: sel.cellIdx, label: `${sel.id} · ${plural(sel.cellCount, 'cell')}` }, false);
  }
  if (ch.complaints) renderComplaints(state.complaints, state.complaintsSkipped);
  if (ch.tickets) renderTickets(state.tickets);
  if (ch.kpis) kpis.render(state.kpis);
  if (ch.feeds) feeds.render(state.feeds);
}

const conn = new Connection(state, (msg) => {
  const ch = state.apply(msg);
  if (ch.gap) {
    conn.resync();
    return;
  }
  if (ch.geometry && state.geometryVersion) void loadGeometry(state.geometryVersion);
  render(ch);
});

// Escape closes the cell panel, then the incident panel.
document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape') return;
  if (!byId('cell-panel').hidden) cellPanel.close();
  else if (incidents.selectedId) incidents.select(null);
});

setInterval(() => (byId('wall-time').textContent = fmtClock(Date.now())), 1000);
byId('wall-time').textContent = fmtClock(Date.now());
// Ask for a token first if the daemon wants one (a refused WebSocket upgrade cannot say why).
void apiGet('/api/v1/dashboard/session').catch(() => undefined).then(() => conn.start());

// For the browser tests and for operators poking at the console.
Object.assign(window, {
  nocwatch: {
    state, map,
    openCell: (cellId: string) => {
      const i = map.indexOf(cellId);
      if (i !== undefined) openCell(i);
    },
  },
});
