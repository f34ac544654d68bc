/** Runs a delivery worker until its outbox has nothing waiting (retries use tiny backoffs in tests). */
import { setTimeout as sleep } from 'node:timers/promises';
import { ticketingConfigSchema } from '../../../src/outputs/ticketing/config.js';
import { DeliveryWorker, type DeliveryWorkerOptions } from '../../../src/outputs/ticketing/delivery-worker.js';
import type { OutboxStore } from '../../../src/outputs/ticketing/outbox-store.js';

export function worker(outbox: OutboxStore, config: unknown, extra: Partial<DeliveryWorkerOptions> = {}): DeliveryWorker {
  const cfg = ticketingConfigSchema.parse({ backoff: { baseMs: 2, maxMs: 10 }, ...(config as object) });
  return new DeliveryWorker({ outbox, config: cfg, ...extra });
}

export async function drain(w: DeliveryWorker, outbox: OutboxStore, maxMs = 5000): Promise<void> {
  const until = Date.now() + maxMs;
  for (;;) {
    await w.runOnce();
    const c = outbox.counts();
    if (c.pending + c.retrying === 0) return;
    if (Date.now() > until) throw new Error(`outbox not drained: ${JSON.stringify(c)}`);
    await sleep(5);
  }
}
