/**
 * `nocwatch simulate --target URL …`: feeds a running daemon from a simulated province over HTTP,
 * as an operator's feeds would: uploads the inventory, then NDJSON batches per feed, honouring 503 +
 * Retry-After and losing nothing. Writes the ground truth for `nocwatch evaluate`.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readInventoryCsv } from '../inventory/inventory-csv.js';
import { DAY, parseTime } from '../model/index.js';
import { drive, systemClock } from '../simulator/driver.js';
import { HttpFeeder } from '../simulator/http-feeder.js';
import { generateNetwork } from '../simulator/inventory-generator.js';
import { networkFromCells } from '../simulator/network-from-cells.js';
import { PM_PERIOD_MS } from '../simulator/network-simulator.js';
import { HUNAN_UTC_OFFSET_MINUTES } from '../simulator/place-names.js';
import { loadScenario, ScenarioError } from '../simulator/scenario.js';
import { ApiReader } from '../simulator/scoring/api-reader.js';
import { createSimulation } from '../simulator/simulation.js';
import { intOption, numberOption, UsageError, urlOption } from './option-values.js';

export const SIMULATE_USAGE = `usage: nocwatch simulate --target URL [options]

  --target URL          the daemon, e.g. http://127.0.0.1:8080
  --cells N             cells to generate, 50 to 300000 (default 2000)
  --inventory FILE      simulate this inventory CSV instead of generating one
  --days D              simulated days after warm-up (default 1)
  --warmup D            fault-free days fed first, so detectors learn baselines (default 1)
  --start TIME          event time to start at (default: the scored days begin at the network's local
                        midnight, the latest one that lets the run end by now)
  --speed X|max         simulated seconds per wall second after warm-up (default max)
  --scenario FILE       faults to inject (YAML or JSON); offsets count from the end of warm-up
  --faults-per-day N    random faults per simulated day (default 0 with --scenario, else 24)
  --seed S              the same seed gives the same network, records and faults (default 1)
  --truth FILE          write the ground truth here (for nocwatch evaluate)
  --token T             bearer token with the ingest and admin scopes (or NOCWATCH_TOKEN)
  --batch N             records per request (default 5000)
  --no-counters         PM records with KPIs only, without the counters behind them
  --no-inventory-upload do not POST the inventory first
  --no-wait             do not wait for the daemon to process everything at the end`;

function fmtRate(n: number, ms: number): string {
  return `${Math.round(n / Math.max(0.001, ms / 1000)).toLocaleString('en-US')}/s`;
}

export async function simulateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      target: { type: 'string' }, cells: { type: 'string' }, inventory: { type: 'string' }, days: { type: 'string' },
      warmup: { type: 'string' }, start: { type: 'string' }, speed: { type: 'string' }, scenario: { type: 'string' },
      'faults-per-day': { type: 'string' }, seed: { type: 'string' }, truth: { type: 'string' }, token: { type: 'string' },
      batch: { type: 'string' }, 'no-inventory-upload': { type: 'boolean' }, 'no-wait': { type: 'boolean' },
      'no-counters': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(SIMULATE_USAGE);
    return 0;
  }
  let settings;
  try {
    const target = urlOption('target', values.target);
    const seed = intOption('seed', values.seed, 1, 0, 2 ** 31 - 1);
    const days = numberOption('days', values.days, 0.01, 3650) ?? 1;
    const warmup = numberOption('warmup', values.warmup, 0, 365) ?? 1;
    const speed = values.speed === undefined || values.speed === 'max' ? Infinity : numberOption('speed', values.speed, 0.001, 1e7) as number;
    const batch = intOption('batch', values.batch, 5000, 1, 100_000);
    let start = defaultStart(Date.now(), days, warmup);
    if (values.start !== undefined) {
      start = parseTime(values.start);
      if (Number.isNaN(start)) throw new UsageError(`--start: expected an RFC 3339 time, got ${JSON.stringify(values.start)}`);
    }
    const scenario = values.scenario ? loadScenario(values.scenario) : null;
    const faultsPerDay = numberOption('faults-per-day', values['faults-per-day'], 0, 10_000) ?? (scenario ? 0 : 24);
    let network;
    if (values.inventory) {
      const { cells, problems } = readInventoryCsv(values.inventory);
      if (cells.length === 0) throw new UsageError(`--inventory: no usable cells in ${values.inventory}${problems[0] ? ` (line ${problems[0].line}: ${problems[0].error})` : ''}`);
      network = networkFromCells(cells);
    } else network = generateNetwork({ cells: intOption('cells', values.cells, 2000, 50, 300_000), seed });
    settings = { target, seed, days, warmup, speed, batch, start, scenario, faultsPerDay, network };
  } catch (err) {
    if (err instanceof UsageError || err instanceof ScenarioError) {
      console.error(`nocwatch simulate: ${err.message}\n${err instanceof UsageError ? `\n${SIMULATE_USAGE}` : ''}`);
      return 2;
    }
    throw err;
  }
  const { target, seed, days, warmup, speed, batch, start, scenario, faultsPerDay, network } = settings;
  const token = values.token ?? process.env.NOCWATCH_TOKEN;
  let sim;
  try {
    sim = createSimulation({
      network, seed, start, warmupMs: warmup * DAY, scenario, scenarioSource: values.scenario, faultsPerDay,
      pmCounters: !values['no-counters'],
    });
  } catch (err) {
    if (err instanceof ScenarioError) {
      console.error(`nocwatch simulate: ${err.message}`);
      return 2;
    }
    throw err;
  }

  const abort = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const feeder = new HttpFeeder({
    target, token, batchSize: batch, maxQueued: batch * 20, clock: systemClock, giveUpMs: 5 * 60_000, signal: abort.signal,
  });
  const until = sim.scoreFrom + Math.round((days * DAY) / PM_PERIOD_MS) * PM_PERIOD_MS;
  const wallStart = Date.now();
  const writeTruth = () => {
    if (values.truth) writeFileSync(values.truth, JSON.stringify(sim.truth(), null, 1));
  };
  try {
    if (!values['no-inventory-upload']) {
      const n = await feeder.uploadInventory(network.cells);
      console.error(`inventory: ${n} cells uploaded to ${target}`);
    }
    console.error(
      `simulating ${network.cells.length} cells from ${new Date(sim.start).toISOString()}: ${warmup} day(s) of warm-up, ` +
      `${days} day(s) scored, speed ${speed === Infinity ? 'max' : `${speed}×`}, seed ${seed}` +
      `${scenario ? `, scenario ${values.scenario} (${scenario.faults.length} faults)` : ''}, ${faultsPerDay} random faults/day`,
    );
    let lastReport = Date.now();
    await drive({
      sim, sink: {
        add: (feed, records) => feeder.add(feed, records),
        endTick: async (t) => {
          await feeder.endTick();
          if (Date.now() - lastReport >= 5000) {
            lastReport = Date.now();
            const s = feeder.stats;
            console.error(
              `  event time ${new Date(t).toISOString()}: ${s.accepted.toLocaleString('en-US')} accepted ` +
              `(${fmtRate(s.accepted, Date.now() - wallStart)}), ${s.rejected} rejected, ${s.overloaded} × 503`,
            );
          }
        },
      },
      clock: systemClock, fastUntil: sim.scoreFrom, speed, until, pollMs: 200, signal: abort.signal,
    });
    await feeder.drain();
  } catch (err) {
    writeTruth();
    if (interrupted) {
      console.error('interrupted; ground truth written up to the event time reached');
      return 130;
    }
    console.error(`nocwatch simulate: ${(err as Error).message}`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  writeTruth();
  const s = feeder.stats;
  const elapsed = Date.now() - wallStart;
  const truth = sim.truth();
  console.error(
    `sent ${s.records.toLocaleString('en-US')} records in ${(elapsed / 1000).toFixed(1)} s (${fmtRate(s.records, elapsed)}): ` +
    `${s.accepted.toLocaleString('en-US')} accepted, ${s.rejected} rejected, ${s.duplicates} duplicates, ` +
    `${s.overloaded} × 503 waited out, ${s.retries} retries; ${truth.faults.length} faults injected` +
    `${values.truth ? `, ground truth in ${values.truth}` : ''}`,
  );
  for (const r of s.rejectSamples) console.error(`  rejected: ${r}`);
  if (interrupted) return 130;
  if (!values['no-wait']) {
    const idle = await new ApiReader({ target, token }).waitIdle(120_000, (ms) => systemClock.sleep(ms));
    if (!idle) console.error('the daemon still has records pending after 120 s');
  }
  return s.rejected > 0 ? 1 : 0;
}

/**
 * Where a run starts when `--start` is not given: the scored days begin at the simulated network's
 * local midnight — the latest one that lets the run end by `now` — so a scenario's offsets (`7h`…)
 * fall at the same local hours, with the same traffic, whenever the command is run.
 */
export function defaultStart(now: number, days: number, warmupDays: number, utcOffsetMinutes = HUNAN_UTC_OFFSET_MINUTES): number {
  const offset = utcOffsetMinutes * 60_000;
  const scoredFrom = Math.floor((now - days * DAY + offset) / DAY) * DAY - offset;
  return scoredFrom - warmupDays * DAY;
}
