/**
 * The page's copy of the hub's state, rebuilt from a snapshot and kept current by numbered deltas.
 * No DOM: the Node tests drive the same reducer against real sockets, so "every client ends with the
 * same state" is checked on the code the browser runs.
 */
import type {
  ComplaintItem, Counters, FeedBoard, IncidentItem, KpiTile, ServerMessage, TicketBoard,
} from '../protocol.js';

/** What a message changed, so the page redraws only those parts. */
export interface Changes {
  /** The message does not follow the last one: reconnect and resume from `seq`. */
  gap: boolean;
  /**
   * A snapshot of another daemon (or of this one after a restart): whatever the page holds about the
   * previous one — an open incident's detail, a cell panel, trends — is void.
   */
  epoch: boolean;
  /** The cell geometry changed (or is not loaded yet): fetch it. */
  geometry: boolean;
  cells: boolean;
  incidents: boolean;
  complaints: boolean;
  tickets: boolean;
  kpis: boolean;
  feeds: boolean;
  counters: boolean;
}

const none = (): Changes => ({ gap: false, epoch: false, geometry: false, cells: false, incidents: false, complaints: false, tickets: false, kpis: false, feeds: false, counters: false });
const all = (): Changes => ({ gap: false, epoch: false, geometry: false, cells: true, incidents: true, complaints: true, tickets: true, kpis: true, feeds: true, counters: true });

export class ClientState {
  epoch: string | null = null;
  /** Sequence number of the last message applied; -1 before the first snapshot. */
  seq = -1;
  geometryVersion: string | null = null;
  watermark: number | null = null;
  status = new Uint8Array(0);
  readonly incidents = new Map<string, IncidentItem>();
  /**
   * Incidents that resolved while this page watched them (latest version, newest last, bounded): an
   * open incident detail keeps showing what became of it — the resolved ticket, not its old SLA.
   */
  readonly resolved = new Map<string, IncidentItem>();
  complaints: ComplaintItem[] = [];
  complaintsSkipped = 0;
  tickets: TicketBoard = { counts: {}, total: 0, breached: 0, deadLetters: 0, attention: [] };
  kpis: KpiTile[] = [];
  feeds: FeedBoard | null = null;
  counters: Counters = { cells: 0, anomalous: 0, incident: 0, outage: 0, openIncidents: 0, complaintsToday: 0 };

  constructor(private readonly maxComplaints = 100, private readonly maxResolved = 50) {}

  /** An incident the page knows of: open, or resolved while it watched. */
  incident(id: string): IncidentItem | undefined {
    return this.incidents.get(id) ?? this.resolved.get(id);
  }

  private rememberResolved(inc: IncidentItem): void {
    this.resolved.delete(inc.id);
    this.resolved.set(inc.id, inc);
    if (this.resolved.size > this.maxResolved) this.resolved.delete(this.resolved.keys().next().value!);
  }

  apply(msg: ServerMessage): Changes {
    switch (msg.type) {
      case 'snapshot': {
        const ch = all();
        ch.geometry = msg.geometryVersion !== this.geometryVersion;
        ch.epoch = msg.epoch !== this.epoch;
        if (ch.epoch) this.resolved.clear();
        else {
          // Same daemon, but deltas were skipped (a slow client): an open incident missing from the
          // snapshot resolved meanwhile.
          const open = new Set(msg.incidents.map((i) => i.id));
          for (const inc of this.incidents.values()) if (!open.has(inc.id)) this.rememberResolved({ ...inc, state: 'resolved' });
        }
        this.epoch = msg.epoch;
        this.seq = msg.seq;
        this.geometryVersion = msg.geometryVersion;
        this.watermark = msg.watermark;
        this.status = new Uint8Array(msg.cellCount);
        for (let i = 0; i < msg.cells.length; i += 2) this.status[msg.cells[i]!] = msg.cells[i + 1]!;
        this.incidents.clear();
        for (const inc of msg.incidents) this.incidents.set(inc.id, inc);
        this.complaints = msg.complaints.slice(0, this.maxComplaints);
        // The snapshot's ticker is complete: what earlier deltas left out is not "more" any longer.
        this.complaintsSkipped = 0;
        this.tickets = msg.tickets;
        this.kpis = msg.kpis;
        this.feeds = msg.feeds;
        this.counters = msg.counters;
        return ch;
      }
      case 'resumed': {
        const ch = none();
        ch.gap = msg.epoch !== this.epoch || msg.seq !== this.seq;
        return ch;
      }
      case 'delta': {
        const ch = none();
        if (msg.seq <= this.seq) return ch; // already applied (a replay overlapping what we had)
        if (msg.seq !== this.seq + 1) {
          ch.gap = true;
          return ch;
        }
        this.seq = msg.seq;
        this.watermark = msg.watermark;
        if (msg.cells) {
          for (let i = 0; i < msg.cells.length; i += 2) this.status[msg.cells[i]!] = msg.cells[i + 1]!;
          ch.cells = true;
        }
        if (msg.incidents) {
          for (const inc of msg.incidents) {
            // Left out: the cells are those we already hold.
            const cellIdx = inc.cellIdx ?? this.incidents.get(inc.id)?.cellIdx ?? [];
            if (inc.state === 'open') {
              this.incidents.set(inc.id, { ...inc, cellIdx });
              this.resolved.delete(inc.id); // reopened
            } else {
              this.incidents.delete(inc.id);
              this.rememberResolved({ ...inc, cellIdx });
            }
          }
          ch.incidents = true;
        }
        if (msg.complaints) {
          this.complaints = [...msg.complaints.slice().reverse(), ...this.complaints].slice(0, this.maxComplaints);
          this.complaintsSkipped += msg.complaintsSkipped ?? 0;
          ch.complaints = true;
        }
        if (msg.tickets) (this.tickets = msg.tickets, ch.tickets = true);
        if (msg.kpis) (this.kpis = msg.kpis, ch.kpis = true);
        if (msg.feeds) (this.feeds = msg.feeds, ch.feeds = true);
        if (msg.counters) (this.counters = msg.counters, ch.counters = true);
        return ch;
      }
    }
  }

  /** Indexes of cells that are not normal (drawn on top, in their status order). */
  nonNormal(): number[] {
    const out: number[] = [];
    const s = this.status;
    for (let i = 0; i < s.length; i++) if (s[i] !== 0) out.push(i);
    return out;
  }
}
