import { describe, expect, it } from 'vitest';
import { AnomalyTracker, type Finding } from '../../src/detectors/anomaly-tracker.js';

const MIN = 60_000;
const finding: Finding = {
  source: 'pm', objectType: 'cell', objectId: 'C1', cellId: 'C1', signal: 'erab_drop_rate', hint: 'interference', severity: 'minor', score: 4, evidence: { observed: 2 },
};

type Step = ['bad', number, boolean] | ['clear', number] | ['advance', number];

/** Runs steps against one key; returns the transitions as "from>to@minute". */
function run(steps: Step[]): string[] {
  const tr = new AnomalyTracker({ resolveAfter: 30 * MIN, pendingTimeout: 60 * MIN, keepResolved: 10 });
  const out: string[] = [];
  for (const s of steps) {
    if (s[0] === 'bad') tr.bad('k', s[1] * MIN, s[1] * MIN - 15 * MIN, s[2], finding);
    else if (s[0] === 'clear') tr.clear('k', s[1] * MIN);
    else tr.advance(s[1] * MIN);
    for (const t of tr.takeTransitions()) out.push(`${t.from}>${t.to}@${t.at / MIN}`);
  }
  return out;
}

describe('anomaly state machine', () => {
  it.each<{ name: string; steps: Step[]; expected: string[] }>([
    {
      name: 'confirmed on the second sample, cleared, resolved after the hold',
      steps: [['bad', 15, false], ['bad', 30, true], ['clear', 45], ['advance', 70], ['advance', 75]],
      expected: ['null>pending@15', 'pending>firing@30', 'firing>resolving@45', 'resolving>resolved@75'],
    },
    {
      name: 'a fault that wobbles is one anomaly: bad again while resolving fires the same anomaly',
      steps: [['bad', 15, true], ['clear', 30], ['advance', 40], ['bad', 45, true], ['clear', 60], ['bad', 75, true], ['clear', 90], ['advance', 125]],
      expected: ['null>pending@15', 'pending>firing@15', 'firing>resolving@30', 'resolving>firing@45', 'firing>resolving@60', 'resolving>firing@75', 'firing>resolving@90', 'resolving>resolved@125'],
    },
    {
      name: 'a pending anomaly that clears is dropped at once',
      steps: [['bad', 15, false], ['clear', 30]],
      expected: ['null>pending@15', 'pending>resolved@30'],
    },
    {
      name: 'a pending anomaly never confirmed times out',
      steps: [['bad', 15, false], ['bad', 30, false], ['advance', 60], ['advance', 75]],
      expected: ['null>pending@15', 'pending>resolved@75'],
    },
    {
      name: 'a clear for nothing changes nothing',
      steps: [['clear', 15], ['advance', 100]],
      expected: [],
    },
  ])('$name', ({ steps, expected }) => {
    expect(run(steps)).toEqual(expected);
  });

  it('the cell status follows an anomaly that grows graver (a major alarm that becomes critical is an outage)', () => {
    const tr = new AnomalyTracker({ resolveAfter: 30 * MIN, pendingTimeout: 60 * MIN, keepResolved: 10 });
    const alarm: Finding = { ...finding, source: 'alarm', objectType: 'site', objectId: 'S1', cellId: undefined, cells: ['C1', 'C2'], hint: 'degradation', severity: 'major' };
    tr.bad('a', 10 * MIN, 10 * MIN, true, alarm);
    expect(tr.cellStatus('C2')).toBe('anomalous');
    tr.bad('a', 12 * MIN, 10 * MIN, true, { ...alarm, severity: 'critical' });
    expect(tr.cellStatus('C2')).toBe('outage');
  });

  it('an update older than the anomaly\'s start does not date its news before the start', () => {
    const tr = new AnomalyTracker({ resolveAfter: 30 * MIN, pendingTimeout: 60 * MIN, keepResolved: 10 });
    tr.bad('a', 60 * MIN, 61 * MIN, true, finding);
    tr.bad('a', 59 * MIN, 61 * MIN, true, { ...finding, severity: 'major' });
    expect(tr.get('a')).toMatchObject({ startedAt: 61 * MIN, updatedAt: 61 * MIN, severity: 'major' });
  });

  it('keeps the start of the deviation and the peak score, and one id across the wobble', () => {
    const tr = new AnomalyTracker({ resolveAfter: 30 * MIN, pendingTimeout: 60 * MIN, keepResolved: 10 });
    tr.bad('k', 15 * MIN, 0, false, finding);
    tr.bad('k', 30 * MIN, 99 * MIN, true, { ...finding, score: 9, evidence: { observed: 3 } });
    tr.clear('k', 45 * MIN);
    tr.bad('k', 50 * MIN, 50 * MIN, true, { ...finding, score: 5 });
    const ts = tr.takeTransitions();
    expect(new Set(ts.map((t) => t.anomaly.id)).size).toBe(1);
    const a = tr.get('k')!;
    expect(a).toMatchObject({ state: 'firing', startedAt: 0, firingAt: 30 * MIN, score: 9 });
    // Transitions carry snapshots: later changes do not rewrite what was handed over.
    expect(ts[1].anomaly.evidence).toEqual({ observed: 3 });
  });

  it('a firing anomaly growing graver is reported again (firing → firing), once per step up; pending or milder is not', () => {
    const tr = new AnomalyTracker({ resolveAfter: 30 * MIN, pendingTimeout: 60 * MIN, keepResolved: 10 });
    const at = (sev: Finding['severity']) => ({ ...finding, severity: sev });
    tr.bad('k', 15 * MIN, 0, false, at('minor'));
    tr.bad('k', 30 * MIN, 0, false, at('major')); // still pending: the firing will carry it
    tr.bad('k', 45 * MIN, 0, true, at('major'));
    tr.bad('k', 60 * MIN, 0, true, at('major'));
    tr.bad('k', 75 * MIN, 0, true, at('minor'));
    tr.bad('k', 90 * MIN, 0, true, at('critical'));
    expect(tr.takeTransitions().map((t) => `${t.from}>${t.to}@${t.at / MIN} ${t.anomaly.severity}`)).toEqual([
      'null>pending@15 minor', 'pending>firing@45 major', 'firing>firing@90 critical',
    ]);
  });

  it('sets the status of every cell a finding covers while it fires', () => {
    const tr = new AnomalyTracker({ resolveAfter: 30 * MIN, pendingTimeout: 60 * MIN, keepResolved: 10 });
    tr.bad('site', 0, 0, true, { ...finding, objectType: 'site', objectId: 'S1', cellId: undefined, hint: 'outage', severity: 'critical', cells: ['C1', 'C2'] });
    tr.bad('kpi', 0, 0, true, { ...finding, objectId: 'C3', cellId: 'C3' });
    expect([tr.cellStatus('C1'), tr.cellStatus('C2'), tr.cellStatus('C3'), tr.cellStatus('C4')]).toEqual(['outage', 'outage', 'anomalous', 'normal']);
    tr.clear('site', MIN);
    expect(tr.cellStatus('C1')).toBe('outage'); // resolving still counts: a fix is verified once it holds
    tr.advance(40 * MIN);
    expect(tr.cellStatus('C1')).toBe('normal');
    expect(tr.anomaliesAt('C1').map((a) => a.state)).toEqual(['resolved']);
  });
});

