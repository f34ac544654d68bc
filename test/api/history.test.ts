import { afterEach, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { validateConfig } from '../../src/config/load.js';
import { InfluxWriteError, type InfluxWriteSink } from '../../src/outputs/influx/influx-sink.js';
import { createMemoryStore } from '../../src/store/store.js';
import { silentLogger } from '../../src/telemetry/logger.js';
import { pmRecord } from '../helpers/app.js';

let app: App | undefined;
afterEach(async () => app?.stop());

async function historyApp(sink: InfluxWriteSink): Promise<App> {
  const config = validateConfig({ log: { level: 'silent' }, history: { influx: { url: 'http://127.0.0.1:9', flushIntervalMs: 20, maxBufferedPoints: 1000 } } }, 'test');
  const a = await buildApp({ config, store: createMemoryStore(), logger: silentLogger(), historySink: sink });
  await a.start();
  return a;
}

const post = (records: unknown[]) =>
  app!.server.inject({ method: 'POST', url: '/api/v1/ingest/pm', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(records) });

it('writes the KPI samples the pipeline processed to InfluxDB', async () => {
  const written: string[] = [];
  app = await historyApp({ write: async (lines) => { written.push(...lines); } });
  await post([pmRecord('CS-0001-1', '2026-11-23T10:15:00+08:00', { rrc_setup_success_rate: 99.2 }), pmRecord('CS-0001-2', '2026-11-23T10:15:00+08:00', { erab_drop_rate: 0.4 })]);
  await app.pipeline.whenIdle();
  await app.stop();
  expect(written).toEqual([
    `kpi,cell=CS-0001-1 rrc_setup_success_rate=99.2 ${Date.parse('2026-11-23T10:15:00+08:00')}`,
    `kpi,cell=CS-0001-2 erab_drop_rate=0.4 ${Date.parse('2026-11-23T10:15:00+08:00')}`,
  ]);
});

it('keeps taking in records while InfluxDB is down, and counts the failed writes', async () => {
  app = await historyApp({ write: async () => { throw new InfluxWriteError('connect ECONNREFUSED', true); } });
  for (let i = 0; i < 5; i++) {
    const res = await post([pmRecord(`C${i}`, '2026-11-23T10:15:00+08:00')]);
    expect(res.statusCode).toBe(202);
  }
  await app.pipeline.whenIdle();
  await new Promise((r) => setTimeout(r, 60));
  const metrics = (await app.metrics.render()).body;
  expect(metrics).toMatch(/nocwatch_history_write_failures_total\{retryable="true"\} [1-9]/);
  expect(metrics).toMatch(/nocwatch_history_buffered_points [1-5]/);
});
