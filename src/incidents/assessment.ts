/**
 * What an incident's evidence says: how sure we are (confidence from independent feeds), what kind of
 * problem it is (root-cause category with the reasoning), and how severe. Pure functions over the
 * incident's anomalies and linked complaints.
 */
import {
  RADIO_FAILURES_SIGNAL, SEVERITY_RANK, isCoreRoot, type AnomalySource, type IncidentAnomaly, type ObjectType, type RootCauseCategory, type Severity,
} from '../model/index.js';
import type { ConfidenceConfig } from './config.js';


export function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

export function severityAtLeast(s: Severity, min: Severity): boolean {
  return SEVERITY_RANK[s] >= SEVERITY_RANK[min];
}

/** Signals that by themselves mean "the cell is not serving": availability, unavailability alarms, silence. */
const OUTAGE_SIGNALS = /^(availability|no_data)$|unavailable|out_of_service|outage|_down$/i;

export function isOutageEvidence(a: Pick<IncidentAnomaly, 'source' | 'signal' | 'hint'>): boolean {
  return a.hint === 'outage' || a.source === 'missing_data' || OUTAGE_SIGNALS.test(a.signal);
}

export interface ConfidenceResult {
  confidence: number;
  confirmed: boolean;
  /** Feeds with evidence, strongest first. */
  feeds: AnomalySource[];
}

/** Per feed: the strength of its strongest anomaly and on how many objects (up to 5) it sees the problem. */
export type FeedEvidence = Map<AnomalySource, { strength: number; objects: number }>;

/** Severities by rank, the inverse of SEVERITY_RANK. */
const BY_RANK: readonly Severity[] = ['warning', 'minor', 'major', 'critical'];

const graver = (sev: Severity, steps: number): Severity => BY_RANK[Math.min(SEVERITY_RANK.critical, SEVERITY_RANK[sev] + steps)]!;

/**
 * The severity an anomaly's evidence is weighed at: an alarm on a core element or a transport node
 * counts one step graver than it is raised — it speaks for every cell behind the object (a major
 * alarm on a region's MME is worth a ticket on its own; a major alarm on one cell is not).
 */
function weighedSeverity(a: IncidentAnomaly): Severity {
  const sev = a.severity ?? 'major';
  if (a.source !== 'alarm' || (a.objectType !== 'core' && a.objectType !== 'transport')) return sev;
  return graver(sev, 1);
}

/** What an incident's evidence is worth per feed, and when that may change with time alone. */
export interface WeighedEvidence {
  feeds: FeedEvidence;
  /** Event time at which an anomaly still going becomes sustained (Infinity: never, as it stands). */
  nextChangeAt: number;
  /** Why some evidence weighs more than it was raised at, in words (for the reasoning). */
  notes: string[];
}

const objectKey = (a: IncidentAnomaly): string => a.cellId ?? `${a.objectType}:${a.objectId}`;

/** The detectors' reading for "worse, cause not told" (the default of most KPIs and probes). */
const GENERIC_READING = 'degradation';

/**
 * Whether two anomalies of one feed on one object back each other up. Probe services (voice call,
 * ping, HTTP) are separate end-to-end tests: two failing together are two witnesses. A cell's counters
 * share its traffic, so an oddity of the traffic moves several of them together (RRC and E-RAB setup
 * success drift as one); two of them corroborate only when together they name a specific problem —
 * PRB utilisation up (congestion) with user throughput down beside it (the throughput drop reads as
 * generic degradation until a PRB sample shows the cell full) — not when both merely say "worse",
 * nor the radio-failure count with anything of its cell's (it is those counters again).
 */
function backsUp(a: IncidentAnomaly, b: IncidentAnomaly): boolean {
  if (a.signal === b.signal) return false;
  if (a.source === 'dialtest') return true;
  // The radio-failure count sums the cell's own drop, handover and setup counters: not a second witness.
  if (a.signal === RADIO_FAILURES_SIGNAL || b.signal === RADIO_FAILURES_SIGNAL) return false;
  const ha = a.hint ?? 'unknown';
  const hb = b.hint ?? 'unknown';
  if (ha === 'unknown' || hb === 'unknown' || (ha === GENERIC_READING && hb === GENERIC_READING)) return false;
  return ha === hb || ha === GENERIC_READING || hb === GENERIC_READING;
}

