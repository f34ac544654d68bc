/**
 * Configuration of the detector stage (`detectors:` in the root config). Every field has a default,
 * so `{}` is a complete configuration; the defaults are the parameter set measured in the README
 * (NAB benchmark and the simulated network) — one set for every series.
 */
import { z } from 'zod';
import { AREA_CLASSES } from '../model/index.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration: seconds as a number, or a string such as `90s`, `15m`, `2h`, `1d`. Parsed to ms. */
export const zDuration = z.union([z.number().min(0), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return Math.round(v * 1000);
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(v.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `expected a duration such as "90s", "15m", "2h" or seconds, received ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return Math.round(Number(m[1]) * UNIT_MS[m[2]]);
});

const kpiNameSchema = z.string().min(1).max(128);

/** A KPI added to (or overriding) the built-in catalogue. */
export const kpiDefinitionSchema = z.strictObject({
  name: kpiNameSchema,
  direction: z.enum(['higher_is_better', 'lower_is_better', 'both']).default('both'),
  unit: z.string().max(32).default(''),
  /** A 0..100 % rate whose evidence is the number of attempts behind it. */
  isRate: z.boolean().default(false),
});

/** The seasonal, robust, online baseline every KPI series gets (also `nocwatch score-series`). */
export const baselineConfigSchema = z.strictObject({
  /** Knots of the daily profile (piecewise linear between knots). */
  knotsPerDay: z.number().int().min(1).max(96).default(12),
  /** A second profile for Saturday and Sunday. */
  weekendProfile: z.boolean().default(true),
  /**
   * …and a third for Sunday (seeded from Saturday's): Saturday evening is busier than Sunday evening
   * in most places, and one profile for both judged every Saturday evening against their average.
   */
  sundayProfile: z.boolean().default(true),
  /** Buckets per day of the noise scale (night noise differs from busy-hour noise). */
  scaleBucketsPerDay: z.number().int().min(1).max(96).default(12),
  /** Learning rate of the profile per unit of knot weight, once a knot has been seen a few times. */
  profileAlpha: z.number().gt(0).max(1).default(0.1),
  /** Learning rate of the offset that follows slow level changes between profile updates. */
  offsetAlpha: z.number().gt(0).max(1).default(0.05),
  /** The offset stays within this many σ: it follows wobbles; a real change must show (and may become a level shift). */
  offsetLimit: z.number().gt(0).max(1e6).default(1e6),
  /**
   * Rates with attempts (success and failure ratios) learn their profile and offset this much more
   * slowly (a multiplier on `profileAlpha` and `offsetAlpha`). Their noise is known from the attempts,
   * so they need fewer samples to learn, and a fault too mild for any one sample to stand out
   * (interference lifting a quiet cell's drop rate from 0.5 % to 5 %: 2σ a period) must not become the
   * baseline within the hours it takes the slow scales to see it. A lasting change still becomes the
   * level: beyond `gateZ` as a level shift, below it within a few days.
   */
  rateLearning: z.number().gt(0).max(1).default(0.1),
  /** Step of the robust (quantile-tracking) noise scale, in log units. */
  scaleEta: z.number().gt(0).max(1).default(0.05),
  /** A sample beyond this many σ is an outlier: it does not teach the baseline. */
  gateZ: z.number().min(1).max(100).default(6),
  /** A one-sided run of outliers lasting this long becomes the new level (a re-configuration). */
  levelShiftAfter: zDuration.prefault('24h'),
  /** Samples aggregated by the slow scales (block means of standardised residuals): drift detection. */
  scales: z.array(z.number().int().min(2).max(1024)).max(4).default([8, 32]),
  /**
   * A rate's slow-scale block speaks only when it holds at least this many expected bad counts
   * (failures of a failure rate, non-successes of a success rate): below it the block mean of
   * discrete low-count samples is far from Gaussian and its tail is not a σ away.
   */
  slowMinCount: z.number().min(0).max(1e6).default(5),
  /** Quantile above which the tail of the evidence is modelled (peaks over threshold). */
  tailQuantile: z.number().min(0.5).max(0.999).default(0.98),
  /** Step of the tail threshold tracker. */
  tailEta: z.number().gt(0).max(1).default(0.05),
  /**
   * Learning rate of the mean exceedance, once the tail has seen 1/tailAlpha exceedances (before, a
   * running mean). At 0.05 the fit remembered ~20 exceedances, an estimate noisy enough that whenever
   * it ran low ordinary noise scored high: white noise reached score 3 two fifths more often than at
   * 0.02 (test/detectors/kpi-baseline.test.ts), and NAB's false positives fell in most files with it.
   */
  tailAlpha: z.number().gt(0).max(1).default(0.02),
  /**
   * When a series becomes warm, its tail fit so far counts as at most this many exceedances (a little
   * less than the 0.05 fit's memory): the warm-up's residuals, against a profile still being learnt,
   * are larger than the learnt series makes, and the slow `tailAlpha` would carry them for weeks,
   * keeping clear deviations' scores (and their severity) low. 0 forgets the warm-up's fit entirely;
   * at 5 or 10 the fresh fit was noisy enough to add a finding to the first fault-free week.
   */
  tailWarmupWeight: z.number().int().min(0).max(65535).default(15),
  /** Samples before a series scores at all (cold start): it learns, it does not alarm. */
  warmupSamples: z.number().int().min(0).max(100_000).default(200),
  /** Smallest noise scale relative to the series' typical spread: tiny wobbles of a flat series are not news. */
  minRelativeScale: z.number().min(0).max(1).default(0.01),
  /** After a strong deviation, new onsets of the same series are muted for this many samples unless stronger. */
  refractorySamples: z.number().int().min(0).max(10_000).default(24),
  /** Evidence (−log10 tail probability) that counts as an onset for the refractory period. */
  refractoryScore: z.number().min(0).max(50).default(2.6),
});
export type BaselineConfig = z.infer<typeof baselineConfigSchema>;

/**
 * When a KPI deviation becomes a firing anomaly and when it resolves. An anomaly opens on calibrated
 * evidence (the score, which adapts to each series' tail) and is then held by the plain deviation (z),
 * so a sustained fault stays one firing anomaly even after its scores stop being news.
 */
export const kpiFiringConfigSchema = z.strictObject({
  /** Evidence (−log10 tail probability) at which a sample opens an anomaly. */
  badScore: z.number().min(0).max(50).default(3),
  /** And its standardised deviation in the bad direction must be at least this large; the next samples must keep it to confirm. */
  minZ: z.number().min(0).max(100).default(4),
  /** A firing anomaly stays bad while the deviation is at least this large (hysteresis). */
  clearZ: z.number().min(0).max(100).default(2.5),
  /** Deviation a slow scale (a block mean) needs to open: it summarises many samples, so it must be clear. */
  slowMinZ: z.number().min(0).max(100).default(6.5),
  /**
   * …and its newest sample must still be this far on the bad side (σ): a block whose mean was lifted
   * by a burst that is already over (the core failed for 45 minutes an hour ago) is history, not news.
   */
  slowOpenLastZ: z.number().min(-100).max(100).default(1),
  /** Consecutive bad samples that make a pending anomaly fire. */
  confirmSamples: z.number().int().min(1).max(100).default(2),
  /**
   * Evidence (sum of the scores of the run's samples) a confirmation needs besides the mean
   * deviation: two samples together about 1e-7 unlikely. A network makes ~1.5 million PM samples a
   * day per 2,000 cells, so a weaker pair happens somewhere every day (at 6, a fault-free simulated
   * week fired 2.1 findings per 1,000 cell-days; at 7, 1.4); on a heavy-tailed series a 5σ then 3σ
   * pair is ordinary, and the calibrated scores know it where the mean z does not. A real fault
   * keeps going: a third sample confirms what two could not.
   */
  confirmScore: z.number().min(0).max(100).default(7),
  /** Evidence that fires at once, without confirmation. */
  immediateScore: z.number().min(0).max(100).default(8),
  /** A series opens no anomaly before it has this much history (samples × period): its daily profile is not learnt yet. */
  minHistory: zDuration.prefault('2d'),
  /**
   * Nor while the profile knots around the sample have learnt from less than this many days of
   * samples: the first weekday after a history of weekends only (or the first weekend) is judged
   * against a profile that has not seen that kind of day — Monday's morning rush would look like
   * congestion on every busy cell. Rates still fire meanwhile on a young rate's `youngMinZ`.
   */
  minProfileDays: z.number().min(0).max(7).default(1),
  /**
   * A rate with at least this much history but less than `minHistory` (its first days: a daily
   * profile learnt once, its tail not calibrated yet) fires only on `youngMinZ` σ sustained over the
   * confirmation samples — a collapsed success rate, not the subtle shifts a learnt series shows.
   */
  youngHistory: zDuration.prefault('1d'),
  /** Deviation (σ, bad direction) a young rate needs, on the confirmation samples on average (0: off). */
  youngMinZ: z.number().min(0).max(1000).default(8),
  /** Consecutive good samples after which a firing anomaly starts resolving. */
  clearSamples: z.number().int().min(1).max(1000).default(2),
});

const thresholdBoundsSchema = z.strictObject({
  /** Bad when the value falls below this. */
  below: z.number().nullable().default(null),
  /** Bad when the value rises above this. */
  above: z.number().nullable().default(null),
});

/** A static threshold on one KPI, like a Prometheus rule with `for:`. */
export const staticThresholdSchema = z.strictObject({
  below: z.number().nullable().default(null),
  above: z.number().nullable().default(null),
  /** The condition must hold this long (event time) before the anomaly fires. */
  for: zDuration.prefault('15m'),
  /** To clear, the value must come back past the threshold by this much (same unit as the KPI). */
  hysteresis: z.number().min(0).default(0),
  severity: z.enum(['critical', 'major', 'minor', 'warning']).default('major'),
  /** Per area class, other bounds (e.g. a hospital's availability matters more). */
  byAreaClass: z.partialRecord(z.enum(AREA_CLASSES), thresholdBoundsSchema).default({}),
});
export type StaticThresholdConfig = z.infer<typeof staticThresholdSchema>;

/**
 * Built-in rules: a cell that is mostly unavailable is an outage; sustained full PRB is congestion; an
 * uplink noise floor above −100 dBm for half an hour is interference (a clean receiver sits near
 * −117 dBm, a busy one a few dB higher; at −100 users at the cell's edge can no longer send).
 */
const DEFAULT_THRESHOLDS = {
  availability: { below: 90, for: '0s', hysteresis: 5, severity: 'critical' },
  prb_dl_utilization: { above: 95, for: '30m', hysteresis: 10, severity: 'minor' },
  ul_interference_dbm: { above: -100, for: '30m', hysteresis: 3, severity: 'major' },
} as const;

/**
 * A shift rule on one KPI: a sample at least `by` (the KPI's own unit) beyond its expectation in the
 * bad direction, and `minZ` σ, is evidence in itself — half a confirmation, so two such periods in a
 * row fire however heavy the series' calibrated tail is. For KPIs whose unit says how bad a deviation
 * is: an uplink noise floor 4 dB above its usual level is interference, even on a series whose passing
 * one-period spikes teach its tail that a 30σ sample is merely unusual.
 */
export const shiftRuleSchema = z.strictObject({
  by: z.number().positive(),
  minZ: z.number().min(0).max(1000).default(6),
});
export type ShiftRuleConfig = z.infer<typeof shiftRuleSchema>;

const DEFAULT_SHIFTS = {
  ul_interference_dbm: { by: 4 },
} as const;

/** Per-KPI rules in config join the built-in ones: a KPI given replaces its built-in rule, `null` drops it. */
function withBuiltIns<T>(builtIns: Record<string, unknown>, schema: z.ZodType<T>) {
  return (own: Record<string, T | null>): Record<string, T> => {
    const out: Record<string, T> = {};
    const parsed = Object.fromEntries(Object.entries(builtIns).map(([k, v]) => [k, schema.parse(v)]));
    for (const [kpi, rule] of Object.entries({ ...parsed, ...own })) if (rule !== null) out[kpi] = rule;
    return out;
  };
}

export const missingDataConfigSchema = z.strictObject({
  /**
   * A cell is silent when the watermark (the newest event time of any feed) passes its last PM by
   * this many of its own periods: one period plus room for the feed's own delivery lag. Silence is
   * then only believed when the district's other cells did report the period the cell missed.
   */
  pmGracePeriods: z.number().min(0.5).max(100).default(1.5),
  /** Likewise for signaling aggregates (short periods jitter more). */
  signalingGracePeriods: z.number().min(0.5).max(100).default(3),
  /**
   * Silence only counts while other cells of the same district still report: when the whole feed
   * stops it is the collector, not the network.
   */
  minReportingNeighbourFraction: z.number().min(0).max(1).default(0.5),
});

export const alarmDetectorConfigSchema = z.strictObject({
  /** Raise/clear cycles of one alarm within `flapWindow` that make it flapping. */
  flapCycles: z.number().int().min(2).max(1000).default(3),
  flapWindow: zDuration.prefault('1h'),
  /** A flapping alarm must stay quiet this long before it stops counting as flapping. */
  flapQuiet: zDuration.prefault('1h'),
  /** Raises per region within `stormWindow` that make an alarm storm. */
  stormRaises: z.number().int().min(2).max(1_000_000).default(200),
  stormWindow: zDuration.prefault('5m'),
  /** A raised alarm with no clear is forgotten after this long (clears are not guaranteed). */
  staleAfter: zDuration.prefault('7d'),
  /**
   * PM periods in full service, from every cell a service-affecting alarm covers, that resolve its
   * anomaly when the clear never came (0: wait for the clear or `staleAfter`).
   */
  contradictAfterPeriods: z.number().int().min(0).max(1000).default(2),
  /** Availability (%) of a PM period that counts as full service. */
  inServiceAvailability: z.number().min(0).max(100).default(99),
  /**
   * Severities that raise an anomaly. X.733: critical and major mean service is (or is about to be)
   * affected; minor and warning are non-service-affecting conditions — a fan running slow, a
   * marginal VSWR that raises and clears all day — context for the OMC, not findings about network
   * quality. They still mark the cell as alarmed (detector hints) and name their object in the evidence.
   */
  anomalySeverities: z.array(z.enum(['critical', 'major', 'minor', 'warning', 'indeterminate'])).default(['critical', 'major']),
});

export const dialTestConfigSchema = z.strictObject({
  /** Consecutive failures of one probe, whatever the service, that fire. */
  consecutiveFailures: z.number().int().min(1).max(100).default(3),
  /** Prior failure probability of a dial test before the cell's own rate is learned. */
  priorFailureRate: z.number().gt(0).lt(1).default(0.03),
  /** Evidence (−log10 binomial tail) of the most unlikely recent run of tests at a cell that fires. */
  failureScore: z.number().min(1).max(50).default(5),
  /** Tests of one cell (all services) looked at together: three cycles of a probe. */
  windowTests: z.number().int().min(3).max(200).default(12),
  /** Successes in a row (a probe cycle) after which a cell's finding starts resolving. */
  clearTests: z.number().int().min(1).max(100).default(4),
  /** Voice calls that connect but are degraded against the probe's own setup time and MOS count as failed tests. */
  quality: z.strictObject({
    /** Standard deviations beyond the probe's mean (log setup time up, MOS down) that make a call degraded; 0 turns it off. */
    z: z.number().min(0).max(50).default(4.5),
    /** Voice tests a probe learns from before it judges any (a cycle is 15 minutes: 16 is four hours). */
    minTests: z.number().int().min(2).max(10_000).default(16),
    /** Degraded calls in a row taken as the probe's new normal (a re-homed probe, a new codec): it relearns. */
    adoptAfter: z.number().int().min(2).max(10_000).default(48),
  }).prefault({}),
});

export const complaintSpikeConfigSchema = z.strictObject({
  /** Counting bucket. */
  bucket: zDuration.prefault('1h'),
  /** Window (whole buckets) over which complaints are counted against the baseline. */
  window: zDuration.prefault('3h'),
  /** Background complaints per cell per hour before a cell's own rate is learned. */
  priorPerCellHour: z.number().gt(0).default(0.02),
  /** Learning rate of the hourly baseline. */
  alpha: z.number().gt(0).max(1).default(0.02),
  /** Fewer complaints than this never make a spike. */
  minCount: z.number().int().min(1).default(3),
  /** −log10 Poisson tail probability that fires. */
  score: z.number().min(1).max(50).default(4),
  /** A spike resolves when the window count falls back under this fraction of the count that fired. */
  clearFraction: z.number().min(0).max(1).default(0.5),
  /**
   * A second, slow window for chronic trickles — a coverage hole draws a complaint every hour or two,
   * never three within `window` — judged the same way (`0s` turns it off).
   */
  slowWindow: zDuration.prefault('24h'),
  /** Fewer complaints than this within `slowWindow` never make a finding. */
  slowMinCount: z.number().int().min(1).default(5),
  /**
   * Coverage gaps: complaints placed (by lat/lon) beyond the reach of every site — farther from the
   * nearest site than `minKm` and than `spacingFactor` × that site's distance to its own nearest
   * neighbour — counted within `slowWindow` for the nearest site and any other about as near (a hole
   * lies between sites). Background complaints come from where the cells serve; a few from out where
   * none reaches is a hole between sites (`minCount: 0` turns it off).
   */
  gap: z.strictObject({
    minCount: z.number().int().min(0).default(3),
    minKm: z.number().min(0).default(1),
    spacingFactor: z.number().min(0).default(0.5),
    /** Out-of-reach complaints per cell per hour before the network's own rate is learned. */
    priorPerCellHour: z.number().gt(0).default(0.0002),
  }).prefault({}),
});

export const stateMachineConfigSchema = z.strictObject({
  /** A resolving anomaly that stays clear this long is resolved; bad again before that, it fires again (same anomaly). */
  resolveAfter: zDuration.prefault('30m'),
  /** A pending anomaly never confirmed within this time is dropped (resolved). */
  pendingTimeout: zDuration.prefault('1h'),
  /** Resolved anomalies kept for `cellDetail` and the API. */
  keepResolved: z.number().int().min(0).max(100_000).default(1000),
});

export const historyConfigSchema = z.strictObject({
  /** Slots of the per-series ring kept for `cellDetail` (96 × 15 min = the last day). */
  slots: z.number().int().min(1).max(2048).default(96),
  slotMinutes: z.number().int().min(1).max(1440).default(15),
});

/**
 * Demand: RRC setup attempts per period against the cell's own profile. On a full cell (PRB at
 * congestion level) a `minRatio` surplus is congestion: a cell that is full every busy hour stays full
 * when demand doubles — PRB and per-user throughput barely move — but its attempts do. On a cell with
 * room, only a surge is news: `surgeRatio` times the usual and `surgeZ` σ beyond the day-to-day
 * spread, two periods running — a crowd, an event, traffic from a failed neighbour, heading for
 * congestion before the PRB shows it (at night, tripled demand leaves PRB well short of full).
 */
export const demandConfigSchema = z.strictObject({
  /** Attempts must also be at least this multiple of their expectation (a busier-than-usual day is not congestion); 0 turns demand off. */
  minRatio: z.number().min(0).max(100).default(1.5),
  /** On a cell with room: attempts at least this multiple of their expectation… (0 turns surges off). */
  surgeRatio: z.number().min(0).max(100).default(2),
  /** …and this many σ above it. */
  surgeZ: z.number().min(0).max(100).default(6),
});

/**
 * Radio failures per cell: the failed events behind the radio-sensitive rates, counted together and
 * tested against the cell's own learnt failure probabilities (see `radio-failures.ts`).
 */
export const radioFailuresConfigSchema = z.strictObject({
  /** Rate KPIs (with attempts and a bad direction) whose failed events are counted; setup rates are left out at congestion-level PRB. */
  kpis: z.array(kpiNameSchema).max(16).default(['erab_drop_rate', 'handover_success_rate', 'volte_call_drop_rate', 'rrc_setup_success_rate']),
  /** Windows (consecutive PM periods) tested at every period. */
  windows: z.array(z.number().int().min(1).max(16)).min(1).max(4).default([1, 2, 4]),
  /** −log10 p of a window's failures that fires at once (the windows are sums: no confirmation wait); 0 turns the detector off. */
  fireScore: z.number().min(0).max(300).default(6),
  /** A firing finding holds while some window still scores this much… */
  clearScore: z.number().min(0).max(300).default(2),
  /** …and clears after this many periods below it. */
  clearSamples: z.number().int().min(1).max(1000).default(2),
  /** Extra relative variance of a period's expected failures (rates wander a little from period to period). */
  dispersion: z.number().min(0).max(10).default(0.02),
  /** Memory of the learnt failure probabilities (decayed sums of failures and attempts). */
  memory: zDuration.prefault('3d'),
  /** A cell is judged once it has reported this long… */
  minHistory: zDuration.prefault('1d'),
  /** …and a KPI counts once this many (decayed) attempts taught its probability. */
  minAttempts: z.number().min(0).max(1e9).default(200),
});
export type RadioFailuresConfig = z.infer<typeof radioFailuresConfigSchema>;

export const detectorsConfigSchema = z.strictObject({
  /** Local time offset of the network, for the daily profile (minutes east of UTC, e.g. 480). */
  timezoneOffsetMinutes: z.number().int().min(-840).max(840).default(0),
  /** KPIs added to or overriding the built-in catalogue. Unknown KPIs still get a two-sided baseline. */
  kpis: z.array(kpiDefinitionSchema).max(10_000).default([]),
  baseline: baselineConfigSchema.prefault({}),
  firing: kpiFiringConfigSchema.prefault({}),
  demand: demandConfigSchema.prefault({}),
  radioFailures: radioFailuresConfigSchema.prefault({}),
  /**
   * Static thresholds per KPI name, added to the built-in ones (a KPI given here replaces its
   * built-in rule; `null` drops it): naming one new threshold must not silently remove the at-once
   * outage rule on availability.
   */
  thresholds: z
    .record(kpiNameSchema, staticThresholdSchema.nullable())
    .default({})
    .transform(withBuiltIns(DEFAULT_THRESHOLDS, staticThresholdSchema)),
  /** Shift rules per KPI name (see `shiftRuleSchema`), joining the built-in ones like `thresholds`. */
  shifts: z
    .record(kpiNameSchema, shiftRuleSchema.nullable())
    .default({})
    .transform(withBuiltIns(DEFAULT_SHIFTS, shiftRuleSchema)),
  missingData: missingDataConfigSchema.prefault({}),
  alarms: alarmDetectorConfigSchema.prefault({}),
  dialTests: dialTestConfigSchema.prefault({}),
  complaints: complaintSpikeConfigSchema.prefault({}),
  stateMachine: stateMachineConfigSchema.prefault({}),
  history: historyConfigSchema.prefault({}),
});
export type DetectorsConfig = z.infer<typeof detectorsConfigSchema>;
/** The configuration as written (every field optional). */
export type DetectorsConfigInput = z.input<typeof detectorsConfigSchema>;

/** Parses a detectors configuration as written (`{}` gives every default). Parse once: see `Detectors`. */
export function detectorsConfig(input: DetectorsConfigInput = {}): DetectorsConfig {
  return detectorsConfigSchema.parse(input);
}