describe('reconcile after a restart (the checkpoint is older than the stored incidents)', () => {
  const cfg = { resolveAfter: 30 * MIN, pendingTimeout: 60 * MIN, keepResolved: 10 };
  /** An anomaly as a newer process fired it and an incident stored it. */
  const stored = (key: string, startedAt: number) => {
    const tr = new AnomalyTracker(cfg);
    tr.bad(key, startedAt, startedAt, true, finding);
    return { ...tr.get(key)!, state: 'firing' as const };
  };
  const log = (tr: AnomalyTracker) => tr.takeTransitions().map((t) => `${t.anomaly.id} ${t.from}>${t.to}@${t.at / MIN}`);

  it('adopts an anomaly it never saw as resolving: without fresh evidence it resolves after the grace', () => {
    const tr = new AnomalyTracker(cfg);
    const a = stored('k', 100 * MIN);
    expect(tr.reconcile({ active: [a], resolvedIds: new Set() }, 120 * MIN, () => 30 * MIN, () => ['C1'])).toEqual({ dropped: 0, adopted: 1 });
    expect(log(tr)).toEqual([]);
    expect(tr.cellStatus('C1')).toBe('anomalous');
    tr.advance(149 * MIN);
    expect(log(tr)).toEqual([]);
    tr.advance(150 * MIN);
    expect(log(tr)).toEqual([`k@${100 * MIN} resolving>resolved@150`]);
    expect(tr.cellStatus('C1')).toBe('normal');
  });

  it('fresh bad evidence for the key fires the adopted anomaly again: the same id, so its incident goes on', () => {
    const tr = new AnomalyTracker(cfg);
    const a = stored('k', 100 * MIN);
    tr.reconcile({ active: [a], resolvedIds: new Set() }, 120 * MIN, () => 30 * MIN, () => ['C1']);
    tr.bad('k', 135 * MIN, 120 * MIN, false, finding);
    tr.advance(200 * MIN);
    expect(log(tr)).toEqual([`k@${100 * MIN} resolving>firing@135`]);
    expect(tr.get('k')?.state).toBe('firing');
  });

  it('an anomaly adopted as firing (null grace) waits for its clear', () => {
    const tr = new AnomalyTracker(cfg);
    tr.reconcile({ active: [stored('k', 100 * MIN)], resolvedIds: new Set() }, 120 * MIN, () => null, () => ['C1']);
    tr.advance(500 * MIN);
    expect(log(tr)).toEqual([]);
    tr.clear('k', 510 * MIN);
    tr.advance(540 * MIN);
    expect(log(tr)).toEqual([`k@${100 * MIN} firing>resolving@510`, `k@${100 * MIN} resolving>resolved@540`]);
  });

  it('drops, without a transition, what the incidents already record as resolved; replaces an older anomaly of the key', () => {
    const tr = new AnomalyTracker(cfg);
    tr.bad('gone', 10 * MIN, 10 * MIN, true, finding);
    tr.bad('k', 20 * MIN, 20 * MIN, true, { ...finding, cellId: 'C2', objectId: 'C2' });
    tr.bad('kept', 30 * MIN, 30 * MIN, true, finding);
    const older = tr.get('k')!.id;
    log(tr);
    const newer = stored('k', 90 * MIN);
    const r = tr.reconcile({ active: [newer, { ...tr.get('kept')! }], resolvedIds: new Set([tr.get('gone')!.id, older]) }, 120 * MIN, () => 30 * MIN, () => ['C1']);
    expect(r).toEqual({ dropped: 2, adopted: 1 });
    expect(log(tr)).toEqual([]);
    expect([...tr.active()].map((x) => `${x.id} ${x.state}`).sort()).toEqual([`k@${90 * MIN} resolving`, `kept@${30 * MIN} firing`]);
    expect(tr.cellStatus('C2')).toBe('normal');
  });
});
