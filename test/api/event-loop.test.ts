/**
 * Big but legitimate requests must not stall the event loop: NDJSON and line protocol are parsed
 * and decoded in slices, and the pipeline processes bounded batches, so other requests (and
 * /healthz) keep being answered while an 8 MB write goes through.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { testApp } from '../helpers/app.js';

let app: App;
beforeAll(async () => {
  app = await testApp({ pipeline: { queueLimit: 1_000_000 } });
});
afterAll(async () => app.stop());

const T0 = Date.UTC(2026, 10, 23, 2, 15);
const kpis = { rrc_setup_success_rate: 99.2, erab_setup_success_rate: 99.1, erab_drop_rate: 0.3, handover_success_rate: 98.4, availability: 100, prb_dl_utilization: 61, dl_user_throughput_mbps: 34.1, volte_call_drop_rate: 0.2 };

async function busiestMs(work: () => Promise<unknown>): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  await work();
  await app.pipeline.whenIdle();
  h.disable();
  return h.max / 1e6;
}

describe('the event loop under big writes', () => {
  it('stays responsive through an 8 MB NDJSON write and a 6 MB line-protocol write, period after period', async () => {
    const ndjson = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ cellId: `C-${i}`, time: T0, period: 900, kpis, attempts: { rrc_setup_success_rate: 1500 } })).join('\n');
    expect(ndjson.length).toBeGreaterThan(5_000_000);
    // Warm up the code paths once, then measure.
    await app.server.inject({ method: 'POST', url: '/api/v1/ingest/pm', headers: { 'content-type': 'application/x-ndjson' }, payload: ndjson.slice(0, 200_000).replace(/\n[^\n]*$/, '') });
    // The first sight of 20,000 new cells grows the detectors' per-series arrays (copies); measured
    // on the next period, as a running network sends it.
    await app.server.inject({ method: 'POST', url: '/api/v1/ingest/pm', headers: { 'content-type': 'application/x-ndjson' }, payload: ndjson });
    await app.pipeline.whenIdle();
    let res: { statusCode: number; body: string } | undefined;
    // The next period's bodies are made before the measurement: rewriting 8 MB of text is the test's
    // work, not the server's.
    const nextNd = ndjson.replaceAll(`"time":${T0}`, `"time":${T0 + 900_000}`);
    const nd = await busiestMs(async () => (res = await app.server.inject({ method: 'POST', url: '/api/v1/ingest/pm', headers: { 'content-type': 'application/x-ndjson' }, payload: nextNd })));
    expect(res?.statusCode).toBe(202);
    const lp = Array.from({ length: 45_000 }, (_, i) => `pm,cell=C-${i} rrc_setup_success_rate=99.1,erab_drop_rate=0.3,availability=100,prb_dl_utilization=61,dl_user_throughput_mbps=34.1 ${(T0 + 900_000) * 1_000_000}`).join('\n');
    const lpWrite = (body: string) => app.server.inject({ method: 'POST', url: '/api/v2/write?org=o&bucket=b', headers: { 'content-type': 'text/plain' }, payload: body });
    await lpWrite(lp);
    await app.pipeline.whenIdle();
    const nextLp = lp.replaceAll(` ${(T0 + 900_000) * 1_000_000}`, ` ${(T0 + 1_800_000) * 1_000_000}`);
    const lpMs = await busiestMs(async () => (res = await lpWrite(nextLp)));
    expect(res?.statusCode).toBe(204);
    console.log(`event loop: longest block ${nd.toFixed(0)} ms during the NDJSON write, ${lpMs.toFixed(0)} ms during the line-protocol write`);
    expect(nd).toBeLessThan(100);
    expect(lpMs).toBeLessThan(100);
  });
});
