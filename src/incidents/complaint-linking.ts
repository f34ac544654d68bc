/**
 * Complaint linking as pure functions: where a complaint is (candidate cells with how well each fits),
 * and how well it fits one incident by place × category × time. The incident stage gathers the
 * candidate incidents and links the complaint to the best one scoring at least `minScore`.
 */
import { HOUR, MINUTE, isCoreRoot } from '../model/index.js';
import type { Complaint, ObjectType, RootCauseCategory } from '../model/index.js';
import type { Topology } from '../inventory/topology.js';
import type { LinkingConfig } from './config.js';

export interface PlacedCell {
  cellId: string;
  /** 0..1: how likely the complainant was served by this cell. */
  fit: number;
  /** Distance from the complaint's point (or named cell), when known. */
  km: number | null;
}

/** Where a complaint is, as precisely as its location allows. */
export interface ComplaintPlace {
  how: 'cell' | 'point' | 'district' | 'unplaced';
  /** Candidate cells, best first. Empty for a district-only complaint. */
  cells: PlacedCell[];
  district: string | null;
  region: string | null;
  /** The search radius used around a point or a named cell. */
  radiusKm: number | null;
}

/**
 * The search radius around a point: a multiple of the distance to the k-th nearest *site* (sectors of
 * one site share a mast, so cells would undercount the spacing), so it is a few hundred metres
 * downtown and several kilometres in the countryside, within the configured bounds.
 */
export function adaptiveRadiusKm(topo: Topology, lat: number, lon: number, cfg: LinkingConfig): number {
  const sites = new Set<string>();
  for (const n of topo.nearestCells(lat, lon, cfg.densityK * 6, cfg.maxRadiusKm)) {
    sites.add(topo.cell(n.cellId)?.siteId ?? n.cellId);
    if (sites.size === cfg.densityK) return Math.min(cfg.maxRadiusKm, Math.max(cfg.minRadiusKm, cfg.densityFactor * n.km));
  }
  return cfg.maxRadiusKm;
}

function around(topo: Topology, lat: number, lon: number, cfg: LinkingConfig, top: number, floor: number, skip?: string) {
  const radiusKm = adaptiveRadiusKm(topo, lat, lon, cfg);
  const cells: PlacedCell[] = [];
  for (const n of topo.nearestCells(lat, lon, cfg.candidateCells, radiusKm)) {
    if (n.cellId === skip) continue;
    cells.push({ cellId: n.cellId, fit: top - (top - floor) * Math.min(1, n.km / radiusKm), km: n.km });
  }
  return { cells, radiusKm };
}

/** Maps a complaint to candidate cells: its cell (and neighbours), the cells near its point, or its district. */
export function placeComplaint(c: Complaint, topo: Topology, cfg: LinkingConfig): ComplaintPlace {
  const loc = c.location;
  if (loc.cellId !== undefined) {
    const cell = topo.cell(loc.cellId);
    if (!cell) return { how: 'cell', cells: [{ cellId: loc.cellId, fit: 1, km: 0 }], district: null, region: null, radiusKm: null };
    // The named cell is where the customer was registered; a neighbour may have been serving them.
    const near = around(topo, cell.lat, cell.lon, cfg, 0.6, 0.2, cell.cellId);
    return {
      how: 'cell', cells: [{ cellId: cell.cellId, fit: 1, km: 0 }, ...near.cells],
      district: cell.district, region: cell.region, radiusKm: near.radiusKm,
    };
  }
  if (loc.lat !== undefined && loc.lon !== undefined) {
    const near = around(topo, loc.lat, loc.lon, cfg, 0.95, 0.5);
    const first = near.cells[0] && topo.cell(near.cells[0].cellId);
    return {
      how: 'point', cells: near.cells, district: first?.district ?? null, region: first?.region ?? null, radiusKm: near.radiusKm,
    };
  }
  if (loc.district !== undefined) {
    return { how: 'district', cells: [], district: loc.district, region: topo.regionOfDistrict(loc.district) ?? null, radiusKm: null };
  }
  return { how: 'unplaced', cells: [], district: null, region: null, radiusKm: null };
}

