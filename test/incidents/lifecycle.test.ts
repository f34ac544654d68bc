import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/model/index.js';
import { HOUR, MINUTE } from '../../src/model/index.js';
import { T0, anomaly, cellsOf, complaint, engine, firing, resolved } from './fixtures.js';

const at = (m: number) => T0 + m * MINUTE;
const types = (e: ReturnType<typeof engine>) => e.takeChanges().map((c) => `${c.type}:${c.incident.state}`);

describe('resolve with hysteresis, reopen instead of duplicating', () => {
  it('resolves only after every anomaly has stayed resolved for the hold time', () => {
    const e = engine({ lifecycle: { resolveHoldMinutes: 15 } });
    const a = anomaly({ cellId: 'S7-1' });
    const b = anomaly({ cellId: 'S7-1', signal: 'rrc_setup_success_rate', at: 1 });
    e.onTransitions([firing(a), firing(b)], at(2));
    e.takeChanges();
    e.onTransitions([resolved(a, at(30))], at(30));
    e.advance(at(60));
    expect(types(e)).toEqual(['updated:open']);
    e.onTransitions([resolved(b, at(61))], at(61));
    e.advance(at(75));
    expect(types(e)).toEqual(['updated:open']);
    e.advance(at(76));
    const changes = e.takeChanges();
    expect(changes.map((c) => c.type)).toEqual(['resolved']);
    expect(changes[0]!.incident).toMatchObject({ state: 'resolved', resolvedAt: at(61) });
  });

  // Clears get lost (a tenth of them in real networks): once the measurements say the service is
  // back, an alarm raised before that and never cleared does not hold the incident open.
  it.each<{ name: string; alarmAt: number; withPm: boolean; alarmResolvedAt: number | null; resolvedAt: number | null }>([
    { name: 'PM recovered at 30, the alarm (raised at 1) never cleared: resolves from 30', alarmAt: 1, withPm: true, alarmResolvedAt: null, resolvedAt: 30 },
    { name: 'an incident known only from its alarm waits for the clear', alarmAt: 1, withPm: false, alarmResolvedAt: 70, resolvedAt: 70 },
    { name: 'an alarm raised after the recovery holds it', alarmAt: 40, withPm: true, alarmResolvedAt: null, resolvedAt: null },
  ])('$name', ({ alarmAt, withPm, alarmResolvedAt, resolvedAt }) => {
    const e = engine({ lifecycle: { resolveHoldMinutes: 15 } });
    const pm = anomaly({ cellId: 'S7-1' });
    const alarm = anomaly({ cellId: 'S7-1', source: 'alarm', signal: 'cell_unavailable', at: alarmAt, severity: 'critical' });
    if (withPm) e.onTransitions([firing(pm)], at(0));
    e.onTransitions([firing(alarm)], at(alarmAt));
    if (withPm) e.onTransitions([resolved(pm, at(30))], at(30));
    if (alarmResolvedAt !== null) e.onTransitions([resolved(alarm, at(alarmResolvedAt))], at(alarmResolvedAt));
    e.advance(at(200));
    const res = e.takeChanges().filter((c) => c.type === 'resolved');
    expect(res.map((c) => c.incident.resolvedAt)).toEqual(resolvedAt === null ? [] : [at(resolvedAt)]);
  });

  it('a wobble inside the hold time neither resolves nor opens a second incident', () => {
    const e = engine();
    const a = anomaly({ cellId: 'S7-1' });
    e.onTransitions([firing(a)], at(1));
    e.takeChanges();
    e.onTransitions([resolved(a, at(20))], at(20));
    e.advance(at(30));
    const again = anomaly({ cellId: 'S7-1', at: 31 });
    e.onTransitions([firing(again)], at(31));
    e.advance(at(60));
    expect(types(e)).toEqual(['updated:open']);
    expect([...e.live()]).toHaveLength(1);
  });

  const congestion = { signal: 'prb_dl_utilization', hint: 'congestion', severity: 'major' } as const;
  const demand = { signal: 'rrc_setup_attempts', hint: 'congestion', severity: 'major' } as const;
  const reopenCases = [
    { name: 'the same problem back within the window reopens it', back: 60, reopened: true },
    { name: 'a problem back after the window is a new incident', back: 60 * 5, reopened: false },
    { name: 'a cell congested again at the evening busy hour, 5 h after a morning spell, is the same congestion', back: 60 * 5, reopened: true, first: congestion, again: demand },
    { name: 'congested again the next day is a new incident', back: 60 * 14, reopened: false, first: congestion, again: demand },
  ];
  for (const c of reopenCases) {
    it(c.name, () => {
      const e = engine({ lifecycle: { resolveHoldMinutes: 10, reopenWindowMinutes: 120 } });
      const a = anomaly({ cellId: 'S7-1', ...c.first });
      e.onTransitions([firing(a)], at(1));
      e.onTransitions([resolved(a, at(30))], at(30));
      e.advance(at(45));
      const first = e.takeChanges().at(-1)!.incident;
      expect(first.state).toBe('resolved');
      e.advance(at(30 + c.back));
      e.takeChanges();
      e.onTransitions([firing(anomaly({ cellId: 'S7-1', at: 30 + c.back, ...c.again }))], at(30 + c.back));
      const changes = e.takeChanges();
      if (c.reopened) {
        expect(changes.map((x) => [x.type, x.incident.id])).toEqual([['reopened', first.id]]);
        expect(changes[0]!.incident).toMatchObject({ state: 'open', resolvedAt: null, reopenCount: 1 });
      } else {
        expect(changes.map((x) => x.type)).toEqual(['opened']);
        expect(changes[0]!.incident.id).not.toBe(first.id);
      }
    });
  }

  it('a different problem on the same cell after resolution opens its own incident', () => {
    const e = engine({ lifecycle: { resolveHoldMinutes: 10 } });
    const a = anomaly({ cellId: 'S7-1' });
    e.onTransitions([firing(a)], at(1));
    e.onTransitions([resolved(a, at(30))], at(30));
    e.advance(at(45));
    e.takeChanges();
    e.onTransitions([firing(anomaly({ cellId: 'S7-1', signal: 'prb_dl_utilization', hint: 'congestion', severity: 'major', at: 60 }))], at(60));
    expect(e.takeChanges().map((x) => x.type)).toEqual(['opened']);
  });

  it('an incident opened and resolved within one batch reports both, each with its own state', () => {
    const e = engine({ lifecycle: { resolveHoldMinutes: 0 } });
    const a = anomaly({ cellId: 'S7-1' });
    e.onTransitions([firing(a), resolved(a, at(3))], at(3));
    e.advance(at(3));
    const changes = e.takeChanges();
    expect(changes.map((c) => `${c.type}:${c.incident.state}:v${c.incident.version}`)).toEqual(['opened:open:v1', 'resolved:resolved:v2']);
  });

  it('a known anomaly going from firing to resolving with the same reading is not an update', () => {
    const e = engine();
    const a = anomaly({ cellId: 'S7-1' });
    e.onTransitions([firing(a)], at(1));
    e.takeChanges();
    e.onTransitions([{ from: 'firing', to: 'resolving', at: at(20), anomaly: { ...a, state: 'resolving' } }], at(20));
    expect(e.takeChanges()).toEqual([]);
    e.onTransitions([{ from: 'resolving', to: 'firing', at: at(25), anomaly: { ...a, state: 'firing', score: 12 } }], at(25));
    expect(e.takeChanges().map((c) => [c.type, c.incident.anomalies[0]!.score])).toEqual([['updated', 12]]);
  });

  it('an alarm left active in a resolved incident neither reopens it when it clears nor when it fires again beside a newer incident', () => {
    const e = engine({ lifecycle: { resolveHoldMinutes: 10, reopenWindowMinutes: 60 } });
    const pm = anomaly({ cellId: 'S7-1', at: 0 });
    const alarm = anomaly({ cellId: 'S7-1', at: 1, source: 'alarm', signal: 'cell_unavailable' });
    e.onTransitions([firing(pm), firing(alarm)], at(1));
    // The measurements recover; the alarm's clear never came: the incident resolves all the same.
    e.onTransitions([resolved(pm, at(30))], at(30));
    e.advance(at(45));
    const first = e.takeChanges().at(-1)!.incident;
    expect(first.state).toBe('resolved');
    // Hours later the cell fails again, beyond the reopen window: a new incident.
    const again = anomaly({ cellId: 'S7-1', at: 300, signal: 'rrc_setup_success_rate', hint: 'degradation', severity: 'major' });
    e.onTransitions([firing(again)], at(300));
    const second = e.takeChanges()[0]!.incident;
    expect(second.id).not.toBe(first.id);
    // The old alarm clears: no news for the resolved incident.
    e.onTransitions([{ from: 'firing', to: 'resolving', at: at(310), anomaly: { ...alarm, state: 'resolving' } }], at(310));
    expect(e.takeChanges()).toEqual([]);
    // It is raised again while the new incident is open: it is evidence of that one.
    e.onTransitions([{ from: 'resolving', to: 'firing', at: at(320), anomaly: { ...alarm, state: 'firing' } }], at(320));
    const changes = e.takeChanges();
    expect(changes.map((c) => [c.type, c.incident.id])).toEqual([['updated', second.id]]);
    expect(changes[0]!.incident.anomalies.map((x) => x.id)).toContain(alarm.id);
    expect(e.get(first.id)?.state).toBe('resolved');
    // Its final clear resolves it under the new incident.
    e.onTransitions([resolved(alarm, at(350)), resolved(again, at(350))], at(350));
    e.advance(at(365));
    expect(e.takeChanges().map((c) => [c.type, c.incident.id])).toEqual([['updated', second.id], ['resolved', second.id]]);
  });

  it('a core incident resolves when its procedures recover, though a cell\'s setup-rate finding from before still lingers', () => {
    const e = engine({ lifecycle: { resolveHoldMinutes: 15 } });
    const failing = [...cellsOf('S1'), ...cellsOf('S4'), 'S7-1', 'S8-1'].map((cellId) =>
      anomaly({ source: 'signaling', cellId, signal: 'attach', hint: 'core', severity: 'major', at: 1 }));
    e.onTransitions(failing.map((a) => firing(a)), at(5));
    e.advance(at(22));
    // A slow block's setup-rate finding on one cell, part of the core incident, clears a block later.
    const setup = anomaly({ source: 'pm', cellId: 'S9-3', signal: 'erab_setup_success_rate', hint: 'degradation', severity: 'warning', at: 0 });
    e.onTransitions([firing(setup, at(30))], at(30));
    e.onTransitions(failing.map((a) => resolved(a, at(60))), at(60));
    e.advance(at(80));
    const core = [...e.live()].find((i) => i.rootCause.objectType === 'region')!;
    expect(core.anomalies.some((a) => a.id === setup.id)).toBe(true);
    expect([core.state, core.resolvedAt]).toEqual(['resolved', at(60)]);
    // Its clearing later is no news; the incident stays resolved.
    e.takeChanges();
    e.onTransitions([resolved(setup, at(150))], at(150));
    e.advance(at(170));
    expect(e.get(core.id)?.state).toBe('resolved');
  });

  it('evidence that began while a resolved incident was open, placed only later, reopens it rather than opening a second one', () => {
    const e = engine({ lifecycle: { resolveHoldMinutes: 15, reopenWindowMinutes: 60 } });
    const pm = anomaly({ cellId: 'S7-1', at: 0 });
    e.onTransitions([firing(pm)], at(1));
    e.onTransitions([resolved(pm, at(90))], at(90));
    e.advance(at(110));
    const first = e.takeChanges().at(-1)!.incident;
    expect(first.state).toBe('resolved');
    // Two hours after it resolved (beyond the reopen window), a finding on the same cell that began
    // during it arrives (a restart handed it over again; it was held; a slow block found it late).
    const late = anomaly({ cellId: 'S7-1', at: 30, source: 'missing_data', signal: 'no_data', hint: 'outage' });
    e.onTransitions([firing(late, at(220))], at(220));
    expect(e.takeChanges().map((c) => [c.type, c.incident.id])).toEqual([['reopened', first.id]]);
    // One that began after it resolved, of another kind, is a problem of its own.
    const e2 = engine({ lifecycle: { resolveHoldMinutes: 15, reopenWindowMinutes: 60 } });
    e2.onTransitions([firing(pm)], at(1));
    e2.onTransitions([resolved(pm, at(90))], at(90));
    e2.advance(at(110));
    e2.takeChanges();
    e2.onTransitions([firing(anomaly({ cellId: 'S7-1', at: 200, signal: 'erab_drop_rate', hint: 'interference', severity: 'major' }), at(220))], at(220));
    expect(e2.takeChanges().map((c) => c.type)).toEqual(['opened']);
  });

  it('forgets resolved incidents once they can no longer reopen or take complaints', () => {
    const e = engine({ lifecycle: { resolveHoldMinutes: 10, reopenWindowMinutes: 60 } });
    const a = anomaly({ cellId: 'S7-1' });
    e.onTransitions([firing(a)], at(1));
    e.onTransitions([resolved(a, at(30))], at(30));
    e.advance(at(45));
    expect(e.sizes.live).toBe(1);
    e.advance(at(30) + 5 * HOUR);
    expect(e.sizes.live).toBe(0);
  });
});

