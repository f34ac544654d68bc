/** The smaller panels: header counters, complaint ticker, ticket board, feed health. */
import uPlot from 'uplot';
import type { ComplaintItem, Counters, FeedBoard, TicketBoard } from '../protocol.js';
import { byId, esc, fmtClock, fmtDuration, fmtHm, fmtInt, fmtNumber, human } from './format.js';

const VIP = new Set(['vip_diamond', 'vip_gold', 'vip_silver']);
const TICKET_STATES = ['open', 'acknowledged', 'in_progress', 'reopened', 'resolved', 'verified', 'closed'];
const DEPARTMENTS = ['maintenance', 'optimization', 'construction'];
const CHANNEL_SHORT: Record<string, string> = {
  hotline: 'HOTLINE', retail: 'RETAIL', online: 'ONLINE', app: 'APP', staff: 'STAFF',
  enterprise_manager: 'ENT MGR', quality_supervisor: 'QA SUPV', regulator: 'REGULATOR',
};

/** The distinctive tail of an id (INC-20261123-0007 → …-0007); the full id is in the tooltip. */
const shortId = (id: string) => (id.length > 10 ? `…${id.slice(-6)}` : id);

export function renderCounters(c: Counters, watermark: number | null, lagS: number | null): void {
  byId('counters').innerHTML = `
    <span class="chip"><b>${fmtInt(c.cells)}</b> cells</span>
    <span class="chip st-anomalous"><i></i><b>${fmtInt(c.anomalous)}</b> anomalous</span>
    <span class="chip st-incident"><i></i><b>${fmtInt(c.incident)}</b> in incident</span>
    <span class="chip st-outage"><i></i><b>${fmtInt(c.outage)}</b> outage</span>
    <span class="chip"><b>${fmtInt(c.openIncidents)}</b> open incident${c.openIncidents === 1 ? '' : 's'}</span>
    <span class="chip"><b>${fmtInt(c.complaintsToday)}</b> complaints / 24h</span>`;
  byId('event-time').textContent = watermark === null ? '—' : fmtClock(watermark);
  // How far the newest data is from now: a replay or a stuck feed shows here, not the lateness allowance.
  byId('event-lag').textContent = lagS === null ? '' : Math.abs(lagS) < 120 ? 'data live' : lagS > 0 ? `data ${fmtDuration(lagS * 1000)} behind` : `data ${fmtDuration(-lagS * 1000)} ahead`;
}

export function renderComplaints(items: ComplaintItem[], skipped: number): void {
  const linked = items.filter((c) => c.incidentId).length;
  byId('complaint-stats').textContent = `${linked}/${items.length} linked${skipped ? ` · ${fmtInt(skipped)} more not shown` : ''}`;
  byId('complaint-list').innerHTML = items.length
    ? items.slice(0, 60).map((c) => `<div class="cmp${VIP.has(c.customerClass) ? ' is-vip' : ''}">
        <span class="mono dim">${fmtHm(c.receivedAt)}</span>
        <span class="chan" title="${esc(human(c.channel))}">${esc(CHANNEL_SHORT[c.channel] ?? c.channel)}</span>
        <span class="cls">${VIP.has(c.customerClass) ? `★ ${esc(c.customerClass.slice(4))}` : esc(human(c.customerClass))}</span>
        <span class="cat">${esc(human(c.category))}</span>
        <span class="mono place" title="${esc(c.placeDetail ?? c.place)}">${esc(c.place)}</span>
        ${c.incidentId ? `<span class="link ok" title="linked to ${esc(c.incidentId)}">→ ${esc(shortId(c.incidentId))}</span>` : '<span class="link none">unlinked</span>'}
      </div>`).join('')
    : '<div class="empty">No complaints yet.</div>';
}

export function renderTickets(b: TicketBoard): void {
  byId('ticket-stats').innerHTML = `<span class="chip"><b>${fmtInt(b.total)}</b> ticket${b.total === 1 ? '' : 's'}</span>
    <span class="chip ${b.breached ? 'bad' : ''}"><b>${fmtInt(b.breached)}</b> SLA breached</span>
    <span class="chip ${b.deadLetters ? 'bad' : ''}"><b>${fmtInt(b.deadLetters)}</b> dead letter${b.deadLetters === 1 ? '' : 's'}</span>`;
  const head = `<tr><th></th>${DEPARTMENTS.map((d) => `<th>${esc(d.slice(0, 5))}.</th>`).join('')}<th>all</th></tr>`;
  const rows = TICKET_STATES.map((s) => {
    const r = b.counts[s] ?? {};
    const total = DEPARTMENTS.reduce((n, d) => n + (r[d] ?? 0), 0);
    return `<tr class="${total ? '' : 'zero'}"><td>${esc(human(s))}</td>${DEPARTMENTS.map((d) => `<td>${r[d] ? r[d] : '·'}</td>`).join('')}<td><b>${total || '·'}</b></td></tr>`;
  }).join('');
  byId('ticket-table').innerHTML = head + rows;
  byId('ticket-attention').innerHTML = b.attention.length
    ? `<h4>needs attention · ${fmtInt(b.attention.length)}</h4>` + b.attention.map((t) => `<div class="att" title="${esc(t.id)} · ${esc(t.department)} · ${esc(human(t.state))}">
        <div><span class="mono">${esc(t.id)}</span> · ${esc(t.department)} · ${esc(human(t.state))}</div>
        <div>${t.pushState === 'dead_letter' ? '<span class="tag bad">DEAD LETTER</span>' : ''}${t.breached.length ? `<span class="tag bad">SLA ${esc(t.breached.join(' + '))}</span>` : ''}</div></div>`).join('')
    : '<h4>needs attention</h4><div class="dim">No SLA breaches, no dead letters.</div>';
}

