/**
 * Paces a simulation: history up to the end of warm-up as fast as delivery takes it, then event time
 * moving `speed` times faster than the wall clock (or flat out). One 5-minute tick at a time, every
 * feed delivered before the next tick starts, so the feeds stay within a tick of each other in event
 * time — well inside the daemon's allowed lateness. The wall clock only decides pacing and is
 * injected, so tests run a day of simulated time in milliseconds.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { Feed } from '../model/index.js';
import { TICK_MS, type NetworkSimulator } from './network-simulator.js';

/** Wall time for pacing: now, and a sleep that a stop request cuts short. */
export interface PacingClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: PacingClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleepFor(ms, undefined, { signal }).catch(() => undefined),
};

/**
 * Where a tick's records go. `add` may return a promise to pause generation mid-tick (memory bound
 * on a 300,000-cell tick); `endTick` may wait before the next tick is generated (feeds in step).
 */
export interface TickSink {
  add(feed: Feed, records: object[]): void | Promise<void>;
  endTick(eventTime: number): Promise<void>;
}

export type DriverPhase = 'warmup' | 'live' | 'done';

export interface DriveOptions {
  sim: NetworkSimulator;
  sink: TickSink;
  clock: PacingClock;
  /** Event time up to which to run at full speed (the end of warm-up). */
  fastUntil: number;
  /** Simulated ms per wall ms after `fastUntil`; Infinity: as fast as the sink takes it. */
  speed: number;
  /** Event time to stop at (Infinity: until aborted). */
  until: number;
  /** Wall-clock poll interval while waiting for the next tick to be due. */
  pollMs: number;
  signal: AbortSignal;
  onPhase?: (phase: DriverPhase, eventTime: number) => void;
}

/** Runs until `until` or until `signal` aborts. */
export async function drive(o: DriveOptions): Promise<void> {
  let liveWall: number | null = null;
  let liveEvent = 0;
  if (o.sim.time < o.fastUntil) o.onPhase?.('warmup', o.sim.time);
  while (!o.signal.aborted && o.sim.time + TICK_MS <= o.until) {
    let target: number;
    if (o.sim.time < o.fastUntil) target = o.fastUntil;
    else {
      if (liveWall === null) {
        liveWall = o.clock.now();
        liveEvent = o.sim.time;
        o.onPhase?.('live', o.sim.time);
      }
      target = o.speed === Infinity ? o.until : liveEvent + (o.clock.now() - liveWall) * o.speed;
    }
    const next = o.sim.time + TICK_MS;
    if (target < next) {
      const wait = liveWall === null ? o.pollMs : Math.min(o.pollMs, Math.max(1, (next - target) / o.speed));
      await o.clock.sleep(wait, o.signal);
      continue;
    }
    for (const [feed, records] of o.sim.generate(next)) {
      const wait = o.sink.add(feed, records);
      if (wait) await wait;
    }
    await o.sink.endTick(next);
  }
  o.onPhase?.('done', o.sim.time);
}
