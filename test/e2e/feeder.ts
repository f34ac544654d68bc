/**
 * A small HTTP feeder for the dashboard's daemon tests: posts an inventory, then healthy PM records
 * and a trickle of complaints at event times near now, every `intervalMs`. Survives the daemon going
 * away (the restart test) by skipping ticks until it answers again. Faults are posted by the test.
 */
import type { Cell } from '../../src/model/index.js';

export interface Feeder {
  stop(): void;
  /** Complaints posted (and accepted) so far. */
  readonly complaints: number;
}

export async function postJson(url: string, body: unknown, token?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    // A request caught by the daemon's death must not hang the feeder for good.
    signal: AbortSignal.timeout(3000),
  });
}

export async function postInventory(base: string, cells: Cell[], token?: string): Promise<void> {
  const res = await postJson(`${base}/api/v1/inventory/cells`, cells, token);
  if (res.status !== 202) throw new Error(`inventory refused: ${res.status} ${await res.text()}`);
}

export function startFeeder(base: () => string, cells: Cell[], opts: { intervalMs?: number; token?: string } = {}): Feeder {
  let tick = 0;
  let complaints = 0;
  let busy = false;
  const channels = ['hotline', 'app', 'retail', 'online'];
  const classes = ['regular', 'vip_gold', 'regular', 'enterprise'];
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      tick++;
      const t = new Date().toISOString();
      const slice = cells.slice((tick * 200) % cells.length, ((tick * 200) % cells.length) + 200);
      const pm = slice.map((c) => ({ cellId: c.cellId, time: t, period: 900, kpis: { rrc_setup_success_rate: 99 + Math.random(), availability: 100 } }));
      await postJson(`${base()}/api/v1/ingest/pm`, pm, opts.token);
      const c = cells[(tick * 37) % cells.length]!;
      const res = await postJson(`${base()}/api/v1/ingest/complaints`, {
        complaintId: `E2E-${Date.now()}-${tick}`, channel: channels[tick % 4], receivedAt: t,
        customer: { id: `cust-${tick}`, class: classes[tick % 4] }, category: 'slow_data', location: { cellId: c.cellId },
      }, opts.token);
      if (res.status === 202) complaints++;
    } catch {
      /* the daemon is down (restart test): try again next tick */
    } finally {
      busy = false;
    }
  }, opts.intervalMs ?? 400);
  return {
    stop: () => clearInterval(timer),
    get complaints() {
      return complaints;
    },
  };
}