/**
 * Anomalies another measurement of the same object backs up (see `backsUp`) while both deviate:
 * two instruments agreeing on one cell is no longer one number that might be noise.
 */
function corroborated(anomalies: readonly IncidentAnomaly[], now: number): Set<IncidentAnomaly> {
  const groups = new Map<string, IncidentAnomaly[]>();
  for (const a of anomalies) {
    if (a.source === 'complaints') continue;
    const key = `${a.source}|${objectKey(a)}`;
    const g = groups.get(key);
    if (g) g.push(a);
    else groups.set(key, [a]);
  }
  const out = new Set<IncidentAnomaly>();
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    for (const a of g) {
      for (const b of g) {
        if (backsUp(a, b) && a.startedAt <= (b.resolvedAt ?? now) && b.startedAt <= (a.resolvedAt ?? now)) {
          out.add(a);
          break;
        }
      }
    }
  }
  return out;
}

/**
 * Summarises the evidence per feed at event time `now`; recomputed when the evidence changes or
 * `nextChangeAt` passes. Besides its raised severity, an anomaly counts one step graver when it is
 * sustained (deviating for `sustainedMinutes` or more: a glitch does not last, a fault does), one
 * more when no noise explains it (`certainScore`), and one more when corroborated (see above). A lone
 * short blip still weighs what it was raised at.
 */
export function weighEvidence(anomalies: readonly IncidentAnomaly[], cfg: ConfidenceConfig, now: number): WeighedEvidence {
  const sustainMs = cfg.sustainedMinutes * 60_000;
  const backed = cfg.corroboration ? corroborated(anomalies, now) : new Set<IncidentAnomaly>();
  const perFeed = new Map<AnomalySource, { strength: number; objects: Set<string> }>();
  let nextChangeAt = Infinity;
  let sustainedN = 0;
  let certainN = 0;
  for (const a of anomalies) {
    let f = perFeed.get(a.source);
    if (!f) perFeed.set(a.source, (f = { strength: 0, objects: new Set() }));
    let steps = 0;
    if (a.source !== 'complaints' && sustainMs > 0) {
      const due = a.startedAt + sustainMs;
      if ((a.resolvedAt ?? now) >= due) {
        steps++;
        sustainedN++;
      } else if (a.resolvedAt === undefined) nextChangeAt = Math.min(nextChangeAt, due);
    }
    if (cfg.certainScore > 0 && (a.source === 'pm' || a.source === 'signaling') && a.score >= cfg.certainScore) {
      steps++;
      certainN++;
    }
    if (backed.has(a)) steps++;
    f.strength = Math.max(f.strength, cfg.severityStrength[graver(weighedSeverity(a), steps)]);
    if (f.objects.size < 5) f.objects.add(objectKey(a));
  }
  const feeds: FeedEvidence = new Map();
  for (const [source, f] of perFeed) feeds.set(source, { strength: f.strength, objects: f.objects.size });
  const notes: string[] = [];
  if (sustainedN > 0) notes.push(`${sustainedN} anomal${sustainedN === 1 ? 'y' : 'ies'} sustained ${cfg.sustainedMinutes} min or more`);
  if (certainN > 0) notes.push(`${certainN} beyond any noise (score ${cfg.certainScore} or more)`);
  if (backed.size > 0) notes.push(`corroborated on one object: ${[...new Set([...backed].map((a) => a.signal))].slice(0, 3).join(' + ')}`);
  return { feeds, nextChangeAt, notes };
}

/**
 * Confidence 0..1 as a noisy-OR over feeds: each feed's evidence is worth its weight × the strength
 * of its strongest anomaly, a little more when it sees the problem on several cells; complaints add a
 * step each. Agreement between independent feeds is what pushes an incident past `confirmAt`; a weak
 * signal from one feed never does.
 */
