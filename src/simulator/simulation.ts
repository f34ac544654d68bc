/**
 * Assembles a simulation from its settings — network, seed, warm-up, scenario, random fault rate —
 * the one place the demo, `nocwatch simulate` and the benchmark build a NetworkSimulator.
 */
import type { Feed } from '../model/index.js';
import { placeProbes } from './feeds/dialtest-feed.js';
import { NetworkSimulator, PM_PERIOD_MS, type NetworkSimulatorOptions } from './network-simulator.js';
import { networkLookup, type SimNetwork } from './network.js';
import { Rng } from './prng.js';
import { resolveScenario, type Scenario } from './scenario.js';

export interface SimulationSettings {
  network: SimNetwork;
  seed: number;
  /** Event time the simulation starts (rounded down to 15 minutes). */
  start: number;
  /** Warm-up: fault-free history before the scored part; scenario offsets count from its end. */
  warmupMs: number;
  scenario?: Scenario | null;
  /** Where the scenario came from, for error messages. */
  scenarioSource?: string;
  /** Random faults per simulated day after warm-up; a scenario's own `randomFaultsPerDay` adds to it. */
  faultsPerDay: number;
  /** A site outage 10 minutes after warm-up (the demo wants an incident at once). */
  kickoff?: boolean;
  utcOffsetMinutes?: number;
  feeds?: Partial<Record<Feed, boolean>>;
  complaintsPerSubscriberDay?: number;
  pmCounters?: boolean;
  signalingProcedures?: NetworkSimulatorOptions['signalingProcedures'];
}

/** Builds the simulator; throws ScenarioError when the scenario names objects the network lacks. */
export function createSimulation(s: SimulationSettings): NetworkSimulator {
  const start = Math.floor(s.start / PM_PERIOD_MS) * PM_PERIOD_MS;
  const scoreFrom = start + Math.round(s.warmupMs / PM_PERIOD_MS) * PM_PERIOD_MS;
  const faults = s.scenario
    ? resolveScenario(
      s.scenario,
      {
        net: s.network, lookup: networkLookup(s.network), rng: new Rng(s.seed, 0x5ce7),
        probeCells: placeProbes(s.network, s.seed).map((p) => p.cell),
      },
      scoreFrom,
      s.scenarioSource,
    )
    : [];
  return new NetworkSimulator({
    network: s.network,
    seed: s.seed,
    start,
    scoreFrom,
    faults,
    randomFaultsPerDay: s.faultsPerDay + (s.scenario?.randomFaultsPerDay ?? 0),
    kickoff: s.kickoff,
    utcOffsetMinutes: s.utcOffsetMinutes,
    feeds: s.feeds,
    pmCounters: s.pmCounters,
    signalingProcedures: s.signalingProcedures,
    complaints: s.complaintsPerSubscriberDay !== undefined ? { perSubscriberDay: s.complaintsPerSubscriberDay } : undefined,
  });
}
