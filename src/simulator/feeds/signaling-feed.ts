/**
 * Signaling aggregates: one record per cell, 5-minute period and procedure, as an xDR probe system
 * exports them. Attempts follow the cell's traffic; failures are binomial draws from the true failure
 * probability; affected subscribers are the distinct subscribers among the failures (some fail twice).
 */
import type { SignalingProcedure } from '../../model/index.js';
import type { CellEffect } from '../fault-effects.js';
import type { FeedContext } from '../cell-load.js';
import { Rng } from '../prng.js';

export const SIGNALING_PERIOD_S = 300;

interface ProcedureModel {
  /** Attempts per subscriber per hour at busy-hour load. */
  rate: number;
  baseFail: number;
  causes: readonly string[];
  /** Handled by the core (MME/AMF/SMF): fails when the region's core does. */
  core: boolean;
  /** Radio-sensitive: interference raises failures. */
  radio: boolean;
}

export const PROCEDURE_MODELS: Record<SignalingProcedure, ProcedureModel> = {
  attach: { rate: 0.12, baseFail: 0.004, causes: ['EMM#15', 'EMM#19', 'EMM#17'], core: true, radio: false },
  tau: { rate: 0.5, baseFail: 0.002, causes: ['EMM#9', 'EMM#10'], core: true, radio: false },
  service_request: { rate: 1.5, baseFail: 0.003, causes: ['EMM#9', 'EMM#22', 'EMM#17'], core: true, radio: false },
  paging: { rate: 0.4, baseFail: 0.01, causes: ['paging_timeout'], core: false, radio: true },
  pdn_connect: { rate: 0.1, baseFail: 0.004, causes: ['ESM#26', 'ESM#27'], core: true, radio: false },
  handover: { rate: 0.6, baseFail: 0.01, causes: ['x2_ho_failure', 'target_cell_unavailable'], core: false, radio: true },
  volte_call_setup: { rate: 0.08, baseFail: 0.008, causes: ['SIP 408', 'SIP 503', 'SIP 480'], core: true, radio: false },
  volte_call_drop: { rate: 0.08, baseFail: 0.005, causes: ['rtp_timeout', 'radio_link_failure'], core: false, radio: true },
  registration: { rate: 0.1, baseFail: 0.004, causes: ['5GMM#15', '5GMM#22', '5GMM#111'], core: true, radio: false },
  pdu_session: { rate: 0.3, baseFail: 0.004, causes: ['5GSM#26', '5GSM#27'], core: true, radio: false },
};

/** The cause a failing core reports. */
const CORE_CAUSE: Record<SignalingProcedure, string> = {
  attach: 'EMM#17', tau: 'EMM#17', service_request: 'EMM#17', paging: 'paging_timeout', pdn_connect: 'ESM#38',
  handover: 'x2_ho_failure', volte_call_setup: 'SIP 503', volte_call_drop: 'rtp_timeout',
  registration: '5GMM#111', pdu_session: '5GSM#38',
};

/** Default procedures per technology: three each keeps a 300,000-cell province's signaling feed tractable. */
export const DEFAULT_PROCEDURES: { LTE: readonly SignalingProcedure[]; NR: readonly SignalingProcedure[] } = {
  LTE: ['attach', 'service_request', 'volte_call_drop'],
  NR: ['registration', 'pdu_session', 'service_request'],
};

export interface SignalingRecordOut {
  cellId: string;
  time: string;
  period: number;
  procedure: SignalingProcedure;
  attempts: number;
  failures: number;
  affectedSubscribers: number;
  topCause: string | null;
}

export class SignalingFeed {
  private readonly rng = new Rng(0);

  constructor(
    private readonly ctx: FeedContext,
    private readonly procedures = DEFAULT_PROCEDURES,
  ) {}

  /** Records for the 5-minute period ending at `periodEnd`, cells [from, to), pushed onto `out`. */
  generate(periodEnd: number, time: string, effects: Map<number, CellEffect>, from: number, to: number, out: SignalingRecordOut[]): void {
    const { rng } = this;
    const { prof, net, load, seed } = this.ctx;
    rng.reseed(seed, 0x5e, Math.floor(periodEnd / 60_000), from);
    const { traffic, slot, dayF } = load.period(periodEnd, SIGNALING_PERIOD_S);
    const hours = SIGNALING_PERIOD_S / 3600;
    for (let ci = from; ci < to; ci++) {
      const e = effects.size > 0 ? effects.get(ci) : undefined;
      const alive = e ? 1 - e.down : 1;
      if (alive <= 0) continue;
      const L = traffic.loadAtSlot(prof.area[ci], slot) * dayF[ci] * (e ? e.loadMult : 1) * alive;
      const subs = prof.subscribers[ci];
      const cellId = net.cells[ci].cellId;
      const procs = prof.isNr[ci] === 1 ? this.procedures.NR : this.procedures.LTE;
      for (const procedure of procs) {
        const m = PROCEDURE_MODELS[procedure];
        const attempts = rng.poisson(subs * m.rate * L * hours);
        let p = m.baseFail;
        let coreHit = false;
        if (e) {
          if (m.core && e.coreFailAdd > 0) {
            p += e.coreFailAdd;
            coreHit = true;
          }
          if (m.radio) p = p * e.dropMult + e.volteDropAdd + e.hoFailAdd;
        }
        const failures = rng.binomial(attempts, Math.min(0.95, p));
        let affected = 0;
        let topCause: string | null = null;
        if (failures > 0) {
          affected = Math.max(1, failures - rng.binomial(failures, 0.25));
          topCause = coreHit && rng.chance(0.85) ? CORE_CAUSE[procedure] : m.causes[rng.int(m.causes.length)];
        }
        out.push({ cellId, time, period: SIGNALING_PERIOD_S, procedure, attempts, failures, affectedSubscribers: affected, topCause });
      }
    }
  }
}
