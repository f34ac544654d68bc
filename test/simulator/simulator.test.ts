/**
 * The built-in demo: warm-up at full speed, then accelerated event time on an injected clock,
 * through the IngestPort (a fake here, the real daemon in the app test), waiting out overload
 * without losing a record, and stopping cleanly.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { validateConfig } from '../../src/config/load.js';
import { BatchTooLargeError, OverloadedError } from '../../src/errors.js';
import type { Feed } from '../../src/model/index.js';
import type { IngestPort, IngestResult } from '../../src/pipeline/ingest-port.js';
import { simulatorConfigSchema } from '../../src/simulator/config.js';
import type { PacingClock } from '../../src/simulator/driver.js';
import { parseGroundTruth } from '../../src/simulator/ground-truth.js';
import { generateNetwork } from '../../src/simulator/inventory-generator.js';
import { Simulator } from '../../src/simulator/simulator.js';
import { createMemoryStore } from '../../src/store/store.js';
import { silentLogger } from '../../src/telemetry/logger.js';

const NOW = Date.UTC(2026, 10, 24, 2);

/** Wall time that passes only when someone sleeps; sleeps return on the next turn of the loop. */
class FakeClock implements PacingClock {
  t = NOW;
  sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
    return new Promise((r) => setImmediate(r));
  }
}

/**
 * Accepts everything, or throws OverloadedError for the first `overloads` calls, and
 * BatchTooLargeError for a batch over `queueLimit` records.
 */
class FakePort implements IngestPort {
  accepted: Record<string, number> = {};
  calls = 0;
  largest = 0;
  tooLarge = 0;
  constructor(private overloads = 0, private readonly queueLimit = Infinity) {}
  accept(feed: Feed, records: readonly unknown[]): IngestResult {
    this.calls++;
    if (records.length > this.queueLimit) {
      this.tooLarge++;
      throw new BatchTooLargeError(records.length, this.queueLimit);
    }
    this.largest = Math.max(this.largest, records.length);
    if (this.overloads > 0) {
      this.overloads--;
      throw new OverloadedError(3, 'queue full');
    }
    this.accepted[feed] = (this.accepted[feed] ?? 0) + records.length;
    return { accepted: records.length, rejected: [] };
  }
  acceptEvents(): IngestResult {
    throw new Error('not used');
  }
  get total(): number {
    return Object.values(this.accepted).reduce((a, b) => a + b, 0);
  }
}

const net = generateNetwork({ cells: 60, seed: 3 });

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 20_000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

function simulator(port: IngestPort, clock: FakeClock, extra: Record<string, unknown> = {}, resumeFrom: number | null = null) {
  const config = simulatorConfigSchema.parse({ enabled: true, cells: 60, warmupDays: 0.25, speed: 600, faultsPerDay: 0, ...extra });
  return new Simulator({ config, ingest: port, network: net, logger: silentLogger(), clock, resumeFrom });
}

