import { describe, expect, it } from 'vitest';
import type { Complaint, ComplaintLink, Incident } from '../../src/model/index.js';
import { MINUTE } from '../../src/model/index.js';
import { scoreLink, type ComplaintPlace, type LinkTarget } from '../../src/incidents/complaint-linking.js';
import { linkingConfigSchema } from '../../src/incidents/config.js';
import { T0, anomaly, cellsOf, complaint, engine, firing, resolved, siteLatLon } from './fixtures.js';

const at = (m: number) => T0 + m * MINUTE;

/**
 * Three open incidents from minute 0: a transport outage behind TR-1 (sites S1–S3, district D1),
 * interference on cell S7-1 and congestion on cell S8-2 (district D2).
 */
function scene() {
  const e = engine();
  const interference = anomaly({ cellId: 'S7-1', signal: 'erab_drop_rate', hint: 'interference', severity: 'major' });
  e.onTransitions([
    ...[...cellsOf('S1'), ...cellsOf('S2'), ...cellsOf('S3')].map((cellId) => firing(anomaly({ cellId }))),
    firing(interference),
    firing(anomaly({ cellId: 'S8-2', signal: 'prb_dl_utilization', hint: 'congestion', severity: 'major' })),
  ], at(5));
  e.takeChanges();
  const byRoot = (id: string): Incident => [...e.live()].find((i) => i.rootCause.objectId === id)!;
  return { e, byRoot, interference };
}