describe('restore after a restart', () => {
  /** Runs a first engine, keeps the last snapshot of each incident as the store would. */
  function stored(run: (e: ReturnType<typeof engine>) => void): Incident[] {
    const e = engine();
    run(e);
    const byId = new Map<string, Incident>();
    for (const c of e.takeChanges()) byId.set(c.incident.id, c.incident);
    return [...byId.values()];
  }

  it('fresh anomalies on the same cells join the stored open incident', () => {
    const docs = stored((e) => e.onTransitions(cellsOf('S1').map((cellId) => firing(anomaly({ cellId }))), at(5)));
    expect(docs).toHaveLength(1);
    const e2 = engine();
    e2.restore(docs);
    e2.onTransitions([firing(anomaly({ cellId: 'S1-2', source: 'dialtest', signal: 'voice', at: 20 }))], at(20));
    const changes = e2.takeChanges();
    expect(changes.map((c) => [c.type, c.incident.id])).toEqual([['updated', docs[0]!.id]]);
    expect(changes[0]!.incident.version).toBe(docs[0]!.version + 1);
    expect(changes[0]!.incident.feeds).toEqual(expect.arrayContaining(['pm', 'dialtest']));
  });

  it('restored evidence resolves when the detector resolves it, and the incident then resolves', () => {
    const first = anomaly({ cellId: 'S7-1' });
    const docs = stored((e) => e.onTransitions([firing(first)], at(5)));
    const e2 = engine({ lifecycle: { resolveHoldMinutes: 10 } });
    e2.restore(docs);
    e2.onTransitions([resolved(first, at(40))], at(40));
    e2.advance(at(55));
    expect(e2.takeChanges().map((c) => c.type)).toEqual(['updated', 'resolved']);
  });

  it('a complaint after the restart links to the restored incident', () => {
    const docs = stored((e) => e.onTransitions(cellsOf('S4').map((cellId) => firing(anomaly({ cellId }))), at(5)));
    const e2 = engine();
    e2.restore(docs);
    const link = e2.onComplaint(complaint({ at: 30, location: { cellId: 'S4-2' } }), at(30));
    expect(link?.incidentId).toBe(docs[0]!.id);
  });

  it('stored history counts as past incidents for triage', () => {
    const docs = stored((e) => {
      const a = anomaly({ cellId: 'S7-1' });
      e.onTransitions([firing(a)], at(5));
      e.onTransitions([resolved(a, at(20))], at(20));
      e.advance(at(40));
    });
    const old = docs.map((d) => ({ ...d, openedAt: d.openedAt - 10 * 24 * HOUR, resolvedAt: d.resolvedAt! - 10 * 24 * HOUR, updatedAt: d.updatedAt - 10 * 24 * HOUR, detectedAt: d.detectedAt - 10 * 24 * HOUR }));
    const fresh = engine();
    fresh.onTransitions([firing(anomaly({ cellId: 'S7-1', at: 100 }))], at(100));
    const withHistory = engine();
    withHistory.restore(old);
    withHistory.onTransitions([firing(anomaly({ cellId: 'S7-1', at: 100 }))], at(100));
    const score = (x: ReturnType<typeof engine>) => [...x.live()].find((i) => i.state === 'open')!.triage;
    expect(score(withHistory).score).toBeGreaterThan(score(fresh).score);
    expect(score(withHistory).reasons.join(' ')).toMatch(/1 earlier incident/);
  });
});
