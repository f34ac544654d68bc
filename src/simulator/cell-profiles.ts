/**
 * Each cell's fixed radio character: how much traffic it carries at its busy hour, how loaded it
 * runs, its normal failure and drop probabilities, its peak throughput. Drawn once per cell from the
 * seed and kept in typed arrays, because the PM and signaling loops read them for every cell and
 * every period.
 */
import { AREA_CLASSES, type AreaClass } from '../model/index.js';
import type { SimNetwork } from './network.js';
import { Rng } from './prng.js';

/** HO attempts per established bearer, by area: highways hand over constantly, rural cells rarely. */
const MOBILITY: Record<AreaClass, number> = {
  core_business: 0.7, transport_hub: 1.1, hospital: 0.5, government: 0.5, campus: 0.6,
  residential: 0.5, industrial: 0.5, rural: 0.35, highway: 2.2, scenic: 0.6,
};
/** Rural cells are far apart: more drops and failed handovers at the edges. */
const EDGE_PENALTY: Record<AreaClass, number> = {
  core_business: 1, transport_hub: 1.1, hospital: 1, government: 1, campus: 1,
  residential: 1, industrial: 1.1, rural: 1.8, highway: 1.6, scenic: 1.4,
};

export interface CellProfiles {
  area: Uint8Array;
  isNr: Uint8Array;
  subscribers: Float32Array;
  /** RRC attempts per 15 minutes at busy-hour load. */
  peakRrc: Float32Array;
  /** Demand relative to capacity at busy hour (PRB load ≈ 100·(1 − e^(−1.6·u))). */
  loadRatio: Float32Array;
  baseRrcFail: Float32Array;
  baseErabFail: Float32Array;
  baseDrop: Float32Array;
  baseHoFail: Float32Array;
  baseVolteDrop: Float32Array;
  baseQfFail: Float32Array;
  /** Throughput a user gets in an empty cell, Mbit/s. */
  peakTp: Float32Array;
  mobility: Float32Array;
  /** Uplink thermal noise per PRB plus the receiver's noise figure, dBm (an idle cell's `ul_interference_dbm`). */
  ulFloor: Float32Array;
  /** Uplink interference from neighbouring cells' users at busy-hour load, as a multiple of `ulFloor`'s power. */
  ulNeighbour: Float32Array;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

export function buildCellProfiles(net: SimNetwork, seed: number): CellProfiles {
  const n = net.cells.length;
  const p: CellProfiles = {
    area: new Uint8Array(n), isNr: new Uint8Array(n), subscribers: new Float32Array(n), peakRrc: new Float32Array(n),
    loadRatio: new Float32Array(n), baseRrcFail: new Float32Array(n), baseErabFail: new Float32Array(n),
    baseDrop: new Float32Array(n), baseHoFail: new Float32Array(n), baseVolteDrop: new Float32Array(n),
    baseQfFail: new Float32Array(n), peakTp: new Float32Array(n), mobility: new Float32Array(n),
    ulFloor: new Float32Array(n), ulNeighbour: new Float32Array(n),
  };
  const rng = new Rng(seed, 0xce11);
  for (let i = 0; i < n; i++) {
    const c = net.cells[i];
    const area = c.areaClass;
    const edge = EDGE_PENALTY[area];
    const nr = c.technology === 'NR';
    p.area[i] = AREA_CLASSES.indexOf(area);
    p.isNr[i] = nr ? 1 : 0;
    p.subscribers[i] = c.subscribers;
    p.peakRrc[i] = c.subscribers * rng.logNormal(1.2, 0.25);
    p.loadRatio[i] = clamp(rng.logNormal(area === 'rural' || area === 'highway' ? 0.35 : 0.6, 0.3), 0.1, 1.3);
    p.baseRrcFail[i] = clamp(rng.logNormal(0.004, 0.5) * edge, 0.0005, 0.05);
    p.baseErabFail[i] = clamp(rng.logNormal(0.003, 0.5) * edge, 0.0005, 0.05);
    p.baseDrop[i] = clamp(rng.logNormal(0.004, 0.45) * edge, 0.0005, 0.05);
    p.baseHoFail[i] = clamp(rng.logNormal(0.012, 0.45) * edge, 0.001, 0.1);
    p.baseVolteDrop[i] = clamp(rng.logNormal(0.004, 0.45) * edge, 0.0005, 0.05);
    p.baseQfFail[i] = clamp(rng.logNormal(0.003, 0.5) * edge, 0.0005, 0.05);
    p.peakTp[i] = nr ? rng.logNormal(420, 0.25) : rng.logNormal(55, 0.25);
    p.mobility[i] = MOBILITY[area] * rng.logNormal(1, 0.2);
  }
  // Drawn from a stream of their own, so the traffic and failure profiles above stay as they were.
  const ul = new Rng(seed, 0x0f1d);
  for (let i = 0; i < n; i++) {
    const area = net.cells[i].areaClass;
    p.ulFloor[i] = clamp(ul.gauss(-117.5, 0.8), -120, -114.5);
    // Dense areas hear more of their neighbours' users: about +3.5 dB at a city cell's busy hour, +1 dB in the country.
    p.ulNeighbour[i] = clamp(ul.logNormal(area === 'rural' || area === 'highway' || area === 'scenic' ? 0.3 : 1.3, 0.4), 0.05, 6);
  }
  return p;
}