const TREND_POINTS = 90;

/** Feed health: one row per feed, kept across updates so each row's uPlot trend (records/s) lives on. */
export class FeedPanel {
  private readonly rows = new Map<string, { tr: HTMLTableRowElement; plot: uPlot; t: number[]; v: number[] }>();

  /** Another daemon: its feeds, counters and trends start from nothing. */
  reset(): void {
    for (const r of this.rows.values()) (r.plot.destroy(), r.tr.remove());
    this.rows.clear();
  }

  render(f: FeedBoard | null): void {
    if (!f) return;
    const table = byId<HTMLTableElement>('feed-table');
    if (!table.tHead) table.createTHead().innerHTML = '<tr><th>feed</th><th>rec/s</th><th>trend</th><th>accepted</th><th>rejected</th><th>last record</th><th>lag</th><th></th></tr>';
    const body = table.tBodies[0] ?? table.createTBody();
    const wall = f.wall;
    for (const x of f.feeds) {
      let row = this.rows.get(x.feed);
      if (!row) {
        const tr = body.insertRow();
        tr.innerHTML = '<td></td><td class="num"></td><td class="trend"></td><td class="num"></td><td class="num"></td><td class="num"></td><td class="num"></td><td></td>';
        const plot = new uPlot({
          width: 120, height: 22, pxAlign: false, cursor: { show: false }, legend: { show: false },
          select: { show: false, left: 0, top: 0, width: 0, height: 0 },
          scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
          axes: [{ show: false }, { show: false }],
          series: [{}, { stroke: '#6fb3da', width: 1.25, fill: 'rgba(111,179,218,0.15)', points: { show: false } }],
        }, [[], []], tr.cells[2]!);
        row = { tr, plot, t: [], v: [] };
        this.rows.set(x.feed, row);
      }
      row.t.push(wall / 1000);
      row.v.push(x.ratePerS);
      if (row.t.length > TREND_POINTS) (row.t.shift(), row.v.shift());
      row.plot.setData([row.t, row.v]);
      const silent = x.lastSeenWall === null ? null : wall - x.lastSeenWall;
      const c = row.tr.cells;
      row.tr.className = x.stale ? 'stale' : '';
      c[0]!.innerHTML = `<b>${esc(x.feed)}</b>`;
      c[1]!.textContent = fmtNumber(x.ratePerS);
      c[3]!.textContent = fmtInt(x.accepted);
      c[4]!.className = `num ${x.rejectRatePerS > 0 ? 'warn' : ''}`;
      c[4]!.textContent = `${fmtInt(x.rejected)}${x.rejectRatePerS > 0 ? ` (${fmtNumber(x.rejectRatePerS)}/s)` : ''}`;
      c[5]!.textContent = silent === null ? 'never' : `${fmtDuration(silent)} ago`;
      c[6]!.textContent = x.lagS === null ? '—' : fmtDuration(x.lagS * 1000);
      c[7]!.innerHTML = x.stale
        ? `<span class="tag bad">${x.lastSeenWall === null ? 'NO DATA' : `NO DATA ${fmtDuration(silent!)}`}</span>`
        : x.lastSeenWall === null ? '<span class="tag">waiting</span>' : '<span class="tag good">OK</span>';
    }
    const pct = f.queueLimit > 0 ? Math.min(100, (100 * f.pending) / f.queueLimit) : 0;
    byId('queue').innerHTML = `<span>queue <b>${fmtInt(f.pending)}</b> / ${fmtInt(f.queueLimit)}</span>
      <span class="bar"><span style="width:${pct.toFixed(1)}%" class="${pct > 80 ? 'bad' : pct > 40 ? 'warn' : ''}"></span></span>
      <span>watermark <b>${f.watermark === null ? '—' : fmtClock(f.watermark)}</b></span>`;
  }
}