describe('linking complaints to incidents', () => {
  const near = (site: string, dLat = 0.0005) => ({ lat: siteLatLon(site).lat + dLat, lon: siteLatLon(site).lon });
  const cases: { name: string; c: Omit<Parameters<typeof complaint>[0], 'id'>; to: string | null; reason?: RegExp }[] = [
    { name: 'by cell id, inside the outage', c: { at: 30, location: { cellId: 'S2-3' }, category: 'no_data' }, to: 'TR-1', reason: /at S2-3, a cell of the incident/ },
    { name: 'by lat/lon next to an affected site', c: { at: 45, location: near('S3'), category: 'no_coverage' }, to: 'TR-1', reason: /km from S3-\d/ },
    { name: 'by lat/lon next to a healthy site', c: { at: 45, location: near('S5'), category: 'no_coverage' }, to: null },
    { name: 'by district, most of which is down', c: { at: 50, location: { district: 'D1' }, category: 'no_data' }, to: 'TR-1', reason: /covers 60% of D1/ },
    { name: 'by district, with nothing fitting there', c: { at: 50, location: { district: 'D2' }, category: 'other' }, to: null },
    { name: 'wrong time: long before the problem began', c: { at: -90, location: { cellId: 'S2-3' }, category: 'no_data' }, to: null },
    { name: 'wrong category: no coverage at a congested cell', c: { at: 30, location: { cellId: 'S8-2' }, category: 'no_coverage' }, to: null },
    { name: 'right category: slow data at a congested cell', c: { at: 30, location: { cellId: 'S8-2' }, category: 'slow_data' }, to: 'S8-2', reason: /slow_data fits a congestion problem/ },
    { name: 'right category: call drops at an interfered cell', c: { at: 30, location: { cellId: 'S7-1' }, category: 'call_drop' }, to: 'S7-1' },
    { name: 'a cell with no problem', c: { at: 30, location: { cellId: 'S9-2' }, category: 'call_drop' }, to: null },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.to ?? 'unlinked'}`, () => {
      const { e, byRoot } = scene();
      const link = e.onComplaint(complaint(c.c), at(c.c.at));
      if (c.to === null) {
        expect(link).toBeNull();
        return;
      }
      expect(link?.incidentId).toBe(byRoot(c.to).id);
      expect(link!.confidence).toBeGreaterThan(0);
      expect(link!.confidence).toBeLessThanOrEqual(1);
      if (c.reason) expect(link!.reason).toMatch(c.reason);
      expect(byRoot(c.to).complaintIds).toContain(link!.complaintId);
      const changes = e.takeChanges();
      expect(changes.map((x) => [x.type, x.incident.id])).toEqual([['updated', byRoot(c.to).id]]);
      expect(changes[0]!.linkedComplaints).toEqual([link]);
    });
  }

  it('a district-only complaint too vague for the one-cell incidents there stays unlinked, naming the nearest explanation', () => {
    const { e, byRoot } = scene();
    const vague = complaint({ at: 30, location: { district: 'D2' }, category: 'no_data' });
    expect(e.onComplaint(vague, at(30))).toBeNull();
    expect([byRoot('S7-1').id, byRoot('S8-2').id]).toContain(e.nearIncident(vague.complaintId));
    // One from before any problem there began has none.
    const early = complaint({ at: -90, location: { district: 'D2' }, category: 'no_data' });
    expect(e.onComplaint(early, at(31))).toBeNull();
    expect(e.nearIncident(early.complaintId)).toBeNull();
  });

  it('links to a just-resolved incident, not to one resolved long ago', () => {
    const { e, byRoot, interference } = scene();
    e.onTransitions([resolved(interference, at(60))], at(60));
    e.advance(at(80));
    expect(byRoot('S7-1').state).toBe('resolved');
    const soon = e.onComplaint(complaint({ at: 100, location: { cellId: 'S7-1' }, category: 'call_drop' }), at(100));
    expect(soon?.incidentId).toBe(byRoot('S7-1').id);
    expect(soon!.reason).toMatch(/after the problem was resolved/);
    const late = e.onComplaint(complaint({ at: 60 + 300, location: { cellId: 'S7-1' }, category: 'call_drop' }), at(360));
    expect(late).toBeNull();
  });

  it('links complaints received while it was resolved (too late for it then) once it reopens', () => {
    const e = engine({ lifecycle: { resolveHoldMinutes: 10, reopenWindowMinutes: 600 } });
    const a = anomaly({ cellId: 'S9-1', at: 0, signal: 'prb_dl_utilization', hint: 'congestion', severity: 'major' });
    e.onTransitions([firing(a)], at(1));
    e.onTransitions([resolved(a, at(30))], at(30));
    e.advance(at(45));
    const first = e.takeChanges().at(-1)!.incident;
    expect(first.state).toBe('resolved');
    // Hours after it resolved: too late to link to it; kept aside.
    const between = complaint({ at: 330, location: { cellId: 'S9-1' }, category: 'slow_data' });
    expect(e.onComplaint(between, at(330))).toBeNull();
    // The congestion is back 20 minutes later: the incident reopens and takes the complaint.
    e.onTransitions([firing(anomaly({ cellId: 'S9-1', at: 340, signal: 'rrc_setup_attempts', hint: 'congestion', severity: 'major' }))], at(350));
    const changes = e.takeChanges();
    expect(changes[0]).toMatchObject({ type: 'reopened', incident: { id: first.id } });
    expect(changes.flatMap((c) => c.linkedComplaints ?? []).map((l) => l.complaintId)).toEqual([between.complaintId]);
  });

  it('links complaints received before the incident was detected once it opens', () => {
    const e = engine();
    const early = complaint({ at: 10, location: { cellId: 'S9-1' }, category: 'no_data' });
    expect(e.onComplaint(early, at(10))).toBeNull();
    e.onTransitions([firing(anomaly({ cellId: 'S9-1', at: 5 }))], at(20));
    const [opened] = e.takeChanges();
    expect(opened!.type).toBe('opened');
    expect(opened!.linkedComplaints?.map((l) => l.complaintId)).toEqual([early.complaintId]);
    expect(opened!.incident.complaintIds).toEqual([early.complaintId]);
  });

  it('a complaint spike becomes a coverage incident holding the complaints that made it', () => {
    const e = engine();
    const cs: Complaint[] = [5, 10, 15].map((m) => complaint({ at: m, location: { district: 'D2' }, category: 'no_coverage' }));
    for (const c of cs) expect(e.onComplaint(c, c.receivedAt)).toBeNull();
    e.onTransitions([firing(anomaly({ source: 'complaints', objectType: 'district', objectId: 'D2', signal: 'complaint_spike', hint: 'coverage', severity: 'minor', at: 0 }))], at(20));
    const [opened] = e.takeChanges();
    expect(opened!.incident.rootCause).toMatchObject({ objectType: 'district', objectId: 'D2', category: 'coverage' });
    expect(opened!.incident.complaintIds.sort()).toEqual(cs.map((c) => c.complaintId).sort());
  });

  it('a complaint is linked once even if it comes again', () => {
    const { e } = scene();
    const c = complaint({ at: 30, location: { cellId: 'S2-3' } });
    const first = e.onComplaint(c, at(30));
    e.takeChanges();
    expect(e.onComplaint(c, at(31))).toEqual(first);
    expect(e.takeChanges()).toEqual([]);
  });

  it('re-triages when complaints join: a VIP complaint raises the score', () => {
    const { e, byRoot } = scene();
    const before = byRoot('S7-1').triage.score;
    e.onComplaint(complaint({ at: 30, location: { cellId: 'S7-1' }, category: 'call_drop', cls: 'vip_diamond' }), at(30));
    const [change] = e.takeChanges();
    expect(change!.incident.triage.score).toBeGreaterThan(before);
    expect(change!.incident.triage.reasons.join(' ')).toMatch(/1 VIP diamond/);
  });

  it('gives an unlinked complaint its own triage, and a linked one its incident\'s', () => {
    const { e, byRoot } = scene();
    const lone = complaint({ at: 30, location: { cellId: 'S9-2' }, category: 'weak_signal', cls: 'vip_gold' });
    const tLone = e.complaintTriage(lone, e.onComplaint(lone, at(30)), at(30));
    expect(tLone!.reasons.join(' ')).toMatch(/VIP gold/);
    expect(tLone!.reasons.join(' ')).toMatch(/area: campus/);
    const linked = complaint({ at: 31, location: { cellId: 'S2-1' } });
    const link = e.onComplaint(linked, at(31));
    expect(e.complaintTriage(linked, link, at(31))).toEqual(byRoot('TR-1').triage);
  });
});

describe('the area excess and categories that hardly fit', () => {
  const cfg = linkingConfigSchema.parse({});
  const core: LinkTarget = {
    id: 'INC-core', rootType: 'core', rootId: 'MME-01', category: 'core', region: 'R1', openedAt: at(0), resolvedAt: null,
    covers: () => true, districtShare: () => 1,
  };
  const place: ComplaintPlace = { how: 'district', cells: [], district: 'D1', region: 'R1', radiusKm: null };
  const score = (category: Complaint['category'], region: number) =>
    scoreLink(complaint({ id: 'c', at: 30, location: { district: 'D1' }, category }), place, core, { district: 0, region, explained: 1 }, cfg).score;

  it.each<{ category: Complaint['category']; links: boolean }>([
    { category: 'no_data', links: true },
    { category: 'call_failure', links: true },
    { category: 'other', links: true },
    // A core failure leaves the radio up: "no signal at all" is about coverage, however loudly the region complains.
    { category: 'no_coverage', links: false },
    { category: 'weak_signal', links: false },
  ])('a region complaining far above its usual rate about a core failure: $category links: $links', ({ category, links }) => {
    expect(score(category, 1) >= cfg.minScore).toBe(links);
    // The excess lifts the category fit only of categories that fit at least somewhat (the place fit,
    // 0.9 here, rises with it for all).
    const raw = cfg.categoryFit[category].core;
    if (links) expect(score(category, 1)).toBeCloseTo(0.9 * (raw + (1 - raw) * 0.8), 3);
    else expect(score(category, 1)).toBeCloseTo(0.9 * raw, 3);
  });
});

describe('a district complaining about what no incident explains', () => {
  const cfg = linkingConfigSchema.parse({});
  // One cell of a forty-cell district is down.
  const cell: LinkTarget = {
    id: 'INC-cell', rootType: 'cell', rootId: 'S1-1', category: 'interference', region: 'R1', openedAt: at(0), resolvedAt: null,
    covers: (c) => c === 'S1-1', districtShare: () => 1 / 40,
  };
  const place: ComplaintPlace = { how: 'district', cells: [], district: 'D1', region: 'R1', radiusKm: null };
  const score = (explained: number) =>
    scoreLink(complaint({ id: 'c', at: 30, location: { district: 'D1' }, category: 'no_coverage' }), place, cell, { district: 0.8, region: 0, explained }, cfg).score;

  it('a district-only complaint links to the one-cell incident when the incidents explain the district\'s excess', () => {
    expect(score(1)).toBeGreaterThanOrEqual(cfg.minScore);
  });

  it('…and stays unlinked when the district\'s placed complaints are mostly unexplained (another problem there)', () => {
    expect(score(0.3)).toBeLessThan(cfg.minScore);
  });
});

describe('the district excess lifts an incident only as far as it explains the district\'s complaints', () => {
  /** Interference on S7-1 (one cell of D2's ten); a burst of placed complaints at `burstAt`; then one naming only D2. */
  function districtOnlyAfterBurst(burstAt: string): ComplaintLink | null {
    const e = engine({ linking: { rateWarmupHours: 0 } });
    e.onComplaint(complaint({ at: -600, location: { cellId: 'S9-3' }, category: 'other' }), at(-600));
    e.onTransitions([firing(anomaly({ cellId: 'S7-1', signal: 'erab_drop_rate', hint: 'interference', severity: 'major', at: 0 }))], at(0));
    for (let m = 1; m <= 8; m++) e.onComplaint(complaint({ at: m * 3, location: { cellId: burstAt }, category: 'call_drop' }), at(m * 3));
    return e.onComplaint(complaint({ at: 30, location: { district: 'D2' }, category: 'no_coverage' }), at(30));
  }

  it('the burst is at the incident\'s cell: a complaint naming only the district links to it', () => {
    expect(districtOnlyAfterBurst('S7-1')?.reason).toMatch(/D2 complains \d+% above its usual rate/);
  });

  it('the burst is elsewhere in the district, where no incident explains it: the complaint stays unlinked', () => {
    expect(districtOnlyAfterBurst('S8-2')).toBeNull();
  });
});

describe('after a restart the complaint desk remembers the complaints it handled', () => {
  /**
   * A day of background complaints in D2 (one an hour, all from one returning customer at S9-3), then
   * interference on S7-1 and a burst of complaints there; the process restarts — the new engine gets
   * the stored incidents and the stored complaints with their links — and a complaint naming only D2,
   * and one from the returning customer, arrive.
   */
  function scenario(recall: boolean) {
    const before = engine();
    const handled: { complaint: Complaint; link: ComplaintLink | null }[] = [];
    const send = (c: Complaint) => handled.push({ complaint: c, link: before.onComplaint(c, c.receivedAt) });
    for (let m = -1440; m < 0; m += 60) send(complaint({ at: m, location: { cellId: 'S9-3' }, category: 'other', customer: 'returning' }));
    before.onTransitions([firing(anomaly({ cellId: 'S7-1', signal: 'erab_drop_rate', hint: 'interference', severity: 'major', at: 0 }))], at(0));
    for (let m = 1; m <= 8; m++) send(complaint({ at: m * 3, location: { cellId: 'S7-1' }, category: 'call_drop' }));
    before.takeChanges();

    const after = engine();
    after.restore([...before.live()].map((i) => structuredClone(i)));
    if (recall) expect(after.recallComplaints(handled, at(25))).toBe(handled.length);
    const results = [before, after].map((e) => {
      const district = complaint({ id: `D-${e === before ? 'b' : 'a'}`, at: 30, location: { district: 'D2' }, category: 'no_coverage' });
      const repeat = complaint({ id: `R-${e === before ? 'b' : 'a'}`, at: 31, location: { cellId: 'S9-3' }, category: 'other', customer: 'returning' });
      const link = e.onComplaint(district, district.receivedAt);
      const repeatLink = e.onComplaint(repeat, repeat.receivedAt);
      return { link: link?.incidentId ?? null, repeatTriage: e.complaintTriage(repeat, repeatLink, repeat.receivedAt) };
    });
    return { before: results[0]!, after: results[1]! };
  }

  it('links a complaint naming only the district as it would have without the restart, and still knows the returning customer', () => {
    const { before, after } = scenario(true);
    expect(before.link).not.toBeNull();
    expect(after.link).toBe(before.link);
    expect(before.repeatTriage?.reasons.join(' ')).toMatch(/repeat/i);
    expect(after.repeatTriage).toEqual(before.repeatTriage);
  });

  it('(without the recall the district rates restart cold: the complaint stays unlinked and feeds the spike detector)', () => {
    const { before, after } = scenario(false);
    expect(before.link).not.toBeNull();
    expect(after.link).toBeNull();
  });
});
