/** evaluate's scoring on hand-made fault, incident, complaint and ticket tables. */
import { describe, expect, it } from 'vitest';
import { parseGroundTruth, type GroundTruthJson } from '../../src/simulator/ground-truth.js';
import { matchIncidents, type IncidentView } from '../../src/simulator/scoring/match.js';
import { failedThresholds, formatReport } from '../../src/simulator/scoring/report.js';
import { quantile, scoreRun, type TicketView } from '../../src/simulator/scoring/score.js';
import { findingDelays, findingsFromIncidents, formatFindingDelays } from '../../src/simulator/scoring/finding-delay.js';

const H = 3_600_000;
const M = 60_000;
const T = Date.parse('2026-11-24T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

type FaultIn = GroundTruthJson['faults'][number];
function fault(id: string, kind: FaultIn['kind'], root: FaultIn['root'], cells: string[], start: number, end: number, extra: Partial<FaultIn> = {}): FaultIn {
  const department = kind.endsWith('outage') || kind === 'core_signaling_failure' ? 'maintenance' : 'optimization';
  return {
    id, kind, source: 'scenario', root, alsoAccept: [], cells, region: 'Changsha', start: iso(start), end: iso(end), severity: 1,
    department, complaintIds: [], firstComplaintAt: null, ...extra,
  };
}

function incident(id: string, cells: string[], detectedAt: number, root: [string, string], extra: Partial<IncidentView> = {}): IncidentView {
  return { id, openedAt: detectedAt - 10 * M, detectedAt, resolvedAt: null, cells, rootCause: { objectType: root[0], objectId: root[1] }, ticketId: null, complaintIds: [], ...extra };
}

const truthJson: GroundTruthJson = {
  version: 1, seed: 1, cells: 100, from: iso(T - 24 * H), scoreFrom: iso(T), until: iso(T + 24 * H),
  faults: [
    fault('site', 'site_outage', { type: 'site', id: 'SITE-1' }, ['C1-1', 'C1-2', 'C1-3'], T + 1 * H, T + 3 * H,
      { complaintIds: ['c1', 'c2', 'c3'], firstComplaintAt: iso(T + 1 * H + 40 * M) }),
    fault('intf', 'interference', { type: 'cell', id: 'C5-1' }, ['C5-1'], T + 4 * H, T + 8 * H,
      { complaintIds: ['c4'], firstComplaintAt: iso(T + 4 * H + 5 * M) }),
    fault('core', 'core_signaling_failure', { type: 'core', id: 'MME-CS-01' }, ['C1-1', 'C1-2', 'C1-3', 'C5-1', 'C9-1'], T + 10 * H, T + 11 * H,
      { alsoAccept: [{ type: 'region', id: 'Changsha' }] }),
    fault('hole', 'coverage_hole', { type: 'district', id: 'Yuelu' }, ['C9-1'], T + 12 * H, T + 20 * H, { complaintIds: ['c5'], firstComplaintAt: iso(T + 14 * H) }),
    fault('late', 'cell_outage', { type: 'cell', id: 'C7-1' }, ['C7-1'], T + 24 * H - 10 * M, T + 25 * H),
  ],
  backgroundComplaintIds: ['b1', 'b2', 'b3', 'b4'],
};
const truth = parseGroundTruth(JSON.parse(JSON.stringify(truthJson)));

const incidents: IncidentView[] = [
  // The site outage, detected 20 minutes in, named right, split into two incidents.
  incident('I1', ['C1-1', 'C1-2', 'C1-3'], T + 1 * H + 20 * M, ['site', 'SITE-1'], { ticketId: 'K1' }),
  incident('I2', ['C1-2'], T + 2 * H, ['cell', 'C1-2']),
  // The interference, detected after an hour, root cause named as the site (wrong).
  incident('I3', ['C5-1'], T + 5 * H, ['site', 'SITE-5'], { ticketId: 'K3' }),
  // The core failure, named by region.
  incident('I4', ['C1-1', 'C5-1', 'C9-1'], T + 10 * H + 10 * M, ['region', 'Changsha'], { ticketId: 'K4' }),
  // A false alarm far from any fault, and one during warm-up (not scored).
  incident('I5', ['C8-1'], T + 6 * H, ['cell', 'C8-1']),
  incident('I0', ['C8-1'], T - 5 * H, ['cell', 'C8-1']),
];
const complaints = [
  { complaintId: 'c1', incidentId: 'I1' }, { complaintId: 'c2', incidentId: 'I2' }, { complaintId: 'c3', incidentId: null },
  { complaintId: 'c4', incidentId: 'I3' }, { complaintId: 'c5', incidentId: null },
  { complaintId: 'b1', incidentId: null }, { complaintId: 'b2', incidentId: null }, { complaintId: 'b3', incidentId: 'I5' },
];
const tickets: TicketView[] = [
  { id: 'K1', incidentId: 'I1', department: 'maintenance', createdAt: T + 1 * H + 25 * M }, // before the first complaint
  { id: 'K3', incidentId: 'I3', department: 'maintenance', createdAt: T + 5 * H }, // after it, and misrouted
  { id: 'K4', incidentId: 'I4', department: 'maintenance', createdAt: T + 10 * H + 12 * M }, // no complaints at all
];

describe('matchIncidents', () => {
  it('assigns each incident to one fault by cells, time and root', () => {
    const m = matchIncidents(truth.faults, incidents);
    expect(m.get('site')?.assigned.map((i) => i.id)).toEqual(['I1', 'I2']);
    expect(m.get('intf')?.assigned.map((i) => i.id)).toEqual(['I3']);
    expect(m.get('core')?.assigned.map((i) => i.id)).toEqual(['I4']);
    expect(m.get('hole')?.assigned).toEqual([]);
  });

  it('keeps a cell fault`s incident with the cell fault, not the region-wide failure around it', () => {
    const faults = parseGroundTruth({
      ...truthJson,
      faults: [
        fault('core', 'core_signaling_failure', { type: 'core', id: 'MME' }, ['A', 'B', 'C'], T, T + 2 * H),
        fault('cell', 'cell_outage', { type: 'cell', id: 'B' }, ['B'], T + 30 * M, T + 90 * M),
      ],
    }).faults;
    const m = matchIncidents(faults, [incident('X', ['B'], T + 45 * M, ['cell', 'B'])]);
    expect(m.get('cell')?.assigned.map((i) => i.id)).toEqual(['X']);
    expect(m.get('core')?.assigned).toEqual([]);
    expect(m.get('core')?.candidates.map((i) => i.id)).toEqual(['X']);
  });

  it('ignores an incident outside the fault`s window', () => {
    const f = truth.faults[0];
    expect(matchIncidents([f], [incident('early', f.cells, f.start - H, ['site', 'SITE-1'])]).get('site')?.assigned).toEqual([]);
    expect(matchIncidents([f], [incident('late', f.cells, f.end + 3 * H, ['site', 'SITE-1'])]).get('site')?.assigned).toEqual([]);
    expect(matchIncidents([f], [incident('grace', f.cells, f.end + H, ['site', 'SITE-1'])]).get('site')?.assigned).toHaveLength(1);
  });
});

describe('scoreRun', () => {
  const s = scoreRun(truth, incidents, complaints, tickets);

  it('counts recall over faults old enough to detect, precision over scored incidents', () => {
    expect(s.faults).toBe(4);
    expect(s.tooRecent).toBe(1);
    expect(s.recall).toEqual({ num: 3, den: 4, value: 0.75 });
    expect(s.incidents).toBe(5); // I0 was during warm-up
    expect(s.precision).toEqual({ num: 4, den: 5, value: 0.8 });
    expect(s.incidentsPerFault).toBeCloseTo(4 / 3);
    // Precision's miss, listed for review (the warm-up one is not scored).
    expect(s.unmatched.map((u) => u.id)).toEqual(['I5']);
    expect(s.unmatched[0]).toMatchObject({ root: 'cell:C8-1', cells: 1, detectedAt: T + 6 * H });
  });

  it('checks the root-cause object, accepting the alternatives the truth allows', () => {
    expect(s.rootCause).toEqual({ num: 2, den: 3, value: 2 / 3 });
    expect(s.perFault.find((p) => p.id === 'intf')?.rootCorrect).toBe(false);
    expect(s.perFault.find((p) => p.id === 'core')?.rootCorrect).toBe(true);
  });

  it('measures time to detect in event time from the fault start', () => {
    expect(s.perFault.map((p) => p.ttdMs)).toEqual([20 * M, H, 10 * M, null]);
    expect(s.ttdMedianMs).toBe(20 * M);
    expect(s.ttdP90Ms).toBe(H);
  });

  it('scores complaint links: fault complaints to the fault`s incidents, background ones unlinked', () => {
    // Fault complaints known: c1 ✓ (I1), c2 ✓ (I2), c3 ✗ (unlinked), c4 ✓, c5 ✗. Background: b1 ✓, b2 ✓, b3 ✗; b4 never ingested.
    expect(s.linkage.fault).toEqual({ num: 3, den: 5, value: 0.6 });
    expect(s.linkage.background).toEqual({ num: 2, den: 3, value: 2 / 3 });
    expect(s.linkage.num).toBe(5);
    expect(s.linkage.den).toBe(8);
    expect(s.linkage.missing).toBe(1);
  });

  it('counts a fault proactive when its ticket predates its first complaint', () => {
    expect(s.perFault.map((p) => p.proactive)).toEqual([true, false, true, false]);
    expect(s.proactive).toEqual({ num: 2, den: 4, value: 0.5 });
    // Issue 6's measure: among the faults that drew complaints (site, intf, hole), only the site's.
    expect(s.proactiveWithComplaints).toEqual({ num: 1, den: 3, value: 1 / 3 });
  });

  it('an incident merged into a bigger one counts for detection, not for precision or fragmentation', () => {
    const withMerged = [...incidents.filter((i) => i.id !== 'I2'), { ...incidents.find((i) => i.id === 'I2')!, mergedInto: 'I1' }];
    const m = scoreRun(truth, withMerged, complaints, tickets);
    expect(m.incidents).toBe(4);
    expect(m.precision).toEqual({ num: 3, den: 4, value: 0.75 });
    expect(m.incidentsPerFault).toBeCloseTo(1);
    expect(m.perFault.find((p) => p.id === 'site')).toMatchObject({ detected: true, ttdMs: 20 * M, complaintsLinkedRight: 2 });
  });

  it('checks routing among faults with a ticket', () => {
    expect(s.routing).toEqual({ num: 2, den: 3, value: 2 / 3 });
    expect(s.perFault.find((p) => p.id === 'intf')).toMatchObject({ department: 'maintenance', expectedDepartment: 'optimization', routingCorrect: false });
  });

  it('fails exactly the thresholds the score misses, and prints them', () => {
    expect(failedThresholds(s, { minRecall: 0.7, minPrecision: 0.8, minRootCause: 0.9, maxTtdP90Ms: 30 * M })).toEqual([
      'root-cause object correct 66.7% (2/3) (want ≥ 90.0%)',
      'time to detect, p90 1h (want ≤ 30m)',
    ]);
    const text = formatReport(s, { minRootCause: 0.9 }, { from: truth.scoreFrom, until: truth.until });
    expect(text).toMatch(/detection recall\s+75\.0% \(3\/4\)/);
    expect(text).toMatch(/root-cause object correct\s+66\.7% \(2\/3\)\s+≥ 90\.0%\s+FAIL/);
    expect(text).toMatch(/intf\s+interference\s+cell:C5-1\s+yes\s+1h/);
    expect(text).toMatch(/Incidents that match no fault:\n.*\n.*\nI5\s+\S+\s+cell:C8-1/);
  });

  it('counts a fault absorbed into an older incident as seen, but not as detected in time', () => {
    const f = truth.faults[0];
    const old = incident('OLD', ['C1-1', 'C1-2', 'C1-3', 'C2-1'], T - 20 * H, ['transport', 'TR-1'], {
      ticketId: 'K0', anomalies: [{ cellId: 'C2-1', startedAt: T - 20 * H }, { cellId: 'C1-2', startedAt: f.start + 5 * M }],
    });
    const stale = incident('STALE', ['C1-1'], T - 20 * H, ['cell', 'C1-1'], { anomalies: [{ cellId: 'C1-1', startedAt: T - 20 * H }] });
    const r = scoreRun(truth, [old, stale], [], [{ id: 'K0', incidentId: 'OLD', department: 'maintenance', createdAt: T - 20 * H }]);
    const p = r.perFault.find((x) => x.id === 'site');
    expect(p).toMatchObject({ detected: false, absorbedInto: ['OLD'], ttdMs: null, ticketId: null, proactive: false });
    expect(r.recall.num).toBe(1);
    expect(r.absorbedOnly).toBe(1);
    expect(r.ttdMedianMs).toBeNull();
    expect(r.incidents).toBe(0); // both were opened during warm-up: not in precision
    expect(formatReport(r, {}, { from: truth.scoreFrom, until: truth.until })).toMatch(/site\s+site_outage\s+site:SITE-1\s+absorbed by OLD/);
  });

  it('reports a detection time before the fault start as negative, not as zero', () => {
    const f = truth.faults[0];
    const r = scoreRun(truth, [incident('EARLY', f.cells, f.start - 8 * M, ['site', 'SITE-1'])], [], []);
    expect(r.perFault[0].ttdMs).toBe(-8 * M);
    expect(formatReport(r, {}, { from: truth.scoreFrom, until: truth.until })).toMatch(/time to detect, median\s+-8m/);
  });

  it('has nothing to divide by when nothing happened', () => {
    const empty = scoreRun(parseGroundTruth({ ...truthJson, faults: [], backgroundComplaintIds: [] }), [], [], []);
    expect(empty.recall.value).toBeNull();
    expect(empty.ttdMedianMs).toBeNull();
    expect(failedThresholds(empty, { minRecall: 0.5 })).toHaveLength(1);
    expect(quantile([5, 1, 3], 0.5)).toBe(3);
  });
});

describe('findingDelays', () => {
  const f = (at: number, objectType: string, objectId: string, signal: string, cellId?: string, source = 'pm') => ({ at, objectType, objectId, source, signal, ...(cellId ? { cellId } : {}) });
  const delays = findingDelays(truth.faults, [
    f(T + 1 * H + 50 * M, 'site', 'SITE-1', 'no_data'), // later than the cell finding below: not the first
    f(T + 1 * H + 16 * M, 'cell', 'C1-2', 'no_data', 'C1-2'),
    f(T + 4 * H - 5 * M, 'cell', 'C5-1', 'drop_rate', 'C5-1'), // before the interference began: not its finding
    f(T + 5 * H + 31 * M, 'cell', 'C5-1', 'drop_rate', 'C5-1'),
    f(T + 10 * H + 4 * M, 'region', 'Changsha', 'attach'),
    f(T + 6 * H, 'cell', 'C8-1', 'drop_rate', 'C8-1'), // no fault there
    f(T + 13 * H, 'cell', 'C9-1', 'service_request', 'C9-1', 'signaling'), // a cell by the hole: not the hole's evidence
    { ...f(T + 14 * H + 30 * M, 'site', 'S9', 'complaint_coverage_gap', undefined, 'complaints'), cells: ['C9-1', 'C9-2'] },
    f(T + 15 * H, 'district', 'Yuelu', 'complaint_coverage_gap', undefined, 'complaints'),
  ], 15 * M);
  const by = new Map(delays.map((d) => [d.id, d]));

  it('times each fault to the first finding that fired on its cells, root or accepted root after it began', () => {
    expect(by.get('site')).toMatchObject({ delayMs: 16 * M, first: 'no_data on cell:C1-2', withinTwoPeriods: true });
    expect(by.get('intf')).toMatchObject({ delayMs: 1 * H + 31 * M, withinTwoPeriods: false });
    expect(by.get('core')).toMatchObject({ delayMs: 4 * M, first: 'attach on region:Changsha', withinTwoPeriods: true });
  });

  it('a coverage hole counts only complaint findings (here on a site holding one of its cells), and has no two-period deadline', () => {
    expect(by.get('hole')).toMatchObject({ delayMs: 2 * H + 30 * M, first: 'complaint_coverage_gap on site:S9', withinTwoPeriods: null });
  });

  it('two PM periods are two whole ones: a fault starting mid-period has until the end of the second period after it', () => {
    const [start, end] = [T + 10 * M, T + 2 * H];
    const late = parseGroundTruth(JSON.parse(JSON.stringify({ ...truthJson, faults: [fault('x', 'congestion', { type: 'cell', id: 'C2-1' }, ['C2-1'], start, end)] }))).faults;
    const at = (ms: number) => findingDelays(late, [f(ms, 'cell', 'C2-1', 'rrc_setup_attempts', 'C2-1')], 15 * M)[0];
    expect(at(T + 45 * M)).toMatchObject({ delayMs: 35 * M, withinTwoPeriods: true });
    expect(at(T + 46 * M).withinTwoPeriods).toBe(false);
  });

  it('a congestion is due from its first congested period; a demand surge found before counts; one that never congests has no deadline', () => {
    const [start, end] = [T + 10 * M, T + 12 * H];
    const cong = (congestedFrom: number | null | undefined) => parseGroundTruth(JSON.parse(JSON.stringify({
      ...truthJson,
      faults: [{ ...fault('x', 'congestion', { type: 'cell', id: 'C2-1' }, ['C2-1'], start, end), ...(congestedFrom !== undefined ? { congestedFrom: congestedFrom === null ? null : new Date(congestedFrom).toISOString() } : {}) }],
    }))).faults;
    const at = (faults: ReturnType<typeof cong>, ms: number) => findingDelays(faults, [f(ms, 'cell', 'C2-1', 'rrc_setup_attempts', 'C2-1')], 15 * M)[0]!;
    const full = cong(T + 6 * H);
    // Found 6 h 20 min in, two periods after the cell filled: due; late by the fault's own start.
    expect(at(full, T + 6 * H + 30 * M)).toMatchObject({ delayMs: 6 * H + 20 * M, withinTwoPeriods: true, fromStart: false, congestedAfterMs: 5 * H + 50 * M });
    expect(at(full, T + 6 * H + 31 * M).withinTwoPeriods).toBe(false);
    // A surge found at night, before the cell filled: in time by either reading.
    expect(at(full, T + 40 * M)).toMatchObject({ withinTwoPeriods: true, fromStart: true });
    expect(at(cong(null), T + 9 * H)).toMatchObject({ withinTwoPeriods: null, fromStart: false, congestedAfterMs: null });
    // A truth file from before congestedFrom existed: due from the start.
    expect(at(cong(undefined), T + 6 * H + 30 * M)).toMatchObject({ withinTwoPeriods: false, fromStart: false });
    expect(at(cong(undefined), T + 6 * H + 30 * M).congestedAfterMs).toBeUndefined();
    const text = formatFindingDelays([at(full, T + 6 * H + 30 * M), at(cong(null), T + 9 * H)]);
    expect(text).toMatch(/1\/1 network faults found within two whole PM periods .*Every fault from its start: 0\/2/);
    expect(text).toMatch(/congested after 5h50m/);
    expect(text).toMatch(/never congested/);
  });

  it('a finding two running faults explain is the newer one\'s: a core failure\'s signaling finding on a congested cell is not the congestion\'s', () => {
    const faults = parseGroundTruth(JSON.parse(JSON.stringify({
      ...truthJson,
      faults: [
        fault('cong', 'congestion', { type: 'cell', id: 'C1-1' }, ['C1-1'], T, T + 20 * H),
        fault('core', 'core_signaling_failure', { type: 'core', id: 'MME-CS-01' }, ['C1-1', 'C1-2'], T + 10 * H, T + 11 * H, { alsoAccept: [{ type: 'region', id: 'Changsha' }] }),
      ],
    }))).faults;
    const d = new Map(findingDelays(faults, [
      f(T + 10 * H + 10 * M, 'cell', 'C1-1', 'service_request', 'C1-1', 'signaling'),
      f(T + 12 * H, 'cell', 'C1-1', 'rrc_setup_attempts', 'C1-1'),
    ], 15 * M).map((x) => [x.id, x]));
    expect(d.get('core')).toMatchObject({ delayMs: 10 * M, first: 'service_request on cell:C1-1' });
    expect(d.get('cong')).toMatchObject({ delayMs: 12 * H, first: 'rrc_setup_attempts on cell:C1-1' });
  });

  it('says null for a fault no finding touched', () => {
    expect(by.get('late')).toMatchObject({ delayMs: null, first: null, withinTwoPeriods: false });
  });

  it('over HTTP: the firing findings the incidents record, each once; a site finding stands for its incident\'s cells', () => {
    const a = (objectType: string, objectId: string, signal: string, startedAt: number, firingAt: number | undefined, cellId?: string) =>
      ({ objectType, objectId, signal, source: 'pm', startedAt, ...(firingAt !== undefined ? { firingAt } : {}), ...(cellId ? { cellId } : {}) });
    const drop = a('cell', 'C5-1', 'drop_rate', T + 4 * H, T + 4 * H + 29 * M, 'C5-1');
    const found = findingsFromIncidents([
      incident('I1', ['C1-1', 'C1-2', 'C1-3'], T + 1 * H + 20 * M, ['site', 'SITE-1'], {
        anomalies: [a('site', 'SITE-1', 'power_failure', T + 1 * H, T + 1 * H + 1 * M), a('cell', 'C1-1', 'availability', T + 1 * H, undefined, 'C1-1')],
      }),
      incident('I3', ['C5-1'], T + 5 * H, ['cell', 'C5-1'], { anomalies: [drop] }),
      // The same anomaly under the incident that absorbed I3: counted once.
      incident('I9', ['C5-1', 'C5-2'], T + 5 * H, ['site', 'SITE-5'], { anomalies: [drop] }),
      // A region-wide finding early on, in an incident over C5-1: not the interference's (it names the region).
      incident('I8', ['C5-1', 'C9-1'], T + 4 * H + 5 * M, ['region', 'Changsha'], { anomalies: [a('region', 'Changsha', 'attach', T + 4 * H, T + 4 * H + 5 * M)] }),
    ]);
    expect(found.map((x) => `${x.signal}@${(x.at - T) / M}`)).toEqual(['power_failure@61', 'drop_rate@269', 'attach@245']);
    expect(found[0]!.cells).toEqual(['C1-1', 'C1-2', 'C1-3']);
    const d = new Map(findingDelays(truth.faults, found, 15 * M).map((x) => [x.id, x]));
    expect(d.get('site')).toMatchObject({ delayMs: 1 * M, withinTwoPeriods: true });
    expect(d.get('intf')).toMatchObject({ delayMs: 29 * M, withinTwoPeriods: true });
    expect(formatFindingDelays([...d.values()])).toMatch(/^Time from fault start to its first firing detector finding: 2\/4 network faults/);
  });
});
