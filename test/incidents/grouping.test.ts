import { describe, expect, it } from 'vitest';
import type { Anomaly, Incident } from '../../src/model/index.js';
import { MINUTE } from '../../src/model/index.js';
import { T0, anomaly, cellsOf, engine, firing, pending, resolved } from './fixtures.js';

const at = (m: number) => T0 + m * MINUTE;
const open = (e: ReturnType<typeof engine>): Incident[] => [...e.live()].filter((i) => i.state === 'open');
const roots = (e: ReturnType<typeof engine>) =>
  open(e).map((i) => `${i.rootCause.objectType}:${i.rootCause.objectId}`).sort();

/** Fires each batch of anomalies in turn, five minutes apart from `first` minutes after T0. */
function fire(e: ReturnType<typeof engine>, batches: Anomaly[][], first: number): void {
  batches.forEach((batch, i) => {
    e.onTransitions(batch.map((a) => firing(a)), at(first + i * 5));
    e.takeChanges();
  });
}

/** PM outage anomalies on the given cells, starting `m` minutes after T0. */
const outages = (cells: string[], m = 0): Anomaly[] => cells.map((cellId, i) => anomaly({ cellId, at: m + i * 0.5 }));

describe('grouping along the topology', () => {
  const cases: { name: string; batches: Anomaly[][]; roots: string[]; category?: string }[] = [
    { name: 'one cell down is a cell incident', batches: [outages(['S1-1'])], roots: ['cell:S1-1'], category: 'outage' },
    { name: 'all cells of a site at once are one site incident', batches: [outages(cellsOf('S1'))], roots: ['site:S1'], category: 'outage' },
    { name: 'two of three cells of a site are enough for the site', batches: [outages(['S1-1', 'S1-2'])], roots: ['site:S1'] },
    {
      name: 'a site alarm names the site even with one cell anomalous',
      batches: [[anomaly({ source: 'alarm', objectType: 'site', objectId: 'S4', signal: 'power_failure', severity: 'critical' }), ...outages(['S4-1'])]],
      roots: ['site:S4'],
    },
    { name: 'sites behind one transport node are one transport incident', batches: [outages([...cellsOf('S1'), ...cellsOf('S2'), ...cellsOf('S3')])], roots: ['transport:TR-1'], category: 'transport' },
    { name: 'two of three sites behind the node are enough', batches: [outages([...cellsOf('S1'), ...cellsOf('S2')])], roots: ['transport:TR-1'] },
    {
      name: 'a transport alarm makes later cell anomalies behind it evidence, not incidents',
      batches: [[anomaly({ source: 'alarm', objectType: 'transport', objectId: 'TR-2', signal: 'link_down' })], outages(['S4-1', 'S5-2'], 3)],
      roots: ['transport:TR-2'],
    },
    {
      name: 'the same procedure failing on many cells of a region is a core incident',
      batches: [[...cellsOf('S1'), ...cellsOf('S4'), 'S7-1', 'S8-1', 'S9-1'].map((cellId, i) =>
        anomaly({ source: 'signaling', cellId, signal: 'attach', hint: 'degradation', severity: 'major', at: i * 0.2 }))],
      roots: ['region:R1'], category: 'core',
    },
    {
      name: 'unrelated neighbours stay separate: an outage and interference on adjacent sites',
      batches: [[anomaly({ cellId: 'S1-1' }), anomaly({ cellId: 'S2-2', signal: 'erab_drop_rate', hint: 'interference', severity: 'major', at: 2 })]],
      roots: ['cell:S1-1', 'cell:S2-2'],
    },
    {
      name: 'congestion next to an outage on the same site stays its own incident',
      batches: [[anomaly({ cellId: 'S1-1' }), anomaly({ cellId: 'S1-2', signal: 'prb_dl_utilization', hint: 'congestion', severity: 'major', at: 1 })]],
      roots: ['cell:S1-1', 'cell:S1-2'],
    },
    {
      name: 'one cell on each of two sites is not a transport problem',
      batches: [outages(['S1-1', 'S2-1'])],
      roots: ['cell:S1-1', 'cell:S2-1'],
    },
    {
      name: 'a one-cell site down alone stays a cell incident',
      batches: [outages(['S6-1'])],
      roots: ['cell:S6-1'],
    },
    {
      name: 'signaling failing on a few cells is not the core',
      batches: [['S1-1', 'S2-1', 'S3-1'].map((cellId) => anomaly({ source: 'signaling', cellId, signal: 'attach', hint: 'degradation', severity: 'major' }))],
      roots: ['cell:S1-1', 'cell:S2-1', 'cell:S3-1'],
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const e = engine();
      fire(e, c.batches, 5);
      // Past the signaling hold: what waited for a region-wide picture has been placed.
      e.advance(at(5 + c.batches.length * 5 + 10));
      expect(roots(e)).toEqual(c.roots);
      if (c.category) expect(open(e)[0]!.rootCause.category).toBe(c.category);
      // Every anomaly is evidence under exactly one incident.
      const evidence = open(e).flatMap((i) => i.anomalies.map((x) => x.id));
      expect(new Set(evidence).size).toBe(c.batches.flat().length);
      expect(evidence.length).toBe(c.batches.flat().length);
    });
  }

  it('keeps child anomalies as evidence under the root, with all the cells behind it', () => {
    const e = engine();
    e.onTransitions(outages([...cellsOf('S1'), ...cellsOf('S2')]).map((a) => firing(a)), at(5));
    const [inc] = open(e);
    expect(inc!.cells).toEqual([...cellsOf('S1'), ...cellsOf('S2'), ...cellsOf('S3')]);
    expect(inc!.anomalies).toHaveLength(6);
    expect(inc!.rootCause.reasoning!.join(' ')).toMatch(/2 of 3 sites behind TR-1/);
  });

  it('pending anomalies alone do not open incidents; firing ones do', () => {
    const e = engine();
    const a = anomaly({ cellId: 'S1-1' });
    e.onTransitions([pending(a)], at(1));
    expect(e.takeChanges()).toEqual([]);
    e.onTransitions([firing(a)], at(3));
    expect(e.takeChanges().map((c) => c.type)).toEqual(['opened']);
  });

  it('promotes a cell incident to the site when the other cells follow, keeping its id', () => {
    const e = engine();
    e.onTransitions([firing(anomaly({ cellId: 'S1-1' }))], at(1));
    const [first] = e.takeChanges();
    expect(first!.type).toBe('opened');
    e.onTransitions(outages(['S1-2', 'S1-3'], 4).map((a) => firing(a)), at(6));
    const changes = e.takeChanges();
    expect(changes.map((c) => [c.type, c.incident.id])).toEqual([['updated', first!.incident.id]]);
    expect(changes[0]!.incident.rootCause).toMatchObject({ objectType: 'site', objectId: 'S1' });
    expect(open(e)).toHaveLength(1);
  });

  it('absorbs an incident that turns out to be part of a bigger one, leaving no duplicate', () => {
    const e = engine();
    e.onTransitions([firing(anomaly({ cellId: 'S1-1' }))], at(1));
    const a = e.takeChanges()[0]!.incident.id;
    e.onTransitions([firing(anomaly({ cellId: 'S2-1', at: 1 }))], at(2));
    const b = e.takeChanges()[0]!.incident.id;
    expect(a).not.toBe(b);
    e.onTransitions(outages(['S1-2', 'S1-3', 'S2-2', 'S2-3'], 2).map((x) => firing(x)), at(4));
    const changes = e.takeChanges();
    const byId = new Map(changes.map((c) => [c.incident.id, c]));
    expect(byId.get(a)!.type).toBe('updated');
    expect(byId.get(a)!.incident.rootCause.objectType).toBe('transport');
    expect(byId.get(a)!.incident.absorbed).toEqual([b]);
    expect(byId.get(b)!).toMatchObject({ type: 'resolved', incident: { state: 'resolved', mergedInto: a } });
    expect(open(e).map((i) => i.id)).toEqual([a]);
    expect(open(e)[0]!.anomalies).toHaveLength(6);
  });

  it('a burst grouped in one batch opens exactly one incident and reports it once', () => {
    const e = engine();
    e.onTransitions(outages([...cellsOf('S1'), ...cellsOf('S2'), ...cellsOf('S3')]).map((a) => firing(a)), at(5));
    const changes = e.takeChanges();
    expect(changes.map((c) => c.type)).toEqual(['opened']);
    expect(changes[0]!.incident.version).toBe(1);
  });

  it('a core alarm joins the core incident of the region and names the failing element', () => {
    const e = engine();
    const cells = [...cellsOf('S1'), ...cellsOf('S4'), 'S7-1', 'S8-1'];
    e.onTransitions(cells.map((cellId) => firing(anomaly({ source: 'signaling', cellId, signal: 'attach', hint: 'degradation', severity: 'major' }))), at(5));
    e.onTransitions([firing(anomaly({ source: 'alarm', objectType: 'core', objectId: 'MME-01', signal: 'process_failure', hint: 'core', at: 2 }))], at(6));
    expect(roots(e)).toEqual(['core:MME-01']);
    expect(open(e)[0]).toMatchObject({ region: 'R1', rootCause: { category: 'core' } });
  });

  it.each<{ objectType: Anomaly['objectType']; objectId: string; severity: Anomaly['severity']; confirmed: boolean; ticketed?: boolean }>([
    // An alarm on a core element or transport node speaks for everything behind it: one step graver.
    { objectType: 'core', objectId: 'MME-01', severity: 'major', confirmed: true, ticketed: true },
    { objectType: 'transport', objectId: 'TR-2', severity: 'major', confirmed: true },
    { objectType: 'site', objectId: 'S4', severity: 'major', confirmed: false },
    { objectType: 'transport', objectId: 'TR-2', severity: 'minor', confirmed: false },
  ])('a lone $severity alarm on $objectType $objectId → confirmed: $confirmed', ({ objectType, objectId, severity, confirmed, ticketed }) => {
    const e = engine();
    e.onTransitions([firing(anomaly({ source: 'alarm', objectType, objectId, signal: 'signaling_failure_rate_high', hint: 'degradation', severity, at: 1 }))], at(1));
    const [inc] = open(e);
    expect(inc!.confirmed).toBe(confirmed);
    // Its cells are not known yet, but a core element serves a pool: the ticket must not wait for them.
    if (ticketed) expect(inc!.triage.class).not.toBe('defer');
  });

  it('a core failure seen first by its alarm, then cell by cell, stays one incident', () => {
    const e = engine();
    e.onTransitions([firing(anomaly({ source: 'alarm', objectType: 'core', objectId: 'AMF-02', signal: 'signaling_failure_rate_high', hint: 'core', severity: 'major' }))], at(2));
    const cells = [...cellsOf('S1'), ...cellsOf('S4'), ...cellsOf('S7'), 'S8-1', 'S9-1'];
    cells.forEach((cellId, i) => {
      e.onTransitions([firing(anomaly({ source: 'signaling', cellId, signal: i % 2 ? 'attach' : 'registration', hint: 'degradation', severity: 'major', at: 3 + i }))], at(4 + i));
      e.advance(at(4 + i));
    });
    e.onTransitions([firing(anomaly({ source: 'dialtest', cellId: 'S9-3', signal: 'voice', hint: 'degradation', severity: 'major', at: 9 }))], at(20));
    e.advance(at(60));
    expect(roots(e)).toEqual(['core:AMF-02']);
    expect(open(e)[0]!.region).toBe('R1');
    expect(open(e)[0]!.anomalies).toHaveLength(cells.length + 2);
    expect(e.takeChanges().filter((c) => c.type === 'opened')).toHaveLength(1);
  });

  it.each<{ name: string; dialAt: number; cell: string; joins: boolean }>([
    { name: 'a probe failing while the core fails is the core\'s symptom', dialAt: 10, cell: 'S9-3', joins: true },
    { name: 'a probe failing after the core\'s signaling recovered is a problem of its own', dialAt: 90, cell: 'S9-3', joins: false },
    { name: 'a probe failing later at a cell the core incident covered does not reopen it', dialAt: 90, cell: 'S1-2', joins: false },
  ])('$name', ({ dialAt, cell, joins }) => {
    const e = engine();
    const failing = [...cellsOf('S1'), ...cellsOf('S4'), 'S7-1', 'S8-1'].map((cellId) =>
      anomaly({ source: 'signaling', cellId, signal: 'attach', hint: 'core', severity: 'major', at: 1 }));
    e.onTransitions(failing.map((a) => firing(a)), at(5));
    // The core's signaling recovers at 60; its alarm's clear never comes.
    e.onTransitions([firing(anomaly({ source: 'alarm', objectType: 'core', objectId: 'MME-01', signal: 'signaling_failure_rate_high', hint: 'core', severity: 'major', at: 2 }))], at(6));
    if (dialAt > 60) {
      // A probe failed with the core and recovered with it: the core incident has dial-test evidence.
      const probe = anomaly({ source: 'dialtest', cellId: 'S4-1', signal: 'dialtest.voice', hint: 'degradation', severity: 'major', at: 10 });
      e.onTransitions([firing(probe)], at(11));
      e.advance(at(22));
      e.onTransitions([...failing, probe].map((a) => resolved(a, at(60))), at(60));
      e.advance(at(80));
    }
    e.onTransitions([firing(anomaly({ source: 'dialtest', cellId: cell, signal: 'dialtest.voice', hint: 'degradation', severity: 'major', at: dialAt }))], at(dialAt + 1));
    e.advance(at(dialAt + 12));
    // After the recovery the core incident resolves (its alarm's missing clear does not hold it).
    expect(roots(e)).toEqual(joins ? ['core:MME-01'] : [`cell:${cell}`]);
    const core = [...e.live()].find((i) => i.rootCause.objectId === 'MME-01')!;
    expect(core.anomalies.some((a) => a.source === 'dialtest' && a.cellId === cell)).toBe(joins);
    expect(core.state).toBe(joins ? 'open' : 'resolved');
  });

  it.each<{ name: string; startAt: number; joins: boolean }>([
    { name: 'a setup-rate finding a slow block confirmed after the recovery, its block spanning the failure, is the core\'s symptom', startAt: -40, joins: true },
    { name: 'a setup-rate finding that began after the recovery is a problem of its own', startAt: 70, joins: false },
  ])('$name', ({ startAt, joins }) => {
    const e = engine();
    const failing = [...cellsOf('S1'), ...cellsOf('S4'), 'S7-1', 'S8-1'].map((cellId) =>
      anomaly({ source: 'signaling', cellId, signal: 'attach', hint: 'core', severity: 'major', at: 1 }));
    e.onTransitions(failing.map((a) => firing(a)), at(5));
    e.advance(at(22));
    // The core's signaling recovers at 60; at 80 a two-hour block confirms a setup-rate drop at S9-3
    // (the block's start is its start, as the KPI detector reports it).
    e.onTransitions(failing.map((a) => resolved(a, at(60))), at(60));
    e.advance(at(70));
    const setup = anomaly({ source: 'pm', cellId: 'S9-3', signal: 'erab_setup_success_rate', hint: 'degradation', severity: 'warning', at: startAt });
    e.onTransitions([firing(setup, at(80))], at(80));
    e.advance(at(92));
    const core = [...e.live()].find((i) => i.rootCause.objectType === 'region')!;
    expect(core.anomalies.some((a) => a.cellId === 'S9-3')).toBe(joins);
    expect([...e.live()].some((i) => i.rootCause.objectId === 'S9-3')).toBe(!joins);
  });

  it('a core failure seen first by probes across the region, then by signaling, is one incident', () => {
    const e = engine();
    // Probes fail at once (held a while for the region-wide picture); one waits past the hold.
    e.onTransitions(['S1-1', 'S4-2'].map((cellId, i) => firing(anomaly({ source: 'dialtest', cellId, signal: 'dialtest.data_http', hint: 'degradation', severity: 'major', at: i }))), at(2));
    e.advance(at(3));
    e.onTransitions([firing(anomaly({ source: 'dialtest', cellId: 'S9-1', signal: 'dialtest.voice', hint: 'degradation', severity: 'major', at: 0 }))], at(1));
    e.advance(at(12));
    expect(roots(e)).toEqual(['cell:S1-1', 'cell:S4-2', 'cell:S9-1']);
    const failing = [...cellsOf('S1'), ...cellsOf('S4'), 'S7-1', 'S8-1'].map((cellId) =>
      anomaly({ source: 'signaling', cellId, signal: 'service_request', hint: 'core', severity: 'major', at: 4 }));
    e.onTransitions(failing.map((a) => firing(a)), at(14));
    e.advance(at(14));
    expect(roots(e)).toEqual(['region:R1']);
    expect(open(e)[0]!.anomalies.filter((a) => a.source === 'dialtest').map((a) => a.cellId).sort()).toEqual(['S1-1', 'S4-2', 'S9-1']);
  });

  it.each<{ signal: string; joins: boolean }>([
    { signal: 'erab_setup_success_rate', joins: true },
    { signal: 'nr_qos_flow_setup_success_rate', joins: true },
    { signal: 'erab_drop_rate', joins: false },
  ])('while the core fails, $signal dropping at a cell of the region is its symptom: $joins', ({ signal, joins }) => {
    const e = engine();
    const failing = [...cellsOf('S1'), ...cellsOf('S4'), 'S7-1', 'S8-1'].map((cellId) =>
      anomaly({ source: 'signaling', cellId, signal: 'service_request', hint: 'core', severity: 'major', at: 1 }));
    e.onTransitions(failing.map((a) => firing(a)), at(5));
    e.onTransitions([firing(anomaly({ cellId: 'S9-2', signal, hint: signal === 'erab_drop_rate' ? 'interference' : 'degradation', severity: 'minor', at: 3 }))], at(20));
    expect(roots(e)).toEqual(joins ? ['region:R1'] : ['cell:S9-2', 'region:R1']);
  });

  it('a probe failing just before the transport node goes down is part of its incident', () => {
    // The probe's burst began 30 min before the link failed (a stray failure then), but it was found
    // together with the node's alarm: one problem, not two.
    const e = engine();
    e.onTransitions([firing(anomaly({ source: 'dialtest', cellId: 'S4-1', signal: 'dialtest.voice', hint: 'degradation', severity: 'major', at: 0 }))], at(31));
    e.onTransitions([firing(anomaly({ source: 'alarm', objectType: 'transport', objectId: 'TR-2', signal: 'link_down', severity: 'critical', at: 30 }))], at(34));
    expect(roots(e)).toEqual(['transport:TR-2']);
  });

  it('signaling failing on a handful of cells waits for the region-wide picture, then opens cell incidents', () => {
    const e = engine({ grouping: { signalingHoldMinutes: 10 } });
    e.onTransitions([firing(anomaly({ source: 'signaling', cellId: 'S7-1', signal: 'attach', hint: 'degradation', severity: 'major' }))], at(1));
    expect(e.takeChanges()).toEqual([]);
    e.advance(at(8));
    expect(e.takeChanges()).toEqual([]);
    e.advance(at(11));
    expect(e.takeChanges().map((c) => [c.type, c.incident.rootCause.objectId])).toEqual([['opened', 'S7-1']]);
  });

  describe('a lone warning-level KPI finding waits for corroboration', () => {
    const weak = (p: Partial<Anomaly> & { at?: number } = {}) =>
      anomaly({ cellId: 'S7-1', signal: 'dl_user_throughput_mbps', hint: 'degradation', severity: 'warning', ...p });

    it('one that ends within the hold leaves no incident', () => {
      const e = engine({ grouping: { weakHoldMinutes: 180 } });
      const a = weak();
      e.onTransitions([firing(a, at(15))], at(15));
      e.advance(at(100));
      expect(e.takeChanges()).toEqual([]);
      e.onTransitions([resolved(a, at(120))], at(120));
      e.advance(at(400));
      expect(e.takeChanges()).toEqual([]);
      expect(e.sizes.heldAnomalies).toBe(0);
    });

    it('one that lasts opens its incident when the hold is over, from when it began', () => {
      const e = engine({ grouping: { weakHoldMinutes: 180 } });
      e.onTransitions([firing(weak(), at(15))], at(15));
      e.advance(at(194));
      expect(e.takeChanges()).toEqual([]);
      e.advance(at(196));
      const [c] = e.takeChanges();
      expect([c!.type, c!.incident.rootCause.objectId, c!.incident.openedAt]).toEqual(['opened', 'S7-1', at(0)]);
    });

    it('a second finding on the cell corroborates it: one incident with both, at once', () => {
      const e = engine({ grouping: { weakHoldMinutes: 180 } });
      const first = weak();
      e.onTransitions([firing(first, at(15))], at(15));
      e.onTransitions([firing(weak({ signal: 'erab_drop_rate', at: 30 }), at(45))], at(45));
      const changes = e.takeChanges();
      expect(changes.map((c) => c.type)).toEqual(['opened']);
      expect(changes[0]!.incident.anomalies.map((x) => x.signal).sort()).toEqual(['dl_user_throughput_mbps', 'erab_drop_rate']);
    });

    it('a minor finding, or one beside other evidence, opens at once; weakHoldMinutes and plainWeakHoldMinutes 0 turn the wait off', () => {
      const minor = engine({ grouping: { weakHoldMinutes: 180 } });
      minor.onTransitions([firing(weak({ severity: 'minor' }), at(15))], at(15));
      expect(minor.takeChanges().map((c) => c.type)).toEqual(['opened']);
      const off = engine({ grouping: { weakHoldMinutes: 0, plainWeakHoldMinutes: 0 } });
      off.onTransitions([firing(weak(), at(15))], at(15));
      expect(off.takeChanges().map((c) => c.type)).toEqual(['opened']);
    });

    it.each<{ name: string; signal: string; evidence: Anomaly['evidence']; opensAfter: number }>([
      { name: 'a plain KPI\'s (throughput: no attempts) waits plainWeakHoldMinutes (120) by default', signal: 'dl_user_throughput_mbps', evidence: {}, opensAfter: 120 },
      { name: 'a rate\'s (drop rate with its attempts) opens at once', signal: 'erab_drop_rate', evidence: { attempts: 180 }, opensAfter: 0 },
    ])('by default, a lone warning finding: $name', ({ signal, evidence, opensAfter }) => {
      const e = engine();
      e.onTransitions([firing(weak({ signal, evidence }), at(15))], at(15));
      if (opensAfter > 0) {
        expect(e.takeChanges()).toEqual([]);
        e.advance(at(15 + opensAfter - 1));
        expect(e.takeChanges()).toEqual([]);
        e.advance(at(15 + opensAfter));
      }
      expect(e.takeChanges().map((c) => c.type)).toEqual(['opened']);
    });
  });

  describe('a full cell at its busy hour is capacity, not a fault', () => {
    // RRC setups failing on a cell at congestion-level PRB: the detector's hint says congestion.
    const admission = (p: Partial<Anomaly> & { at?: number } = {}) =>
      anomaly({ cellId: 'S7-1', signal: 'rrc_setup_success_rate', hint: 'congestion', severity: 'warning', ...p });

    it('a lone warning-level setup-rate finding explained by load opens no incident, however long it lasts', () => {
      const e = engine();
      const a = admission();
      e.onTransitions([firing(a, at(15))], at(15));
      e.advance(at(6 * 60));
      expect(e.takeChanges()).toEqual([]);
      expect(e.sizes.heldAnomalies).toBe(1);
      e.onTransitions([resolved(a, at(6 * 60 + 15))], at(6 * 60 + 15));
      e.advance(at(8 * 60));
      expect(e.takeChanges()).toEqual([]);
      expect(e.sizes.heldAnomalies).toBe(0);
    });

    it('the PRB against the cell\'s own profile corroborates it: one congestion incident with both', () => {
      const e = engine();
      e.onTransitions([firing(admission(), at(15))], at(15));
      e.onTransitions([firing(anomaly({ cellId: 'S7-1', signal: 'prb_dl_utilization', hint: 'congestion', severity: 'warning', at: 30 }), at(45))], at(45));
      const changes = e.takeChanges();
      expect(changes.map((c) => c.type)).toEqual(['opened']);
      expect(changes[0]!.incident.rootCause.category).toBe('congestion');
      expect(changes[0]!.incident.anomalies.map((x) => x.signal).sort()).toEqual(['prb_dl_utilization', 'rrc_setup_success_rate']);
    });

    it.each([
      { name: 'a minor one (more failures than load explains)', p: { severity: 'minor' as const } },
      { name: 'one with PRB below congestion level', p: { hint: 'degradation' as const } },
    ])('$name opens at once', ({ p }) => {
      const e = engine();
      e.onTransitions([firing(admission(p), at(15))], at(15));
      expect(e.takeChanges().map((c) => c.type)).toEqual(['opened']);
    });

    it('holdLoadExplained false opens it at once', () => {
      const e = engine({ grouping: { holdLoadExplained: false } });
      e.onTransitions([firing(admission(), at(15))], at(15));
      expect(e.takeChanges().map((c) => c.type)).toEqual(['opened']);
    });
  });

  it('most sectors of a site congested are one site problem; congestion beside an outage is not', () => {
    const e = engine();
    e.onTransitions(cellsOf('S4').map((cellId) => firing(anomaly({ cellId, signal: 'prb_dl_utilization', hint: 'congestion', severity: 'major' }))), at(5));
    expect(roots(e)).toEqual(['site:S4']);
    expect(open(e)[0]!.rootCause.category).toBe('congestion');
  });

  it('a complaint spike opens a coverage incident that later network evidence joins', () => {
    const e = engine();
    e.onTransitions([firing(anomaly({ source: 'complaints', objectType: 'district', objectId: 'D2', signal: 'complaint_spike', hint: 'coverage', severity: 'minor' }))], at(30));
    expect(open(e).map((i) => [i.rootCause.objectType, i.rootCause.category])).toEqual([['district', 'coverage']]);
    const id = open(e)[0]!.id;
    e.takeChanges();
    e.onTransitions([firing(anomaly({ cellId: 'S7-2', signal: 'rrc_setup_success_rate', hint: 'degradation', severity: 'major', at: 20 }))], at(40));
    expect(open(e)).toHaveLength(1);
    expect(open(e)[0]).toMatchObject({ id, rootCause: { objectType: 'cell', objectId: 'S7-2', category: 'degradation' } });
  });

  it('a weak sign beside a complaint cluster joins it as evidence but neither re-roots nor re-explains it', () => {
    const e = engine();
    e.onTransitions([firing(anomaly({ source: 'complaints', objectType: 'district', objectId: 'D2', signal: 'complaint_trickle', hint: 'coverage', severity: 'minor' }))], at(30));
    const id = open(e)[0]!.id;
    e.onTransitions([firing(anomaly({ source: 'signaling', cellId: 'S7-2', signal: 'service_request', hint: 'core', severity: 'warning', at: 20 }))], at(40));
    e.advance(at(60));
    expect(open(e)).toHaveLength(1);
    expect(open(e)[0]).toMatchObject({ id, rootCause: { objectType: 'district', objectId: 'D2', category: 'coverage' } });
    expect(open(e)[0]!.anomalies.map((a) => a.signal).sort()).toEqual(['complaint_trickle', 'service_request']);
  });

  /** A complaint finding (no network signal) on an object, `at` minutes after T0. */
  const complaintsAt = (objectType: 'cell' | 'site' | 'district', objectId: string, at = 0): Anomaly =>
    anomaly({ source: 'complaints', objectType, objectId, signal: 'complaint_trickle', hint: 'coverage', severity: 'minor', at });

  /** Complaints from beyond a site's reach (`complaint_coverage_gap`), `at` minutes after T0. */
  const gapAt = (siteId: string, at = 0): Anomaly =>
    anomaly({ source: 'complaints', objectType: 'site', objectId: siteId, signal: 'complaint_coverage_gap', hint: 'coverage', severity: 'minor', at, evidence: { complaints: 3, lastKm: 1.6 } });

  const clusters: { name: string; batches: Anomaly[][]; roots: string[]; cells?: string[] }[] = [
    {
      name: 'complaints spread over the sectors of a site, none alone, root at its district with the site\'s cells',
      batches: [[complaintsAt('site', 'S2')]], roots: ['district:D1'], cells: cellsOf('S2'),
    },
    { name: 'complaints concentrated on one cell root at the cell', batches: [[complaintsAt('cell', 'S2-3')]], roots: ['cell:S2-3'], cells: ['S2-3'] },
    { name: 'complaints of a whole district root at the district', batches: [[complaintsAt('district', 'D2')]], roots: ['district:D2'], cells: [] },
    {
      name: 'a site\'s complaints join the cluster already open on one of its cells',
      batches: [[complaintsAt('cell', 'S2-3')], [complaintsAt('site', 'S2', 5)]], roots: ['cell:S2-3'], cells: cellsOf('S2'),
    },
    {
      name: 'firm network evidence on one of the cells explains the area cluster and re-roots it there',
      batches: [[complaintsAt('site', 'S2')], [anomaly({ cellId: 'S2-1', signal: 'rrc_setup_success_rate', hint: 'degradation', severity: 'major', at: 10 })]],
      roots: ['cell:S2-1'], cells: cellsOf('S2'),
    },
    {
      name: 'complaints from a coverage gap between two sites (both sites\' gap counts fire) are one incident at the district',
      batches: [[gapAt('S2')], [gapAt('S3', 5)]], roots: ['district:D1'], cells: [...cellsOf('S2'), ...cellsOf('S3')],
    },
    {
      name: 'an outage at another site of the district does not swallow the area cluster',
      batches: [[complaintsAt('site', 'S2')], outages(cellsOf('S4'), 10)], roots: ['district:D1', 'site:S4'],
    },
  ];
  for (const c of clusters) {
    it(c.name, () => {
      const e = engine();
      fire(e, c.batches, 15);
      expect(roots(e)).toEqual(c.roots);
      if (c.cells) expect(open(e)[0]!.cells).toEqual(c.cells);
      if (c.roots[0] === 'district:D1') expect(open(e)[0]!.rootCause.category).toBe('coverage');
    });
  }

  it('a coverage gap\'s incident says where the complaints came from', () => {
    const e = engine();
    e.onTransitions([firing(gapAt('S2'))], at(15));
    expect(open(e)[0]!.rootCause.reasoning!.join(' ')).toContain('complaints from beyond the reach of site S2\'s cells (the latest 1.6 km out), no network signal: a coverage gap in district D1');
  });

  it('an area cluster that resolved and returns within the reopen window reopens', () => {
    const e = engine();
    const first = complaintsAt('site', 'S2');
    e.onTransitions([firing(first)], at(15));
    const id = open(e)[0]!.id;
    e.onTransitions([resolved(first, at(60))], at(60));
    e.advance(at(90));
    expect(open(e)).toEqual([]);
    e.onTransitions([firing(complaintsAt('site', 'S2', 100))], at(100));
    expect(open(e).map((i) => [i.id, i.reopenCount])).toEqual([[id, 1]]);
  });

  it('a complaint spike where an incident is already open joins it as evidence', () => {
    const e = engine();
    e.onTransitions(outages([...cellsOf('S1'), ...cellsOf('S2')]).map((a) => firing(a)), at(5));
    const before = open(e)[0]!;
    const conf = before.confidence;
    e.onTransitions([firing(anomaly({ source: 'complaints', objectType: 'district', objectId: 'D1', signal: 'complaint_spike', hint: 'coverage', severity: 'minor', at: 40 }))], at(45));
    expect(open(e).map((i) => i.id)).toEqual([before.id]);
    expect(open(e)[0]!.confidence).toBeGreaterThan(conf);
  });
});

