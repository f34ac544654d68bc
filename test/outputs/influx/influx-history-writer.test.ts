import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { influxHistoryConfigSchema } from '../../../src/outputs/influx/config.js';
import { historyLines } from '../../../src/outputs/influx/history-points.js';
import { InfluxHistoryWriter, type HistoryPointResult } from '../../../src/outputs/influx/influx-history-writer.js';
import { InfluxWriteError, type InfluxWriteSink } from '../../../src/outputs/influx/influx-sink.js';
import { Inventory } from '../../../src/inventory/inventory.js';
import { cellSchema, type Anomaly, type Incident, type PmEvent, type Ticket } from '../../../src/model/index.js';
import type { BatchOutcome } from '../../../src/pipeline/stages.js';
import { createLogger } from '../../../src/telemetry/logger.js';
import { parseLineProtocol } from '../../../src/collectors/line-protocol/parse-line-protocol.js';
import { sampleCells } from '../../helpers/app.js';

const T = Date.UTC(2026, 10, 23, 2, 15);

const pm = (cellId: string, t: number, kpis: Record<string, number>, extra: Partial<PmEvent> = {}): PmEvent =>
  ({ kind: 'pm', t, cellId, period: 900, kpis, ...extra });
const outcome = (events: PmEvent[], more: Partial<BatchOutcome> = {}): BatchOutcome =>
  ({ watermark: T, events, transitions: [], incidentChanges: [], ticketChanges: [], complaints: [], ...more });

/** A sink that records what it was given and fails as told. */
class FakeSink implements InfluxWriteSink {
  readonly written: string[][] = [];
  attempts = 0;
  failWith: InfluxWriteError | null = null;
  hang = false;
  async write(lines: readonly string[]): Promise<void> {
    this.attempts++;
    if (this.hang) return new Promise(() => {});
    if (this.failWith) throw this.failWith;
    this.written.push([...lines]);
  }
}

function harness(over: Record<string, unknown> = {}) {
  const sink = new FakeSink();
  const counts: Partial<Record<HistoryPointResult, number>> = {};
  let buffered = 0;
  const logs: Array<{ level: string; msg: string; dropped?: Record<string, number> }> = [];
  const logger = createLogger({
    level: 'info',
    destination: new Writable({ write(chunk, _enc, cb) { logs.push(JSON.parse(String(chunk))); cb(); } }),
  });
  const writer = new InfluxHistoryWriter({
    config: influxHistoryConfigSchema.parse({ url: 'http://127.0.0.1:1', batchSize: 3, flushIntervalMs: 1000, maxBufferedPoints: 5, minRetryDelayMs: 1000, maxRetryDelayMs: 8000, ...over }),
    sink,
    logger,
    metrics: {
      points: (r, n) => { counts[r] = (counts[r] ?? 0) + n; },
      buffered: (n) => { buffered = n; },
      writeFailure: () => {},
    },
    wallClock: () => Date.now(),
    random: () => 1,
  });
  writer.start();
  return { writer, sink, counts, logs, buffered: () => buffered };
}

const samples = (n: number, from = 0) => outcome(Array.from({ length: n }, (_, i) => pm(`C${from + i}`, T + (from + i) * 1000, { availability: 100 })));
const cellsOf = (batches: string[][]) => batches.flat().map((l) => /cell=(C\d+)/.exec(l)![1]);

