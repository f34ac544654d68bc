/**
 * The built-in demo network: feeds the daemon through `IngestPort.accept` — the same validation,
 * rejection and backpressure path as HTTP — from a simulated province. Event time starts
 * `warmupDays` in the past and is fed at full speed until it reaches the present (so detectors have
 * baselines to learn from), then runs `speed` times faster than the wall clock, with random faults
 * coming all the time and a site outage ten simulated minutes after warm-up so a newcomer sees an
 * incident, its complaints and its ticket within a minute of `npm start`.
 *
 * After a restart it resumes at the daemon's watermark instead of replaying history it already has.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { BatchTooLargeError, OverloadedError } from '../errors.js';
import { DAY, MINUTE, type Feed } from '../model/index.js';
import type { IngestPort } from '../pipeline/ingest-port.js';
import type { Logger } from '../telemetry/logger.js';
import type { SimulatorConfig } from './config.js';
import { drive, systemClock, type DriverPhase, type PacingClock, type TickSink } from './driver.js';
import type { GroundTruthJson } from './ground-truth.js';
import type { NetworkSimulator } from './network-simulator.js';
import type { SimNetwork } from './network.js';
import { loadScenario } from './scenario.js';
import { createSimulation } from './simulation.js';

export interface SimulatorDeps {
  config: SimulatorConfig;
  ingest: IngestPort;
  network: SimNetwork;
  logger: Logger;
  /** Wall clock for pacing (tests pass a fake one). */
  clock?: PacingClock;
  /** The daemon's watermark after a restart: the simulation resumes there. */
  resumeFrom?: number | null;
}

export interface SimulatorStatus {
  phase: DriverPhase | 'idle';
  /** Event time reached, epoch ms. */
  eventTime: number;
  records: number;
  faults: number;
}

const TRUTH_WRITE_INTERVAL_MS = 30_000;

export class Simulator {
  private readonly sim: NetworkSimulator;
  private readonly clock: PacingClock;
  private readonly log: Logger;
  private readonly abort = new AbortController();
  private readonly fastUntil: number;
  private phase: SimulatorStatus['phase'] = 'idle';
  private running: Promise<void> | null = null;
  private lastTruthWrite = 0;
  private rejectWarned = false;

  constructor(private readonly deps: SimulatorDeps) {
    const { config } = deps;
    this.clock = deps.clock ?? systemClock;
    this.log = deps.logger.child({ component: 'simulator' });
    const now = this.clock.now();
    let start = now - config.warmupDays * DAY;
    let warmupMs = config.warmupDays * DAY;
    const resumed = deps.resumeFrom != null && deps.resumeFrom > start;
    if (resumed) {
      start = deps.resumeFrom! + 15 * MINUTE;
      warmupMs = 0;
    }
    this.sim = createSimulation({
      network: deps.network,
      seed: config.seed,
      start,
      warmupMs,
      scenario: config.scenario ? loadScenario(config.scenario) : null,
      scenarioSource: config.scenario ?? undefined,
      faultsPerDay: config.faultsPerDay,
      // The demo's opening site outage is for a first start; a restart resumes the network as it was.
      kickoff: !resumed,
      utcOffsetMinutes: config.utcOffsetMinutes,
      feeds: config.feeds,
      complaintsPerSubscriberDay: config.complaintsPerSubscriberDay,
      signalingProcedures: config.signalingProcedures,
      pmCounters: config.pmCounters,
    });
    this.fastUntil = this.sim.scoreFrom;
  }

