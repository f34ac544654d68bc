import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/detectors/checkpoint-codec.js';
import { detectorsConfig } from '../../src/detectors/config.js';
import { Detectors } from '../../src/detectors/detectors.js';
import { RadioFailureDetector } from '../../src/detectors/radio-failures.js';
import { RADIO_FAILURES_SIGNAL as RADIO_SIGNAL } from '../../src/model/index.js';
import { KpiDetector } from '../../src/detectors/kpi-detector.js';
import { DAY, HOUR, PM_PERIOD_MS, T0, feed, firings, network, pmEvent, rng, type Fault } from './network.js';

const inv = network(2, 4);
const CELLS = [...inv.allCells()].map((c) => c.cellId);
const CELL = 'C-0-1-2';
const LEARN_DAYS = 4;
const FAULT_AT = T0 + LEARN_DAYS * DAY + 11 * HOUR;
/** A quiet cell: a fifth of the others' traffic (≈ 0.6 drops and 1 failed handover expected a period). */
const quiet = (c: string) => (c === CELL ? 0.2 : 1);
/** Interference as the simulator's `major` one: bearer drops ×12, handover failures +7 points. */
const interference: Fault['apply'] = (k) => { k.dropRate *= 12; k.hoFail += 0.07; };

const radioFirings = (ts: ReturnType<typeof feed>, cell = CELL) =>
  firings(ts).filter((t) => t.anomaly.signal === RADIO_SIGNAL && t.anomaly.cellId === cell);

interface Case {
  name: string;
  apply?: Fault['apply'];
  busy?: (c: string) => number;
  /** Latest acceptable firing time after FAULT_AT; null: no radio finding at CELL. */
  within: number | null;
  hint?: string;
}

/** Four days of normal traffic, then the pattern at 11:00 for four hours. */
const CASES: Case[] = [
  { name: 'interference on a quiet cell: found within two periods', apply: interference, busy: quiet, within: 2 * PM_PERIOD_MS },
  { name: 'interference on a busy cell: found in the first period', apply: interference, within: PM_PERIOD_MS },
  {
    name: 'milder interference on a quieter-than-usual cell (drops ×6, handover failures ×3): found within the hour',
    apply: (k) => { k.dropRate *= 6; k.hoFail *= 3; }, busy: (c) => (c === CELL ? 0.4 : 1), within: 4 * PM_PERIOD_MS,
  },
  {
    name: 'failed RRC setups ×10 on a cell with room: found, as a degradation (not interference)',
    apply: (k) => { k.rrcFail *= 10; }, within: PM_PERIOD_MS, hint: 'degradation',
  },
  { name: 'ordinary traffic on a quiet cell stays quiet', busy: quiet, within: null },
  { name: 'fewer failures than usual (good direction) stays quiet', apply: (k) => { k.dropRate /= 4; k.hoFail /= 4; k.rrcFail /= 4; }, within: null },
  {
    name: 'a full cell turning setups away (PRB 95 %, RRC failures ×10) is not a radio fault',
    apply: (k) => { k.prb = 95; k.rrcFail *= 10; }, within: null,
  },
];

