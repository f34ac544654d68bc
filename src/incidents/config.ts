/**
 * Configuration of the incident stage: grouping windows and thresholds along the topology, the
 * resolve/reopen hysteresis, how confidence is built from independent feeds, and how complaints are
 * linked by place, category and time. Every field has a default, so `{}` is a full configuration.
 */
import { z } from 'zod';
import { COMPLAINT_CATEGORIES, ROOT_CAUSE_CATEGORIES } from '../model/index.js';
import type { ComplaintCategory, RootCauseCategory } from '../model/index.js';

const minutes = z.number().min(0).max(60 * 24 * 60);
const fraction = z.number().min(0).max(1);
const positiveInt = z.number().int().min(1);

/** Hints that can make cells of one site (or sites of one transport node) one problem. */
const ESCALATING_HINTS: RootCauseCategory[] = ['outage', 'transport', 'degradation', 'interference', 'unknown'];

/**
 * How well a complaint category fits a root-cause category (0..1). A no_coverage complaint fits an
 * outage, not congestion; slow_data fits congestion; call_drop fits interference and degradation.
 */
export const DEFAULT_CATEGORY_FIT: Record<ComplaintCategory, Record<RootCauseCategory, number>> = {
  no_coverage: { outage: 1, transport: 1, coverage: 1, core: 0.4, degradation: 0.5, interference: 0.5, congestion: 0.15, unknown: 0.6 },
  weak_signal: { outage: 0.7, transport: 0.5, coverage: 1, core: 0.2, degradation: 0.6, interference: 0.7, congestion: 0.2, unknown: 0.6 },
  call_drop: { outage: 0.7, transport: 0.6, coverage: 0.8, core: 0.6, degradation: 1, interference: 1, congestion: 0.5, unknown: 0.6 },
  call_failure: { outage: 0.9, transport: 0.9, coverage: 0.7, core: 1, degradation: 0.8, interference: 0.7, congestion: 0.6, unknown: 0.6 },
  slow_data: { outage: 0.5, transport: 0.7, coverage: 0.5, core: 0.5, degradation: 0.8, interference: 0.6, congestion: 1, unknown: 0.6 },
  no_data: { outage: 1, transport: 1, coverage: 0.7, core: 1, degradation: 0.6, interference: 0.4, congestion: 0.5, unknown: 0.6 },
  voice_quality: { outage: 0.4, transport: 0.5, coverage: 0.6, core: 0.5, degradation: 0.9, interference: 1, congestion: 0.6, unknown: 0.6 },
  other: { outage: 0.45, transport: 0.45, coverage: 0.45, core: 0.45, degradation: 0.45, interference: 0.45, congestion: 0.45, unknown: 0.45 },
};

/**
 * Hours after an incident resolved during which a complaint of that category may still be about it.
 * People complain minutes to hours after they notice (a median near half an hour, a long tail).
 */
const DEFAULT_LAG_HOURS: Record<ComplaintCategory, number> = {
  no_coverage: 4, weak_signal: 4, call_drop: 4, call_failure: 4, slow_data: 4, no_data: 4, voice_quality: 4, other: 3,
};

const categoryFitSchema = z
  .partialRecord(z.enum(COMPLAINT_CATEGORIES), z.partialRecord(z.enum(ROOT_CAUSE_CATEGORIES), fraction))
  .default({})
  .transform((over) => {
    const out = structuredClone(DEFAULT_CATEGORY_FIT);
    for (const [cat, row] of Object.entries(over)) Object.assign(out[cat as ComplaintCategory], row);
    return out;
  });

const lagSchema = z
  .partialRecord(z.enum(COMPLAINT_CATEGORIES), z.number().min(0).max(72))
  .default({})
  .transform((over) => ({ ...DEFAULT_LAG_HOURS, ...over }));

