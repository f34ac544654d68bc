/** Small formatting helpers for a dense wall display. */

export const human = (s: string): string => s.replace(/_/g, ' ');

export function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}

/** HH:MM:SS (local time of the browser). */
export function fmtClock(t: number | null | undefined): string {
  if (t == null) return '—';
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
}

/** HH:MM (local). */
export function fmtHm(t: number | null | undefined): string {
  return t == null ? '—' : fmtClock(t).slice(0, 5);
}

/** YYYY-MM-DD HH:MM:SS (local). */
export function fmtDateTime(t: number | null | undefined): string {
  if (t == null) return '—';
  const d = new Date(t);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${fmtClock(t)}`;
}

/**
 * Time-axis tick labels (ticks in epoch seconds) in the page's 24-hour local time like every other
 * time on it: "HH:MM", and the date ("MM-DD") under the first tick and under each that starts a new
 * day — instead of uPlot's default "8am" and "11/23/26".
 */
export function axisTimes(ticks: readonly number[]): string[] {
  let day = '';
  return ticks.map((t) => {
    const iso = fmtDateTime(t * 1000);
    const d = iso.slice(5, 10);
    const hm = iso.slice(11, 16);
    if (d === day) return hm;
    day = d;
    return `${hm}\n${d}`;
  });
}

/** "1 cell", "6 cells", "1,204 cells". */
export function plural(n: number, noun: string): string {
  return `${fmtInt(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** A duration in ms as "3d 4h", "2h 05m", "14m", "40s". */
export function fmtDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function fmtNumber(v: number | null | undefined, digits = 1): string {
  if (v == null || !Number.isFinite(v)) return '—';
  if (Math.abs(v) >= 1000) return fmtInt(Math.round(v));
  return v.toFixed(digits);
}

/** Escapes text for innerHTML. */
export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} missing from the page`);
  return e as T;
}

/**
 * What the detector saw, in a line: observed against expected (over how many periods), a radio-failure
 * count's failures per KPI in its last period (their expectation in brackets), the threshold a value
 * crossed, the alarm, the probe's or the cell's failed tests, the silence of a feed.
 */
export function evidenceLine(e: Record<string, number | string | boolean | null> | undefined): string {
  if (!e) return '';
  const num = (v: number) => (Number.isInteger(v) ? fmtInt(v) : fmtNumber(v, 2));
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const parts: string[] = [];
  if (typeof e.observed === 'number' && typeof e.expected === 'number') {
    const periods = typeof e.periods === 'number' && e.periods > 1 ? ` over ${e.periods} periods` : '';
    parts.push(`${num(e.observed)} against ${num(e.expected)} expected${periods}`);
  }
  if (typeof e.observed === 'number' && typeof e.threshold === 'number') {
    parts.push(`${num(e.observed)}, ${e.rule === 'above' ? 'above' : 'below'} the threshold of ${num(e.threshold)}`);
  }
  const perKpi: string[] = [];
  for (const [k, v] of Object.entries(e)) {
    if (!k.endsWith('.failures') || typeof v !== 'number') continue;
    const kpi = k.slice(0, -'.failures'.length);
    const exp = e[`${kpi}.expected`];
    perKpi.push(`${human(kpi)} ${num(v)}${typeof exp === 'number' ? ` (${num(exp)})` : ''}`);
  }
  if (perKpi.length > 0) parts.push(`last period: ${perKpi.join(', ')}`);
  if (str(e.alarmIds)) {
    const sp = str(e.specificProblem);
    parts.push(`alarm ${e.alarmIds}${str(e.severity) ? ` (${e.severity})` : ''}${sp ? `: ${sp}` : ''}${e.flapping === true ? `, flapping (${num(Number(e.cycles) || 0)} clears)` : ''}`);
  }
  if (typeof e.consecutiveFailures === 'number') {
    const causes = str(e.causes);
    parts.push(`${str(e.probeId) ? `probe ${e.probeId}: ` : ''}${num(e.consecutiveFailures)} failed tests in a row${causes ? ` (${human(causes).replace(/,/g, ', ')})` : ''}`);
  } else if (typeof e.failures === 'number' && typeof e.tests === 'number') {
    const exp = typeof e.expectedFailureRate === 'number' ? ` (${fmtNumber(e.expectedFailureRate * 100, 1)}% expected)` : '';
    parts.push(`cell: ${num(e.failures)} of ${num(e.tests)} tests failed${exp}`);
  }
  if (str(e.feed) && str(e.lastReport)) parts.push(`no ${e.feed} data since ${fmtDateTime(Date.parse(String(e.lastReport)))}`);
  return parts.join(' · ');
}
