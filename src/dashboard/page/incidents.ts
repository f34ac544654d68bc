/**
 * The open-incident list (most severe, then newest first) and the incident panel with its timeline.
 * SLA countdowns run on event time (the watermark), like the SLA clocks of the ticket stage.
 */
import { compareIncidents } from '../incident-order.js';
import type { IncidentItem, TimelineEntry } from '../protocol.js';
import { apiGet } from './api.js';
import { ticketBadge, ticketLine, whereLine, whereText } from './incident-text.js';
import { byId, esc, fmtDateTime, fmtDuration, fmtHm, fmtInt, human } from './format.js';

const MAX_ROWS = 200;
/** A timeline is refetched at most this often while its incident keeps changing. */
const TIMELINE_REFRESH_MS = 5_000;

/** Where the panel reads incidents: the open ones, and any it knows of (also resolved while watched). */
export interface IncidentSource {
  readonly incidents: ReadonlyMap<string, IncidentItem>;
  incident(id: string): IncidentItem | undefined;
}

function row(i: IncidentItem, now: number | null, selected: boolean): string {
  const vip = i.vipComplaints > 0 ? ` <span class="vip" title="VIP complainants">★${i.vipComplaints} VIP</span>` : '';
  return `<div class="inc sev-${esc(i.severity)}${selected ? ' selected' : ''}" data-id="${esc(i.id)}">
    <div class="inc-top">
      <span class="sev">${esc(i.severity.toUpperCase())}</span>
      <span class="cause">${esc(human(i.rootCause.category))} · ${esc(i.rootCause.objectType)} <b>${esc(i.rootCause.objectId)}</b></span>
      ${ticketBadge(i, now)}
    </div>
    <div class="inc-mid">
      <span class="triage t-${esc(i.triage.class)}">${esc(human(i.triage.class))} ${i.triage.score}</span>
      <span>${esc(whereText(i))}</span>
      <span><b>${fmtInt(i.cellCount)}</b> cell${i.cellCount === 1 ? '' : 's'}</span>
      <span><b>${fmtInt(i.complaints)}</b> complaint${i.complaints === 1 ? '' : 's'}${vip}</span>
      <span class="dim">for ${now !== null ? fmtDuration(now - i.openedAt) : '—'}</span>
    </div>
    <div class="inc-why">${esc(i.triage.reasons.slice(0, 3).join(' · ') || '—')}</div>
    <div class="inc-ticket">${ticketLine(i)}</div>
  </div>`;
}

export class IncidentPanel {
  private selected: string | null = null;
  private timelineFor: { id: string; updatedAt: number; fetchedAt: number } | null = null;
  private items: IncidentItem[] = [];
  private source: IncidentSource | null = null;
  /** Event time of the last render: a detail opened between two updates counts down from it. */
  private now: number | null = null;

  constructor(private readonly onSelect: (i: IncidentItem | null) => void) {
    byId('incident-list').addEventListener('click', (e) => {
      const id = (e.target as HTMLElement).closest<HTMLElement>('.inc')?.dataset.id;
      if (id) this.select(id);
    });
    byId('incident-close').addEventListener('click', () => this.select(null));
  }

  get selectedId(): string | null {
    return this.selected;
  }

  /**
   * Redraws the list, and the open detail from the incident's current version: still open, resolved
   * while watched (with what became of its ticket), or gone (another daemon): then the detail closes.
   */
  render(state: IncidentSource, now: number | null): void {
    this.source = state;
    this.now = now;
    this.items = [...state.incidents.values()].sort(compareIncidents);
    const shown = this.items.slice(0, MAX_ROWS);
    byId('incident-count').textContent = `${this.items.length}`;
    byId('incident-list').innerHTML = shown.length
      ? shown.map((i) => row(i, now, i.id === this.selected)).join('') + (this.items.length > MAX_ROWS ? `<div class="dim pad">… ${this.items.length - MAX_ROWS} more</div>` : '')
      : '<div class="empty">No open incidents — the network is healthy.</div>';
    if (this.selected) {
      const cur = state.incident(this.selected);
      if (cur) this.renderDetail(cur, now);
      else this.select(null);
    }
  }

