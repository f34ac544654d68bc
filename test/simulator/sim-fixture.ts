/** Runs a small simulation and keeps every record, by feed, for the simulator's tests. */
import type { Feed } from '../../src/model/index.js';
import { generateNetwork } from '../../src/simulator/inventory-generator.js';
import { distanceKm, type SimNetwork } from '../../src/simulator/network.js';
import { parseScenario } from '../../src/simulator/scenario.js';
import { createSimulation } from '../../src/simulator/simulation.js';
import type { NetworkSimulator } from '../../src/simulator/network-simulator.js';

/** Tuesday 2026-11-24 00:00 in Hunan (UTC+8). */
export const T0 = Date.UTC(2026, 10, 23, 16);
export const HOUR = 3_600_000;

export type Records = Record<Feed, Record<string, unknown>[]>;

export interface SimRun {
  net: SimNetwork;
  sim: NetworkSimulator;
  records: Records;
}

export function emptyRecords(): Records {
  return { pm: [], signaling: [], dialtest: [], alarms: [], complaints: [] };
}

export function runSim(opts: { cells: number; seed: number; hours: number; scenario?: unknown; net?: SimNetwork; step?: number }): SimRun {
  const net = opts.net ?? generateNetwork({ cells: opts.cells, seed: opts.seed });
  const sim = createSimulation({
    network: net, seed: opts.seed, start: T0, warmupMs: 0, faultsPerDay: 0,
    scenario: opts.scenario === undefined ? null : parseScenario(opts.scenario),
  });
  const records = emptyRecords();
  const end = T0 + opts.hours * HOUR;
  const step = opts.step ?? end - T0;
  for (let t = T0 + step; ; t += step) {
    sim.runUntil(Math.min(t, end), (feed, recs) => {
      for (const r of recs) records[feed].push(r as Record<string, unknown>);
    });
    if (t >= end) break;
  }
  return { net, sim, records };
}

/** Epoch ms of a record's time field. */
export function tOf(r: Record<string, unknown>, field = 'time'): number {
  return Date.parse(r[field] as string);
}

/** The site nearest to a point, by a scan of every site (what `SiteGrid` must agree with). */
export function nearestSiteByScan(net: SimNetwork, lat: number, lon: number): number {
  let best = -1;
  let bestKm = Infinity;
  net.sites.forEach((s, i) => {
    const d = distanceKm(lat, lon, s.lat, s.lon);
    if (d < bestKm) (best = i, bestKm = d);
  });
  return best;
}