/**
 * The place of a complaint without its candidate cells around it: how it was placed, its first cell,
 * district and region — what the rates and the repeat history need. Cheap (no neighbour search for a
 * named cell, one nearest-cell lookup for a point), for rebuilding that memory after a restart from
 * every stored complaint; a point's district is its nearest cell's within `maxRadiusKm` (the live
 * placement uses the adaptive radius, at most that).
 */
export function coarsePlace(c: Complaint, topo: Topology, cfg: LinkingConfig): ComplaintPlace {
  const loc = c.location;
  if (loc.cellId !== undefined) {
    const cell = topo.cell(loc.cellId);
    return { how: 'cell', cells: [{ cellId: loc.cellId, fit: 1, km: 0 }], district: cell?.district ?? null, region: cell?.region ?? null, radiusKm: null };
  }
  if (loc.lat !== undefined && loc.lon !== undefined) {
    const n = topo.nearestCells(loc.lat, loc.lon, 1, cfg.maxRadiusKm)[0];
    const cell = n && topo.cell(n.cellId);
    return { how: 'point', cells: n ? [{ cellId: n.cellId, fit: 1, km: n.km }] : [], district: cell?.district ?? null, region: cell?.region ?? null, radiusKm: null };
  }
  return placeComplaint(c, topo, cfg);
}

/** An incident as the linker sees it. */
export interface LinkTarget {
  id: string;
  rootType: ObjectType;
  rootId: string;
  category: RootCauseCategory;
  region: string;
  openedAt: number;
  resolvedAt: number | null;
  covers(cellId: string): boolean;
  /** Share (0..1) of the district's cells the incident covers; 1 for an incident rooted at the district. */
  districtShare(district: string): number;
}

export interface LinkScore {
  score: number;
  reason: string;
}

const mins = (ms: number): string => (ms < HOUR ? `${Math.round(ms / MINUTE)} min` : `${(ms / HOUR).toFixed(1)} h`);

/**
 * How well the complaint's time fits the incident's span: during it; a little before it was first
 * seen; or after it resolved, fully for the first half of the category's lag (complaints arrive
 * minutes to hours after people notice) and fading over the second half.
 */
export function timeFit(t: number, target: Pick<LinkTarget, 'openedAt' | 'resolvedAt'>, category: Complaint['category'], cfg: LinkingConfig): { fit: number; phrase: string } {
  if (t < target.openedAt - cfg.leadToleranceMinutes * MINUTE) return { fit: 0, phrase: 'received before the problem began' };
  if (t < target.openedAt) return { fit: 0.7, phrase: `received ${mins(target.openedAt - t)} before the problem was first seen` };
  if (target.resolvedAt === null || t <= target.resolvedAt) {
    return { fit: 1, phrase: `received ${mins(t - target.openedAt)} after the problem began` };
  }
  const lag = cfg.lagAfterResolveHours[category] * HOUR;
  const since = t - target.resolvedAt;
  if (since > lag) return { fit: 0, phrase: 'received long after the problem was resolved' };
  const fit = since <= lag / 2 ? 0.9 : 0.9 - (0.6 * (since - lag / 2)) / (lag / 2);
  return { fit, phrase: `received ${mins(since)} after the problem was resolved` };
}

/** How far the complaint's district and region are above their usual complaint rate right now (0..1 each). */
export interface AreaExcess {
  district: number;
  region: number;
  /**
   * 0..1: the share of the district's recent placed complaints (named cell or point) that the incident
   * scored explains. Low when the district complains about something else (a core failure across the
   * region, a coverage hole nobody has found yet): then its excess is no evidence for the incident that
   * happens to be there.
   */
  explained: number;
}

export const NO_EXCESS: AreaExcess = { district: 0, region: 0, explained: 1 };

const pct = (x: number): string => `${Math.round(x * 100)}%`;

