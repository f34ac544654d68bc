import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startDaemon, tempDir } from '../helpers/daemon.js';

describe('backpressure end to end', () => {
  it('refuses with 503 over the queue limit, the simulator backs off, and nothing is lost', async () => {
    const dir = tempDir();
    const config = join(dir, 'nocwatch.yaml');
    // A tiny queue, drained in small batches: the simulator's 1,500-record requests must collide with it.
    writeFileSync(config, 'pipeline:\n  queueLimit: 2000\n  maxBatchEvents: 200\n  retryAfterS: 1\n');
    const d = await startDaemon(['--config', config, '--data-dir', join(dir, 'data'), '--no-simulator']);
    try {
      let maxPending = 0;
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const s = (await (await fetch(`${d.url}/api/v1/status`)).json()) as { pending: number };
          maxPending = Math.max(maxPending, s.pending);
          await new Promise((r) => setTimeout(r, 25));
        }
      })();
      const sim = await runCli(['simulate', '--target', d.url, '--cells', '300', '--warmup', '0', '--days', '0.25', '--seed', '3', '--batch', '1500']);
      polling = false;
      await poller;
      expect(sim.code).toBe(0);
      const m = /sent ([\d,]+) records .*: ([\d,]+) accepted, (\d+) rejected, (\d+) duplicates, ([\d,]+) × 503 waited out/.exec(sim.stderr);
      expect(m, sim.stderr).not.toBeNull();
      const [sent, accepted, rejected, , overloaded] = m!.slice(1).map((x) => Number(x.replace(/,/g, '')));
      expect(overloaded).toBeGreaterThan(0);
      expect(rejected).toBe(0);
      expect(accepted).toBe(sent);

      const status = (await (await fetch(`${d.url}/api/v1/status`)).json()) as { pending: number; feeds: Record<string, { accepted: number; duplicates: number }> };
      expect(status.pending).toBe(0);
      const daemonAccepted = Object.values(status.feeds).reduce((a, f) => a + f.accepted, 0);
      expect(daemonAccepted).toBe(sent);
      expect(Object.values(status.feeds).reduce((a, f) => a + f.duplicates, 0)).toBe(0);
      // The queue never held more than its limit: memory is bounded by it.
      expect(maxPending).toBeLessThanOrEqual(2000);
      const metrics = await (await fetch(`${d.url}/metrics`)).text();
      expect(Number(/nocwatch_ingest_overloaded_requests_total\{[^}]*\} (\d+)/.exec(metrics)?.[1] ?? 0)).toBeGreaterThan(0);
    } finally {
      await d.stop();
    }
  }, 120_000);
});
