/** Builds an in-process app on the in-memory store for route tests (fastify inject, no port). */
import { buildApp, type App } from '../../src/app.js';
import { validateConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { createMemoryStore, type Store } from '../../src/store/store.js';
import { silentLogger } from '../../src/telemetry/logger.js';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

export async function testApp(raw: DeepPartial<Config> & Record<string, unknown> = {}, store: Store = createMemoryStore()): Promise<App> {
  const config = validateConfig({ ...raw, log: { level: 'silent' } }, 'test');
  const app = await buildApp({ config, store, logger: silentLogger() });
  await app.start();
  return app;
}

export const sampleCells = [
  { cellId: 'CS-0001-1', siteId: 'SITE-0001', transportId: 'TR-01', region: 'Changsha', district: 'Yuelu', lat: 28.2101, lon: 112.9402, technology: 'NR', areaClass: 'hospital', subscribers: 1850 },
  { cellId: 'CS-0001-2', siteId: 'SITE-0001', transportId: 'TR-01', region: 'Changsha', district: 'Yuelu', lat: 28.2102, lon: 112.9405, technology: 'NR', areaClass: 'hospital', subscribers: 1200 },
  { cellId: 'CS-0002-1', siteId: 'SITE-0002', transportId: 'TR-01', region: 'Changsha', district: 'Furong', lat: 28.1950, lon: 112.9800, technology: 'LTE', areaClass: 'residential', subscribers: 900 },
] as const;

export function pmRecord(cellId: string, time: string, kpis: Record<string, unknown> = { rrc_setup_success_rate: 99.2 }) {
  return { cellId, time, period: 900, kpis };
}

export function complaintRecord(id: string, extra: Record<string, unknown> = {}) {
  return {
    complaintId: id, channel: 'hotline', receivedAt: '2026-11-23T10:21:40+08:00',
    customer: { id: `cust-${id}`, class: 'vip_gold' }, category: 'call_drop', location: { cellId: 'CS-0001-1' },
    description: 'calls drop at home', ...extra,
  };
}
