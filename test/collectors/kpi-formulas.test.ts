import { describe, expect, it } from 'vitest';
import { FormulaSyntaxError, parseFormula } from '../../src/collectors/formula-expression.js';
import {
  DEFAULT_KPI_FORMULAS, compileKpiFormulas, computeKpis, kpiFormulasConfigSchema,
} from '../../src/collectors/kpi-formulas.js';

/** A config with only this one KPI (the built-ins removed). */
const only = (kpi: string, formula: string) => {
  const cfg: Record<string, string | null> = {};
  for (const k of Object.keys(DEFAULT_KPI_FORMULAS)) cfg[k] = null;
  cfg[kpi] = formula;
  return kpiFormulasConfigSchema.parse(cfg);
};

describe('formula language', () => {
  const cases: Array<[string, Record<string, number>, number | undefined]> = [
    ['1 + 2 * 3', {}, 7],
    ['(1 + 2) * 3', {}, 9],
    ['10 - 4 - 3', {}, 3],
    ['-2 * -3', {}, 6],
    ['1.5e2 / .5', {}, 300],
    ['100 * A.b.sum / C.d.sum', { 'A.b.sum': 3, 'C.d.sum': 4 }, 75],
    ['DRB.UEThpDl.010003e8 / 1000', { 'DRB.UEThpDl.010003e8': 25000 }, 25],
    ['`weird-name/x` + 1', { 'weird-name/x': 1 }, 2],
    ['A / B', { A: 1, B: 0 }, undefined],
    ['A / B', { A: 1 }, undefined],
    ['Missing ?? 5', {}, 5],
    ['A / B ?? C', { A: 1, B: 0, C: 9 }, 9],
    ['0 / B', { B: 2 }, 0],
    ['$period / 60', {}, 15],
    ['sum(X.*)', { 'X.QCI1': 2, 'X.QCI5': 3, 'X.sum': 5, 'X.QCI1.foo': 100 }, 5],
    ['sum(Y.*)', { 'X.QCI1': 2 }, undefined],
  ];
  it.each(cases)('%s with %j → %s', (formula, counters, expected) => {
    const { kpis } = computeKpis(counters, only('k', formula), 900);
    expect(kpis.k).toBe(expected);
  });

  const bad: Array<[string, string]> = [
    ['1 +', 'expected a number, a counter or "(" but found end of formula at character 4'],
    ['(A', 'expected ")" but found end of formula'],
    ['A B', 'unexpected "B"'],
    ['A; process.exit()', 'unexpected character ";"'],
    ['constructor.constructor(1)()', 'unexpected "("'],
    ['$now', 'unknown variable $now'],
    ['X.*', 'only allowed inside sum'],
    ['sum(X)', 'sum() takes one counter prefix'],
    ['`abc', 'unterminated'],
  ];
  it.each(bad)('rejects %s', (formula, message) => {
    expect(() => parseFormula(formula)).toThrow(FormulaSyntaxError);
    expect(() => parseFormula(formula)).toThrow(message);
  });

  it('reports the formula path and reason when config is invalid', () => {
    const r = kpiFormulasConfigSchema.safeParse({ my_kpi: '100 * (A / B' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['my_kpi']);
    expect(r.error!.issues[0].message).toContain('expected ")"');
  });
});

describe('computeKpis with the built-in formulas', () => {
  it('computes the KPIs of the sample file counters with their attempts', () => {
    // The counters of cell 1 of A20231105.1000+0800-1015+0800_ENB-HZ-0001.xml.
    const { kpis, attempts } = computeKpis({
      'RRC.ConnEstabAtt.sum': 1520, 'RRC.ConnEstabSucc.sum': 1511,
      'ERAB.EstabInitAttNbr.sum': 1498, 'ERAB.EstabInitSuccNbr.sum': 1490,
    });
    expect(kpis.rrc_setup_success_rate).toBeCloseTo(99.408, 3);
    expect(attempts.rrc_setup_success_rate).toBe(1520);
    // The formula says ERAB.EstabInitSuccNbr; the file has the .sum sub-counter.
    expect(kpis.erab_setup_success_rate).toBeCloseTo(99.466, 3);
    expect(attempts.erab_setup_success_rate).toBe(1498);
    // No ERAB.RelActNbr in the file: no drop rate, not a drop rate of zero.
    expect('erab_drop_rate' in kpis).toBe(false);
    expect(Object.keys(kpis).sort()).toEqual(['erab_setup_success_rate', 'rrc_setup_success_rate']);
  });

  it('matches counter names whatever their letter case', () => {
    const { kpis } = computeKpis({ 'RRC.ConnEstabAtt.Sum': 200, 'RRC.ConnEstabSucc.Sum': 190 });
    expect(kpis.rrc_setup_success_rate).toBe(95);
  });

  it('a division by zero is no value, with no attempts', () => {
    const { kpis, attempts } = computeKpis({ 'RRC.ConnEstabAtt.sum': 0, 'RRC.ConnEstabSucc.sum': 0 });
    expect(kpis).toEqual({});
    expect(attempts).toEqual({});
  });

  it('uses the NR alternative when the LTE counters are absent, with its own attempts', () => {
    const { kpis, attempts } = computeKpis({ 'MM.HoExeIntraReq': 400, 'MM.HoExeIntraSucc': 396 });
    expect(kpis.handover_success_rate).toBe(99);
    expect(attempts.handover_success_rate).toBe(400);
  });

  it('computes availability from the period and non-rate KPIs carry no attempts', () => {
    const { kpis, attempts } = computeKpis({ 'RRU.CellUnavailableTime': 90, 'RRU.PrbTotDl': 61.5 }, {}, 900);
    expect(kpis.availability).toBe(90);
    expect(kpis.prb_dl_utilization).toBe(61.5);
    expect(attempts).toEqual({});
  });

  it('reads the uplink noise floor from the LTE or the NR counter, negative dBm as it is', () => {
    expect(computeKpis({ 'L.UL.Interference.Avg': -108.4 }).kpis.ul_interference_dbm).toBe(-108.4);
    expect(computeKpis({ 'N.UL.NI.Avg': -116.9 }).kpis.ul_interference_dbm).toBe(-116.9);
    expect(computeKpis({ 'N.UL.NI.Avg': -116.9 }).attempts).toEqual({});
  });

  it('lets config override, remove and add KPIs, with explicit attempts', () => {
    const cfg = kpiFormulasConfigSchema.parse({
      rrc_setup_success_rate: '100 * L.RRC.ConnReq.Succ / L.RRC.ConnReq.Att',
      availability: null,
      paging_success_rate: { formula: '100 * P.Succ / P.Att', attempts: 'P.Att' },
    });
    const { kpis, attempts } = computeKpis(
      { 'L.RRC.ConnReq.Att': 50, 'L.RRC.ConnReq.Succ': 25, 'P.Att': 10, 'P.Succ': 9, 'RRU.CellUnavailableTime': 0 },
      cfg,
    );
    expect(kpis).toEqual({ rrc_setup_success_rate: 50, paging_success_rate: 90 });
    expect(attempts).toEqual({ rrc_setup_success_rate: 50, paging_success_rate: 10 });
  });

  it('tells a file parser which counters the formulas read', () => {
    const set = compileKpiFormulas(kpiFormulasConfigSchema.parse({ q: 'sum(X.Drop.*)' }));
    expect(set.isCounterNeeded('RRC.ConnEstabAtt.sum')).toBe(true);
    expect(set.isCounterNeeded('ERAB.EstabInitSuccNbr.Sum')).toBe(true);
    expect(set.isCounterNeeded('X.Drop.QCI9')).toBe(true);
    expect(set.isCounterNeeded('PAG.DiscardedNbr')).toBe(false);
  });
});
