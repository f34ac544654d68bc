/**
 * `nocwatch evaluate --target URL --truth FILE [thresholds]`: scores a daemon's incidents, complaint
 * links and tickets against the simulator's ground truth and prints the table; exits 1 when a
 * threshold given on the command line is missed, 2 on bad usage.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseGroundTruth } from '../simulator/ground-truth.js';
import { systemClock } from '../simulator/driver.js';
import { ApiReader } from '../simulator/scoring/api-reader.js';
import { findingDelays, findingsFromIncidents, formatFindingDelays } from '../simulator/scoring/finding-delay.js';
import { PM_PERIOD_MS } from '../simulator/network-simulator.js';
import { failedThresholds, formatReport, type Thresholds } from '../simulator/scoring/report.js';
import { DEFAULT_SCORE_OPTIONS, scoreRun } from '../simulator/scoring/score.js';
import { durationOption, numberOption, ratioOption, UsageError, urlOption } from './option-values.js';

export const EVALUATE_USAGE = `usage: nocwatch evaluate --target URL --truth FILE [options]

  --target URL                 the daemon the simulator fed
  --truth FILE                 the ground truth nocwatch simulate (or simulator.truthFile) wrote
  --token T                    bearer token with the read scope (or NOCWATCH_TOKEN)
  --json                       print the score as JSON instead of a table
  --grace DURATION             an incident up to this long after a fault's end still counts (default 2h)
  thresholds (exit 1 when missed; ratios as 0.8 or 80%):
  --min-recall X  --min-precision X  --min-root-cause X  --min-linkage X
  --min-proactive X  --min-routing X  --max-ttd-p90 DURATION  --max-incidents-per-fault X`;

export async function evaluateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      target: { type: 'string' }, truth: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean' },
      grace: { type: 'string' }, 'min-recall': { type: 'string' }, 'min-precision': { type: 'string' },
      'min-root-cause': { type: 'string' }, 'min-linkage': { type: 'string' }, 'min-proactive': { type: 'string' },
      'min-routing': { type: 'string' }, 'max-ttd-p90': { type: 'string' }, 'max-incidents-per-fault': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(EVALUATE_USAGE);
    return 0;
  }
  let target: string;
  let thresholds: Thresholds;
  let grace: number | undefined;
  let truthText: string;
  try {
    target = urlOption('target', values.target);
    if (!values.truth) throw new UsageError('--truth is required');
    thresholds = {
      minRecall: ratioOption('min-recall', values['min-recall']),
      minPrecision: ratioOption('min-precision', values['min-precision']),
      minRootCause: ratioOption('min-root-cause', values['min-root-cause']),
      minLinkage: ratioOption('min-linkage', values['min-linkage']),
      minProactive: ratioOption('min-proactive', values['min-proactive']),
      minRouting: ratioOption('min-routing', values['min-routing']),
      maxTtdP90Ms: durationOption('max-ttd-p90', values['max-ttd-p90']),
      maxIncidentsPerFault: numberOption('max-incidents-per-fault', values['max-incidents-per-fault'], 0, 1000),
    };
    grace = durationOption('grace', values.grace);
    try {
      truthText = readFileSync(values.truth, 'utf8');
    } catch (err) {
      throw new UsageError(`--truth: cannot read ${values.truth}: ${(err as Error).message}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`nocwatch evaluate: ${err.message}\n\n${EVALUATE_USAGE}`);
      return 2;
    }
    throw err;
  }
  let truth;
  try {
    truth = parseGroundTruth(JSON.parse(truthText));
  } catch (err) {
    console.error(`nocwatch evaluate: ${values.truth}: ${(err as Error).message}`);
    return 2;
  }
  const reader = new ApiReader({ target, token: values.token ?? process.env.NOCWATCH_TOKEN });
  let data;
  try {
    if (!(await reader.waitIdle(60_000, (ms) => systemClock.sleep(ms)))) console.error('note: the daemon still has records pending; scoring what it has');
    data = await reader.readAll();
  } catch (err) {
    console.error(`nocwatch evaluate: cannot read from ${target}: ${(err as Error).message}`);
    return 1;
  }
  for (const m of data.missing) console.error(`note: ${target} has no ${m} (404); scored as empty`);
  const options = { ...DEFAULT_SCORE_OPTIONS, ...(grace !== undefined ? { graceMs: grace } : {}) };
  const score = scoreRun(truth, data.incidents, data.complaints, data.tickets, options);
  const failed = failedThresholds(score, thresholds);
  // The detectors' own speed, as far as the incidents' evidence tells it (see findingsFromIncidents).
  const findingDelaysSeen = findingDelays(
    truth.faults.filter((f) => f.start <= truth.until - options.tooRecentMs), findingsFromIncidents(data.incidents), PM_PERIOD_MS,
  );
  if (values.json) console.log(JSON.stringify({ ...score, findingDelays: findingDelaysSeen, failed }, null, 2));
  else {
    process.stdout.write(formatReport(score, thresholds, { from: truth.scoreFrom, until: truth.until }));
    process.stdout.write(`\n${formatFindingDelays(findingDelaysSeen)}`);
  }
  if (failed.length > 0) {
    console.error(`\n${failed.length} threshold(s) missed:\n  ${failed.join('\n  ')}`);
    return 1;
  }
  return 0;
}