  /** Starts feeding in the background. */
  start(): void {
    if (this.running) return;
    const { config } = this.deps;
    this.log.info(
      { cells: this.deps.network.cells.length, seed: config.seed, from: new Date(this.sim.start).toISOString(), speed: config.speed },
      this.sim.start < this.fastUntil
        ? `simulated network: feeding ${((this.fastUntil - this.sim.start) / DAY).toFixed(1)} days of history at full speed, then ${config.speed}× real time`
        : `simulated network: resuming at ${config.speed}× real time`,
    );
    this.running = drive({
      sim: this.sim,
      sink: this.sink(),
      clock: this.clock,
      fastUntil: this.fastUntil,
      speed: config.speed, // simulated seconds per wall second = simulated ms per wall ms
      until: Infinity,
      pollMs: config.tickMs,
      signal: this.abort.signal,
      onPhase: (phase, t) => {
        this.phase = phase;
        if (phase === 'live') this.log.info({ eventTime: new Date(t).toISOString() }, 'simulated network: warm-up done, running live');
      },
    }).catch((err: unknown) => {
      this.phase = 'done';
      this.log.error({ err }, 'simulated network stopped on an error');
    });
  }

  /** Stops after the tick in progress; writes the ground truth one last time. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    this.writeTruth();
  }

  status(): SimulatorStatus {
    return { phase: this.phase, eventTime: this.sim.time, records: this.sim.recordCount, faults: this.sim.faults().filter((f) => f.start < this.sim.time).length };
  }

  truth(): GroundTruthJson {
    return this.sim.truth();
  }

  /**
   * Collects a tick's chunks and delivers them in the order the simulator made them (consecutive chunks
   * of one feed merged): alarms and complaints from inside the tick before the aggregates stamped at
   * its end. Grouped by feed, the PM stamped 14:45 reached the daemon before a power alarm at 14:41,
   * so every incident the demo opened was "detected" at the period's end, minutes late.
   */
  private sink(): TickSink {
    let pending: [Feed, object[][]][] = [];
    return {
      add: (feed, records) => {
        const last = pending[pending.length - 1];
        if (last && last[0] === feed) last[1].push(records);
        else pending.push([feed, [records]]);
      },
      endTick: async () => {
        const tick = pending;
        pending = [];
        for (const [feed, parts] of tick) {
          const records = parts.length === 1 ? parts[0] : parts.flat();
          for (let i = 0; i < records.length && !this.abort.signal.aborted; i += this.deps.config.batchSize) {
            await this.accept(feed, records.slice(i, i + this.deps.config.batchSize));
            // Let the pipeline and the HTTP server run between batches: warm-up must not starve them.
            await yieldToLoop();
          }
        }
        if (this.deps.config.truthFile && this.clock.now() - this.lastTruthWrite >= TRUTH_WRITE_INTERVAL_MS) this.writeTruth();
      },
    };
  }

  /**
   * Accepts a batch, waiting as the daemon asks while its queue is full, splitting it when it is
   * larger than the whole queue; gives up only on stop.
   */
  private async accept(feed: Feed, records: object[]): Promise<void> {
    for (;;) {
      try {
        const r = this.deps.ingest.accept(feed, records, 'simulator');
        if (r.rejected.length > 0 && !this.rejectWarned) {
          this.rejectWarned = true;
          this.log.warn({ feed, rejected: r.rejected.length, first: r.rejected[0] }, 'the daemon rejected simulated records');
        }
        return;
      } catch (err) {
        if (err instanceof BatchTooLargeError && records.length > 1) {
          // More records than the whole queue holds (batchSize > pipeline.queueLimit): in halves, in order.
          const half = Math.ceil(records.length / 2);
          await this.accept(feed, records.slice(0, half));
          await this.accept(feed, records.slice(half));
          return;
        }
        if (!(err instanceof OverloadedError)) throw err;
        if (this.abort.signal.aborted) return;
        await this.clock.sleep(err.retryAfterS * 1000, this.abort.signal);
        if (this.abort.signal.aborted) return;
      }
    }
  }

  private writeTruth(): void {
    const file = this.deps.config.truthFile;
    if (!file) return;
    this.lastTruthWrite = this.clock.now();
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify(this.sim.truth()));
      renameSync(`${file}.tmp`, file);
    } catch (err) {
      this.log.warn({ err, file }, 'could not write the simulator ground truth');
    }
  }
}