function placeFit(place: ComplaintPlace, target: LinkTarget, excess: AreaExcess, cfg: LinkingConfig): { fit: number; phrase: string } {
  // A core fault affects the whole region alike: where in it does not matter, only that it is there.
  if (isCoreRoot(target.rootType)) {
    if (place.region === null || place.region !== target.region) return { fit: 0, phrase: '' };
    const fit = Math.max(0.6, 0.9 * excess.region);
    const why = fit > 0.6 ? `, which complains ${pct(excess.region)} above its usual rate` : '';
    return { fit, phrase: `in ${place.region}, where the core network fails${why}` };
  }
  let best = { fit: 0, phrase: '' };
  for (const pc of place.cells) {
    if (pc.fit <= best.fit || !target.covers(pc.cellId)) continue;
    const phrase = pc.km === 0
      ? `at ${pc.cellId}, a cell of the incident`
      : `${pc.km!.toFixed(1)} km from ${pc.cellId}, a cell of the incident (radius ${place.radiusKm!.toFixed(1)} km)`;
    best = { fit: pc.fit, phrase };
  }
  if (place.district === null) return best;
  if (target.rootType === 'district' && target.rootId === place.district) {
    // A complaint cluster known only by its district: the district complaining above usual is the link
    // (a little weaker than network evidence covering the same place, which explains more).
    const fit = place.how === 'district' ? Math.max(0.4, 0.8 * excess.district) : 0.8 * excess.district;
    if (fit > best.fit) best = { fit, phrase: `in ${place.district}, which complains ${pct(excess.district)} above its usual rate` };
  } else if (place.how === 'district') {
    const share = target.districtShare(place.district);
    if (share > 0) {
      const byShare = 0.25 + 0.5 * Math.min(1, share / cfg.districtShareFull);
      const byExcess = 0.9 * excess.district * excess.explained;
      const fit = Math.max(byShare, byExcess);
      const why = byShare >= byExcess
        ? `the incident covers ${pct(share)} of ${place.district}`
        : `${place.district} complains ${pct(excess.district)} above its usual rate`;
      if (fit > best.fit) best = { fit, phrase: `in ${place.district}; ${why}` };
    }
  }
  return best;
}

/**
 * A category fit below this "hardly fits": the complaint describes another kind of problem (no signal
 * at all against a core fault — a core failure leaves the radio up — or against congestion), and the
 * area's excess does not lift it.
 */
const HARDLY_FITS = 0.45;

/**
 * Scores one complaint against one incident: place × category × time, with the reason in words.
 * Where the area complains far above its usual rate, almost any complaint there is about the problem,
 * so the category matters less (its fit is lifted toward 1 by the excess share) — unless the category
 * hardly fits at all: a region complaining about a core failure makes a "no signal" complaint there no
 * likelier to be about it (it is likelier a coverage problem of its own).
 */
export function scoreLink(c: Complaint, place: ComplaintPlace, target: LinkTarget, excess: AreaExcess, cfg: LinkingConfig): LinkScore {
  const p = placeFit(place, target, excess, cfg);
  if (p.fit === 0) return { score: 0, reason: 'not near the incident' };
  const raw = cfg.categoryFit[c.category][target.category];
  const ex = isCoreRoot(target.rootType) ? excess.region : excess.district * (target.rootType === 'district' ? 1 : excess.explained);
  const cat = raw < HARDLY_FITS ? raw : raw + (1 - raw) * 0.8 * ex;
  const time = timeFit(c.receivedAt, target, c.category, cfg);
  const score = Math.round(p.fit * cat * time.fit * 1000) / 1000;
  const catPhrase = `${c.category} ${raw >= 0.75 ? 'fits' : raw >= HARDLY_FITS ? 'may fit' : 'hardly fits'} ${target.category === 'unknown' ? 'an unexplained problem' : `a ${target.category} problem`}`;
  return { score, reason: `${p.phrase}; ${catPhrase}; ${time.phrase}` };
}