  /** Another daemon: the open timeline belongs to the previous one and is fetched again. */
  forgetTimeline(): void {
    this.timelineFor = null;
  }

  select(id: string | null): void {
    this.selected = id;
    const item = id ? this.source?.incident(id) ?? null : null;
    byId('incident-detail').hidden = !item;
    this.timelineFor = null;
    byId('timeline').innerHTML = '<div class="dim pad">loading timeline…</div>';
    this.onSelect(item);
    if (item) this.renderDetail(item, this.now);
    else this.selected = null;
    for (const e of byId('incident-list').querySelectorAll<HTMLElement>('.inc')) e.classList.toggle('selected', e.dataset.id === id);
  }

  private renderDetail(i: IncidentItem, now: number | null): void {
    byId('incident-title').innerHTML = `<span class="sev-chip sev-${esc(i.severity)}">${esc(i.severity.toUpperCase())}</span> ${esc(i.id)}`;
    byId('incident-state').innerHTML = i.state === 'open'
      ? '<span class="tag">open</span>'
      : `<span class="tag good" title="${esc(fmtDateTime(i.resolvedAt))}">RESOLVED${i.resolvedAt != null ? ` ${esc(fmtHm(i.resolvedAt))}` : ''}</span>`;
    const fact = (k: string, v: string) => `<div><span class="k">${k}</span><span>${v}</span></div>`;
    // What to act on first (the ticket and its SLA), the long reasoning last: on a laptop the facts scroll.
    byId('incident-facts').innerHTML = [
      fact('root cause', `${esc(human(i.rootCause.category))} at ${esc(i.rootCause.objectType)} <b>${esc(i.rootCause.objectId)}</b>`),
      fact('ticket', `${ticketLine(i)} ${i.ticket && now !== null ? ticketBadge(i, now) : ''}`),
      fact('where', whereLine(i)),
      fact('started', `${fmtDateTime(i.openedAt)} · ${i.detectedAt > i.openedAt ? `detected after ${fmtDuration(i.detectedAt - i.openedAt)}` : 'detected at once'}${i.reopenCount ? ` · reopened ${i.reopenCount}×` : ''}`),
      fact('complaints', `${fmtInt(i.complaints)}${i.vipComplaints ? ` <span class="vip">★${i.vipComplaints} VIP</span>` : ''}`),
      fact('triage', `<span class="triage t-${esc(i.triage.class)}">${esc(human(i.triage.class))} ${i.triage.score}</span> ${esc(i.triage.reasons.join(' · '))}`),
      i.rootCause.reasoning?.length ? fact('why', esc(i.rootCause.reasoning.join(' · '))) : '',
    ].join('');
    const tf = this.timelineFor;
    if (!tf || tf.id !== i.id || (tf.updatedAt !== i.updatedAt && Date.now() - tf.fetchedAt > TIMELINE_REFRESH_MS)) {
      this.timelineFor = { id: i.id, updatedAt: i.updatedAt, fetchedAt: Date.now() };
      void this.loadTimeline(i.id);
    }
  }

  private async loadTimeline(id: string): Promise<void> {
    const box = byId('timeline');
    try {
      const res = (await apiGet(`/api/v1/dashboard/incidents/${encodeURIComponent(id)}/timeline`)) as { items: TimelineEntry[] };
      if (this.selected !== id) return;
      let day = '';
      box.innerHTML = res.items.map((e) => {
        const d = fmtDateTime(e.t).slice(0, 10);
        const head = d !== day ? `<div class="tl-day">${d}</div>` : '';
        day = d;
        return `${head}<div class="tl tl-${e.kind}${e.alert ? ' alert' : ''}"><span class="tl-t">${fmtHm(e.t)}</span><span class="tl-dot"></span><span class="tl-x">${esc(e.text)}</span></div>`;
      }).join('') || '<div class="dim pad">nothing recorded yet</div>';
    } catch (e) {
      if (this.selected === id) box.innerHTML = `<div class="dim pad">timeline unavailable: ${esc((e as Error).message)}</div>`;
    }
  }
}