export function assessConfidence(feeds: FeedEvidence, linkedComplaints: number, cfg: ConfidenceConfig): ConfidenceResult {
  let keep = 1;
  const scored: [AnomalySource, number][] = [];
  const score = (source: AnomalySource, strength: number, objects: number) => {
    const c = Math.min(0.95, cfg.feedWeights[source] * strength + cfg.breadthBonus * (Math.max(0, objects - 1) / 4));
    keep *= 1 - c;
    scored.push([source, c]);
  };
  for (const [source, f] of feeds) {
    if (source === 'complaints') continue;
    score(source, f.strength, f.objects);
  }
  const spike = feeds.get('complaints');
  if (spike || linkedComplaints > 0) {
    const strength = Math.min(1, (spike?.strength ?? 0) + linkedComplaints * (cfg.complaintStep / cfg.feedWeights.complaints));
    score('complaints', strength, spike?.objects ?? 1);
  }
  const confidence = Math.round((1 - keep) * 1000) / 1000;
  scored.sort((a, b) => b[1] - a[1]);
  return { confidence, confirmed: confidence >= cfg.confirmAt, feeds: scored.map(([s]) => s) };
}

export interface CategoryResult {
  category: RootCauseCategory;
  reason: string;
}

/**
 * The root-cause category from the root object and the evidence. A transport or core root decides it;
 * otherwise outage evidence wins (a dead cell explains every other symptom), then the hint with the
 * most weight among the network feeds; complaints alone say `coverage` or `unknown`.
 */
export function assessCategory(rootType: ObjectType, anomalies: readonly IncidentAnomaly[]): CategoryResult {
  if (rootType === 'transport') return { category: 'transport', reason: 'cells behind one transport node fail together' };
  if (isCoreRoot(rootType)) return { category: 'core', reason: 'the same procedures fail across the region: core network' };
  const network = anomalies.filter((a) => a.source !== 'complaints');
  if (network.length === 0) {
    const coverage = anomalies.some((a) => a.hint === 'coverage');
    return coverage
      ? { category: 'coverage', reason: 'complaints cluster with no network signal: likely a coverage problem' }
      : { category: 'unknown', reason: 'complaints cluster with no network signal yet' };
  }
  const outage = network.filter(isOutageEvidence);
  if (outage.length > 0) {
    const signals = [...new Set(outage.map((a) => `${a.signal} (${a.source})`))].slice(0, 3);
    return { category: 'outage', reason: `outage evidence: ${signals.join(', ')}` };
  }
  // A complaint cluster is not re-explained by a weak sign the network gives beside it (a warning on
  // one procedure of one cell): only firm evidence (major or critical) says what it is.
  const clustered = anomalies.some((a) => a.source === 'complaints' && a.hint === 'coverage');
  if (clustered && network.every((a) => SEVERITY_RANK[a.severity ?? 'major'] < SEVERITY_RANK.major)) {
    const signals = [...new Set(network.map((a) => a.signal))].slice(0, 3);
    return { category: 'coverage', reason: `complaints cluster; the network shows only weak signs (${signals.join(', ')}): likely a coverage problem` };
  }
  const weight = new Map<RootCauseCategory, number>();
  for (const a of network) {
    const hint = a.hint ?? 'unknown';
    weight.set(hint, (weight.get(hint) ?? 0) + 1 + SEVERITY_RANK[a.severity ?? 'major'] / 3);
  }
  let best: RootCauseCategory = 'unknown';
  let bestW = -1;
  for (const [hint, w] of weight) {
    // `unknown` only wins when nothing else has been said.
    const adjusted = hint === 'unknown' ? w / 2 : w;
    if (adjusted > bestW) (best = hint, bestW = adjusted);
  }
  const signals = [...new Set(network.filter((a) => (a.hint ?? 'unknown') === best).map((a) => a.signal))].slice(0, 3);
  return { category: best, reason: `${best} evidence: ${signals.join(', ')}` };
}

/** Severity: the worst anomaly's, raised by how much of the network the root takes down. */
export function assessSeverity(rootType: ObjectType, category: RootCauseCategory, anomalies: readonly IncidentAnomaly[]): Severity {
  let s: Severity = 'warning';
  for (const a of anomalies) s = maxSeverity(s, a.severity ?? 'minor');
  if (rootType === 'transport' || isCoreRoot(rootType)) s = maxSeverity(s, category === 'unknown' ? 'major' : 'critical');
  if (rootType === 'site' && category === 'outage') s = maxSeverity(s, 'major');
  return s;
}
