/**
 * History against a real server speaking the InfluxDB v2 write API: Debian's `victoria-metrics`
 * (installed by .ci/run) on a free loopback port with a temp data dir. KPI samples enter the
 * daemon three ways (JSON ingest, Telegraf-style line protocol, a 3GPP PM XML file), the daemon
 * writes them through its history writer, and they are read back through VictoriaMetrics' export
 * API and compared value for value.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
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
