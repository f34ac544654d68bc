import { describe, expect, it } from 'vitest';
import { triageConfigSchema } from '../../src/triage/config.js';
import { classOf, likelyFix, triage, type TriageSubject } from '../../src/triage/triage.js';
import { RepeatHistory } from '../../src/triage/repeat-history.js';
import { DAY } from '../../src/model/index.js';

const cfg = triageConfigSchema.parse({ competitor: { index: { Weak: 1.3, Strong: 0.8 } } });

/** A middling incident: a degraded residential cell, no complaints, no history. */
const base: TriageSubject = {
  category: 'degradation', severity: 'major', subscribers: 400, complainants: {}, areaClasses: ['residential'],
  repeatCustomers: 0, pastIncidents: 0, pastCellComplaints: 0, districts: ['Neutral'],
};

describe('five-principle triage', () => {
  const cases: { principle: string; change: Partial<TriageSubject>; moves: 'up' | 'down'; reason?: RegExp; against?: Partial<TriageSubject> }[] = [
    { principle: 'ROI: more subscribers affected', change: { subscribers: 4000 }, moves: 'up', reason: /4,000 subscribers affected/ },
    { principle: 'ROI: more revenue at risk (worse severity)', change: { severity: 'critical' }, moves: 'up' },
    { principle: 'ROI: fewer subscribers', change: { subscribers: 20 }, moves: 'down' },
    {
      principle: 'ROI: a dear fix (chronic coverage → construction) against a cheap one, same history',
      change: { category: 'coverage', pastIncidents: 5 }, against: { pastIncidents: 5 }, moves: 'down', reason: /likely fix: construction \(expensive\)/,
    },
    { principle: 'customer class: a VIP diamond complains', change: { complainants: { vip_diamond: 1 } }, moves: 'up', reason: /1 VIP diamond/ },
    { principle: 'customer class: an enterprise customer complains', change: { complainants: { enterprise: 1 } }, moves: 'up', reason: /1 enterprise/ },
    { principle: 'area importance: a hospital', change: { areaClasses: ['hospital'] }, moves: 'up', reason: /area: hospital/ },
    { principle: 'area importance: rural', change: { areaClasses: ['rural'] }, moves: 'down' },
    { principle: 'repeat: the same customer again', change: { repeatCustomers: 1 }, moves: 'up', reason: /1 customer complaining again/ },
    { principle: 'repeat: the same cells again', change: { pastIncidents: 2 }, moves: 'up', reason: /2 earlier incidents/ },
    { principle: 'competitor stronger in the district', change: { districts: ['Weak'] }, moves: 'up', reason: /competitor stronger in Weak/ },
    { principle: 'competitor weaker in the district', change: { districts: ['Strong'] }, moves: 'down', reason: /we lead the competitor in Strong/ },
  ];
  const baseScore = triage(base, cfg).score;
  for (const c of cases) {
    it(`${c.principle} moves the score ${c.moves}`, () => {
      const t = triage({ ...base, ...c.change }, cfg);
      const reference = c.against ? triage({ ...base, ...c.against }, cfg).score : baseScore;
      if (c.moves === 'up') expect(t.score).toBeGreaterThan(reference);
      else expect(t.score).toBeLessThan(reference);
      if (c.reason) expect(t.reasons.join(' | ')).toMatch(c.reason);
    });
  }

  it('scores stay within 0–100 at the extremes', () => {
    const worst = triage({
      ...base, subscribers: 1e6, severity: 'critical', complainants: { vip_diamond: 5, enterprise: 5 },
      areaClasses: ['hospital'], repeatCustomers: 5, pastIncidents: 5, districts: ['Weak'],
    }, cfg);
    expect(worst.score).toBeLessThanOrEqual(100);
    expect(worst.class).toBe('must_solve');
    const least = triage({ ...base, subscribers: 0, severity: 'warning', areaClasses: [], districts: ['Strong'] }, cfg);
    expect(least.score).toBeGreaterThanOrEqual(0);
    expect(least.class).toBe('defer');
  });

  it('classes follow the thresholds', () => {
    expect([classOf(80, cfg), classOf(40, cfg), classOf(10, cfg)]).toEqual(['must_solve', 'routine', 'defer']);
  });

  it('orders the reasons by how much each principle contributed', () => {
    const t = triage({ ...base, complainants: { vip_diamond: 2 }, areaClasses: ['rural'] }, cfg);
    expect(t.reasons[0]).toMatch(/VIP diamond/);
    expect(t.principles?.customerClass).toBe(1);
  });

  it('weights come from config: a zero weight silences a principle', () => {
    const noArea = triageConfigSchema.parse({ weights: { areaImportance: 0 } });
    expect(triage({ ...base, areaClasses: ['hospital'] }, noArea).score).toBe(triage({ ...base, areaClasses: ['rural'] }, noArea).score);
  });

  it('a large outage in an important area is must_solve even before anyone complains', () => {
    expect(triage({ ...base, category: 'transport', severity: 'critical', subscribers: 6000, areaClasses: ['transport_hub', 'residential'] }, cfg).class).toBe('must_solve');
  });

  it('optimise before you build: coverage goes to construction only once chronic', () => {
    expect(likelyFix('coverage', 0, cfg)).toBe('optimization');
    expect(likelyFix('coverage', 3, cfg)).toBe('construction');
    expect(likelyFix('outage', 9, cfg)).toBe('maintenance');
  });
});

describe('repeat history', () => {
  const t0 = Date.UTC(2026, 0, 1);
  it('counts the same customer and the same cell within the window only', () => {
    const h = new RepeatHistory({ repeatWindowDays: 30, maxCustomers: 100, maxCells: 100, eventsPerCell: 8 });
    h.noteComplaint('cust', ['A'], t0);
    h.noteIncident('INC-1', ['A', 'B'], t0 + DAY);
    expect(h.customerComplaintsBefore('cust', t0 + 10 * DAY)).toBe(1);
    expect(h.customerComplaintsBefore('cust', t0 + 31 * DAY)).toBe(0);
    expect(h.cellComplaintsBefore(['A'], t0 + 2 * DAY)).toBe(1);
    expect(h.incidentsBefore(['B'], t0 + 2 * DAY)).toBe(1);
    expect(h.incidentsBefore(['B'], t0 + 2 * DAY, new Set(['INC-1']))).toBe(0);
  });

  it('stays bounded: forgets the least recently seen customers and cells', () => {
    const h = new RepeatHistory({ repeatWindowDays: 30, maxCustomers: 3, maxCells: 2, eventsPerCell: 2 });
    for (let i = 0; i < 10; i++) h.noteComplaint(`c${i}`, [`cell${i}`], t0 + i);
    expect(h.size).toEqual({ customers: 3, cells: 2 });
    expect(h.customerComplaintsBefore('c9', t0 + 100)).toBe(1);
    expect(h.customerComplaintsBefore('c0', t0 + 100)).toBe(0);
    for (let i = 0; i < 5; i++) h.noteComplaint('c9', ['cell9'], t0 + 10 + i);
    expect(h.cellComplaintsBefore(['cell9'], t0 + 100)).toBe(2);
  });
});