describe('Simulator', () => {
  it('feeds the warm-up at full speed, then runs `speed` times faster than the clock', async () => {
    const clock = new FakeClock();
    const port = new FakePort();
    const sim = simulator(port, clock);
    sim.start();
    await until(() => sim.status().phase === 'live', 'the live phase');
    // Warm-up took no (fake) wall time: history is fed as fast as it is taken.
    expect(clock.t - NOW).toBeLessThan(1000);
    expect(sim.status().eventTime).toBeGreaterThanOrEqual(NOW - 15 * 60_000);
    const atLive = sim.status().eventTime;
    await until(() => clock.t - NOW >= 60_000, 'a wall minute');
    await sim.stop();
    // One wall minute at 600×: ten simulated hours.
    const simulated = sim.status().eventTime - atLive;
    expect(simulated).toBeGreaterThanOrEqual(9.5 * 3_600_000);
    expect(simulated).toBeLessThanOrEqual(10.5 * 3_600_000);
    expect(Object.keys(port.accepted).sort()).toEqual(['alarms', 'complaints', 'dialtest', 'pm', 'signaling']);
    expect(port.total).toBe(sim.status().records);
    // The kickoff fault: a site outage ten simulated minutes after warm-up.
    expect(sim.truth().faults[0]).toMatchObject({ kind: 'site_outage', source: 'random' });
  });

  it('hands each tick over in the order it happened: an alarm inside a tick before the PM stamped at its end', async () => {
    // Grouped by feed, the PM stamped 14:45 went in before a power alarm at 14:41, and every incident
    // the demo opened was detected at the period's end.
    const order: { feed: Feed; t: number }[] = [];
    const port = new FakePort();
    const accept = port.accept.bind(port);
    port.accept = (feed, records) => {
      for (const r of records as { time?: string; eventTime?: string }[]) {
        const t = Date.parse(r.eventTime ?? r.time ?? '');
        if (feed === 'pm' || feed === 'alarms') order.push({ feed, t });
      }
      return accept(feed, records);
    };
    const clock = new FakeClock();
    const sim = simulator(port, clock, { warmupDays: 0.05 });
    sim.start();
    await until(() => clock.t - NOW >= 30_000, 'five simulated hours');
    await sim.stop();
    let pmSoFar = -Infinity;
    const alarmsAfterLaterPm: string[] = [];
    for (const x of order) {
      if (x.feed === 'pm') pmSoFar = Math.max(pmSoFar, x.t);
      else if (x.t < pmSoFar) alarmsAfterLaterPm.push(new Date(x.t).toISOString());
    }
    expect(order.filter((x) => x.feed === 'alarms').length).toBeGreaterThan(0);
    expect(alarmsAfterLaterPm).toEqual([]);
  });

  it('waits out OverloadedError as the daemon asks and loses nothing', async () => {
    const clock = new FakeClock();
    const port = new FakePort(3);
    const sim = simulator(port, clock, { warmupDays: 0.05 });
    sim.start();
    await until(() => sim.status().phase === 'live', 'the live phase');
    await sim.stop();
    expect(clock.sleeps.slice(0, 3)).toEqual([3000, 3000, 3000]);
    expect(port.total).toBe(sim.status().records);
  });

  it('splits a batch larger than the daemon\'s whole queue and loses nothing', async () => {
    const clock = new FakeClock();
    const port = new FakePort(0, 40);
    const sim = simulator(port, clock, { warmupDays: 0.05, batchSize: 1000 });
    sim.start();
    await until(() => sim.status().phase === 'live', 'the live phase');
    await sim.stop();
    expect(port.tooLarge).toBeGreaterThan(0);
    expect(port.largest).toBeLessThanOrEqual(40);
    expect(port.total).toBe(sim.status().records);
  });

  it('stops promptly even while the daemon refuses everything', async () => {
    const clock = new FakeClock();
    const port = new FakePort(Number.MAX_SAFE_INTEGER);
    const sim = simulator(port, clock);
    sim.start();
    await until(() => port.calls > 5, 'a few refusals');
    await sim.stop();
    expect(port.total).toBe(0);
  });

  it('resumes at the daemon`s watermark after a restart, without warm-up', async () => {
    const clock = new FakeClock();
    const port = new FakePort();
    const resumeFrom = NOW + 5 * 3_600_000;
    const sim = simulator(port, clock, {}, resumeFrom);
    sim.start();
    await until(() => port.total > 0, 'records');
    await sim.stop();
    expect(sim.status().eventTime).toBeGreaterThanOrEqual(resumeFrom);
    expect(parseGroundTruth(sim.truth()).scoreFrom).toBeGreaterThan(resumeFrom);
  });

  it('opens the demo with a site outage on a first start, not again after a restart', async () => {
    const faultsOf = async (resumeFrom: number | null) => {
      const sim = simulator(new FakePort(), new FakeClock(), { warmupDays: 0.02 }, resumeFrom);
      sim.start();
      const scoreFrom = parseGroundTruth(sim.truth()).scoreFrom;
      // The opening outage starts 10 minutes into the live phase.
      await until(() => sim.status().eventTime > scoreFrom + 30 * 60_000, 'half an hour of live feed');
      await sim.stop();
      return parseGroundTruth(sim.truth()).faults.map((f) => f.kind);
    };
    expect(await faultsOf(null)).toEqual(['site_outage']);
    expect(await faultsOf(NOW + 3_600_000)).toEqual([]);
  });

  it('writes the ground truth file when configured', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nocwatch-sim-')), 'truth.json');
    const sim = simulator(new FakePort(), new FakeClock(), { truthFile: file, warmupDays: 0.02 });
    sim.start();
    await until(() => sim.status().phase === 'live', 'the live phase');
    await sim.stop();
    expect(existsSync(file)).toBe(true);
    expect(parseGroundTruth(JSON.parse(readFileSync(file, 'utf8'))).cells).toBe(60);
  });
});

describe('the demo in the daemon', () => {
  it('generates the inventory, feeds every feed through the real ingest path, and stops with the app', async () => {
    const config = validateConfig({ log: { level: 'silent' }, simulator: { enabled: true, cells: 80, warmupDays: 0.1, speed: 3600, faultsPerDay: 0 } }, 'test');
    const clock = new FakeClock();
    const app = await buildApp({ config, store: createMemoryStore(), logger: silentLogger(), simulatorClock: clock, wallClock: () => clock.t });
    await app.start();
    expect(app.inventory.size).toBe(80);
    await until(() => app.simulator?.status().phase === 'live' && clock.t - NOW > 5_000, 'live feeding');
    const status = (await app.server.inject({ method: 'GET', url: '/api/v1/status' })).json();
    for (const feed of ['pm', 'signaling', 'dialtest', 'alarms', 'complaints']) {
      expect(status.feeds[feed].accepted, feed).toBeGreaterThan(0);
      expect(status.feeds[feed].rejected, feed).toBe(0);
    }
    await app.stop();
    expect(app.simulator?.status().records).toBeGreaterThan(5000);
    expect(app.store.complaints.list({ limit: 10 }).items.length).toBeGreaterThan(0);
  });
});
