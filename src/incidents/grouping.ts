/**
 * Topology-aware grouping: does the evidence point above the cell? Pure functions over the active
 * anomalies, answering for a site ("most of its cells failed together, or the site raised an alarm"),
 * a transport node ("several of the sites behind it failed together, or it raised an alarm") and a
 * region's core ("the same signaling procedure fails on many cells over many sites at once").
 */
import { MINUTE } from '../model/index.js';
import type { Anomaly, RootCauseCategory } from '../model/index.js';
import type { SiteInfo, Topology, TransportInfo } from '../inventory/topology.js';
import { severityAtLeast } from './assessment.js';
import type { GroupingConfig } from './config.js';

/** Read access to the anomalies currently active (attached to incidents, or just arrived). */
export interface ActiveAnomalies {
  atCell(cellId: string): Iterable<Anomaly>;
  /** Anomalies whose object is this site or transport node (alarms, silence of the whole object). */
  atObject(type: 'site' | 'transport', id: string): Iterable<Anomaly>;
  /** Cells with any active anomaly at a site or behind a node (an upper bound, for a cheap early exit). */
  cellsActiveUnder(type: 'site' | 'transport', id: string): number;
}

/** Why the evidence points at an object, and when the problem there started. */
export interface Evidence {
  reason: string;
  /** Start of the co-timed cluster (event time): candidates to merge must be near it. */
  ref: number;
}

/**
 * The largest number of times falling in one window of `windowMs`, and the first and last time of
 * that window. `times` need not be sorted.
 */
export function densestWindow(times: number[], windowMs: number): { count: number; first: number; last: number } {
  if (times.length === 0) return { count: 0, first: NaN, last: NaN };
  const sorted = [...times].sort((a, b) => a - b);
  let best = { count: 0, first: sorted[0]!, last: sorted[0]! };
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! > windowMs) lo++;
    if (hi - lo + 1 > best.count) best = { count: hi - lo + 1, first: sorted[lo]!, last: sorted[hi]! };
  }
  return best;
}

function escalates(a: Anomaly, hints: readonly RootCauseCategory[]): boolean {
  return a.source !== 'complaints' && hints.includes(a.hint);
}

/**
 * The hint groups that can make a site: the mixed group (a dead or degraded site shows all sorts of
 * symptoms), and each same-kind hint on its own (a site congested on most sectors is one capacity
 * problem, but congestion next to an outage is a side effect, not the same fault).
 */
function siteGroups(cfg: GroupingConfig): RootCauseCategory[][] {
  return [cfg.escalatingHints, ...cfg.sameKindHints.map((h) => [h])];
}

/** An object alarm strong enough to name the object as the root on its own. */
function objectAlarm(view: ActiveAnomalies, type: 'site' | 'transport', id: string, cfg: GroupingConfig): Anomaly | null {
  let best: Anomaly | null = null;
  for (const a of view.atObject(type, id)) {
    if (escalates(a, cfg.escalatingHints) && severityAtLeast(a.severity, 'major') && (!best || a.startedAt < best.startedAt)) best = a;
  }
  return best;
}

/** Earliest start per cell of the site of an anomaly with one of these hints, for the cells that have one. */
function cellStarts(site: SiteInfo, view: ActiveAnomalies, hints: readonly RootCauseCategory[]): number[] {
  const starts: number[] = [];
  for (const cellId of site.cellIds) {
    let first = Infinity;
    for (const a of view.atCell(cellId)) if (escalates(a, hints)) first = Math.min(first, a.startedAt);
    if (first !== Infinity) starts.push(first);
  }
  return starts;
}

/**
 * Site-level evidence: a site alarm, or most of the site's cells failing within the window (with
 * symptoms of one hint group; `groups` defaults to every group that can make a site).
 */
export function siteEvidence(site: SiteInfo, view: ActiveAnomalies, cfg: GroupingConfig, groups = siteGroups(cfg)): Evidence | null {
  const alarm = objectAlarm(view, 'site', site.siteId, cfg);
  if (alarm) return { reason: `${alarm.source} ${alarm.signal} (${alarm.severity}) on ${site.siteId}`, ref: alarm.startedAt };
  const needed = Math.max(cfg.siteMinCells, Math.ceil(cfg.siteCellFraction * site.cellIds.length));
  if (view.cellsActiveUnder('site', site.siteId) < needed) return null;
  const total = site.cellIds.length;
  for (const hints of groups) {
    const w = densestWindow(cellStarts(site, view, hints), cfg.siteWindowMinutes * MINUTE);
    if (w.count >= needed) {
      const what = hints.length === 1 ? ` (${hints[0]})` : '';
      return {
        reason: `${w.count} of ${total} cells of ${site.siteId} failed within ${Math.max(1, Math.round((w.last - w.first) / MINUTE))} min${what}`,
        ref: w.first,
      };
    }
  }
  return null;
}

/** Transport-level evidence: a transport alarm, or several of its sites failing within the window. */
export function transportEvidence(tr: TransportInfo, topo: Topology, view: ActiveAnomalies, cfg: GroupingConfig): Evidence | null {
  const alarm = objectAlarm(view, 'transport', tr.transportId, cfg);
  if (alarm) return { reason: `${alarm.source} ${alarm.signal} (${alarm.severity}) on ${tr.transportId}`, ref: alarm.startedAt };
  if (tr.siteIds.length < cfg.transportMinSites) return null;
  const sitesNeeded = Math.max(cfg.transportMinSites, Math.ceil(cfg.transportSiteFraction * tr.siteIds.length));
  if (view.cellsActiveUnder('transport', tr.transportId) < sitesNeeded * cfg.siteMinCells) return null;
  const refs: number[] = [];
  for (const siteId of tr.siteIds) {
    const site = topo.site(siteId);
    // Only the mixed group: a node's sites are down together; congestion does not travel up a link.
    const ev = site && siteEvidence(site, view, cfg, [cfg.escalatingHints]);
    if (ev) refs.push(ev.ref);
  }
  const w = densestWindow(refs, cfg.transportWindowMinutes * MINUTE);
  if (w.count >= cfg.transportMinSites && w.count / tr.siteIds.length >= cfg.transportSiteFraction) {
    return { reason: `${w.count} of ${tr.siteIds.length} sites behind ${tr.transportId} failed together`, ref: w.first };
  }
  return null;
}

/**
 * Core-level evidence for one region and signaling procedure: the procedure fails on at least
 * `coreMinCells` cells spread over `coreMinSites` sites within the window.
 */
export function coreEvidence(
  region: string,
  procedure: string,
  anomalies: Iterable<Anomaly>,
  topo: Topology,
  cfg: GroupingConfig,
): Evidence | null {
  const startByCell = new Map<string, number>();
  for (const a of anomalies) {
    if (!a.cellId) continue;
    startByCell.set(a.cellId, Math.min(startByCell.get(a.cellId) ?? Infinity, a.startedAt));
  }
  if (startByCell.size < cfg.coreMinCells) return null;
  const w = densestWindow([...startByCell.values()], cfg.coreWindowMinutes * MINUTE);
  if (w.count < cfg.coreMinCells) return null;
  const sites = new Set<string>();
  let cells = 0;
  for (const [cellId, start] of startByCell) {
    if (start < w.first || start > w.last) continue;
    cells++;
    sites.add(topo.cell(cellId)?.siteId ?? cellId);
  }
  if (sites.size < cfg.coreMinSites) return null;
  return { reason: `${procedure} failing on ${cells} cells across ${sites.size} sites of ${region} at once`, ref: w.first };
}