export const groupingConfigSchema = z.strictObject({
  /** Cells of one site whose anomalies start within this many minutes of each other are one problem. */
  siteWindowMinutes: minutes.default(20),
  /** Share of a site's cells that must be anomalous for the site to be the root. */
  siteCellFraction: fraction.default(0.5),
  /** …and at least this many cells (a one-cell site stays a cell incident). */
  siteMinCells: positiveInt.default(2),
  transportWindowMinutes: minutes.default(20),
  /** Sites behind one transport node that must be down for the transport node to be the root. */
  transportMinSites: positiveInt.default(2),
  transportSiteFraction: fraction.default(0.5),
  coreWindowMinutes: minutes.default(20),
  /** The same signaling procedure failing on this many cells of a region… */
  coreMinCells: positiveInt.default(8),
  /** …spread over at least this many sites points at the core network. */
  coreMinSites: positiveInt.default(3),
  /** Detector hints that together may group cells into a site or transport incident. */
  escalatingHints: z.array(z.enum(ROOT_CAUSE_CATEGORIES)).default(ESCALATING_HINTS),
  /**
   * Hints that group cells into a site only with their own kind (most sectors of a site congested is
   * one capacity problem; congestion beside an outage is a side effect). Coverage never groups.
   */
  sameKindHints: z.array(z.enum(ROOT_CAUSE_CATEGORIES)).default(['congestion']),
  /**
   * A signaling or dial-test failure on one cell waits this long for the region-wide picture before
   * it opens a cell incident of its own, so a core failure seen cell by cell does not open a storm of
   * incidents first.
   */
  signalingHoldMinutes: minutes.default(10),
  /**
   * A lone weak KPI finding — warning level, one KPI of one cell, nothing else active there — waits
   * this long for anything to corroborate it (another finding on the cell, a complaint cluster, an
   * alarm) before it opens an incident of its own; one that ends sooner leaves none (the cell still
   * shows anomalous on the map). 0 (the default) opens at once: the wait removes most spurious
   * incidents of a fault-free week but also delays a subtle fault whose first sign is such a finding
   * (README: the figures).
   */
  weakHoldMinutes: minutes.default(0),
  /**
   * The same wait, at least this long, for a lone warning-level finding of a KPI judged without
   * attempts (throughput, PRB, latency…): its noise is learnt rather than known from counts, least
   * well at quiet hours, while rates (drop, setup success) carry their binomial evidence. 0 turns it off.
   */
  plainWeakHoldMinutes: minutes.default(120),
  /**
   * A lone warning-level setup-rate or throughput finding on a cell at congestion-level PRB (a full
   * cell at its busy hour: capacity, not a fault) opens no incident of its own however long it lasts;
   * it joins one when anything corroborates it (a PRB finding against the cell's profile, another KPI,
   * complaints, an alarm) and shows on the cell meanwhile. False opens it at once like any finding.
   */
  holdLoadExplained: z.boolean().default(true),
  /** Evidence kept per incident; beyond it the oldest resolved anomalies are dropped (counts stay). */
  maxAnomaliesPerIncident: positiveInt.default(5000),
});

export const lifecycleConfigSchema = z.strictObject({
  /** An incident resolves only after all its anomalies have stayed resolved this long. */
  resolveHoldMinutes: minutes.default(15),
  /** The same problem returning within this window reopens the incident instead of opening a new one. */
  reopenWindowMinutes: minutes.default(120),
  /**
   * The window for a congestion incident: a cell full again at the evening busy hour after a morning
   * spell is the same capacity problem until capacity is added, not a new one (nor a new ticket).
   */
  congestionReopenWindowMinutes: minutes.default(720),
});

export const confidenceConfigSchema = z.strictObject({
  /** What one strong anomaly from each feed is worth on its own (0..1). */
  feedWeights: z
    .strictObject({
      alarm: fraction.default(0.7), pm: fraction.default(0.6), dialtest: fraction.default(0.6),
      signaling: fraction.default(0.55), complaints: fraction.default(0.5), missing_data: fraction.default(0.45),
    })
    .prefault({}),
  /** Strength of an anomaly by severity. */
  severityStrength: z
    .strictObject({ critical: fraction.default(1), major: fraction.default(0.8), minor: fraction.default(0.55), warning: fraction.default(0.35) })
    .prefault({}),
  /** Extra per feed when it sees the problem on several cells (up to 5). */
  breadthBonus: fraction.default(0.15),
  /** Each linked complaint adds this much to the complaints feed (on top of a spike anomaly). */
  complaintStep: fraction.default(0.12),
  /**
   * Network evidence deviating this long (event time, from its start) counts one severity step
   * graver: a glitch does not last, a fault does (0: off). Long enough that a noise blip rarely gets
   * there, short enough to ticket a fault before most of its complaints arrive.
   */
  sustainedMinutes: minutes.default(30),
  /**
   * A PM or signaling finding whose score (−log10 of the probability that noise made it, calibrated
   * per series) is at least this counts one severity step graver at once, as a sustained one does: a
   * cell whose drops are a 1-in-10⁹³ event needs no half hour to show it is not a blip, and its
   * complaints come within it (0: off). Other feeds' scores are counts, not probabilities.
   */
  certainScore: z.number().min(0).max(1000).default(20),
  /**
   * Two signals of one feed deviating on the same object at the same time that back each other up
   * (PRB up and throughput down on a cell; a probe's voice and data tests failing) each count one
   * step graver.
   */
  corroboration: z.boolean().default(true),
  /** An incident at or above this confidence is confirmed: the ticket stage may act on it. */
  confirmAt: fraction.default(0.6),
});

