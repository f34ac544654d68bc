/**
 * PM records: one per cell per 15-minute period, with every built-in KPI, the attempts behind each
 * rate and the 3GPP counters the KPIs come from (FORMATS.md formulas, so a KPI recomputed from the
 * counters matches the one sent). Counts are drawn — Poisson traffic, binomial failures — so a quiet
 * night-time cell's success rate is as noisy as a real one, and a busy cell's is steady.
 */
import type { CellEffect } from '../fault-effects.js';
import type { FeedContext } from '../cell-load.js';
import { Rng } from '../prng.js';

export const PM_PERIOD_S = 900;

/** PRB utilisation (%) of a cell whose demand is `u` times what it carries at busy hour, before noise. */
export function prbOfDemand(u: number): number {
  return 100 * (1 - Math.exp(-1.6 * u));
}

/** A PM record as POST /api/v1/ingest/pm takes it. */
export interface PmRecordOut {
  cellId: string;
  time: string;
  period: number;
  /** null: no value this period (a rate with no attempts). */
  kpis: Record<string, number | null>;
  attempts: Record<string, number>;
  counters?: Record<string, number>;
}

function r2(x: number): number {
  return Math.round(x * 100) / 100;
}

function pct(ok: number, total: number): number {
  return Math.round((10000 * ok) / total) / 100;
}

/** Chance per cell and period of a passing interferer lifting the uplink noise floor for one period. */
const UL_BLIP_CHANCE = 0.002;

export class PmFeed {
  private readonly rng = new Rng(0);
  /** The uplink noise floor's own stream: the other counters draw what they drew before it existed. */
  private readonly ulRng = new Rng(0);

  constructor(
    private readonly ctx: FeedContext,
    /** Send the counters behind the KPIs too (doubles the record size). */
    private readonly withCounters = true,
  ) {}