beforeEach(() => {
  vi.useFakeTimers({ now: T });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('InfluxHistoryWriter', () => {
  it('sends full batches at once and the rest at the flush interval, in order', async () => {
    const { writer, sink, counts } = harness({ maxBufferedPoints: 100 });
    writer.onBatch(samples(7));
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.written.map((b) => b.length)).toEqual([3, 3]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(cellsOf(sink.written)).toEqual(['C0', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6']);
    expect(counts.written).toBe(7);
    await writer.close();
  });

  it('never blocks the pipeline while InfluxDB is down: keeps the newest points, counts and logs the drops once a minute', async () => {
    const { writer, sink, counts, logs } = harness();
    sink.failWith = new InfluxWriteError('connect ECONNREFUSED', true);
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      writer.onBatch(samples(1, i));
      expect(performance.now() - started).toBeLessThan(50);
      await vi.advanceTimersByTimeAsync(5_000);
    }
    // 5 buffered + the batch held for retry (what was there at the first flush); the rest dropped, oldest first.
    expect(writer.pending).toBe(6);
    expect(counts.dropped_buffer_full).toBe(14);
    const dropLogs = logs.filter((l) => l.msg.startsWith('history points dropped'));
    expect(dropLogs.length).toBe(2); // 100 s of drops: at once, then once a minute later
    expect(logs.filter((l) => l.msg.startsWith('InfluxDB writes failing')).length).toBeLessThanOrEqual(2);

    sink.failWith = null;
    await vi.advanceTimersByTimeAsync(20_000);
    expect(writer.pending).toBe(0);
    // The held batch, then the newest five.
    expect(cellsOf(sink.written)).toEqual(['C0', 'C15', 'C16', 'C17', 'C18', 'C19']);
    expect(logs.some((l) => l.msg === 'InfluxDB writes recovered')).toBe(true);
    await writer.close();
  });

  it('backs off exponentially and honours Retry-After', async () => {
    const { writer, sink } = harness({ batchSize: 1 });
    sink.failWith = new InfluxWriteError('InfluxDB answered 503', true);
    writer.onBatch(samples(1));
    await vi.advanceTimersByTimeAsync(0);
    const at: number[] = [];
    for (let t = 0; t < 16_000; t += 100) {
      const before = sink.attempts;
      await vi.advanceTimersByTimeAsync(100);
      if (sink.attempts > before) at.push(t + 100);
    }
    expect(at).toEqual([1000, 3000, 7000, 15000]);
    sink.failWith = new InfluxWriteError('InfluxDB answered 429', true, 30_000);
    await vi.advanceTimersByTimeAsync(8_000);
    const n = sink.attempts;
    await vi.advanceTimersByTimeAsync(20_000);
    expect(sink.attempts).toBe(n);
    await writer.close(0);
  });

  it('drops a batch the server refuses and carries on with the next', async () => {
    const { writer, sink, counts, logs } = harness({ batchSize: 2 });
    sink.failWith = new InfluxWriteError('InfluxDB answered 400: field type conflict', false);
    writer.onBatch(samples(2));
    await vi.advanceTimersByTimeAsync(0);
    sink.failWith = null;
    writer.onBatch(samples(2, 2));
    await vi.advanceTimersByTimeAsync(0);
    expect(counts.dropped_rejected).toBe(2);
    expect(cellsOf(sink.written)).toEqual(['C2', 'C3']);
    expect(logs.find((l) => l.msg.startsWith('history points dropped'))?.msg).toContain('field type conflict');
    await writer.close();
  });

  it('has one request in flight at most, however slow the server', async () => {
    const { writer, sink } = harness({ maxBufferedPoints: 10 });
    sink.hang = true;
    for (let i = 0; i < 10; i++) {
      writer.onBatch(samples(3, i * 3));
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(sink.attempts).toBe(1);
    expect(writer.pending).toBe(13);
    const closing = writer.close(10);
    await vi.advanceTimersByTimeAsync(20);
    await closing;
  });

  it('writes what is buffered on close, and counts what it could not', async () => {
    const { writer, sink, counts } = harness({ maxBufferedPoints: 100 });
    writer.onBatch(samples(2));
    await writer.close();
    expect(cellsOf(sink.written)).toEqual(['C0', 'C1']);
    const down = harness();
    down.sink.failWith = new InfluxWriteError('ECONNREFUSED', true);
    down.writer.onBatch(samples(2));
    await down.writer.close(100);
    expect(down.counts.dropped_shutdown).toBe(2);
    expect(counts.dropped_shutdown).toBeUndefined();
  });
});

describe('history points', () => {
  const inventory = new Inventory(sampleCells.map((c) => cellSchema.parse(c)));
  const all = { kpis: true, anomalies: true, incidents: true, tickets: true };
  const anomaly: Anomaly = {
    id: 'pm:CS-0001-1:erab_drop_rate:1', source: 'pm', objectType: 'cell', objectId: 'CS-0001-1', cellId: 'CS-0001-1',
    signal: 'erab_drop_rate', hint: 'degradation', severity: 'major', score: 7.1, state: 'firing', startedAt: T - 900_000,
    firingAt: T, updatedAt: T, evidence: { observed: 2.5, expected: 0.4, note: 'x' },
  };
  const incident = {
    id: 'INC-1', state: 'open', severity: 'major', openedAt: T - 900_000, detectedAt: T, resolvedAt: null,
    rootCause: { objectType: 'site', objectId: 'SITE-0001', category: 'outage' }, cells: ['CS-0001-1', 'CS-0001-2'], region: 'Changsha',
    anomalies: [], complaintIds: ['C-1'], ticketId: 'TKT-1', triage: { class: 'must_solve', score: 83, reasons: [] },
    confidence: 0.8, feeds: ['pm'], reopenCount: 0, version: 2, updatedAt: T,
  } as Incident;
  const ticket = {
    id: 'TKT-1', incidentId: 'INC-1', complaintIds: [], department: 'maintenance', class: 'must_solve', state: 'open', proactive: true,
    createdAt: T, updatedAt: T, sla: { respondBy: T, onsiteBy: T, resolveBy: T, breached: [] },
    external: { system: 'webhook', key: null, pushState: 'pending' }, version: 1,
  } as Ticket;

  it('writes one kpi point per sample (a field per KPI, attempts beside) and the anomaly, incident and ticket changes', () => {
    const { lines, skipped } = historyLines(outcome(
      [pm('CS-0001-1', T, { rrc_setup_success_rate: 99.5, erab_drop_rate: 2.5 }, { attempts: { rrc_setup_success_rate: 1520 }, suspect: true })],
      {
        transitions: [{ from: 'pending', to: 'firing', at: T, anomaly }],
        incidentChanges: [{ type: 'opened', incident }],
        ticketChanges: [{ type: 'opened', ticket }],
      },
    ), all, inventory);
    expect(skipped).toBe(0);
    const ms = String(T);
    expect(lines).toEqual([
      `kpi,cell=CS-0001-1,region=Changsha rrc_setup_success_rate=99.5,erab_drop_rate=2.5,attempts_rrc_setup_success_rate=1520,suspect=true ${ms}`,
      `anomaly,source=pm,signal=erab_drop_rate,object_type=cell,object_id=CS-0001-1,cell=CS-0001-1,state=firing,from=pending,severity=major,hint=degradation score=7.1,started_at=${T - 900_000},observed=2.5,expected=0.4 ${ms}`,
      `incident,id=INC-1,change=opened,state=open,severity=major,category=outage,region=Changsha,class=must_solve,root_type=site,root_id=SITE-0001 cells=2,complaints=1,anomalies=0,triage_score=83,confidence=0.8,reopen_count=0,version=2 ${ms}`,
      `ticket,id=TKT-1,incident=INC-1,change=opened,state=open,department=maintenance,class=must_solve version=1,proactive=true,breached=0 ${ms}`,
    ]);
    // And they are valid line protocol.
    expect(parseLineProtocol(lines.join('\n'), 'ms').errors).toEqual([]);
  });

  it('writes only what config asks for', () => {
    const { lines } = historyLines(outcome([pm('X', T, { a: 1 })], { ticketChanges: [{ type: 'opened', ticket }] }),
      { kpis: false, anomalies: true, incidents: true, tickets: true });
    expect(lines.map((l) => l.split(',')[0])).toEqual(['ticket']);
  });
});
