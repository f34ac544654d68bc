import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { networkLookup } from '../../src/simulator/network.js';
import { FAULT_KINDS } from '../../src/simulator/faults.js';
import { generateNetwork } from '../../src/simulator/inventory-generator.js';
import { placeProbes } from '../../src/simulator/feeds/dialtest-feed.js';
import { Rng } from '../../src/simulator/prng.js';
import { loadScenario, parseScenario, resolveScenario, ScenarioError } from '../../src/simulator/scenario.js';

const ZERO = Date.UTC(2026, 10, 24);
const net = generateNetwork({ cells: 300, seed: 5 });
const ctx = () => ({ net, lookup: networkLookup(net), rng: new Rng(1), probeCells: placeProbes(net, 5).map((p) => p.cell) });

function issuesOf(data: unknown): string[] {
  try {
    parseScenario(data);
  } catch (err) {
    if (err instanceof ScenarioError) return err.issues;
    throw err;
  }
  return [];
}

function file(name: string, text: string): string {
  const p = join(mkdtempSync(join(tmpdir(), 'nocwatch-scenario-')), name);
  writeFileSync(p, text);
  return p;
}

const fault = (extra: Record<string, unknown>) => ({ kind: 'cell_outage', start: '1h', duration: '30m', ...extra });

describe('scenario validation', () => {
  it('accepts a minimal fault and fills the defaults', () => {
    const s = parseScenario({ faults: [fault({})] });
    expect(s.faults[0]).toMatchObject({ severity: 'major', target: {} });
    expect(s.randomFaultsPerDay).toBe(0);
  });

  it.each([
    [{ faults: [fault({ duration: '2 hours' })] }, /^faults\[0\]\.duration: expected a duration like "90m", "2h" or "1d6h", got "2 hours"$/],
    [{ faults: [fault({ start: 'tomorrow' })] }, /^faults\[0\]\.start: expected an offset like "6h".*got "tomorrow"$/],
    [{ faults: [fault({ kind: 'fire' })] }, /^faults\[0\]\.kind: /],
    [{ faults: [fault({ severity: 2 })] }, /^faults\[0\]\.severity: /],
    [{ faults: [fault({ durration: '1h' })] }, /^faults\[0\]: .*durration/],
    [{ faults: [fault({ kind: 'site_outage', target: { cell: 'CS-0001-1' } })] }, /^faults\[0\]\.target\.cell: site_outage takes `site`, `region`, `district`, `areaClass`; not `cell`$/],
    [{ faults: [fault({ kind: 'coverage_hole', target: { lat: 28.2 } })] }, /^faults\[0\]\.target: give both lat and lon/],
    [{ faults: [fault({ id: 'a' }), fault({ id: 'a' })] }, /^faults\[1\]\.id: "a" is used twice$/],
    [{ faults: 'none' }, /^faults: /],
  ])('rejects %j naming the field', (data, message) => {
    const issues = issuesOf(data);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatch(message);
  });

  it('lists every problem at once', () => {
    expect(issuesOf({ faults: [fault({ duration: 'x' }), fault({ kind: 'nope', start: 'y' })] }).length).toBe(3);
  });

  it('reports YAML and JSON syntax errors with the file', () => {
    expect(() => loadScenario(file('bad.yaml', 'faults:\n  - kind: [unclosed\n'))).toThrow(/bad\.yaml:\n {2}not valid YAML/);
    expect(() => loadScenario(file('bad.json', '{"faults": ['))).toThrow(/not valid JSON/);
    expect(() => loadScenario('/nonexistent/scenario.yaml')).toThrow(/cannot read the file/);
  });

  it('names a target the inventory does not have', () => {
    const s = parseScenario({ faults: [fault({}), fault({ kind: 'site_outage', target: { site: 'SITE-XX-9999' } })] });
    expect(() => resolveScenario(s, ctx(), ZERO)).toThrow(/faults\[1\]\.target\.site: no site "SITE-XX-9999" in the inventory/);
  });
});

describe('scenario resolution', () => {
  it('turns offsets and absolute times into event times and pins named targets', () => {
    const site = net.sites[3];
    const s = parseScenario({
      faults: [
        { kind: 'site_outage', start: '90m', duration: '1h30m', severity: 'critical', target: { site: site.siteId } },
        { kind: 'interference', start: '2026-11-24T08:00:00+08:00', duration: '2h', severity: 0.5 },
      ],
    });
    const faults = resolveScenario(s, ctx(), ZERO);
    const a = faults.find((f) => f.kind === 'site_outage')!;
    const b = faults.find((f) => f.kind === 'interference')!;
    expect(faults[0]).toBe(b); // by start time
    expect(a.start).toBe(ZERO + 90 * 60_000);
    expect(a.end - a.start).toBe(90 * 60_000);
    expect(a.root).toEqual({ type: 'site', id: site.siteId });
    expect(a.cells).toEqual(site.cells);
    expect(a.department).toBe('maintenance');
    expect(b.start).toBe(Date.parse('2026-11-24T00:00:00Z'));
    expect(b.severity).toBe(0.5);
    expect(b.department).toBe('optimization');
  });

  it('the shipped config/scenarios/mixed.yaml has one fault of each kind and fits any network', () => {
    const s = loadScenario(join(import.meta.dirname, '..', '..', 'config', 'scenarios', 'mixed.yaml'));
    expect(s.faults.map((f) => f.kind).sort()).toEqual([...FAULT_KINDS].sort());
    const faults = resolveScenario(s, ctx(), ZERO);
    expect(faults).toHaveLength(FAULT_KINDS.length);
    const byKind = Object.fromEntries(faults.map((f) => [f.kind, f]));
    // A first-seen coverage hole goes to optimisation: optimise before you build (issue 6).
    expect(byKind.coverage_hole.department).toBe('optimization');
    expect(byKind.core_signaling_failure.root.type).toBe('core');
    expect(byKind.core_signaling_failure.alsoAccept).toContainEqual({ type: 'region', id: 'Changsha' });
    // Faults left to chance do not land on each other's cells.
    const local = faults.filter((f) => f.kind !== 'core_signaling_failure');
    const cells = local.flatMap((f) => f.cells);
    expect(new Set(cells).size).toBe(cells.length);
  });
});
