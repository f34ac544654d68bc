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
