/**
 * Reads a daemon's incidents, complaints and tickets back through the HTTP API (paging with
 * `cursor`), in the shapes the scoring takes. An endpoint the daemon does not have yet (404) reads
 * as empty, with a note, so a partial build can still be scored on what it has.
 */
import { parseTime } from '../../model/index.js';
import type { IncidentView } from './match.js';
import type { ComplaintView, TicketView } from './score.js';

export interface ApiReaderOptions {
  target: string;
  token?: string;
  fetch?: typeof fetch;
}

export interface RunData {
  incidents: IncidentView[];
  complaints: ComplaintView[];
  tickets: TicketView[];
  /** Endpoints that answered 404. */
  missing: string[];
}

type Json = Record<string, unknown>;

function ms(v: unknown): number {
  const t = parseTime(v);
  if (Number.isNaN(t)) throw new Error(`expected a time, got ${JSON.stringify(v)}`);
  return t;
}

export class ApiReader {
  private readonly base: string;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly o: ApiReaderOptions) {
    this.base = o.target.replace(/\/+$/, '');
    this.fetchFn = o.fetch ?? fetch;
  }

  private async get(path: string): Promise<Json | null> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.o.token) headers.authorization = `Bearer ${this.o.token}`;
    const res = await this.fetchFn(this.base + path, { headers });
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    return (await res.json()) as Json;
  }

  /** Every item of a list endpoint, following `nextCursor`; null when the endpoint does not exist. */
  async list(path: string): Promise<Json[] | null> {
    const items: Json[] = [];
    let cursor: string | null = null;
    const sep = path.includes('?') ? '&' : '?';
    do {
      const page: Json | null = await this.get(`${path}${sep}limit=10000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      if (page === null) return null;
      items.push(...((page.items as Json[]) ?? []));
      cursor = (page.nextCursor as string | null) ?? null;
    } while (cursor);
    return items;
  }

  /** Waits until the daemon has processed everything it accepted (`pending: 0`), up to `timeoutMs`. */
  async waitIdle(timeoutMs: number, sleep: (ms: number) => Promise<void>): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.get('/api/v1/status');
      if (s === null || s.pending === 0) return true;
      if (Date.now() > deadline) return false;
      await sleep(250);
    }
  }

  async readAll(): Promise<RunData> {
    const missing: string[] = [];
    const need = async (path: string) => {
      const items = await this.list(path);
      if (items === null) missing.push(path.split('?')[0]);
      return items ?? [];
    };
    const [incidents, complaints, tickets] = [
      await need('/api/v1/incidents?state=all'), await need('/api/v1/complaints'), await need('/api/v1/tickets'),
    ];
    return {
      incidents: incidents.map((i) => ({
        id: String(i.id),
        openedAt: ms(i.openedAt),
        detectedAt: ms(i.detectedAt),
        resolvedAt: i.resolvedAt == null ? null : ms(i.resolvedAt),
        cells: (i.cells as string[]) ?? [],
        rootCause: (i.rootCause as IncidentView['rootCause']) ?? { objectType: 'unknown', objectId: '' },
        ticketId: (i.ticketId as string | null) ?? null,
        complaintIds: (i.complaintIds as string[]) ?? [],
        ...(typeof i.mergedInto === 'string' ? { mergedInto: i.mergedInto } : {}),
        anomalies: ((i.anomalies as Json[]) ?? []).map((a) => ({
          cellId: typeof a.cellId === 'string' ? a.cellId : undefined,
          startedAt: ms(a.startedAt),
          ...(typeof a.firingAt === 'string' ? { firingAt: ms(a.firingAt) } : {}),
          ...(typeof a.objectType === 'string' ? { objectType: a.objectType } : {}),
          ...(typeof a.objectId === 'string' ? { objectId: a.objectId } : {}),
          ...(typeof a.source === 'string' ? { source: a.source } : {}),
          ...(typeof a.signal === 'string' ? { signal: a.signal } : {}),
        })),
      })),
      complaints: complaints.map((c) => ({ complaintId: String(c.complaintId), incidentId: (c.incidentId as string | null) ?? null })),
      tickets: tickets.map((t) => ({
        id: String(t.id), incidentId: String(t.incidentId), department: String(t.department), createdAt: ms(t.createdAt),
      })),
      missing,
    };
  }
}