  /**
   * Records for the period ending at `periodEnd`, for cells [from, to), pushed onto `out`. Cells
   * that were dark for the whole period (site without power, transport down) send nothing.
   */
  generate(periodEnd: number, time: string, effects: Map<number, CellEffect>, from: number, to: number, out: PmRecordOut[]): void {
    const { rng } = this;
    const { prof, net, load, seed } = this.ctx;
    rng.reseed(seed, 0x9e, Math.floor(periodEnd / 60_000), from);
    this.ulRng.reseed(seed, 0x1f, Math.floor(periodEnd / 60_000), from);
    const { traffic, slot, dayF } = load.period(periodEnd, PM_PERIOD_S);
    const cells = net.cells;
    for (let ci = from; ci < to; ci++) {
      const e = effects.size > 0 ? effects.get(ci) : undefined;
      if (e !== undefined && e.dark >= 1) continue;
      const down = e ? e.down : 0;
      const alive = 1 - down;
      const L = traffic.loadAtSlot(prof.area[ci], slot) * dayF[ci] * (1 + 0.04 * rng.normal()) * (e ? e.loadMult : 1);
      const u = prof.loadRatio[ci] * L;
      const rrcAtt = rng.poisson(prof.peakRrc[ci] * L * alive);
      let prb = alive > 0 ? prbOfDemand(u) + (e ? e.prbAdd : 0) + rng.normal() * (1 + 8 / Math.sqrt(1 + rrcAtt / 4)) : 0;
      prb = prb < 0 ? 0 : prb > 100 ? 100 : prb;
      prb *= alive;
      const admission = prb > 90 ? ((prb - 90) / 10) * 0.08 : 0;
      const rrcSucc = rrcAtt - rng.binomial(rrcAtt, prof.baseRrcFail[ci] + admission + (e ? e.rrcFailAdd : 0));
      const erabAtt = rng.split(rrcSucc, 0.92);
      const erabSucc = erabAtt - rng.binomial(erabAtt, prof.baseErabFail[ci] + admission / 2 + (e ? e.erabFailAdd : 0));
      const erabAdd = rng.split(erabSucc, 0.3);
      const erabTot = erabSucc + erabAdd;
      const dropMult = e ? e.dropMult : 1;
      const drops = rng.binomial(erabTot, Math.min(0.5, prof.baseDrop[ci] * dropMult));
      const hoAtt = rng.poisson(erabSucc * prof.mobility[ci]);
      const hoSucc = hoAtt - rng.binomial(hoAtt, Math.min(0.9, prof.baseHoFail[ci] + (e ? e.hoFailAdd : 0)));
      const unavailable = Math.round(down * PM_PERIOD_S);
      // A few users at night: one download decides the average; hundreds at the busy hour: it averages out.
      const tpNoise = Math.exp((0.04 + 0.8 / Math.sqrt(1 + erabSucc / 10)) * rng.normal());
      const tp = prof.peakTp[ci] * (1 - 0.85 * (prb / 100) * (prb / 100)) * (e ? e.tpMult : 1) * tpNoise;
      const nr = prof.isNr[ci] === 1;
      const ul = alive > 0 ? this.ulNoise(ci, traffic.loadAtSlot(prof.area[ci], slot), e) : null;

      // Fixed-shape literals (a rate without attempts is null: "no value" in the API) keep V8 on its
      // fast path; this loop runs 28.8 million times for a 300,000-cell day.
      const prbKpi = Math.round(prb * 10) / 10;
      let kpis: Record<string, number | null>;
      let attempts: Record<string, number>;
      let counters: Record<string, number> | undefined;
      if (nr) {
        const qfAtt = rng.split(rrcSucc, 0.9);
        const qfSucc = qfAtt - rng.binomial(qfAtt, prof.baseQfFail[ci] + (e ? e.erabFailAdd : 0));
        const thp = erabSucc > 0 ? Math.round(tp * 1000) : null;
        kpis = {
          rrc_setup_success_rate: rrcAtt > 0 ? pct(rrcSucc, rrcAtt) : null,
          erab_setup_success_rate: erabAtt > 0 ? pct(erabSucc, erabAtt) : null,
          erab_drop_rate: erabTot > 0 ? pct(drops, erabTot) : null,
          handover_success_rate: hoAtt > 0 ? pct(hoSucc, hoAtt) : null,
          availability: pct(PM_PERIOD_S - unavailable, PM_PERIOD_S),
          prb_dl_utilization: prbKpi,
          dl_user_throughput_mbps: thp === null ? null : thp / 1000,
          nr_qos_flow_setup_success_rate: qfAtt > 0 ? pct(qfSucc, qfAtt) : null,
          ul_interference_dbm: ul,
        };
        attempts = {
          rrc_setup_success_rate: rrcAtt, erab_setup_success_rate: erabAtt, erab_drop_rate: erabTot,
          handover_success_rate: hoAtt, nr_qos_flow_setup_success_rate: qfAtt,
        };
        if (this.withCounters) {
          counters = {
            'RRC.ConnEstabAtt.sum': rrcAtt, 'RRC.ConnEstabSucc.sum': rrcSucc,
            'ERAB.EstabInitAttNbr': erabAtt, 'ERAB.EstabInitSuccNbr': erabSucc, 'ERAB.EstabAddSuccNbr': erabAdd,
            'ERAB.RelActNbr': drops, 'RRU.CellUnavailableTime': unavailable,
            'MM.HoExeIntraReq': hoAtt, 'MM.HoExeIntraSucc': hoSucc,
            'RRU.PrbUsedDl': Math.round(prbKpi * 1000), 'RRU.PrbAvailDl': 100_000,
            'DRB.UEThpDl': thp ?? 0, 'QF.EstabAttNbr': qfAtt, 'QF.EstabSuccNbr': qfSucc,
          };
          if (ul !== null) counters['N.UL.NI.Avg'] = ul;
        }
      } else {
        const ipTime = erabSucc * 350;
        const ipVol = Math.round(tp * ipTime);
        const vAtt = rng.split(erabSucc, 0.08);
        const vSucc = vAtt - rng.split(vAtt, prof.baseErabFail[ci]);
        const vAdd = rng.split(vSucc, 0.1);
        const vTot = vSucc + vAdd;
        const vDrops = rng.binomial(vTot, Math.min(0.5, prof.baseVolteDrop[ci] * (0.5 + 0.5 * dropMult) + (e ? e.volteDropAdd : 0)));
        kpis = {
          rrc_setup_success_rate: rrcAtt > 0 ? pct(rrcSucc, rrcAtt) : null,
          erab_setup_success_rate: erabAtt > 0 ? pct(erabSucc, erabAtt) : null,
          erab_drop_rate: erabTot > 0 ? pct(drops, erabTot) : null,
          handover_success_rate: hoAtt > 0 ? pct(hoSucc, hoAtt) : null,
          availability: pct(PM_PERIOD_S - unavailable, PM_PERIOD_S),
          prb_dl_utilization: prbKpi,
          dl_user_throughput_mbps: ipTime > 0 ? r2(ipVol / ipTime) : null,
          volte_call_drop_rate: vTot > 0 ? pct(vDrops, vTot) : null,
          ul_interference_dbm: ul,
        };
        attempts = {
          rrc_setup_success_rate: rrcAtt, erab_setup_success_rate: erabAtt, erab_drop_rate: erabTot,
          handover_success_rate: hoAtt, volte_call_drop_rate: vTot,
        };
        if (this.withCounters) {
          counters = {
            'RRC.ConnEstabAtt.sum': rrcAtt, 'RRC.ConnEstabSucc.sum': rrcSucc,
            'ERAB.EstabInitAttNbr': erabAtt, 'ERAB.EstabInitSuccNbr': erabSucc, 'ERAB.EstabAddSuccNbr': erabAdd,
            'ERAB.RelActNbr': drops, 'RRU.CellUnavailableTime': unavailable,
            'HO.IntraFreqOutAtt': hoAtt, 'HO.IntraFreqOutSucc': hoSucc, 'RRU.PrbTotDl': prbKpi,
            'DRB.IPVolDl': ipVol, 'DRB.IPTimeDl': ipTime,
            'ERAB.EstabInitSuccNbr.QCI1': vSucc, 'ERAB.EstabAddSuccNbr.QCI1': vAdd, 'ERAB.RelActNbr.QCI1': vDrops,
          };
          if (ul !== null) counters['L.UL.Interference.Avg'] = ul;
        }
      }
      out.push(counters === undefined
        ? { cellId: cells[ci].cellId, time, period: PM_PERIOD_S, kpis, attempts }
        : { cellId: cells[ci].cellId, time, period: PM_PERIOD_S, kpis, attempts, counters });
    }
  }

  /**
   * A cell's uplink interference and noise per PRB over the period, dBm (0.1 dB): its receiver's floor,
   * lifted by the neighbouring cells' users (their load follows the area's day, not this cell's own
   * demand) and by any external interferer; a measurement jitter of 0.3 dB, and now and then a passing
   * interferer for one period.
   */
  private ulNoise(ci: number, areaLoad: number, e: CellEffect | undefined): number {
    const { prof } = this.ctx;
    const r = this.ulRng;
    const neighbours = prof.ulNeighbour[ci] * areaLoad * Math.exp(0.1 * r.normal());
    let db = prof.ulFloor[ci] + 10 * Math.log10(1 + neighbours + (e ? e.ulIntf : 0)) + 0.3 * r.normal();
    if (r.chance(UL_BLIP_CHANCE)) db += r.uniform(1, 6);
    return Math.round(db * 10) / 10;
  }
}
