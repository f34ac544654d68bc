/**
 * What an incident's evidence says: how sure we are (confidence from independent feeds), what kind of
 * problem it is (root-cause category with the reasoning), and how severe. Pure functions over the
 * incident's anomalies and linked complaints.
 */
import type {
  AnomalySource, IncidentAnomaly, ObjectType, RootCauseCategory, Severity,
} from '../model/index.js';
import type { ConfidenceConfig } from './config.js';

const SEVERITY_RANK: Record<Severity, number> = { warning: 0, minor: 1, major: 2, critical: 3 };

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

/**
 * The severity an anomaly's evidence is weighed at: an alarm on a core element or a transport node
 * counts one step graver than it is raised — it speaks for every cell behind the object (a major
 * alarm on a region's MME is worth a ticket on its own; a major alarm on one cell is not).
 */
function weighedSeverity(a: IncidentAnomaly): Severity {
  const sev = a.severity ?? 'major';
  if (a.source !== 'alarm' || (a.objectType !== 'core' && a.objectType !== 'transport')) return sev;
  return BY_RANK[Math.min(SEVERITY_RANK.critical, SEVERITY_RANK[sev] + 1)]!;
}

/** Summarises the evidence per feed; recomputed only when the evidence changes. */
export function feedEvidence(anomalies: readonly IncidentAnomaly[], cfg: ConfidenceConfig): FeedEvidence {
  const perFeed = new Map<AnomalySource, { strength: number; objects: Set<string> }>();
  for (const a of anomalies) {
    let f = perFeed.get(a.source);
    if (!f) perFeed.set(a.source, (f = { strength: 0, objects: new Set() }));
    f.strength = Math.max(f.strength, cfg.severityStrength[weighedSeverity(a)]);
    if (f.objects.size < 5) f.objects.add(a.cellId ?? `${a.objectType}:${a.objectId}`);
  }
  const out: FeedEvidence = new Map();
  for (const [source, f] of perFeed) out.set(source, { strength: f.strength, objects: f.objects.size });
  return out;
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
  if (rootType === 'core' || rootType === 'region') return { category: 'core', reason: 'the same procedures fail across the region: core network' };
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
  if (rootType === 'transport' || rootType === 'core' || rootType === 'region') s = maxSeverity(s, category === 'unknown' ? 'major' : 'critical');
  if (rootType === 'site' && category === 'outage') s = maxSeverity(s, 'major');
  return s;
}