describe('radio failures per cell: series with known answers', () => {
  it.each(CASES)('$name', ({ apply, busy, within, hint = 'interference' }) => {
    const det = new Detectors(detectorsConfig(), inv);
    const faults: Fault[] = apply ? [{ cellId: CELL, from: FAULT_AT, to: FAULT_AT + 4 * HOUR, apply }] : [];
    const ts = feed(det, CELLS, T0, FAULT_AT + 6 * HOUR, rng(11), { faults, busy });
    // No cell other than the faulty one ever has a radio finding.
    expect(firings(ts).filter((t) => t.anomaly.signal === RADIO_SIGNAL && t.anomaly.cellId !== CELL)).toEqual([]);
    const at = radioFirings(ts);
    if (within === null) {
      expect(at).toEqual([]);
      return;
    }
    expect(at.length).toBe(1);
    const first = at[0]!;
    expect(first.at).toBeGreaterThan(FAULT_AT);
    expect(first.at - FAULT_AT).toBeLessThanOrEqual(within);
    // The finding starts where its window starts: at the fault, not at the confirmation.
    expect(first.anomaly.startedAt).toBeGreaterThanOrEqual(FAULT_AT - PM_PERIOD_MS);
    expect(first.anomaly.startedAt).toBeLessThanOrEqual(FAULT_AT);
    expect(first.anomaly.hint).toBe(hint);
    expect(first.anomaly.evidence.observed as number).toBeGreaterThan(first.anomaly.evidence.expected as number);
    expect(first.anomaly.evidence['erab_drop_rate.failures']).toBeTypeOf('number');
    // One finding for the whole fault, resolved after it.
    const resolved = ts.filter((t) => t.anomaly.id === first.anomaly.id && t.to === 'resolved');
    expect(resolved.length).toBe(1);
    expect(resolved[0]!.at).toBeGreaterThan(FAULT_AT + 4 * HOUR);
  });

  it('a lasting change (drops and handover failures ×3 for good) is the new normal after a day of firing, and the finding clears', () => {
    const det = new Detectors(detectorsConfig(), inv);
    const faults: Fault[] = [{ cellId: CELL, from: FAULT_AT, to: Infinity, apply: (k) => { k.dropRate *= 3; k.hoFail *= 3; } }];
    const ts = feed(det, CELLS, T0, FAULT_AT + 6 * DAY, rng(12), { faults });
    const at = radioFirings(ts);
    expect(at.length).toBeGreaterThanOrEqual(1);
    const resolved = ts.filter((t) => t.anomaly.signal === RADIO_SIGNAL && t.to === 'resolved');
    expect(resolved.length).toBeGreaterThanOrEqual(1);
    // Once learnt, it stays learnt: nothing fires in the last two days.
    expect(at.filter((t) => t.at > FAULT_AT + 4 * DAY)).toEqual([]);
  });

  it('a restart keeps the learnt probabilities: interference right after it is found as fast', () => {
    const det = new Detectors(detectorsConfig(), inv);
    feed(det, CELLS, T0, FAULT_AT, rng(13), { busy: quiet });
    const restored = new Detectors(detectorsConfig(), inv);
    restored.restore(det.checkpoint());
    const faults: Fault[] = [{ cellId: CELL, from: FAULT_AT, to: FAULT_AT + 2 * HOUR, apply: interference }];
    const ts = feed(restored, CELLS, FAULT_AT, FAULT_AT + 3 * HOUR, rng(14), { faults, busy: quiet });
    const at = radioFirings(ts);
    expect(at.length).toBe(1);
    expect(at[0]!.at - FAULT_AT).toBeLessThanOrEqual(2 * PM_PERIOD_MS);
  });

  it('a checkpoint from before the detector (no radio arrays) restores; the detector learns afresh', () => {
    const det = new Detectors(detectorsConfig(), inv);
    feed(det, CELLS, T0, T0 + 2 * DAY, rng(15));
    const { header, blobs } = decodeCheckpoint(det.checkpoint());
    blobs.splice(blobs.length - RadioFailureDetector.BLOBS);
    delete (header as { radio?: unknown }).radio;
    const restored = new Detectors(detectorsConfig(), inv);
    restored.restore(encodeCheckpoint({ header, blobs }));
    expect(restored.cellDetail(CELL).kpis.erab_drop_rate).toEqual(det.cellDetail(CELL).kpis.erab_drop_rate);
    expect(blobs.length).toBe(KpiDetector.BLOBS + 6);
  });

  it('a period sent again (a re-delivered file) is not counted twice', () => {
    const det = new Detectors(detectorsConfig(), inv);
    feed(det, CELLS, T0, FAULT_AT, rng(17), { busy: quiet });
    det.takeTransitions();
    // One bad period on the quiet cell: drops ×15 — unlikely, not enough to fire on its own (four copies of it would be).
    const bad = pmEvent(CELL, FAULT_AT + PM_PERIOD_MS, rng(18), [{ cellId: CELL, from: FAULT_AT, to: FAULT_AT + PM_PERIOD_MS, apply: (k) => { k.dropRate *= 15; } }], 0.2);
    for (let i = 0; i < 4; i++) det.observe({ ...bad });
    det.advance(FAULT_AT + PM_PERIOD_MS);
    expect(radioFirings(det.takeTransitions())).toEqual([]);
  });

  it('a KPI that is not a rate with a bad direction is a configuration error, named', () => {
    expect(() => new Detectors(detectorsConfig({ radioFailures: { kpis: ['prb_dl_utilization'] } }), inv)).toThrow(/radioFailures\.kpis: prb_dl_utilization/);
    expect(() => detectorsConfig({ radioFailures: { windows: [] } })).toThrow();
  });

  it('fireScore 0 turns it off', () => {
    const det = new Detectors(detectorsConfig({ radioFailures: { fireScore: 0 } }), inv);
    const faults: Fault[] = [{ cellId: CELL, from: FAULT_AT, to: FAULT_AT + 4 * HOUR, apply: interference }];
    expect(radioFirings(feed(det, CELLS, T0, FAULT_AT + 2 * HOUR, rng(16), { faults }))).toEqual([]);
  });
});
