/**
 * The live stream: one WebSocket to /ws, reconnected with exponential backoff (0.5 s doubling to
 * 15 s, with jitter) and resumed from the last sequence number the page applied. While it is down
 * the "disconnected — reconnecting…" banner is up; it comes down with the first message after.
 */
import type { ServerMessage } from '../protocol.js';
import { apiGet, HttpError, wsUrl } from './api.js';
import { byId } from './format.js';
import type { ClientState } from './state.js';

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 15_000;

export class Connection {
  private ws: WebSocket | null = null;
  private backoff = MIN_BACKOFF_MS;
  private failures = 0;
  private timer: number | null = null;
  private downSince: number | null = null;
  private countdown: number | null = null;
  private lastMessageAt = Date.now();

  constructor(private readonly state: ClientState, private readonly onMessage: (msg: ServerMessage) => void) {}

  start(): void {
    this.open();
    // Connected but silent: the hub sends feed health every few seconds, so silence means trouble.
    window.setInterval(() => {
      const silentS = Math.round((Date.now() - this.lastMessageAt) / 1000);
      const pill = byId('conn');
      const stale = this.ws !== null && this.downSince === null && silentS > 15;
      pill.classList.toggle('stale', stale);
      pill.textContent = stale ? `NO UPDATE ${silentS}s` : 'LIVE';
    }, 1000);
  }

  private open(): void {
    const s = this.state;
    const url = wsUrl(s.seq >= 0 && s.epoch ? { epoch: s.epoch, since: s.seq } : {});
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onmessage = (ev) => {
      this.lastMessageAt = Date.now();
      if (this.downSince !== null || this.failures > 0) this.up();
      this.onMessage(JSON.parse(ev.data as string) as ServerMessage);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.down();
    };
  }

  /** Drops the socket and reconnects at once (a gap in the sequence: resume from what we have). */
  resync(): void {
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.open();
  }

  private up(): void {
    this.failures = 0;
    this.backoff = MIN_BACKOFF_MS;
    this.downSince = null;
    if (this.countdown !== null) clearInterval(this.countdown);
    this.countdown = null;
    byId('banner').hidden = true;
    document.body.classList.remove('offline');
  }

  private down(): void {
    this.failures++;
    this.downSince ??= Date.now();
    document.body.classList.add('offline');
    const delay = Math.round(this.backoff * (0.8 + Math.random() * 0.4));
    this.backoff = Math.min(MAX_BACKOFF_MS, this.backoff * 2);
    const due = Date.now() + delay;
    const banner = byId('banner');
    const text = byId('banner-text');
    const show = () => {
      const left = Math.max(0, Math.ceil((due - Date.now()) / 1000));
      const since = Math.round((Date.now() - this.downSince!) / 1000);
      text.textContent = `Disconnected — reconnecting${left > 0 ? ` in ${left}s` : '…'} (attempt ${this.failures}, down for ${since}s). The data shown is frozen.`;
    };
    banner.hidden = false;
    show();
    if (this.countdown !== null) clearInterval(this.countdown);
    this.countdown = window.setInterval(show, 500);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.retry(), delay);
  }

  private async retry(): Promise<void> {
    this.timer = null;
    // A refused upgrade looks like any other failure to the browser: ask over HTTP whether it is auth.
    if (this.failures >= 2) {
      try {
        await apiGet('/api/v1/dashboard/session');
      } catch (e) {
        if (!(e instanceof HttpError) && !(e instanceof TypeError)) throw e;
      }
    }
    this.open();
  }
}
