/**
 * History against a real server speaking the InfluxDB v2 write API: Debian's `victoria-metrics`
 * (installed by .ci/run) on a free loopback port with a temp data dir. KPI samples enter the
 * daemon three ways (JSON ingest, Telegraf-style line protocol, a 3GPP PM XML file), the daemon
 * writes them through its history writer, and they are read back through VictoriaMetrics' export
 * API and compared value for value. Anomaly, incident and ticket points (which need the detector
 * and incident stages the daemon gets from other parts) go through the same writer and client.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { influxHistoryConfigSchema } from '../../src/outputs/influx/config.js';
import { InfluxHistoryWriter } from '../../src/outputs/influx/influx-history-writer.js';
import { InfluxClientSink } from '../../src/outputs/influx/influx-sink.js';
import type { BatchOutcome } from '../../src/pipeline/stages.js';
import { silentLogger } from '../../src/telemetry/logger.js';
import { startDaemon, tempDir, type Daemon } from '../helpers/daemon.js';

const VM_BINARY = process.env.VICTORIA_METRICS_BIN ?? 'victoria-metrics';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface Series {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

let vm: ChildProcess | undefined;
let vmUrl = '';
let daemon: Daemon | undefined;
const dirs: string[] = [];

beforeAll(async () => {
  if (spawnSync('sh', ['-c', `command -v ${VM_BINARY}`]).status !== 0) {
    throw new Error(`${VM_BINARY} is not installed: apt-get install victoria-metrics (the e2e tier needs it; .ci/run installs it)`);
  }
  const port = await freePort();
  const data = tempDir('nocwatch-vm-');
  dirs.push(data);
  vm = spawn(VM_BINARY, [`-httpListenAddr=127.0.0.1:${port}`, `-storageDataPath=${data}`, '-loggerLevel=ERROR', '-retentionPeriod=100y'], { stdio: 'ignore' });
  vmUrl = `http://127.0.0.1:${port}`;
  await waitFor('VictoriaMetrics to answer', async () => ((await fetch(`${vmUrl}/health`)).ok ? true : undefined));
});

afterAll(async () => {
  await daemon?.stop('SIGTERM');
  if (vm && vm.exitCode === null) {
    vm.kill('SIGTERM');
    await new Promise((r) => vm!.once('exit', r));
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function exportSeries(match: string): Promise<Series[]> {
  await fetch(`${vmUrl}/internal/force_flush`);
  const res = await fetch(`${vmUrl}/api/v1/export?${new URLSearchParams({ 'match[]': match })}`);
  const text = await res.text();
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Series);
}

it('writes the KPI samples the daemon takes in to VictoriaMetrics, readable through its export API', async () => {
  const work = tempDir('nocwatch-e2e-history-');
  dirs.push(work);
  const pmDir = join(work, 'pm');
  mkdirSync(pmDir);
  const configFile = join(work, 'nocwatch.yaml');
  writeFileSync(configFile, JSON.stringify({
    history: { influx: { url: vmUrl, org: 'noc', bucket: 'nocwatch', flushIntervalMs: 100 } },
    collectors: { pmXml: { dir: pmDir, settleMs: 0, pollIntervalMs: 100 } },
  }));
  daemon = await startDaemon(['--config', configFile, '--data-dir', join(work, 'data'), '--no-simulator']);

  const t1 = Date.parse('2026-11-23T10:15:00+08:00');
  const t2 = Date.parse('2026-11-23T10:30:00+08:00');
  // 1. JSON ingest.
  const json = await fetch(`${daemon.url}/api/v1/ingest/pm`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      { cellId: 'CS-0001-1', time: t1, period: 900, kpis: { rrc_setup_success_rate: 99.2, erab_drop_rate: 0.35 }, attempts: { rrc_setup_success_rate: 1520 } },
      { cellId: 'CS-0001-1', time: t2, period: 900, counters: { 'RRC.ConnEstabAtt.Sum': 400, 'RRC.ConnEstabSucc.Sum': 398 } },
    ]),
  });
  expect(await json.json()).toEqual({ accepted: 2, rejected: [] });
  // 2. Telegraf (gzip, seconds).
  const lp = await fetch(`${daemon.url}/api/v2/write?org=noc&bucket=nocwatch&precision=s`, {
    method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8', 'content-encoding': 'gzip' },
    body: gzipSync(`pm,cell=CS-0002-1 prb_dl_utilization=61.5,availability=100 ${t1 / 1000}\n`),
  });
  expect(lp.status).toBe(204);
  // 3. A 3GPP PM XML file.
  const sample = 'A20231105.1000+0800-1015+0800_ENB-HZ-0001.xml';
  copyFileSync(join(import.meta.dirname, '..', 'fixtures', 'pm-xml', sample), join(pmDir, sample));
  const tFile = Date.parse('2023-11-05T10:15:00+08:00');

  const expected: Array<[string, Record<string, string>, number, number]> = [
    ['kpi_rrc_setup_success_rate', { cell: 'CS-0001-1' }, t1, 99.2],
    ['kpi_erab_drop_rate', { cell: 'CS-0001-1' }, t1, 0.35],
    ['kpi_attempts_rrc_setup_success_rate', { cell: 'CS-0001-1' }, t1, 1520],
    ['kpi_rrc_setup_success_rate', { cell: 'CS-0001-1' }, t2, 99.5],
    ['kpi_attempts_rrc_setup_success_rate', { cell: 'CS-0001-1' }, t2, 400],
    ['kpi_prb_dl_utilization', { cell: 'CS-0002-1' }, t1, 61.5],
    ['kpi_availability', { cell: 'CS-0002-1' }, t1, 100],
    ['kpi_rrc_setup_success_rate', { cell: 'ENB-HZ-0001-1' }, tFile, (100 * 1511) / 1520],
    ['kpi_erab_setup_success_rate', { cell: 'ENB-HZ-0001-2' }, tFile, (100 * 842) / 850],
    ['kpi_suspect', { cell: 'ENB-HZ-0001-2' }, tFile, 1],
  ];
  const points = (series: Series[]) =>
    series.flatMap((s) => s.timestamps.map((t, i) => [s.metric.__name__, s.metric.cell, t, s.values[i]] as const));
  const got = await waitFor('the points in VictoriaMetrics', async () => {
    const all = points(await exportSeries('{__name__=~"kpi_.*"}'));
    return all.length >= 16 ? all : undefined; // every field of every sample: 5 (JSON) + 2 (line protocol) + 9 (XML)
  });
  for (const [name, { cell }, t, value] of expected) {
    const match = got.find(([n, c, ts]) => n === name && c === cell && ts === t);
    expect(match, `${name}{cell="${cell}"} @ ${new Date(t).toISOString()}`).toBeDefined();
    expect(match![3]).toBeCloseTo(value, 9);
  }
  const series = await exportSeries('{__name__="kpi_rrc_setup_success_rate",cell="CS-0001-1"}');
  expect(series[0].timestamps).toEqual([t1, t2]);

  // Nothing was dropped on the way.
  const metrics = await (await fetch(`${daemon.url}/metrics`)).text();
  expect(metrics).toMatch(/nocwatch_history_points_total\{result="written"\} (\d+)/);
  expect(metrics).not.toMatch(/nocwatch_history_points_total\{result="dropped/);
  expect(daemon.logs.join('')).not.toMatch(/"level":"error"/);
});

it('writes anomaly transitions and incident and ticket changes through the InfluxDB client, and survives a dead server', async () => {
  const at = Date.parse('2026-11-23T10:30:00+08:00');
  const anomaly = {
    id: 'pm:CS-0009-1:erab_drop_rate:1', source: 'pm', objectType: 'cell', objectId: 'CS-0009-1', cellId: 'CS-0009-1',
    signal: 'erab_drop_rate', hint: 'degradation', severity: 'major', score: 6.5, state: 'firing', startedAt: at - 900_000,
    firingAt: at, updatedAt: at, evidence: { observed: 3.1, expected: 0.4 },
  } as const;
  const incident = {
    id: 'INC-E2E-1', state: 'open', severity: 'major', openedAt: at - 900_000, detectedAt: at, resolvedAt: null,
    rootCause: { objectType: 'site', objectId: 'SITE-0009', category: 'outage' }, cells: ['CS-0009-1'], region: 'Changsha',
    anomalies: [], complaintIds: [], ticketId: 'TKT-E2E-1', triage: { class: 'must_solve', score: 77, reasons: [] },
    confidence: 0.7, feeds: ['pm'], reopenCount: 0, version: 1, updatedAt: at,
  } as const;
  const ticket = {
    id: 'TKT-E2E-1', incidentId: 'INC-E2E-1', complaintIds: [], department: 'maintenance', class: 'must_solve', state: 'open',
    proactive: true, createdAt: at, updatedAt: at, sla: { respondBy: at, onsiteBy: at, resolveBy: at, breached: [] },
    external: { system: 'webhook', key: null, pushState: 'pending' }, version: 3,
  } as const;
  const outcome = {
    watermark: at, events: [], complaints: [],
    transitions: [{ from: 'pending', to: 'firing', at, anomaly }],
    incidentChanges: [{ type: 'opened', incident }],
    ticketChanges: [{ type: 'opened', ticket }],
  } as unknown as BatchOutcome;

  const config = influxHistoryConfigSchema.parse({ url: vmUrl, bucket: 'nocwatch', flushIntervalMs: 50 });
  const writer = new InfluxHistoryWriter({ config, sink: new InfluxClientSink(config, silentLogger()), logger: silentLogger() });
  writer.start();
  writer.onBatch(outcome);
  await writer.close(5_000);
  const got = await waitFor('anomaly, incident and ticket points', async () => {
    const s = await exportSeries('{__name__=~"anomaly_score|incident_triage_score|ticket_version"}');
    return s.length >= 3 ? s : undefined;
  });
  const byName = Object.fromEntries(got.map((s) => [s.metric.__name__, s]));
  expect(byName.anomaly_score).toMatchObject({
    metric: { object_id: 'CS-0009-1', signal: 'erab_drop_rate', state: 'firing', from: 'pending', severity: 'major' }, values: [6.5], timestamps: [at],
  });
  expect(byName.incident_triage_score).toMatchObject({ metric: { id: 'INC-E2E-1', change: 'opened', root_id: 'SITE-0009' }, values: [77], timestamps: [at] });
  expect(byName.ticket_version).toMatchObject({ metric: { id: 'TKT-E2E-1', incident: 'INC-E2E-1' }, values: [3], timestamps: [at] });

  // A server that is not there: writes fail and are retried, onBatch stays instant, drops are counted.
  const deadConfig = influxHistoryConfigSchema.parse({ url: `http://127.0.0.1:${await freePort()}`, flushIntervalMs: 20, maxBufferedPoints: 2, minRetryDelayMs: 10 });
  const failures: boolean[] = [];
  const dropped: Record<string, number> = {};
  const dead = new InfluxHistoryWriter({
    config: deadConfig, sink: new InfluxClientSink(deadConfig, silentLogger()), logger: silentLogger(),
    metrics: { points: (r, n) => { dropped[r] = (dropped[r] ?? 0) + n; }, buffered: () => {}, writeFailure: (retryable) => failures.push(retryable) },
  });
  dead.start();
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    dead.onBatch(outcome);
    expect(performance.now() - t0).toBeLessThan(20);
    await new Promise((r) => setTimeout(r, 50));
  }
  await dead.close(200);
  expect(failures.length).toBeGreaterThan(0);
  expect(failures.every(Boolean)).toBe(true);
  expect(dropped.dropped_buffer_full).toBeGreaterThan(0);
});