export const linkingConfigSchema = z.strictObject({
  /** The search radius around a complaint's point adapts to density: factor × distance to the k-th nearest site… */
  densityK: positiveInt.max(20).default(3),
  densityFactor: z.number().min(0.1).max(20).default(1.5),
  /** …bounded by these (km). */
  minRadiusKm: z.number().min(0).max(100).default(0.3),
  maxRadiusKm: z.number().min(0.1).max(200).default(8),
  /** Cells considered around a point or a named cell. */
  candidateCells: positiveInt.max(200).default(8),
  /** A complaint may precede the detected start of a problem by this much (customers notice first). */
  leadToleranceMinutes: minutes.default(20),
  /** Per complaint category: hours after resolution during which a complaint still links. */
  lagAfterResolveHours: lagSchema,
  categoryFit: categoryFitSchema,
  /** A link needs place × category × time at least this high. */
  minScore: fraction.default(0.4),
  /**
   * A complaint that fits a live network incident at least this well, though below `minScore`, stays
   * unlinked but does not count towards its district's complaint cluster: the few complaints of an
   * outage known only by their district (or placed far from it) are too vague to link one by one, and
   * added up over a day they made a "complaints with no network signal" incident beside the outage's.
   * 0 counts every unlinked complaint.
   */
  plausibleScore: fraction.default(0.2),
  /** A district-only complaint links fully when the incident covers this share of the district's cells. */
  districtShareFull: fraction.default(0.25),
  /** Unlinked complaints kept this long, to link them when an incident opens later. */
  retroLinkMinutes: minutes.default(180),
  maxUnlinkedKept: positiveInt.default(100_000),
  /** Complaint-rate learning per district: recent and long-run half-lives, warm-up before use. */
  recentRateHalfLifeMinutes: minutes.default(30),
  baselineRateHalfLifeHours: z.number().min(1).max(24 * 60).default(24),
  rateWarmupHours: z.number().min(0).max(24 * 30).default(6),
});

export const historyConfigSchema = z.strictObject({
  /** A repeat is the same customer, or the same cell, again within this many days. */
  repeatWindowDays: z.number().min(1).max(365).default(30),
  /** Customers remembered (least recently seen forgotten first). */
  maxCustomers: positiveInt.default(500_000),
  /** Cells remembered, and events kept per cell. */
  maxCells: positiveInt.default(1_000_000),
  eventsPerCell: positiveInt.max(256).default(16),
});

export const hotlineConfigSchema = z.strictObject({
  /**
   * IANA time zone for the times in the sentence an agent reads out (e.g. Asia/Shanghai). Unset: the
   * network's local time, `detectors.timezoneOffsetMinutes` (written as "UTC+08:00").
   */
  timeZone: z.string().min(1).optional().refine((tz) => {
    if (tz === undefined) return true;
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, { message: 'unknown IANA time zone' }),
  /** Without a ticket SLA, the expected resolution given is this long after detection. */
  defaultRepairHours: z.number().min(0).max(24 * 14).default(4),
});

export const incidentsConfigSchema = z.strictObject({
  grouping: groupingConfigSchema.prefault({}),
  lifecycle: lifecycleConfigSchema.prefault({}),
  confidence: confidenceConfigSchema.prefault({}),
  linking: linkingConfigSchema.prefault({}),
  history: historyConfigSchema.prefault({}),
  hotline: hotlineConfigSchema.prefault({}),
});

export type IncidentsConfig = z.infer<typeof incidentsConfigSchema>;
export type GroupingConfig = z.infer<typeof groupingConfigSchema>;
export type ConfidenceConfig = z.infer<typeof confidenceConfigSchema>;
export type LinkingConfig = z.infer<typeof linkingConfigSchema>;
export type HistoryConfig = z.infer<typeof historyConfigSchema>;
export type HotlineConfig = z.infer<typeof hotlineConfigSchema>;