describe('confidence from independent feeds', () => {
  const cases: { name: string; evidence: Partial<Anomaly>[]; confirmed: boolean }[] = [
    { name: 'a single minor KPI deviation', evidence: [{ signal: 'erab_drop_rate', hint: 'degradation', severity: 'minor' }], confirmed: false },
    { name: 'a single major dial-test failure', evidence: [{ source: 'dialtest', signal: 'voice', hint: 'degradation', severity: 'major' }], confirmed: false },
    { name: 'a lone warning alarm', evidence: [{ source: 'alarm', signal: 'high_temperature', hint: 'unknown', severity: 'warning' }], confirmed: false },
    { name: 'a critical alarm', evidence: [{ source: 'alarm', signal: 'cell_unavailable', severity: 'critical' }], confirmed: true },
    {
      name: 'KPI and dial test agree',
      evidence: [{ signal: 'erab_drop_rate', hint: 'degradation', severity: 'major' }, { source: 'dialtest', signal: 'voice', hint: 'degradation', severity: 'major' }],
      confirmed: true,
    },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.confirmed ? 'confirmed' : 'not confirmed'}`, () => {
      const e = engine();
      e.onTransitions(c.evidence.map((p) => firing(anomaly({ cellId: 'S7-1', ...p }))), at(5));
      // A lone probe failure waits for the region-wide picture before it opens an incident.
      e.advance(at(16));
      const [inc] = open(e);
      expect(inc!.confirmed).toBe(c.confirmed);
    });
  }

  /**
   * One feed alone, judged at `now` minutes: evidence that lasts (≥ 30 min from its start) or that a
   * second signal of the same feed backs up on the same cell weighs more than a short lone blip.
   */
  type Ev = Partial<Anomaly> & { at?: number; endAt?: number };
  const kpi = (signal: string, hint: Anomaly['hint'], severity: Anomaly['severity'], more: Ev = {}): Ev => ({ signal, hint, severity, ...more });
  const probe = (signal: string, more: Ev = {}): Ev => ({ source: 'dialtest', signal: `dialtest.${signal}`, hint: 'degradation', severity: 'major', ...more });
  const prb = kpi('prb_dl_utilization', 'congestion', 'minor');
  const oneFeed: { name: string; evidence: Ev[]; now: number; confirmed: boolean }[] = [
    { name: 'congestion: PRB up and throughput down on one cell for 35 min', evidence: [prb, kpi('dl_user_throughput_mbps', 'congestion', 'warning')], now: 35, confirmed: true },
    { name: 'the same congestion pair only 10 min old', evidence: [prb, kpi('dl_user_throughput_mbps', 'congestion', 'warning')], now: 10, confirmed: false },
    {
      name: 'PRB up for 35 min, throughput down beside it read as degradation',
      evidence: [prb, kpi('dl_user_throughput_mbps', 'degradation', 'warning', { at: 20 })], now: 35, confirmed: true,
    },
    {
      name: 'a minor deviation for 35 min beside another on a different cell',
      evidence: [prb, kpi('dl_user_throughput_mbps', 'congestion', 'warning', { cellId: 'S8-1' })], now: 35, confirmed: false,
    },
    { name: 'a lone minor KPI deviation lasting an hour', evidence: [prb], now: 60, confirmed: false },
    { name: 'a lone warning lasting four hours', evidence: [kpi('erab_drop_rate', 'degradation', 'warning')], now: 240, confirmed: false },
    { name: 'a major KPI deviation that cleared after 10 min', evidence: [kpi('erab_drop_rate', 'degradation', 'major', { endAt: 10 })], now: 40, confirmed: false },
    { name: 'a major KPI deviation going on for 35 min', evidence: [kpi('erab_drop_rate', 'degradation', 'major')], now: 35, confirmed: true },
    {
      name: 'RRC and E-RAB setup success both down on one cell for 2 h (they drift as one)',
      evidence: [kpi('rrc_setup_success_rate', 'degradation', 'warning'), kpi('erab_setup_success_rate', 'degradation', 'minor')], now: 120, confirmed: false,
    },
    {
      name: 'a major drop-rate deviation backed by handover failures on its cell, 20 min old',
      evidence: [kpi('erab_drop_rate', 'interference', 'major'), kpi('handover_success_rate', 'interference', 'warning')], now: 20, confirmed: true,
    },
    {
      name: 'a major radio-failure count beside the drop-rate finding it sums, 20 min old (the same counters)',
      evidence: [kpi('radio_failures', 'interference', 'major'), kpi('erab_drop_rate', 'interference', 'warning')], now: 20, confirmed: false,
    },
    {
      name: 'a major radio-failure count no noise explains (score 93), 15 min old',
      evidence: [kpi('radio_failures', 'interference', 'major', { score: 93 })], now: 15, confirmed: true,
    },
    { name: 'a major KPI deviation scoring 12, 15 min old', evidence: [kpi('erab_drop_rate', 'degradation', 'major', { score: 12 })], now: 15, confirmed: false },
    {
      name: 'a minor signaling finding scoring 25, 15 min old (one step graver is major)',
      evidence: [{ source: 'signaling', signal: 'attach', hint: 'degradation', severity: 'minor', score: 25 }], now: 15, confirmed: false,
    },
    { name: 'a major probe failure going on for 35 min', evidence: [probe('voice')], now: 35, confirmed: true },
    { name: 'two probe services failing at one cell at once', evidence: [probe('voice'), probe('ping', { at: 2 })], now: 16, confirmed: true },
    { name: 'two probe services failing at one cell hours apart', evidence: [probe('voice', { endAt: 5 }), probe('ping', { at: 120 })], now: 130, confirmed: false },
  ];
  for (const c of oneFeed) {
    it(`one feed: ${c.name} → ${c.confirmed ? 'confirmed' : 'not confirmed'}`, () => {
      const e = engine();
      const made = c.evidence.map(({ endAt, ...p }) => ({ a: anomaly({ cellId: 'S7-1', ...p }), endAt }));
      // Event time moves on minute by minute, as batches arrive: firings and clears at their time.
      for (let m = 0; m <= c.now; m++) {
        const tr = made.flatMap(({ a, endAt }) => [
          ...(a.startedAt === at(m) ? [firing(a)] : []),
          ...(endAt === m ? [resolved(a, at(m))] : []),
        ]);
        if (tr.length > 0) e.onTransitions(tr, at(m));
        e.advance(at(m));
      }
      const inc = [...e.live()].find((i) => i.rootCause.objectId === 'S7-1');
      expect(inc?.confirmed).toBe(c.confirmed);
    });
  }

  it('a finding no noise explains confirms at once, and says so; certainScore 0 waits for it to last', () => {
    const run = (config: Record<string, unknown>) => {
      const e = engine(config);
      e.onTransitions([firing(anomaly({ cellId: 'S7-1', signal: 'radio_failures', hint: 'interference', severity: 'major', score: 40, startedAt: at(0) }))], at(0));
      e.advance(at(1));
      return [...e.live()].find((i) => i.rootCause.objectId === 'S7-1')!;
    };
    const inc = run({});
    expect(inc.confirmed).toBe(true);
    expect(inc.rootCause.reasoning!.join(' ')).toMatch(/1 beyond any noise \(score 20 or more\)/);
    expect(run({ confidence: { certainScore: 0 } }).confirmed).toBe(false);
  });

  it('a finding that grows graver while it fires (firing → firing) is weighed anew: sustained and now major, it confirms', () => {
    const e = engine();
    const a = anomaly({ cellId: 'S7-1', signal: 'radio_failures', hint: 'interference', severity: 'minor', startedAt: at(0) });
    e.onTransitions([firing(a)], at(0));
    e.advance(at(40));
    const inc = () => [...e.live()].find((i) => i.rootCause.objectId === 'S7-1');
    expect(inc()?.confirmed).toBe(false);
    e.onTransitions([{ from: 'firing', to: 'firing', at: at(45), anomaly: { ...a, severity: 'major', score: 12 } }], at(45));
    e.advance(at(45));
    expect(inc()?.confirmed).toBe(true);
    expect(inc()?.anomalies.map((x) => x.severity)).toEqual(['major']);
  });

  it('time alone confirms a sustained finding, reported once as an update; a restart does not repeat it', () => {
    const e = engine();
    e.onTransitions([firing(anomaly({ source: 'dialtest', cellId: 'S7-1', signal: 'dialtest.voice', hint: 'degradation', severity: 'major' }))], at(0));
    e.advance(at(12));
    const opened = e.takeChanges();
    expect(opened.map((c) => [c.type, c.incident.confirmed])).toEqual([['opened', false]]);
    e.advance(at(29));
    expect(e.takeChanges()).toEqual([]);
    e.advance(at(30));
    const later = e.takeChanges();
    expect(later.map((c) => [c.type, c.incident.confirmed])).toEqual([['updated', true]]);
    expect(later[0]!.incident.rootCause.reasoning!.join(' ')).toMatch(/sustained 30 min/);
    e.advance(at(45));
    expect(e.takeChanges()).toEqual([]);
    // Restored from what was stored, the engine finds nothing new to say at the same or a later time.
    const e2 = engine();
    e2.restore([later[0]!.incident]);
    e2.advance(at(60));
    expect(e2.takeChanges()).toEqual([]);
  });

  it('rises as more feeds agree', () => {
    const e = engine();
    const seen: number[] = [];
    const feeds: Partial<Anomaly>[] = [
      { signal: 'erab_drop_rate', hint: 'degradation', severity: 'minor' },
      { source: 'dialtest', signal: 'voice', hint: 'degradation', severity: 'minor' },
      { source: 'signaling', signal: 'volte_call_drop', hint: 'degradation', severity: 'minor' },
      { source: 'alarm', signal: 'vswr', hint: 'degradation', severity: 'minor' },
    ];
    feeds.forEach((p, i) => {
      e.onTransitions([firing(anomaly({ cellId: 'S7-1', at: i, ...p }))], at(5 + i));
      seen.push(open(e)[0]!.confidence);
    });
    expect(open(e)).toHaveLength(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]!);
    expect(open(e)[0]!.feeds).toHaveLength(4);
  });
});
